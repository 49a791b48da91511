import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  assertLocalDate,
  CalendarError,
  daysBetween,
  isIsoWeek,
  isLocalDate,
  isoWeekBounds,
  isoWeekday,
  isoWeekOf,
  isoWeekOfInstant,
  isTimeZone,
  type LocalDate,
  localDateOf,
} from './calendar.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Any day from 1900 to 2200, drawn as a UTC midnight so it is a plain calendar day. */
const localDateArb: fc.Arbitrary<LocalDate> = fc
  .integer({ min: Date.UTC(1900, 0, 1) / DAY, max: Date.UTC(2200, 11, 31) / DAY })
  .map((day) => new Date(day * DAY).toISOString().slice(0, 10));

/** The ISO week by the Thursday rule, computed with plain Date maths: an oracle independent of luxon. */
function referenceIsoWeek(date: LocalDate): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  const thursday = new Date(day.getTime() + (4 - weekday) * DAY);
  const year = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(year, 0, 1)) / DAY;
  return `${year}-W${String(Math.floor(dayOfYear / 7) + 1).padStart(2, '0')}`;
}

function expectCalendarError(run: () => unknown, code: CalendarError['code']): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarError);
    expect((error as CalendarError).code).toBe(code);
    return;
  }
  expect.fail(`expected a CalendarError ${code}`);
}

describe('isLocalDate and isTimeZone', () => {
  it('GIVEN real calendar days THEN they are local dates', () => {
    for (const date of ['2026-11-28', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) {
      expect(isLocalDate(date), date).toBe(true);
    }
  });

  it('GIVEN impossible days, other shapes and non-strings THEN they are not local dates', () => {
    for (const value of [
      '2026-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-11-31',
      '2026-11-00',
      '0000-01-01',
      '20261128',
      '2026-11-28T10:00',
      '2026-W48-6',
      ' 2026-11-28',
      '',
      20261128,
      null,
      new Date(),
    ]) {
      expect(isLocalDate(value), String(value)).toBe(false);
    }
  });

  it('GIVEN a value that is not a local date THEN assertLocalDate throws a CalendarError with the value', () => {
    expect(() => assertLocalDate('2026-11-28')).not.toThrow();
    expectCalendarError(() => assertLocalDate('2026-11-31'), 'invalid_date');
    try {
      assertLocalDate('amanhã');
    } catch (error) {
      expect((error as CalendarError).value).toBe('amanhã');
    }
  });

  it('GIVEN IANA zones THEN they are time zones, and made-up names or offsets are not', () => {
    for (const zone of ['America/Sao_Paulo', 'America/New_York', 'Europe/Lisbon', 'Australia/Lord_Howe', 'UTC']) {
      expect(isTimeZone(zone), zone).toBe(true);
    }
    for (const zone of ['America/Brasilia', 'Mars/Olympus_Mons', '', '+03:00', 'local', 42]) {
      expect(isTimeZone(zone), String(zone)).toBe(false);
    }
  });
});

describe('localDateOf', () => {
  it('GIVEN one instant THEN each zone shows its own calendar day', () => {
    const instant = new Date('2026-11-28T02:30:00Z');
    expect(localDateOf(instant, 'UTC')).toBe('2026-11-28');
    expect(localDateOf(instant, 'America/Sao_Paulo')).toBe('2026-11-27');
    expect(localDateOf(instant, 'America/New_York')).toBe('2026-11-27');
    expect(localDateOf(new Date('2026-11-28T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-11-29');
  });

  it('GIVEN São Paulo skipped midnight when DST began on 2018-11-04 THEN that day starts at 01:00 local', () => {
    expect(localDateOf(new Date('2018-11-04T02:59:59Z'), 'America/Sao_Paulo')).toBe('2018-11-03');
    expect(localDateOf(new Date('2018-11-04T03:00:00Z'), 'America/Sao_Paulo')).toBe('2018-11-04');
  });

  it('GIVEN São Paulo repeated 23:00 when DST ended on 2019-02-17 THEN 2019-02-16 lasts 25 hours', () => {
    // The day starts at 02:00 UTC, still on summer time (UTC-2), and ends at 03:00 UTC the next day (UTC-3).
    expect(localDateOf(new Date('2019-02-16T01:59:59Z'), 'America/Sao_Paulo')).toBe('2019-02-15');
    expect(localDateOf(new Date('2019-02-16T02:00:00Z'), 'America/Sao_Paulo')).toBe('2019-02-16');
    expect(localDateOf(new Date('2019-02-17T02:59:59Z'), 'America/Sao_Paulo')).toBe('2019-02-16');
    expect(localDateOf(new Date('2019-02-17T03:00:00Z'), 'America/Sao_Paulo')).toBe('2019-02-17');
  });

  it('GIVEN Brazil dropped DST in 2019 THEN November 2019 midnight stays at 03:00 UTC', () => {
    expect(localDateOf(new Date('2019-11-04T02:59:59Z'), 'America/Sao_Paulo')).toBe('2019-11-03');
    expect(localDateOf(new Date('2019-11-04T03:00:00Z'), 'America/Sao_Paulo')).toBe('2019-11-04');
  });

  it('GIVEN Lord Howe moves its clocks by 30 minutes THEN its midnight moves from 13:30 to 13:00 UTC', () => {
    expect(localDateOf(new Date('2026-10-03T13:29:59Z'), 'Australia/Lord_Howe')).toBe('2026-10-03');
    expect(localDateOf(new Date('2026-10-03T13:30:00Z'), 'Australia/Lord_Howe')).toBe('2026-10-04');
    expect(localDateOf(new Date('2026-10-04T12:59:59Z'), 'Australia/Lord_Howe')).toBe('2026-10-04');
    expect(localDateOf(new Date('2026-10-04T13:00:00Z'), 'Australia/Lord_Howe')).toBe('2026-10-05');
  });

  it('GIVEN Kiritimati jumped across the date line in 1994 THEN 1994-12-31 never happened there', () => {
    // Why the DST property below starts in 1995: a zone that moves across the date line does skip a local day.
    expect(localDateOf(new Date('1994-12-31T09:59:59Z'), 'Pacific/Kiritimati')).toBe('1994-12-30');
    expect(localDateOf(new Date('1994-12-31T10:00:00Z'), 'Pacific/Kiritimati')).toBe('1995-01-01');
  });

  it('GIVEN an invalid instant or zone THEN it throws a CalendarError saying which', () => {
    expectCalendarError(() => localDateOf(new Date('not a date'), 'UTC'), 'invalid_instant');
    expectCalendarError(() => localDateOf(new Date(), 'America/Brasilia'), 'invalid_time_zone');
  });
});

describe('localDateOf across DST changes (property)', () => {
  const zones = [
    'America/Sao_Paulo',
    'America/New_York',
    'Europe/Lisbon',
    'Australia/Lord_Howe',
    'Pacific/Kiritimati',
  ] as const;
  const from = Date.UTC(1995, 0, 2);
  const to = Date.UTC(2040, 11, 31);

  /** The instants around which a zone's UTC offset changed, found by comparing the offset at each UTC noon. */
  function offsetChanges(zone: string): number[] {
    const offset = offsetReader(zone);
    const changes: number[] = [];
    for (let noon = from + 12 * HOUR; noon + DAY <= to; noon += DAY) {
      if (offset(noon) !== offset(noon + DAY)) changes.push(noon + DAY / 2);
    }
    return changes;
  }

  /** A zone's offset from UTC in minutes at an instant, read from Intl rather than from luxon, the library under test. */
  function offsetReader(zone: string): (ms: number) => number {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    return (ms) => {
      const parts = format.formatToParts(new Date(ms));
      const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
      const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
      return (wall - Math.floor(ms / 60_000) * 60_000) / 60_000;
    };
  }

  const changes = new Map(zones.map((zone) => [zone, offsetChanges(zone)]));

  it('GIVEN the zone data THEN the DST changes the properties walk through are there', () => {
    const saoPaulo = changes.get('America/Sao_Paulo') ?? [];
    expect(saoPaulo.length).toBeGreaterThan(40);
    // Brazil's last DST change was on 2019-02-17.
    expect(Math.max(...saoPaulo)).toBeLessThan(Date.UTC(2019, 1, 18));
    expect(changes.get('America/New_York')?.length).toBe(2 * 46);
    // Lisbon moved from CET back to WET on 1996-03-31, the day summer time began: no offset change that spring.
    expect(changes.get('Europe/Lisbon')?.length).toBe(2 * 46 - 1);
    expect(changes.get('Australia/Lord_Howe')?.length).toBeGreaterThan(2 * 45);
    expect(changes.get('Pacific/Kiritimati')).toEqual([]);
  });

  /** The local days of an instant and of the instant an hour later, when the second is not the same or the next. */
  function skipOrRepeat(zone: string, ms: number): string | null {
    const before = localDateOf(new Date(ms), zone);
    const after = localDateOf(new Date(ms + HOUR), zone);
    const step = daysBetween(before, after);
    return step === 0 || step === 1 ? null : `${zone} ${new Date(ms).toISOString()}: ${before} → ${after}`;
  }

  it('GIVEN every DST change from 1995 to 2040 THEN instants an hour apart never skip or repeat a local day', () => {
    const failures: string[] = [];
    for (const zone of zones) {
      for (const change of changes.get(zone) ?? []) {
        // Every 15 minutes over the 3 days around the change (Lord Howe moves its clocks by 30 minutes); each day is
        // computed once and compared with the one 4 steps (an hour) later.
        const step = 15 * 60_000;
        const instants = Array.from({ length: (72 * HOUR) / step + 1 }, (_, i) => change - 36 * HOUR + i * step);
        const days = instants.map((ms) => localDateOf(new Date(ms), zone));
        days.forEach((day, i) => {
          const later = days[i + 4];
          if (later !== undefined && later !== day && later !== addDays(day, 1)) {
            failures.push(`${zone} ${new Date(instants[i] ?? 0).toISOString()}: ${day} → ${later}`);
          }
        });
      }
    }
    expect(failures).toEqual([]);
  });

  it('GIVEN any instant near a DST change, or any instant at all THEN an hour later is the same day or the next', () => {
    const nearChange = fc.constantFrom(...zones.filter((zone) => (changes.get(zone) ?? []).length > 0)).chain((zone) =>
      fc.tuple(
        fc.constant(zone),
        fc.constantFrom(...(changes.get(zone) ?? [])),
        fc.integer({ min: -48 * 60, max: 48 * 60 }).map((minutes) => minutes * 60_000),
      ),
    );
    fc.assert(
      fc.property(nearChange, fc.integer({ min: 0, max: 59_999 }), ([zone, change, shift], ms) => {
        expect(skipOrRepeat(zone, change + shift + ms)).toBeNull();
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: from, max: to }), (zone, ms) => {
        expect(skipOrRepeat(zone, ms)).toBeNull();
      }),
      { numRuns: 2_000 },
    );
  });

  /** The local date from Intl alone (no luxon, nothing remembered): the oracle for localDateOf's day spans. */
  function intlDate(zone: string, ms: number): string {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(new Date(ms));
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}`;
  }

  it('GIVEN instants near DST changes and midnights, asked in any order and zone THEN each gets the right local day', () => {
    const dstZones = zones.filter((zone) => (changes.get(zone) ?? []).length > 0);
    const instant = fc.oneof(
      // Around a DST change, to the millisecond.
      fc
        .constantFrom(...dstZones)
        .chain((zone) =>
          fc.tuple(
            fc.constant(zone as string),
            fc.constantFrom(...(changes.get(zone) ?? [])),
            fc.integer({ min: -36 * HOUR, max: 36 * HOUR }),
          ),
        )
        .map(([zone, change, shift]) => [zone, change + shift] as const),
      // Anywhere, in any zone.
      fc.tuple(fc.constantFrom<string>(...zones), fc.integer({ min: from, max: to })),
    );
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 40 }), (asks) => {
        for (const [zone, ms] of asks) {
          // The same instant, a millisecond either side: the edges of a remembered span.
          for (const at of [ms - 1, ms, ms + 1]) expect(localDateOf(new Date(at), zone), zone).toBe(intlDate(zone, at));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("GIVEN an hourly walk through 2018 and Brazil's last DST season THEN every local day shows up, in order", () => {
    for (const zone of zones) {
      const seen = new Set<string>();
      for (let ms = Date.UTC(2018, 0, 1); ms < Date.UTC(2019, 2, 1); ms += HOUR) {
        seen.add(localDateOf(new Date(ms), zone));
      }
      const days = [...seen];
      const first = days[0] ?? '';
      const last = days.at(-1) ?? '';
      expect(days.length, zone).toBe(daysBetween(first, last) + 1);
      days.forEach((day, index) => {
        expect(day).toBe(addDays(first, index));
      });
    }
  });
});

describe('addDays, daysBetween and isoWeekday', () => {
  it('GIVEN month ends and leap years THEN addDays lands on the right day', () => {
    expect(addDays('2026-11-28', 3)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-28', 0)).toBe('2026-11-28');
  });

  it('GIVEN days around the US and Brazilian DST changes THEN daysBetween counts calendar days', () => {
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2);
    expect(daysBetween('2018-11-03', '2018-11-05')).toBe(2);
    expect(daysBetween('2026-11-28', '2026-11-27')).toBe(-1);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('GIVEN known days THEN isoWeekday counts Monday as 1 and Sunday as 7', () => {
    expect(isoWeekday('2026-11-30')).toBe(1);
    expect(isoWeekday('2026-11-28')).toBe(6);
    expect(isoWeekday('2026-11-29')).toBe(7);
  });

  it('GIVEN invalid dates or day counts THEN they throw CalendarErrors', () => {
    expectCalendarError(() => addDays('2026-02-30', 1), 'invalid_date');
    expectCalendarError(() => addDays('2026-11-28', 1.5), 'invalid_days');
    expectCalendarError(() => addDays('2026-11-28', Number.NaN), 'invalid_days');
    expectCalendarError(() => addDays('9999-12-31', 1), 'invalid_date');
    expectCalendarError(() => daysBetween('2026-11-28', 'tomorrow'), 'invalid_date');
    expectCalendarError(() => isoWeekday('28/11/2026'), 'invalid_date');
  });

  it('GIVEN any day and any shift THEN addDays and daysBetween undo each other (property)', () => {
    fc.assert(
      fc.property(localDateArb, fc.integer({ min: -36_500, max: 36_500 }), (date, days) => {
        expect(daysBetween(date, addDays(date, days))).toBe(days);
        expect(addDays(addDays(date, days), -days)).toBe(date);
      }),
    );
    fc.assert(
      fc.property(localDateArb, localDateArb, (from, to) => {
        expect(addDays(from, daysBetween(from, to))).toBe(to);
        expect(daysBetween(to, from) + daysBetween(from, to)).toBe(0);
      }),
    );
  });

  it('GIVEN any day THEN isoWeekday agrees with the JavaScript Date (property)', () => {
    fc.assert(
      fc.property(localDateArb, (date) => {
        expect(isoWeekday(date)).toBe(new Date(`${date}T00:00:00Z`).getUTCDay() || 7);
      }),
    );
  });
});

describe('ISO weeks', () => {
  it('GIVEN days at the turn of a year THEN they belong to the week-year of their Thursday', () => {
    expect(isoWeekOf('2026-11-28')).toBe('2026-W48');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-03')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04')).toBe('2027-W01');
    expect(isoWeekOf('2024-12-29')).toBe('2024-W52');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
  });

  it('GIVEN a week THEN isoWeekBounds gives its Monday and Sunday, across a year end too', () => {
    expect(isoWeekBounds('2026-W48')).toEqual({ first: '2026-11-23', last: '2026-11-29' });
    expect(isoWeekBounds('2026-W53')).toEqual({ first: '2026-12-28', last: '2027-01-03' });
    expect(isoWeekBounds('2025-W01')).toEqual({ first: '2024-12-30', last: '2025-01-05' });
  });

  it('GIVEN Sunday night in São Paulo, already Monday in UTC THEN the week is still the São Paulo one', () => {
    const sundayNight = new Date('2026-11-30T02:30:00Z');
    expect(isoWeekOfInstant(sundayNight, 'America/Sao_Paulo')).toBe('2026-W48');
    expect(isoWeekOfInstant(sundayNight, 'UTC')).toBe('2026-W49');
  });

  it('GIVEN weeks that do not exist or are badly written THEN they are refused', () => {
    expect(isIsoWeek('2026-W53')).toBe(true);
    for (const week of ['2025-W53', '2026-W00', '2026-W54', '2026-W5', '2026W48', '2026-w48', '0000-W52', '9999-W52']) {
      expect(isIsoWeek(week), week).toBe(false);
      expectCalendarError(() => isoWeekBounds(week), 'invalid_week');
    }
  });

  it('GIVEN any day THEN isoWeekOf matches the Thursday rule and its week bounds hold it (property)', () => {
    fc.assert(
      fc.property(localDateArb, (date) => {
        const week = isoWeekOf(date);
        expect(week).toBe(referenceIsoWeek(date));
        const { first, last } = isoWeekBounds(week);
        expect(daysBetween(first, date)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(date, last)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(first, last)).toBe(6);
        expect(isoWeekday(first)).toBe(1);
        expect(isoWeekday(last)).toBe(7);
        expect(isoWeekOf(first)).toBe(week);
        expect(isoWeekOf(last)).toBe(week);
      }),
    );
  });

  it('GIVEN any week THEN the next week starts the day after it ends (property)', () => {
    fc.assert(
      fc.property(localDateArb, (date) => {
        const { last } = isoWeekBounds(isoWeekOf(date));
        const next = isoWeekBounds(isoWeekOf(addDays(date, 7)));
        expect(next.first).toBe(addDays(last, 1));
        expect(isoWeekOf(addDays(last, 1))).not.toBe(isoWeekOf(last));
      }),
    );
  });
});
