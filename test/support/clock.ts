/**
 * Clocks a test controls, derived from the run's own clock so real time never overtakes them.
 */
import { DateTime } from 'luxon';

/** The next Monday (in `zone`) after the run's real now, at `hour`:00 local: a clock real time never overtakes. */
export function nextMonday(zone: string, hour: number): Date {
  const today = DateTime.now().setZone(zone).startOf('day');
  const monday = today.plus({ days: 8 - today.weekday });
  return monday.set({ hour }).toJSDate();
}
