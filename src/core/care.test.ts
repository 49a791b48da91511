import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cancelledHold,
  checkHold,
  currentHold,
  formatQuietHours,
  holdInstants,
  inQuietHours,
  movedDue,
  nudgeDue,
  nudgeNeverComes,
  parseNudgeHour,
  parseQuietHours,
} from './care.ts';

describe('vacation holds', () => {
  const today = '2026-12-10';

  it('GIVEN dates from today on, at most 60 days THEN the hold is accepted', () => {
    expect(checkHold('2026-12-20', '2027-01-05', today)).toEqual({
      ok: true,
      hold: { startDate: '2026-12-20', endDate: '2027-01-05' },
    });
    expect(checkHold(today, today, today).ok).toBe(true);
    expect(checkHold('2026-12-10', '2027-02-07', today).ok).toBe(true); // 60 days
  });

  it('GIVEN bad dates THEN the problem is named', () => {
    const problem = (from: string, to: string) => {
      const checked = checkHold(from, to, today);
      return checked.ok ? null : checked.problem;
    };
    expect(problem('2026-02-30', '2026-12-20')).toBe('bad_date');
    expect(problem('2026-12-20', '2026-12-19')).toBe('end_before_start');
    expect(problem('2026-12-09', '2026-12-20')).toBe('in_past');
    expect(problem('2026-12-10', '2027-02-08')).toBe('too_long'); // 61 days
    expect(problem('2027-12-20', '2027-12-21')).toBe('too_far');
  });

  it('GIVEN a hold ahead, in progress, started today or over THEN cancelling deletes, ends yesterday or keeps it', () => {
    const hold = { startDate: '2026-12-08', endDate: '2026-12-20' };
    expect(cancelledHold({ startDate: '2026-12-15', endDate: '2026-12-20' }, today)).toBe('delete');
    expect(cancelledHold({ startDate: today, endDate: '2026-12-20' }, today)).toBe('delete');
    expect(cancelledHold(hold, today)).toEqual({ endDate: '2026-12-09' });
    expect(cancelledHold({ startDate: '2026-12-01', endDate: '2026-12-05' }, today)).toBe('keep');
  });

  it('GIVEN holds over, current and ahead THEN the current one (else the next) is the one shown', () => {
    const holds = [
      { startDate: '2026-12-20', endDate: '2026-12-24' },
      { startDate: '2026-12-01', endDate: '2026-12-05' },
      { startDate: '2026-12-09', endDate: '2026-12-11' },
    ];
    expect(currentHold(holds, today)).toEqual({ startDate: '2026-12-09', endDate: '2026-12-11' });
    expect(currentHold(holds, '2026-12-12')).toEqual({ startDate: '2026-12-20', endDate: '2026-12-24' });
    expect(currentHold(holds, '2026-12-25')).toBeNull();
  });

  it('GIVEN a hold across a DST change THEN it spans whole local days and moved reviews keep their wall-clock time', () => {
    // New York springs forward on Sunday 2026-03-08: the hold's first day starts at EST, the day after it at EDT.
    const hold = { startDate: '2026-03-06', endDate: '2026-03-09' };
    expect(holdInstants(hold, 'America/New_York')).toEqual({
      from: new Date('2026-03-06T05:00:00Z'),
      until: new Date('2026-03-10T04:00:00Z'),
    });
    // Due Friday 09:00 EST → four days later, Tuesday 09:00 EDT.
    expect(movedDue(new Date('2026-03-06T14:00:00Z'), hold, 'America/New_York')).toEqual(
      new Date('2026-03-10T13:00:00Z'),
    );
  });
});

describe('nudge settings', () => {
  it('GIVEN quiet hours in several spellings THEN they are read as minutes, and two equal times are refused', () => {
    expect(parseQuietHours('22:00-07:00')).toEqual({ start: 22 * 60, end: 7 * 60 });
    expect(parseQuietHours('22-7')).toEqual({ start: 22 * 60, end: 7 * 60 });
    expect(parseQuietHours('22h-7h')).toEqual({ start: 22 * 60, end: 7 * 60 });
    expect(parseQuietHours('12:30 – 14:00')).toEqual({ start: 12 * 60 + 30, end: 14 * 60 });
    expect(formatQuietHours({ start: 7 * 60 + 5, end: 9 * 60 })).toBe('07:05-09:00');
    for (const bad of ['25:00-07:00', '22:00-22:00', 'noite', '22:00', '22:00-07:00-08:00', '22:60-07:00']) {
      expect(parseQuietHours(bad), bad).toBeNull();
    }
  });

  it('GIVEN quiet hours that wrap midnight THEN the night is quiet and the day is not', () => {
    const quiet = parseQuietHours('22:00-07:00');
    expect(inQuietHours(23 * 60 + 30, quiet)).toBe(true);
    expect(inQuietHours(0, quiet)).toBe(true);
    expect(inQuietHours(6 * 60 + 59, quiet)).toBe(true);
    expect(inQuietHours(7 * 60, quiet)).toBe(false);
    expect(inQuietHours(21 * 60 + 59, quiet)).toBe(false);
    expect(inQuietHours(3 * 60, null)).toBe(false);
  });

  it('GIVEN an hour THEN 18, 18h and 18:00 are read, other shapes are not', () => {
    expect(parseNudgeHour('18')).toBe(18);
    expect(parseNudgeHour('18h')).toBe(18);
    expect(parseNudgeHour('18:00')).toBe(18);
    expect(parseNudgeHour('7')).toBe(7);
    expect(parseNudgeHour('0')).toBe(0);
    for (const bad of ['24', '18:30', '-1', 'seis', '']) expect(parseNudgeHour(bad), bad).toBeNull();
  });

  it('GIVEN an hour whose evening is all quiet THEN the nudge could never come', () => {
    expect(nudgeNeverComes(23, parseQuietHours('22:00-07:00'))).toBe(true);
    expect(nudgeNeverComes(18, parseQuietHours('22:00-07:00'))).toBe(false);
    expect(nudgeNeverComes(6, parseQuietHours('22:00-07:00'))).toBe(false);
    expect(nudgeNeverComes(23, null)).toBe(false);
  });

  it('GIVEN any minute and quiet hours THEN a minute is quiet exactly when it lies in the range, wrapping or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        (start, end, minute) => {
          fc.pre(start !== end);
          const length = (end - start + 1440) % 1440;
          const offset = (minute - start + 1440) % 1440;
          expect(inQuietHours(minute, { start, end })).toBe(offset < length);
        },
      ),
    );
  });
});

describe('nudgeDue', () => {
  const schedule = { nudgeHour: 18, quietHours: null, lastNudgeDate: null, timeZone: 'America/New_York' };

  it('GIVEN New York around its DST change THEN the nudge comes at 18:00 on the wall clock on both sides', () => {
    // Saturday 7 March (EST, UTC−5) and Monday 9 March (EDT, UTC−4).
    expect(nudgeDue(schedule, new Date('2026-03-07T22:59:00Z'))).toEqual({ due: false, today: '2026-03-07' });
    expect(nudgeDue(schedule, new Date('2026-03-07T23:00:00Z'))).toEqual({ due: true, today: '2026-03-07' });
    expect(nudgeDue(schedule, new Date('2026-03-09T21:59:00Z')).due).toBe(false);
    expect(nudgeDue(schedule, new Date('2026-03-09T22:00:00Z'))).toEqual({ due: true, today: '2026-03-09' });
  });

  it('GIVEN Lisbon around its DST change THEN the local hour follows the wall clock', () => {
    const lisbon = { ...schedule, nudgeHour: 9, timeZone: 'Europe/Lisbon' };
    expect(nudgeDue(lisbon, new Date('2026-03-28T09:00:00Z')).due).toBe(true); // 09:00 WET
    expect(nudgeDue(lisbon, new Date('2026-03-29T07:30:00Z')).due).toBe(false); // 08:30 WEST
    expect(nudgeDue(lisbon, new Date('2026-03-29T08:00:00Z')).due).toBe(true); // 09:00 WEST
  });

  it('GIVEN quiet hours wrapping midnight THEN an early nudge waits for their end, and a late one never comes', () => {
    const early = { ...schedule, nudgeHour: 6, quietHours: '22:00-07:00' };
    expect(nudgeDue(early, new Date('2026-03-10T10:30:00Z')).due).toBe(false); // 06:30 EDT
    expect(nudgeDue(early, new Date('2026-03-10T11:00:00Z')).due).toBe(true); // 07:00 EDT
    const late = { ...schedule, nudgeHour: 23, quietHours: '22:00-07:00' };
    expect(nudgeDue(late, new Date('2026-03-11T03:30:00Z')).due).toBe(false); // 23:30 EDT
  });

  it('GIVEN a nudge already sent today THEN none is due until the next local day', () => {
    const sent = { ...schedule, lastNudgeDate: '2026-03-09' };
    expect(nudgeDue(sent, new Date('2026-03-09T23:00:00Z')).due).toBe(false);
    expect(nudgeDue(sent, new Date('2026-03-10T22:00:00Z')).due).toBe(true);
  });
});
