/**
 * Cohorts, leaderboards, progress, a member's own settings and a member's data (show and delete): implemented in
 * src/db/social.repo.ts. Everything here reads the running totals (MemberStats, WeeklyScore) that the answer path
 * keeps, never the attempts themselves, so it stays fast with a million attempts.
 */
import type { IsoWeek, LocalDate } from '../calendar.ts';
import type { Locale } from '../locale.ts';
import type { RankingPeriod } from '../ranking.ts';
import type { MemberRecord, Platform } from './members.port.ts';
import type { BoardVisibility } from './reports.port.ts';

export type { BoardVisibility } from './reports.port.ts';

export interface CohortRecord {
  readonly id: string;
  readonly workspaceId: string;
  /** Lower-case kebab case, 2 to 32 characters (`ops-2026`). */
  readonly slug: string;
  readonly name: string;
  /** IANA zone of the cohort's weeks. */
  readonly timeZone: string;
}

export interface CohortSummary extends CohortRecord {
  readonly memberCount: number;
}

/** One line of a leaderboard. */
export interface LeaderboardEntry {
  /** 1-based; every entry has its own rank (ties are broken, see `leaderboard`). */
  readonly rank: number;
  readonly memberId: string;
  /** Empty for an anonymous member: the board shows a neutral name instead. */
  readonly displayName: string;
  /** Hidden members are never on a board. */
  readonly visibility: Exclude<BoardVisibility, 'hidden'>;
  /** The fair score (src/core/ranking.ts, docs/ranking.md) in whole points, 0 to 1000: what the board ranks by. */
  readonly points: number;
  readonly xp: number;
  readonly answered: number;
  readonly correct: number;
  readonly firstTries: number;
  readonly firstTryCorrect: number;
  readonly reviews: number;
  readonly reviewsKept: number;
  /** Days with a scored answer in the week (0 on the all-time board, which has no day count). */
  readonly activeDays: number;
}

/** The board's average beside its lines: over the members it ranks (hidden members are left out of it too). */
export interface BoardAverage {
  /** The mean score, in whole points. */
  readonly points: number;
  /** Right first tries over first tries of everyone ranked; null when nobody made a first try. */
  readonly accuracy: number | null;
  readonly xp: number;
}

export interface LeaderboardQuery {
  readonly workspaceId: string;
  readonly cohortId: string;
  /** `week`: the cohort's WeeklyScore rows of `week`; `all`: the MemberStats of the cohort's members. */
  readonly period: 'week' | 'all';
  /** ISO week in the cohort's time zone (`2026-W49`); ignored for `all`. */
  readonly week: string;
  /** The member asking: their own line comes back in `me`, wherever they rank. */
  readonly memberId: string;
  /** How many lines from the top. */
  readonly limit: number;
}

export interface Leaderboard {
  readonly top: LeaderboardEntry[];
  /** The asking member's line, or null when they have no score in this board (or are hidden from boards). */
  readonly me: LeaderboardEntry | null;
  /** How many members the board ranks. */
  readonly total: number;
  /** Null when the board is empty. */
  readonly average: BoardAverage | null;
  /** The questions and drop days the period offered (the score's participation yardsticks). */
  readonly period: RankingPeriod;
}

export type CreateCohortResult =
  | { readonly status: 'created'; readonly cohort: CohortRecord }
  | { readonly status: 'exists'; readonly cohort: CohortRecord };

export interface MemberStatsRecord {
  readonly xp: number;
  /** Every answer that counted (first tries, practice and reviews), and of those the right ones. */
  readonly answered: number;
  readonly correct: number;
  /** Questions answered (a first try each; docs/scoring.md), and of those right at the first try. */
  readonly firstTries: number;
  readonly firstTryCorrect: number;
  readonly currentStreak: number;
  readonly bestStreak: number;
  readonly lastActiveDate: LocalDate | null;
  readonly lessonsSeen: number;
}

export interface WeeklyXp {
  readonly cohort: CohortRecord;
  /** The current ISO week in the cohort's zone. */
  readonly week: IsoWeek;
  readonly xp: number;
}

export interface ProgressSnapshot {
  /** Null before the member's first scored answer. */
  readonly stats: MemberStatsRecord | null;
  /** This week's XP in each cohort the member belongs to (0 when nothing yet). */
  readonly thisWeek: WeeklyXp[];
  /** Review cards due at `now`. */
  readonly reviewsDue: number;
  /** Lessons seen, by track id. */
  readonly lessonsSeenByTrack: Readonly<Record<string, number>>;
  /** How the member appears on boards and recaps. */
  readonly boardVisibility: BoardVisibility;
}

/** Everything stored about a member (LGPD art. 18 / GDPR art. 15 access). */
export interface MemberData {
  readonly member: MemberRecord & {
    readonly createdAt: Date;
    readonly updatedAt: Date;
    readonly boardVisibility: BoardVisibility;
  };
  readonly identities: {
    readonly platform: Platform;
    readonly externalId: string;
    readonly workspaceName: string;
    readonly createdAt: Date;
  }[];
  readonly cohorts: { readonly slug: string; readonly name: string; readonly joinedAt: Date }[];
  readonly stats: MemberStatsRecord | null;
  readonly weeklyScores: {
    readonly cohortSlug: string;
    readonly week: string;
    readonly xp: number;
    readonly answered: number;
    readonly correct: number;
  }[];
  readonly attemptCount: number;
  /** The most recent attempts, newest first. */
  readonly recentAttempts: {
    readonly trackId: string;
    readonly questionId: string;
    readonly context: 'channel_quiz' | 'self_study' | 'review';
    readonly correct: boolean;
    readonly xp: number;
    readonly answeredAt: Date;
  }[];
  readonly reviewCardCount: number;
  readonly lessonsSeen: number;
  readonly lessonsCompleted: number;
}

/** Rows left after deleting a member, by table; all zero when the deletion is complete. */
export type RemainingRows = Readonly<Record<string, number>>;

export interface SocialStore {
  /** The workspace's cohorts by slug, with their member counts. */
  listCohorts(workspaceId: string): Promise<CohortSummary[]>;
  findCohort(workspaceId: string, slug: string): Promise<CohortRecord | null>;
  findCohortById(workspaceId: string, cohortId: string): Promise<CohortRecord | null>;
  /** The cohorts of the workspace the member belongs to, by slug. */
  memberCohorts(workspaceId: string, memberId: string): Promise<CohortRecord[]>;
  /** Creates the cohort (and makes its creator a member); `exists` when the slug is taken (race-safe). */
  createCohort(input: {
    workspaceId: string;
    slug: string;
    name: string;
    timeZone: string;
    creatorId: string;
  }): Promise<CreateCohortResult>;
  /** Idempotent: joining twice answers `already_member`. */
  joinCohort(cohortId: string, memberId: string): Promise<'joined' | 'already_member'>;
  leaveCohort(cohortId: string, memberId: string): Promise<'left' | 'not_member'>;

  /**
   * A cohort's leaderboard, from the running totals only. Order: the fair score (src/core/ranking.ts) descending,
   * then XP descending, then member id ascending (ids are UUIDv7, so an earlier member wins a full tie): every member
   * has a distinct, stable rank. Only members of the cohort with an identity in `workspaceId` are ranked, and never a
   * member hidden from boards (an anonymous one comes without a name); a cohort of another workspace gives an empty
   * board. Any ISO week can be asked for: past seasons stay in WeeklyScore.
   */
  leaderboard(query: LeaderboardQuery): Promise<Leaderboard>;
  /**
   * A drop of `localDate` was posted in one of the cohort's channels: that week's board and the all-time board have
   * new yardsticks, and are scored again in the background (docs/ranking.md "Stored scores"). Returns at once.
   */
  boardsMoved(cohortId: string, localDate: LocalDate): void;
  /** How the member appears on boards and recaps. */
  boardVisibility(memberId: string): Promise<BoardVisibility>;
  setBoardVisibility(memberId: string, visibility: BoardVisibility): Promise<void>;

  /** One member's totals, this week's XP in their cohorts (weeks in each cohort's zone), reviews due at `now`. */
  progress(workspaceId: string, memberId: string, now: Date): Promise<ProgressSnapshot>;
  /** A member of the workspace by platform user id (a mention), or null. */
  findMemberByExternalId(workspaceId: string, externalId: string): Promise<MemberRecord | null>;
  /** Members of the workspace whose display name matches, ignoring case and accents (at most a few). */
  findMembersByName(workspaceId: string, displayName: string): Promise<MemberRecord[]>;

  /** Null clears the choice (back to the workspace default). */
  setMemberLocale(memberId: string, locale: Locale | null): Promise<MemberRecord>;
  /** Null clears the choice; callers validate the zone (`isTimeZone`). */
  setMemberTimeZone(memberId: string, timeZone: string | null): Promise<MemberRecord>;

  /** Everything stored about the member, or null when the member no longer exists. */
  memberData(memberId: string, recentAttempts: number): Promise<MemberData | null>;
  /**
   * Deletes the member and, by cascade, every row about them; then counts what is left about them in every table and
   * rolls back (throws) unless nothing is. `deleted` is false when the member did not exist. Each of the member's
   * accounts is tombstoned at `now` (MemberStore.ensureMember), and the cohorts the member named are named by their
   * slug.
   */
  deleteMember(memberId: string, now?: Date): Promise<{ deleted: boolean; remaining: RemainingRows }>;
}
