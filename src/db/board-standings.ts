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
 *   unlinking accounts) takes the member's lock (`lockMembers`) and marks the member's rows stale (`invalidate`).
 * - A board read first recomputes its period's stale rows (`refreshWeek`, `refreshAllTime`): usually none; every row
 *   after a drop is posted (the yardsticks moved), once.
 *
 * Concurrency (PostgreSQL, READ COMMITTED): every writer of these rows holds the member's MemberStats row lock, taken
 * first and in member order, as the answer path does (src/db/answer-batch.ts). A refresh share-locks the stale rows'
 * members' stats rows the same way before its UPDATE, so the UPDATE's snapshot already holds whatever a concurrent
 * answer or ranking change of those members committed, and none can commit under it. A row that turns stale after the
 * lock (its member not locked) was either committed before the UPDATE's snapshot (seen whole) or is not yet stale in
 * it (left for the next read). SQLite runs one write transaction at a time.
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
 * writer of these members does, so two cannot deadlock. Before changing whether they are ranked, and before a refresh.
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
    "score" = CASE WHEN ${keep} THEN ${column('CohortMember', 'score')} ELSE ${scoreSql(
      {
        // All time, each question counts once: the questions answered are the first tries.
        answers: s('firstTries'),
        firstTries: s('firstTries'),
        firstTryCorrect: s('firstTryCorrect'),
        reviews: s('reviews'),
        reviewsKept: s('reviewsKept'),
        activeDays: null,
      },
      whole,
      null,
    )} END,
    "listed" = ${
      answering
        ? // An answer can only list a row (a first scored answer), never unlist it: a listed row skips the look-ups.
          Prisma.sql`CASE WHEN ${column('CohortMember', 'listed')} = TRUE THEN TRUE ELSE ${listedSql('CohortMember')} END`
        : listedSql('CohortMember')
    }`;
}

/**
 * The answer path, after it wrote the members' MemberStats (their locks held): their CohortMember rows take the new
 * counts and are scored against each row's own yardstick.
 */
export async function syncAllTime(tx: Writer, memberIds: readonly string[]): Promise<void> {
  if (memberIds.length === 0) return;
  await tx.$executeRaw`UPDATE "CohortMember" SET ${allTimeSet(column('CohortMember', 'scoreQuestions'), true)},
      "scoreQuestions" = CASE WHEN ${hasHold(column('CohortMember', 'memberId'))} THEN 0
        ELSE "CohortMember"."scoreQuestions" END
    FROM "MemberStats" s
    WHERE s."memberId" = "CohortMember"."memberId" AND "CohortMember"."memberId" IN (${Prisma.join([...memberIds])})`;
}

export interface WeekScope {
  readonly cohortId: string;
  readonly week: IsoWeek;
}

/** A refresh scores every row of a period after a drop: more than the interactive default of 5 s on a big cohort. */
const refreshTransaction = { timeout: 60_000, maxWait: 10_000 } as const;

/**
 * On PostgreSQL, share-locks the stats rows of the members `members` selects (a `SELECT "memberId" …`), in member
 * order: a concurrent answer or ranking change of theirs commits before, or waits until after, the refresh. Also
 * turns JIT compilation off for the transaction (it cost more than the UPDATE's own work). SQLite needs neither.
 */
async function lockForRefresh(tx: Writer, kind: DatabaseKind, members: Prisma.Sql): Promise<void> {
  if (kind !== 'postgresql') return;
  await tx.$executeRaw`SET LOCAL jit = off`;
  await tx.$queryRaw`SELECT s."memberId" FROM "MemberStats" s WHERE s."memberId" IN (${members})
    ORDER BY s."memberId" FOR SHARE`;
}

/** Recomputes the week's stale rows against `period`; returns how many rows it scored. */
export async function refreshWeek(
  db: Db,
  kind: DatabaseKind,
  scope: WeekScope,
  period: RankingPeriod,
): Promise<number> {
  const questions = Math.max(1, period.questions);
  const days = Math.max(1, period.days ?? 1);
  const inWeek = Prisma.sql`"cohortId" = ${scope.cohortId} AND "week" = ${scope.week}`;
  const stale = Prisma.sql`${inWeek} AND ("scoreQuestions" <> ${questions} OR "scoreDays" <> ${days})`;
  // Whether any row is stale, as four probes of the (cohort, week, scoreQuestions, scoreDays) index: a read that
  // finds every row fresh stays a few index look-ups, not a pass over the week.
  const probe = (condition: Prisma.Sql) =>
    Prisma.sql`EXISTS (SELECT 1 FROM "WeeklyScore" WHERE ${inWeek} AND ${condition})`;
  const [found] = await db.$queryRaw<{ stale: unknown }[]>`SELECT CASE WHEN
      ${probe(Prisma.sql`"scoreQuestions" < ${questions}`)} OR ${probe(Prisma.sql`"scoreQuestions" > ${questions}`)}
      OR ${probe(Prisma.sql`"scoreQuestions" = ${questions} AND "scoreDays" < ${days}`)}
      OR ${probe(Prisma.sql`"scoreQuestions" = ${questions} AND "scoreDays" > ${days}`)}
    THEN 1 ELSE 0 END AS "stale"`;
  if (Number(found?.stale ?? 0) === 0) return 0;
  const scored = await db.$transaction(async (tx) => {
    await lockForRefresh(tx, kind, Prisma.sql`SELECT "memberId" FROM "WeeklyScore" WHERE ${stale}`);
    const w = (name: string) => column('WeeklyScore', name);
    const held = heldSql(w('memberId'), w('cohortId'), isoWeekBounds(scope.week));
    return tx.$executeRaw`UPDATE "WeeklyScore" SET "score" = ${scoreSql(
      {
        answers: Prisma.sql`(${w('answered')} - ${w('reviews')})`,
        firstTries: w('firstTries'),
        firstTryCorrect: w('firstTryCorrect'),
        reviews: w('reviews'),
        reviewsKept: w('reviewsKept'),
        activeDays: w('activeDays'),
      },
      lessHeld(Prisma.sql`${questions}`, held.questions),
      lessHeld(Prisma.sql`${days}`, held.days),
    )}, "scoreQuestions" = ${questions}, "scoreDays" = ${days}, "listed" = ${listedSql('WeeklyScore')}
    WHERE ${stale}`;
  }, refreshTransaction);
  await vacuumAfter(db, kind, scored, 'WeeklyScore');
  return scored;
}

/** Recomputes the cohort's stale all-time rows against `period` (no day count); returns how many it scored. */
export async function refreshAllTime(
  db: Db,
  kind: DatabaseKind,
  cohortId: string,
  period: RankingPeriod,
  now: Date,
): Promise<number> {
  const questions = Math.max(1, period.questions);
  const stale = Prisma.sql`"cohortId" = ${cohortId} AND "scoreQuestions" <> ${questions}`;
  // Two probes of the (cohort, scoreQuestions) index.
  const [found] = await db.$queryRaw<{ stale: unknown }[]>`SELECT CASE
      WHEN EXISTS (SELECT 1 FROM "CohortMember" WHERE "cohortId" = ${cohortId} AND "scoreQuestions" < ${questions})
        OR EXISTS (SELECT 1 FROM "CohortMember" WHERE "cohortId" = ${cohortId} AND "scoreQuestions" > ${questions})
    THEN 1 ELSE 0 END AS "stale"`;
  if (Number(found?.stale ?? 0) === 0) return 0;
  // Members who joined and never answered get their (empty) stats row first, in a transaction of its own, so the
  // UPDATE below, joined to MemberStats, scores every stale row (an empty row is not ranked: no scored answer).
  const missing = await db.$queryRaw<{ memberId: string }[]>`SELECT cm."memberId" FROM "CohortMember" cm
    WHERE cm."cohortId" = ${cohortId} AND cm."scoreQuestions" <> ${questions}
      AND NOT EXISTS (SELECT 1 FROM "MemberStats" s WHERE s."memberId" = cm."memberId")`;
  if (missing.length > 0) {
    await db.$transaction(
      (tx) =>
        lockMembers(
          tx,
          missing.map((row) => row.memberId),
          now,
        ),
      refreshTransaction,
    );
  }
  const scored = await db.$transaction(async (tx) => {
    await lockForRefresh(tx, kind, Prisma.sql`SELECT "memberId" FROM "CohortMember" WHERE ${stale}`);
    const staleHere = Prisma.sql`"CohortMember"."cohortId" = ${cohortId}
      AND "CohortMember"."scoreQuestions" <> ${questions}`;
    return tx.$executeRaw`UPDATE "CohortMember" SET ${allTimeSet(Prisma.sql`${questions}`)},
      "scoreQuestions" = ${questions}
      FROM "MemberStats" s WHERE s."memberId" = "CohortMember"."memberId" AND ${staleHere}`;
  }, refreshTransaction);
  await vacuumAfter(db, kind, scored, 'CohortMember');
  return scored;
}

/** Rows rescored at once from which a refresh vacuums the table on PostgreSQL. */
const vacuumAfterRows = 1_000;

/**
 * After rescoring many rows, PostgreSQL's table holds as many dead row versions, which every board read then steps
 * over (the stale-row probes walk the dead index entries; the index-only reads visit the heap) until autovacuum comes,
 * up to a minute later: measured on 10,000 members, 75 ms per read before, 25 ms after. So the refresh vacuums the
 * table itself (only pages with dead versions are visited). SQLite rewrites rows in place and needs nothing.
 */
async function vacuumAfter(db: Db, kind: DatabaseKind, rows: number, table: 'WeeklyScore' | 'CohortMember') {
  if (kind === 'postgresql' && rows >= vacuumAfterRows) await db.$executeRawUnsafe(`VACUUM "${table}"`);
}
