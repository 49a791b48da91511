/**
 * The boards' SQL. A board is read from its stored standings (src/db/board-standings.ts: the fair score of
 * src/core/ranking.ts kept on every WeeklyScore and CohortMember row, docs/ranking.md "Stored scores"): `readBoard`
 * takes the top lines in rank order from the board's index, the caller's own line, and the counts (size, averages, the
 * rows ahead of the caller) from the same index, so a board of 10,000 members reads a few index ranges.
 *
 * `rankedBoardSql` is the board computed from scratch: the period's rows joined to what decides who is ranked, scored
 * with the same formula. The season recap reads its counts with it (once a week), and the tests compare the stored
 * board with it. Its expression repeats `rankingScore`'s operations in the same order on IEEE doubles, as the stored
 * score does (`scoreSql`), so both orders and the points the commands compute agree. Every statement's text is the same
 * on SQLite and PostgreSQL (`CAST … AS DOUBLE PRECISION`, `CASE`, no LEAST/MIN).
 */
import { type IsoWeek, isoWeekBounds } from '../core/calendar.ts';
import type { RankingPeriod } from '../core/ranking.ts';
import { periodYardsticks } from '../core/ranking.ts';
import {
  currentListedSql,
  currentScoreSql,
  heldSql,
  lessHeld,
  type PeriodScope,
  periodRows,
  scoreSql,
} from './board-standings.ts';
import { Prisma } from './generated/sqlite/client.ts';
import type { Db } from './prisma-client.ts';

/** One ranked row as the board statements return it. */
export interface RankedRow {
  memberId: string;
  displayName: string;
  visibility: string;
  xp: number | bigint;
  answered: number | bigint;
  correct: number | bigint;
  firstTries: number | bigint;
  firstTryCorrect: number | bigint;
  reviews: number | bigint;
  reviewsKept: number | bigint;
  activeDays: number | bigint;
  score: number;
}

export interface BoardScope {
  readonly workspaceId: string;
  readonly cohortId: string;
  readonly period: 'week' | 'all';
  /** The ISO week (cohort's zone) of a weekly board; ignored for `all`. */
  readonly week: IsoWeek;
}

/**
 * `WITH board AS (…), ranked AS (…)`: the board computed from scratch: the members it ranks (in the cohort, with an
 * identity in the workspace, not hidden; for all time, with a scored answer) with their counts, display name,
 * visibility and `score`. Follow it with a SELECT over `ranked`. The stored standings' `listed` and `score` are
 * defined to agree with it (src/db/board-standings.ts).
 */
export function rankedBoardSql(scope: BoardScope, period: RankingPeriod): Prisma.Sql {
  const from =
    scope.period === 'week'
      ? Prisma.sql`FROM "WeeklyScore" score
          JOIN "Member" m ON m."id" = score."memberId"
          WHERE score."cohortId" = ${scope.cohortId} AND score."week" = ${scope.week}
            AND EXISTS (SELECT 1 FROM "CohortMember" cm
                        WHERE cm."cohortId" = score."cohortId" AND cm."memberId" = score."memberId")`
      : Prisma.sql`FROM "CohortMember" cm
          JOIN "MemberStats" score ON score."memberId" = cm."memberId"
          JOIN "Member" m ON m."id" = cm."memberId"
          WHERE cm."cohortId" = ${scope.cohortId} AND score."answered" > 0`;
  const activeDays = scope.period === 'week' ? Prisma.sql`score."activeDays"` : Prisma.sql`0`;
  const held = heldSql(
    Prisma.raw('board."memberId"'),
    Prisma.sql`${scope.cohortId}`,
    scope.period === 'week' ? isoWeekBounds(scope.week) : null,
  );
  const score = scoreSql(
    {
      // Questions answered: a week's rows count each question once a week; all time, the first tries.
      answers: scope.period === 'week' ? Prisma.sql`("answered" - "reviews")` : Prisma.sql`"firstTries"`,
      firstTries: Prisma.sql`"firstTries"`,
      firstTryCorrect: Prisma.sql`"firstTryCorrect"`,
      reviews: Prisma.sql`"reviews"`,
      reviewsKept: Prisma.sql`"reviewsKept"`,
      activeDays: Prisma.sql`"activeDays"`,
    },
    // A member's hold days are not drop days for them (docs/ranking.md "Holds").
    lessHeld(Prisma.sql`${Math.max(1, period.questions)}`, held.questions),
    period.days === null ? null : lessHeld(Prisma.sql`${Math.max(1, period.days)}`, held.days),
  );
  return Prisma.sql`WITH board AS (
      SELECT score."memberId" AS "memberId", m."displayName" AS "displayName", m."boardVisibility" AS "visibility",
        score."xp" AS "xp", score."answered" AS "answered", score."correct" AS "correct",
        score."firstTries" AS "firstTries", score."firstTryCorrect" AS "firstTryCorrect", score."reviews" AS "reviews",
        score."reviewsKept" AS "reviewsKept", ${activeDays} AS "activeDays"
      ${from}
        AND m."boardVisibility" <> ${'hidden'}
        AND EXISTS (SELECT 1 FROM "Cohort" c WHERE c."id" = ${scope.cohortId} AND c."workspaceId" = ${scope.workspaceId})
        AND EXISTS (SELECT 1 FROM "Identity" i
                    WHERE i."memberId" = score."memberId" AND i."workspaceId" = ${scope.workspaceId})
    ), ranked AS NOT MATERIALIZED (
      SELECT board.*, ${score} AS "score"
      FROM board
    )`;
}

/** The board's order: score, then XP, then the earlier member. */
export const boardOrder = Prisma.sql`ORDER BY "score" DESC, "xp" DESC, "memberId" ASC`;

/**
 * The period's yardsticks (`periodYardsticks`): questions and drop days the cohort's channels posted in the week
 * (drops of local dates from its Monday to its Sunday), or in all time (no day count); and, only for a cohort whose
 * channels posted nothing then, what its most active member did (one more pass over the period's rows).
 */
export async function boardYardsticks(db: Reader, scope: PeriodScope): Promise<RankingPeriod> {
  const week = scope.period === 'week' ? isoWeekBounds(scope.week) : null;
  const drops = Prisma.sql`FROM "Drop" d JOIN "Channel" ch ON ch."id" = d."channelId"
    WHERE ch."cohortId" = ${scope.cohortId} AND d."postedAt" IS NOT NULL
      ${week ? Prisma.sql`AND d."localDate" >= ${week.first} AND d."localDate" <= ${week.last}` : Prisma.empty}`;
  const [posted] = await db.$queryRaw<{ questions: Count; days: Count }[]>`
    SELECT (SELECT COUNT(*) FROM "PostedQuestion" pq WHERE pq."dropId" IN (SELECT d."id" ${drops})) AS "questions",
      (SELECT COUNT(DISTINCT d."localDate") ${drops}) AS "days"`;
  const postedQuestions = Number(posted?.questions ?? 0);
  const [most] =
    postedQuestions > 0
      ? []
      : await db.$queryRaw<{ answers: Count; days: Count }[]>`${
          scope.period === 'week'
            ? Prisma.sql`SELECT MAX(s."answered" - s."reviews") AS "answers", MAX(s."activeDays") AS "days"
                FROM "WeeklyScore" s WHERE s."cohortId" = ${scope.cohortId} AND s."week" = ${scope.week}`
            : // The members' answers from the all-time rows' copies (an index's end), and from MemberStats for the
              // rows marked to recompute, whose copies may be behind (the answer path keeps the others' current).
              Prisma.sql`SELECT MAX(most."answers") AS "answers", 0 AS "days" FROM (
                  SELECT MAX(cm."answers") AS "answers" FROM "CohortMember" cm WHERE cm."cohortId" = ${scope.cohortId}
                  UNION ALL
                  SELECT MAX(s."firstTries") AS "answers"
                  FROM "CohortMember" cm JOIN "MemberStats" s ON s."memberId" = cm."memberId"
                  WHERE cm."cohortId" = ${scope.cohortId} AND cm."scoreQuestions" = 0
                ) most`
        }`;
  return periodYardsticks({
    postedQuestions,
    dropDays: week ? Number(posted?.days ?? 0) : null,
    mostAnswers: Number(most?.answers ?? 0),
    mostActiveDays: Number(most?.days ?? 0),
  });
}

type Count = number | bigint | string | null;

/** What the board statements need of a client: the client itself or a transaction's. */
export type Reader = Pick<Db, '$queryRaw'>;

/** One line of a board as `readBoard` returns it. */
export interface BoardLine extends RankedRow {
  readonly rank: number;
}

export interface BoardRead {
  readonly top: BoardLine[];
  /** The caller's line, when they are ranked. */
  readonly me: BoardLine | null;
  /** Members ranked. */
  readonly total: number;
  /** The mean score and XP of the members ranked, and their pooled first tries; null when nobody is ranked. */
  readonly averageScore: number | null;
  readonly averageXp: number | null;
  readonly firstTries: number;
  readonly firstTryCorrect: number;
}

/**
 * Reads a board from its stored standings (its stale rows rescored first: src/db/board-standings.ts): the top `limit` lines in
 * rank order and the caller's line (the rows' own counts for a week; MemberStats' for all time), then the counts:
 * the members ranked, the sums, and the rows ahead of the caller (a higher score, or as high and more XP, or a full
 * tie and a smaller member id), each a range of the board's index.
 */
export async function readBoard(db: Reader, scope: BoardScope, memberId: string, limit: number): Promise<BoardRead> {
  const week = scope.period === 'week';
  const table = Prisma.raw(week ? '"WeeklyScore"' : '"CohortMember"');
  // A cohort of another workspace has no board here (one look-up, not a condition on every row).
  const owned = await db.$queryRaw<unknown[]>`SELECT 1 FROM "Cohort" c
    WHERE c."id" = ${scope.cohortId} AND c."workspaceId" = ${scope.workspaceId}`;
  if (owned.length === 0) return emptyBoard;
  const inPeriod = (alias: string) => {
    const a = Prisma.raw(alias);
    return Prisma.sql`${a}."cohortId" = ${scope.cohortId} ${week ? Prisma.sql`AND ${a}."week" = ${scope.week}` : Prisma.empty}`;
  };
  /** The period's ranked rows: a range of the board's index. */
  const ranked = (alias: string) => Prisma.sql`${inPeriod(alias)} AND ${Prisma.raw(alias)}."listed" = TRUE`;
  const counts = (alias: string) =>
    week
      ? Prisma.raw(
          `${alias}."xp", ${alias}."answered", ${alias}."correct", ${alias}."firstTries", ${alias}."firstTryCorrect", ${alias}."reviews", ${alias}."reviewsKept", ${alias}."activeDays"`,
        )
      : Prisma.raw(
          `s."xp", s."answered", s."correct", s."firstTries", s."firstTryCorrect", s."reviews", s."reviewsKept", 0 AS "activeDays"`,
        );
  const line = (from: Prisma.Sql, alias: string) => {
    const a = Prisma.raw(alias);
    return Prisma.sql`${a}."memberId", m."displayName" AS "displayName", m."boardVisibility" AS "visibility",
        ${counts(alias)}, ${a}."score", ${a}."listed"
      FROM ${from} JOIN "Member" m ON m."id" = ${a}."memberId"
      ${week ? Prisma.empty : Prisma.sql`JOIN "MemberStats" s ON s."memberId" = ${a}."memberId"`}`;
  };
  const weekCounts = Prisma.raw(
    ', t."answered", t."correct", t."firstTries", t."firstTryCorrect", t."reviews", t."reviewsKept", t."activeDays"',
  );
  // The caller's row by its primary key alone (whether it is ranked is read, not filtered, so no planner is tempted
  // to look for it along the board's index).
  const [mine] = await db.$queryRaw<(RankedRow & { listed: boolean | number })[]>`SELECT ${line(
    Prisma.sql`${table} me`,
    'me',
  )} WHERE ${inPeriod('me')} AND me."memberId" = ${memberId}`;
  const meRanked = mine !== undefined && (mine.listed === true || Number(mine.listed) === 1);
  const top = await db.$queryRaw<(RankedRow & { place: Count })[]>`
    WITH top AS (
      SELECT t."memberId", t."score", t."xp", t."listed" ${week ? weekCounts : Prisma.empty}
      FROM ${table} t WHERE ${ranked('t')} ORDER BY t."score" DESC, t."xp" DESC, t."memberId" ASC LIMIT ${limit}
    )
    SELECT ROW_NUMBER() OVER (ORDER BY top."score" DESC, top."xp" DESC, top."memberId" ASC) AS "place",
      ${line(Prisma.raw('top'), 'top')}`;
  // The rows ahead of the caller, from the caller's own score and XP: three ranges of the board's index.
  const ahead = (condition: Prisma.Sql) =>
    Prisma.sql`(SELECT COUNT(*) FROM ${table} a WHERE ${ranked('a')} AND ${condition})`;
  const aheadSql =
    meRanked && mine
      ? (() => {
          // The caller's score goes back as the same double it came as (both drivers read and bind 64-bit doubles).
          const score = Prisma.sql`CAST(${Number(mine.score)} AS DOUBLE PRECISION)`;
          const xp = Number(mine.xp);
          return Prisma.sql`${ahead(Prisma.sql`a."score" > ${score}`)}
            + ${ahead(Prisma.sql`a."score" = ${score} AND a."xp" > ${xp}`)}
            + ${ahead(Prisma.sql`a."score" = ${score} AND a."xp" = ${xp} AND a."memberId" < ${memberId}`)}`;
        })()
      : Prisma.sql`0`;
  const [totals] = await db.$queryRaw<
    {
      total: Count;
      averageScore: Count;
      averageXp: Count;
      firstTries: Count;
      firstTryCorrect: Count;
      ahead: Count;
    }[]
  >`SELECT COUNT(*) AS "total", AVG(r."score") AS "averageScore", AVG(CAST(r."xp" AS DOUBLE PRECISION)) AS "averageXp",
      SUM(r."firstTries") AS "firstTries", SUM(r."firstTryCorrect") AS "firstTryCorrect", ${aheadSql} AS "ahead"
    FROM ${table} r WHERE ${ranked('r')}`;
  const total = Number(totals?.total ?? 0);
  return {
    top: [...top].sort((a, b) => Number(a.place) - Number(b.place)).map((row) => ({ ...row, rank: Number(row.place) })),
    me: meRanked && mine ? { ...mine, rank: Number(totals?.ahead ?? 0) + 1 } : null,
    total,
    averageScore: total > 0 ? Number(totals?.averageScore) : null,
    averageXp: total > 0 ? Number(totals?.averageXp) : null,
    firstTries: Number(totals?.firstTries ?? 0),
    firstTryCorrect: Number(totals?.firstTryCorrect ?? 0),
  };
}

/**
 * The board read while many of its rows are stale (a drop was just posted and its rescoring, src/db/board-rescorer.ts,
 * is still running): one statement over the period's rows, each with its stored score and listing when fresh and
 * computed (`currentScoreSql`, as the rescoring will store it) when stale, ranked by a window in the board's order; it
 * gives the board `readBoard` reads once the rows are rescored, and writes nothing. A stale row keeps its stored
 * `listed` unless it is marked to recompute (0): whatever changes whether a member is ranked marks their rows so
 * (src/db/board-standings.ts), so a row only moved past by a drop is listed as it was. All time, the counts are the
 * members' MemberStats, which the rows of fresh standings copy.
 */
export async function readBoardScoring(
  db: Reader,
  scope: BoardScope,
  period: RankingPeriod,
  memberId: string,
  limit: number,
): Promise<BoardRead> {
  const owned = await db.$queryRaw<unknown[]>`SELECT 1 FROM "Cohort" c
    WHERE c."id" = ${scope.cohortId} AND c."workspaceId" = ${scope.workspaceId}`;
  if (owned.length === 0) return emptyBoard;
  const week = scope.period === 'week';
  const table = week ? 'WeeklyScore' : 'CohortMember';
  const t = (name: string) => Prisma.raw(`"${table}"."${name}"`);
  const { inPeriod, fresh } = periodRows(scope, period);
  const count = (name: string) => Prisma.raw(`COALESCE(s."${name}", 0) AS "${name}"`);
  const counts = week
    ? Prisma.join(
        ['xp', 'answered', 'correct', 'firstTries', 'firstTryCorrect', 'reviews', 'reviewsKept', 'activeDays'].map(
          (name) => Prisma.sql`${t(name)} AS ${Prisma.raw(`"${name}"`)}`,
        ),
      )
    : Prisma.sql`${Prisma.join(
        ['xp', 'answered', 'correct', 'firstTries', 'firstTryCorrect', 'reviews', 'reviewsKept'].map(count),
      )}, 0 AS "activeDays"`;
  // The ranked rows scored once (materialized), then three light passes: the top lines (a top-N sort), the caller's
  // line and the rows ahead of it, and the sums. One row per line, each carrying the totals (one row of totals, with
  // no line, when no line is picked).
  const rows = await db.$queryRaw<
    (Partial<RankedRow> & {
      total: Count;
      averageScore: Count;
      averageXp: Count;
      sumFirstTries: Count;
      sumFirstTryCorrect: Count;
      ahead: Count;
    })[]
  >`WITH cur AS MATERIALIZED (
      SELECT ${t('memberId')} AS "memberId", ${counts},
        CASE WHEN ${fresh} THEN ${t('score')}
          ELSE ${currentScoreSql(scope, period, Prisma.sql`holders."memberId" IS NOT NULL`)} END AS "score"
      FROM ${Prisma.raw(`"${table}"`)}
        ${week ? Prisma.empty : Prisma.sql`LEFT JOIN "MemberStats" s ON s."memberId" = "CohortMember"."memberId"`}
        LEFT JOIN (SELECT DISTINCT h."memberId" FROM "Hold" h) holders ON holders."memberId" = ${t('memberId')}
      WHERE ${inPeriod} AND (CASE WHEN ${fresh} OR ${t('scoreQuestions')} <> 0 THEN ${t('listed')}
        ELSE ${currentListedSql(scope)} END) = TRUE
    ), mine AS (
      SELECT cur."score", cur."xp", cur."memberId" FROM cur WHERE cur."memberId" = ${memberId}
    ), totals AS (
      SELECT COUNT(*) AS "total", AVG(cur."score") AS "averageScore",
        AVG(CAST(cur."xp" AS DOUBLE PRECISION)) AS "averageXp",
        SUM(cur."firstTries") AS "sumFirstTries", SUM(cur."firstTryCorrect") AS "sumFirstTryCorrect",
        (SELECT COUNT(*) FROM cur a JOIN mine ON a."score" > mine."score"
          OR (a."score" = mine."score" AND (a."xp" > mine."xp" OR (a."xp" = mine."xp" AND a."memberId" < mine."memberId"))))
          AS "ahead"
      FROM cur
    ), picked AS (
      SELECT top.*, ROW_NUMBER() OVER (ORDER BY top."score" DESC, top."xp" DESC, top."memberId" ASC) AS "place"
      FROM (SELECT cur.* FROM cur ORDER BY cur."score" DESC, cur."xp" DESC, cur."memberId" ASC LIMIT ${limit}) top
      UNION ALL
      SELECT cur.*, NULL AS "place" FROM cur WHERE cur."memberId" = ${memberId}
    )
    SELECT picked.*, m."displayName" AS "displayName", m."boardVisibility" AS "visibility", totals.*
    FROM totals LEFT JOIN picked ON 1 = 1 LEFT JOIN "Member" m ON m."id" = picked."memberId"`;
  const first = rows[0];
  const total = Number(first?.total ?? 0);
  if (!first || total === 0) return emptyBoard;
  const lines = rows
    .filter((row) => typeof row.memberId === 'string')
    .map(
      ({ total: _t, averageScore: _s, averageXp: _x, sumFirstTries: _f, sumFirstTryCorrect: _c, ahead, ...row }) => ({
        ...(row as RankedRow & { place: Count }),
        score: Number(row.score),
      }),
    );
  const top = lines
    .filter((line) => line.place !== null)
    .map(({ place, ...line }) => ({ ...line, rank: Number(place) }))
    .sort((a, b) => a.rank - b.rank);
  const mine = lines.find((line) => line.memberId === memberId);
  return {
    top,
    me: mine ? { ...mine, rank: Number(first.ahead) + 1 } : null,
    total,
    averageScore: Number(first.averageScore),
    averageXp: Number(first.averageXp),
    firstTries: Number(first.sumFirstTries ?? 0),
    firstTryCorrect: Number(first.sumFirstTryCorrect ?? 0),
  };
}

const emptyBoard: BoardRead = {
  top: [],
  me: null,
  total: 0,
  averageScore: null,
  averageXp: null,
  firstTries: 0,
  firstTryCorrect: 0,
};
