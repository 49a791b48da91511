/**
 * Progress, leaderboards, cohorts, language, time zone and my data, through the dispatcher on real databases. The
 * scores are written straight into the running totals (MemberStats, WeeklyScore) by the small factory below, the way
 * the answer path leaves them, so these tests do not depend on the answer engine.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/core/action-id.ts';
import { isoWeekOfInstant } from '../../src/core/calendar.ts';
import type { MemberRecord } from '../../src/core/ports/members.port.ts';
import { availableKinds } from '../support/databases.ts';
import { buttonsOf, createTestEngine, dockerTrack, type TestEngine, type TestUser, textOf } from '../support/engine.ts';

const me = { id: 'U-ME', name: 'Eu Mesma' };
const bia = { id: 'U-BIA', name: 'Bia' };
const caio = { id: 'U-CAIO', name: 'Caio' };

/** Rows as the answer path leaves them, written directly (the learning engine is not needed to rank). */
function factory(engine: TestEngine) {
  const { db } = engine.app;
  const { members } = engine.app.services.stores;
  const workspace = (externalId = 'T-TEST') =>
    members.ensureWorkspace({
      platform: 'terminal',
      externalId,
      name: externalId === 'T-TEST' ? 'Test workspace' : 'Other workspace',
      defaultLocale: 'pt-BR',
      timeZone: 'America/Sao_Paulo',
    });
  return {
    workspace,
    async member(user: TestUser, workspaceExternalId = 'T-TEST'): Promise<MemberRecord> {
      return members.ensureMember(await workspace(workspaceExternalId), user.id, user.name);
    },
    async cohort(slug: string, options: { workspace?: string; timeZone?: string } = {}) {
      const ws = await workspace(options.workspace);
      return db.cohort.create({
        data: { workspaceId: ws.id, slug, name: slug, timeZone: options.timeZone ?? 'America/Sao_Paulo' },
      });
    },
    join: (cohortId: string, memberId: string) => db.cohortMember.create({ data: { cohortId, memberId } }),
    weekly: (cohortId: string, memberId: string, week: string, xp: number, correct = 0, answered = correct) =>
      db.weeklyScore.create({ data: { cohortId, memberId, week, xp, correct, answered } }),
    stats: (
      memberId: string,
      values: { xp: number; correct?: number; answered?: number; current?: number; best?: number; last?: string },
    ) =>
      db.memberStats.create({
        data: {
          memberId,
          xp: values.xp,
          correct: values.correct ?? 0,
          answered: values.answered ?? values.correct ?? 0,
          currentStreak: values.current ?? 0,
          bestStreak: values.best ?? values.current ?? 0,
          lastActiveDate: values.last ?? null,
        },
      }),
  };
}

/** Every row about a member, in every table that hangs on Member. */
async function rowsAbout(engine: TestEngine, memberId: string) {
  const { db } = engine.app;
  const where = { memberId };
  return {
    Member: await db.member.count({ where: { id: memberId } }),
    Identity: await db.identity.count({ where }),
    CohortMember: await db.cohortMember.count({ where }),
    Attempt: await db.attempt.count({ where }),
    MemberStats: await db.memberStats.count({ where }),
    WeeklyScore: await db.weeklyScore.count({ where }),
    ReviewCard: await db.reviewCard.count({ where }),
    LessonProgress: await db.lessonProgress.count({ where }),
  };
}

describe.each(availableKinds)('social commands (%s)', (kind) => {
  let engine: TestEngine;
  let make: ReturnType<typeof factory>;
  let week: string;
  beforeEach(async () => {
    engine = await createTestEngine(kind);
    make = factory(engine);
    week = isoWeekOfInstant(engine.clock.now, 'America/Sao_Paulo');
  });
  afterEach(() => engine.close());

  describe('leaderboard', () => {
    it('GIVEN 15 members ahead of the caller THEN shows the top 10 with medals and the caller’s own line and rank', async () => {
      const cohort = await make.cohort('ops');
      for (let i = 1; i <= 15; i++) {
        const member = await make.member({ id: `U-${i}`, name: `Pessoa ${i}` });
        await make.join(cohort.id, member.id);
        await make.weekly(cohort.id, member.id, week, 200 - i * 10, 3);
      }
      const mine = await make.member(me);
      await make.join(cohort.id, mine.id);
      await make.weekly(cohort.id, mine.id, week, 5, 1);

      const text = textOf(await engine.say(me, 'ranking semana ops'));
      expect(text).toContain('Ranking da semana · ops');
      expect(text).toContain(`Semana ${week}`);
      // Equal counts give equal points: XP breaks the tie.
      expect(text).toMatch(/🥇 Pessoa 1 · \d+ pts · 190 XP/);
      expect(text).toMatch(/🥈 Pessoa 2 · \d+ pts · 180 XP/);
      expect(text).toMatch(/🥉 Pessoa 3 · \d+ pts · 170 XP/);
      expect(text).toMatch(/10\. Pessoa 10 · \d+ pts · 100 XP/);
      expect(text).not.toContain('Pessoa 11 ');
      expect(text).toMatch(/16\. \*Eu Mesma \(você\)\* · \d+ pts · 5 XP/);
      expect(text).toMatch(/Você: 16º de 16 · \d+ pts · 5 XP/);

      const board = await engine.app.services.stores.social.leaderboard({
        workspaceId: cohort.workspaceId,
        cohortId: cohort.id,
        period: 'week',
        week,
        memberId: mine.id,
        limit: 10,
      });
      expect(board.top.map((entry) => entry.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(board.me).toMatchObject({ rank: 16, xp: 5, correct: 1, displayName: 'Eu Mesma' });
      expect(board.total).toBe(16);
    });

    it('GIVEN equal accuracy THEN more answers rank first, and a full tie goes to the smaller member id, every time', async () => {
      const cohort = await make.cohort('ops');
      const members = [];
      for (const user of [me, bia, caio, { id: 'U-DAN', name: 'Dan' }]) {
        const member = await make.member(user);
        await make.join(cohort.id, member.id);
        members.push(member);
      }
      const [a, b, c, d] = members as [MemberRecord, MemberRecord, MemberRecord, MemberRecord];
      await make.weekly(cohort.id, a.id, week, 50, 2);
      await make.weekly(cohort.id, b.id, week, 50, 4);
      await make.weekly(cohort.id, c.id, week, 50, 2);
      await make.weekly(cohort.id, d.id, week, 50, 2);
      const tied = [a.id, c.id, d.id].sort();
      const query = { workspaceId: cohort.workspaceId, cohortId: cohort.id, period: 'week' as const, week, limit: 2 };
      for (let run = 0; run < 2; run++) {
        const board = await engine.app.services.stores.social.leaderboard({ ...query, memberId: a.id });
        expect(board.top.map((entry) => entry.memberId)).toEqual([b.id, tied[0]]);
        expect(board.me?.rank).toBe(2 + tied.indexOf(a.id));
        expect(board.total).toBe(4);
      }
      // Each tied member gets the rank of its place in the order, distinct from the others.
      const ranks = [];
      for (const id of tied) {
        const board = await engine.app.services.stores.social.leaderboard({ ...query, memberId: id });
        ranks.push(board.me?.rank);
      }
      expect(ranks).toEqual([2, 3, 4]);
    });

    it('GIVEN weekly and all-time totals THEN the week board ranks this week only and the all-time board the totals', async () => {
      const cohort = await make.cohort('ops');
      const mine = await make.member(me);
      const other = await make.member(bia);
      await make.join(cohort.id, mine.id);
      await make.join(cohort.id, other.id);
      await make.weekly(cohort.id, mine.id, week, 10, 1);
      await make.weekly(cohort.id, other.id, week, 40, 4);
      await make.weekly(cohort.id, mine.id, '2026-W40', 490, 40); // an old week: not this week's board
      await make.stats(mine.id, { xp: 500, correct: 41 });
      await make.stats(other.id, { xp: 40, correct: 4 });

      const weekly = textOf(await engine.say(me, 'ranking ops'));
      expect(weekly).toMatch(/🥇 Bia · \d+ pts · 40 XP[\s\S]*🥈 \*Eu Mesma \(você\)\* · \d+ pts · 10 XP/);
      const all = textOf(await engine.say(me, 'leaderboard all ops'));
      expect(all).toContain('Ranking de todos os tempos · ops');
      expect(all).toMatch(/🥇 \*Eu Mesma \(você\)\* · \d+ pts · 500 XP[\s\S]*🥈 Bia · \d+ pts · 40 XP/);
      expect(all).toContain('2 pessoas no ranking');
    });

    it('GIVEN members of another workspace or without an identity here THEN they never appear on the board', async () => {
      const cohort = await make.cohort('ops');
      const mine = await make.member(me);
      const outsider = await make.member({ id: 'U-OUT', name: 'Forasteiro' }, 'T-OTHER');
      await make.join(cohort.id, mine.id);
      await make.join(cohort.id, outsider.id);
      await make.weekly(cohort.id, mine.id, week, 10, 1);
      await make.weekly(cohort.id, outsider.id, week, 999, 50);
      await make.stats(outsider.id, { xp: 999 });
      // A cohort with the same slug in the other workspace, full of points.
      const theirs = await make.cohort('ops', { workspace: 'T-OTHER' });
      await make.join(theirs.id, outsider.id);
      await make.weekly(theirs.id, outsider.id, week, 999, 50);

      for (const command of ['ranking ops', 'ranking total ops']) {
        const text = textOf(await engine.say(me, command));
        expect(text).not.toContain('Forasteiro');
        expect(text).not.toContain('999');
      }
      const board = await engine.app.services.stores.social.leaderboard({
        workspaceId: cohort.workspaceId,
        cohortId: theirs.id,
        period: 'week',
        week,
        memberId: mine.id,
        limit: 10,
      });
      expect(board).toMatchObject({ top: [], me: null, total: 0, average: null });
    });

    it('GIVEN no cohort named THEN uses the channel’s cohort, else the member’s only one, else asks which', async () => {
      expect(textOf(await engine.say(me, 'ranking'))).toContain('Ainda não há turmas');
      const ops = await make.cohort('ops');
      const dev = await make.cohort('dev');
      const mine = await make.member(me);
      expect(textOf(await engine.say(me, 'ranking'))).toMatch(/De qual turma\?.*`dev`, `ops`/);
      await make.join(dev.id, mine.id);
      expect(textOf(await engine.say(me, 'ranking', { channel: null }))).toContain('Ranking da semana · dev');
      await make.join(ops.id, mine.id);
      expect(textOf(await engine.say(me, 'ranking', { channel: null }))).toMatch(/De qual turma\?.*`dev`, `ops`/);
      await engine.app.db.channel.create({
        data: {
          workspaceId: ops.workspaceId,
          externalId: 'C-OPS',
          name: 'ops',
          trackId: 'docker',
          cohortId: ops.id,
          startDate: '2026-11-30',
        },
      });
      const text = textOf(await engine.say(me, 'ranking', { channel: 'C-OPS' }));
      expect(text).toContain('Ranking da semana · ops');
      expect(text).toContain('Ninguém pontuou nesta semana ainda');
    });

    it('GIVEN an unknown cohort or extra words THEN answers with the cohorts or the command help', async () => {
      await make.cohort('ops');
      expect(textOf(await engine.say(me, 'ranking nada'))).toContain(
        'Não existe a turma “nada”. Turmas deste espaço de trabalho: `ops`',
      );
      const help = textOf(await engine.say(me, 'ranking semana ops demais'));
      expect(help).toContain('Não entendi “semana ops demais”');
      expect(help).toContain('/trilha ranking [semana|passada|2026-W47|total] [turma]');
    });
  });

  describe('cohort', () => {
    it('GIVEN create, list, join, leave THEN each answers clearly and the memberships follow', async () => {
      expect(textOf(await engine.say(me, 'turma'))).toContain('Ainda não há turmas');
      const created = textOf(await engine.say(me, 'turma criar ops-2026 Turma de Ops'));
      expect(created).toContain('Turma `ops-2026` (Turma de Ops) criada, e você já está nela');
      expect(created).toContain('America/Sao_Paulo');
      expect(textOf(await engine.say(bia, 'cohort join OPS-2026'))).toContain('Você entrou na turma `ops-2026`');
      expect(textOf(await engine.say(bia, 'turma entrar ops-2026'))).toContain('Você já está na turma `ops-2026`');
      const listed = textOf(await engine.say(bia, 'turma listar'));
      expect(listed).toContain('`ops-2026` Turma de Ops · 2 membros · *você está nela*');
      expect(textOf(await engine.say(bia, 'turma sair ops-2026'))).toContain('Você saiu da turma `ops-2026`');
      expect(textOf(await engine.say(bia, 'turma sair ops-2026'))).toContain('Você não está na turma `ops-2026`');
      expect(textOf(await engine.say(caio, 'turma listar'))).toContain('`ops-2026` Turma de Ops · 1 membro');
      expect(await engine.app.db.cohortMember.count()).toBe(1);
    });

    it('GIVEN a time zone after the name THEN the cohort’s weeks follow it; else the workspace’s zone', async () => {
      const text = textOf(await engine.say(me, 'cohort create lisbon-team Lisbon team Europe/Lisbon'));
      expect(text).toContain('Turma `lisbon-team` (Lisbon team) criada');
      expect(text).toContain('seguem o fuso Europe/Lisbon');
      const cohort = await engine.app.db.cohort.findFirstOrThrow({ where: { slug: 'lisbon-team' } });
      expect(cohort).toMatchObject({ name: 'Lisbon team', timeZone: 'Europe/Lisbon' });
      await engine.say(me, 'turma criar sp');
      expect(await engine.app.db.cohort.findFirstOrThrow({ where: { slug: 'sp' } })).toMatchObject({
        name: 'sp',
        timeZone: 'America/Sao_Paulo',
      });
    });

    it('GIVEN a bad slug, a taken slug, an unknown cohort or a wrong subcommand THEN each gets a clear answer', async () => {
      const bad = textOf(await engine.say(me, 'turma criar Ops_2026'));
      expect(bad).toContain('“Ops\\_2026” não serve como nome curto');
      expect(bad).toContain('Que tal `ops-2026`?');
      expect(textOf(await engine.say(me, 'turma criar x'))).toContain('não serve como nome curto');
      expect(textOf(await engine.say(me, `turma criar ${'a'.repeat(33)}`))).toContain('não serve como nome curto');
      await engine.say(me, 'turma criar ops');
      expect(textOf(await engine.say(bia, 'turma criar ops'))).toContain('A turma `ops` já existe');
      expect(await engine.app.db.cohort.count()).toBe(1);
      expect(textOf(await engine.say(bia, 'turma entrar nada'))).toContain(
        'Não existe a turma “nada”. Turmas deste espaço de trabalho: `ops`',
      );
      expect(textOf(await engine.say(bia, 'turma voar'))).toContain('Uso: `/trilha turma listar | entrar <turma>');
      expect(textOf(await engine.say(bia, 'turma entrar'))).toContain('Não entendi “entrar”');
    });
  });

  describe('progress', () => {
    it('GIVEN stats, weekly XP, due reviews and seen lessons THEN shows them all in the member’s language', async () => {
      const track = dockerTrack()[0];
      if (!track) throw new Error('no track');
      const cohort = await make.cohort('ops');
      const mine = await make.member(me);
      await make.join(cohort.id, mine.id);
      await make.weekly(cohort.id, mine.id, week, 42, 3);
      await make.stats(mine.id, { xp: 1234, answered: 8, correct: 6, current: 3, best: 5, last: '2026-11-29' });
      const { db } = engine.app;
      const card = { trackId: track.id, stability: 1, difficulty: 5, scheduledDays: 1, learningSteps: 0, reps: 1 };
      const question = (index: number) => track.lessons[0]?.questions[index]?.id ?? `q${index}`;
      await db.reviewCard.createMany({
        data: [
          {
            ...card,
            memberId: mine.id,
            questionId: question(0),
            due: new Date('2026-11-29T00:00:00Z'),
            lapses: 0,
            state: 2,
          },
          {
            ...card,
            memberId: mine.id,
            questionId: question(1),
            due: new Date('2026-11-30T11:00:00Z'),
            lapses: 0,
            state: 2,
          },
          {
            ...card,
            memberId: mine.id,
            questionId: 'later',
            due: new Date('2026-12-09T00:00:00Z'),
            lapses: 0,
            state: 2,
          },
        ],
      });
      await db.lessonProgress.createMany({
        data: track.lessons
          .slice(0, 2)
          .map((lesson) => ({ memberId: mine.id, trackId: track.id, lessonId: lesson.id })),
      });

      const text = textOf(await engine.say(me, 'progresso'));
      expect(text).toContain('Progresso de Eu Mesma');
      expect(text).toContain('*XP:* 1.234');
      expect(text).toContain('*Sequência:* 3 dias (melhor: 5 dias)');
      expect(text).toContain('*Respostas:* 8 · 75% de acerto');
      expect(text).toContain(`*Lições vistas (Trilha Docker):* 2 de ${track.lessons.length}`);
      expect(text).toContain('*Revisões pendentes:* 2');
      expect(text).toContain('*Esta semana em `ops`:* 42 XP');

      await engine.say(me, 'idioma en');
      const english = textOf(await engine.say(me, 'progress'));
      expect(english).toContain('*XP:* 1,234');
      expect(english).toContain('*Answers:* 8 · 75% right');
    });

    it('GIVEN a streak whose last day was two days ago THEN the current streak shows 0 and the best stays', async () => {
      const mine = await make.member(me);
      await make.stats(mine.id, { xp: 30, answered: 3, correct: 1, current: 4, best: 6, last: '2026-11-28' });
      const text = textOf(await engine.say(me, 'progresso'));
      expect(text).toContain('*Sequência:* 0 dias (melhor: 6 dias)');
      expect(text).toContain('33% de acerto');
    });

    it('GIVEN another member by name, mention or an unknown name THEN shows theirs or says who was not found', async () => {
      const other = await make.member(bia);
      await make.stats(other.id, { xp: 77, answered: 4, correct: 4, current: 1, last: '2026-11-30' });
      await make.member({ id: 'U-OUT', name: 'Forasteiro' }, 'T-OTHER');
      for (const typed of ['Bia', '@bia', '<@U-BIA>']) {
        const text = textOf(await engine.say(me, `progresso ${typed}`));
        expect(text).toContain('Progresso de Bia');
        expect(text).toContain('*XP:* 77');
        expect(text).toContain('100% de acerto');
      }
      expect(textOf(await engine.say(me, 'progresso @Forasteiro'))).toContain(
        'Não encontrei ninguém chamado “@Forasteiro” neste espaço de trabalho',
      );
      const nobody = textOf(await engine.say(me, 'progresso <@U-NOBODY>'));
      expect(nobody).toContain('Não encontrei ninguém chamado “\\<@U-NOBODY\\>”');
      expect(textOf(await engine.say(me, 'progresso'))).toContain('Nenhuma resposta ainda');
    });
  });

  describe('language and time zone', () => {
    it('GIVEN a language choice THEN the confirmation and the next replies are in it, and padrao goes back', async () => {
      expect(textOf(await engine.say(me, 'idioma en')).trim()).toBe('Done: from now on I will talk to you in English.');
      expect(textOf(await engine.say(me, 'help'))).toContain('Trilha: learn a little every day');
      expect(textOf(await engine.say(me, 'language'))).toContain('Your language: English (your choice)');
      expect(textOf(await engine.say(me, 'language padrão')).trim()).toBe(
        'Pronto: você segue o idioma padrão do espaço de trabalho, português (Brasil).',
      );
      expect(textOf(await engine.say(me, 'idioma'))).toContain('padrão do espaço de trabalho');
      expect(textOf(await engine.say(me, 'idioma pt-BR'))).toContain('falo com você em português');
      const member = await engine.app.db.member.findFirstOrThrow({ where: { displayName: me.name } });
      expect(member.locale).toBe('pt-BR');
      expect(textOf(await engine.say(me, 'idioma klingon'))).toContain('Não entendi “klingon”');
    });

    it('GIVEN a time zone THEN it is saved and streaks count days in it; a bad zone is refused; padrao clears it', async () => {
      const mine = await make.member(me);
      await make.stats(mine.id, { xp: 40, answered: 4, correct: 4, current: 4, last: '2026-11-29' });
      // 02:00 UTC on Dec 1st: still Nov 30th in São Paulo (streak alive), already Dec 1st in Tokyo (a day missed).
      engine.clock.now = new Date('2026-12-01T02:00:00Z');
      expect(textOf(await engine.say(me, 'progresso'))).toContain('*Sequência:* 4 dias');
      const set = textOf(await engine.say(me, 'fuso asia/tokyo'));
      expect(set).toContain('Pronto: seu fuso agora é Asia/Tokyo (aí são 11:00)');
      expect((await engine.app.db.member.findUniqueOrThrow({ where: { id: mine.id } })).timeZone).toBe('Asia/Tokyo');
      expect(textOf(await engine.say(me, 'progresso'))).toContain('*Sequência:* 0 dias (melhor: 4 dias)');
      expect(textOf(await engine.say(me, 'fuso Marte/Olympus'))).toContain(
        '“Marte/Olympus” não é um fuso horário IANA que eu conheça',
      );
      expect((await engine.app.db.member.findUniqueOrThrow({ where: { id: mine.id } })).timeZone).toBe('Asia/Tokyo');
      expect(textOf(await engine.say(me, 'timezone default'))).toContain(
        'fuso do espaço de trabalho, America/Sao_Paulo',
      );
      expect((await engine.app.db.member.findUniqueOrThrow({ where: { id: mine.id } })).timeZone).toBeNull();
      expect(textOf(await engine.say(me, 'fuso'))).toContain(
        'Seu fuso: America/Sao_Paulo (padrão do espaço de trabalho)',
      );
      expect(textOf(await engine.say(me, 'fuso America/Manaus agora'))).toContain('Não entendi');
    });
  });

  describe('my data', () => {
    async function seedEverything(user: TestUser) {
      const cohort = (await engine.app.db.cohort.findFirst({ where: { slug: 'ops' } })) ?? (await make.cohort('ops'));
      const member = await make.member(user);
      await make.join(cohort.id, member.id);
      await make.weekly(cohort.id, member.id, week, 22, 1);
      await make.stats(member.id, { xp: 22, answered: 2, correct: 1, current: 1, last: '2026-11-30' });
      const { db } = engine.app;
      await db.attempt.createMany({
        data: ['q1', 'q2'].map((questionId, index) => ({
          memberId: member.id,
          trackId: 'docker',
          questionId,
          context: 'self_study' as const,
          dedupeKey: `study:docker/${questionId}`,
          choice: 0,
          correct: index === 0,
          xp: index === 0 ? 20 : 2,
          answeredAt: new Date(Date.UTC(2026, 10, 30, 10, index)),
          localDate: '2026-11-30',
        })),
      });
      await db.reviewCard.create({
        data: {
          memberId: member.id,
          trackId: 'docker',
          questionId: 'q1',
          due: new Date('2026-12-01T00:00:00Z'),
          stability: 1,
          difficulty: 5,
          scheduledDays: 1,
          learningSteps: 0,
          reps: 1,
          lapses: 0,
          state: 2,
        },
      });
      await db.lessonProgress.create({ data: { memberId: member.id, trackId: 'docker', lessonId: 'what-is-docker' } });
      return member;
    }

    it('GIVEN a member with data THEN my-data shows everything stored, with the LGPD/GDPR right', async () => {
      const member = await seedEverything(me);
      const text = textOf(await engine.say(me, 'meus-dados'));
      expect(text).toContain('Seus dados no Trilha');
      expect(text).toContain('LGPD (Brasil) e o GDPR');
      expect(text).toContain(`id \`${member.id}\``);
      expect(text).toContain('terminal `U-ME` em Test workspace');
      expect(text).toContain('*Turmas:* `ops`');
      expect(text).toContain('22 XP · 2 respostas · 1 certas');
      expect(text).toContain(`- ${week} em \`ops\`: 22 XP`);
      expect(text).toContain('*Respostas guardadas:* 2');
      expect(text).toMatch(/`docker\/q2` \(estudo\) · errada · 2 XP[\s\S]*`docker\/q1` \(estudo\) · certa · 20 XP/);
      expect(text).toContain('*Cartões de revisão:* 1');
      expect(text).toContain('*Lições:* 1 vistas, 0 concluídas');
    });

    it('GIVEN delete confirmed by its owner THEN nothing about the member remains in any table, and others keep theirs', async () => {
      const member = await seedEverything(me);
      const other = await seedEverything(bia);
      const replies = await engine.say(me, 'my-data delete');
      expect(textOf(replies)).toContain('LGPD (Brasil)');
      const [button] = replies.flatMap((reply) =>
        reply.message.blocks.flatMap((block) => (block.kind === 'buttons' ? block.buttons : [])),
      );
      expect(button?.style).toBe('danger');
      expect(button && decodeAction(button.actionId)).toEqual({
        ok: true,
        action: { kind: 'delete-my-data', memberId: member.id },
      });
      const before = await rowsAbout(engine, member.id);
      expect(Object.values(before).every((count) => count > 0)).toBe(true);

      const done = textOf(await engine.click(me, button?.actionId ?? ''));
      expect(done).toContain('Pronto: apagamos tudo o que o Trilha guardava sobre você');
      expect(await rowsAbout(engine, member.id)).toEqual({
        Member: 0,
        Identity: 0,
        CohortMember: 0,
        Attempt: 0,
        MemberStats: 0,
        WeeklyScore: 0,
        ReviewCard: 0,
        LessonProgress: 0,
      });
      expect(Object.values(await rowsAbout(engine, other.id)).every((count) => count > 0)).toBe(true);
      // A second click: the member's data is already gone.
      expect(textOf(await engine.click(me, button?.actionId ?? ''))).toContain('Esses dados já foram apagados');
    });

    it('GIVEN someone else clicks the delete button THEN it is refused and nothing is deleted', async () => {
      const member = await seedEverything(me);
      await seedEverything(bia);
      const [button] = buttonsOf(await engine.say(me, 'meus-dados apagar'));
      const before = await rowsAbout(engine, member.id);
      const refused = textOf(await engine.click(bia, button?.actionId ?? ''));
      expect(refused).toContain('Este botão pertence a outra pessoa');
      expect(refused).toContain('Nada foi apagado');
      expect(await rowsAbout(engine, member.id)).toEqual(before);
    });

    it('GIVEN an English member and a wrong subcommand THEN the help answers in English', async () => {
      await engine.say(me, 'language en');
      const text = textOf(await engine.say(me, 'my-data burn'));
      expect(text).toContain('I did not understand “burn”');
      expect(text).toContain('/trilha my-data [export | anki | delete]');
    });
  });
});
