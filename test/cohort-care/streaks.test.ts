/**
 * Humane streaks on both databases: days without a drop (weekends of a Monday-to-Friday channel) never break a
 * streak, a freeze earned with 7 counted days covers a missed drop day and is spent, a gap with more missed days than
 * freezes breaks the streak, and a vacation hold covers its days and moves the reviews due in it. First the answer
 * path's batches against the same answers one at a time, then the whole story end to end through the terminal in
 * America/New_York across four weeks and the spring-forward change (Sunday 2026-03-08), then the hold command.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, isoWeekday } from '../../src/core/calendar.ts';
import type { AnswerInput, AnswerOutcome } from '../../src/core/ports/learning.port.ts';
import { PrismaLearningStore } from '../../src/db/learning.repo.ts';
import { migrateDatabase } from '../../src/db/migrations.ts';
import { type Db, openPrisma } from '../../src/db/prisma-client.ts';
import { availableKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { createTestEngine, type TestEngine, type TestUser, textOf } from '../support/engine.ts';
import { lessonId, now, type QuizWorld, questionIds, quizWorld } from '../support/quiz-world.ts';
import { driveTerminal, firstAnswerButton, type TerminalDriver } from '../support/terminal-driver.ts';

const day = 86_400_000;

/** Each member's stored streak before the burst, and what their answers should make of it. */
interface Case {
  readonly inCohort: boolean;
  readonly stats?: { current: number; lastActiveDate: string; freezes: number };
  readonly hold?: { startDate: string; endDate: string };
  /** Days after 2026-11-30 (a Monday) of each answer, and whether it is the channel quiz (joins the cohort). */
  readonly answers: readonly { readonly after: number; readonly quiz: boolean }[];
  readonly expected: { current: number; freezes: number; freezesUsed: number };
}

// The channel drops Monday to Friday; 2026-11-27 is a Friday, 2026-11-30 a Monday.
const cases: readonly Case[] = [
  // Friday then Monday: the weekend had no drop.
  {
    inCohort: true,
    stats: { current: 3, lastActiveDate: '2026-11-27', freezes: 0 },
    answers: [{ after: 0, quiz: false }],
    expected: { current: 4, freezes: 0, freezesUsed: 0 },
  },
  // No channel (no cohort): every day counts, the weekend is missed.
  {
    inCohort: false,
    stats: { current: 3, lastActiveDate: '2026-11-27', freezes: 0 },
    answers: [{ after: 0, quiz: false }],
    expected: { current: 1, freezes: 0, freezesUsed: 0 },
  },
  // The channel answered in gives the drop days: the quiz answer joins its cohort.
  {
    inCohort: false,
    stats: { current: 3, lastActiveDate: '2026-11-27', freezes: 0 },
    answers: [{ after: 0, quiz: true }],
    expected: { current: 4, freezes: 0, freezesUsed: 0 },
  },
  // Thursday and Friday missed with one freeze: broken, and the freeze is kept.
  {
    inCohort: true,
    stats: { current: 9, lastActiveDate: '2026-11-25', freezes: 1 },
    answers: [{ after: 0, quiz: true }],
    expected: { current: 1, freezes: 1, freezesUsed: 0 },
  },
  // Friday missed with two freezes: one covers it.
  {
    inCohort: true,
    stats: { current: 9, lastActiveDate: '2026-11-26', freezes: 2 },
    answers: [{ after: 0, quiz: false }],
    expected: { current: 10, freezes: 1, freezesUsed: 1 },
  },
  // A week of hold: nothing missed.
  {
    inCohort: true,
    stats: { current: 5, lastActiveDate: '2026-11-20', freezes: 0 },
    hold: { startDate: '2026-11-23', endDate: '2026-11-27' },
    answers: [{ after: 0, quiz: false }],
    expected: { current: 6, freezes: 0, freezesUsed: 0 },
  },
  // The seventh day earns a freeze, which covers the Tuesday missed before the Wednesday answer of the same burst.
  {
    inCohort: true,
    stats: { current: 6, lastActiveDate: '2026-11-27', freezes: 0 },
    answers: [
      { after: 0, quiz: true },
      { after: 2, quiz: false },
    ],
    expected: { current: 8, freezes: 0, freezesUsed: 1 },
  },
  // First answer ever, then a two-day gap in the same burst: broken.
  {
    inCohort: true,
    answers: [
      { after: 0, quiz: false },
      { after: 3, quiz: false },
    ],
    expected: { current: 1, freezes: 0, freezesUsed: 0 },
  },
];

async function setUp(db: Db): Promise<{ world: QuizWorld; inputs: AnswerInput[] }> {
  const world = await quizWorld(db, cases.length);
  const channel = await db.channel.findFirstOrThrow({ where: { cohortId: world.cohortId } });
  // The channel's earlier and later drops, Monday to Friday (2026-11-30 exists already).
  const dates: string[] = [];
  for (let date = '2026-11-02'; date <= '2026-12-11'; date = addDays(date, 1)) {
    if (isoWeekday(date) <= 5 && date !== '2026-11-30') dates.push(date);
  }
  await db.drop.createMany({
    data: dates.map((localDate) => ({
      channelId: channel.id,
      localDate,
      trackId: 'docker',
      lessonId,
      status: 'closed' as const,
      claimedBy: 'test',
    })),
  });
  const inputs: AnswerInput[] = [];
  for (const [m, c] of cases.entries()) {
    const memberId = world.members[m] as string;
    if (c.inCohort) await db.cohortMember.create({ data: { cohortId: world.cohortId, memberId } });
    if (c.stats) {
      await db.memberStats.create({
        data: {
          memberId,
          currentStreak: c.stats.current,
          bestStreak: c.stats.current,
          lastActiveDate: c.stats.lastActiveDate,
          freezes: c.stats.freezes,
        },
      });
    }
    if (c.hold) await db.hold.create({ data: { memberId, ...c.hold } });
    c.answers.forEach(({ after, quiz }, i) => {
      const questionId = questionIds[i] as string;
      inputs.push({
        memberId,
        timeZone: 'America/Sao_Paulo',
        trackId: 'docker',
        lessonId,
        questionId,
        lessonQuestionIds: questionIds,
        difficulty: 'easy',
        context: quiz ? 'channel_quiz' : 'self_study',
        dedupeKey: quiz ? `pq:${world.postedIds[i]}` : `study:docker/${questionId}`,
        ...(quiz ? { postedQuestionId: world.postedIds[i] ?? null, cohortId: world.cohortId } : {}),
        scored: true,
        choice: 1,
        correct: true,
        now: new Date(now.getTime() + after * day),
      });
    });
  }
  return { world, inputs };
}

async function streaksOf(db: Db, world: QuizWorld) {
  const rows = await db.memberStats.findMany();
  return world.members.map((memberId) => {
    const row = rows.find((candidate) => candidate.memberId === memberId);
    return { current: row?.currentStreak, freezes: row?.freezes, freezesUsed: row?.freezesUsed };
  });
}

describe.each(availableKinds)('humane streaks on the answer path (%s)', (kind) => {
  const databases: TestDatabase[] = [];
  const clients: Db[] = [];

  async function freshDb(): Promise<Db> {
    const database = await createTestDatabase(kind);
    databases.push(database);
    await migrateDatabase(database.target);
    const db = await openPrisma(database.target);
    clients.push(db);
    return db;
  }

  beforeEach(() => {
    databases.length = 0;
    clients.length = 0;
  });
  afterEach(async () => {
    for (const db of clients) await db.$disconnect();
    for (const database of databases) await database.drop();
  });

  it('GIVEN weekends, holds, freezes and gaps THEN one batch gives the streaks of the answers one at a time', async () => {
    const [oneByOne, together] = [await freshDb(), await freshDb()];
    const a = await setUp(oneByOne);
    const b = await setUp(together);

    const storeA = new PrismaLearningStore(oneByOne, { kind });
    const sequential: AnswerOutcome[] = [];
    for (const input of a.inputs) sequential.push(await storeA.recordAnswer(input));
    const storeB = new PrismaLearningStore(together, { kind });
    const batched = await Promise.all(b.inputs.map((input) => storeB.recordAnswer(input)));

    expect(batched).toEqual(sequential);
    const expected = cases.map((c) => c.expected);
    expect(await streaksOf(oneByOne, a.world)).toEqual(expected);
    expect(await streaksOf(together, b.world)).toEqual(expected);
  });
});

const you: TestUser = { id: 'local-owner', name: 'Alex' };

describe.each(availableKinds)('humane streaks end to end through the terminal (%s)', (kind) => {
  let engine: TestEngine;
  let terminal: TerminalDriver;

  beforeAll(async () => {
    // Thursday 26 Feb 2026, 08:00 in New York: an hour before the first drop (09:00, Monday to Friday).
    engine = await createTestEngine(kind, { now: new Date('2026-02-26T13:00:00Z'), timeZone: 'America/New_York' });
    terminal = driveTerminal(engine);
    await terminal.ready;
  });
  afterAll(async () => {
    await terminal.end();
    await engine.close();
  });

  const stats = async () => {
    const member = await engine.app.db.member.findFirstOrThrow({ where: { displayName: you.name } });
    return engine.app.db.memberStats.findUniqueOrThrow({ where: { memberId: member.id } });
  };
  /** Moves the clock and answers the first question of the drop it posted. */
  const answerAfter = async (tick: string) => {
    const out = await terminal.send(`/tick ${tick}`);
    return terminal.send(firstAnswerButton(out));
  };

  it('GIVEN four weeks of a weekday channel THEN weekends keep the streak, a freeze covers a day, a hold covers a week', async () => {
    await answerAfter('1h'); // Thursday
    await answerAfter('1d'); // Friday
    await answerAfter('3d'); // the weekend had no drop: Monday 2 March continues it
    expect(await terminal.send('progresso')).toContain('Sequência: 3 dias (melhor: 3 dias)');
    const earned: string[] = [];
    for (let i = 0; i < 4; i++) earned.push(await answerAfter('1d')); // Tuesday to Friday: 7 days
    expect(earned.slice(0, 3).join('')).not.toContain('🧊');
    // The member is told the moment a freeze is earned.
    expect(earned[3]).toContain('🧊 Você ganhou um congelamento de sequência');
    expect(earned[3]).toContain('(1 guardado, no máximo 2)');
    expect(await stats()).toMatchObject({ currentStreak: 7, freezes: 1, freezesUsed: 0 });
    expect(await terminal.send('progresso')).toContain('Congelamentos: 1 de 2 (ganhe 1 a cada 7 dias de sequência)');

    // Across the weekend and the spring-forward change: Monday 9 March, 09:00 EDT.
    const monday = await terminal.send('/tick 3d');
    expect(monday).toContain('── #geral · seg., 09/03/2026, 09:00 (America/New_York) ──');
    await terminal.send(firstAnswerButton(monday));
    await answerAfter('1d'); // Tuesday: 9 days
    await terminal.send('/tick 1d'); // Wednesday: the drop comes, no answer
    const thursday = await terminal.send('/tick 1d');
    // Before Thursday's answer the streak still shows: the freeze will cover Wednesday.
    const before = await terminal.send('progresso');
    expect(before).toContain('Sequência: 9 dias');
    expect(before).toContain('Congelamentos: 0 de 2 · 1 cobre um dia sem resposta');
    // ... and the moment one saves the streak.
    const saved = await terminal.send(firstAnswerButton(thursday));
    expect(saved).toContain(
      '🧊 Um congelamento cobriu o dia perdido: a sequência continua. Nenhum congelamento guardado agora.',
    );
    expect(await stats()).toMatchObject({ currentStreak: 10, freezes: 0, freezesUsed: 1 });
    await answerAfter('1d'); // Friday 13 March: 11 days

    // A hold from Saturday 14 to Friday 20, set on Friday: the reviews due in it (Friday's answer comes back on
    // Saturday) move by its 7 days.
    const member = await engine.app.db.member.findFirstOrThrow({ where: { displayName: you.name } });
    const inHold = {
      memberId: member.id,
      due: { gte: new Date('2026-03-14T04:00:00Z'), lt: new Date('2026-03-21T04:00:00Z') },
    };
    const dueInHold = await engine.app.db.reviewCard.findMany({ where: inHold });
    expect(dueInHold.length).toBeGreaterThan(0);
    const set = await terminal.send('ferias 2026-03-14 2026-03-20');
    expect(set).toContain('Férias marcadas de 14 de mar. de 2026 a 20 de mar. de 2026 (7 dias)');
    expect(set).toContain(
      dueInHold.length === 1
        ? '1 revisão que vencia nesses dias foi adiada em 7 dias.'
        : `${dueInHold.length} revisões que venciam nesses dias foram adiadas em 7 dias.`,
    );
    expect(await engine.app.db.reviewCard.count({ where: inHold })).toBe(0);
    for (const card of dueInHold) {
      const moved = await engine.app.db.reviewCard.findUniqueOrThrow({
        where: {
          memberId_trackId_questionId: { memberId: card.memberId, trackId: card.trackId, questionId: card.questionId },
        },
      });
      expect(moved.due.getTime() - card.due.getTime()).toBe(7 * day);
    }
    expect(await terminal.send('progresso')).toContain('Férias: de 14 de mar. de 2026 a 20 de mar. de 2026');

    // The hold week: drops come, no answers, the streak still shows; then Monday 23 continues it.
    await terminal.send('/tick 1w');
    const during = await terminal.send('progresso');
    expect(during).toContain('Sequência: 11 dias');
    expect(during).toContain('Férias: até 20 de mar. de 2026');
    await answerAfter('3d');
    expect(await stats()).toMatchObject({ currentStreak: 12, freezes: 0, freezesUsed: 1 });

    // Tuesday and Wednesday missed without a freeze: on Thursday the streak shows 0, and an answer starts again.
    await terminal.send('/tick 2d');
    const broken = await terminal.send('progresso');
    expect(broken).toContain('Sequência: 0 dias (melhor: 12 dias)');
    expect(broken).toContain('Congelamentos: 0 de 2');
    const thursday26 = await terminal.send('/tick 1d');
    await terminal.send(firstAnswerButton(thursday26));
    expect(await stats()).toMatchObject({ currentStreak: 1, bestStreak: 12, freezes: 0, freezesUsed: 1 });
  });
});

describe.each(availableKinds)('vacation holds (%s)', (kind) => {
  let engine: TestEngine;
  const ana: TestUser = { id: 'U-ANA', name: 'Ana' };
  const bob: TestUser = { id: 'U-BOB', name: 'Bob' };

  beforeEach(async () => {
    // Wednesday 4 March 2026, noon in New York (EST), the week before the spring-forward change.
    engine = await createTestEngine(kind, { now: new Date('2026-03-04T17:00:00Z'), timeZone: 'America/New_York' });
  });
  afterEach(() => engine.close());

  const cardsOf = async (user: TestUser) => {
    const member = await engine.app.db.member.findFirstOrThrow({ where: { displayName: user.name } });
    return {
      member,
      cards: () =>
        engine.app.db.reviewCard.findMany({ where: { memberId: member.id }, orderBy: { questionId: 'asc' } }),
    };
  };

  it('GIVEN a hold across the DST change THEN reviews due in it move by its length at the same wall-clock time', async () => {
    await engine.say(ana, 'ferias');
    const { member, cards } = await cardsOf(ana);
    const card = (questionId: string, due: string) => ({
      memberId: member.id,
      trackId: 'docker',
      questionId,
      due: new Date(due),
      stability: 1,
      difficulty: 5,
      scheduledDays: 1,
      learningSteps: 0,
      reps: 1,
      lapses: 0,
      state: 2,
    });
    await engine.app.db.reviewCard.createMany({
      data: [
        card('a-before', '2026-03-06T04:59:00Z'), // Thursday 23:59 EST: before the hold
        card('b-first', '2026-03-06T14:00:00Z'), // Friday 09:00 EST: first day
        card('c-last', '2026-03-10T03:59:00Z'), // Monday 23:59 EDT: last day
        card('d-after', '2026-03-10T04:00:00Z'), // Tuesday 00:00 EDT: after it
      ],
    });
    const set = textOf(await engine.say(ana, 'ferias 2026-03-06 2026-03-09'));
    expect(set).toContain('(4 dias)');
    expect(set).toContain('2 revisões que venciam nesses dias foram adiadas em 4 dias.');
    expect((await cards()).map((row) => [row.questionId, row.due.toISOString()])).toEqual([
      ['a-before', '2026-03-06T04:59:00.000Z'],
      ['b-first', '2026-03-10T13:00:00.000Z'], // Tuesday 09:00 EDT
      ['c-last', '2026-03-14T03:59:00.000Z'], // Friday 23:59 EDT
      ['d-after', '2026-03-10T04:00:00.000Z'],
    ]);
    // One hold at a time: a second one is refused and moves nothing.
    expect(textOf(await engine.say(ana, 'ferias 2026-03-20 2026-03-21'))).toContain(
      'Você já tem férias marcadas de 6 de mar. de 2026 a 9 de mar. de 2026.',
    );
    expect(textOf(await engine.say(ana, 'ferias'))).toContain(
      'Férias marcadas de 6 de mar. de 2026 a 9 de mar. de 2026.',
    );

    // Saturday, in the hold: cancelling ends it yesterday; the moved reviews stay.
    engine.clock.now = new Date('2026-03-07T15:00:00Z');
    expect(textOf(await engine.say(ana, 'ferias'))).toContain(
      'Você está de férias desde 6 de mar. de 2026, até 9 de mar.',
    );
    expect(textOf(await engine.say(ana, 'ferias cancelar'))).toContain(
      'Suas férias terminaram ontem, 6 de mar. de 2026',
    );
    expect(
      await engine.app.db.hold.findMany({ where: { memberId: member.id }, select: { startDate: true, endDate: true } }),
    ).toEqual([{ startDate: '2026-03-06', endDate: '2026-03-06' }]);
    expect((await cards()).find((row) => row.questionId === 'b-first')?.due.toISOString()).toBe(
      '2026-03-10T13:00:00.000Z',
    );
    expect(textOf(await engine.say(ana, 'ferias cancelar'))).toContain('Você não tem férias marcadas; nada mudou.');
  });

  it('GIVEN bad dates THEN the member reads why, in English too, and a future hold cancelled is gone', async () => {
    await engine.say(bob, 'language en');
    expect(textOf(await engine.say(bob, 'vacation 2026-03-01 2026-03-05'))).toContain(
      'A vacation cannot start in the past: today is Mar 4, 2026.',
    );
    expect(textOf(await engine.say(bob, 'vacation 2026-03-10 2026-03-09'))).toContain(
      'The last day (2026-03-09) comes before the first (2026-03-10).',
    );
    expect(textOf(await engine.say(bob, 'hold 2026-03-10 2026-06-01'))).toContain(
      'A vacation can last 60 days at most.',
    );
    expect(textOf(await engine.say(bob, 'vacation 2026-02-30'))).toContain('Use dates written YYYY-MM-DD');
    expect(textOf(await engine.say(bob, 'vacation tomorrow'))).toContain('vacation');
    expect(textOf(await engine.say(bob, 'pausa-pessoal 2026-03-10'))).toContain(
      'Vacation set from Mar 10, 2026 to Mar 10, 2026 (1 day)',
    );
    expect(textOf(await engine.say(bob, 'vacation cancel'))).toContain(
      'Done: the vacation from Mar 10, 2026 to Mar 10, 2026 is cancelled.',
    );
    const { member } = await cardsOf(bob);
    expect(await engine.app.db.hold.count({ where: { memberId: member.id } })).toBe(0);
  });
});
