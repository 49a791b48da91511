import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from '../core/locale.ts';
import { catalog, type MessageKey } from './catalog.ts';

export type MessageValues = Readonly<Record<string, string | number | Date>>;

/** Formats catalog messages in one locale. */
export interface Translator {
  readonly locale: Locale;
  t(key: MessageKey, values?: MessageValues): string;
}

const compiled = new Map<string, IntlMessageFormat>();

export function translator(locale: Locale): Translator {
  return {
    locale,
    t(key, values) {
      const id = `${locale}\u0000${key}`;
      let format = compiled.get(id);
      if (!format) {
        const source = catalog[locale][key];
        if (source === undefined) throw new Error(`No message "${key}" in ${locale}`);
        format = new IntlMessageFormat(source, locale, undefined, { ignoreTag: true });
        compiled.set(id, format);
      }
      return String(format.format(values as Record<string, string | number | Date>));
    },
  };
}
