/**
 * The boards read stored standings (src/db/board-standings.ts): every WeeklyScore and CohortMember row keeps its fair
 * score, the yardsticks it was scored against and whether it is ranked. Here, on both databases, each thing that can
 * change a board (answers, a drop posted, the visibility setting, leaving and rejoining a cohort, linking and
 * unlinking accounts, answers arriving while boards are read) is followed by a check of the week's and the all-time
 * board against the board computed from scratch (`rankedBoardSql`: the period's rows joined to what decides who is
 * ranked, scored with the same formula). A drop leaves every row of its boards stale: they are rescored in the
 * background (src/db/board-rescorer.ts), and a read that comes first gets the board computed over the stale rows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/action-id.ts';
import { isoWeekOfInstant } from '../../src/core/calendar.ts';
import type { Lesson } from '../../src/core/curriculum.ts';
import type { Message, Notifier, PostRef, PostTarget } from '../../src/core/message.ts';
import type { Leaderboard } from '../../src/core/ports/social.port.ts';
import { BoardRescorer } from '../../src/db/board-rescorer.ts';
import { type PeriodScope, rescoreChunk, staleRows } from '../../src/db/board-standings.ts';
import { boardOrder, boardYardsticks, rankedBoardSql, readBoardScoring } from '../../src/db/ranking-sql.ts';
import type { PrismaSocialStore } from '../../src/db/social.repo.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler } from '../../src/scheduler/drop-scheduler.ts';
import { availableKinds } from '../support/databases.ts';
import { createTestEngine, type TestEngine, type TestUser, textOf, type Where } from '../support/engine.ts';
import { createSide } from '../support/platform-side.ts';
import { createPostedDrop } from '../support/posted-drop.ts';

const slack: Where = { platform: 'slack', workspace: 'T-SLACK', channel: 'C-OPS' };
const discord: Where = { platform: 'discord', workspace: 'G-DISCORD', channel: 'D-OPS' };
const people: TestUser[] = Array.from({ length: 12 }, (_, i) => ({ id: `U-${i}`, name: `Pessoa ${i}` }));
const person = (i: number) => people[i] as TestUser;
const zone = 'America/Sao_Paulo';

describe.each(availableKinds)('stored board standings (%s)', (kind) => {
  let engine: TestEngine;
  let lessons: readonly Lesson[];
  const posted = new Map<string, string[]>();
  const cohorts = new Map<string, { workspaceId: string; cohortId: string }>();

  async function drop(where: Where, localDate: string, index: number, postedAt: string) {
    const lesson = lessons[index];
    if (!lesson) throw new Error(`no lesson ${index}`);
    const ids = await createPostedDrop(engine.app, {
      channelExternalId: where.channel as string,
      localDate,
      trackId: 'docker',
      lesson,
      postedAt,
    });
    posted.set(`${where.workspace}/${localDate}`, [...ids.values()]);
  }

  /** Answers the drop of `localDate`: member i gets question q right when (i + q) % 3 is not 0. */
  async function answerDrop(where: Where, localDate: string, who: readonly number[]) {
    const ids = posted.get(`${where.workspace}/${localDate}`) ?? [];
    await Promise.all(
      who.map(async (i) => {
        for (const [q, postedQuestionId] of ids.entries()) {
          const row = await engine.app.db.postedQuestion.findUniqueOrThrow({ where: { id: postedQuestionId } });
          const question = engine.app.services.curriculum.question('docker', row.questionId);
          if (!question) throw new Error(row.questionId);
          const right = (i + q) % 3 !== 0;
          const choice = right ? question.correctIndex : (question.correctIndex + 1) % question.options.length;
          await engine.click(person(i), encodeAction({ kind: 'answer', postedQuestionId, choice }), where);
        }
      }),
    );
  }

  const memberOf = async (where: Where, user: TestUser) =>
    (
      await engine.app.db.identity.findFirstOrThrow({
        where: { externalId: user.id, workspace: { externalId: where.workspace as string } },
      })
    ).memberId;

  /** The board of `where`'s cohort as the stores give it, with the caller `user`. */
  async function stored(where: Where, period: 'week' | 'all', user: TestUser): Promise<Leaderboard> {
    const scope = cohorts.get(where.workspace as string);
    if (!scope) throw new Error('no side');
    return engine.app.services.stores.social.leaderboard({
      ...scope,
      period,
      week: isoWeekOfInstant(engine.clock.now, zone),
      memberId: await memberOf(where, user),
      limit: 100,
    });
  }

  /** The same board computed from scratch: member ids in rank order with their points. */
  async function fromScratch(where: Where, period: 'week' | 'all') {
    const scope = cohorts.get(where.workspace as string);
    if (!scope) throw new Error('no side');
    const full = { ...scope, period, week: isoWeekOfInstant(engine.clock.now, zone) };
    const yardsticks = await boardYardsticks(engine.app.db, full);
    const rows = await engine.app.db.$queryRaw<{ memberId: string; score: number }[]>`${rankedBoardSql(
      full,
      yardsticks,
    )} SELECT "memberId", "score" FROM ranked ${boardOrder}`;
    return rows.map((row) => ({ memberId: row.memberId, points: Math.round(Number(row.score)) }));
  }

  /** How many rows of `where`'s boards are stale against their current yardsticks. */
  async function staleNow(where: Where): Promise<{ week: number; all: number }> {
    const scope = cohorts.get(where.workspace as string);
    if (!scope) throw new Error('no side');
    const count = async (period: 'week' | 'all') => {
      const full = { ...scope, period, week: isoWeekOfInstant(engine.clock.now, zone) };
      return staleRows(engine.app.db, full, await boardYardsticks(engine.app.db, full), 100_000);
    };
    return { week: await count('week'), all: await count('all') };
  }

  const socialStore = () => engine.app.services.stores.social as PrismaSocialStore;

  /** Both boards of `where` agree with the ones computed from scratch, for a caller at the top and one further down. */
  async function expectBoardsRight(where: Where, step: string, callers: readonly TestUser[] = [person(0), person(5)]) {
    for (const period of ['week', 'all'] as const) {
      const expected = await fromScratch(where, period);
      const board = await stored(where, period, callers[0] as TestUser);
      expect(
        board.top.map((entry) => ({ memberId: entry.memberId, points: entry.points })),
        `${step}: ${period}`,
      ).toEqual(expected.slice(0, 100));
      expect(board.total, `${step}: ${period} total`).toBe(expected.length);
      for (const user of callers) {
        const mine = await stored(where, period, user);
        const memberId = await memberOf(where, user);
        const place = expected.findIndex((row) => row.memberId === memberId);
        expect(mine.me?.rank ?? null, `${step}: ${period} rank of ${user.name}`).toBe(place === -1 ? null : place + 1);
      }
    }
  }

  beforeEach(async () => {
    engine = await createTestEngine(kind, { now: new Date('2026-11-30T15:00:00Z') });
    lessons = engine.app.services.curriculum.track('docker')?.lessons ?? [];
    posted.clear();
    cohorts.clear();
    cohorts.set('T-SLACK', await createSide(engine.app, slack, 'ops'));
    cohorts.set('G-DISCORD', await createSide(engine.app, discord, 'ops-discord'));
  });
  afterEach(() => engine.close());

  it('GIVEN answers, a new drop, visibility, leaving and rejoining, linking and unlinking THEN each board equals the one computed from scratch', async () => {
    const { social } = engine.app.services.stores;
    const ops = cohorts.get('T-SLACK')?.cohortId as string;
    await drop(slack, '2026-11-30', 0, '2026-11-30T12:00:00Z');
    await answerDrop(slack, '2026-11-30', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await expectBoardsRight(slack, 'first drop answered');

    // A second drop moves the yardsticks: every row is scored again at the next read; then answers on fresh rows.
    engine.clock.now = new Date('2026-12-01T15:00:00Z');
    await drop(slack, '2026-12-01', 1, '2026-12-01T12:00:00Z');
    await expectBoardsRight(slack, 'second drop posted');
    await answerDrop(slack, '2026-12-01', [0, 2, 4, 10]);
    await expectBoardsRight(slack, 'second drop answered');

    const m1 = await memberOf(slack, person(1));
    const m2 = await memberOf(slack, person(2));
    await social.setBoardVisibility(m1, 'hidden');
    await social.setBoardVisibility(m2, 'anonymous');
    await expectBoardsRight(slack, 'one hidden, one anonymous');
    expect((await stored(slack, 'week', person(1))).me).toBeNull();
    await social.setBoardVisibility(m1, 'shown');
    await expectBoardsRight(slack, 'shown again');

    const m3 = await memberOf(slack, person(3));
    expect(await social.leaveCohort(ops, m3)).toBe('left');
    await expectBoardsRight(slack, 'left the cohort');
    expect((await stored(slack, 'all', person(3))).me).toBeNull();
    expect(await social.joinCohort(ops, m3)).toBe('joined');
    await expectBoardsRight(slack, 'back in the cohort');
    expect((await stored(slack, 'all', person(3))).me).not.toBeNull();

    // Pessoa 4 links a Discord account that answered there too; then unlinks it.
    await drop(discord, '2026-12-01', 0, '2026-12-01T12:00:00Z');
    await answerDrop(discord, '2026-12-01', [4, 11]);
    const code = /\*([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\*/.exec(
      textOf(await engine.say(person(4), 'vincular', slack)),
    );
    expect(code?.[1]).toBeTruthy();
    expect(textOf(await engine.say(person(4), `vincular ${code?.[1]}`, discord))).toMatch(/contas ligadas/);
    await expectBoardsRight(slack, 'linked');
    await expectBoardsRight(discord, 'linked (Discord)', [person(4), person(11)]);
    expect(textOf(await engine.say(person(4), 'desvincular', discord))).toMatch(/foi desligada/);
    await expectBoardsRight(slack, 'unlinked');
    await expectBoardsRight(discord, 'unlinked (Discord)', [person(4), person(11)]);
  });

  it('GIVEN 1,200 members scored at once THEN the boards read right, and PostgreSQL vacuums after the rescoring', async () => {
    const { db } = engine.app;
    const side = cohorts.get('T-SLACK');
    if (!side) throw new Error('no side');
    const week = isoWeekOfInstant(engine.clock.now, zone);
    await seedBulk(db, side, week, 1_200, (i) => ({
      answered: 3 + (i % 5),
      firstTries: 3,
      firstTryCorrect: i % 4,
      xp: 10 * (i % 7),
      activeDays: 1 + (i % 3),
    }));
    const bulk = { id: 'bulk-0600', name: 'bulk-0600' };
    await db.identity.updateMany({ where: { memberId: 'bulk-0600' }, data: { externalId: bulk.id } });

    // Every row is stale (never scored). Part rescored, part stale: the board computed over them is the board.
    for (const period of ['week', 'all'] as const) {
      const scope = { ...side, period, week };
      const yardsticks = await boardYardsticks(db, scope);
      expect(await staleRows(db, scope, yardsticks, 5_000), period).toBe(1_200);
      await rescoreChunk(db, kind, scope, yardsticks, { max: 500, now: engine.clock.now });
      expect(await staleRows(db, scope, yardsticks, 5_000), period).toBe(700);
      const expected = await fromScratch(slack, period);
      const board = await readBoardScoring(db, scope, yardsticks, 'bulk-0600', 100);
      expect(
        board.top.map((line) => ({ memberId: line.memberId, points: Math.round(line.score) })),
        period,
      ).toEqual(expected.slice(0, 100));
      expect(board.total, period).toBe(expected.length);
      expect(board.me?.rank, period).toBe(expected.findIndex((row) => row.memberId === 'bulk-0600') + 1);
    }

    // A read finds 700 stale rows: it reads the board computed and leaves them to the background rescoring.
    await expectBoardsRight(slack, 'bulk', [bulk]);
    await socialStore().boardsSettled();
    expect(await staleNow(slack)).toEqual({ week: 0, all: 0 });
    await expectBoardsRight(slack, 'bulk, rescored', [bulk]);
    // A drop: every row stale again, rescored in the background in one pass, which then vacuums on PostgreSQL.
    await drop(slack, '2026-11-30', 0, '2026-11-30T12:00:00Z');
    await expectBoardsRight(slack, 'bulk, a drop', [bulk]);
    await socialStore().boardsSettled();
    if (kind === 'postgresql') {
      const [row] = await db.$queryRaw<{ vacuumed: Date | null }[]>`
        SELECT last_vacuum AS "vacuumed" FROM pg_stat_user_tables WHERE relname = 'WeeklyScore'`;
      expect(row?.vacuumed).toBeTruthy();
    }
  });

  it('GIVEN two processes rescoring the same boards after a drop while members answer THEN the boards end right, every row fresh', async () => {
    const { db } = engine.app;
    const side = cohorts.get('T-SLACK');
    if (!side) throw new Error('no side');
    const week = isoWeekOfInstant(engine.clock.now, zone);
    const counts = (i: number) => ({
      answered: 2 + (i % 4),
      firstTries: 2,
      firstTryCorrect: i % 3,
      xp: 10 * (i % 5),
      activeDays: 1,
    });
    const ids = await seedBulk(db, side, week, 900, counts);
    await expectBoardsRight(slack, 'seeded', [{ id: 'bulk-0450', name: 'bulk-0450' }]);
    await socialStore().boardsSettled();

    // The drop moves both boards' yardsticks; two rescorers (two processes' worth) and answers at the same time.
    await drop(slack, '2026-11-30', 0, '2026-11-30T12:00:00Z');
    const rescorers = [new BoardRescorer(db, kind), new BoardRescorer(db, kind)];
    const boards: PeriodScope[] = [
      { cohortId: side.cohortId, period: 'week', week },
      { cohortId: side.cohortId, period: 'all', week },
    ];
    for (const rescorer of rescorers) for (const board of boards) rescorer.rescore(board);
    const ids0 = posted.get('T-SLACK/2026-11-30') ?? [];
    const answering = ids.filter((_, i) => i % 30 === 0);
    await Promise.all([
      ...answering.map(async (id, i) => {
        for (const [q, postedQuestionId] of ids0.entries()) {
          const row = await db.postedQuestion.findUniqueOrThrow({ where: { id: postedQuestionId } });
          const question = engine.app.services.curriculum.question('docker', row.questionId);
          if (!question) throw new Error(row.questionId);
          const choice =
            (i + q) % 2 === 0 ? question.correctIndex : (question.correctIndex + 1) % question.options.length;
          await engine.click({ id, name: id }, encodeAction({ kind: 'answer', postedQuestionId, choice }), slack);
        }
      }),
      ...rescorers.map((rescorer) => rescorer.settled()),
    ]);
    for (const rescorer of rescorers) await rescorer.settled();
    expect(await staleNow(slack)).toEqual({ week: 0, all: 0 });
    await expectBoardsRight(slack, 'rescored twice', [
      { id: 'bulk-0450', name: 'bulk-0450' },
      { id: 'bulk-0030', name: 'bulk-0030' },
    ]);
    const stats = await db.memberStats.aggregate({ _sum: { answered: true } });
    const seeded = ids.reduce((sum, _, i) => sum + counts(i).answered, 0);
    expect(stats._sum.answered).toBe(seeded + answering.length * ids0.length);
  });

  it('GIVEN a drop posted by the scheduler THEN its boards are rescored in the background, before anyone reads them', async () => {
    await drop(slack, '2026-11-30', 0, '2026-11-30T12:00:00Z');
    await answerDrop(slack, '2026-11-30', [0, 1, 2, 3, 4, 5]);
    await expectBoardsRight(slack, 'first drop');
    expect(await staleNow(slack)).toEqual({ week: 0, all: 0 });

    const sent: PostTarget[] = [];
    const notifier: Notifier = {
      async post(target: PostTarget, _message: Message): Promise<PostRef> {
        sent.push(target);
        return { postRef: `p${sent.length}`, threadRef: target.threadOf ?? `t${sent.length}` };
      },
      async direct(): Promise<PostRef> {
        return { postRef: 'dm', threadRef: 'dm' };
      },
    };
    const scheduler = new DropScheduler({
      services: engine.app.services,
      notifier,
      logger: silentLogger(),
      owner: 'boards-test',
      platform: 'slack',
    });
    engine.clock.now = new Date('2026-12-01T15:00:00Z');
    expect((await scheduler.tick(new Date('2026-12-01T12:00:30Z'))).posted).toBe(1);
    await socialStore().boardsSettled();
    // Nobody read a board since: the rows were rescored against the new yardsticks by the post's background work.
    expect(await staleNow(slack)).toEqual({ week: 0, all: 0 });
    await expectBoardsRight(slack, 'second drop posted by the scheduler');
  });

  it('GIVEN answers arriving while boards are read right after a drop THEN every answer counts once and the boards end right', async () => {
    await drop(slack, '2026-11-30', 0, '2026-11-30T12:00:00Z');
    await answerDrop(slack, '2026-11-30', [0, 1, 2, 3]);
    await expectBoardsRight(slack, 'before', [person(0), person(3)]);
    engine.clock.now = new Date('2026-12-01T15:00:00Z');
    await drop(slack, '2026-12-01', 1, '2026-12-01T12:00:00Z');
    // The first reads after the drop re-score every row while the answers of the new drop are being written.
    await Promise.all([
      answerDrop(
        slack,
        '2026-12-01',
        people.map((_, i) => i),
      ),
      ...Array.from({ length: 6 }, (_, i) => stored(slack, i % 2 === 0 ? 'week' : 'all', person(i % 4))),
    ]);
    await expectBoardsRight(slack, 'after');
    const stats = await engine.app.db.memberStats.aggregate({ _sum: { answered: true } });
    const attempts = await engine.app.db.attempt.count({ where: { scored: true } });
    expect(stats._sum.answered).toBe(attempts);
  });
});

/**
 * `count` Slack members `bulk-0000`… in the side's cohort, with stats and this week's row from `counts(i)` (written
 * straight to the tables, never scored: every board row starts stale). Returns their member ids.
 */
async function seedBulk(
  db: TestEngine['app']['db'],
  side: { workspaceId: string; cohortId: string },
  week: string,
  count: number,
  counts: (i: number) => {
    answered: number;
    firstTries: number;
    firstTryCorrect: number;
    xp: number;
    activeDays: number;
  },
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
  await db.member.createMany({ data: ids.map((id) => ({ id, displayName: id })) });
  await db.identity.createMany({
    data: ids.map((id) => ({
      memberId: id,
      workspaceId: side.workspaceId,
      platform: 'slack' as const,
      externalId: id,
    })),
  });
  await db.cohortMember.createMany({ data: ids.map((memberId) => ({ cohortId: side.cohortId, memberId })) });
  await db.memberStats.createMany({
    data: ids.map((memberId, i) => {
      const { activeDays: _days, ...stats } = counts(i);
      return { memberId, ...stats };
    }),
  });
  await db.weeklyScore.createMany({
    data: ids.map((memberId, i) => ({ cohortId: side.cohortId, week, memberId, ...counts(i) })),
  });
  return ids;
}
