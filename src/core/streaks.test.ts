import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, CalendarError, daysBetween, isoWeekday, type LocalDate, localDateOf } from './calendar.ts';
import {
  currentStreakAsOf,
  emptyStreak,
  everyDayCounts,
  type FreezeRules,
  freezeRules,
  type HoldPeriod,
  recordActivity,
  type StreakDays,
  type StreakState,
  streakAsOf,
} from './streaks.ts';

/** The plain rule of consecutive days: every day counts, no hold, no freezes. */
const noFreezes: FreezeRules = { every: 7, max: 0 };
const plain = (current: number, best: number, lastActiveDate: LocalDate | null): StreakState => ({
  current,
  best,
  lastActiveDate,
  freezes: 0,
  freezesUsed: 0,
});
const record = (state: StreakState, date: LocalDate) => recordActivity(state, date, everyDayCounts, noFreezes);

function replay(dates: readonly LocalDate[], from: StreakState = emptyStreak): StreakState {
  return dates.reduce((state, date) => record(state, date).state, from);
}

describe('recordActivity', () => {
  it('GIVEN no activity yet THEN the first answer starts a 1-day streak', () => {
    expect(recordActivity(emptyStreak, '2026-11-28')).toEqual({
      state: plain(1, 1, '2026-11-28'),
      extended: true,
      freezesSpent: 0,
      freezeEarned: false,
    });
  });

  it('GIVEN a day already counted THEN another answer that day changes nothing', () => {
    const state = plain(3, 5, '2026-11-28');
    const update = recordActivity(state, '2026-11-28');
    expect(update.extended).toBe(false);
    expect(update.state).toEqual(plain(3, 5, '2026-11-28'));
  });

  it('GIVEN activity yesterday THEN today extends the streak, across a month end too', () => {
    expect(recordActivity(plain(4, 4, '2026-11-30'), '2026-12-01')).toMatchObject({
      state: plain(5, 5, '2026-12-01'),
      extended: true,
    });
  });

  it('GIVEN a missed day and no freeze THEN the streak starts again at 1 and the best is kept', () => {
    expect(recordActivity(plain(6, 9, '2026-11-26'), '2026-11-28')).toMatchObject({
      state: plain(1, 9, '2026-11-28'),
      extended: true,
      freezesSpent: 0,
    });
  });

  it('GIVEN a retried delivery of an answer from an earlier day THEN the streak does not change', () => {
    const state = plain(1, 4, '2026-11-28');
    expect(recordActivity(state, '2026-11-27')).toEqual({
      state,
      extended: false,
      freezesSpent: 0,
      freezeEarned: false,
    });
    expect(recordActivity(state, '2026-10-01').state).toBe(state);
  });

  it('GIVEN a member in São Paulo answering late on Monday and in the morning on Tuesday THEN that is 2 days', () => {
    // Both instants are on Tuesday in UTC; the member's own calendar has them on two days.
    const monday = localDateOf(new Date('2026-11-24T01:30:00Z'), 'America/Sao_Paulo');
    const tuesday = localDateOf(new Date('2026-11-24T11:00:00Z'), 'America/Sao_Paulo');
    expect(replay([monday, tuesday])).toEqual(plain(2, 2, '2026-11-24'));
  });

  it('GIVEN a date that is not a calendar day THEN it throws a CalendarError', () => {
    expect(() => recordActivity(emptyStreak, '2026-02-30')).toThrow(CalendarError);
    expect(() => recordActivity(plain(1, 1, '2026-11-28'), '28/11/2026')).toThrow(CalendarError);
  });
});

/** Drops on weekdays only (Monday to Friday) between two dates, as a Mon–Fri channel posts them. */
function weekdayDrops(from: LocalDate, to: LocalDate): Set<LocalDate> {
  const days = new Set<LocalDate>();
  for (let day = from; day <= to; day = addDays(day, 1)) if (isoWeekday(day) <= 5) days.add(day);
  return days;
}

describe('humane streaks', () => {
  // 2026-11-27 is a Friday; 2026-11-30 a Monday; 2026-12-02 a Wednesday.
  const monToFri: StreakDays = { dropDays: weekdayDrops('2026-11-01', '2026-12-31'), holds: [] };

  it('GIVEN a Mon–Fri channel WHEN the member answers on Friday and on Monday THEN the weekend breaks nothing', () => {
    const update = recordActivity(plain(3, 3, '2026-11-27'), '2026-11-30', monToFri);
    expect(update.state).toMatchObject({ current: 4, freezes: 0, freezesUsed: 0 });
    expect(update.freezesSpent).toBe(0);
    expect(streakAsOf(plain(3, 3, '2026-11-27'), '2026-11-30', monToFri)).toEqual({
      current: 3,
      freezes: 0,
      covering: 0,
    });
  });

  it('GIVEN a Mon–Fri channel WHEN the member misses the Monday THEN without a freeze the streak starts again', () => {
    expect(recordActivity(plain(3, 3, '2026-11-27'), '2026-12-01', monToFri).state.current).toBe(1);
    expect(currentStreakAsOf(plain(3, 3, '2026-11-27'), '2026-12-01', monToFri)).toBe(0);
  });

  it('GIVEN a freeze held WHEN a Wednesday is missed THEN the freeze covers it and is spent', () => {
    const held: StreakState = { current: 9, best: 9, lastActiveDate: '2026-12-01', freezes: 1, freezesUsed: 0 };
    expect(streakAsOf(held, '2026-12-03', monToFri)).toEqual({ current: 9, freezes: 0, covering: 1 });
    const update = recordActivity(held, '2026-12-03', monToFri);
    expect(update).toEqual({
      state: { current: 10, best: 10, lastActiveDate: '2026-12-03', freezes: 0, freezesUsed: 1 },
      extended: true,
      freezesSpent: 1,
      freezeEarned: false,
    });
  });

  it('GIVEN one freeze and two missed days THEN the streak breaks and the freeze is kept for the next one', () => {
    const held: StreakState = { current: 9, best: 12, lastActiveDate: '2026-12-01', freezes: 1, freezesUsed: 3 };
    expect(streakAsOf(held, '2026-12-04', monToFri)).toEqual({ current: 0, freezes: 1, covering: 0 });
    expect(recordActivity(held, '2026-12-04', monToFri).state).toEqual({
      current: 1,
      best: 12,
      lastActiveDate: '2026-12-04',
      freezes: 1,
      freezesUsed: 3,
    });
  });

  it('GIVEN 7 counted days THEN a freeze is earned, and never more than 2 are held', () => {
    const six = plain(6, 6, '2026-11-06');
    const seventh = recordActivity(six, '2026-11-07');
    expect(seventh.freezeEarned).toBe(true);
    expect(seventh.state).toMatchObject({ current: 7, freezes: 1 });
    const full: StreakState = { current: 13, best: 13, lastActiveDate: '2026-11-13', freezes: 2, freezesUsed: 0 };
    expect(recordActivity(full, '2026-11-14')).toMatchObject({
      state: { current: 14, freezes: 2 },
      freezeEarned: false,
    });
  });

  it('GIVEN a hold across a week THEN its days are never missed, with or without drops', () => {
    const holds: HoldPeriod[] = [{ startDate: '2026-11-30', endDate: '2026-12-06' }];
    const before = plain(5, 5, '2026-11-27');
    expect(recordActivity(before, '2026-12-07', { ...monToFri, holds }).state.current).toBe(6);
    // With every day a drop day (no channel), the weekend before the hold is missed; a hold from Saturday covers it.
    expect(recordActivity(before, '2026-12-07', { dropDays: null, holds }).state.current).toBe(1);
    const fromSaturday: HoldPeriod[] = [{ startDate: '2026-11-28', endDate: '2026-12-06' }];
    expect(recordActivity(before, '2026-12-07', { dropDays: null, holds: fromSaturday }).state.current).toBe(6);
    // A day after the hold ends is missed again.
    expect(recordActivity(before, '2026-12-08', { dropDays: null, holds: fromSaturday }).state.current).toBe(1);
    expect(currentStreakAsOf(before, '2026-12-03', { ...monToFri, holds })).toBe(5);
  });

  it('GIVEN a channel that posted nothing for weeks (paused) THEN those days are not missed', () => {
    const paused: StreakDays = { dropDays: new Set(['2026-11-02', '2026-12-14']), holds: [] };
    expect(recordActivity(plain(4, 4, '2026-11-02'), '2026-12-14', paused).state.current).toBe(5);
  });

  it('GIVEN a member with no channel and a gap of years THEN the streak breaks at once', () => {
    expect(recordActivity(plain(4, 4, '2000-01-01'), '2026-01-01').state.current).toBe(1);
  });
});

describe('currentStreakAsOf', () => {
  const state: StreakState = Object.freeze(plain(5, 8, '2026-11-27'));

  it('GIVEN activity today or yesterday THEN the streak is still shown', () => {
    expect(currentStreakAsOf(state, '2026-11-27')).toBe(5);
    expect(currentStreakAsOf(state, '2026-11-28')).toBe(5);
  });

  it('GIVEN a whole day without activity THEN the streak shows 0 and the state is left as it was', () => {
    expect(currentStreakAsOf(state, '2026-11-29')).toBe(0);
    expect(currentStreakAsOf(state, '2027-03-01')).toBe(0);
    expect(state).toEqual(plain(5, 8, '2026-11-27'));
  });

  it('GIVEN no activity ever THEN the streak is 0', () => {
    expect(currentStreakAsOf(emptyStreak, '2026-11-28')).toBe(0);
  });

  it('GIVEN a today that is not a calendar day THEN it throws a CalendarError', () => {
    expect(() => currentStreakAsOf(emptyStreak, 'today')).toThrow(CalendarError);
  });

  it('GIVEN a member who moved west, whose last active day is after today THEN the streak is still shown', () => {
    expect(currentStreakAsOf(state, '2026-11-26')).toBe(5);
  });
});

/** A start day and the gaps between successive answers: 0 is another answer on the same day. */
const activityArb = fc
  .tuple(
    fc.integer({ min: 0, max: 40_000 }).map((days) => addDays('1990-01-01', days)),
    fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 60 }),
  )
  .map(([start, gaps]) => {
    const dates = [start];
    for (const gap of gaps) dates.push(addDays(dates.at(-1) ?? start, gap));
    return dates;
  });

/** The expected streak, from the runs of consecutive days among the distinct active days. */
function runsOf(dates: readonly LocalDate[]): number[] {
  const days = [...new Set(dates)];
  const runs: number[] = [];
  days.forEach((day, i) => {
    const previous = days[i - 1];
    if (previous !== undefined && daysBetween(previous, day) === 1) runs[runs.length - 1] = (runs.at(-1) ?? 0) + 1;
    else runs.push(1);
  });
  return runs;
}

describe('streak properties: every day counts, no freezes (the plain rule)', () => {
  it('GIVEN any days in order THEN current is the last run of consecutive days and best the longest', () => {
    fc.assert(
      fc.property(activityArb, (dates) => {
        const runs = runsOf(dates);
        expect(replay(dates)).toEqual(plain(runs.at(-1) ?? 0, Math.max(...runs), dates.at(-1) ?? null));
      }),
    );
  });

  it('GIVEN any days in order THEN exactly the first answer of each day extends the streak', () => {
    fc.assert(
      fc.property(activityArb, (dates) => {
        let state = emptyStreak;
        let extensions = 0;
        for (const date of dates) {
          const update = record(state, date);
          expect(update.extended).toBe(date !== state.lastActiveDate);
          if (update.extended) extensions += 1;
          state = update.state;
        }
        expect(extensions).toBe(new Set(dates).size);
      }),
    );
  });

  it('GIVEN any state and a later today THEN the streak shown is alive only within a day of the last activity', () => {
    fc.assert(
      fc.property(activityArb, fc.integer({ min: 0, max: 10 }), (dates, daysLater) => {
        const state = replay(dates);
        const today = addDays(state.lastActiveDate ?? '', daysLater);
        expect(currentStreakAsOf(state, today)).toBe(daysLater <= 1 ? state.current : 0);
      }),
    );
  });
});

/** A member's days around the activity: drops on some weekdays (or every day), and a few holds. */
const daysArb = (dates: readonly LocalDate[]) =>
  fc
    .record({
      weekdays: fc.option(fc.subarray([1, 2, 3, 4, 5, 6, 7]), { nil: null }),
      holds: fc.array(fc.tuple(fc.integer({ min: -5, max: 200 }), fc.integer({ min: 1, max: 60 })), { maxLength: 3 }),
    })
    .map(({ weekdays, holds }): StreakDays => {
      const first = dates[0] as LocalDate;
      const last = addDays(dates.at(-1) as LocalDate, 15);
      let dropDays: Set<LocalDate> | null = null;
      if (weekdays !== null) {
        dropDays = new Set();
        for (let day = first; day <= last; day = addDays(day, 1)) {
          if (weekdays.includes(isoWeekday(day))) dropDays.add(day);
        }
      }
      return {
        dropDays,
        holds: holds.map(([offset, length]) => ({
          startDate: addDays(first, offset),
          endDate: addDays(first, offset + length - 1),
        })),
      };
    });

const withDays = activityArb.chain((dates) => fc.tuple(fc.constant(dates), daysArb(dates)));

function replayWith(dates: readonly LocalDate[], days: StreakDays): StreakState {
  return dates.reduce((state, date) => recordActivity(state, date, days).state, emptyStreak);
}

describe('streak properties: drop days, holds and freezes', () => {
  it('GIVEN any activity and days THEN what is shown today agrees with what an answer today would record', () => {
    fc.assert(
      fc.property(withDays, fc.integer({ min: 1, max: 12 }), ([dates, days], daysLater) => {
        const state = replayWith(dates, days);
        const today = addDays(state.lastActiveDate ?? '', daysLater);
        const shown = streakAsOf(state, today, days);
        const update = recordActivity(state, today, days);
        expect(update.state.current).toBe(shown.current + 1);
        expect(update.state.freezes).toBe(shown.freezes + (update.freezeEarned ? 1 : 0));
        expect(update.freezesSpent).toBe(shown.covering);
      }),
    );
  });

  it('GIVEN any activity and days THEN freezes stay within 0 to 2, are only spent to save a streak, and add up', () => {
    fc.assert(
      fc.property(withDays, ([dates, days]) => {
        let state = emptyStreak;
        let earned = 0;
        for (const date of dates) {
          const update = recordActivity(state, date, days);
          expect(update.state.freezes).toBeGreaterThanOrEqual(0);
          expect(update.state.freezes).toBeLessThanOrEqual(2);
          if (update.freezesSpent > 0) expect(update.state.current).toBe(state.current + 1);
          if (update.freezeEarned) earned += 1;
          expect(update.state.best).toBeGreaterThanOrEqual(update.state.current);
          state = update.state;
        }
        expect(state.freezes + state.freezesUsed).toBe(earned);
      }),
    );
  });

  it('GIVEN any activity THEN holds, days without a drop and freezes never make a streak shorter', () => {
    const run = (dates: readonly LocalDate[], days: StreakDays, rules: FreezeRules) =>
      dates.reduce((state, date) => recordActivity(state, date, days, rules).state, emptyStreak).current;
    fc.assert(
      fc.property(withDays, ([dates, days]) => {
        const plainRun = replay(dates).current;
        // Without freezes: the humane days alone never break a streak the plain rule keeps.
        expect(run(dates, days, noFreezes)).toBeGreaterThanOrEqual(plainRun);
        expect(run(dates, { dropDays: days.dropDays, holds: [] }, noFreezes)).toBeLessThanOrEqual(
          run(dates, days, noFreezes),
        );
        // Freezes never break a streak that would live without them.
        expect(run(dates, days, freezeRules)).toBeGreaterThanOrEqual(run(dates, days, noFreezes));
        // A channel that never posted: no day is ever missed.
        expect(run(dates, { dropDays: new Set(), holds: [] }, freezeRules)).toBe(new Set(dates).size);
      }),
    );
  });

  it('GIVEN late answers from earlier days mixed in anywhere THEN the streak is the same as without them', () => {
    const withLate = withDays.chain(([dates, days]) =>
      fc.tuple(
        fc.constant(dates),
        fc.constant(days),
        fc.array(fc.tuple(fc.nat({ max: dates.length - 1 }), fc.integer({ min: 1, max: 30 })), { maxLength: 20 }),
      ),
    );
    fc.assert(
      fc.property(withLate, ([dates, days, lateAnswers]) => {
        // A late answer after the i-th one is dated 1 to 30 days before the i-th answer's day.
        let state = emptyStreak;
        dates.forEach((date, i) => {
          state = recordActivity(state, date, days).state;
          for (const [after, daysBack] of lateAnswers) {
            if (after !== i) continue;
            const update = recordActivity(state, addDays(date, -daysBack), days);
            expect(update.extended).toBe(false);
            state = update.state;
          }
        });
        expect(state).toEqual(replayWith(dates, days));
      }),
    );
  });

  it('GIVEN any state THEN recording its last active day again changes nothing', () => {
    fc.assert(
      fc.property(withDays, ([dates, days]) => {
        const state = replayWith(dates, days);
        expect(recordActivity(state, state.lastActiveDate ?? '', days)).toEqual({
          state,
          extended: false,
          freezesSpent: 0,
          freezeEarned: false,
        });
      }),
    );
  });
});
