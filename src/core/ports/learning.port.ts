/**
 * Answers, lesson progress and review cards: implemented in src/db/learning.repo.ts.
 *
 * `recordAnswer` is the answer path (a quiz click, a self-study or review answer) and the benchmark's hot path: one
 * call, one transaction, the database's unique indexes as the guard against counting anything twice.
 */

import type { LocalDate } from '../calendar.ts';
import type { Difficulty } from '../curriculum.ts';
import type { ReviewCardState, ReviewDeck } from '../review-scheduler.ts';
import type { AnswerContext, XpLine } from '../scoring.ts';
import type { StreakState } from '../streaks.ts';

export interface AnswerInput {
  readonly memberId: string;
  /** The member's time zone (their own, else the workspace's): the answer's local date and the streak. */
  readonly timeZone: string;
  readonly trackId: string;
  readonly lessonId: string;
  readonly questionId: string;
  /** Every question id of the lesson, to mark it completed once each has an attempt. */
  readonly lessonQuestionIds: readonly string[];
  readonly difficulty: Difficulty;
  readonly context: AnswerContext;
  /** `pq:<postedQuestionId>`, `study:<trackId>/<questionId>` or `review:<trackId>/<questionId>:<reps>`. */
  readonly dedupeKey: string;
  /** Channel quiz answers only. */
  readonly postedQuestionId?: string | null;
  /** The channel's cohort: a channel quiz answer joins it. */
  readonly cohortId?: string | null;
  /** False when the quiz had closed: the attempt is kept for the record, with feedback only (0 XP, no totals). */
  readonly scored: boolean;
  /** Index of the chosen option, in content order. */
  readonly choice: number;
  readonly correct: boolean;
  /**
   * Review answers: the card's `reps` when the question was served. When the card has moved on since (answered in
   * another serving or context), the answer is stale and counts as already answered.
   */
  readonly expectedCardReps?: number;
  readonly now: Date;
}

export interface PreviousAttempt {
  readonly choice: number;
  readonly correct: boolean;
  readonly xp: number;
  readonly scored: boolean;
  readonly answeredAt: Date;
}

export type AnswerOutcome =
  /** Recorded and counted: XP, totals, streak, card and lesson progress were updated. */
  | {
      readonly status: 'scored';
      readonly xp: number;
      readonly breakdown: readonly XpLine[];
      /**
       * The streak after this answer; `freezesSpent`: freezes this answer used to cover missed days (0 when none was
       * needed or the streak broke); `freezeEarned`: this answer's day earned one (docs/streaks.md).
       */
      readonly streak: StreakState & {
        readonly extended: boolean;
        readonly freezesSpent: number;
        readonly freezeEarned: boolean;
      };
      /** The card after this answer. */
      readonly card: ReviewCardState;
      /**
       * This answer completed the lesson: the lesson is seen and at least `lessonDoneShare` of its questions have an
       * attempt (docs/scoring.md "When a lesson is done").
       */
      readonly lessonCompleted: boolean;
      /**
       * Practice: the member already had a scored answer to this question in another context (self-study before the
       * channel quiz, or the reverse). It earns no answer XP (only the streak bonus when it counts the day), is not a
       * first try, and counts the day for the streak and the boards' regularity (docs/scoring.md). Feedback says so.
       */
      readonly practice: boolean;
    }
  /**
   * Recorded with no XP, nothing else changed: after the quiz closed, or (`counted_elsewhere`) a channel quiz question
   * the member already scored in another channel's quiz (a linked member's other platform): once per question.
   */
  | { readonly status: 'feedback_only'; readonly reason?: 'counted_elsewhere' }
  /**
   * The member already answered here (a double click, a retried delivery, a stale review button): nothing changed.
   * `previous` is the first answer, or null when a review card moved on through an answer elsewhere.
   */
  | { readonly status: 'duplicate'; readonly previous: PreviousAttempt | null };

/** A question posted in a channel's quiz thread, with what answering it needs to know. */
export interface PostedQuestionInfo {
  readonly id: string;
  readonly trackId: string;
  readonly questionId: string;
  readonly position: number;
  readonly dropId: string;
  readonly lessonId: string;
  readonly channelId: string;
  /** The channel's cohort (a channel quiz answer joins it). */
  readonly cohortId: string | null;
  /** Closed when `closedAt` is set or `closesAt <= now` (docs: shared data semantics). */
  readonly closesAt: Date | null;
  readonly closedAt: Date | null;
}

/** The latest drop a channel posted, with its quiz questions in thread order. */
export interface PostedDrop {
  readonly id: string;
  readonly trackId: string;
  readonly lessonId: string;
  readonly localDate: string;
  readonly postedAt: Date | null;
  readonly closesAt: Date | null;
  readonly closedAt: Date | null;
  readonly questions: readonly { readonly id: string; readonly questionId: string; readonly position: number }[];
}

export interface LessonProgressRecord {
  readonly lessonId: string;
  readonly seenAt: Date;
  readonly completedAt: Date | null;
}

export interface StoredReviewCard {
  readonly questionId: string;
  readonly card: ReviewCardState;
}

/** Whether a quiz is closed at `now`. */
export function isQuizClosed(drop: { readonly closesAt: Date | null; readonly closedAt: Date | null }, now: Date) {
  return drop.closedAt !== null || (drop.closesAt !== null && drop.closesAt.getTime() <= now.getTime());
}

export interface LearningStore {
  /** The whole answer transaction; never throws for a duplicate. */
  recordAnswer(input: AnswerInput): Promise<AnswerOutcome>;
  /** The posted question with its drop's state and the channel's cohort; null when it does not exist (any more). */
  findPostedQuestion(postedQuestionId: string): Promise<PostedQuestionInfo | null>;
  /** The channel's most recent drop that was posted (or closed), or null. */
  latestPostedDrop(channelId: string): Promise<PostedDrop | null>;
  /** Marks a lesson seen (once; MemberStats.lessonsSeen counts it). True when it was not seen before. */
  markLessonSeen(input: { memberId: string; trackId: string; lessonId: string; now: Date }): Promise<boolean>;
  /** The lessons of a track the member has seen. */
  lessonProgress(memberId: string, trackId: string): Promise<LessonProgressRecord[]>;
  /** The ids of the questions of a track the member has any attempt on. */
  answeredQuestionIds(memberId: string, trackId: string): Promise<Set<string>>;
  /** The member's review cards in a track. */
  reviewCards(memberId: string, trackId: string): Promise<StoredReviewCard[]>;
  /**
   * The member's cards in every track, and how many review answers they gave on `today` (their local date): what
   * `todaysReviews` (src/core/review-scheduler.ts) needs, for `revisar` and the nudge alike.
   */
  reviewDeck(memberId: string, today: LocalDate): Promise<ReviewDeck>;
  /** One review card, or null. */
  reviewCard(memberId: string, trackId: string, questionId: string): Promise<ReviewCardState | null>;
  /** The member's attempt on a dedupe key, or null. */
  previousAttempt(memberId: string, dedupeKey: string): Promise<PreviousAttempt | null>;
  /** How many members answered a posted question (the live count platforms show under it; never who chose what). */
  answerCount(postedQuestionId: string): Promise<number>;
}
