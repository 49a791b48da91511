/**
 * Daily streaks, counted in the member's own time zone: a local day counts when the member answers at least one
 * question that day, and the streak is the number of consecutive counted days up to the last one. Callers record only
 * answers that score (not repeats, not clicks on a closed quiz), so the day's streak bonus goes to an answer that can
 * earn it (docs/scoring.md).
 *
 * The state is what MemberStats stores (current, best, last active local date), and every function here is pure: the
 * caller turns the answer's instant into the member's local date (`localDateOf(now, member.timeZone)`) and saves
 * the state it gets back in the same transaction as the answer.
 *
 * Later rules ("streak freezes", days without a drop that should not break a streak) belong in one place:
 * `continuesStreak`, which decides whether a gap between two active days keeps the streak alive. They will need more
 * state (freezes held, the days without a drop) and are not implemented here.
 */
import { assertLocalDate, daysBetween, type LocalDate } from './calendar.ts';

export interface StreakState {
  /** Consecutive active days ending on `lastActiveDate` (0 before the first answer). */
  readonly current: number;
  /** The longest run ever reached. */
  readonly best: number;
  /** The member's local date of the last active day, or null before the first answer. */
  readonly lastActiveDate: LocalDate | null;
}

export const emptyStreak: StreakState = Object.freeze({ current: 0, best: 0, lastActiveDate: null });

export interface StreakUpdate {
  readonly state: StreakState;
  /**
   * True when this answer counted a new day: the first answer of a local day, which either continues the streak
   * (the day after the last active day) or starts a new one at 1 (the first answer ever, or after a gap). The XP rules
   * give the streak bonus on exactly these answers, for `state.current` days.
   */
  readonly extended: boolean;
}

/** The streak after an answer given on `activeDate`, the member's local date of that answer. */
export function recordActivity(state: StreakState, activeDate: LocalDate): StreakUpdate {
  assertLocalDate(activeDate);
  if (state.lastActiveDate === null) return counted(state, 1, activeDate);

  const gap = daysBetween(state.lastActiveDate, activeDate);
  // Same day: already counted. Earlier day: a late-arriving answer (a retried delivery, a queue drained after an
  // outage, or a member who moved west across time zones). The state alone cannot tell whether that day would fill
  // a hole, and a stale answer must never break a streak, so it changes nothing.
  if (gap <= 0) return { state, extended: false };
  return counted(state, continuesStreak(gap) ? state.current + 1 : 1, activeDate);
}

/**
 * The streak to show on `today` (the member's local date now), without changing the state: still alive when the last
 * active day is today or yesterday (today's answer can extend it), 0 when at least one whole day was missed.
 */
export function currentStreakAsOf(state: StreakState, today: LocalDate): number {
  assertLocalDate(today);
  if (state.lastActiveDate === null) return 0;
  // A last active day after today happens when the member moved west across time zones: that day was not missed.
  return continuesStreak(daysBetween(state.lastActiveDate, today)) ? state.current : 0;
}

/**
 * Whether a gap of `gap` days between the last active day and a later one keeps the streak alive (0: the same day,
 * 1: the next day). Streak freezes and days without a drop would widen this rule, with the state they need.
 */
function continuesStreak(gap: number): boolean {
  return gap <= 1;
}

function counted(state: StreakState, current: number, activeDate: LocalDate): StreakUpdate {
  return { state: { current, best: Math.max(state.best, current), lastActiveDate: activeDate }, extended: true };
}
