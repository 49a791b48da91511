/**
 * The facilitator report's and the cohort export's reads over Prisma (src/core/ports/reports.port.ts). Every figure
 * about answers is computed by the database: one sort (a window) numbers each member's answers to a question in time
 * order (number 1 is the first try; the one with no next answer is the latest, the current one), and GROUP BY folds
 * them per question and week, or per member. Nothing walks attempts one by one in JavaScript: a cohort with a
 * million attempts is a few statements (1,000 members, a million attempts, measured on this project's 2-core machine
 * while other tests ran: about 4 s for the report on PostgreSQL and 5 to 6 s on SQLite).
 *
 * Raw SQL because Prisma's query API has no window functions; the statements are the same on SQLite and PostgreSQL
 * (quoted identifiers, `ROW_NUMBER`/`LEAD` over a named window, `CASE`, `EXISTS`). Instants are compared as
 * parameters: both drivers send a Date in the same form as the column stores it (ISO text on SQLite, UTC timestamp
 * without zone on PostgreSQL). Booleans are read with `CASE WHEN column` (SQLite stores 0/1, PostgreSQL a boolean).
 * The enum `context` is compared with a literal in the SQL text, which PostgreSQL casts to the enum (a bound text
 * parameter would not compare).
 *
 * Paged by member (docs/exports.md "Large cohorts"): better-sqlite3 runs each statement synchronously, and one
 * statement over a 10,000-member cohort's million attempts held the event loop for seconds (answers waited that
 * long). So every statement here reads one page of members: the cohort's members in id order (keyset), cut into pages
 * of about `pageAttempts` attempts (their MemberStats' answers), with the event loop let go between two pages. Every
 * figure is per member, or a sum over members (each member's answers to a question are numbered within the member),
 * so the pages add up to exactly what one statement gave. */
import { isoWeekStarts } from '../core/cohort-report.ts';
import type {
  BoardVisibility,
  DroppedLesson,
  LessonCompletion,
  MemberAnswers,
  MemberProgress,
  QuestionWeekActivity,
  ReportScope,
  ReportStore,
} from '../core/ports/reports.port.ts';
import { Prisma } from './generated/sqlite/client.ts';
import type { Db } from './prisma-client.ts';
import { withRetry } from './retry.ts';

type Count = number | bigint | null;

const visibilities: readonly BoardVisibility[] = ['shown', 'anonymous', 'hidden'];

/** Attempts per page (about): a few milliseconds of SQLite's time per statement. */
export const defaultPageAttempts = 1_000;

export class PrismaReportStore implements ReportStore {
  constructor(
    readonly db: Db,
    /** About how many attempts one page of members holds (tests page member by member with 1). */
    readonly pageAttempts = defaultPageAttempts,
  ) {}

  /**
   * The cohort's members (`cohortMembers`) in id order, a page at a time: consecutive members whose answers add up to
   * about `pageAttempts` (at least one member a page). Between two pages the event loop is let go.
   */
  async *#pages(scope: ReportScope): AsyncGenerator<string[]> {
    let after: string | null = null;
    let page: string[] = [];
    let weight = 0;
    for (;;) {
      const from = after === null ? Prisma.empty : Prisma.sql`AND cm0."memberId" > ${after}`;
      const members: { memberId: string; answered: Count }[] = await this.db.$queryRaw<
        { memberId: string; answered: Count }[]
      >`SELECT cm0."memberId", s0."answered" FROM (${cohortMembers(scope)} ${from}
          ORDER BY cm0."memberId" LIMIT ${memberBatch}) cm0
        LEFT JOIN "MemberStats" s0 ON s0."memberId" = cm0."memberId"
        ORDER BY cm0."memberId"`;
      for (const member of members) {
        const answered = num(member.answered);
        if (page.length > 0 && weight + answered > this.pageAttempts) {
          yield page;
          await letGo();
          page = [];
          weight = 0;
        }
        page.push(member.memberId);
        weight += answered;
      }
      if (members.length < memberBatch) break;
      after = members.at(-1)?.memberId ?? null;
    }
    if (page.length > 0) yield page;
  }

  cohortTracks(cohortId: string): Promise<string[]> {
    return withRetry('cohortTracks', async () => {
      const rows = await this.db.channel.findMany({
        where: { cohortId },
        select: { trackId: true },
        distinct: ['trackId'],
      });
      return rows.map((row) => row.trackId);
    });
  }

  droppedLessons(cohortId: string, now: Date): Promise<DroppedLesson[]> {
    return withRetry('droppedLessons', async () => {
      // One row per drop of the cohort's channels (a drop a day at most per channel: a few hundred rows a year).
      const drops = await this.db.drop.findMany({
        where: { channel: { cohortId }, postedAt: { not: null } },
        select: { trackId: true, lessonId: true, localDate: true, closesAt: true, closedAt: true },
        orderBy: [{ localDate: 'asc' }, { id: 'asc' }],
      });
      const lessons = new Map<string, { trackId: string; lessonId: string; firstDate: string; closed: boolean }>();
      for (const drop of drops) {
        const closed = drop.closedAt !== null || (drop.closesAt !== null && drop.closesAt.getTime() <= now.getTime());
        const key = `${drop.trackId}/${drop.lessonId}`;
        const known = lessons.get(key);
        if (known) known.closed ||= closed;
        else lessons.set(key, { trackId: drop.trackId, lessonId: drop.lessonId, firstDate: drop.localDate, closed });
      }
      return [...lessons.values()];
    });
  }

  questionActivity(scope: ReportScope & { timeZone: string; now: Date }): Promise<QuestionWeekActivity[]> {
    return withRetry('questionActivity', async () => {
      const pages: string[][] = [];
      let first: Date | null = null;
      for await (const page of this.#pages(scope)) {
        pages.push(page);
        const [span] = await this.db.$queryRaw<{ first: Date | string | null }[]>`
          SELECT MIN(a."answeredAt") AS "first" FROM "Attempt" a WHERE a."memberId" IN (${Prisma.join(page)})`;
        const at = span?.first ? toDate(span.first) : null;
        if (at && (!first || at.getTime() < first.getTime())) first = at;
      }
      if (!first) return [];
      const weeks = isoWeekStarts(first, scope.now, scope.timeZone);
      // The week of an answer: the latest week that starts at or before it (weeks given oldest first).
      const weekOf =
        weeks.length === 1
          ? Prisma.sql`${weeks[0]?.week}`
          : Prisma.sql`CASE ${Prisma.join(
              weeks
                .slice(1)
                .reverse()
                .map(({ week, start }) => Prisma.sql`WHEN r."answeredAt" >= ${start} THEN ${week}`),
              ' ',
            )} ELSE ${weeks[0]?.week} END`;
      const totals = new Map<string, QuestionWeekActivity>();
      for (const [index, page] of pages.entries()) {
        if (index > 0) await letGo();
        // One sort numbers each member's answers to a question in time order: number 1 is the first try, and the
        // answer with no next one (LEAD is null) the latest. Only those rows are kept and counted per question and
        // the week they were given in.
        const rows = await this.db.$queryRaw<
          {
            trackId: string;
            questionId: string;
            week: string;
            members: Count;
            firstCorrect: Count;
            currentCorrect: Count;
          }[]
        >`
          WITH "ranked" AS (
            SELECT a."trackId", a."questionId", a."answeredAt", a."correct",
              ROW_NUMBER() OVER "answers" AS "rank", LEAD(a."id") OVER "answers" AS "next"
            FROM "Attempt" a
            WHERE a."memberId" IN (${Prisma.join(page)})
            WINDOW "answers" AS (PARTITION BY a."memberId", a."trackId", a."questionId" ORDER BY a."answeredAt", a."id")
          ),
          "ends" AS (
            SELECT r."trackId", r."questionId", r."correct", r."rank", r."next", ${weekOf} AS "week"
            FROM "ranked" r WHERE r."rank" = 1 OR r."next" IS NULL
          )
          SELECT e."trackId", e."questionId", e."week",
            SUM(CASE WHEN e."rank" = 1 THEN 1 ELSE 0 END) AS "members",
            SUM(CASE WHEN e."rank" = 1 AND e."correct" THEN 1 ELSE 0 END) AS "firstCorrect",
            SUM(CASE WHEN e."next" IS NULL AND e."correct" THEN 1 ELSE 0 END) AS "currentCorrect"
          FROM "ends" e
          GROUP BY e."trackId", e."questionId", e."week"`;
        for (const row of rows) {
          const key = JSON.stringify([row.trackId, row.questionId, row.week]);
          const known = totals.get(key);
          totals.set(key, {
            trackId: row.trackId,
            questionId: row.questionId,
            week: row.week,
            members: (known?.members ?? 0) + num(row.members),
            firstCorrect: (known?.firstCorrect ?? 0) + num(row.firstCorrect),
            currentCorrect: (known?.currentCorrect ?? 0) + num(row.currentCorrect),
          });
        }
      }
      return [...totals.values()].sort(
        (a, b) => compare(a.trackId, b.trackId) || compare(a.questionId, b.questionId) || compare(a.week, b.week),
      );
    });
  }

  lessonCompletion(scope: ReportScope): Promise<LessonCompletion[]> {
    return withRetry('lessonCompletion', async () => {
      const totals = new Map<string, LessonCompletion>();
      for await (const page of this.#pages(scope)) {
        const rows = await this.db.$queryRaw<{ trackId: string; lessonId: string; seen: Count; completed: Count }[]>`
          SELECT lp."trackId", lp."lessonId", COUNT(*) AS "seen",
            SUM(CASE WHEN lp."completedAt" IS NOT NULL THEN 1 ELSE 0 END) AS "completed"
          FROM "LessonProgress" lp
          WHERE lp."memberId" IN (${Prisma.join(page)})
          GROUP BY lp."trackId", lp."lessonId"`;
        for (const row of rows) {
          const key = JSON.stringify([row.trackId, row.lessonId]);
          const known = totals.get(key);
          totals.set(key, {
            trackId: row.trackId,
            lessonId: row.lessonId,
            seen: (known?.seen ?? 0) + num(row.seen),
            completed: (known?.completed ?? 0) + num(row.completed),
          });
        }
      }
      return [...totals.values()].sort((a, b) => compare(a.trackId, b.trackId) || compare(a.lessonId, b.lessonId));
    });
  }

  memberProgress(scope: ReportScope & { now: Date }): Promise<MemberProgress[]> {
    return withRetry('memberProgress', async () => {
      const all: MemberProgress[] = [];
      for await (const page of this.#pages(scope)) all.push(...(await this.#memberProgressOf(page, scope)));
      return all;
    });
  }

  async #memberProgressOf(page: readonly string[], scope: ReportScope & { now: Date }): Promise<MemberProgress[]> {
    const members = await this.db.$queryRaw<
      {
        memberId: string;
        displayName: string;
        boardVisibility: string;
        joinedAt: Date | string;
        xp: Count;
        currentStreak: Count;
        bestStreak: Count;
        lastActiveDate: string | null;
      }[]
    >`
      SELECT cm."memberId", m."displayName", m."boardVisibility", cm."joinedAt",
        s."xp", s."currentStreak", s."bestStreak", s."lastActiveDate"
      FROM "CohortMember" cm
      JOIN "Member" m ON m."id" = cm."memberId"
      LEFT JOIN "MemberStats" s ON s."memberId" = cm."memberId"
      WHERE cm."memberId" IN (${Prisma.join(page)}) AND cm."cohortId" = ${scope.cohortId}
      ORDER BY cm."memberId"`;
    if (members.length === 0) return [];
    // A lesson counts for "behind" once the quiz of one of its drops in the cohort's channels has closed.
    const lessons = await this.db.$queryRaw<
      { memberId: string; seen: Count; completed: Count; closedDropsCompleted: Count }[]
    >`
      SELECT lp."memberId", COUNT(*) AS "seen",
        SUM(CASE WHEN lp."completedAt" IS NOT NULL THEN 1 ELSE 0 END) AS "completed",
        SUM(CASE WHEN lp."completedAt" IS NOT NULL AND EXISTS (
              SELECT 1 FROM "Drop" d JOIN "Channel" ch ON ch."id" = d."channelId"
              WHERE ch."cohortId" = ${scope.cohortId} AND d."trackId" = lp."trackId" AND d."lessonId" = lp."lessonId"
                AND d."postedAt" IS NOT NULL
                AND (d."closedAt" IS NOT NULL OR d."closesAt" <= ${scope.now}))
            THEN 1 ELSE 0 END) AS "closedDropsCompleted"
      FROM "LessonProgress" lp
      WHERE lp."memberId" IN (${Prisma.join(page)})
      GROUP BY lp."memberId"`;
    const lessonsOf = new Map(lessons.map((row) => [row.memberId, row]));
    return members.map((member): MemberProgress => {
      const l = lessonsOf.get(member.memberId);
      return {
        memberId: member.memberId,
        displayName: member.displayName,
        visibility: visibilities.find((v) => v === member.boardVisibility) ?? 'shown',
        joinedAt: toDate(member.joinedAt),
        lessonsSeen: num(l?.seen),
        lessonsCompleted: num(l?.completed),
        closedDropsCompleted: num(l?.closedDropsCompleted),
        xp: num(member.xp),
        currentStreak: num(member.currentStreak),
        bestStreak: num(member.bestStreak),
        lastActiveDate: member.lastActiveDate,
      };
    });
  }

  memberAnswers(scope: ReportScope): Promise<MemberAnswers[]> {
    return withRetry('memberAnswers', async () => {
      const all: MemberAnswers[] = [];
      for await (const page of this.#pages(scope)) all.push(...(await this.#memberAnswersOf(page)));
      return all;
    });
  }

  async #memberAnswersOf(page: readonly string[]): Promise<MemberAnswers[]> {
    // Each member's answers to a question numbered in time order (number 1 is the first try), counted per member.
    const rows = await this.db.$queryRaw<
      {
        memberId: string;
        answers: Count;
        correct: Count;
        firstTries: Count;
        firstTryCorrect: Count;
        reviews: Count;
        reviewsKept: Count;
      }[]
    >`
      WITH "ranked" AS (
        SELECT a."memberId", a."correct", a."context", a."scored",
          ROW_NUMBER() OVER (PARTITION BY a."memberId", a."trackId", a."questionId"
                             ORDER BY a."answeredAt", a."id") AS "rank"
        FROM "Attempt" a
        WHERE a."memberId" IN (${Prisma.join(page)})
      )
      SELECT r."memberId", SUM(CASE WHEN r."scored" THEN 1 ELSE 0 END) AS "answers",
        SUM(CASE WHEN r."scored" AND r."correct" THEN 1 ELSE 0 END) AS "correct",
        SUM(CASE WHEN r."rank" = 1 THEN 1 ELSE 0 END) AS "firstTries",
        SUM(CASE WHEN r."rank" = 1 AND r."correct" THEN 1 ELSE 0 END) AS "firstTryCorrect",
        SUM(CASE WHEN r."context" = 'review' THEN 1 ELSE 0 END) AS "reviews",
        SUM(CASE WHEN r."context" = 'review' AND r."correct" THEN 1 ELSE 0 END) AS "reviewsKept"
      FROM "ranked" r
      GROUP BY r."memberId"
      ORDER BY r."memberId"`;
    return rows.map((row) => ({
      memberId: row.memberId,
      answers: num(row.answers),
      correct: num(row.correct),
      firstTries: num(row.firstTries),
      firstTryCorrect: num(row.firstTryCorrect),
      reviews: num(row.reviews),
      reviewsKept: num(row.reviewsKept),
    }));
  }
}

/**
 * The ids of the cohort's members, as a subquery: its CohortMember rows (primary key cohortId, memberId) whose
 * member has an identity in the workspace (Identity(memberId, workspaceId) index), as the leaderboards count them.
 */
function cohortMembers(scope: ReportScope): Prisma.Sql {
  return Prisma.sql`SELECT cm0."memberId" FROM "CohortMember" cm0
    WHERE cm0."cohortId" = ${scope.cohortId}
      AND EXISTS (SELECT 1 FROM "Cohort" c0 WHERE c0."id" = cm0."cohortId" AND c0."workspaceId" = ${scope.workspaceId})
      AND EXISTS (SELECT 1 FROM "Identity" i0
                  WHERE i0."memberId" = cm0."memberId" AND i0."workspaceId" = ${scope.workspaceId})`;
}

/** Members read per look-up while paging (far below the bound-parameter limits). */
const memberBatch = 1_000;

/** Lets the event loop run what waits (answers) before the next page. */
const letGo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Text in code-unit order (the order SQLite's BINARY collation gives ids). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function num(value: Count | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** PostgreSQL gives a Date; SQLite gives the stored ISO text for an aggregate (`MIN`) or a raw column. */
function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}
