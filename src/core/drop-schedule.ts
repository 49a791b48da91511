/**
 * A channel's daily-drop schedule as pure functions: when a drop happens on a local date, which local dates have one,
 * the next drop after an instant, what the scheduler should post now, and which lesson a drop posts.
 *
 * The schedule is the channel's settings (prisma/models.prisma, model Channel): a local time `dropTime`, an IANA
 * `timeZone`, the ISO `weekdays` with drops, the first local date `startDate`, and `paused`. The persisted scheduler
 * (src/scheduler) polls `dueDrop`, claims the drop through the database's one-drop-per-channel-per-local-date rule,
 * posts lesson `lessonIndexFor(...)`, and polls again on an interval (the terminal's virtual clock jumps to each
 * `nextDrop` instead). Nothing here reads the clock: callers pass `now`.
 *
 * The rules:
 * - A drop happens on every local date that is on or after `startDate` and falls on one of `weekdays`, at `dropTime`
 *   in `timeZone` (`dropInstant` says exactly when, DST included).
 * - After downtime only today's drop (the local date of `now` in the channel's zone) can be due, posted late once;
 *   earlier missed days are skipped, never flooded into the channel.
 * - Lessons advance in track order: the n-th drop (0-based) of a channel posts lesson n, then the track is complete.
 *
 * Bad local dates and instants throw calendar's CalendarError; a bad schedule or count throws a DropScheduleError.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import {
  addDays,
  assertLocalDate,
  isLocalDate,
  isoWeekday,
  isTimeZone,
  type LocalDate,
  localDateOf,
} from './calendar.ts';

export interface DropSchedule {
  /** Local time of the drop, `HH:MM` from 00:00 to 23:59. */
  readonly dropTime: string;
  /** IANA time zone of `dropTime`, `weekdays` and `startDate` (`America/Sao_Paulo`). */
  readonly timeZone: string;
  /** ISO weekdays with a drop, Monday = 1 … Sunday = 7: distinct, at least one. */
  readonly weekdays: readonly number[];
  /** First local date with a drop, `YYYY-MM-DD`. */
  readonly startDate: LocalDate;
  /** A paused channel has no drops: nothing is due and there is no next drop. */
  readonly paused: boolean;
}

/**
 * The messages of `dropScheduleSchema`, shown to channel admins who set a schedule. They are exported so the caller
 * can translate them by key (compare an issue's message with these values) instead of matching English text.
 */
export const dropScheduleMessages = {
  dropTime: 'The drop time must be a time of day written HH:MM, from 00:00 to 23:59 (for example 09:00).',
  timeZone: 'The time zone must be an IANA time zone name, such as America/Sao_Paulo or Europe/Lisbon.',
  weekday: 'Weekdays are numbers from 1 (Monday) to 7 (Sunday).',
  weekdaysEmpty: 'Choose at least one weekday for the drops.',
  weekdaysRepeated: 'Each weekday can be chosen only once.',
  startDate: 'The start date must be a real calendar date written YYYY-MM-DD (for example 2026-12-01).',
  paused: 'Paused must be true or false.',
} as const;

const dropTimePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

const weekdaySchema = z
  .int({ error: dropScheduleMessages.weekday })
  .min(1, { error: dropScheduleMessages.weekday })
  .max(7, { error: dropScheduleMessages.weekday });

/**
 * A schedule as an admin sets it or the repository reads it. The database stores `weekdays` as `1,2,3,4,5`; the
 * repository splits it into numbers before parsing. Unknown keys are dropped, so a whole Channel row can be parsed.
 */
export const dropScheduleSchema = z.object({
  dropTime: z.string({ error: dropScheduleMessages.dropTime }).regex(dropTimePattern, {
    error: dropScheduleMessages.dropTime,
  }),
  timeZone: z.string({ error: dropScheduleMessages.timeZone }).refine(isTimeZone, {
    error: dropScheduleMessages.timeZone,
  }),
  weekdays: z
    .array(weekdaySchema, { error: dropScheduleMessages.weekday })
    .min(1, { error: dropScheduleMessages.weekdaysEmpty })
    .refine((days) => new Set(days).size === days.length, { error: dropScheduleMessages.weekdaysRepeated }),
  startDate: z.string({ error: dropScheduleMessages.startDate }).refine(isLocalDate, {
    error: dropScheduleMessages.startDate,
  }),
  paused: z.boolean({ error: dropScheduleMessages.paused }),
}) satisfies z.ZodType<DropSchedule>;

export type DropScheduleErrorCode = 'invalid_schedule' | 'invalid_count';

/** A schedule or a count that the drop schedule cannot work with. */
export class DropScheduleError extends Error {
  override readonly name = 'DropScheduleError';

  constructor(
    readonly code: DropScheduleErrorCode,
    /** The rejected value, for logs. */
    readonly value: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** A schedule checked field by field; throws a DropScheduleError naming every problem. */
export function parseDropSchedule(value: unknown): DropSchedule {
  const result = dropScheduleSchema.safeParse(value);
  if (!result.success) {
    throw new DropScheduleError('invalid_schedule', value, `Not a drop schedule: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** A scheduled drop: the channel's local date it belongs to and the instant it happens. */
export interface ScheduledDrop {
  readonly localDate: LocalDate;
  readonly at: Date;
}

/** The drop the scheduler should post now; `late` when it is posted more than `lateAfterMs` after its instant. */
export interface DueDrop extends ScheduledDrop {
  readonly late: boolean;
}

/** A drop posted more than this long after its instant is late (posted after downtime): 5 minutes. */
export const lateAfterMs = 5 * 60_000;

/**
 * The instant of the drop on a local date: `dropTime` on `localDate` in the channel's zone, whether or not that date
 * is a drop day. Where DST makes the wall-clock time odd:
 * - **It does not exist** (the clocks jump over it, e.g. 02:30 in New York on 2026-03-08, when 02:00 EST became
 *   03:00 EDT): the drop happens at the first valid instant after the gap, the moment the clocks jump (03:00 EDT).
 *   Not "02:30 plus the gap" (03:30), which is what luxon and JavaScript's Date give.
 * - **It exists twice** (the clocks fall back over it, e.g. 01:30 in New York on 2026-11-01): the FIRST occurrence
 *   (01:30 EDT), so a drop is never held back an extra hour and always comes at the earliest instant its wall time
 *   shows.
 * Both rules are one rule: the drop is the first instant at which the channel's wall clock reads `dropTime` on that
 * date or later. So drop instants increase with the date, which `nextDrop` relies on. The one exception is a date a
 * zone skipped entirely (Samoa's 2011-12-30, Kiritimati's 1994-12-31): its drop is the instant the clocks jumped, the
 * next day's local midnight, which `dueDrop` never sees as today and `nextDrop` merges with a 00:00 drop the next day.
 */
export function dropInstant(schedule: DropSchedule, localDate: LocalDate): Date {
  const valid = parseDropSchedule(schedule);
  assertLocalDate(localDate);
  return new Date(instantOn(valid, localDate));
}

/**
 * Whether a local date has a drop: on or after `startDate` and on one of `weekdays`. Pausing does not change which
 * days are drop days (it stops the drops: see `nextDrop` and `dueDrop`).
 */
export function isDropDay(schedule: DropSchedule, localDate: LocalDate): boolean {
  const valid = parseDropSchedule(schedule);
  assertLocalDate(localDate);
  return dropDay(valid, localDate);
}

/**
 * The next drop strictly after `now`, or null when the channel is paused. Drops that were missed (their instant is
 * before `now`) are never returned: `dueDrop` decides whether today's is still posted.
 */
export function nextDrop(schedule: DropSchedule, now: Date): ScheduledDrop | null {
  const valid = parseDropSchedule(schedule);
  const today = localDateOf(now, valid.timeZone);
  if (valid.paused) return null;

  // A drop instant is the first time the wall clock reaches `dropTime` on its date, and the wall clock now already
  // shows `today`, so a drop dated before today cannot still be ahead: the search starts today (or at the start date).
  // (LocalDates compare as strings; Math.max, which Biome suggests for a ternary like this, would turn them into NaN.)
  let date = today;
  if (valid.startDate > date) date = valid.startDate;
  // The first drop day comes within 7 days and, if its instant has passed, the next within 7 more; the cap only turns
  // a bug into an error instead of an endless loop.
  for (let step = 0; step < 21; step++, date = addDays(date, 1)) {
    if (!dropDay(valid, date)) continue;
    const at = instantOn(valid, date);
    if (at > now.getTime()) return { localDate: date, at: new Date(at) };
  }
  throw new Error(`No drop found within 21 days of ${date} for a valid schedule: this is a bug`);
}

/**
 * What the scheduler should post now: today's drop (today is the local date of `now` in the channel's zone) once its
 * instant has come, if it was not posted yet. `lastDropDate` is the local date of the channel's last posted drop.
 * Only today's drop can be due, so after downtime the missed earlier days are skipped and today's is posted once,
 * marked `late` when more than 5 minutes past its instant.
 *
 * Null when the channel is paused, today is not a drop day, today's instant has not come, or today's drop was posted.
 * A last drop dated after today also counts as posted: that only happens when the channel's zone moved west after a
 * drop, and posting today's then would post an older date after a newer one, on the same day.
 */
export function dueDrop(schedule: DropSchedule, now: Date, lastDropDate: LocalDate | null): DueDrop | null {
  const valid = parseDropSchedule(schedule);
  const today = localDateOf(now, valid.timeZone);
  if (lastDropDate !== null) assertLocalDate(lastDropDate);
  if (valid.paused || !dropDay(valid, today)) return null;
  // LocalDates are zero-padded YYYY-MM-DD, so comparing the strings compares the days.
  if (lastDropDate !== null && lastDropDate >= today) return null;

  const at = instantOn(valid, today);
  const behind = now.getTime() - at;
  if (behind < 0) return null;
  return { localDate: today, at: new Date(at), late: behind > lateAfterMs };
}

/**
 * The lesson a channel's next drop posts: drops go through the track in order, so after `dropsPosted` drops it is
 * lesson `dropsPosted` (0-based), and once every lesson was posted, 'track-complete' (the caller announces the end of
 * the track once).
 */
export function lessonIndexFor(dropsPosted: number, lessonCount: number): number | 'track-complete' {
  for (const [name, count] of [
    ['dropsPosted', dropsPosted],
    ['lessonCount', lessonCount],
  ] as const) {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new DropScheduleError('invalid_count', count, `${name} must be a whole number, 0 or more: ${count}`);
    }
  }
  return dropsPosted < lessonCount ? dropsPosted : 'track-complete';
}

function dropDay(schedule: DropSchedule, localDate: LocalDate): boolean {
  return localDate >= schedule.startDate && schedule.weekdays.includes(isoWeekday(localDate));
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Epoch milliseconds of the first instant at which the zone's wall clock reads `dropTime` on `localDate` or later.
 *
 * Written by hand on top of luxon's zone offsets because luxon's own conversion (`DateTime.fromObject`) does not give
 * these rules: in a gap it shifts the time forward by the gap's length (02:30 → 03:30), and for a time that exists
 * twice it picks the occurrence whose offset matches an offset guess taken from the current clock, so the answer would
 * depend on the season in which the code runs.
 */
function instantOn(schedule: DropSchedule, localDate: LocalDate): number {
  const zone = IANAZone.create(schedule.timeZone);
  // The wall-clock time read as if it were UTC: an instant `t` shows it when `t + offset(t)` equals it.
  const wall = DateTime.fromISO(`${localDate}T${schedule.dropTime}`, { zone: 'utc' }).toMillis();
  const offsetAt = (instant: number): number => zone.offset(instant) * MINUTE;

  // Any instant showing this wall time lies within 14 hours of it (no zone is further from UTC), so the offsets a day
  // before, at, and a day after cover both sides of any DST change near it (zones change offset at most once a day).
  const offsets = [...new Set([wall - DAY, wall, wall + DAY].map(offsetAt))];
  const occurrences = offsets.map((offset) => wall - offset).filter((instant) => instant + offsetAt(instant) === wall);
  if (occurrences.length > 0) return Math.min(...occurrences);

  // A gap: the clocks jumped over this time. Before the jump the wall clock shows less than `wall`, from it on more,
  // so a binary search (to the millisecond) between the two candidate instants finds the jump.
  let before = wall - Math.max(...offsets);
  let after = wall - Math.min(...offsets);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (middle + offsetAt(middle) < wall) before = middle;
    else after = middle;
  }
  return after;
}
