/** What the care commands share: dates shown in the member's language, and today's local date. */
import { type LocalDate, localDateOf } from '../../core/calendar.ts';
import type { Locale } from '../../core/locale.ts';
import type { CommandContext } from '../../runtime/command.ts';

/** A local date with its year in the member's language (`20 de dez. de 2026`, `Dec 20, 2026`). */
export function longDate(date: LocalDate, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** The member's local date now, in their zone. */
export function todayOf(ctx: CommandContext): LocalDate {
  return localDateOf(ctx.now, ctx.timeZone);
}
