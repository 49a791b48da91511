/**
 * Cohorts, leaderboards, progress, member settings and a member's data over Prisma. Leaderboards and progress read
 * the running totals the answer path keeps (WeeklyScore, MemberStats), never Attempt rows, and compute ranks at query
 * time: the top N by `ORDER BY … LIMIT`, the asking member's rank by counting the rows ahead of theirs.
 *
 * The leaderboard queries are raw SQL (identical on SQLite and PostgreSQL: quoted identifiers, `EXISTS`, `CASE`)
 * because they need a keyset comparison and a count in one pass, which Prisma's query API cannot express.
 */
import { isoWeekOf, isoWeekOfInstant, type LocalDate } from '../core/calendar.ts';
import type { Locale } from '../core/locale.ts';
import type { MemberRecord } from '../core/ports/members.port.ts';
import type {
  BoardVisibility,
  CohortRecord,
  CohortSummary,
  CreateCohortResult,
  Leaderboard,
  LeaderboardEntry,
  LeaderboardQuery,
  MemberData,
  MemberStatsRecord,
  ProgressSnapshot,
  RemainingRows,
  SocialStore,
} from '../core/ports/social.port.ts';
import { pooledAccuracy } from '../core/ranking.ts';
import { accountKey } from './account-key.ts';
import { BoardRescorer } from './board-rescorer.ts';
import { invalidate, lockMembers, rescoreChunk, staleRows } from './board-standings.ts';
import { toMember } from './members.repo.ts';
import type { Db } from './prisma-client.ts';
import { type BoardRead, boardYardsticks, type RankedRow, readBoard, readBoardScoring } from './ranking-sql.ts';
import { withRetry } from './retry.ts';
import type { DatabaseKind } from './schema-files.ts';

type CohortRow = Awaited<ReturnType<Db['cohort']['findFirstOrThrow']>>;
type StatsRow = Awaited<ReturnType<Db['memberStats']['findFirstOrThrow']>>;

/** At most this many members come back from a name search (the caller only needs to know "one" or "several"). */
const maxNameMatches = 5;

/**
 * Stale rows a board read rescores itself before reading (a few members marked to recompute); more (a drop was
 * posted) and it reads the board computed over them while the background rescoring catches up.
 */
const inlineRescoreRows = 200;

export class PrismaSocialStore implements SocialStore {
  /** Rescores the boards a drop moved, in the background (src/db/board-rescorer.ts). */
  readonly rescorer: BoardRescorer;

  constructor(
    readonly db: Db,
    /** PostgreSQL locks and vacuums around a board's rescoring (src/db/board-standings.ts). */
    readonly kind: DatabaseKind = 'sqlite',
  ) {
    this.rescorer = new BoardRescorer(db, kind);
  }

  boardsMoved(cohortId: string, localDate: LocalDate): void {
    this.rescorer.rescore({ cohortId, period: 'week', week: isoWeekOf(localDate) });
    this.rescorer.rescore({ cohortId, period: 'all', week: isoWeekOf(localDate) });
  }

  /** Resolves when no board is being rescored in the background (before closing the database). */
  boardsSettled(): Promise<void> {
    return this.rescorer.settled();
  }

  listCohorts(workspaceId: string): Promise<CohortSummary[]> {
    return withRetry('listCohorts', async () => {
      const rows = await this.db.cohort.findMany({
        where: { workspaceId },
        orderBy: { slug: 'asc' },
        include: { _count: { select: { members: true } } },
      });
      return rows.map((row) => ({ ...toCohort(row), memberCount: row._count.members }));
    });
  }

  findCohort(workspaceId: string, slug: string): Promise<CohortRecord | null> {
    return withRetry('findCohort', async () => {
      const row = await this.db.cohort.findUnique({ where: { workspaceId_slug: { workspaceId, slug } } });
      return row ? toCohort(row) : null;
    });
  }

  findCohortById(workspaceId: string, cohortId: string): Promise<CohortRecord | null> {
    return withRetry('findCohortById', async () => {
      const row = await this.db.cohort.findFirst({ where: { id: cohortId, workspaceId } });
      return row ? toCohort(row) : null;
    });
  }

  memberCohorts(workspaceId: string, memberId: string): Promise<CohortRecord[]> {
    return withRetry('memberCohorts', async () => {
      const rows = await this.db.cohort.findMany({
        where: { workspaceId, members: { some: { memberId } } },
        orderBy: { slug: 'asc' },
      });
      return rows.map(toCohort);
    });
  }

  createCohort(input: {
    workspaceId: string;
    slug: string;
    name: string;
    timeZone: string;
    creatorId: string;
  }): Promise<CreateCohortResult> {
    return withRetry('createCohort', async () => {
      const where = { workspaceId_slug: { workspaceId: input.workspaceId, slug: input.slug } };
      const existing = await this.db.cohort.findUnique({ where });
      if (existing) return { status: 'exists', cohort: toCohort(existing) };
      try {
        const row = await this.db.cohort.create({
          data: {
            workspaceId: input.workspaceId,
            slug: input.slug,
            name: input.name,
            timeZone: input.timeZone,
            namedById: input.creatorId,
            members: { create: { memberId: input.creatorId } },
          },
        });
        return { status: 'created', cohort: toCohort(row) };
      } catch (error) {
        // Someone created the same slug first: the unique index rejected ours (and the nested membership with it).
        const winner = await this.db.cohort.findUnique({ where });
        if (winner) return { status: 'exists', cohort: toCohort(winner) };
        throw error;
      }
    });
  }

  joinCohort(cohortId: string, memberId: string): Promise<'joined' | 'already_member'> {
    return withRetry('joinCohort', () =>
      // With the member's lock (src/db/board-standings.ts): a double click or the answer path's auto-join waits for
      // it, then finds the row; the member's weekly rows in the cohort are ranked again.
      this.db.$transaction(async (tx) => {
        await lockMembers(tx, [memberId], new Date());
        const where = { cohortId_memberId: { cohortId, memberId } };
        if (await tx.cohortMember.findUnique({ where })) return 'already_member' as const;
        await tx.cohortMember.create({ data: { cohortId, memberId } });
        await invalidate(tx, [memberId], cohortId);
        return 'joined' as const;
      }),
    );
  }

  leaveCohort(cohortId: string, memberId: string): Promise<'left' | 'not_member'> {
    return withRetry('leaveCohort', () =>
      this.db.$transaction(async (tx) => {
        await lockMembers(tx, [memberId], new Date());
        const { count } = await tx.cohortMember.deleteMany({ where: { cohortId, memberId } });
        // Their weekly rows there stay (a rejoin ranks them again) but leave the boards.
        if (count > 0) await invalidate(tx, [memberId], cohortId);
        return count > 0 ? ('left' as const) : ('not_member' as const);
      }),
    );
  }

  leaderboard(query: LeaderboardQuery): Promise<Leaderboard> {
    return withRetry('leaderboard', async () => {
      const limit = Math.max(0, Math.min(Math.trunc(query.limit), 100));
      // The board's rows keep their score (src/db/board-standings.ts); the rows the period's yardsticks have moved
      // past (a drop was posted) or that were marked to recompute are scored first, then the board is read in rank
      // order from its index (src/db/ranking-sql.ts).
      const period = await boardYardsticks(this.db, query);
      const board = await this.#board(query, period, limit);
      return {
        top: board.top.map((row) => toEntry(row, row.rank)),
        me: board.me ? toEntry(board.me, board.me.rank) : null,
        total: board.total,
        average:
          board.averageScore !== null
            ? {
                points: Math.round(board.averageScore),
                accuracy: pooledAccuracy(board.firstTryCorrect, board.firstTries),
                xp: Math.round(board.averageXp ?? 0),
              }
            : null,
        period,
      };
    });
  }

  /**
   * A few stale rows (members marked to recompute) are rescored here, then the board is read from its index; many (a
   * drop moved the yardsticks) are left to the background rescoring, queued if nothing is doing it, and the board is
   * read computed over them meanwhile (docs/ranking.md "Stored scores").
   */
  async #board(query: LeaderboardQuery, period: Leaderboard['period'], limit: number): Promise<BoardRead> {
    const stale = await staleRows(this.db, query, period, inlineRescoreRows + 1);
    if (stale > inlineRescoreRows) return this.#computed(query, period, limit);
    if (stale > 0) {
      const now = new Date();
      const first = await rescoreChunk(this.db, this.kind, query, period, { max: inlineRescoreRows, now });
      // More turned stale meanwhile (a drop was posted): read computed rather than half rescored.
      if (first.scored >= inlineRescoreRows) return this.#computed(query, period, limit);
    }
    return readBoard(this.db, query, query.memberId, limit);
  }

  /** The board computed over its stale rows, their rescoring queued; PostgreSQL without JIT (it cost more). */
  #computed(query: LeaderboardQuery, period: Leaderboard['period'], limit: number): Promise<BoardRead> {
    this.rescorer.ensure(query);
    if (this.kind !== 'postgresql') return readBoardScoring(this.db, query, period, query.memberId, limit);
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL jit = off`;
      return readBoardScoring(tx, query, period, query.memberId, limit);
    });
  }

  boardVisibility(memberId: string): Promise<BoardVisibility> {
    return withRetry('boardVisibility', async () => {
      const row = await this.db.member.findFirst({ where: { id: memberId }, select: { boardVisibility: true } });
      return toVisibility(row?.boardVisibility);
    });
  }

  setBoardVisibility(memberId: string, visibility: BoardVisibility): Promise<void> {
    return withRetry('setBoardVisibility', () =>
      this.db.$transaction(async (tx) => {
        await lockMembers(tx, [memberId], new Date());
        await tx.member.update({ where: { id: memberId }, data: { boardVisibility: visibility } });
        await invalidate(tx, [memberId]);
      }),
    );
  }

  progress(workspaceId: string, memberId: string, now: Date): Promise<ProgressSnapshot> {
    return withRetry('progress', async () => {
      const [stats, cohorts, reviewsDue, lessons, member] = await Promise.all([
        this.db.memberStats.findFirst({ where: { memberId } }),
        this.db.cohort.findMany({ where: { workspaceId, members: { some: { memberId } } }, orderBy: { slug: 'asc' } }),
        this.db.reviewCard.count({ where: { memberId, due: { lte: now } } }),
        this.db.lessonProgress.groupBy({ by: ['trackId'], where: { memberId }, _count: { _all: true } }),
        this.db.member.findFirst({ where: { id: memberId }, select: { boardVisibility: true } }),
      ]);
      // Each cohort's week is the ISO week in the cohort's own zone (the same bucket the answer path writes to).
      const weeks = cohorts.map((cohort) => ({
        cohort: toCohort(cohort),
        week: isoWeekOfInstant(now, cohort.timeZone),
      }));
      const scores =
        weeks.length === 0
          ? []
          : await this.db.weeklyScore.findMany({
              where: { memberId, OR: weeks.map(({ cohort, week }) => ({ cohortId: cohort.id, week })) },
            });
      return {
        stats: stats ? toStats(stats) : null,
        thisWeek: weeks.map(({ cohort, week }) => ({
          cohort,
          week,
          xp: scores.find((score) => score.cohortId === cohort.id && score.week === week)?.xp ?? 0,
        })),
        reviewsDue,
        lessonsSeenByTrack: Object.fromEntries(lessons.map((row) => [row.trackId, row._count._all])),
        boardVisibility: toVisibility(member?.boardVisibility),
      };
    });
  }

  findMemberByExternalId(workspaceId: string, externalId: string): Promise<MemberRecord | null> {
    return withRetry('findMemberByExternalId', async () => {
      // findFirst, not findUnique: see src/db/prisma-client.ts and src/db/batched-lookup.ts (unbounded findUnique batching, prisma/orm#23957).
      const identity = await this.db.identity.findFirst({
        where: { workspaceId, externalId },
        include: { member: true },
      });
      return identity ? toMember(identity.member) : null;
    });
  }

  findMembersByName(workspaceId: string, displayName: string): Promise<MemberRecord[]> {
    return withRetry('findMembersByName', async () => {
      const exact = await this.db.member.findMany({
        where: { displayName, identities: { some: { workspaceId } } },
        take: maxNameMatches,
      });
      if (exact.length > 0) return exact.map(toMember);
      // Case and accents differ ("ana" for "Ána"): SQLite cannot compare accent-insensitively, so the names are
      // compared here. This is a rare command, and only id and name of the workspace's members are read.
      const wanted = fold(displayName);
      const all = await this.db.member.findMany({
        where: { identities: { some: { workspaceId } } },
        select: { id: true, displayName: true },
      });
      const ids = all.filter((member) => fold(member.displayName) === wanted).map((member) => member.id);
      if (ids.length === 0) return [];
      const rows = await this.db.member.findMany({ where: { id: { in: ids.slice(0, maxNameMatches) } } });
      return rows.map(toMember);
    });
  }

  setMemberLocale(memberId: string, locale: Locale | null): Promise<MemberRecord> {
    return withRetry('setMemberLocale', async () =>
      toMember(await this.db.member.update({ where: { id: memberId }, data: { locale } })),
    );
  }

  setMemberTimeZone(memberId: string, timeZone: string | null): Promise<MemberRecord> {
    return withRetry('setMemberTimeZone', async () =>
      toMember(await this.db.member.update({ where: { id: memberId }, data: { timeZone } })),
    );
  }

  memberData(memberId: string, recentAttempts: number): Promise<MemberData | null> {
    return withRetry('memberData', async () => {
      const member = await this.db.member.findFirst({ where: { id: memberId } });
      if (!member) return null;
      const [identities, cohorts, stats, weekly, attemptCount, attempts, reviewCardCount, seen, completed] =
        await Promise.all([
          this.db.identity.findMany({
            where: { memberId },
            include: { workspace: { select: { name: true } } },
            orderBy: { createdAt: 'asc' },
          }),
          this.db.cohortMember.findMany({
            where: { memberId },
            include: { cohort: { select: { slug: true, name: true } } },
            orderBy: { joinedAt: 'asc' },
          }),
          this.db.memberStats.findFirst({ where: { memberId } }),
          this.db.weeklyScore.findMany({
            where: { memberId },
            include: { cohort: { select: { slug: true } } },
            orderBy: [{ week: 'desc' }, { cohortId: 'asc' }],
          }),
          this.db.attempt.count({ where: { memberId } }),
          this.db.attempt.findMany({
            where: { memberId },
            orderBy: [{ answeredAt: 'desc' }, { id: 'desc' }],
            take: Math.max(0, recentAttempts),
          }),
          this.db.reviewCard.count({ where: { memberId } }),
          this.db.lessonProgress.count({ where: { memberId } }),
          this.db.lessonProgress.count({ where: { memberId, completedAt: { not: null } } }),
        ]);
      return {
        member: {
          ...toMember(member),
          createdAt: member.createdAt,
          updatedAt: member.updatedAt,
          boardVisibility: toVisibility(member.boardVisibility),
        },
        identities: identities.map((row) => ({
          platform: row.platform,
          externalId: row.externalId,
          workspaceName: row.workspace.name,
          createdAt: row.createdAt,
        })),
        cohorts: cohorts.map((row) => ({ slug: row.cohort.slug, name: row.cohort.name, joinedAt: row.joinedAt })),
        stats: stats ? toStats(stats) : null,
        weeklyScores: weekly.map((row) => ({
          cohortSlug: row.cohort.slug,
          week: row.week,
          xp: row.xp,
          answered: row.answered,
          correct: row.correct,
        })),
        attemptCount,
        recentAttempts: attempts.map((row) => ({
          trackId: row.trackId,
          questionId: row.questionId,
          context: row.context,
          correct: row.correct,
          xp: row.xp,
          answeredAt: row.answeredAt,
        })),
        reviewCardCount,
        lessonsSeen: seen,
        lessonsCompleted: completed,
      };
    });
  }

  deleteMember(memberId: string, now: Date = new Date()): Promise<{ deleted: boolean; remaining: RemainingRows }> {
    return withRetry('deleteMember', () =>
      this.db.$transaction(async (tx) => {
        // Each account of the member leaves a tombstone (a hash, never the id): a replayed or double-clicked confirm
        // cannot make the member again (src/db/members.repo.ts, docs/security.md).
        const accounts = await tx.identity.findMany({
          where: { memberId },
          select: { workspaceId: true, externalId: true },
        });
        for (const { workspaceId, externalId } of accounts) {
          const account = accountKey(workspaceId, externalId);
          await tx.tombstone.upsert({
            where: { account },
            create: { account, deletedAt: now },
            update: { deletedAt: now },
          });
        }
        // A cohort the member named keeps its slug (the shared key others join with) and loses the name they gave.
        const named = await tx.cohort.findMany({ where: { namedById: memberId }, select: { id: true, slug: true } });
        for (const cohort of named) {
          await tx.cohort.update({ where: { id: cohort.id }, data: { name: cohort.slug, namedById: null } });
        }
        const { count } = await tx.member.deleteMany({ where: { id: memberId } });
        // The foreign keys cascade from Member to every table about the member; this checks it did, inside the
        // transaction, so a schema change that broke a cascade rolls the deletion back instead of leaving rows.
        const where = { memberId };
        const [
          identity,
          cohortMember,
          attempt,
          memberStats,
          weeklyScore,
          reviewCard,
          lessonProgress,
          hold,
          linkCode,
          member,
        ] = await Promise.all([
          tx.identity.count({ where }),
          tx.cohortMember.count({ where }),
          tx.attempt.count({ where }),
          tx.memberStats.count({ where }),
          tx.weeklyScore.count({ where }),
          tx.reviewCard.count({ where }),
          tx.lessonProgress.count({ where }),
          tx.hold.count({ where }),
          tx.linkCode.count({ where }),
          tx.member.count({ where: { id: memberId } }),
        ]);
        const remaining = {
          Member: member,
          Identity: identity,
          CohortMember: cohortMember,
          Attempt: attempt,
          MemberStats: memberStats,
          WeeklyScore: weeklyScore,
          ReviewCard: reviewCard,
          LessonProgress: lessonProgress,
          Hold: hold,
          LinkCode: linkCode,
        };
        const left = Object.entries(remaining).filter(([, rows]) => rows > 0);
        if (left.length > 0) {
          throw new Error(`deleting member ${memberId} left rows behind: ${JSON.stringify(Object.fromEntries(left))}`);
        }
        return { deleted: count > 0, remaining };
      }),
    );
  }
}

/** Lower case without accents, as the runtime compares names (`fold` in src/runtime/command.ts; db imports core only). */
function fold(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

function toCohort(row: CohortRow): CohortRecord {
  return { id: row.id, workspaceId: row.workspaceId, slug: row.slug, name: row.name, timeZone: row.timeZone };
}

function toStats(row: StatsRow): MemberStatsRecord {
  return {
    xp: row.xp,
    answered: row.answered,
    correct: row.correct,
    firstTries: row.firstTries,
    firstTryCorrect: row.firstTryCorrect,
    currentStreak: row.currentStreak,
    bestStreak: row.bestStreak,
    lastActiveDate: row.lastActiveDate,
    lessonsSeen: row.lessonsSeen,
  };
}

/** A ranked row as a board line; an anonymous member's name never leaves the store. */
function toEntry(row: RankedRow, rank: number): LeaderboardEntry {
  const counts = {
    answered: Number(row.answered),
    firstTries: Number(row.firstTries),
    firstTryCorrect: Number(row.firstTryCorrect),
    reviews: Number(row.reviews),
    reviewsKept: Number(row.reviewsKept),
    activeDays: Number(row.activeDays),
  };
  const visibility = toVisibility(row.visibility) === 'anonymous' ? 'anonymous' : 'shown';
  return {
    rank,
    memberId: row.memberId,
    displayName: visibility === 'anonymous' ? '' : row.displayName,
    visibility,
    // The stored score (src/db/board-standings.ts), which the board is sorted by: the points shown are its order.
    points: Math.round(Number(row.score)),
    xp: Number(row.xp),
    correct: Number(row.correct),
    ...counts,
  };
}

/** The stored visibility, read defensively (an unknown value shows the member, as the column's default does). */
export function toVisibility(value: string | null | undefined): BoardVisibility {
  return value === 'anonymous' || value === 'hidden' ? value : 'shown';
}
