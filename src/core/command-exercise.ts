/**
 * "Type the command" exercises (issue 20, section 3), the core part: a member types a Docker command for a task ("remove
 * every stopped container"), and it is graded by parsing it, not by comparing strings. Two commands are the same when
 * they name the same command (aliases resolved: `docker ps` = `docker container ls`, `docker rmi` = `docker image rm`),
 * the same flags with the same values in any order and spelling (`-a` = `--all` = `--all=true`, `-it` = `-i -t`,
 * `--name web` = `--name=web`, `-p8080:80` = `-p 8080:80`), and the same arguments in the same order; quotes, `$ `
 * prompts and `\` line continuations are undone first. When the typed command is none of the accepted ones, the
 * grade says what differs from the closest one (another command, a flag that is not needed, a missing flag, another
 * value, other arguments) as data; the member's language is the caller's business.
 *
 * What a command and its flags are comes from the table of the Docker CLI (content/docker/cli-table.json, see
 * docs/content-format.md), passed in: this module reads no file.
 */

/** The part of the CLI table this module needs (src/cli/docker-cli-table-check.ts has the whole shape). */
export interface CommandTable {
  readonly globalFlags: Readonly<Record<string, TableFlag>>;
  readonly topLevel: readonly string[];
  readonly commands: Readonly<Record<string, TableEntry>>;
}

export interface TableFlag {
  readonly value: boolean;
  readonly short?: string;
}

export type TableEntry =
  | {
      readonly flags: Readonly<Record<string, TableFlag>>;
      readonly subcommands?: readonly string[];
      readonly stopAtFirstArgument?: boolean;
      readonly canonical?: string;
    }
  | { readonly alias: string };

/** A command reduced to what it means. */
export interface ParsedCommand {
  /** The CLI's own name for it, after `docker`: `container ls` for `docker ps`. */
  readonly command: string;
  /** Long flag → its values in the order given (`true` for a flag without a value). */
  readonly flags: ReadonlyMap<string, readonly string[]>;
  /** How each flag was typed first (`-f`), to quote the member's own spelling back. */
  readonly spelled: ReadonlyMap<string, string>;
  readonly args: readonly string[];
}

export type ParseResult =
  | { readonly ok: true; readonly parsed: ParsedCommand }
  | { readonly ok: false; readonly problem: ParseProblem };

export type ParseProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'not-docker'; readonly word: string }
  | { readonly kind: 'unknown-command'; readonly command: string }
  | { readonly kind: 'unknown-flag'; readonly command: string; readonly flag: string }
  | { readonly kind: 'missing-value'; readonly command: string; readonly flag: string }
  | { readonly kind: 'unclosed-quote' };

export type Difference =
  /** Another command; `object` is set when only the thing acted on differs ("image rm" for "container rm"). */
  | {
      readonly kind: 'other-command';
      readonly typed: string;
      readonly expected: string;
      readonly objects?: { readonly typed: string; readonly expected: string };
    }
  | { readonly kind: 'extra-flag'; readonly flag: string }
  | { readonly kind: 'missing-flag'; readonly flag: string }
  | {
      readonly kind: 'other-value';
      readonly flag: string;
      readonly typed: readonly string[];
      readonly expected: readonly string[];
    }
  | { readonly kind: 'other-arguments'; readonly typed: readonly string[]; readonly expected: readonly string[] };

export type Grade =
  | { readonly correct: true; readonly matched: string }
  | { readonly correct: false; readonly problem: ParseProblem }
  | { readonly correct: false; readonly closest: string; readonly differences: readonly Difference[] };

/** Longest command a member may type; anything longer is cut before parsing. */
const maxLength = 500;

/** Shell words: spaces split, quotes group (and are removed), a backslash escapes the next character. */
export function shellWords(text: string): string[] | null {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (quote) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (char === '\\' && i + 1 < text.length) {
      current += text[i + 1];
      i += 1;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote) return null;
  if (started) words.push(current);
  return words;
}

function entryOf(table: CommandTable, path: string): Exclude<TableEntry, { alias: string }> | undefined {
  let entry = table.commands[path];
  for (let hops = 0; entry && 'alias' in entry && hops < 5; hops += 1) entry = table.commands[entry.alias];
  return entry && !('alias' in entry) ? entry : undefined;
}

function canonicalOf(table: CommandTable, path: string): string {
  let key = path;
  let entry = table.commands[key];
  for (let hops = 0; entry && 'alias' in entry && hops < 5; hops += 1) {
    key = entry.alias;
    entry = table.commands[key];
  }
  return entry && !('alias' in entry) && entry.canonical ? entry.canonical : key;
}

/** A typed line → the command it means, or what makes it no Docker command at all. */
export function parseCommand(line: string, table: CommandTable): ParseResult {
  const text = line
    .slice(0, maxLength)
    .replace(/\\\r?\n/g, ' ')
    .replace(/^\s*\$\s+/, '');
  const words = shellWords(text);
  if (words === null) return { ok: false, problem: { kind: 'unclosed-quote' } };
  if (words.length === 0) return { ok: false, problem: { kind: 'empty' } };
  if (words[0] !== 'docker') return { ok: false, problem: { kind: 'not-docker', word: words[0] as string } };
  const flags = new Map<string, string[]>();
  const spelled = new Map<string, string>();
  let i = 1;
  const takeFlags = (
    known: Readonly<Record<string, TableFlag>>,
    owner: string,
    stopAtWord: boolean,
  ): ParseProblem | null => {
    const byShort = new Map(Object.entries(known).flatMap(([long, flag]) => (flag.short ? [[flag.short, long]] : [])));
    const add = (long: string, value: string, typed: string) => {
      flags.set(long, [...(flags.get(long) ?? []), value]);
      if (!spelled.has(long)) spelled.set(long, typed);
    };
    while (i < words.length) {
      const word = words[i] as string;
      if (!word.startsWith('-') || word === '-') {
        if (stopAtWord) return null;
        args.push(word);
        i += 1;
        if (entry?.stopAtFirstArgument) {
          args.push(...words.slice(i));
          i = words.length;
        }
        continue;
      }
      if (word === '--') {
        args.push(...words.slice(i + 1));
        i = words.length;
        return null;
      }
      if (word.startsWith('--')) {
        const [name = '', inline] = word.split(/=(.*)/s, 2);
        const flag = known[name];
        if (!flag) return { kind: 'unknown-flag', command: owner, flag: name };
        if (flag.value) {
          const value = inline ?? words[i + 1];
          if (value === undefined) return { kind: 'missing-value', command: owner, flag: name };
          add(name, value, name);
          i += inline === undefined ? 2 : 1;
        } else {
          add(name, inline === undefined || inline === 'true' ? 'true' : inline, name);
          i += 1;
        }
        continue;
      }
      i += 1;
      for (let k = 1; k < word.length; k += 1) {
        const long = byShort.get(word[k] as string);
        if (!long) return { kind: 'unknown-flag', command: owner, flag: `-${word[k]}` };
        if (known[long]?.value) {
          const rest = word.slice(k + 1);
          const value = rest !== '' ? rest.replace(/^=/, '') : words[i];
          if (value === undefined) return { kind: 'missing-value', command: owner, flag: `-${word[k]}` };
          if (rest === '') i += 1;
          add(long, value, `-${word[k]}`);
          break;
        }
        add(long, 'true', `-${word[k]}`);
      }
    }
    return null;
  };
  const args: string[] = [];
  let entry: Exclude<TableEntry, { alias: string }> | undefined;
  const globalProblem = takeFlags(table.globalFlags, 'docker', true);
  if (globalProblem) return { ok: false, problem: globalProblem };
  const name = words[i];
  if (name === undefined || !table.topLevel.includes(name)) {
    return { ok: false, problem: { kind: 'unknown-command', command: `docker ${name ?? ''}`.trim() } };
  }
  let path = name;
  i += 1;
  for (;;) {
    entry = entryOf(table, path);
    if (!entry) return { ok: false, problem: { kind: 'unknown-command', command: `docker ${path}` } };
    if (!entry.subcommands || entry.subcommands.length === 0) break;
    const problem = takeFlags(entry.flags, `docker ${path}`, true);
    if (problem) return { ok: false, problem };
    const next = words[i];
    if (next === undefined) break;
    if (!entry.subcommands.includes(next) && !table.commands[`${path} ${next}`]) {
      return { ok: false, problem: { kind: 'unknown-command', command: `docker ${path} ${next}` } };
    }
    path = `${path} ${next}`;
    i += 1;
  }
  const problem = takeFlags(entry.flags, `docker ${path}`, false);
  if (problem) return { ok: false, problem };
  return { ok: true, parsed: { command: canonicalOf(table, path), flags, spelled, args } };
}

/**
 * Grades a typed line against the accepted commands of an exercise (written the way the lesson would show them).
 * Right when it means the same as any of them; otherwise the differences from the closest accepted command.
 */
export function gradeCommand(typed: string, accepted: readonly string[], table: CommandTable): Grade {
  const attempt = parseCommand(typed, table);
  if (!attempt.ok) return { correct: false, problem: attempt.problem };
  let closest: { command: string; differences: Difference[] } | null = null;
  for (const command of accepted) {
    const wanted = parseCommand(command, table);
    if (!wanted.ok) throw new Error(`an accepted command of the exercise does not parse: ${command}`);
    const differences = compare(attempt.parsed, wanted.parsed);
    if (differences.length === 0) return { correct: true, matched: command };
    if (!closest || weight(differences) < weight(closest.differences)) closest = { command, differences };
  }
  if (!closest) throw new Error('an exercise needs at least one accepted command');
  return { correct: false, closest: closest.command, differences: closest.differences };
}

/** Another command outweighs any number of flag and argument differences. */
function weight(differences: readonly Difference[]): number {
  return differences.reduce((sum, difference) => sum + (difference.kind === 'other-command' ? 100 : 1), 0);
}

function compare(typed: ParsedCommand, expected: ParsedCommand): Difference[] {
  if (typed.command !== expected.command) {
    const [typedObject, ...typedVerb] = typed.command.split(' ');
    const [expectedObject, ...expectedVerb] = expected.command.split(' ');
    const sameVerb = typedVerb.length > 0 && typedVerb.join(' ') === expectedVerb.join(' ');
    return [
      {
        kind: 'other-command',
        typed: typed.command,
        expected: expected.command,
        ...(sameVerb && typedObject && expectedObject
          ? { objects: { typed: typedObject, expected: expectedObject } }
          : {}),
      },
    ];
  }
  const differences: Difference[] = [];
  for (const [flag, values] of typed.flags) {
    const wanted = expected.flags.get(flag);
    if (!wanted) differences.push({ kind: 'extra-flag', flag: typed.spelled.get(flag) ?? flag });
    else if (!sameValues(values, wanted))
      differences.push({ kind: 'other-value', flag, typed: values, expected: wanted });
  }
  for (const flag of expected.flags.keys()) {
    if (!typed.flags.has(flag)) differences.push({ kind: 'missing-flag', flag: expected.spelled.get(flag) ?? flag });
  }
  if (typed.args.join('\u0000') !== expected.args.join('\u0000')) {
    differences.push({ kind: 'other-arguments', typed: typed.args, expected: expected.args });
  }
  return differences;
}

/** A flag given several times (`-p`, `-e`) matches in any order. */
function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}
