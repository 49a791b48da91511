/**
 * Member care, the pure rules: vacation holds (which dates a member may pause, the instants a hold spans, how it ends
 * when cancelled early, how it moves review due dates) and daily nudges (the opt-in hour, quiet hours that may wrap
 * midnight, whether a nudge is due now in the member's zone). The store and the scheduler apply them; nothing here
 * reads a clock or the database (docs/streaks.md).
 *
 * Local hours and days come from luxon in the member's IANA zone, so a DST change moves nothing: a nudge at 18:00 is
 * at 18:00 on the wall clock before and after the change, and a hold's days are whole local days.
 */
import { DateTime } from 'luxon';
import { addDays, daysBetween, isLocalDate, type LocalDate, localDateOf } from './calendar.ts';
import type { HoldPeriod } from './streaks.ts';

/** The longest hold, in days (both ends included). */
export const maxHoldDays = 60;
/** How far ahead a hold may start, in days. */
export const maxHoldLeadDays = 365;

export type HoldProblem = 'bad_date' | 'end_before_start' | 'too_long' | 'in_past' | 'too_far';

/** Whether a member may pause from `startDate` to `endDate` (both included) when their local date is `today`. */
export function checkHold(
  startDate: string,
  endDate: string,
  today: LocalDate,
): { ok: true; hold: HoldPeriod } | { ok: false; problem: HoldProblem } {
  if (!isLocalDate(startDate) || !isLocalDate(endDate)) return { ok: false, problem: 'bad_date' };
  if (endDate < startDate) return { ok: false, problem: 'end_before_start' };
  if (startDate < today) return { ok: false, problem: 'in_past' };
  if (holdLength({ startDate, endDate }) > maxHoldDays) return { ok: false, problem: 'too_long' };
  if (daysBetween(today, startDate) > maxHoldLeadDays) return { ok: false, problem: 'too_far' };
  return { ok: true, hold: { startDate, endDate } };
}

/** The days a hold spans, both ends included. */
export function holdLength(hold: HoldPeriod): number {
  return daysBetween(hold.startDate, hold.endDate) + 1;
}

/** The instants a hold spans in the member's zone: from the start of its first day to the start of the day after. */
export function holdInstants(hold: HoldPeriod, timeZone: string): { from: Date; until: Date } {
  const first = DateTime.fromISO(hold.startDate, { zone: timeZone }).startOf('day');
  const after = DateTime.fromISO(addDays(hold.endDate, 1), { zone: timeZone }).startOf('day');
  return { from: first.toJSDate(), until: after.toJSDate() };
}

/**
 * A review due inside the hold, moved by the hold's length in whole local days (the same wall-clock time, even when a
 * DST change lies in between): a card due on the hold's second day comes back on the second day after it.
 */
export function movedDue(due: Date, hold: HoldPeriod, timeZone: string): Date {
  return DateTime.fromJSDate(due, { zone: timeZone })
    .plus({ days: holdLength(hold) })
    .toJSDate();
}

/**
 * What cancelling a hold does on `today`: a hold not started yet is deleted; one in progress ends yesterday, so the
 * days already taken stay covered and today counts again; one that ended already is left as it is.
 */
export function cancelledHold(hold: HoldPeriod, today: LocalDate): 'delete' | 'keep' | { endDate: LocalDate } {
  if (hold.endDate < today) return 'keep';
  if (hold.startDate >= today) return 'delete';
  return { endDate: addDays(today, -1) };
}

/** The hold covering `today`, else the next one; null when none is current or ahead. */
export function currentHold<H extends HoldPeriod>(holds: readonly H[], today: LocalDate): H | null {
  const ahead = holds.filter((hold) => hold.endDate >= today).sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
  return ahead[0] ?? null;
}

/** Quiet hours as minutes of the day: from `start` (included) to `end` (excluded), wrapping midnight when end < start. */
export interface QuietHours {
  readonly start: number;
  readonly end: number;
}

const clockPattern = /^([01]?\d|2[0-3])(?::([0-5]\d))?$/;

/** `22:00-07:00` (also `22-7`, `22h-7h`) as quiet hours; null when it is not a range of two different times. */
export function parseQuietHours(value: string): QuietHours | null {
  const parts = value
    .trim()
    .toLowerCase()
    .replace(/[–—]/g, '-')
    .split('-')
    .map((part) => part.trim().replace(/h$/, ''));
  if (parts.length !== 2) return null;
  const [start, end] = parts.map(minutesOf);
  if (start === null || end === null || start === undefined || end === undefined || start === end) return null;
  return { start, end };
}

/** `HH:MM-HH:MM`, the stored form. */
export function formatQuietHours(quiet: QuietHours): string {
  return `${clock(quiet.start)}-${clock(quiet.end)}`;
}

/** `18`, `18h` or `18:00` as a whole hour 0–23; null otherwise (nudges come on the hour). */
export function parseNudgeHour(value: string): number | null {
  const match = /^([01]?\d|2[0-3])(?:h|:00|h00)?$/i.exec(value.trim());
  return match ? Number(match[1]) : null;
}

export function inQuietHours(minuteOfDay: number, quiet: QuietHours | null): boolean {
  if (quiet === null) return false;
  return quiet.start < quiet.end
    ? minuteOfDay >= quiet.start && minuteOfDay < quiet.end
    : minuteOfDay >= quiet.start || minuteOfDay < quiet.end;
}

/** True when no minute from `hour`:00 to midnight is outside the quiet hours: such a nudge could never come. */
export function nudgeNeverComes(hour: number, quiet: QuietHours | null): boolean {
  if (quiet === null) return false;
  for (let minute = hour * 60; minute < 24 * 60; minute++) if (!inQuietHours(minute, quiet)) return false;
  return true;
}

export interface NudgeSchedule {
  /** The local hour (0–23) from which the day's nudge may come. */
  readonly nudgeHour: number;
  /** `HH:MM-HH:MM` or null. */
  readonly quietHours: string | null;
  /** The member's local date of the last nudge. */
  readonly lastNudgeDate: LocalDate | null;
  readonly timeZone: string;
}

/**
 * Whether the day's nudge is due at `now`: the member's local hour has reached `nudgeHour`, it is not quiet time, and
 * no nudge went out on this local date yet. `today` is the member's local date, for the claim. Whether there is
 * anything to say and whether the member is on hold are the caller's to check.
 */
export function nudgeDue(schedule: NudgeSchedule, now: Date): { due: boolean; today: LocalDate } {
  const today = localDateOf(now, schedule.timeZone);
  const local = DateTime.fromJSDate(now, { zone: schedule.timeZone });
  const quiet = schedule.quietHours ? parseQuietHours(schedule.quietHours) : null;
  const due =
    local.hour >= schedule.nudgeHour &&
    !inQuietHours(local.hour * 60 + local.minute, quiet) &&
    (schedule.lastNudgeDate === null || schedule.lastNudgeDate < today);
  return { due, today };
}

function minutesOf(value: string | undefined): number | null {
  const match = clockPattern.exec(value ?? '');
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2] ?? 0);
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
