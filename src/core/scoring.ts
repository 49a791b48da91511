/**
 * The XP rules, applied here and nowhere else, and written for members and facilitators in docs/scoring.md (change
 * both together). `xpForAnswer` returns the total and the lines it is made of, so feedback can explain every point.
 */
import type { Difficulty } from './curriculum.ts';

/** A right first answer in a channel quiz or in self-study. */
export const XP_RIGHT_ANSWER = 10;
/** Added to a right first answer (channel quiz or self-study) by the question's difficulty. */
export const XP_DIFFICULTY_BONUS: Readonly<Record<Difficulty, number>> = Object.freeze({ easy: 0, medium: 2, hard: 5 });
/** A wrong first answer in a channel quiz or in self-study: taking part counts. */
export const XP_WRONG_ANSWER = 2;
/** A right answer in a review session (the question was seen before, so less than a first encounter). */
export const XP_REVIEW_RIGHT = 5;
/** A wrong answer in a review session. */
export const XP_REVIEW_WRONG = 1;
/** The streak bonus of the answer that counts a day is one XP per streak day, up to this many. */
export const XP_STREAK_BONUS_CAP = 7;

export type AnswerContext = 'channel_quiz' | 'self_study' | 'review';

export interface AnswerForXp {
  readonly context: AnswerContext;
  readonly correct: boolean;
  /** The question's difficulty; only channel quizzes and self-study give a bonus for it. */
  readonly difficulty: Difficulty;
  /** False for a repeat click or a retried delivery: the member already answered this question here. */
  readonly firstAnswer: boolean;
  /**
   * True when the member already has a scored answer to this question in another context (self-study before the
   * channel quiz, or the reverse): practice, which earns no answer XP (XP once per member and question, ever) but still
   * counts the day, so the streak bonus applies. Never true for a review.
   */
  readonly practice?: boolean;
  /** True when the answer came after its quiz closed (only channel quizzes close). */
  readonly quizClosed: boolean;
  /** The streak length when this answer counted a new day (`recordActivity(...).extended`), otherwise null. */
  readonly streakExtendedTo: number | null;
}

/**
 * Why XP was given: a stable id that feedback translates. `already_answered` and `quiz_closed` come with 0 XP and say
 * why an answer scored nothing (a repeat click; an answer after the quiz closed, which gets feedback only).
 */
export type XpReason =
  | 'right_answer'
  | 'difficulty_bonus'
  | 'wrong_answer'
  | 'review_right'
  | 'review_wrong'
  | 'streak_bonus'
  | 'already_answered'
  | 'quiz_closed'
  | 'practice';

export interface XpLine {
  readonly reason: XpReason;
  readonly xp: number;
}

export interface XpAward {
  /** The sum of the breakdown. */
  readonly xp: number;
  /** Why: one line per rule that applied; an answer that scores nothing has one 0 XP line saying why. */
  readonly breakdown: readonly XpLine[];
}

/** The XP an answer earns, and why. */
export function xpForAnswer(input: AnswerForXp): XpAward {
  const { streakExtendedTo } = input;
  if (streakExtendedTo !== null && !(Number.isSafeInteger(streakExtendedTo) && streakExtendedTo >= 1)) {
    throw new RangeError(`streakExtendedTo must be null or a whole number of days from 1: ${streakExtendedTo}`);
  }

  // An answer that scores nothing scores nothing at all, streak bonus included: callers count a day for the streak
  // only on answers that score, so the bonus is never lost to a click that could not earn it.
  if (!input.firstAnswer) return award([{ reason: 'already_answered', xp: 0 }]);
  if (input.quizClosed) return award([{ reason: 'quiz_closed', xp: 0 }]);

  const lines: XpLine[] = [];
  if (input.practice && input.context !== 'review') {
    lines.push({ reason: 'practice', xp: 0 });
  } else if (input.context === 'review') {
    lines.push(
      input.correct ? { reason: 'review_right', xp: XP_REVIEW_RIGHT } : { reason: 'review_wrong', xp: XP_REVIEW_WRONG },
    );
  } else if (input.correct) {
    lines.push({ reason: 'right_answer', xp: XP_RIGHT_ANSWER });
    const bonus = XP_DIFFICULTY_BONUS[input.difficulty];
    if (bonus > 0) lines.push({ reason: 'difficulty_bonus', xp: bonus });
  } else {
    lines.push({ reason: 'wrong_answer', xp: XP_WRONG_ANSWER });
  }
  if (streakExtendedTo !== null) {
    lines.push({ reason: 'streak_bonus', xp: Math.min(streakExtendedTo, XP_STREAK_BONUS_CAP) });
  }
  return award(lines);
}

/** The share of right answers, from 0 to 1 (0 when nothing was answered yet). */
export function accuracy(correct: number, answered: number): number {
  if (!Number.isSafeInteger(correct) || !Number.isSafeInteger(answered) || correct < 0 || correct > answered) {
    throw new RangeError(`accuracy needs 0 <= correct <= answered, whole numbers: ${correct} of ${answered}`);
  }
  return answered === 0 ? 0 : correct / answered;
}

function award(breakdown: XpLine[]): XpAward {
  return { xp: breakdown.reduce((sum, line) => sum + line.xp, 0), breakdown };
}
