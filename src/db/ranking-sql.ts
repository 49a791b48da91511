/**
 * The fair ranking score (src/core/ranking.ts, docs/ranking.md) in SQL, so a board of 10,000 members is sorted by the
 * database and only its top lines and a few counts cross the wire. The score cannot be indexed (it depends on the
 * period's yardsticks), so each board reads the cohort's rows of the period once: the WeeklyScore primary key
 * (cohortId, week, memberId) for a week, CohortMember's (cohortId, memberId) and MemberStats' for all time.
 *
 * The expression repeats `rankingScore`'s operations in the same order on IEEE doubles (every operand cast to
 * DOUBLE PRECISION: SQLite's REAL and PostgreSQL's float8 are both 64-bit doubles, and each SQL operator is one
 * rounded operation), so the database's order and the points the commands compute from the same counts agree. The
 * statement text is the same on SQLite and PostgreSQL (`CAST … AS DOUBLE PRECISION`, `CASE`, no LEAST/MIN).
 */
import { type IsoWeek, isoWeekBounds } from '../core/calendar.ts';
import type { RankingPeriod } from '../core/ranking.ts';
import { periodYardsticks, RANKING_PRIOR_RIGHT, RANKING_PRIOR_TOTAL, RANKING_WEIGHTS } from '../core/ranking.ts';
import { Prisma } from './generated/sqlite/client.ts';
import type { Db } from './prisma-client.ts';
import type { DatabaseKind } from './schema-files.ts';

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

const real = (value: Prisma.Sql | number) => Prisma.sql`CAST(${value} AS DOUBLE PRECISION)`;
const literal = (value: number) => Prisma.raw(`CAST(${value} AS DOUBLE PRECISION)`);
/** `(right + 2) / (total + 4)` as `plusFour`. */
const plusFour = (right: string, total: string) =>
  Prisma.sql`CAST("${Prisma.raw(right)}" + ${Prisma.raw(String(RANKING_PRIOR_RIGHT))} AS DOUBLE PRECISION) / CAST("${Prisma.raw(
    total,
  )}" + ${Prisma.raw(String(RANKING_PRIOR_TOTAL))} AS DOUBLE PRECISION)`;
/** `diminishingShare(part, whole)`: whole numbers compared, then part × (2 × whole − part) / whole². */
const diminishingShare = (part: Prisma.Sql, whole: number) =>
  Prisma.sql`CASE WHEN ${part} >= ${whole} THEN ${literal(1)} WHEN ${part} <= 0 THEN ${literal(0)}
    ELSE CAST(${part} * (${2 * whole} - ${part}) AS DOUBLE PRECISION) / ${real(whole * whole)} END`;

/**
 * `WITH board AS (…), ranked AS (…)`: the members the board ranks (in the cohort, with an identity in the workspace,
 * not hidden) with their counts, display name, visibility and `score`. Follow it with a SELECT over `ranked`; a
 * statement that reads it several times materializes it once itself (`readBoard` in social.repo.ts), as `ranked` is
 * NOT MATERIALIZED so that a look-up of one member's line stays a look-up.
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
          WHERE cm."cohortId" = ${scope.cohortId}`;
  const activeDays = scope.period === 'week' ? Prisma.sql`score."activeDays"` : Prisma.sql`0`;
  const covered = diminishingShare(Prisma.sql`("answered" - "reviews")`, Math.max(1, period.questions));
  const regular = period.days === null ? covered : diminishingShare(Prisma.sql`"activeDays"`, Math.max(1, period.days));
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
      SELECT board.*,
        ${literal(RANKING_WEIGHTS.accuracy)} * (${plusFour('firstTryCorrect', 'firstTries')})
          + ${literal(RANKING_WEIGHTS.retention)} * (${plusFour('reviewsKept', 'reviews')})
          + ${literal(RANKING_WEIGHTS.coverage)} * (${covered})
          + ${literal(RANKING_WEIGHTS.regularity)} * (${regular}) AS "score"
      FROM board
    )`;
}

/** The board's order: score, then XP, then the earlier member (`ORDER BY` of `ranked`). */
export const boardOrder = Prisma.sql`ORDER BY "score" DESC, "xp" DESC, "memberId" ASC`;

/**
 * The period's yardsticks (`periodYardsticks`): questions and drop days the cohort's channels posted in the week
 * (drops of local dates from its Monday to its Sunday), or in all time (no day count); and, only for a cohort whose
 * channels posted nothing then, what its most active member did (one more pass over the period's rows).
 */
export async function boardYardsticks(db: Reader, scope: BoardScope): Promise<RankingPeriod> {
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
            : Prisma.sql`SELECT MAX(s."answered" - s."reviews") AS "answers", 0 AS "days"
                FROM "CohortMember" cm JOIN "MemberStats" s ON s."memberId" = cm."memberId"
                WHERE cm."cohortId" = ${scope.cohortId}`
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

/**
 * Runs a board's statements. On PostgreSQL they run in one transaction with parallel query off: the board's plan
 * (sort the period's rows, then probe the few it shows) costs a few milliseconds of work, and PostgreSQL's estimate
 * for 10,000 rows is just high enough to start a parallel worker, whose start-up alone cost more than the whole
 * query on a busy 2-core machine (measured: 18 ms of sorting inside 137 ms). SQLite has no such setting.
 */
export function boardReads<T>(db: Db, kind: DatabaseKind, work: (reader: Reader) => Promise<T>): Promise<T> {
  if (kind !== 'postgresql') return work(db);
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SET LOCAL max_parallel_workers_per_gather = 0');
    return work(tx);
  });
}
