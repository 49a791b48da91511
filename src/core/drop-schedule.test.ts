import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarError, type LocalDate } from './calendar.ts';
import {
  type DropSchedule,
  DropScheduleError,
  dropInstant,
  dropScheduleMessages,
  dropScheduleSchema,
  dueDrop,
  isDropDay,
  lessonIndexFor,
  nextDrop,
  parseDropSchedule,
} from './drop-schedule.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const weekdaysOnly = [1, 2, 3, 4, 5] as const;

/** A Sao Paulo channel dropping at 09:00 on weekdays since 2026-01-05, changed field by field. */
function schedule(overrides: Partial<DropSchedule> = {}): DropSchedule {
  return {
    dropTime: '09:00',
    timeZone: 'America/Sao_Paulo',
    weekdays: weekdaysOnly,
    startDate: '2026-01-05',
    paused: false,
    ...overrides,
  };
}

const everyDay = [1, 2, 3, 4, 5, 6, 7];

function utc(iso: string): Date {
  return new Date(iso);
}

// ---------------------------------------------------------------------------------------------------------------
// An oracle independent of luxon and of the code under test: wall clocks read straight from Intl.

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** What a wall clock in `zone` shows at an instant, `YYYY-MM-DDTHH:MM`. */
function wallClock(ms: number, zone: string): string {
  let format = wallFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    wallFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The wall clock's reading as if it were a UTC instant; minus the instant, that is the zone's offset. */
function wallAsUtc(ms: number, zone: string): number {
  return Date.parse(`${wallClock(ms, zone)}Z`);
}

/**
 * The first minute at which the wall clock in `zone` reads `time` on `date` or later, found by walking minute by
 * minute from well before it: the rule `dropInstant` documents, computed the slow, obvious way.
 */
function firstInstantShowing(zone: string, date: LocalDate, time: string): number {
  const target = `${date}T${time}`;
  const wall = Date.parse(`${target}Z`);
  const offsetBefore = wallAsUtc(wall - DAY, zone) - (wall - DAY);
  let ms = wall - offsetBefore - 2 * HOUR;
  // The walk must start on a reading before the target, or it would prove nothing.
  expect(wallClock(ms, zone) < target, `${zone} ${target}`).toBe(true);
  while (wallClock(ms, zone) < target) ms += MINUTE;
  return ms;
}

const zones = [
  'America/Sao_Paulo',
  'America/New_York',
  'Europe/Lisbon',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
  'UTC',
] as const;

const from2018 = Date.UTC(2018, 0, 1);
const to2030 = Date.UTC(2031, 0, 1) - 1;

/** The wall clock just before each offset change of a zone from 2018 to 2030, found by scanning the days. */
function offsetChanges(zone: string): { date: LocalDate; minuteOfDay: number }[] {
  const changes: { date: LocalDate; minuteOfDay: number }[] = [];
  const offset = (ms: number) => wallAsUtc(ms, zone) - ms;
  for (let day = from2018; day < to2030; day += DAY) {
    if (offset(day) === offset(day + DAY)) continue;
    let before = day;
    let after = day + DAY;
    while (after - before > MINUTE) {
      const middle = before + Math.floor((after - before) / 2 / MINUTE) * MINUTE;
      if (offset(middle) === offset(day)) before = middle;
      else after = middle;
    }
    const [date = '', time = ''] = wallClock(before, zone).split('T');
    const [hours = 0, minutes = 0] = time.split(':').map(Number);
    changes.push({ date, minuteOfDay: hours * 60 + minutes });
  }
  return changes;
}

const changes = zones.flatMap((zone) => offsetChanges(zone).map((change) => ({ zone, ...change })));

function dateOfDay(day: number): LocalDate {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function dayOf(date: LocalDate): number {
  return Date.parse(`${date}T00:00Z`) / DAY;
}

function formatMinutes(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

const dropTimeArb = fc.integer({ min: 0, max: 24 * 60 - 1 }).map(formatMinutes);
const dateArb = (fromYear: number, toYear: number): fc.Arbitrary<LocalDate> =>
  fc.integer({ min: Date.UTC(fromYear, 0, 1) / DAY, max: Date.UTC(toYear, 11, 31) / DAY }).map(dateOfDay);
const instantArb = fc.integer({ min: from2018, max: to2030 }).map((ms) => new Date(ms));

const scheduleArb: fc.Arbitrary<DropSchedule> = fc.record({
  dropTime: dropTimeArb,
  timeZone: fc.constantFrom(...zones),
  weekdays: fc.shuffledSubarray(everyDay, { minLength: 1 }),
  startDate: dateArb(2017, 2031),
  paused: fc.constant(false),
});

/** A local date and time within 90 minutes of a DST change, in that change's zone. */
const nearChangeArb = fc
  .tuple(fc.constantFrom(...changes), fc.integer({ min: -90, max: 90 }))
  .map(([change, shift]) => {
    const minutes = change.minuteOfDay + shift;
    const day = dayOf(change.date) + Math.floor(minutes / (24 * 60));
    return { zone: change.zone, date: dateOfDay(day), time: formatMinutes(((minutes % 1440) + 1440) % 1440) };
  });

/** The ISO weekday of a local date by plain Date maths, independent of luxon. */
function weekdayOf(date: LocalDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

// ---------------------------------------------------------------------------------------------------------------

describe('dropScheduleSchema', () => {
  function messages(value: unknown): Record<string, string[]> {
    const result = dropScheduleSchema.safeParse(value);
    if (result.success) return {};
    const byField: Record<string, string[]> = {};
    for (const issue of result.error.issues) {
      const field = String(issue.path[0]);
      byField[field] = [...(byField[field] ?? []), issue.message];
    }
    return byField;
  }

  it('GIVEN a Channel row with the schedule and other columns THEN the schedule is kept and the rest dropped', () => {
    const row = { id: 'c1', name: 'docker', ...schedule({ weekdays: [5, 1, 3] }), quizCloseMinutes: null };
    expect(dropScheduleSchema.parse(row)).toEqual({
      dropTime: '09:00',
      timeZone: 'America/Sao_Paulo',
      weekdays: [5, 1, 3],
      startDate: '2026-01-05',
      paused: false,
    });
  });

  it('GIVEN the edges of the day and of the week THEN they are accepted', () => {
    for (const dropTime of ['00:00', '23:59', '12:30']) {
      expect(dropScheduleSchema.safeParse(schedule({ dropTime })).success, dropTime).toBe(true);
    }
    for (const timeZone of zones) {
      expect(dropScheduleSchema.safeParse(schedule({ timeZone })).success, timeZone).toBe(true);
    }
    expect(dropScheduleSchema.safeParse(schedule({ weekdays: everyDay })).success).toBe(true);
    expect(dropScheduleSchema.safeParse(schedule({ weekdays: [7] })).success).toBe(true);
  });

  it('GIVEN a drop time that is not HH:MM from 00:00 to 23:59 THEN the admin is told how to write it', () => {
    for (const dropTime of ['24:00', '9:00', '09:60', '09:00:00', '9h', '', ' 09:00', 900]) {
      expect(messages(schedule({ dropTime: dropTime as string })), String(dropTime)).toEqual({
        dropTime: [dropScheduleMessages.dropTime],
      });
    }
  });

  it('GIVEN a time zone that is not an IANA name THEN the admin is told what one looks like', () => {
    for (const timeZone of ['Mars/Olympus_Mons', 'Sao Paulo', 'GMT-3 ish', '', 3]) {
      expect(messages(schedule({ timeZone: timeZone as string })), String(timeZone)).toEqual({
        timeZone: [dropScheduleMessages.timeZone],
      });
    }
  });

  it('GIVEN no weekday, a repeated weekday, or a number outside 1 to 7 THEN the admin is told which rule it breaks', () => {
    expect(messages(schedule({ weekdays: [] }))).toEqual({ weekdays: [dropScheduleMessages.weekdaysEmpty] });
    expect(messages(schedule({ weekdays: [1, 3, 1] }))).toEqual({ weekdays: [dropScheduleMessages.weekdaysRepeated] });
    for (const weekdays of [[0], [8], [1.5], ['1'], '1,2,3']) {
      expect(messages(schedule({ weekdays: weekdays as number[] })), String(weekdays)).toEqual({
        weekdays: [dropScheduleMessages.weekday],
      });
    }
  });

  it('GIVEN a start date that is not a real YYYY-MM-DD day THEN the admin is told how to write it', () => {
    for (const startDate of ['2026-02-30', '30/11/2026', '2026-11-30T00:00', '', null]) {
      expect(messages(schedule({ startDate: startDate as string })), String(startDate)).toEqual({
        startDate: [dropScheduleMessages.startDate],
      });
    }
  });

  it('GIVEN several wrong fields and a paused that is not a boolean THEN every field gets its own message', () => {
    expect(
      messages({ dropTime: '25:00', timeZone: 'Nowhere', weekdays: [], startDate: 'amanhã', paused: 'yes' }),
    ).toEqual({
      dropTime: [dropScheduleMessages.dropTime],
      timeZone: [dropScheduleMessages.timeZone],
      weekdays: [dropScheduleMessages.weekdaysEmpty],
      startDate: [dropScheduleMessages.startDate],
      paused: [dropScheduleMessages.paused],
    });
  });

  it('GIVEN a bad schedule THEN parseDropSchedule and every function throw a DropScheduleError naming the field', () => {
    const bad = schedule({ dropTime: '25:00' });
    const runs: [string, () => unknown][] = [
      ['parseDropSchedule', () => parseDropSchedule(bad)],
      ['dropInstant', () => dropInstant(bad, '2026-11-30')],
      ['isDropDay', () => isDropDay(bad, '2026-11-30')],
      ['nextDrop', () => nextDrop(bad, utc('2026-11-28T12:00:00Z'))],
      ['dueDrop', () => dueDrop(bad, utc('2026-11-28T12:00:00Z'), null)],
    ];
    for (const [name, run] of runs) {
      let caught: unknown;
      try {
        run();
      } catch (error) {
        caught = error;
      }
      expect(caught, name).toBeInstanceOf(DropScheduleError);
      expect((caught as DropScheduleError).code, name).toBe('invalid_schedule');
      expect((caught as DropScheduleError).message, name).toContain('dropTime');
    }
  });

  it('GIVEN a bad local date or instant THEN the calendar rejects it', () => {
    expect(() => dropInstant(schedule(), '2026-11-31')).toThrow(CalendarError);
    expect(() => isDropDay(schedule(), '30/11/2026')).toThrow(CalendarError);
    expect(() => nextDrop(schedule(), new Date(Number.NaN))).toThrow(CalendarError);
    expect(() => dueDrop(schedule(), utc('2026-11-30T12:00:00Z'), 'ontem')).toThrow(CalendarError);
  });
});

describe('dropInstant', () => {
  it('GIVEN Sao Paulo (no DST since 2019) THEN 09:00 is 12:00 UTC in winter and in summer', () => {
    expect(dropInstant(schedule(), '2026-07-15').toISOString()).toBe('2026-07-15T12:00:00.000Z');
    expect(dropInstant(schedule(), '2026-12-15').toISOString()).toBe('2026-12-15T12:00:00.000Z');
  });

  it("GIVEN Sao Paulo in Brazil's 2018 summer time THEN 09:00 is 11:00 UTC (UTC-2)", () => {
    expect(dropInstant(schedule(), '2018-12-10').toISOString()).toBe('2018-12-10T11:00:00.000Z');
  });

  it('GIVEN Sao Paulo on 2018-11-04, when 00:00 became 01:00 THEN a 00:30 drop happens at 01:00 (the gap end)', () => {
    const at = dropInstant(schedule({ dropTime: '00:30' }), '2018-11-04');
    expect(at.toISOString()).toBe('2018-11-04T03:00:00.000Z');
    expect(wallClock(at.getTime(), 'America/Sao_Paulo')).toBe('2018-11-04T01:00');
  });

  it("GIVEN Sao Paulo on 2019-02-16, when 23:00-24:00 happened twice THEN a 23:30 drop is the first one's", () => {
    // Brazil's last DST change: 2019-02-17 00:00 UTC-2 became 2019-02-16 23:00 UTC-3.
    expect(dropInstant(schedule({ dropTime: '23:30' }), '2019-02-16').toISOString()).toBe('2019-02-17T01:30:00.000Z');
  });

  it('GIVEN New York on 2026-03-08, when 02:30 does not exist THEN the drop is at 03:00 EDT, not 03:30', () => {
    const newYork = schedule({ timeZone: 'America/New_York', dropTime: '02:30' });
    expect(dropInstant(newYork, '2026-03-08').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    // The days around it are ordinary: 02:30 EST the day before, 02:30 EDT the day after.
    expect(dropInstant(newYork, '2026-03-07').toISOString()).toBe('2026-03-07T07:30:00.000Z');
    expect(dropInstant(newYork, '2026-03-09').toISOString()).toBe('2026-03-09T06:30:00.000Z');
    // A time just after the gap is not moved.
    expect(dropInstant({ ...newYork, dropTime: '03:00' }, '2026-03-08').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(dropInstant({ ...newYork, dropTime: '01:59' }, '2026-03-08').toISOString()).toBe('2026-03-08T06:59:00.000Z');
  });

  it('GIVEN New York on 2026-11-01, when 01:30 exists twice THEN the drop is at the first, 01:30 EDT', () => {
    const newYork = schedule({ timeZone: 'America/New_York', dropTime: '01:30' });
    expect(dropInstant(newYork, '2026-11-01').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(dropInstant({ ...newYork, dropTime: '02:00' }, '2026-11-01').toISOString()).toBe('2026-11-01T07:00:00.000Z');
  });

  it('GIVEN Lisbon THEN 09:00 follows WET and WEST, and its own gap and repeat follow the same rules', () => {
    const lisbon = schedule({ timeZone: 'Europe/Lisbon' });
    expect(dropInstant(lisbon, '2026-01-15').toISOString()).toBe('2026-01-15T09:00:00.000Z');
    expect(dropInstant(lisbon, '2026-07-15').toISOString()).toBe('2026-07-15T08:00:00.000Z');
    // 2026-03-29: 01:00 WET became 02:00 WEST. 2026-10-25: 02:00 WEST became 01:00 WET.
    expect(dropInstant({ ...lisbon, dropTime: '01:30' }, '2026-03-29').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(dropInstant({ ...lisbon, dropTime: '01:30' }, '2026-10-25').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('GIVEN Lord Howe, whose clocks move 30 minutes THEN the gap and the repeat are 30 minutes long', () => {
    const lordHowe = schedule({ timeZone: 'Australia/Lord_Howe' });
    // 2026-10-04 02:00 (UTC+10:30) became 02:30 (UTC+11): the instant falls on the previous UTC day.
    expect(dropInstant({ ...lordHowe, dropTime: '02:15' }, '2026-10-04').toISOString()).toBe(
      '2026-10-03T15:30:00.000Z',
    );
    // 2026-04-05 02:00 (UTC+11) became 01:30 (UTC+10:30): 01:45 happened twice.
    expect(dropInstant({ ...lordHowe, dropTime: '01:45' }, '2026-04-05').toISOString()).toBe(
      '2026-04-04T14:45:00.000Z',
    );
  });

  it('GIVEN Kiritimati, which skipped 1994-12-31 THEN a drop that day happens when the clocks jumped', () => {
    const kiritimati = schedule({ timeZone: 'Pacific/Kiritimati', startDate: '1994-01-03' });
    expect(dropInstant(kiritimati, '1994-12-31').toISOString()).toBe('1994-12-31T10:00:00.000Z');
    expect(dropInstant(kiritimati, '1995-01-01').toISOString()).toBe('1994-12-31T19:00:00.000Z');
  });

  it('GIVEN any time near any DST change of 2018-2030 in the zones THEN the drop is the first instant showing it', () => {
    expect(changes.length).toBeGreaterThan(60);
    fc.assert(
      fc.property(nearChangeArb, ({ zone, date, time }) => {
        const at = dropInstant(schedule({ timeZone: zone, dropTime: time }), date);
        expect(at.getTime()).toBe(firstInstantShowing(zone, date, time));
      }),
      { numRuns: 500 },
    );
  });

  it('GIVEN any time on any day of 2018-2030 in the zones THEN the drop is the first instant showing it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), dateArb(2018, 2030), dropTimeArb, (zone, date, time) => {
        const at = dropInstant(schedule({ timeZone: zone, dropTime: time }), date);
        expect(at.getTime()).toBe(firstInstantShowing(zone, date, time));
      }),
      { numRuns: 300 },
    );
  });
});

describe('isDropDay', () => {
  it('GIVEN Monday to Friday THEN the weekend is skipped', () => {
    // 2026-11-27 is a Friday.
    expect(isDropDay(schedule(), '2026-11-27')).toBe(true);
    expect(isDropDay(schedule(), '2026-11-28')).toBe(false);
    expect(isDropDay(schedule(), '2026-11-29')).toBe(false);
    expect(isDropDay(schedule(), '2026-11-30')).toBe(true);
  });

  it('GIVEN a start date THEN days before it have no drop and the start date has one', () => {
    const fromMonday = schedule({ startDate: '2026-12-07' });
    expect(isDropDay(fromMonday, '2026-12-04')).toBe(false);
    expect(isDropDay(fromMonday, '2026-12-07')).toBe(true);
    expect(isDropDay(fromMonday, '2027-12-07')).toBe(true);
  });

  it('GIVEN a start date on a weekend THEN the first drop day is the next chosen weekday', () => {
    const fromSaturday = schedule({ startDate: '2026-12-05' });
    expect(isDropDay(fromSaturday, '2026-12-05')).toBe(false);
    expect(isDropDay(fromSaturday, '2026-12-07')).toBe(true);
  });

  it('GIVEN a paused channel THEN its drop days stay the same (pausing stops drops, not the calendar)', () => {
    expect(isDropDay(schedule({ paused: true }), '2026-11-30')).toBe(true);
  });

  it('GIVEN any schedule and day THEN it is a drop day exactly when on or after the start and on a chosen weekday', () => {
    fc.assert(
      fc.property(scheduleArb, dateArb(2016, 2032), (drops, date) => {
        expect(isDropDay(drops, date)).toBe(date >= drops.startDate && drops.weekdays.includes(weekdayOf(date)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('nextDrop', () => {
  it('GIVEN a Friday after its drop, Monday to Friday THEN the next drop is on Monday', () => {
    expect(nextDrop(schedule(), utc('2026-11-27T15:00:00Z'))).toEqual({
      localDate: '2026-11-30',
      at: utc('2026-11-30T12:00:00Z'),
    });
  });

  it('GIVEN a weekday before its drop THEN the next drop is today', () => {
    expect(nextDrop(schedule(), utc('2026-11-27T11:59:59Z'))).toEqual({
      localDate: '2026-11-27',
      at: utc('2026-11-27T12:00:00Z'),
    });
  });

  it('GIVEN the very instant of a drop THEN the next drop is the following one (strictly after now)', () => {
    expect(nextDrop(schedule(), utc('2026-11-26T12:00:00Z'))?.localDate).toBe('2026-11-27');
  });

  it("GIVEN a UTC date ahead of the channel's THEN the channel's own date decides", () => {
    // 01:30 UTC on Saturday is 22:30 on Friday in Sao Paulo: Friday's 23:00 drop is still ahead.
    expect(nextDrop(schedule({ dropTime: '23:00' }), utc('2026-11-28T01:30:00Z'))).toEqual({
      localDate: '2026-11-27',
      at: utc('2026-11-28T02:00:00Z'),
    });
  });

  it('GIVEN a start date in the future THEN the first drop is the first chosen weekday on or after it', () => {
    // Starts on Saturday 2026-12-05, Monday to Friday: the first drop is Monday 2026-12-07.
    expect(nextDrop(schedule({ startDate: '2026-12-05' }), utc('2026-11-28T12:00:00Z'))).toEqual({
      localDate: '2026-12-07',
      at: utc('2026-12-07T12:00:00Z'),
    });
  });

  it('GIVEN a paused channel THEN there is no next drop', () => {
    expect(nextDrop(schedule({ paused: true }), utc('2026-11-28T12:00:00Z'))).toBeNull();
  });

  it('GIVEN New York before the spring-forward gap THEN the next 02:30 drop is at 03:00 EDT', () => {
    const newYork = schedule({ timeZone: 'America/New_York', dropTime: '02:30', weekdays: everyDay });
    expect(nextDrop(newYork, utc('2026-03-08T06:00:00Z'))).toEqual({
      localDate: '2026-03-08',
      at: utc('2026-03-08T07:00:00Z'),
    });
  });

  it('GIVEN New York between the two 01:30s of the fall-back THEN the next drop is the next day, not the second 01:30', () => {
    const newYork = schedule({ timeZone: 'America/New_York', dropTime: '01:30', weekdays: everyDay });
    // 06:00 UTC is 01:00 EST, after the first 01:30 (EDT) and before the second (EST).
    expect(nextDrop(newYork, utc('2026-11-01T06:00:00Z'))).toEqual({
      localDate: '2026-11-02',
      at: utc('2026-11-02T06:30:00Z'),
    });
  });

  it('GIVEN any schedule and instant THEN the next drop is after now, on a drop day, at that day’s drop instant, and no drop day comes between', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, (drops, now) => {
        const next = nextDrop(drops, now);
        expect(next).not.toBeNull();
        if (next === null) return;
        expect(next.at.getTime()).toBeGreaterThan(now.getTime());
        expect(isDropDay(drops, next.localDate)).toBe(true);
        expect(dropInstant(drops, next.localDate)).toEqual(next.at);
        // Every drop day from the day before now's UTC date (or the start date) up to the one returned has happened.
        const from = Math.max(dayOf(now.toISOString().slice(0, 10)) - 1, dayOf(drops.startDate));
        for (let day = from; ; day++) {
          const date = dateOfDay(day);
          if (date >= next.localDate) break;
          if (isDropDay(drops, date)) expect(dropInstant(drops, date).getTime()).toBeLessThanOrEqual(now.getTime());
        }
      }),
      { numRuns: 500 },
    );
  });

  it('GIVEN any schedule THEN following nextDrop for 60 days yields every drop day once, in order, none missed', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, (drops, start) => {
        const end = start.getTime() + 60 * DAY;
        const seen: LocalDate[] = [];
        // At most 61 drops fit in 60 days; the cap turns a nextDrop that stops moving forward into a failure, not a hang.
        for (let now = start; seen.length <= 61; ) {
          const next = nextDrop(drops, now);
          if (next === null || next.at.getTime() > end) break;
          seen.push(next.localDate);
          now = next.at;
        }
        // The drop days whose instant falls in (start, end], by weekday and start date computed independently.
        const expected: LocalDate[] = [];
        const firstDay = dayOf(start.toISOString().slice(0, 10)) - 1;
        for (let day = firstDay; day <= firstDay + 62; day++) {
          const date = dateOfDay(day);
          if (date < drops.startDate || !drops.weekdays.includes(weekdayOf(date))) continue;
          const at = dropInstant(drops, date).getTime();
          if (at > start.getTime() && at <= end) expected.push(date);
        }
        expect(seen).toEqual(expected);
        expect(new Set(seen).size).toBe(seen.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('dueDrop', () => {
  it("GIVEN a weekday before its drop time THEN nothing is due, not even yesterday's missed drop", () => {
    expect(dueDrop(schedule(), utc('2026-11-27T11:59:59Z'), '2026-11-25')).toBeNull();
  });

  it('GIVEN the drop instant THEN today’s drop is due, on time', () => {
    expect(dueDrop(schedule(), utc('2026-11-27T12:00:00Z'), '2026-11-26')).toEqual({
      localDate: '2026-11-27',
      at: utc('2026-11-27T12:00:00Z'),
      late: false,
    });
  });

  it('GIVEN 5 minutes after the drop THEN it is still on time, and a millisecond later it is late', () => {
    expect(dueDrop(schedule(), utc('2026-11-27T12:05:00Z'), null)?.late).toBe(false);
    expect(dueDrop(schedule(), utc('2026-11-27T12:05:00.001Z'), null)?.late).toBe(true);
  });

  it('GIVEN the bot was down for three days THEN only today’s drop is posted, late, once', () => {
    // Down from Tuesday morning to Friday 15:00 in Sao Paulo; the last drop was Monday's.
    const now = utc('2026-11-27T18:00:00Z');
    const due = dueDrop(schedule(), now, '2026-11-23');
    expect(due).toEqual({ localDate: '2026-11-27', at: utc('2026-11-27T12:00:00Z'), late: true });
    // Once posted, the next polls find nothing until Monday's drop.
    expect(dueDrop(schedule(), utc('2026-11-27T18:01:00Z'), '2026-11-27')).toBeNull();
    expect(dueDrop(schedule(), utc('2026-11-28T18:00:00Z'), '2026-11-27')).toBeNull();
    expect(dueDrop(schedule(), utc('2026-11-30T12:00:00Z'), '2026-11-27')?.localDate).toBe('2026-11-30');
  });

  it('GIVEN a weekend day, Monday to Friday THEN nothing is due', () => {
    expect(dueDrop(schedule(), utc('2026-11-28T18:00:00Z'), '2026-11-26')).toBeNull();
  });

  it('GIVEN a paused channel after its drop time THEN nothing is due', () => {
    expect(dueDrop(schedule({ paused: true }), utc('2026-11-27T18:00:00Z'), '2026-11-26')).toBeNull();
  });

  it('GIVEN a start date in the future THEN nothing is due until then', () => {
    const fromMonday = schedule({ startDate: '2026-11-30' });
    expect(dueDrop(fromMonday, utc('2026-11-27T18:00:00Z'), null)).toBeNull();
    expect(dueDrop(fromMonday, utc('2026-11-30T12:00:00Z'), null)?.localDate).toBe('2026-11-30');
  });

  it("GIVEN a UTC date ahead of the channel's THEN today is the channel's local date", () => {
    // 01:30 UTC on Saturday is 22:30 on Friday in Sao Paulo, after Friday's 22:00 drop.
    expect(dueDrop(schedule({ dropTime: '22:00' }), utc('2026-11-28T01:30:00Z'), '2026-11-26')).toEqual({
      localDate: '2026-11-27',
      at: utc('2026-11-28T01:00:00Z'),
      late: true,
    });
  });

  it('GIVEN a last drop dated after today (the zone moved west) THEN today’s is not posted after it', () => {
    expect(dueDrop(schedule(), utc('2026-11-27T18:00:00Z'), '2026-11-28')).toBeNull();
  });

  it('GIVEN New York on the spring-forward day THEN a 02:30 drop is due from 03:00 EDT', () => {
    const newYork = schedule({ timeZone: 'America/New_York', dropTime: '02:30', weekdays: everyDay });
    expect(dueDrop(newYork, utc('2026-03-08T06:59:59Z'), '2026-03-07')).toBeNull();
    expect(dueDrop(newYork, utc('2026-03-08T07:00:00Z'), '2026-03-07')).toEqual({
      localDate: '2026-03-08',
      at: utc('2026-03-08T07:00:00Z'),
      late: false,
    });
  });

  it('GIVEN New York at the second 01:30 of the fall-back, not posted at the first THEN it is due and an hour late', () => {
    const newYork = schedule({ timeZone: 'America/New_York', dropTime: '01:30', weekdays: everyDay });
    expect(dueDrop(newYork, utc('2026-11-01T06:30:00Z'), '2026-10-31')).toEqual({
      localDate: '2026-11-01',
      at: utc('2026-11-01T05:30:00Z'),
      late: true,
    });
  });

  it('GIVEN any schedule and instant THEN today’s drop is due exactly when it is a drop day and its instant has come', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, (drops, now) => {
        const due = dueDrop(drops, now, null);
        const today = new Intl.DateTimeFormat('en-CA', { timeZone: drops.timeZone }).format(now);
        const at = dropInstant(drops, today).getTime();
        const expectDue = isDropDay(drops, today) && at <= now.getTime();
        expect(due).toEqual(
          expectDue ? { localDate: today, at: new Date(at), late: now.getTime() - at > 5 * MINUTE } : null,
        );
        // Posted, it is never due again that day; and it is the drop nextDrop announced just before its instant.
        if (due !== null) {
          expect(dueDrop(drops, now, today)).toBeNull();
          expect(nextDrop(drops, new Date(due.at.getTime() - 1))).toEqual({ localDate: due.localDate, at: due.at });
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('lessonIndexFor', () => {
  it('GIVEN drops already posted THEN the next drop posts the next lesson in track order', () => {
    expect(lessonIndexFor(0, 48)).toBe(0);
    expect(lessonIndexFor(1, 48)).toBe(1);
    expect(lessonIndexFor(47, 48)).toBe(47);
  });

  it('GIVEN every lesson posted THEN the track is complete, however many drops followed', () => {
    expect(lessonIndexFor(48, 48)).toBe('track-complete');
    expect(lessonIndexFor(60, 48)).toBe('track-complete');
    expect(lessonIndexFor(0, 0)).toBe('track-complete');
  });

  it('GIVEN a count that is negative or not whole THEN it throws a DropScheduleError', () => {
    for (const [posted, count] of [
      [-1, 48],
      [1.5, 48],
      [Number.NaN, 48],
      [0, -1],
      [0, Number.POSITIVE_INFINITY],
    ] as const) {
      expect(() => lessonIndexFor(posted, count), `${posted} of ${count}`).toThrow(DropScheduleError);
    }
  });
});
