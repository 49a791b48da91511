/**
 * The fair ranking score of the leaderboards and the weekly season recaps, written for members and facilitators in
 * docs/ranking.md (change both together). XP (`scoring.ts`) still rewards every answer; the board ranks by this score
 * instead, so that neither the fastest clicker nor the member who answers the most wins by that alone:
 *
 *   score = 450 × accuracy + 150 × retention + 200 × coverage′ + 200 × regularity′      (0 to 1000 points)
 *
 * - accuracy = (first tries right + 2) / (first tries + 4): the first-try rate, smoothed with the "plus four"
 *   estimate (Agresti–Coull; the mean of a Beta(2, 2) posterior), so 1 right of 1 (0.60) does not beat 45 of 50 (0.87).
 * - retention = (reviews kept + 2) / (reviews + 4): the same for spaced reviews (0.5 with no review yet).
 * - coverage = min(1, answers that are not reviews / the period's questions), regularity = min(1, active days / the
 *   period's drop days); each with diminishing returns, x′ = x × (2 − x): the first half of the questions gives three
 *   quarters of the points, and more than the questions there were gives nothing more.
 *
 * The database ranks with the same formula in SQL (src/db/ranking-sql.ts): the same operations in the same order on
 * IEEE doubles, so the order it gives and the points shown from this function agree.
 */

/** What a member did in the period: a WeeklyScore row (a week) or the MemberStats totals (all time). */
export interface RankingCounts {
  /** Every scored answer (first tries, repeats and reviews). */
  readonly answered: number;
  /** First scored answers to a question (any context), and of those the right ones. */
  readonly firstTries: number;
  readonly firstTryCorrect: number;
  /** Review answers, and of those the right ones (kept). */
  readonly reviews: number;
  readonly reviewsKept: number;
  /** Local days with a scored answer; ignored when the period has no day count (`days: null`). */
  readonly activeDays: number;
}

/** What the period offered: the yardsticks of participation. */
export interface RankingPeriod {
  /** Questions the cohort's channels posted in the period (at least 1; see `periodYardsticks`). */
  readonly questions: number;
  /** Days with a drop in the period (at least 1); null for all time, where coverage stands in for regularity. */
  readonly days: number | null;
}

export interface RankingScore {
  /** The score rounded to whole points, 0 to 1000: what the board shows. */
  readonly points: number;
  /** The unrounded score: what the board sorts by. */
  readonly score: number;
  readonly accuracy: number;
  readonly retention: number;
  /** Before diminishing returns, 0 to 1. */
  readonly coverage: number;
  readonly regularity: number;
}

/** Weights of the four parts, summing to 1000 points. */
export const RANKING_WEIGHTS = Object.freeze({ accuracy: 450, retention: 150, coverage: 200, regularity: 200 });
/** The "plus four" smoothing: two imaginary right answers and two wrong ones added to every rate. */
export const RANKING_PRIOR_RIGHT = 2;
export const RANKING_PRIOR_TOTAL = 4;

/** `(right + 2) / (total + 4)`: a rate that needs evidence to move away from one half. */
export function plusFour(right: number, total: number): number {
  return (right + RANKING_PRIOR_RIGHT) / (total + RANKING_PRIOR_TOTAL);
}

/** x × (2 − x) of x capped to 0…1: concave, 0 at 0, 1 at 1 and beyond. */
export function diminishing(share: number): number {
  const x = Math.min(1, Math.max(0, share));
  return x * (2 - x);
}

/**
 * `diminishing(part / whole)` for whole numbers, computed as part × (2 × whole − part) / whole²: exact integers and
 * one division, which the database repeats operation for operation (whole ≥ 1).
 */
export function diminishingShare(part: number, whole: number): number {
  if (part >= whole) return 1;
  if (part <= 0) return 0;
  return (part * (2 * whole - part)) / (whole * whole);
}

/** The fair score of one member's counts over a period. */
export function rankingScore(counts: RankingCounts, period: RankingPeriod): RankingScore {
  const questions = Math.max(1, period.questions);
  const days = period.days === null ? null : Math.max(1, period.days);
  const answers = counts.answered - counts.reviews;
  const accuracy = plusFour(counts.firstTryCorrect, counts.firstTries);
  const retention = plusFour(counts.reviewsKept, counts.reviews);
  const covered = diminishingShare(answers, questions);
  const regular = days === null ? covered : diminishingShare(counts.activeDays, days);
  // Evaluated left to right as src/db/ranking-sql.ts does: the same operations in the same order, the same double.
  const score =
    RANKING_WEIGHTS.accuracy * accuracy +
    RANKING_WEIGHTS.retention * retention +
    RANKING_WEIGHTS.coverage * covered +
    RANKING_WEIGHTS.regularity * regular;
  const coverage = clamp(answers / questions);
  const regularity = days === null ? coverage : clamp(counts.activeDays / days);
  return { points: Math.round(score), score, accuracy, retention, coverage, regularity };
}

/**
 * The period's yardsticks: the questions and drop days the cohort's channels posted, or, for a cohort whose channels
 * posted nothing in it (a cohort that studies at its own pace), what its most active member did, so that member has
 * full participation and the others are measured against them.
 */
export function periodYardsticks(input: {
  readonly postedQuestions: number;
  readonly dropDays: number | null;
  readonly mostAnswers: number;
  readonly mostActiveDays: number;
}): RankingPeriod {
  return {
    questions: Math.max(1, input.postedQuestions > 0 ? input.postedQuestions : input.mostAnswers),
    days: input.dropDays === null ? null : Math.max(1, input.dropDays > 0 ? input.dropDays : input.mostActiveDays),
  };
}

/** A first-try accuracy of a group (the cohort's average): right first tries over first tries, null with none. */
export function pooledAccuracy(firstTryCorrect: number, firstTries: number): number | null {
  return firstTries > 0 ? firstTryCorrect / firstTries : null;
}

function clamp(value: number): number {
  return value > 1 ? 1 : value < 0 || Number.isNaN(value) ? 0 : value;
}

/** One scored attempt, as the weekly recount reads it. */
export interface ScoredAttempt {
  readonly trackId: string;
  readonly questionId: string;
  readonly review: boolean;
  readonly correct: boolean;
  readonly xp: number;
  /** ISO week and local date of the answer in the cohort's zone. */
  readonly week: string;
  readonly localDate: string;
}

/** A member's week in a cohort, counted from their scored attempts: what a WeeklyScore row holds. */
export interface WeekCounts {
  readonly week: string;
  xp: number;
  /** Questions answered in the week (first tries and practice, each question once a week) plus reviews. */
  answered: number;
  correct: number;
  firstTries: number;
  firstTryCorrect: number;
  reviews: number;
  reviewsKept: number;
  activeDays: number;
}

/**
 * A member's weekly counts from all their scored attempts in answer order (docs/ranking.md): a first try is the first
 * scored answer to a question in any context, practice (a later non-review answer) counts its question once a week
 * for coverage, an active day is a local day with a scored answer. The answer path keeps the same counts one answer
 * at a time; a member who joins a cohort has their weeks there counted again with this.
 */
export function weeklyCounts(attempts: readonly ScoredAttempt[]): Map<string, WeekCounts> {
  const weeks = new Map<string, WeekCounts>();
  const tried = new Set<string>();
  const answeredInWeek = new Set<string>();
  const days = new Set<string>();
  for (const attempt of attempts) {
    let row = weeks.get(attempt.week);
    if (!row) {
      row = {
        week: attempt.week,
        xp: 0,
        answered: 0,
        correct: 0,
        firstTries: 0,
        firstTryCorrect: 0,
        reviews: 0,
        reviewsKept: 0,
        activeDays: 0,
      };
      weeks.set(attempt.week, row);
    }
    row.xp += attempt.xp;
    if (!days.has(attempt.localDate)) {
      days.add(attempt.localDate);
      row.activeDays += 1;
    }
    const question = `${attempt.trackId}\u0000${attempt.questionId}`;
    if (attempt.review) {
      row.reviews += 1;
      row.reviewsKept += attempt.correct ? 1 : 0;
      row.answered += 1;
      row.correct += attempt.correct ? 1 : 0;
      continue;
    }
    if (!tried.has(question)) {
      tried.add(question);
      row.firstTries += 1;
      row.firstTryCorrect += attempt.correct ? 1 : 0;
    }
    const inWeek = `${attempt.week}\u0000${question}`;
    if (!answeredInWeek.has(inWeek)) {
      answeredInWeek.add(inWeek);
      row.answered += 1;
      row.correct += attempt.correct ? 1 : 0;
    }
  }
  return weeks;
}
