/**
 * The boards read stored standings (src/db/board-standings.ts): every WeeklyScore and CohortMember row keeps its fair
 * score, the yardsticks it was scored against and whether it is ranked. Here, on both databases, each thing that can
 * change a board (answers, a drop posted, the visibility setting, leaving and rejoining a cohort, linking and
 * unlinking accounts, answers arriving while boards are read) is followed by a check of the week's and the all-time
 * board against the board computed from scratch (`rankedBoardSql`: the period's rows joined to what decides who is
 * ranked, scored with the same formula).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/action-id.ts';
import { isoWeekOfInstant } from '../../src/core/calendar.ts';
import type { Lesson } from '../../src/core/curriculum.ts';
import type { Leaderboard } from '../../src/core/ports/social.port.ts';
import { boardOrder, boardYardsticks, rankedBoardSql } from '../../src/db/ranking-sql.ts';
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
    const ids = Array.from({ length: 1_200 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
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
    const counts = (i: number) => ({ answered: 3 + (i % 5), firstTries: 3, firstTryCorrect: i % 4, xp: 10 * (i % 7) });
    await db.memberStats.createMany({ data: ids.map((memberId, i) => ({ memberId, ...counts(i) })) });
    await db.weeklyScore.createMany({
      data: ids.map((memberId, i) => ({
        cohortId: side.cohortId,
        week,
        memberId,
        ...counts(i),
        activeDays: 1 + (i % 3),
      })),
    });
    const bulk = { id: 'bulk-0600', name: 'bulk-0600' };
    await db.identity.updateMany({ where: { memberId: 'bulk-0600' }, data: { externalId: bulk.id } });
    await expectBoardsRight(slack, 'bulk', [bulk]);
    if (kind === 'postgresql') {
      const [row] = await db.$queryRaw<{ vacuumed: Date | null }[]>`
        SELECT last_vacuum AS "vacuumed" FROM pg_stat_user_tables WHERE relname = 'WeeklyScore'`;
      expect(row?.vacuumed).toBeTruthy();
    }
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
