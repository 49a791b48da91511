/**
 * Small pieces the social commands share: cohort look-ups that answer a member's typo with the list of cohorts,
 * and dates shown in the member's language.
 */
import type { LocalDate } from '../../core/calendar.ts';
import type { Locale } from '../../core/locale.ts';
import { safeText, truncate } from '../../core/message.ts';
import type { CohortRecord } from '../../core/ports/social.port.ts';
import { type CommandContext, fold, UserError } from '../../runtime/command.ts';

/** Cohort short names: lower-case kebab case, 2 to 32 characters (`ops-2026`). */
export const cohortSlugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isCohortSlug(value: string): boolean {
  return value.length >= 2 && value.length <= 32 && cohortSlugPattern.test(value);
}

/** The slug closest to what a member typed (`Ops 2026` → `ops-2026`), or null when nothing usable is left. */
export function suggestSlug(typed: string): string | null {
  const slug = fold(typed)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return isCohortSlug(slug) ? slug : null;
}

/** `a`, `b`, `c`: the workspace's cohort slugs for a message (at most 30, so a text block stays short). */
export function slugList(cohorts: readonly { slug: string }[]): string {
  const shown = cohorts.slice(0, 30).map((cohort) => `\`${cohort.slug}\``);
  return cohorts.length > 30 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/**
 * The workspace's cohort a member named, matching case and accents loosely (`Ops-2026` finds `ops-2026`); an
 * unknown name throws a UserError that lists the cohorts there are.
 */
export async function cohortNamed(ctx: CommandContext, typed: string): Promise<CohortRecord> {
  const { social } = ctx.services.stores;
  const slug = fold(typed);
  const cohort = isCohortSlug(slug) ? await social.findCohort(ctx.workspace.id, slug) : null;
  if (cohort) return cohort;
  const all = await social.listCohorts(ctx.workspace.id);
  const shown = safeText(truncate(typed, 40));
  throw new UserError(
    all.length === 0
      ? ctx.t('social.cohort.unknown_none', { slug: shown })
      : ctx.t('social.cohort.unknown', { slug: shown, list: slugList(all) }),
  );
}

/** A local date as a short day and month in the member's language (`30/11`, `Nov 30`). */
export function shortDate(date: LocalDate, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** An instant as a date and time in the member's language and zone. */
export function dateTime(instant: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(instant);
}

/** The wall-clock time of an instant in a zone (`14:05`, `2:05 PM`). */
export function clockTime(instant: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(instant);
}

/** A member's display name, safe to show and short enough for one line. */
export function nameOf(displayName: string): string {
  return safeText(truncate(displayName, 40));
}
