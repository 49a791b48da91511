/**
 * Grades a typed Docker command against an exercise's accepted commands by parsing both, never by comparing strings
 * (docs/content-format.md, "Command exercises"). Two commands are the same when they name the same command (any
 * alias: `docker ps` = `docker container ls`, `docker rmi` = `docker image rm`), with the same flags in any order
 * and spelling (`-a` = `--all`, `-it` = `-i -t`, `--name=web` = `--name web`, `-p8080:80` = `-p 8080:80`, a switch
 * given as `--rm=true` = `--rm`), the same values (a repeated flag's values in any order: `-e A=1 -e B=2`) and the same
 * positional arguments in order. Quoting and line continuations are the shell's business (command-line.ts).
 *
 * A wrong answer gets findings, compared with the closest accepted command (the same command if one is accepted,
 * else the first): another command (and the kind of object it works on, for "this removes images, not containers"),
 * a flag too many or missing, another value, an argument missing, extra or different. Findings carry data, not
 * text: the learning commands word them in the member's language.
 *
 * Pure: no platform, no I/O. The table of commands and flags is command-table.ts.
 */
import { splitCommandLine } from './command-line.ts';
import {
  type CommandSpec,
  commandGroups,
  commandsByWords,
  composeGlobalFlags,
  type DockerObject,
  dockerGlobalFlags,
  type FlagSpec,
} from './command-table.ts';

export interface ParsedCommand {
  readonly spec: CommandSpec;
  /** The command's words as typed (`rmi`, `container list`), for feedback. */
  readonly typed: string;
  /** Canonical flag key (`all`, `compose.file`) → its values, sorted; a switch has one empty value. */
  readonly flags: ReadonlyMap<string, readonly string[]>;
  /** Canonical flag key → the flag as the member first wrote it (`-f`, `--force`). */
  readonly spelled: ReadonlyMap<string, string>;
  readonly args: readonly string[];
}

/** What is wrong with a typed command; `flag` and `typed` are shown in `code`, as written. */
export type Finding =
  | { readonly code: 'empty' }
  | { readonly code: 'unclosed_quote' }
  | { readonly code: 'several_commands'; readonly operator: string }
  | { readonly code: 'not_docker'; readonly word: string }
  | { readonly code: 'compose_v1' }
  | { readonly code: 'incomplete_command'; readonly typed: string }
  | { readonly code: 'unknown_command'; readonly typed: string }
  | { readonly code: 'unknown_flag'; readonly flag: string; readonly command: string }
  | { readonly code: 'missing_value'; readonly flag: string }
  | { readonly code: 'switch_value'; readonly flag: string }
  | {
      readonly code: 'wrong_object';
      readonly typed: string;
      readonly spec: CommandSpec;
      readonly typedObject: DockerObject;
      readonly expectedObject: DockerObject;
    }
  | { readonly code: 'wrong_command'; readonly typed: string; readonly spec: CommandSpec }
  | { readonly code: 'extra_flag'; readonly flag: string }
  | { readonly code: 'missing_flag'; readonly flag: string }
  | { readonly code: 'wrong_value'; readonly flag: string; readonly typed: string; readonly expected: string }
  | { readonly code: 'missing_argument'; readonly expected: string }
  | { readonly code: 'extra_argument'; readonly typed: string }
  | { readonly code: 'wrong_argument'; readonly typed: string; readonly expected: string };

export type ParseResult =
  | { readonly ok: true; readonly command: ParsedCommand }
  | { readonly ok: false; readonly finding: Finding };

export interface Verdict {
  readonly correct: boolean;
  /** Empty when correct; at most `maxFindings`, most telling first. */
  readonly findings: readonly Finding[];
}

/** A chat reply, not a compiler log. */
export const maxFindings = 3;

export function parseDockerCommand(line: string): ParseResult {
  const split = splitCommandLine(line);
  if (!split.ok) {
    return split.problem === 'unclosed_quote'
      ? fail({ code: 'unclosed_quote' })
      : fail({ code: 'several_commands', operator: split.operator });
  }
  const words = split.words;
  const first = words[0];
  if (first === undefined) return fail({ code: 'empty' });
  if (first === 'docker-compose') return fail({ code: 'compose_v1' });
  if (first !== 'docker') return fail({ code: 'not_docker', word: first.slice(0, 40) });

  const flags = new Map<string, string[]>();
  const spelled = new Map<string, string>();
  let i = 1;
  const globals = readFlags(words, i, dockerGlobalFlags, 'docker.', 'docker', flags, spelled, true);
  if (!globals.ok) return globals;
  i = globals.next;

  let typed: string;
  let spec: CommandSpec | undefined;
  if (words[i] === 'compose') {
    const composeFlags = readFlags(
      words,
      i + 1,
      composeGlobalFlags,
      'compose.',
      'docker compose',
      flags,
      spelled,
      true,
    );
    if (!composeFlags.ok) return composeFlags;
    i = composeFlags.next;
    const sub = words[i];
    if (sub === undefined) return fail({ code: 'incomplete_command', typed: 'docker compose' });
    typed = `compose ${sub}`;
    spec = commandsByWords.get(typed);
    if (!spec) return fail({ code: 'unknown_command', typed: clip(`docker ${typed}`) });
    i += 1;
  } else {
    const one = words[i];
    if (one === undefined) return fail({ code: 'incomplete_command', typed: 'docker' });
    const two = words[i + 1] === undefined ? undefined : `${one} ${words[i + 1]}`;
    if (two !== undefined && commandsByWords.has(two)) {
      typed = two;
      i += 2;
    } else if (commandGroups.has(one) && !commandsByWords.has(one)) {
      if (two === undefined || words[i + 1]?.startsWith('-'))
        return fail({ code: 'incomplete_command', typed: clip(`docker ${one}`) });
      return fail({ code: 'unknown_command', typed: clip(`docker ${two}`) });
    } else {
      typed = one;
      i += 1;
    }
    spec = commandsByWords.get(typed);
    if (!spec) return fail({ code: 'unknown_command', typed: clip(`docker ${typed}`) });
  }

  const rest = readArguments(words, i, spec, flags, spelled);
  if (!rest.ok) return rest;
  const sorted = new Map([...flags].map(([key, values]) => [key, [...values].sort()] as const));
  return { ok: true, command: { spec, typed: `docker ${typed}`, flags: sorted, spelled, args: rest.args } };
}

/** Grades `typed` against the accepted commands (each must parse: `content:check` makes sure). */
export function gradeCommand(typed: string, accepted: readonly string[]): Verdict {
  const parsed = parseDockerCommand(typed);
  if (!parsed.ok) return { correct: false, findings: [parsed.finding] };
  const candidates = accepted.map((line) => {
    const result = parseDockerCommand(line);
    if (!result.ok) throw new Error(`accepted command does not parse: ${line} (${result.finding.code})`);
    return result.command;
  });
  if (candidates.some((candidate) => sameCommand(parsed.command, candidate))) return { correct: true, findings: [] };
  const samePath = candidates.filter((candidate) => candidate.spec.path === parsed.command.spec.path);
  if (samePath.length === 0) {
    const expected = candidates[0];
    if (!expected) return { correct: false, findings: [] };
    return { correct: false, findings: [otherCommand(parsed.command, expected)] };
  }
  const closest = samePath
    .map((candidate) => differences(parsed.command, candidate))
    .sort((a, b) => a.length - b.length)[0] as Finding[];
  return { correct: false, findings: closest.slice(0, maxFindings) };
}

/** Why an accepted command in the content cannot be graded, or null: for `content:check`. */
export function acceptedCommandProblem(line: string): string | null {
  const parsed = parseDockerCommand(line);
  if (parsed.ok) return null;
  const { finding } = parsed;
  switch (finding.code) {
    case 'unknown_command':
      return `${finding.typed} is not in the command table (src/core/command-table.ts)`;
    case 'unknown_flag':
      return `${finding.flag} is not a flag of docker ${finding.command} in the command table (src/core/command-table.ts)`;
    default:
      return `does not parse as one docker command (${finding.code})`;
  }
}

/** The same command, flags, values and arguments. */
export function sameCommand(a: ParsedCommand, b: ParsedCommand): boolean {
  return a.spec.path === b.spec.path && differences(a, b).length === 0;
}

function otherCommand(typed: ParsedCommand, expected: ParsedCommand): Finding {
  if (typed.spec.object !== expected.spec.object) {
    return {
      code: 'wrong_object',
      typed: typed.typed,
      spec: typed.spec,
      typedObject: typed.spec.object,
      expectedObject: expected.spec.object,
    };
  }
  return { code: 'wrong_command', typed: typed.typed, spec: typed.spec };
}

/** What `typed` has that `expected` has not, and the other way round: wrong values, extra and missing flags, arguments. */
function differences(typed: ParsedCommand, expected: ParsedCommand): Finding[] {
  const wrong: Finding[] = [];
  const extra: Finding[] = [];
  const missing: Finding[] = [];
  for (const [key, values] of typed.flags) {
    const want = expected.flags.get(key);
    const flag = typed.spelled.get(key) ?? key;
    if (!want) extra.push({ code: 'extra_flag', flag });
    else if (want.join('\n') !== values.join('\n')) {
      wrong.push({ code: 'wrong_value', flag, typed: clip(values.join(', ')), expected: clip(want.join(', ')) });
    }
  }
  for (const key of expected.flags.keys()) {
    if (!typed.flags.has(key)) missing.push({ code: 'missing_flag', flag: displayFlag(key) });
  }
  const args: Finding[] = [];
  const count = Math.max(typed.args.length, expected.args.length);
  for (let index = 0; index < count && args.length === 0; index++) {
    const got = typed.args[index];
    const want = expected.args[index];
    if (got === want) continue;
    if (got === undefined) args.push({ code: 'missing_argument', expected: clip(want ?? '') });
    else if (want === undefined) args.push({ code: 'extra_argument', typed: clip(got) });
    else args.push({ code: 'wrong_argument', typed: clip(got), expected: clip(want) });
  }
  return [...wrong, ...extra, ...missing, ...args];
}

/** `--all`, `--file` for `compose.file`. */
function displayFlag(key: string): string {
  return `--${key.replace(/^(docker|compose)\./, '')}`;
}

type ReadFlagsResult = { ok: true; next: number } | { ok: false; finding: Finding };

/** Reads the flags at `start` until the first word that is not one (`stopAtWord`) or the end. */
function readFlags(
  words: readonly string[],
  start: number,
  specs: readonly FlagSpec[],
  prefix: string,
  command: string,
  flags: Map<string, string[]>,
  spelled: Map<string, string>,
  stopAtWord: boolean,
): ReadFlagsResult {
  let i = start;
  while (i < words.length) {
    const word = words[i] as string;
    if (!isFlag(word)) {
      if (stopAtWord) return { ok: true, next: i };
      i += 1;
      continue;
    }
    const read = readFlag(words, i, specs, prefix, command, flags, spelled);
    if (!read.ok) return read;
    i = read.next;
  }
  return { ok: true, next: i };
}

function readArguments(
  words: readonly string[],
  start: number,
  spec: CommandSpec,
  flags: Map<string, string[]>,
  spelled: Map<string, string>,
): { ok: true; args: string[] } | { ok: false; finding: Finding } {
  const args: string[] = [];
  let flagsEnded = false;
  let i = start;
  while (i < words.length) {
    const word = words[i] as string;
    const flagsAllowed = !flagsEnded && (spec.flagsEndAfter === undefined || args.length < spec.flagsEndAfter);
    if (flagsAllowed && word === '--') {
      flagsEnded = true;
      i += 1;
      continue;
    }
    if (flagsAllowed && isFlag(word)) {
      const read = readFlag(words, i, spec.flags, '', spec.path, flags, spelled);
      if (!read.ok) return read;
      i = read.next;
      continue;
    }
    args.push(word === './' ? '.' : word);
    i += 1;
  }
  return { ok: true, args };
}

function isFlag(word: string): boolean {
  return word.length > 1 && word.startsWith('-');
}

/** One flag word (`--name=web`, `--name web`, `-it`, `-p8080:80`, `-p=8080:80`) at `i`. */
function readFlag(
  words: readonly string[],
  i: number,
  specs: readonly FlagSpec[],
  prefix: string,
  command: string,
  flags: Map<string, string[]>,
  spelled: Map<string, string>,
): ReadFlagsResult {
  const word = words[i] as string;
  const set = (spec: FlagSpec, as: string, value: string) => {
    const key = prefix + spec.long;
    if (!spelled.has(key)) spelled.set(key, as);
    flags.set(key, [...(flags.get(key) ?? []), value]);
  };
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
    const inline = eq === -1 ? undefined : word.slice(eq + 1);
    const spec = specs.find((flag) => flag.long === name);
    const as = `--${name}`;
    if (!spec) return fail({ code: 'unknown_flag', flag: clip(as), command });
    if (!spec.takesValue) {
      if (inline === undefined || inline === 'true') set(spec, as, '');
      else if (inline === 'false') {
        flags.delete(prefix + spec.long);
      } else return fail({ code: 'switch_value', flag: as });
      return { ok: true, next: i + 1 };
    }
    if (inline !== undefined) {
      set(spec, as, inline);
      return { ok: true, next: i + 1 };
    }
    const value = words[i + 1];
    if (value === undefined) return fail({ code: 'missing_value', flag: as });
    set(spec, as, value);
    return { ok: true, next: i + 2 };
  }
  for (let j = 1; j < word.length; j++) {
    const letter = word[j] as string;
    const spec = specs.find((flag) => flag.short === letter);
    const as = `-${letter}`;
    if (!spec) return fail({ code: 'unknown_flag', flag: as, command });
    if (!spec.takesValue) {
      set(spec, as, '');
      continue;
    }
    const attached = word.slice(j + 1).replace(/^=/, '');
    if (attached !== '') {
      set(spec, as, attached);
      return { ok: true, next: i + 1 };
    }
    const value = words[i + 1];
    if (value === undefined) return fail({ code: 'missing_value', flag: as });
    set(spec, as, value);
    return { ok: true, next: i + 2 };
  }
  return { ok: true, next: i + 1 };
}

function fail(finding: Finding): { ok: false; finding: Finding } {
  return { ok: false, finding };
}

/** Echoed text stays short. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
