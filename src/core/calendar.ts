/**
 * Calendar arithmetic on local dates: the day of an instant in a member's or a cohort's time zone, day steps, and ISO
 * weeks. Streaks count local days and weekly leaderboards bucket by ISO week, so both rest on these few functions.
 *
 * Time-zone and DST maths come from luxon (IANA data through the runtime's Intl), never from hand-written offsets.
 * Once an instant is turned into a local date, all arithmetic is done on that date as a UTC calendar day: UTC has no
 * DST, so a day is always 24 hours there and "3 days later" can never land on the wrong day because a clock moved.
 *
 * Nothing here reads the clock: callers pass the instant (`now`) and the zone.
 */
import { DateTime, IANAZone } from 'luxon';

/** A calendar day with no time and no zone, `YYYY-MM-DD` (years 0001 to 9999). */
export type LocalDate = string;

/** An ISO-8601 week, `YYYY-Www` (for example `2026-W48`); the year is the ISO week-year, not the calendar year. */
export type IsoWeek = string;

/** Monday = 1 … Sunday = 7. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type CalendarErrorCode =
  | 'invalid_date'
  | 'invalid_time_zone'
  | 'invalid_instant'
  | 'invalid_week'
  | 'invalid_days';

/** A date, zone, instant, week or day count that the calendar cannot work with. */
export class CalendarError extends Error {
  override readonly name = 'CalendarError';

  constructor(
    readonly code: CalendarErrorCode,
    /** The rejected value, for logs. */
    readonly value: unknown,
    message: string,
  ) {
    super(message);
  }
}

// luxon's fromISO accepts many shapes (`20261128`, `2026-11-28T10:00`, week dates…); a LocalDate is exactly one.
const localDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoWeekPattern = /^(\d{4})-W(\d{2})$/;

/** True for a real calendar day written `YYYY-MM-DD` (so `2026-02-29` and `2026-13-01` are not). */
export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === 'string' && knownDate(value) !== null;
}

/** Throws a CalendarError unless the value is a LocalDate. */
export function assertLocalDate(value: unknown): asserts value is LocalDate {
  if (!isLocalDate(value)) {
    throw new CalendarError('invalid_date', value, `Not a calendar date (YYYY-MM-DD): ${String(value)}`);
  }
}

/** True for an IANA time zone the runtime knows (`America/Sao_Paulo`, `Europe/Lisbon`, `UTC`). */
export function isTimeZone(zone: unknown): zone is string {
  return typeof zone === 'string' && ianaZone(zone) !== null;
}

/** True for an ISO week that exists (`2026-W53` does, `2025-W53` does not). */
export function isIsoWeek(value: unknown): value is IsoWeek {
  return typeof value === 'string' && parseWeek(value) !== null;
}

/** The calendar day of an instant in a time zone: what a wall calendar there shows at that instant. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new CalendarError('invalid_instant', instant, `Not a valid instant: ${String(instant)}`);
  }
  const zone = ianaZone(timeZone);
  if (zone === null) {
    throw new CalendarError('invalid_time_zone', timeZone, `Not an IANA time zone: ${String(timeZone)}`);
  }
  const time = instant.getTime();
  const day = currentDays.get(timeZone);
  if (day !== undefined && time >= day.start && time < day.end) return day.date;
  const local = DateTime.fromJSDate(instant, { zone });
  const date = toLocalDate(local, instant);
  // The day's bounds as instants: startOf('day') is the first instant of that local day (DST-safe, also where
  // midnight is skipped), and the next day's start ends it.
  const start = local.startOf('day');
  currentDays.set(timeZone, { date, start: start.toMillis(), end: start.plus({ days: 1 }).startOf('day').toMillis() });
  return date;
}

/**
 * Per zone, the local day last asked for, with the instants it spans: answers arrive in bursts of the same few
 * days, and an instant inside the span needs no zone conversion. Bounded by the valid zones (one entry each).
 */
const currentDays = new Map<string, { date: LocalDate; start: number; end: number }>();

/**
 * The first instant (epoch milliseconds) of the local day of `instant` in `timeZone`, DST-safe: the answer path asks
 * whether a member's previous answer came before today began (weekly active days), from the same cached span.
 */
export function localDayStart(instant: Date, timeZone: string): number {
  localDateOf(instant, timeZone);
  return (currentDays.get(timeZone) as { start: number }).start;
}

/** The day `days` calendar days after `date` (before it when negative). */
export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isSafeInteger(days)) {
    throw new CalendarError('invalid_days', days, `A number of days must be a whole number: ${days}`);
  }
  return toLocalDate(requireDate(date).plus({ days }), date);
}

/** Calendar days from `from` to `to`: 1 from a day to the next, negative when `to` is earlier. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  // Both are UTC midnights, so the difference is a whole number of 24-hour days (milliseconds, not luxon's diff,
  // which builds a Duration and is most of a streak step's cost); rounding only guards the float.
  return Math.round((requireDate(to).toMillis() - requireDate(from).toMillis()) / 86_400_000);
}

/** The ISO day of the week: Monday = 1 … Sunday = 7. */
export function isoWeekday(date: LocalDate): IsoWeekday {
  return requireDate(date).weekday;
}

/**
 * The ISO-8601 week a day belongs to. Weeks start on Monday and week 1 is the one holding the year's first Thursday,
 * so the first and last days of a calendar year can belong to a week of the next or previous week-year:
 * `2027-01-01` is in `2026-W53` and `2024-12-30` is in `2025-W01`.
 */
export function isoWeekOf(date: LocalDate): IsoWeek {
  const day = requireDate(date);
  return formatWeek(day.weekYear, day.weekNumber);
}

/** The ISO week of an instant in a time zone (weekly leaderboards use the cohort's zone). */
export function isoWeekOfInstant(instant: Date, timeZone: string): IsoWeek {
  return isoWeekOf(localDateOf(instant, timeZone));
}

/** The Monday and the Sunday of an ISO week. */
export function isoWeekBounds(week: IsoWeek): { first: LocalDate; last: LocalDate } {
  const monday = parseWeek(week);
  if (monday === null) throw new CalendarError('invalid_week', week, `Not an ISO week (YYYY-Www): ${String(week)}`);
  return { first: toLocalDate(monday, week), last: toLocalDate(monday.plus({ days: 6 }), week) };
}

function parseDate(value: string): DateTime<true> | null {
  if (!localDatePattern.test(value)) return null;
  const day = DateTime.fromISO(value, { zone: 'utc' });
  // The round trip rejects days that do not exist (luxon reads 2026-02-30 as invalid, and this guards the rest).
  return day.isValid && day.year >= 1 && day.toISODate() === value ? day : null;
}

function parseWeek(value: string): DateTime<true> | null {
  const match = isoWeekPattern.exec(value);
  if (!match) return null;
  const weekYear = Number(match[1]);
  const weekNumber = Number(match[2]);
  // luxon rejects week 53 of a 52-week year ("unit out of range"); the round trip rejects week 00.
  const monday = DateTime.fromObject({ weekYear, weekNumber, weekday: 1 }, { zone: 'utc' });
  if (!monday.isValid || formatWeek(monday.weekYear, monday.weekNumber) !== value) return null;
  // Both ends of the week must be LocalDates: 0000-W52 starts in the year 0000, 9999-W52 ends in 10000.
  if (monday.year < 1 || monday.plus({ days: 6 }).year > 9999) return null;
  return monday;
}

function requireDate(date: LocalDate): DateTime<true> {
  const day = typeof date === 'string' ? knownDate(date) : null;
  if (day === null) throw new CalendarError('invalid_date', date, `Not a calendar date (YYYY-MM-DD): ${String(date)}`);
  return day;
}

/** parseDate, remembering the valid days (invalid ones come from outside and are not kept). */
function knownDate(value: string): DateTime<true> | null {
  const known = parsedDates.get(value);
  if (known !== undefined) return known;
  const day = parseDate(value);
  if (day === null) return null;
  if (parsedDates.size >= maxParsedDates) parsedDates.clear();
  parsedDates.set(value, day);
  return day;
}

// Parsing a date with luxon is most of the cost of a streak or week step, and the answer path parses the same few
// days again and again. DateTimes are immutable, so the valid ones are shared; the map is emptied when full.
const maxParsedDates = 4096;
const parsedDates = new Map<string, DateTime<true>>();

// luxon's IANAZone.isValidZone builds an Intl.DateTimeFormat on every call, which costs more than the rest of
// localDateOf together; the answer path asks for the same few zones over and over, so the valid ones are kept.
// Invalid names are not cached: they come from outside and would let the map grow without bound.
const validZones = new Map<string, IANAZone>();

function ianaZone(name: string): IANAZone | null {
  const known = validZones.get(name);
  if (known !== undefined) return known;
  if (name === '' || !IANAZone.isValidZone(name)) return null;
  const zone = IANAZone.create(name);
  validZones.set(name, zone);
  return zone;
}

/** The day as a LocalDate, or a CalendarError when it falls outside the years 0001 to 9999. */
function toLocalDate(day: DateTime, from: unknown): LocalDate {
  const iso = day.isValid ? day.toISODate() : null;
  if (iso === null || !localDatePattern.test(iso) || iso.startsWith('0000')) {
    throw new CalendarError('invalid_date', from, `The date falls outside the years 0001 to 9999: ${String(from)}`);
  }
  return iso;
}

function formatWeek(weekYear: number, weekNumber: number): IsoWeek {
  return `${String(weekYear).padStart(4, '0')}-W${String(weekNumber).padStart(2, '0')}`;
}
