/**
 * How every renderer reads one line of the message model's Markdown subset (core/message.ts): `*bold*`, `_italic_`
 * (content may double them: `**bold**`), `` `code` `` and the backslash escapes `safeText` writes. Markers count only
 * at word edges, as Slack reads them, so `snake_case` and `2*3*4` stay as typed; code spans are literal. Each
 * renderer says what each piece becomes on its platform; the reading itself is one, here.
 *
 * Hand-written: a full CommonMark parser would read far more than the subset (links, headings, HTML) and could not
 * know `safeText`'s escapes.
 */

/** The characters `safeText` escapes with a backslash. */
export const escapableMarkers: ReadonlySet<string> = new Set(['\\', '`', '*', '_', '~', '<', '>', '|', '[', ']']);

export interface InlineRenderer {
  /** A character with no meaning in the subset. */
  text(char: string): string;
  /** A character `safeText` escaped; `inWord` when letters or digits stand on both sides of it. */
  escaped(char: string, inWord: boolean): string;
  /** A code span's content, escapes undone. */
  code(content: string): string;
  /** Emphasis around its already rendered content. */
  emphasis(kind: 'bold' | 'italic', inner: string): string;
}

export function renderInline(source: string, renderer: InlineRenderer): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    const next = source[i + 1];
    if (char === '\\' && next !== undefined && escapableMarkers.has(next)) {
      out += renderer.escaped(next, isWordChar(source[i - 1]) && isWordChar(source[i + 2]));
      i += 2;
      continue;
    }
    if (char === '`') {
      const end = findClosing(source, '`', i + 1);
      if (end > i + 1) {
        out += renderer.code(unescapeMarkers(source.slice(i + 1, end)));
        i = end + 1;
        continue;
      }
    }
    if (char === '*' || char === '_') {
      const marker = next === char ? char + char : char;
      if (opens(source, i, marker.length)) {
        const end = findClosing(source, marker, i + marker.length);
        if (end > i + marker.length && closes(source, end, marker.length)) {
          const inner = renderInline(source.slice(i + marker.length, end), renderer);
          out += renderer.emphasis(char === '*' ? 'bold' : 'italic', inner);
          i = end + marker.length;
          continue;
        }
      }
    }
    out += renderer.text(char);
    i += 1;
  }
  return out;
}

const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}]/u.test(char);
const isSpace = (char: string | undefined) => char === undefined || /\s/.test(char);

/** A marker at `i` opens when it does not follow a letter or digit and the next character is not a space. */
function opens(source: string, i: number, length: number): boolean {
  return !isWordChar(source[i - 1]) && !isSpace(source[i + length]);
}

/** A marker at `i` closes when the character before is not a space and no letter or digit follows it. */
function closes(source: string, i: number, length: number): boolean {
  return !isSpace(source[i - 1]) && !isWordChar(source[i + length]);
}

/** The index of the next unescaped `marker` from `from`, or -1. */
function findClosing(source: string, marker: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    if (source[i] === '\\' && escapableMarkers.has(source[i + 1] ?? '')) {
      i += 1;
      continue;
    }
    if (source.startsWith(marker, i)) return i;
  }
  return -1;
}

/** `safeText`'s escapes undone (inside a code span, where nothing formats). */
export function unescapeMarkers(value: string): string {
  return value.replace(/\\(.)/g, (whole, char: string) => (escapableMarkers.has(char) ? char : whole));
}
