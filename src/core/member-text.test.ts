import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutralizeName, neutralizeText } from './member-text.ts';

const hostile =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not survive
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B\u200C\u2060\uFEFF\u180E\u00AD]/;

describe('member text', () => {
  it('GIVEN escapes, a bell, an override and zero-width characters THEN only what a person reads is left', () => {
    expect(neutralizeName('Eve\x1b]0;pwn\x07 \u202Egnp.exe\u200B\u2066x\u2069\u0000', '?')).toBe('Eve]0;pwn gnp.exex');
  });

  it('GIVEN any script, accents and emoji THEN kept as given; a joiner only between two emoji', () => {
    expect(neutralizeName('Иван José 👩\u200D💻 a\u200Db', '?')).toBe('Иван José 👩\u200D💻 ab');
  });

  it('GIVEN line breaks and tabs THEN a name is one line; text keeps its lines when asked', () => {
    expect(neutralizeName('Ana\r\n\tMaria  ', '?')).toBe('Ana Maria');
    expect(neutralizeText('um\r\ndois\x1b', { keepNewlines: true })).toBe('um\ndois');
  });

  it('GIVEN nothing readable THEN the fallback', () => {
    expect(neutralizeName('\u200B\u202E \x07', 'fallback')).toBe('fallback');
  });

  it('GIVEN any string THEN no hostile character survives, and neutralising again changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (value) => {
        const once = neutralizeText(value);
        expect(once).not.toMatch(hostile);
        expect(neutralizeText(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});
