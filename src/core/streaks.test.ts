import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, CalendarError, daysBetween, type LocalDate, localDateOf } from './calendar.ts';
import { currentStreakAsOf, emptyStreak, recordActivity, type StreakState } from './streaks.ts';

function replay(dates: readonly LocalDate[], from: StreakState = emptyStreak): StreakState {
  return dates.reduce((state, date) => recordActivity(state, date).state, from);
}

describe('recordActivity', () => {
  it('GIVEN no activity yet THEN the first answer starts a 1-day streak', () => {
    expect(recordActivity(emptyStreak, '2026-11-28')).toEqual({
      state: { current: 1, best: 1, lastActiveDate: '2026-11-28' },
      extended: true,
    });
  });

  it('GIVEN a day already counted THEN another answer that day changes nothing', () => {
    const state: StreakState = { current: 3, best: 5, lastActiveDate: '2026-11-28' };
    const update = recordActivity(state, '2026-11-28');
    expect(update.extended).toBe(false);
    expect(update.state).toEqual({ current: 3, best: 5, lastActiveDate: '2026-11-28' });
  });

  it('GIVEN activity yesterday THEN today extends the streak, across a month end too', () => {
    const state: StreakState = { current: 4, best: 4, lastActiveDate: '2026-11-30' };
    expect(recordActivity(state, '2026-12-01')).toEqual({
      state: { current: 5, best: 5, lastActiveDate: '2026-12-01' },
      extended: true,
    });
  });

  it('GIVEN a missed day THEN the streak starts again at 1 and the best is kept', () => {
    const state: StreakState = { current: 6, best: 9, lastActiveDate: '2026-11-26' };
    expect(recordActivity(state, '2026-11-28')).toEqual({
      state: { current: 1, best: 9, lastActiveDate: '2026-11-28' },
      extended: true,
    });
  });

  it('GIVEN a retried delivery of an answer from an earlier day THEN the streak does not change', () => {
    const state: StreakState = { current: 1, best: 4, lastActiveDate: '2026-11-28' };
    expect(recordActivity(state, '2026-11-27')).toEqual({ state, extended: false });
    expect(recordActivity(state, '2026-10-01')).toEqual({ state, extended: false });
  });

  it('GIVEN a member in São Paulo answering late on Monday and in the morning on Tuesday THEN that is 2 days', () => {
    // Both instants are on Tuesday in UTC; the member's own calendar has them on two days.
    const monday = localDateOf(new Date('2026-11-24T01:30:00Z'), 'America/Sao_Paulo');
    const tuesday = localDateOf(new Date('2026-11-24T11:00:00Z'), 'America/Sao_Paulo');
    expect(replay([monday, tuesday])).toEqual({ current: 2, best: 2, lastActiveDate: '2026-11-24' });
  });

  it('GIVEN a date that is not a calendar day THEN it throws a CalendarError', () => {
    expect(() => recordActivity(emptyStreak, '2026-02-30')).toThrow(CalendarError);
    expect(() => recordActivity({ current: 1, best: 1, lastActiveDate: '2026-11-28' }, '28/11/2026')).toThrow(
      CalendarError,
    );
  });
});

describe('currentStreakAsOf', () => {
  const state: StreakState = Object.freeze({ current: 5, best: 8, lastActiveDate: '2026-11-27' });

  it('GIVEN activity today or yesterday THEN the streak is still shown', () => {
    expect(currentStreakAsOf(state, '2026-11-27')).toBe(5);
    expect(currentStreakAsOf(state, '2026-11-28')).toBe(5);
  });

  it('GIVEN a whole day without activity THEN the streak shows 0 and the state is left as it was', () => {
    expect(currentStreakAsOf(state, '2026-11-29')).toBe(0);
    expect(currentStreakAsOf(state, '2027-03-01')).toBe(0);
    expect(state).toEqual({ current: 5, best: 8, lastActiveDate: '2026-11-27' });
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

describe('streak properties', () => {
  it('GIVEN any days in order THEN current is the last run of consecutive days and best the longest', () => {
    fc.assert(
      fc.property(activityArb, (dates) => {
        const runs = runsOf(dates);
        expect(replay(dates)).toEqual({ current: runs.at(-1), best: Math.max(...runs), lastActiveDate: dates.at(-1) });
      }),
    );
  });

  it('GIVEN any days in order THEN exactly the first answer of each day extends the streak', () => {
    fc.assert(
      fc.property(activityArb, (dates) => {
        let state = emptyStreak;
        let extensions = 0;
        for (const date of dates) {
          const update = recordActivity(state, date);
          expect(update.extended).toBe(date !== state.lastActiveDate);
          if (update.extended) extensions += 1;
          state = update.state;
        }
        expect(extensions).toBe(new Set(dates).size);
      }),
    );
  });

  it('GIVEN any state THEN recording its last active day again changes nothing', () => {
    fc.assert(
      fc.property(activityArb, (dates) => {
        const state = replay(dates);
        const again = recordActivity(state, state.lastActiveDate ?? '');
        expect(again).toEqual({ state, extended: false });
      }),
    );
  });

  it('GIVEN late answers from earlier days mixed in anywhere THEN the streak is the same as without them', () => {
    const withLate = activityArb.chain((dates) =>
      fc.tuple(
        fc.constant(dates),
        fc.array(fc.tuple(fc.nat({ max: dates.length - 1 }), fc.integer({ min: 1, max: 30 })), { maxLength: 20 }),
      ),
    );
    fc.assert(
      fc.property(withLate, ([dates, lateAnswers]) => {
        // A late answer after the i-th one is dated 1 to 30 days before the i-th answer's day.
        let state = emptyStreak;
        dates.forEach((date, i) => {
          state = recordActivity(state, date).state;
          for (const [after, daysBack] of lateAnswers) {
            if (after !== i) continue;
            const update = recordActivity(state, addDays(date, -daysBack));
            expect(update.extended).toBe(false);
            state = update.state;
          }
        });
        expect(state).toEqual(replay(dates));
      }),
    );
  });

  it('GIVEN any state and a later today THEN the streak shown is alive only within a day of the last activity', () => {
    fc.assert(
      fc.property(activityArb, fc.integer({ min: 0, max: 10 }), (dates, daysLater) => {
        const state = replay(dates);
        const today = addDays(state.lastActiveDate ?? '', daysLater);
        expect(currentStreakAsOf(state, today)).toBe(daysLater <= 1 ? state.current : 0);
        // What today's answer would do agrees with what is shown: it extends a live streak and restarts a broken one.
        const next = recordActivity(state, today).state.current;
        if (daysLater >= 1) expect(next).toBe(currentStreakAsOf(state, today) + 1);
      }),
    );
  });
});
