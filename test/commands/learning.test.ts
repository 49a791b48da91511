import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutVerdict } from '../../src/commands/learning/answer.action.ts';
import { loadTracks } from '../../src/content/load-tracks.ts';
import { decodeAction, encodeAction } from '../../src/core/action-id.ts';
import type { Track } from '../../src/core/curriculum.ts';
import { availableKinds } from '../support/databases.ts';
import {
  buttonsOf,
  createTestEngine,
  dockerTrack,
  repoRoot,
  type TestEngine,
  type TestUser,
  textOf,
} from '../support/engine.ts';

const DAY = 24 * 60 * 60 * 1000;

function gitTrack(): Track[] {
  const { tracks, problems } = loadTracks(join(repoRoot, 'test', 'fixtures', 'content'));
  if (problems.length > 0) throw new Error(`fixture problems: ${problems.length}`);
  return tracks;
}

/** The tests' workspace (São Paulo, pt-BR), created on first use. */
function testWorkspace(engine: TestEngine) {
  return engine.app.services.stores.members.ensureWorkspace({
    platform: 'terminal',
    externalId: 'T-TEST',
    name: 'Test workspace',
    defaultLocale: 'pt-BR',
    timeZone: 'America/Sao_Paulo',
  });
}

/**
 * A drop channel with a posted drop, written straight to the database (the scheduler that normally does this is
 * tested on its own): its cohort, the channel, the drop and one posted question per question id.
 */
async function postDrop(
  engine: TestEngine,
  options: {
    channel: string;
    lessonId?: string;
    questionIds?: readonly string[];
    closesAt?: Date | null;
    closedAt?: Date | null;
  },
) {
  const { db, services } = engine.app;
  const workspace = await testWorkspace(engine);
  const lessonId = options.lessonId ?? 'what-is-docker';
  const lesson = services.curriculum.lesson('docker', lessonId);
  const questionIds = options.questionIds ?? lesson?.questions.map((q) => q.id) ?? [];
  const cohort = await db.cohort.create({
    data: { workspaceId: workspace.id, slug: options.channel.toLowerCase(), name: options.channel, timeZone: 'UTC' },
  });
  const channel = await db.channel.create({
    data: {
      workspaceId: workspace.id,
      externalId: options.channel,
      name: options.channel,
      trackId: 'docker',
      cohortId: cohort.id,
      startDate: '2026-11-30',
    },
  });
  const drop = await db.drop.create({
    data: {
      channelId: channel.id,
      localDate: '2026-11-30',
      trackId: 'docker',
      lessonId,
      status: options.closedAt ? 'closed' : 'posted',
      claimedBy: 'test',
      postedAt: engine.clock.now,
      closesAt: options.closesAt === undefined ? new Date(engine.clock.now.getTime() + 6 * 3600_000) : options.closesAt,
      closedAt: options.closedAt ?? null,
    },
  });
  const posted = [];
  for (const [position, questionId] of questionIds.entries()) {
    posted.push(await db.postedQuestion.create({ data: { dropId: drop.id, trackId: 'docker', questionId, position } }));
  }
  return { cohort, channel, drop, posted };
}

async function memberIdOf(engine: TestEngine, user: TestUser): Promise<string> {
  const identity = await engine.app.db.identity.findFirstOrThrow({ where: { externalId: user.id } });
  return identity.memberId;
}

describe.each(availableKinds)('learning commands (%s)', (kind) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine(kind, { tracks: [...dockerTrack(), ...gitTrack()] });
  });
  afterAll(() => engine.close());

  const question = (id: string) => {
    const found = engine.app.services.curriculum.question('docker', id);
    if (!found) throw new Error(id);
    return found;
  };

  it('GIVEN a quiz that closes with the next lesson THEN today names the next lesson time, or the close delay when one is set', async () => {
    const ana = { id: 'U-ANA', name: 'Ana' };
    // Posted Monday 09:00 in São Paulo, open for 24 h at most: Tuesday's 09:00 lesson closes it first.
    const { channel } = await postDrop(engine, { channel: 'C-UNTIL', closesAt: new Date('2026-12-01T12:00:00Z') });
    await engine.app.db.channel.update({ where: { id: channel.id }, data: { weekdays: '1,3,5' } });
    // With lessons on Monday, Wednesday and Friday only, the 24 h bound comes first.
    expect(textOf(await engine.say(ana, 'hoje', { channel: 'C-UNTIL' }))).toContain(
      'quiz aberto até 1 de dez. de 2026, 09:00.',
    );
    await engine.app.db.channel.update({
      where: { id: channel.id },
      data: { weekdays: '1,2,3,4,5', dropTime: '08:00' },
    });
    expect(textOf(await engine.say(ana, 'hoje', { channel: 'C-UNTIL' }))).toContain(
      'quiz aberto até 1 de dez. de 2026, 08:00.',
    );
    // A close delay of 45 minutes: its own closesAt, whatever the schedule.
    await engine.app.db.channel.update({ where: { id: channel.id }, data: { quizCloseMinutes: 45 } });
    await engine.app.db.drop.updateMany({
      where: { channelId: channel.id },
      data: { closesAt: new Date('2026-11-30T12:45:00Z') },
    });
    expect(textOf(await engine.say(ana, 'hoje', { channel: 'C-UNTIL' }))).toContain(
      'quiz aberto até 30 de nov. de 2026, 09:45.',
    );
  });

  it('GIVEN a posted drop WHEN a member asks for today and answers right THEN scores once with cohort, week, card and progress', async () => {
    const ana = { id: 'U-ANA', name: 'Ana' };
    const { cohort, posted } = await postDrop(engine, { channel: 'C-TODAY' });
    const replies = await engine.say(ana, 'hoje', { channel: 'C-TODAY' });
    expect(replies.every((reply) => reply.audience.kind === 'private')).toBe(true);
    expect(textOf(replies)).toContain('O que é o Docker');
    expect(textOf(replies)).toContain('Pergunta 1 de 3');
    expect(textOf(replies)).toContain('quiz aberto até');
    const first = question('what-is-docker.not-a-hypervisor');
    const buttons = buttonsOf(replies);
    expect(buttons).toHaveLength(4 + 2 + 4);
    const right = encodeAction({ kind: 'answer', postedQuestionId: posted[0]?.id ?? '', choice: first.correctIndex });
    expect(buttons.map((b) => b.actionId)).toContain(right);

    const feedback = textOf(await engine.click(ana, right, { channel: 'C-TODAY' }));
    // Easy question, first day of a streak: 10 + 1.
    expect(feedback).toContain('✅ Certo!');
    expect(feedback).toContain('Emular hardware com um hypervisor');
    expect(feedback).toContain('resposta certa +10 XP · sequência de 1 dia +1 XP = *11 XP*');

    const memberId = await memberIdOf(engine, ana);
    const { db } = engine.app;
    expect(await db.memberStats.findUniqueOrThrow({ where: { memberId } })).toMatchObject({
      xp: 11,
      answered: 1,
      correct: 1,
      currentStreak: 1,
      bestStreak: 1,
      lastActiveDate: '2026-11-30',
      lessonsSeen: 1,
    });
    expect(await db.cohortMember.count({ where: { cohortId: cohort.id, memberId } })).toBe(1);
    expect(await db.weeklyScore.findMany({ where: { memberId } })).toEqual([
      {
        cohortId: cohort.id,
        memberId,
        week: '2026-W49',
        xp: 11,
        answered: 1,
        correct: 1,
        // The fair ranking's counters (docs/ranking.md): a first try, right, on one active day; no review yet.
        firstTries: 1,
        firstTryCorrect: 1,
        reviews: 0,
        reviewsKept: 0,
        activeDays: 1,
        // A new week's row is ranked and scored by the next board read (src/db/board-standings.ts).
        score: 0,
        scoreQuestions: 0,
        scoreDays: 0,
        listed: false,
      },
    ]);
    const card = await db.reviewCard.findUniqueOrThrow({
      where: { memberId_trackId_questionId: { memberId, trackId: 'docker', questionId: first.id } },
    });
    expect(card.reps).toBe(1);
    // No short-term steps: a right first answer comes back in days, not in 10 minutes.
    expect(card.due.getTime() - engine.clock.now.getTime()).toBeGreaterThanOrEqual(DAY);
    expect(await db.lessonProgress.findMany({ where: { memberId } })).toMatchObject([
      { lessonId: 'what-is-docker', completedAt: null },
    ]);
  });

  it('GIVEN an answered question WHEN the member clicks again, even another option THEN says what they chose and changes nothing', async () => {
    const bia = { id: 'U-BIA', name: 'Bia' };
    const { posted } = await postDrop(engine, { channel: 'C-DUP' });
    const first = question('what-is-docker.not-a-hypervisor');
    const id = posted[0]?.id ?? '';
    const wrong = (first.correctIndex + 1) % first.options.length;
    await engine.click(bia, encodeAction({ kind: 'answer', postedQuestionId: id, choice: wrong }));
    const memberId = await memberIdOf(engine, bia);
    const before = await engine.app.db.memberStats.findUniqueOrThrow({ where: { memberId } });

    for (const choice of [wrong, first.correctIndex]) {
      const text = textOf(await engine.click(bia, encodeAction({ kind: 'answer', postedQuestionId: id, choice })));
      expect(text).toContain(`Você já respondeu esta pergunta e escolheu *${String.fromCharCode(65 + wrong)})`);
      expect(text).toContain('Nada mudou');
    }
    const after = await engine.app.db.memberStats.findUniqueOrThrow({ where: { memberId } });
    expect({ ...after, updatedAt: null }).toEqual({ ...before, updatedAt: null });
    expect(await engine.app.db.attempt.count({ where: { memberId } })).toBe(1);
  });

  it('GIVEN a wrong answer THEN the feedback explains the chosen option and names the right one with 2 XP', async () => {
    const caio = { id: 'U-CAIO', name: 'Caio' };
    const { posted } = await postDrop(engine, { channel: 'C-WRONG' });
    const q = question('what-is-docker.kernel-features');
    const text = textOf(
      await engine.click(caio, encodeAction({ kind: 'answer', postedQuestionId: posted[2]?.id ?? '', choice: 0 })),
    );
    expect(text).toContain('❌ Não foi dessa vez');
    expect(text).toContain(`Você escolheu *A) ${q.options[0]?.text['pt-BR']}*`);
    expect(text).toContain(q.options[0]?.explain['pt-BR']);
    // The right option's explanation is labelled as the explanation, without its own opening verdict (issue 16, 7).
    expect(text).toContain(
      `A resposta certa é *C) Namespaces e cgroups*.\n*Explicação:* ${withoutVerdict(q.options[2]?.explain['pt-BR'] ?? '')}`,
    );
    expect(text).toContain('participação +2 XP · sequência de 1 dia +1 XP = *3 XP*');
  });

  it('GIVEN a closed quiz WHEN a member answers THEN feedback only: an unscored attempt and no totals', async () => {
    const dani = { id: 'U-DANI', name: 'Dani' };
    const { posted } = await postDrop(engine, { channel: 'C-CLOSED', closedAt: engine.clock.now });
    const q = question('what-is-docker.not-a-hypervisor');
    const action = encodeAction({ kind: 'answer', postedQuestionId: posted[0]?.id ?? '', choice: q.correctIndex });
    const text = textOf(await engine.click(dani, action));
    expect(text).toContain('Quiz encerrado: só a explicação, sem pontos.');
    expect(text).toContain('✅ Certo!');
    const memberId = await memberIdOf(engine, dani);
    const { db } = engine.app;
    expect(await db.attempt.findMany({ where: { memberId } })).toMatchObject([{ scored: false, xp: 0 }]);
    expect(await db.memberStats.findUnique({ where: { memberId } })).toBeNull();
    expect(await db.weeklyScore.count({ where: { memberId } })).toBe(0);
    expect(await db.reviewCard.count({ where: { memberId } })).toBe(0);
    expect(textOf(await engine.say(dani, 'hoje', { channel: 'C-CLOSED' }))).toContain('O quiz desta lição já fechou');
    expect(textOf(await engine.click(dani, action))).toContain('Você já respondeu');
  });

  it('GIVEN a quiz past its closing time THEN it counts as closed too', async () => {
    const duda = { id: 'U-DUDA', name: 'Duda' };
    const { posted } = await postDrop(engine, { channel: 'C-LATE', closesAt: engine.clock.now });
    const text = textOf(
      await engine.click(duda, encodeAction({ kind: 'answer', postedQuestionId: posted[0]?.id ?? '', choice: 1 })),
    );
    expect(text).toContain('Quiz encerrado');
  });

  it('GIVEN an unknown posted question, a question gone from the content or a choice out of range THEN clear answers and nothing recorded', async () => {
    const eva = { id: 'U-EVA', name: 'Eva' };
    const { posted } = await postDrop(engine, {
      channel: 'C-GONE',
      questionIds: ['what-is-docker.removed-since', 'what-is-docker.own-kernel'],
    });
    expect(
      textOf(
        await engine.click(eva, encodeAction({ kind: 'answer', postedQuestionId: 'no-such-question', choice: 0 })),
      ),
    ).toContain('Não encontrei esta pergunta');
    expect(
      textOf(
        await engine.click(eva, encodeAction({ kind: 'answer', postedQuestionId: posted[0]?.id ?? '', choice: 0 })),
      ),
    ).toContain('não existe mais no conteúdo');
    expect(
      textOf(
        await engine.click(eva, encodeAction({ kind: 'answer', postedQuestionId: posted[1]?.id ?? '', choice: 7 })),
      ),
    ).toContain('não tem essa opção');
    expect(
      textOf(
        await engine.click(eva, encodeAction({ kind: 'study', trackId: 'docker', questionId: 'nope.nope', choice: 0 })),
      ),
    ).toContain('não existe mais no conteúdo');
    const memberId = await memberIdOf(engine, eva);
    expect(await engine.app.db.attempt.count({ where: { memberId } })).toBe(0);
    // today leaves the vanished question out and shows the rest.
    const today = await engine.say(eva, 'today', { channel: 'C-GONE' });
    expect(textOf(today)).toContain('Pergunta 1 de 1');
  });

  it('GIVEN a direct message or a channel without drops THEN today says so, when the first lesson comes, and offers the next lesson', async () => {
    const fabi = { id: 'U-FABI', name: 'Fabi' };
    const dm = await engine.say(fabi, 'hoje', { channel: null });
    expect(textOf(dm)).toContain('Aqui não chegam lições diárias');
    const [button] = buttonsOf(dm);
    expect(button?.label).toBe('Próxima lição');
    expect(textOf(await engine.click(fabi, button?.actionId ?? '', { channel: null }))).toContain('Lição 1 de 58');

    // A channel set up to start on Wednesday (the clock: Monday 09:00 in São Paulo): its first lesson's time, then,
    // paused, no time at all.
    const { db } = engine.app;
    const workspace = await testWorkspace(engine);
    const channel = await db.channel.create({
      data: {
        workspaceId: workspace.id,
        externalId: 'C-AHEAD',
        name: 'C-AHEAD',
        trackId: 'docker',
        startDate: '2026-12-02',
      },
    });
    const ahead = await engine.say(fabi, 'hoje', { channel: 'C-AHEAD' });
    expect(textOf(ahead)).toContain(
      'Este canal ainda não recebeu nenhuma lição: a primeira chega em 2 de dez. de 2026, 09:00.',
    );
    expect(buttonsOf(ahead).map((b) => b.label)).toEqual(['Próxima lição']);
    await db.channel.update({ where: { id: channel.id }, data: { paused: true } });
    const paused = textOf(await engine.say(fabi, 'hoje', { channel: 'C-AHEAD' }));
    expect(paused).toContain('Este canal ainda não recebeu nenhuma lição. Enquanto isso');
    expect(paused).not.toContain('chega em');
  });

  it('GIVEN self-paced study THEN next walks the track, quiz serves unanswered questions and duplicates score once', async () => {
    const gil = { id: 'U-GIL', name: 'Gil' };
    const first = await engine.say(gil, 'proxima', { channel: null });
    expect(textOf(first)).toContain('Lição 1 de 58');
    const studyButtons = buttonsOf(first);
    expect(studyButtons).toHaveLength(4 + 2 + 4);
    expect(textOf(await engine.say(gil, 'next', { channel: null }))).toContain('Lição 2 de 58');

    const q = question('what-is-docker.not-a-hypervisor');
    const right = encodeAction({ kind: 'study', trackId: 'docker', questionId: q.id, choice: q.correctIndex });
    const feedback = await engine.click(gil, right, { channel: null });
    expect(textOf(feedback)).toContain('resposta certa +10 XP');
    expect(buttonsOf(feedback).map((b) => b.label)).toEqual(['Mais perguntas']);
    expect(textOf(await engine.click(gil, right, { channel: null }))).toContain('Você já respondeu');

    const quiz = await engine.say(gil, 'quiz', { channel: null });
    expect(textOf(quiz)).toContain('Pergunta 1 de 3');
    expect(textOf(quiz)).not.toContain(q.prompt['pt-BR']);
    expect(textOf(quiz)).toContain(question('what-is-docker.own-kernel').prompt['pt-BR']);

    const memberId = await memberIdOf(engine, gil);
    const stats = await engine.app.db.memberStats.findUniqueOrThrow({ where: { memberId } });
    expect(stats).toMatchObject({ xp: 11, answered: 1, lessonsSeen: 2 });
    expect(await engine.app.db.attempt.findMany({ where: { memberId } })).toMatchObject([
      { context: 'self_study', dedupeKey: `study:docker/${q.id}`, postedQuestionId: null, scored: true },
    ]);
  });

  it('GIVEN an unknown track THEN next lists the tracks', async () => {
    const text = textOf(await engine.say({ id: 'U-HUGO', name: 'Hugo' }, 'proxima kubernetes', { channel: null }));
    expect(text).toContain('Não conheço a trilha “kubernetes”');
    expect(text).toContain('`docker`');
    expect(text).toContain('`git-basics`');
  });

  it('GIVEN every lesson seen and answered THEN next and quiz say so and completing a lesson is announced', async () => {
    const ines = { id: 'U-INES', name: 'Inês', admin: false };
    const replies = [
      ...(await engine.say(ines, 'proxima git-basics', { channel: null })),
      ...(await engine.say(ines, 'proxima git-basics', { channel: null })),
    ];
    const finished = textOf(await engine.say(ines, 'proxima git-basics', { channel: null }));
    expect(finished).toContain('Você já viu todas as 2 lições de “Git básico”');
    const texts: string[] = [];
    for (const button of buttonsOf(replies).filter((b) => b.label.startsWith('A)'))) {
      texts.push(textOf(await engine.click(ines, button.actionId, { channel: null })));
    }
    expect(texts.filter((text) => text.includes('Lição concluída'))).toHaveLength(2);
    const memberId = await memberIdOf(engine, ines);
    const progress = await engine.app.db.lessonProgress.findMany({ where: { memberId } });
    expect(progress.map((row) => row.completedAt !== null)).toEqual([true, true]);
  });

  it('GIVEN studied questions WHEN the cards come due THEN review serves them, scores review XP once and leaves channel quiz counts alone', async () => {
    const joao = { id: 'U-JOAO', name: 'João' };
    const { posted } = await postDrop(engine, { channel: 'C-REVIEW' });
    await engine.say(joao, 'hoje', { channel: 'C-REVIEW' });
    for (const [index, pq] of posted.entries()) {
      const answered = question(pq.questionId);
      const choice = index === 0 ? answered.correctIndex : (answered.correctIndex + 1) % answered.options.length;
      await engine.click(joao, encodeAction({ kind: 'answer', postedQuestionId: pq.id, choice }));
    }
    const memberId = await memberIdOf(engine, joao);
    const { db } = engine.app;
    const quizAttempts = () => db.attempt.count({ where: { postedQuestionId: { in: posted.map((p) => p.id) } } });
    const quizCount = await quizAttempts();

    const notYet = textOf(await engine.say(joao, 'revisar', { channel: null }));
    expect(notYet).toContain('Nada para revisar agora. A próxima revisão fica disponível em');

    engine.clock.advance(30 * DAY);
    const session = await engine.say(joao, 'revisar', { channel: null });
    // One question per message (docs/reviews.md); the other two wait behind "next review".
    expect(session).toHaveLength(1);
    expect(textOf(session)).toContain('Revisão 1 de 3 de hoje');
    // The most forgotten card comes first (a wrong answer's): the test answers whichever is served.
    const servedIds = buttonsOf(session)
      .map((b) => decodeAction(b.actionId))
      .flatMap((d) => (d.ok && d.action.kind === 'review' ? [d.action.questionId] : []));
    expect(new Set(servedIds).size).toBe(1);
    const q = question(servedIds[0] ?? '');
    const card = await db.reviewCard.findUniqueOrThrow({
      where: { memberId_trackId_questionId: { memberId, trackId: 'docker', questionId: q.id } },
    });
    const action = encodeAction({
      kind: 'review',
      trackId: 'docker',
      questionId: q.id,
      reps: card.reps,
      choice: q.correctIndex,
    });
    // The most forgotten card comes first: serve that one's buttons, whichever it is.
    expect(buttonsOf(session).map((b) => b.actionId)).toContain(action);
    const before = await db.memberStats.findUniqueOrThrow({ where: { memberId } });
    const feedback = await engine.click(joao, action, { channel: null });
    // A month later, but the channel posted no drop since (this test posts its one drop by hand): no drop day was
    // missed, so the streak goes on (docs/streaks.md).
    expect(textOf(feedback)).toContain('revisão certa +5 XP · sequência de 2 dias +2 XP = *7 XP*');
    expect(buttonsOf(feedback).map((b) => b.label)).toEqual(['Próxima revisão (2 para hoje)', 'Abrir a lição']);
    expect(textOf(await engine.click(joao, action, { channel: null }))).toContain('Você já respondeu');
    const stale = encodeAction({ kind: 'review', trackId: 'docker', questionId: q.id, reps: 0, choice: 1 });
    expect(textOf(await engine.click(joao, stale, { channel: null }))).toContain('o cartão já avançou');

    const after = await db.memberStats.findUniqueOrThrow({ where: { memberId } });
    expect(after.xp - before.xp).toBe(7);
    expect(after.answered - before.answered).toBe(1);
    const updated = await db.reviewCard.findUniqueOrThrow({
      where: { memberId_trackId_questionId: { memberId, trackId: 'docker', questionId: q.id } },
    });
    expect(updated.reps).toBe(card.reps + 1);
    expect(updated.due.getTime()).toBeGreaterThan(card.due.getTime());
    expect(await quizAttempts()).toBe(quizCount);
    expect(await db.attempt.count({ where: { memberId, context: 'review' } })).toBe(1);
    engine.clock.advance(-30 * DAY);
  });

  it('GIVEN an English speaker with nothing seen THEN review says there is nothing yet, in English', async () => {
    const kim = { id: 'U-KIM', name: 'Kim' };
    await engine.say(kim, 'help', { channel: null });
    const memberId = await memberIdOf(engine, kim);
    await engine.app.db.member.update({ where: { id: memberId }, data: { locale: 'en' } });
    expect(textOf(await engine.say(kim, 'review', { channel: null }))).toContain('Nothing to review yet');
  });
});
