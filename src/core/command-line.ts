/**
 * Splits a typed command line into words the way a POSIX shell would for the commands the exercises use
 * (docs/content-format.md, "Command exercises"): spaces separate words; `'…'` keeps everything literally; `"…"` keeps
 * spaces and honours `\"`, `\\`, `` \` `` and `\$`; a backslash outside quotes escapes the next character; a
 * backslash before a newline (a line continuation, as people paste from docs) disappears, as do CRs from Windows
 * pastes. A leading `$ ` (a copied prompt) and `sudo` are dropped: they do not change which command it is.
 *
 * Hand-written rather than a library: the project has no shell-words dependency, and what an exercise needs is small
 * (no expansion, no globbing, no redirection). Control operators (`;`, `&&`, `||`, `|`, `&`) and command
 * substitution (`$(…)`, backticks) outside quotes are reported, not run: an exercise asks for one command.
 */

export type SplitResult =
  | { readonly ok: true; readonly words: readonly string[] }
  | { readonly ok: false; readonly problem: 'unclosed_quote' }
  | { readonly ok: false; readonly problem: 'several_commands'; readonly operator: string };

/** The longest line graded; longer input is cut (the platforms' text inputs are shorter still). */
export const maxCommandLength = 500;

export function splitCommandLine(input: string): SplitResult {
  const line = input.slice(0, maxCommandLength).replace(/\r/g, '');
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    const next = line[i + 1];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && next !== undefined && '"\\$`\n'.includes(next)) {
        if (next !== '\n') word += next;
        i++;
      } else if (c === '$' && next === '(') return { ok: false, problem: 'several_commands', operator: '$(' };
      else if (c === '`') return { ok: false, problem: 'several_commands', operator: '`' };
      else word += c;
      continue;
    }
    if (c === '\\') {
      if (next === undefined) continue;
      i++;
      if (next === '\n') continue;
      word += next;
      inWord = true;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '`' || (c === '$' && next === '(')) {
      const operator = c === '$' ? '$(' : (c === '&' || c === '|') && next === c ? c + c : c;
      return { ok: false, problem: 'several_commands', operator };
    }
    word += c;
    inWord = true;
  }
  if (quote) return { ok: false, problem: 'unclosed_quote' };
  if (inWord) words.push(word);
  if (words[0] === '$') words.shift();
  if (words[0] === 'sudo') words.shift();
  return { ok: true, words };
}
