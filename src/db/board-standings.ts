/**
 * Stored board standings: the fair score (src/core/ranking.ts, docs/ranking.md "Stored scores") kept on every
 * WeeklyScore row (a week's board) and CohortMember row (the all-time board), with the yardsticks it was computed
 * against and whether the row is ranked (`listed`), so a board is read from one index in rank order (its top lines,
 * the caller's rank and the sums) instead of scoring every row of the period at each read.
 *
 * The score depends on the period's yardsticks (questions posted, drop days), which change when a drop is posted, so a
 * row is *fresh* when its `scoreQuestions`/`scoreDays` equal the period's yardsticks and *stale* otherwise; 0 marks a
 * row to recompute whatever the yardsticks (new rows, and rows whose listing may have changed). Who writes what:
 * - The answer path keeps each row's score right for its own yardsticks: the weekly upsert scores the new counters
 *   against the row's `scoreQuestions`/`scoreDays` (`weeklyScoreUpdate`), and `syncAllTime` copies the members'
 *   MemberStats counts into their CohortMember rows and scores them against each row's `scoreQuestions`.
 * - What changes whether a member is ranked (joining or leaving a cohort, the visibility setting, linking and
 *   unlinking accounts, setting or cancelling a hold) takes the member's lock (`lockMembers`) and marks the member's
 *   rows stale (`invalidate`). A member who joins a cohort through the answer path has their weeks there counted
 *   again from their attempts (`rebuildWeeks`): a first try counts in the week it happened, whatever the context.
 * - A member with a hold has yardsticks of their own: the drop days inside the hold and their questions are left out
 *   (`heldSql`, `lessHeld`). The answer path leaves such a member's rows to the board read, which scores them so.
 * - Stale rows are rescored a chunk at a time (`rescoreChunk`): by a board read that finds a few (members marked to
 *   recompute), and after a drop, when every row of its boards is stale, in the background (src/db/board-rescorer.ts);
 *   a read that finds many reads the board computed over them meanwhile (`readBoardScoring`, src/db/ranking-sql.ts,
 *   scoring them with `currentScoreSql`, the expression the rescoring stores).
 *
 * Concurrency (PostgreSQL, READ COMMITTED): every writer of these rows holds the member's MemberStats row lock, taken
 * first and in member order, as the answer path does (src/db/answer-batch.ts). A chunk takes its board's advisory lock
 * (two processes rescoring one board take turns), picks its stale rows, then share-locks their members' stats rows the
 * same way before its UPDATE, so the UPDATE's snapshot already holds whatever a concurrent answer or ranking change of
 * those members committed, and none can commit under it. A row that turns stale after the lock (its member not
 * locked) was either committed before the UPDATE's snapshot (seen whole) or is not yet stale in it (left for later).
 * SQLite runs one write at a time.
 */
import { type IsoWeek, isoWeekBounds, isoWeekOfInstant, localDateOf } from '../core/calendar.ts';
import type { RankingPeriod } from '../core/ranking.ts';
import { RANKING_PRIOR_RIGHT, RANKING_PRIOR_TOTAL, RANKING_WEIGHTS, weeklyCounts } from '../core/ranking.ts';
import { Prisma } from './generated/sqlite/client.ts';
import type { Db } from './prisma-client.ts';
import type { DatabaseKind } from './schema-files.ts';

/** What the statements here need: a client or a transaction's. */
export type Writer = Pick<Db, '$executeRaw' | '$queryRaw'>;

/** The counts the score reads, as SQL expressions over whatever row the statement scores. */
export interface ScoreTerms {
  /** Answers that are not reviews (coverage). */
  readonly answers: Prisma.Sql;
  readonly firstTries: Prisma.Sql;
  readonly firstTryCorrect: Prisma.Sql;
  readonly reviews: Prisma.Sql;
  readonly reviewsKept: Prisma.Sql;
  /** Active days; null for all time, where coverage stands in for regularity. */
  readonly activeDays: Prisma.Sql | null;
}

const double = (value: Prisma.Sql) => Prisma.sql`CAST(${value} AS DOUBLE PRECISION)`;
const constant = (value: number) => Prisma.raw(`CAST(${value} AS DOUBLE PRECISION)`);

/** `(right + 2) / (total + 4)` as `plusFour`. */
function plusFour(right: Prisma.Sql, total: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${double(Prisma.sql`${right} + ${Prisma.raw(String(RANKING_PRIOR_RIGHT))}`)} / ${double(
    Prisma.sql`${total} + ${Prisma.raw(String(RANKING_PRIOR_TOTAL))}`,
  )}`;
}

/**
 * `diminishingShare(part, whole)`: whole numbers compared, then part × (2 × whole − part) / whole², the products in
 * 64-bit integers (PostgreSQL's INTEGER would overflow at whole² > 2³¹). A whole of 0 (a row to recompute) gives 1.
 */
function diminishingShare(part: Prisma.Sql, whole: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${part} >= ${whole} THEN ${constant(1)} WHEN ${part} <= 0 THEN ${constant(0)}
    ELSE ${double(Prisma.sql`CAST(${part} AS BIGINT) * (2 * ${whole} - ${part})`)} / ${double(
      Prisma.sql`CAST(${whole} AS BIGINT) * ${whole}`,
    )} END`;
}

/**
 * The fair score in SQL: `rankingScore`'s operations in the same order on IEEE doubles (every operand cast to DOUBLE
 * PRECISION: SQLite's REAL and PostgreSQL's float8 are both 64-bit doubles, each operator one rounded operation), so
 * the stored score and the points the commands compute from the same counts agree. The same text runs on SQLite and
 * PostgreSQL. `questions` and `days` are the yardsticks, already at least 1 (or 0 for a row to recompute).
 */
export function scoreSql(terms: ScoreTerms, questions: Prisma.Sql, days: Prisma.Sql | null): Prisma.Sql {
  const covered = diminishingShare(terms.answers, questions);
  const regular = terms.activeDays === null || days === null ? covered : diminishingShare(terms.activeDays, days);
  return Prisma.sql`${constant(RANKING_WEIGHTS.accuracy)} * (${plusFour(terms.firstTryCorrect, terms.firstTries)})
    + ${constant(RANKING_WEIGHTS.retention)} * (${plusFour(terms.reviewsKept, terms.reviews)})
    + ${constant(RANKING_WEIGHTS.coverage)} * (${covered})
    + ${constant(RANKING_WEIGHTS.regularity)} * (${regular})`;
}

const column = (table: string, name: string) => Prisma.raw(`"${table}"."${name}"`);

/**
 * The drop days and the questions the cohort's channels posted on days inside the member's holds (the member's own
 * local dates against the drops' local dates, as docs/streaks.md compares them), in a week (`first`…`last`) or all
 * time: they are not drop days for that member's regularity and coverage (docs/ranking.md "Holds"). 0 without a hold,
 * found by one probe of the Hold index.
 */
export function heldSql(
  member: Prisma.Sql,
  cohort: Prisma.Sql,
  week: { readonly first: string; readonly last: string } | null,
): { readonly days: Prisma.Sql; readonly questions: Prisma.Sql } {
  const heldDrops = Prisma.sql`FROM "Drop" hd JOIN "Channel" hc ON hc."id" = hd."channelId"
    WHERE hc."cohortId" = ${cohort} AND hd."postedAt" IS NOT NULL
      ${week ? Prisma.sql`AND hd."localDate" >= ${week.first} AND hd."localDate" <= ${week.last}` : Prisma.empty}
      AND EXISTS (SELECT 1 FROM "Hold" h WHERE h."memberId" = ${member}
                  AND h."startDate" <= hd."localDate" AND h."endDate" >= hd."localDate")`;
  const anyHold = Prisma.sql`EXISTS (SELECT 1 FROM "Hold" h WHERE h."memberId" = ${member})`;
  return {
    days: Prisma.sql`(CASE WHEN ${anyHold} THEN (SELECT COUNT(DISTINCT hd."localDate") ${heldDrops}) ELSE 0 END)`,
    questions: Prisma.sql`(CASE WHEN ${anyHold} THEN (SELECT COUNT(*) FROM "PostedQuestion" hq
      WHERE hq."dropId" IN (SELECT hd."id" ${heldDrops})) ELSE 0 END)`,
  };
}

/** `whole − held`, at least 1: a period's yardstick for a member on hold for part of it. */
export function lessHeld(whole: Prisma.Sql, held: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(CASE WHEN ${whole} - ${held} < 1 THEN 1 ELSE ${whole} - ${held} END)`;
}

/** Whether the member of a row has a hold: the answer path leaves such rows to the board read, which counts holds. */
const hasHold = (member: Prisma.Sql) => Prisma.sql`EXISTS (SELECT 1 FROM "Hold" h WHERE h."memberId" = ${member})`;

/**
 * The answer path's weekly upsert: the score of the row's new counts (its counts plus the batch's, `excluded`) against
 * the row's own yardsticks. A new row keeps its `scoreQuestions` of 0 and is scored by the next board read.
 */
export function weeklyScoreUpdate(): Prisma.Sql {
  const sum = (name: string) => Prisma.sql`(${column('WeeklyScore', name)} + ${Prisma.raw(`excluded."${name}"`)})`;
  const held = hasHold(column('WeeklyScore', 'memberId'));
  // A row to recompute keeps its score until then: the stored state is the same however the answers were batched.
  // A member with a hold has yardsticks of their own (their held drop days left out): their row is left to the read.
  return Prisma.sql`"scoreQuestions" = CASE WHEN ${held} THEN 0 ELSE ${column('WeeklyScore', 'scoreQuestions')} END,
    "score" = CASE WHEN ${column('WeeklyScore', 'scoreQuestions')} = 0 OR ${held} THEN ${column('WeeklyScore', 'score')}
    ELSE ${scoreSql(
      {
        answers: Prisma.sql`(${sum('answered')} - ${sum('reviews')})`,
        firstTries: sum('firstTries'),
        firstTryCorrect: sum('firstTryCorrect'),
        reviews: sum('reviews'),
        reviewsKept: sum('reviewsKept'),
        activeDays: sum('activeDays'),
      },
      column('WeeklyScore', 'scoreQuestions'),
      column('WeeklyScore', 'scoreDays'),
    )} END`;
}

/**
 * Whether a row of `table` (WeeklyScore or CohortMember, both keyed by cohort and member) is ranked: its member is not
 * hidden and has an account in the cohort's workspace; a weekly row also needs the member to be in the cohort, an
 * all-time row a scored answer (a member who joined and never answered is not on the board).
 */
function listedSql(table: 'WeeklyScore' | 'CohortMember'): Prisma.Sql {
  const cohortId = column(table, 'cohortId');
  const memberId = column(table, 'memberId');
  const inCohort =
    table === 'WeeklyScore'
      ? Prisma.sql`EXISTS (SELECT 1 FROM "CohortMember" cm WHERE cm."cohortId" = ${cohortId} AND cm."memberId" = ${memberId})`
      : Prisma.sql`EXISTS (SELECT 1 FROM "MemberStats" ms WHERE ms."memberId" = ${memberId} AND ms."answered" > 0)`;
  return Prisma.sql`CASE WHEN ${inCohort}
      AND EXISTS (SELECT 1 FROM "Member" m WHERE m."id" = ${memberId} AND m."boardVisibility" <> ${'hidden'})
      AND EXISTS (SELECT 1 FROM "Identity" i JOIN "Cohort" c ON c."workspaceId" = i."workspaceId"
                  WHERE i."memberId" = ${memberId} AND c."id" = ${cohortId})
    THEN TRUE ELSE FALSE END`;
}

/**
 * Takes the members' locks: locks (PostgreSQL) or creates first (SQLite) their stats rows, in member order as every
 * writer of these members does, so two cannot deadlock. Before changing whether they are ranked, and before a rescoring.
 */
export async function lockMembers(db: Writer, memberIds: readonly string[], now: Date): Promise<void> {
  const ids = [...new Set(memberIds)].sort();
  // Chunks in order keep the order; each stays far below the bound-parameter limits (2 per member).
  for (let at = 0; at < ids.length; at += lockChunk) {
    await db.$executeRaw`
      INSERT INTO "MemberStats" ("memberId", "updatedAt")
      VALUES ${Prisma.join(ids.slice(at, at + lockChunk).map((id) => Prisma.sql`(${id}, ${now})`))}
      ON CONFLICT ("memberId") DO UPDATE SET "updatedAt" = "MemberStats"."updatedAt"`;
  }
}

const lockChunk = 5_000;

/**
 * Marks the members' rows to recompute at the next board read: after anything that may change whether they are
 * ranked, with their locks held. `cohortId` narrows it to one cohort.
 */
export async function invalidate(db: Writer, memberIds: readonly string[], cohortId?: string): Promise<void> {
  const ids = [...new Set(memberIds)];
  if (ids.length === 0) return;
  const inCohort = cohortId === undefined ? Prisma.empty : Prisma.sql`AND "cohortId" = ${cohortId}`;
  await db.$executeRaw`UPDATE "WeeklyScore" SET "scoreQuestions" = 0
    WHERE "memberId" IN (${Prisma.join(ids)}) ${inCohort}`;
  await db.$executeRaw`UPDATE "CohortMember" SET "scoreQuestions" = 0
    WHERE "memberId" IN (${Prisma.join(ids)}) ${inCohort}`;
}

/**
 * Counts a member's weeks in a cohort again from their scored attempts (`weeklyCounts`), replacing their WeeklyScore
 * rows there; the rows are left to recompute (scored at the next board read). For a member who joins a cohort, in the
 * answer path's transaction (their lock held): what they did before joining counts in the week it happened.
 */
export async function rebuildWeeks(tx: Writer, memberId: string, cohortId: string, zone: string): Promise<void> {
  const rows = await tx.$queryRaw<
    { trackId: string; questionId: string; context: string; correct: unknown; xp: unknown; answeredAt: unknown }[]
  >`SELECT "trackId", "questionId", "context", "correct", "xp", "answeredAt" FROM "Attempt"
    WHERE "memberId" = ${memberId} AND "scored" = ${true} ORDER BY "answeredAt" ASC, "id" ASC`;
  const weeks = weeklyCounts(
    rows.map((row) => {
      const at = new Date(row.answeredAt as string | Date);
      return {
        trackId: row.trackId,
        questionId: row.questionId,
        review: row.context === 'review',
        correct: row.correct === true || Number(row.correct) === 1,
        xp: Number(row.xp),
        week: isoWeekOfInstant(at, zone),
        localDate: localDateOf(at, zone),
      };
    }),
  );
  await tx.$executeRaw`DELETE FROM "WeeklyScore" WHERE "memberId" = ${memberId} AND "cohortId" = ${cohortId}`;
  if (weeks.size === 0) return;
  const values = [...weeks.values()].map(
    (w) => Prisma.sql`(${cohortId}, ${w.week}, ${memberId}, ${w.xp}, ${w.answered}, ${w.correct}, ${w.firstTries},
      ${w.firstTryCorrect}, ${w.reviews}, ${w.reviewsKept}, ${w.activeDays})`,
  );
  await tx.$executeRaw`INSERT INTO "WeeklyScore" ("cohortId", "week", "memberId", "xp", "answered", "correct",
      "firstTries", "firstTryCorrect", "reviews", "reviewsKept", "activeDays")
    VALUES ${Prisma.join(values)}`;
}

/** An all-time row's score terms, from its member's MemberStats `s`. */
const allTimeTerms: ScoreTerms = {
  // All time, each question counts once: the questions answered are the first tries.
  answers: Prisma.raw('s."firstTries"'),
  firstTries: Prisma.raw('s."firstTries"'),
  firstTryCorrect: Prisma.raw('s."firstTryCorrect"'),
  reviews: Prisma.raw('s."reviews"'),
  reviewsKept: Prisma.raw('s."reviewsKept"'),
  activeDays: null,
};

/**
 * The all-time row's counts, score and listing from MemberStats `s`, against `questions` (a row to recompute, whose
 * `questions` is 0, keeps its score until then). `answering`: the answer path's update, which can only list a row.
 */
function allTimeSet(questions: Prisma.Sql, answering = false): Prisma.Sql {
  const s = (name: string) => Prisma.raw(`s."${name}"`);
  const member = column('CohortMember', 'memberId');
  // The answer path leaves a member with a hold to the read; the read scores against the questions not held.
  const keep = answering ? Prisma.sql`${questions} = 0 OR ${hasHold(member)}` : Prisma.sql`${questions} = 0`;
  const whole = answering
    ? questions
    : lessHeld(questions, heldSql(member, column('CohortMember', 'cohortId'), null).questions);
  return Prisma.sql`"xp" = ${s('xp')}, "answers" = ${s('firstTries')},
    "firstTries" = ${s('firstTries')}, "firstTryCorrect" = ${s('firstTryCorrect')},
    "score" = CASE WHEN ${keep} THEN ${column('CohortMember', 'score')} ELSE ${scoreSql(allTimeTerms, whole, null)} END,
    "listed" = ${
      answering
        ? // An answer can only list a row (a first scored answer), never unlist it: a listed row skips the look-ups.
          Prisma.sql`CASE WHEN ${column('CohortMember', 'listed')} = TRUE THEN TRUE ELSE ${listedSql('CohortMember')} END`
        : listedSql('CohortMember')
    }`;
}

/**
 * The answer path, after it wrote the members' MemberStats (their locks held): their CohortMember rows take the new
 * counts and are scored against each row's own yardstick. `ofMembers` is the condition that a member id is one of
 * theirs (`DriverTx.oneOf`: the same text for any number of members).
 */
export async function syncAllTime(tx: Writer, ofMembers: Prisma.Sql): Promise<void> {
  await tx.$executeRaw`UPDATE "CohortMember" SET ${allTimeSet(column('CohortMember', 'scoreQuestions'), true)},
      "scoreQuestions" = CASE WHEN ${hasHold(column('CohortMember', 'memberId'))} THEN 0
        ELSE "CohortMember"."scoreQuestions" END
    FROM "MemberStats" s
    WHERE s."memberId" = "CohortMember"."memberId" AND "CohortMember"."memberId" ${ofMembers}`;
}

/** A board's period: a cohort's week, or its all time. */
export interface PeriodScope {
  readonly cohortId: string;
  readonly period: 'week' | 'all';
  /** The ISO week (cohort's zone) of a weekly board; ignored for `all`. */
  readonly week: IsoWeek;
}

/** The table of a period's rows. */
export const standingsTable = (scope: PeriodScope) => (scope.period === 'week' ? 'WeeklyScore' : 'CohortMember');

/**
 * The period's rows, and which of them are stale against `period`'s yardsticks, as conditions on the table's own
 * (table-qualified) columns.
 */
export function periodRows(
  scope: PeriodScope,
  period: RankingPeriod,
): { readonly inPeriod: Prisma.Sql; readonly fresh: Prisma.Sql; readonly stale: Prisma.Sql } {
  const table = standingsTable(scope);
  const c = (name: string) => column(table, name);
  const questions = Math.max(1, period.questions);
  if (scope.period === 'all') {
    return {
      inPeriod: Prisma.sql`${c('cohortId')} = ${scope.cohortId}`,
      fresh: Prisma.sql`${c('scoreQuestions')} = ${questions}`,
      stale: Prisma.sql`${c('scoreQuestions')} <> ${questions}`,
    };
  }
  const days = Math.max(1, period.days ?? 1);
  return {
    inPeriod: Prisma.sql`${c('cohortId')} = ${scope.cohortId} AND ${c('week')} = ${scope.week}`,
    fresh: Prisma.sql`(${c('scoreQuestions')} = ${questions} AND ${c('scoreDays')} = ${days})`,
    stale: Prisma.sql`(${c('scoreQuestions')} <> ${questions} OR ${c('scoreDays')} <> ${days})`,
  };
}

/**
 * A row's score against `period` computed from what it counts, as the rescoring stores it and as the board computed
 * from scratch (`rankedBoardSql`) gives it: a week's row from its own counts, an all-time row from its member's
 * MemberStats `s`; less the member's held drop days and their questions. With `holds` (whether the row's member has a
 * hold, from a join), a member without one is scored against the period's yardsticks with no look-up: the same
 * numbers (nothing held), one probe fewer per row.
 */
export function currentScoreSql(scope: PeriodScope, period: RankingPeriod, holds?: Prisma.Sql): Prisma.Sql {
  const questions = Prisma.sql`${Math.max(1, period.questions)}`;
  const days = Prisma.sql`${Math.max(1, period.days ?? 1)}`;
  const week = scope.period === 'week';
  const w = (name: string) => column('WeeklyScore', name);
  const terms: ScoreTerms = week
    ? {
        answers: Prisma.sql`(${w('answered')} - ${w('reviews')})`,
        firstTries: w('firstTries'),
        firstTryCorrect: w('firstTryCorrect'),
        reviews: w('reviews'),
        reviewsKept: w('reviewsKept'),
        activeDays: w('activeDays'),
      }
    : allTimeTerms;
  const table = standingsTable(scope);
  const held = heldSql(column(table, 'memberId'), column(table, 'cohortId'), week ? isoWeekBounds(scope.week) : null);
  const withHolds = scoreSql(terms, lessHeld(questions, held.questions), week ? lessHeld(days, held.days) : null);
  if (!holds) return withHolds;
  return Prisma.sql`CASE WHEN ${holds} THEN ${withHolds} ELSE ${scoreSql(terms, questions, week ? days : null)} END`;
}

/** Whether a period's rows are ranked, computed (as a rescoring stores `listed`). */
export const currentListedSql = (scope: PeriodScope) => listedSql(standingsTable(scope));

/**
 * How many of the period's rows are stale against `period`, counting up to `max` only: two (all time) or four (a
 * week) ranges of the (cohort, [week,] scoreQuestions[, scoreDays]) index, each read at most `max` entries far, so a
 * read that finds every row fresh stays a few index look-ups.
 */
export async function staleRows(db: Writer, scope: PeriodScope, period: RankingPeriod, max: number): Promise<number> {
  const table = standingsTable(scope);
  const c = (name: string) => column(table, name);
  const { inPeriod } = periodRows(scope, period);
  const questions = Math.max(1, period.questions);
  const days = Math.max(1, period.days ?? 1);
  const ranges =
    scope.period === 'all'
      ? [Prisma.sql`${c('scoreQuestions')} < ${questions}`, Prisma.sql`${c('scoreQuestions')} > ${questions}`]
      : [
          Prisma.sql`${c('scoreQuestions')} < ${questions}`,
          Prisma.sql`${c('scoreQuestions')} > ${questions}`,
          Prisma.sql`${c('scoreQuestions')} = ${questions} AND ${c('scoreDays')} < ${days}`,
          Prisma.sql`${c('scoreQuestions')} = ${questions} AND ${c('scoreDays')} > ${days}`,
        ];
  const from = Prisma.raw(`"${table}"`);
  const counts = ranges.map(
    (range) => Prisma.sql`(SELECT COUNT(*) FROM (SELECT 1 AS "one" FROM ${from} WHERE ${inPeriod} AND ${range}
      LIMIT ${max}) r)`,
  );
  const [found] = await db.$queryRaw<{ stale: unknown }[]>`SELECT ${Prisma.join(counts, ' + ')} AS "stale"`;
  return Math.min(max, Number(found?.stale ?? 0));
}

/** A chunk of rescoring: one transaction, short enough that answers waiting on its members' locks wait little. */
export interface RescoredChunk {
  /** Rows scored. */
  readonly scored: number;
  /** The last member id of the chunk (the next chunk starts after it), or null when no stale row was left. */
  readonly last: string | null;
}

/** A chunk's transaction: a few hundred rows, far below the interactive default of 5 s even on a loaded machine. */
const chunkTransaction = { timeout: 30_000, maxWait: 10_000 } as const;

/**
 * Scores up to `max` stale rows of the period against `period` (score, yardsticks and `listed` from what decides
 * it), the members after `after` in member order, in one transaction. On PostgreSQL it first takes the board's
 * advisory lock (two processes rescoring the same board take turns chunk by chunk, each picking only rows still
 * stale), then share-locks the chunk's members' stats rows in member order (the stats-row lock order of
 * src/db/answer-batch.ts), so a concurrent answer or ranking change of theirs commits before, or waits until after,
 * the UPDATE. SQLite runs one write at a time and needs neither.
 */
export async function rescoreChunk(
  db: Db,
  kind: DatabaseKind,
  scope: PeriodScope,
  period: RankingPeriod,
  options: { readonly max: number; readonly after?: string | null; readonly now: Date },
): Promise<RescoredChunk> {
  const table = standingsTable(scope);
  const from = Prisma.raw(`"${table}"`);
  const { inPeriod, stale } = periodRows(scope, period);
  const member = column(table, 'memberId');
  const after = options.after ? Prisma.sql`AND ${member} > ${options.after}` : Prisma.empty;
  const pick = (tx: Writer) =>
    tx.$queryRaw<{ memberId: string }[]>`SELECT ${member} AS "memberId" FROM ${from}
      WHERE ${inPeriod} AND ${stale} ${after} ORDER BY ${member} ASC LIMIT ${options.max}`;
  const update = (tx: Writer, ids: readonly string[]) => {
    const chosen = Prisma.sql`${inPeriod} AND ${stale} AND ${member} IN (${Prisma.join([...ids])})`;
    const questions = Math.max(1, period.questions);
    if (scope.period === 'all') {
      return tx.$executeRaw`UPDATE "CohortMember" SET ${allTimeSet(Prisma.sql`${questions}`)},
        "scoreQuestions" = ${questions}
        FROM "MemberStats" s WHERE s."memberId" = "CohortMember"."memberId" AND ${chosen}`;
    }
    return tx.$executeRaw`UPDATE "WeeklyScore" SET "score" = ${currentScoreSql(scope, period)},
      "scoreQuestions" = ${questions}, "scoreDays" = ${Math.max(1, period.days ?? 1)},
      "listed" = ${listedSql('WeeklyScore')}
      WHERE ${chosen}`;
  };
  if (kind !== 'postgresql') {
    const ids = (await pick(db)).map((row) => row.memberId);
    if (ids.length === 0) return { scored: 0, last: null };
    // A member who joined and never answered gets their (empty) stats row, so the all-time UPDATE joined to
    // MemberStats scores their row too (an empty row is not ranked: no scored answer).
    if (scope.period === 'all') await lockMembers(db, ids, options.now);
    const scored = await update(db, ids);
    return { scored, last: ids.at(-1) ?? null };
  }
  if (scope.period === 'all') {
    // The same on PostgreSQL, in a transaction of its own (it takes those members' locks in order, then lets go).
    const missing = await db.$queryRaw<{ memberId: string }[]>`SELECT ${member} AS "memberId" FROM ${from}
      WHERE ${inPeriod} AND ${stale} ${after}
        AND NOT EXISTS (SELECT 1 FROM "MemberStats" s WHERE s."memberId" = ${member})`;
    if (missing.length > 0) {
      await db.$transaction(
        (tx) =>
          lockMembers(
            tx,
            missing.map((row) => row.memberId),
            options.now,
          ),
        chunkTransaction,
      );
    }
  }
  return db.$transaction(async (tx) => {
    // JIT compilation cost more than the UPDATE's own work.
    await tx.$executeRaw`SET LOCAL jit = off`;
    const key = `board:${scope.cohortId}:${scope.period === 'week' ? scope.week : 'all'}`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(CAST(${key} AS TEXT)))`;
    const ids = (await pick(tx)).map((row) => row.memberId);
    if (ids.length === 0) return { scored: 0, last: null };
    await tx.$queryRaw`SELECT s."memberId" FROM "MemberStats" s WHERE s."memberId" IN (${Prisma.join(ids)})
      ORDER BY s."memberId" FOR SHARE`;
    const scored = await update(tx, ids);
    return { scored, last: ids.at(-1) ?? null };
  }, chunkTransaction);
}

/** Rows rescored in one background pass from which it vacuums the table on PostgreSQL. */
const vacuumAfterRows = 1_000;

/**
 * After rescoring many rows, PostgreSQL's table holds as many dead row versions, which every board read then steps
 * over (the stale-row probes walk the dead index entries; the index-only reads visit the heap) until autovacuum comes,
 * up to a minute later: measured on 10,000 members, 75 ms per read before, 25 ms after. So the background rescoring
 * vacuums the table itself when it is done (only pages with dead versions are visited). SQLite rewrites rows in place
 * and needs nothing.
 */
export async function vacuumAfter(db: Db, kind: DatabaseKind, rows: number, scope: PeriodScope): Promise<void> {
  if (kind === 'postgresql' && rows >= vacuumAfterRows) {
    await db.$executeRawUnsafe(`VACUUM "${standingsTable(scope)}"`);
  }
}
