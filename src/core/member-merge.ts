/**
 * Two members become one (`link CODE`: a member's Slack and Discord accounts): which of their rows survive and the
 * running totals recomputed from what survives, as pure functions. The repository (src/db/links.repo.ts) reads both
 * members' rows, asks these functions, and writes the outcome in one transaction.
 *
 * The rule the issue states is that a linked member's answers from both platforms count once per question:
 * - Two attempts with the same dedupe key (self-study `study:<track>/<question>`, a review at the same step
 *   `review:<track>/<question>:<reps>`) or the same posted question are one answer: the earlier is kept, the later
 *   dropped.
 * - A question answered in two channel quizzes (the same lesson dropped in a Slack and in a Discord channel: two
 *   posted questions of one question id) keeps both attempts, but only the earlier one scores; the later one is kept
 *   with `scored = false` and 0 XP, as the answer path records it once the accounts are linked (src/db/answer-batch.ts).
 * - XP, answered, right answers, first tries and reviews, the weekly scores and the streak are then computed again from
 *   the surviving scored attempts, never summed, so nothing counts twice.
 */
import { isoWeekOfInstant, type LocalDate, localDateOf } from './calendar.ts';
import type { AnswerContext } from './scoring.ts';
import { emptyStreak, recordActivity, type StreakDays, type StreakState } from './streaks.ts';

export interface MergeAttempt {
  readonly id: string;
  readonly trackId: string;
  readonly questionId: string;
  readonly postedQuestionId: string | null;
  readonly context: AnswerContext;
  readonly dedupeKey: string;
  readonly correct: boolean;
  readonly scored: boolean;
  readonly xp: number;
  readonly answeredAt: Date;
  /** The member's local date of the answer. */
  readonly localDate: LocalDate;
}

export interface AttemptPlan {
  /** The surviving attempts in answer order, with their scoring after the merge. */
  readonly kept: readonly MergeAttempt[];
  /** Ids of attempts that repeat an earlier one (same dedupe key or posted question): deleted. */
  readonly dropped: readonly string[];
  /** Ids of kept channel-quiz attempts that scored but whose question had already counted: kept unscored. */
  readonly unscored: readonly string[];
}

/** Answer order: the instant, then the id (UUIDv7, so the earlier-made row on a tie). */
function byAnswerOrder(a: MergeAttempt, b: MergeAttempt): number {
  const diff = a.answeredAt.getTime() - b.answeredAt.getTime();
  if (diff !== 0) return diff;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const questionKey = (attempt: { trackId: string; questionId: string }) => `${attempt.trackId}/${attempt.questionId}`;

/** Which of the two members' attempts survive the merge, and which of those still score. */
export function planAttempts(attempts: readonly MergeAttempt[]): AttemptPlan {
  const kept: MergeAttempt[] = [];
  const dropped: string[] = [];
  const unscored: string[] = [];
  const keys = new Set<string>();
  const posted = new Set<string>();
  const quizCounted = new Set<string>();
  for (const attempt of [...attempts].sort(byAnswerOrder)) {
    if (keys.has(attempt.dedupeKey) || (attempt.postedQuestionId !== null && posted.has(attempt.postedQuestionId))) {
      dropped.push(attempt.id);
      continue;
    }
    keys.add(attempt.dedupeKey);
    if (attempt.postedQuestionId !== null) posted.add(attempt.postedQuestionId);
    if (attempt.scored && attempt.context === 'channel_quiz') {
      const question = questionKey(attempt);
      if (quizCounted.has(question)) {
        unscored.push(attempt.id);
        kept.push({ ...attempt, scored: false, xp: 0 });
        continue;
      }
      quizCounted.add(question);
    }
    kept.push(attempt);
  }
  return { kept, dropped, unscored };
}

/** The counters MemberStats and WeeklyScore keep, as the answer path adds them up. */
export interface AnswerTotals {
  xp: number;
  answered: number;
  correct: number;
  /** The member's first scored answer to a question (any context), and of those the right ones. */
  firstTries: number;
  firstTryCorrect: number;
  /** Scored review answers, and of those the right ones. */
  reviews: number;
  reviewsKept: number;
}

const noTotals = (): AnswerTotals => ({
  xp: 0,
  answered: 0,
  correct: 0,
  firstTries: 0,
  firstTryCorrect: 0,
  reviews: 0,
  reviewsKept: 0,
});

/** The scored attempts in answer order, each marked when it is the first scored answer to its question. */
function scoredWithFirstTries(attempts: readonly MergeAttempt[]): { attempt: MergeAttempt; firstTry: boolean }[] {
  const seen = new Set<string>();
  return [...attempts]
    .filter((attempt) => attempt.scored)
    .sort(byAnswerOrder)
    .map((attempt) => {
      const question = questionKey(attempt);
      const firstTry = !seen.has(question);
      seen.add(question);
      return { attempt, firstTry };
    });
}

function add(totals: AnswerTotals, attempt: MergeAttempt, firstTry: boolean): void {
  totals.xp += attempt.xp;
  totals.answered += 1;
  totals.correct += attempt.correct ? 1 : 0;
  totals.firstTries += firstTry ? 1 : 0;
  totals.firstTryCorrect += firstTry && attempt.correct ? 1 : 0;
  const review = attempt.context === 'review';
  totals.reviews += review ? 1 : 0;
  totals.reviewsKept += review && attempt.correct ? 1 : 0;
}

/** A member's all-time totals from their scored attempts. */
export function totalsOf(attempts: readonly MergeAttempt[]): AnswerTotals {
  const totals = noTotals();
  for (const { attempt, firstTry } of scoredWithFirstTries(attempts)) add(totals, attempt, firstTry);
  return totals;
}

export interface WeeklyTotals extends AnswerTotals {
  readonly cohortId: string;
  /** ISO week in the cohort's zone. */
  readonly week: string;
  /** Local days (cohort's zone) of the week with a scored answer. */
  activeDays: number;
}

/**
 * The weekly rows of `wanted` (cohort and ISO week pairs that either member had a row for) from the scored attempts
 * that fall in each week in the cohort's zone. Rows left with no scored answer are not returned.
 */
export function weeklyTotalsOf(
  attempts: readonly MergeAttempt[],
  wanted: readonly { readonly cohortId: string; readonly week: string }[],
  cohortZones: ReadonlyMap<string, string>,
): WeeklyTotals[] {
  const rows = new Map<string, WeeklyTotals>();
  const days = new Map<string, Set<LocalDate>>();
  const wantedWeeks = new Map<string, Set<string>>();
  for (const { cohortId, week } of wanted) {
    const weeks = wantedWeeks.get(cohortId) ?? new Set<string>();
    weeks.add(week);
    wantedWeeks.set(cohortId, weeks);
  }
  const scored = scoredWithFirstTries(attempts);
  for (const [cohortId, weeks] of wantedWeeks) {
    const zone = cohortZones.get(cohortId);
    if (zone === undefined) continue;
    for (const { attempt, firstTry } of scored) {
      const week = isoWeekOfInstant(attempt.answeredAt, zone);
      if (!weeks.has(week)) continue;
      const key = `${cohortId}\u0000${week}`;
      const row = rows.get(key) ?? { cohortId, week, ...noTotals(), activeDays: 0 };
      add(row, attempt, firstTry);
      const dates = days.get(key) ?? new Set<LocalDate>();
      dates.add(localDateOf(attempt.answeredAt, zone));
      days.set(key, dates);
      row.activeDays = dates.size;
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}

/** The streak replayed over the local dates of the scored answers, by the answer path's own rule. */
export function replayStreak(dates: readonly LocalDate[], days: StreakDays): StreakState {
  let state = emptyStreak;
  for (const date of [...new Set(dates)].sort()) state = recordActivity(state, date, days).state;
  return state;
}

/** The review card that goes on: the one reviewed last, else the one reviewed more often; `a` on a full tie. */
export function laterCard<C extends { readonly lastReview: Date | null; readonly reps: number }>(a: C, b: C): C {
  const at = a.lastReview?.getTime() ?? Number.NEGATIVE_INFINITY;
  const bt = b.lastReview?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (at !== bt) return at > bt ? a : b;
  return b.reps > a.reps ? b : a;
}

/** The earlier of two instants, either of which may be missing. */
export function earlier(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
