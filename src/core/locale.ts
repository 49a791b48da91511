/** The languages Trilha speaks, in order of preference: Brazilian Portuguese first, English second. */
export const locales = ['pt-BR', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'pt-BR';

/** A text (or any value) in every locale. */
export type Localized<T = string> = Readonly<Record<Locale, T>>;

export function isLocale(value: string): value is Locale {
  return (locales as readonly string[]).includes(value);
}

/**
 * The supported locale closest to a platform's tag: `pt`, `pt-BR` and `pt-PT` speak Portuguese, everything else
 * English (Slack sends `pt-BR`, Discord `pt-BR` and `en-US`).
 */
export function matchLocale(tag: string | undefined | null): Locale {
  if (!tag) return defaultLocale;
  return tag.toLowerCase().startsWith('pt') ? 'pt-BR' : 'en';
}
