/**
 * Checks the `docker …` and `docker compose …` commands a lesson shows against the table of the Docker CLI's commands
 * and flags (content/docker/cli-table.json, written by src/cli/docker-cli-table.ts). Pure: text in, problems out.
 *
 * Where commands are found: every line of a lesson's `code` (a `# docker …` comment line too, with `\` continuations
 * joined), and every inline code span (`` `docker …` ``) of its prose. A line is cut at `&&`, `||`, `;`, `|`, `$(`
 * and `)`, and each piece that starts with `docker ` (after an optional `sudo `) is one command; a trailing `# …`
 * comment is dropped. What is checked: the command and subcommands exist (aliases such as `docker ps` = `docker
 * container ls` included), and every flag exists for that command, in any of the CLI's spellings (`-a`, `--all`,
 * `--all=true`, `-it`, `-p8080:80`). Arguments are not checked: a placeholder such as `<image>` or `...` is fine.
 * After the first argument of a command that runs another command (`docker run IMAGE [COMMAND] [ARG...]`,
 * `docker compose exec SERVICE COMMAND`), nothing more is checked: those words belong to the container.
 */
import { isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { shellWords } from '../core/command-exercise.ts';

export interface CliFlag {
  /** Takes a value (`--name web`, `--name=web`); a bool flag does not. */
  readonly value: boolean;
  readonly short?: string;
  /** Listed by the CLI as experimental (`docker image ls --tree` in 28.x). */
  readonly experimental?: boolean;
}

export type CliFlags = Record<string, CliFlag>;

export interface CliEntry {
  usage: string;
  flags: CliFlags;
  subcommands?: string[];
  /** Words after the first argument belong to the command run in the container (see the header). */
  stopAtFirstArgument?: boolean;
  /** The CLI's own name for this command when this one is an alias (`ps` → `container ls`). */
  canonical?: string;
  source: string;
}

export type CliCommand = CliEntry | { readonly alias: string; readonly source: string };

export interface CliTable {
  readonly generatedBy: string;
  readonly cliVersion: string;
  /** Where each part of the table came from (the CLI's help, a plugin's reference files, docs). */
  readonly sources: Record<string, string>;
  readonly globalFlags: Record<string, CliFlag>;
  /** `docker <word>`: the commands, management commands and plugins. */
  readonly topLevel: readonly string[];
  /** Commands prose may name only to say they are gone or never existed (path → why); never accepted in code. */
  readonly namedAsAbsent?: Readonly<Record<string, string>>;
  /** Keyed by the path after `docker`: `run`, `container ls`, `compose up`. */
  readonly commands: Record<string, CliCommand>;
}

export interface FoundCommand {
  readonly text: string;
  /** 0-based line within the text it was found in. */
  readonly line: number;
}

export interface CommandProblem extends FoundCommand {
  readonly message: string;
}

/** The `docker …` commands of a code block (`code`: true) or of prose (inline code spans only). */
export function findCommands(text: string, code: boolean): FoundCommand[] {
  const found: FoundCommand[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const first = index;
    let line = lines[index] as string;
    if (code) {
      while (/\\\s*$/.test(line) && index + 1 < lines.length) {
        index += 1;
        line = `${line.replace(/\\\s*$/, ' ')}${(lines[index] as string).replace(/^\s*#?\s*/, '')}`;
      }
      line = line.replace(/^\s*#\s*(?=(sudo\s+)?docker\s)/, '').replace(/^\s*\$\s+/, '');
      line = line.replace(/\s#\s.*$/, '').replace(/\s#$/, '');
      for (const piece of pieces(line)) found.push({ text: piece, line: first });
    } else {
      for (const [, span] of line.matchAll(/`([^`]+)`/g)) {
        for (const piece of pieces(span as string)) found.push({ text: piece, line: first });
      }
    }
  }
  return found;
}

function pieces(line: string): string[] {
  return line
    .split(/&&|\|\||;|\||\$\(|\)/)
    .map((piece) => piece.trim().replace(/^sudo\s+/, ''))
    .filter((piece) => /^docker(\s|$)/.test(piece));
}

/** A word that stands for something to fill in, or an argument: never a command name to check. */
const placeholder = (word: string): boolean => !/^[a-z][a-z0-9-]*$/.test(word);

function resolve(table: CliTable, path: string): CliEntry | undefined {
  let entry = table.commands[path];
  for (let hops = 0; entry && 'alias' in entry && hops < 5; hops += 1) entry = table.commands[entry.alias];
  return entry && !('alias' in entry) ? entry : undefined;
}

/**
 * What is wrong with one command (`docker …`), in words an author can act on; empty when it is right. `inProse`: the
 * command is named in a sentence, where a command of `namedAsAbsent` is fine.
 */
export function checkCommand(command: string, table: CliTable, inProse = false): string[] {
  // An unclosed quote in prose (`docker run 'it`) is read word by word rather than skipped.
  const words = shellWords(command) ?? command.split(/\s+/);
  if (words[0] !== 'docker') return [];
  if (inProse) {
    const named = words.slice(1).join(' ');
    for (const absent of Object.keys(table.namedAsAbsent ?? {})) {
      if (named === absent || named.startsWith(`${absent} `)) return [];
    }
  }
  let i = 1;
  const problems: string[] = [];
  // Global flags come before the command (`docker -H ssh://host ps`, `docker --context prod ps`).
  i = skipFlags(words, i, table.globalFlags, 'docker', problems);
  const name = words[i];
  if (name === undefined || placeholder(name)) return problems;
  if (!table.topLevel.includes(name)) return [...problems, `unknown command \`docker ${name}\``];
  let path = name;
  const inherited: Record<string, CliFlag>[] = [];
  i += 1;
  for (;;) {
    const entry = resolve(table, path);
    if (!entry) return [...problems, `\`docker ${path}\` is not in the CLI table`];
    if (entry.subcommands && entry.subcommands.length > 0) {
      // A group: its own flags (`docker compose -f x.yaml -p app up`), then a subcommand, or nothing.
      i = skipFlags(words, i, entry.flags, `docker ${path}`, problems);
      const next = words[i];
      if (next === undefined || placeholder(next)) return problems;
      if (!entry.subcommands.includes(next) && !table.commands[`${path} ${next}`]) {
        return [...problems, `unknown subcommand \`docker ${path} ${next}\``];
      }
      inherited.push(entry.flags);
      path = `${path} ${next}`;
      i += 1;
      continue;
    }
    const flags = Object.assign({}, ...inherited, entry.flags) as Record<string, CliFlag>;
    while (i < words.length) {
      const word = words[i] as string;
      if (word === '--') break;
      if (word.startsWith('-') && word !== '-') {
        i = skipFlags(words, i, flags, `docker ${path}`, problems);
        continue;
      }
      if (entry.stopAtFirstArgument) break;
      i += 1;
    }
    return problems;
  }
}

/**
 * Checks the flags from `words[start]` on while they are flags; returns the index of the first word that is not a
 * flag (or a flag's value). Unknown flags are added to `problems`.
 */
function skipFlags(
  words: readonly string[],
  start: number,
  flags: Record<string, CliFlag>,
  owner: string,
  problems: string[],
): number {
  const byShort = new Map(Object.values(flags).flatMap((flag) => (flag.short ? [[flag.short, flag]] : [])));
  let i = start;
  while (i < words.length) {
    const word = words[i] as string;
    if (!word.startsWith('-') || word === '-' || word === '--') return i;
    if (word.startsWith('--')) {
      const [name = '', value] = word.split(/=(.*)/s, 2);
      const flag = flags[name];
      if (!flag) problems.push(`\`${owner}\` has no flag \`${name}\``);
      i += flag?.value && value === undefined ? 2 : 1;
      continue;
    }
    // Short flags, possibly clustered (`-it`, `-aq`); the first one that takes a value takes the rest of the word
    // (`-p8080:80`) or, when it is the last letter, the next word (`-p 8080:80`).
    let consumedNext = false;
    for (let k = 1; k < word.length; k += 1) {
      const letter = word[k] as string;
      const flag = byShort.get(letter);
      if (!flag) {
        problems.push(`\`${owner}\` has no flag \`-${letter}\``);
        break;
      }
      if (flag.value) {
        consumedNext = k === word.length - 1;
        break;
      }
    }
    i += consumedNext ? 2 : 1;
  }
  return i;
}

/** One problem of a lesson file: its 1-based line, the YAML field and the command. */
export interface LessonCommandProblem {
  readonly line: number;
  readonly field: string;
  readonly command: string;
  readonly message: string;
}

/**
 * Every command of one lesson file (YAML text) checked against `table`: `code.source` as code, every other text field
 * as prose. Lines point into the file: the line where the command's text starts.
 */
export function checkLessonCommands(
  source: string,
  table: CliTable,
): { checked: number; problems: LessonCommandProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter });
  const fileLines = source.split('\n');
  const problems: LessonCommandProblem[] = [];
  let checked = 0;
  visit(document, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'string' || !node.range) return;
      const field = pathOf(ancestors, node);
      // An exercise's accepted command is a whole command, as in code.
      const code = field === 'code.source' || /^exercises\[\d+\]\.accepted\[\d+\]$/.test(field);
      const from = lineCounter.linePos(node.range[0]).line - 1;
      for (const found of findCommands(node.value, code)) {
        checked += 1;
        for (const message of checkCommand(found.text, table, !code)) {
          problems.push({ line: lineOf(fileLines, from, found.text) + 1, field, command: found.text, message });
        }
      }
    },
  });
  return { checked, problems };
}

/** The first line, from `from` on, that holds the command's first words (a folded block rewraps its lines). */
function lineOf(lines: readonly string[], from: number, command: string): number {
  const start = command.slice(0, 24);
  for (let line = from; line < lines.length; line += 1) if (lines[line]?.includes(start)) return line;
  return from;
}

function pathOf(ancestors: readonly unknown[], node: unknown): string {
  const parts: string[] = [];
  let child: unknown = node;
  for (let i = ancestors.length - 1; i >= 0; i -= 1) {
    const parent = ancestors[i];
    if (isPair(parent)) {
      if (parent.value === child && isScalar(parent.key)) parts.unshift(String(parent.key.value));
    } else if (isSeq(parent)) {
      const index = parent.items.indexOf(child as never);
      if (index >= 0) parts.unshift(`[${index}]`);
    }
    child = parent;
  }
  return parts.join('.').replaceAll('.[', '[');
}
