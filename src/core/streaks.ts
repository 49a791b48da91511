/**
 * Daily streaks, counted in the member's own time zone: a local day counts when the member answers at least one
 * question that day, and the streak is the number of consecutive counted days up to the last one. Callers record only
 * answers that score (not repeats, not clicks on a closed quiz), so the day's streak bonus goes to an answer that can
 * earn it (docs/scoring.md, docs/streaks.md).
 *
 * Streaks are humane: between two active days, only **missed days** can break a streak, and a missed day is a day
 * that had a drop for the member (a day with a drop posted in a channel of one of their cohorts; every day for a
 * member with no channel) and is not inside one of their vacation holds. Weekends of a weekday channel, days a
 * channel was paused and days of a hold are never missed. A streak freeze covers one missed day: one is earned each
 * time the streak reaches a multiple of 7 counted days, at most 2 are held, and they are spent automatically, but
 * only when they save the streak (a gap with more missed days than freezes breaks the streak and keeps the freezes).
 *
 * The state is what MemberStats stores (current, best, last active local date, freezes held and used), and every
 * function here is pure: the caller turns the answer's instant into the member's local date
 * (`localDateOf(now, member.timeZone)`), passes what it read about the member's days (`StreakDays`: drop days and
 * holds) and saves the state it gets back in the same transaction as the answer.
 */
import { addDays, assertLocalDate, daysBetween, type LocalDate } from './calendar.ts';

export interface StreakState {
  /** Consecutive active days ending on `lastActiveDate` (0 before the first answer). */
  readonly current: number;
  /** The longest run ever reached. */
  readonly best: number;
  /** The member's local date of the last active day, or null before the first answer. */
  readonly lastActiveDate: LocalDate | null;
  /** Streak freezes held (0 to `freezeRules.max`). */
  readonly freezes: number;
  /** Freezes spent so far, in all (each covered one missed day). */
  readonly freezesUsed: number;
}

export const emptyStreak: StreakState = Object.freeze({
  current: 0,
  best: 0,
  lastActiveDate: null,
  freezes: 0,
  freezesUsed: 0,
});

/** A vacation hold: local dates, both included. */
export interface HoldPeriod {
  readonly startDate: LocalDate;
  readonly endDate: LocalDate;
}

/** What the caller knows about the member's days between the last active day and the day in question. */
export interface StreakDays {
  /**
   * The local dates that had a drop in one of the member's channels (at least those inside the gap being judged), or
   * null when the member has no channel: then every day is a drop day.
   */
  readonly dropDays: ReadonlySet<LocalDate> | null;
  /** The member's vacation holds (at least those overlapping the gap). */
  readonly holds: readonly HoldPeriod[];
}

/** Every day is a drop day and there is no hold: the plain rule (a member with no channel). */
export const everyDayCounts: StreakDays = Object.freeze({ dropDays: null, holds: Object.freeze([]) });

/** How freezes are earned: one each `every` counted days of streak, at most `max` held (0 = no freezes). */
export interface FreezeRules {
  readonly every: number;
  readonly max: number;
}

export const freezeRules: FreezeRules = Object.freeze({ every: 7, max: 2 });

export interface StreakUpdate {
  readonly state: StreakState;
  /**
   * True when this answer counted a new day: the first answer of a local day, which either continues the streak
   * or starts a new one at 1 (the first answer ever, or after a gap with more missed days than freezes). The XP
   * rules give the streak bonus on exactly these answers, for `state.current` days.
   */
  readonly extended: boolean;
  /** Freezes this answer spent to cover the missed days of the gap before it (0 when none were needed or it broke). */
  readonly freezesSpent: number;
  /** This answer earned a freeze (its day made the streak a multiple of `rules.every`, with room to hold one). */
  readonly freezeEarned: boolean;
}

/** The streak after an answer given on `activeDate`, the member's local date of that answer. */
export function recordActivity(
  state: StreakState,
  activeDate: LocalDate,
  days: StreakDays = everyDayCounts,
  rules: FreezeRules = freezeRules,
): StreakUpdate {
  assertLocalDate(activeDate);
  if (state.lastActiveDate === null) return counted(state, 1, activeDate, 0, rules);

  const gap = daysBetween(state.lastActiveDate, activeDate);
  // Same day: already counted. Earlier day: a late-arriving answer (a retried delivery, a queue drained after an
  // outage, or a member who moved west across time zones). The state alone cannot tell whether that day would fill
  // a hole, and a stale answer must never break a streak, so it changes nothing.
  if (gap <= 0) return { state, extended: false, freezesSpent: 0, freezeEarned: false };
  const missed = missedDays(state.lastActiveDate, activeDate, days, state.freezes);
  // Freezes are spent only when they save the streak; a broken streak keeps them for the next one.
  if (missed <= state.freezes) return counted(state, state.current + 1, activeDate, missed, rules);
  return counted(state, 1, activeDate, 0, rules);
}

/** The streak to show on `today` (the member's local date now) and the freezes that would be left. */
export interface StreakAsOf {
  /** The streak still alive today (today's answer would extend it), or 0 when it is broken. */
  readonly current: number;
  /** Freezes held once the missed days so far are covered (all of them when the streak is broken). */
  readonly freezes: number;
  /** Freezes that the next answer will spend on the days missed so far. */
  readonly covering: number;
}

/**
 * The streak as of `today`, without changing the state: alive while the days missed since the last active day
 * (today not included: an answer today can still count) are no more than the freezes held. It agrees with
 * `recordActivity`: an answer today makes the streak `current + 1`.
 */
export function streakAsOf(state: StreakState, today: LocalDate, days: StreakDays = everyDayCounts): StreakAsOf {
  assertLocalDate(today);
  if (state.lastActiveDate === null) return { current: 0, freezes: state.freezes, covering: 0 };
  // A last active day after today happens when the member moved west across time zones: that day was not missed.
  if (daysBetween(state.lastActiveDate, today) <= 0) {
    return { current: state.current, freezes: state.freezes, covering: 0 };
  }
  const missed = missedDays(state.lastActiveDate, today, days, state.freezes);
  if (missed > state.freezes) return { current: 0, freezes: state.freezes, covering: 0 };
  return { current: state.current, freezes: state.freezes - missed, covering: missed };
}

/** The streak to show on `today`: `streakAsOf(...).current`. */
export function currentStreakAsOf(state: StreakState, today: LocalDate, days: StreakDays = everyDayCounts): number {
  return streakAsOf(state, today, days).current;
}

/** Whether `date` falls inside one of the holds. */
export function onHold(date: LocalDate, holds: readonly HoldPeriod[]): boolean {
  return holds.some((hold) => hold.startDate <= date && date <= hold.endDate);
}

/**
 * The missed days strictly between `from` and `to`: drop days outside every hold. With every day a drop day, counting
 * stops once it passes `enough` (the freezes held): the answer is then "more than the freezes", whatever the exact
 * number, so a gap of years costs a few steps, not a walk over every day; holds are skipped whole.
 */
function missedDays(from: LocalDate, to: LocalDate, days: StreakDays, enough: number): number {
  let missed = 0;
  if (days.dropDays !== null) {
    // Only the drop days can be missed: look at those inside the gap (`YYYY-MM-DD` strings sort as dates).
    for (const day of days.dropDays) {
      if (day > from && day < to && !onHold(day, days.holds)) missed += 1;
    }
    return missed;
  }
  for (let day = addDays(from, 1); day < to; day = addDays(day, 1)) {
    const hold = days.holds.find((h) => h.startDate <= day && day <= h.endDate);
    if (hold) {
      // Skip the rest of the hold at once.
      day = hold.endDate;
      continue;
    }
    missed += 1;
    if (missed > enough) return missed;
  }
  return missed;
}

function counted(
  state: StreakState,
  current: number,
  activeDate: LocalDate,
  spent: number,
  rules: FreezeRules,
): StreakUpdate {
  const left = state.freezes - spent;
  const earned = rules.max > 0 && current % rules.every === 0 && left < rules.max;
  return {
    state: {
      current,
      best: Math.max(state.best, current),
      lastActiveDate: activeDate,
      freezes: earned ? left + 1 : left,
      freezesUsed: state.freezesUsed + spent,
    },
    extended: true,
    freezesSpent: spent,
    freezeEarned: earned,
  };
}
