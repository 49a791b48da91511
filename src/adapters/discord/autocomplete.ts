/**
 * Autocomplete for `/trilha` options (Discord asks while the member types and shows at most 25 suggestions, each
 * name and value at most 100 characters): lessons for a question (what the search would answer, then titles that
 * contain what was typed), the workspace's cohorts, IANA time zones, and the values of a channel setting.
 */
import type { App } from '../../app.ts';
import type { Locale } from '../../core/locale.ts';
import { truncate } from '../../core/message.ts';
import { translator } from '../../i18n/translator.ts';
import { fold, type Request } from '../../runtime/command.ts';
import type { GivenOption, Suggestions } from './commands.ts';

export interface Suggestion {
  readonly name: string;
  readonly value: string;
}

/** Discord's caps on an autocomplete answer. */
export const maxSuggestions = 25;
const maxChoiceLength = 100;

export interface SuggestInput {
  readonly app: App;
  readonly request: Request;
  readonly locale: Locale;
  /** What the member has typed in the focused option so far. */
  readonly typed: string;
  /** The other options already filled in (the channel setting decides what its value can be). */
  readonly given: readonly GivenOption[];
}

export async function suggest(kind: Suggestions, input: SuggestInput): Promise<Suggestion[]> {
  const list = await suggestionsOf(kind, input);
  const seen = new Set<string>();
  const unique: Suggestion[] = [];
  for (const item of list) {
    const value = item.value.slice(0, maxChoiceLength);
    if (value === '' || seen.has(value)) continue;
    seen.add(value);
    unique.push({ name: truncate(item.name, maxChoiceLength) || value, value });
    if (unique.length === maxSuggestions) break;
  }
  return unique;
}

async function suggestionsOf(kind: Suggestions, input: SuggestInput): Promise<Suggestion[]> {
  switch (kind) {
    case 'lessons':
      return lessons(input);
    case 'cohorts':
      return cohorts(input);
    case 'zones':
      return zones(input);
    case 'setting-value':
      return settingValues(input);
  }
}

/** The lessons the search would answer with, best first, then every lesson whose title contains what was typed. */
function lessons({ app, locale, typed }: SuggestInput): Suggestion[] {
  const { curriculum, search } = app.services;
  const titled = (trackId: string, lessonId: string): Suggestion | undefined => {
    const lesson = curriculum.lesson(trackId, lessonId);
    return lesson ? { name: lesson.title[locale], value: lesson.title[locale] } : undefined;
  };
  const wanted = fold(typed);
  const found: Suggestion[] = [];
  if (wanted !== '') {
    const result = search.search(typed, locale);
    for (const hit of [result.best, ...result.others]) {
      const item = hit && titled(hit.trackId, hit.lessonId);
      if (item) found.push(item);
    }
  }
  for (const track of curriculum.tracks) {
    for (const lesson of track.lessons) {
      if (fold(lesson.title[locale]).includes(wanted))
        found.push({ name: lesson.title[locale], value: lesson.title[locale] });
    }
  }
  return found;
}

async function cohorts({ app, request, typed }: SuggestInput): Promise<Suggestion[]> {
  const workspace = await app.dispatcher.workspace(request);
  const all = await app.services.stores.social.listCohorts(workspace.id);
  const wanted = fold(typed);
  return all
    .filter((cohort) => fold(cohort.slug).includes(wanted) || fold(cohort.name).includes(wanted))
    .map((cohort) => ({ name: `${cohort.name} (${cohort.slug})`, value: cohort.slug }));
}

/** Every IANA zone the runtime knows; those starting with what was typed first (`recife` finds America/Recife). */
function zones({ locale, typed }: SuggestInput): Suggestion[] {
  const wanted = fold(typed).replace(/\s+/g, '_');
  const all = Intl.supportedValuesOf('timeZone');
  const starts = (zone: string) =>
    fold(zone).startsWith(wanted) || fold(zone.split('/').pop() ?? '').startsWith(wanted);
  const matches = [...all.filter(starts), ...all.filter((zone) => !starts(zone) && fold(zone).includes(wanted))];
  const { t } = translator(locale);
  const fallback = wanted === '' ? [{ name: t('discord.choice.default'), value: 'default' }] : [];
  return [...fallback, ...matches.map((zone) => ({ name: zone.replace(/_/g, ' '), value: zone }))];
}

/** What a channel setting accepts, by the setting already chosen. */
function settingValues(input: SuggestInput): Suggestion[] {
  const { app, locale, typed, given } = input;
  const setting = given.find((option) => option.name === 'setting')?.value;
  const { t } = translator(locale);
  const wanted = fold(typed);
  const filter = (items: Suggestion[]) =>
    items.filter((item) => fold(item.name).includes(wanted) || fold(item.value).includes(wanted));
  switch (setting) {
    case 'zone':
      return zones(input);
    case 'track':
      return filter(
        app.services.curriculum.tracks.map((track) => ({
          name: `${track.title[locale]} (${track.id})`,
          value: track.id,
        })),
      );
    case 'language':
      return filter([
        { name: t('discord.choice.pt-BR'), value: 'pt-BR' },
        { name: t('discord.choice.en'), value: 'en' },
      ]);
    case 'days':
      return filter([
        { name: t('discord.suggest.weekdays'), value: locale === 'en' ? 'weekdays' : 'dias-uteis' },
        { name: t('discord.suggest.every_day'), value: locale === 'en' ? 'every-day' : 'todos' },
        { name: t('discord.suggest.mon_wed_fri'), value: locale === 'en' ? 'mon,wed,fri' : 'seg,qua,sex' },
      ]);
    case 'time':
      return filter(
        ['08:00', '09:00', '09:30', '10:00', '12:00', '14:00', '17:00'].map((time) => ({ name: time, value: time })),
      );
    default:
      return [];
  }
}
