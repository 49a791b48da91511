/**
 * What the facilitator report and the cohort export read: a cohort's answers aggregated per question and week, its
 * lessons' completion, its drops, and each member's progress. Implemented in src/db/reports.repo.ts, where every
 * figure is computed by the database (window functions and GROUP BY over the cohort members' attempts), so a report
 * costs a few statements whatever the number of attempts.
 *
 * Definitions shared by every method:
 * - The cohort's members are its CohortMember rows whose member has an identity in the workspace (as leaderboards).
 * - Every recorded answer counts (channel quiz, self-study, review; scored or after the quiz closed): the report is
 *   about what members know, not about points.
 * - A member's *first try* at a question is their earliest answer to it (ties broken by the attempt id, a UUIDv7);
 *   their *current* answer is the latest one, so a question missed first and remembered in a review is first-try
 *   wrong and currently right.
 */
import type { IsoWeek, LocalDate } from '../calendar.ts';

/** How a member appears on boards, recaps and reports (`Member.boardVisibility`). */
export type BoardVisibility = 'shown' | 'anonymous' | 'hidden';

export interface ReportScope {
  readonly workspaceId: string;
  readonly cohortId: string;
}

/**
 * One question's answers that fell in one ISO week of the cohort's zone: the members' first tries given that week,
 * and their latest answers given that week. Summed over the weeks, `members` is how many members answered the
 * question and `currentCorrect` how many of them are right now.
 */
export interface QuestionWeekActivity {
  readonly trackId: string;
  readonly questionId: string;
  readonly week: IsoWeek;
  /** Members whose first answer to the question fell in this week. */
  readonly members: number;
  /** Of them, those right at the first try. */
  readonly firstCorrect: number;
  /** Members whose latest answer to the question (after reviews) fell in this week and is right. */
  readonly currentCorrect: number;
}

/** How many of the cohort's members have seen and done a lesson (answered at least `lessonDoneShare` of its questions). */
export interface LessonCompletion {
  readonly trackId: string;
  readonly lessonId: string;
  readonly seen: number;
  readonly completed: number;
}

/** A lesson posted in one of the cohort's channels. */
export interface DroppedLesson {
  readonly trackId: string;
  readonly lessonId: string;
  /** The channel's local date of its first drop. */
  readonly firstDate: LocalDate;
  /** Whether the quiz of at least one of its drops has closed at `now` (members had their chance). */
  readonly closed: boolean;
}

/** One member of the cohort: who, how they appear, their lessons and running totals. */
export interface MemberProgress {
  readonly memberId: string;
  readonly displayName: string;
  readonly visibility: BoardVisibility;
  readonly joinedAt: Date;
  readonly lessonsSeen: number;
  readonly lessonsCompleted: number;
  /** Of the lessons whose quiz closed in the cohort's channels, those the member completed. */
  readonly closedDropsCompleted: number;
  readonly xp: number;
  readonly currentStreak: number;
  readonly bestStreak: number;
  /** The member's local date of their last scored answer; null before the first. */
  readonly lastActiveDate: LocalDate | null;
}

/** One member's answers, counted from their attempts (the cohort export). */
export interface MemberAnswers {
  readonly memberId: string;
  /** Every recorded answer, and the right ones. */
  readonly answers: number;
  readonly correct: number;
  /** Questions answered at least once, and those right at the first try. */
  readonly firstTries: number;
  readonly firstTryCorrect: number;
  /** Review answers, and those remembered (right). */
  readonly reviews: number;
  readonly reviewsKept: number;
}

export interface ReportStore {
  /** The tracks of the cohort's channels (a cohort usually has one channel), in no particular order. */
  cohortTracks(cohortId: string): Promise<string[]>;
  /** The lessons posted in the cohort's channels, each once, by first drop date. */
  droppedLessons(cohortId: string, now: Date): Promise<DroppedLesson[]>;
  /**
   * The members' first tries and latest answers per question and ISO week (in `timeZone`, the cohort's), weeks up
   * to `now`.
   */
  questionActivity(
    scope: ReportScope & { readonly timeZone: string; readonly now: Date },
  ): Promise<QuestionWeekActivity[]>;
  /** Per lesson any member has seen: how many members saw it and how many completed it. */
  lessonCompletion(scope: ReportScope): Promise<LessonCompletion[]>;
  /** Every member of the cohort with their lessons and totals, by member id (no attempt is read). */
  memberProgress(scope: ReportScope & { readonly now: Date }): Promise<MemberProgress[]>;
  /** The answer counts of every member of the cohort who answered anything. */
  memberAnswers(scope: ReportScope): Promise<MemberAnswers[]>;
}
