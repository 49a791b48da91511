/**
 * Text members give that other members see (display names, cohort names), neutralised at the door, before it is
 * stored: what reaches another member's screen is what a person could read, never something that drives the screen.
 * - C0 and C1 control characters (NUL, BEL, ESC, CSI…) and DEL are removed; a tab becomes a space; line breaks too,
 *   unless `keepNewlines` (a name is one line).
 * - Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the invisible direction marks (U+200E,
 *   U+200F, U+061C) are removed: `\u202Egnp.exe` cannot show as `exe.png`.
 * - Zero-width characters (U+200B, U+200C, U+2060, U+FEFF, U+180E, U+00AD) are removed, so two names that look alike
 *   are alike; a zero-width joiner survives only between two emoji (👩‍💻 stays one picture), nowhere else.
 * - Unicode NFC, runs of spaces collapsed, the ends trimmed.
 * Letters of any script, accents and emoji are kept as given. Markdown and mentions are escaped later, where text is
 * put in a message (`safeText` in message.ts), and each renderer escapes what its platform reads.
 */

/** C0 controls but tab and line feed, DEL, C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const controls = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** Bidi embeddings, overrides and isolates, and the invisible direction marks. */
const bidi = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
/** Zero-width and invisible formatting characters (the joiner is handled apart). */
const zeroWidth = /[\u200B\u200C\u2060\uFEFF\u180E\u00AD]/g;
/** A zero-width joiner that does not sit between two emoji (an emoji may carry a variation selector). */
const strayJoiner = /(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

export interface NeutralizeOptions {
  /** Keep line breaks (`\n`; a `\r\n` becomes `\n`); off for names. */
  readonly keepNewlines?: boolean;
}

/** The text with control, direction and zero-width characters removed, NFC, spaces collapsed and trimmed. */
export function neutralizeText(value: string, options: NeutralizeOptions = {}): string {
  let text = value.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
  text = options.keepNewlines ? text : text.replace(/\n+/g, ' ');
  text = text.replace(controls, '').replace(bidi, '').replace(zeroWidth, '').replace(strayJoiner, '');
  const lines = text.split('\n').map((line) => line.replace(/[^\S\n]+/g, ' ').trim());
  return lines.join('\n').trim();
}

/** A display name or a cohort name: one line, neutralised; `fallback` when nothing readable is left. */
export function neutralizeName(value: string, fallback: string): string {
  return neutralizeText(value) || fallback;
}
