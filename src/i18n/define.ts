/**
 * A message catalog area: the pt-BR messages (the reference: Trilha's users speak Portuguese first) and the English
 * ones, which must have exactly the same keys. Messages are ICU MessageFormat (`{count, plural, one {…} other {…}}`,
 * `{name}`), formatted by `intl-messageformat` (FormatJS), so plurals and numbers follow each language's rules.
 */
export type Messages = Readonly<Record<string, string>>;

export interface MessageArea<K extends string> {
  readonly 'pt-BR': Readonly<Record<K, string>>;
  readonly en: Readonly<Record<K, string>>;
}

export function defineMessages<const P extends Messages>(
  ptBR: P,
  en: Readonly<Record<keyof P & string, string>>,
): MessageArea<keyof P & string> {
  return { 'pt-BR': ptBR, en };
}
