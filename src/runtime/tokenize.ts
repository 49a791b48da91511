/**
 * How what a member typed becomes words, for every command on every platform: spaces separate words, and quotes
 * group them, as a shell does — `turma criar "ops" "Time de Ops"` is `turma`, `criar`, `ops`, `Time de Ops`. Straight
 * and typographic quotes both work ("…", “…”, '…', ‘…’, «…»: Slack and phones turn " into “ ”). A quote opens only at
 * the start of a word and closes only at the end of one, so an apostrophe inside a word (`what's`, `d'água`) is a
 * letter, and a quote left open is kept as typed rather than swallowing the rest of the line.
 */

/** Opening quote → the closing quotes it accepts. */
const quotePairs: ReadonlyMap<string, string> = new Map([
  ['"', '"”“'],
  ['“', '”"“'],
  ['”', '”"'],
  ["'", "'’‘"],
  ['‘', "’'"],
  ['’', "’'"],
  ['«', '»'],
]);

/** The words of `input`, quotes removed from the quoted ones. */
export function tokenize(input: string): string[] {
  const words: string[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && /\s/u.test(input[i] as string)) i++;
    if (i >= n) break;
    const open = input[i] as string;
    const closers = quotePairs.get(open);
    if (closers) {
      const end = closingQuote(input, i + 1, closers);
      if (end !== -1) {
        words.push(input.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < n && !/\s/u.test(input[j] as string)) j++;
    words.push(input.slice(i, j));
    i = j;
  }
  return words;
}

/** The index of the quote that closes a quoted word opened before `from`, or -1 when none does. */
function closingQuote(input: string, from: number, closers: string): number {
  for (let k = from; k < input.length; k++) {
    const next = input[k + 1];
    if (closers.includes(input[k] as string) && (next === undefined || /\s/u.test(next))) return k;
  }
  return -1;
}

/**
 * A command line split for the dispatcher: the command's name, its words, and `rest`, the words joined by single
 * spaces (free text: a question to `ask`, a member's name for `progress`).
 */
export function splitCommandLine(input: string): { name: string | undefined; words: string[]; rest: string } {
  const [name, ...words] = tokenize(input.trim());
  return { name, words, rest: words.join(' ') };
}
