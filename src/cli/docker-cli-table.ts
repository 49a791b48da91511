/**
 * `npx tsx src/cli/docker-cli-table.ts [--compose <dir>] [--buildx <dir>] [--scout <dir>] [--out <file>]`: writes the
 * table of the Docker CLI's commands and flags that `npm run content:check` checks every `docker …` command of the
 * lessons against (content/docker/cli-table.json; the rules are in docs/content-format.md).
 *
 * - The Docker CLI itself: `docker --help`, then `docker <command> --help` for every command listed, recursively
 *   (usage, aliases, subcommands, flags, and whether a flag takes a value). Needs the `docker` binary, not an engine.
 * - CLI plugins (Compose, Buildx, Scout) when they are not installed: the reference files each plugin's repository
 *   generates from its own command definitions (cobra), the same text as its `--help`: Compose and Scout as YAML
 *   (`docs/reference/docker_compose_*.yaml`, `docs/docker_scout_*.yaml`), Buildx as Markdown tables
 *   (`docs/reference/buildx_*.md`). Pass each repository's checkout (`--compose <dir>`) and its version
 *   (`--compose-version v5.5.0`), recorded in the table.
 * - `docker init` and `docker debug` ship only with Docker Desktop and publish no such files: their entries are
 *   written from docs.docker.com's reference pages (`manualPlugins` below) and marked so in the table.
 *
 * Every entry records where it came from. Run it again when the CLI or a plugin changes, and commit the table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CliCommand, CliFlags, CliTable } from './docker-cli-table-check.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const out = option('--out') ?? 'content/docker/cli-table.json';

const commands: Record<string, CliCommand> = {};
const sources: Record<string, string> = {};

/** `[COMMAND] [ARG...]` in a usage line: what follows the first argument is the container's command, not flags. */
const stopsAtFirstArgument = (usage: string): boolean => /\bCOMMAND\]?\s+\[ARGS?\.\.\.\]/.test(usage);

// ---- the Docker CLI, from its help output -------------------------------------------------------------------------

/**
 * Without an engine the CLI cannot negotiate an API version and hides the flags that need a newer one (`docker volume
 * prune --all`); telling it the client's own default API version, and enabling experimental features, lists them all.
 */
const apiVersion = execFileSync('docker', ['version', '--format', '{{.Client.DefaultAPIVersion}}'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
}).trim();

function help(path: string[]): string {
  return execFileSync('docker', [...path, '--help'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: {
      ...process.env,
      DOCKER_CLI_HINTS: 'false',
      DOCKER_API_VERSION: apiVersion,
      DOCKER_CLI_EXPERIMENTAL: 'enabled',
    },
  });
}

/** Flags of an `Options:` block: `  -a, --all   …` or `      --format string   …`; a second word means a value. */
function parseHelpFlags(block: string): CliFlags {
  const flags: CliFlags = {};
  for (const line of block.split('\n')) {
    const match = line.match(/^\s{2,6}(?:-([A-Za-z0-9]), )?--([A-Za-z0-9][\w-]*)(?: ([a-zA-Z0-9]+))?(?:\s{2,}|$)/);
    if (!match) continue;
    const [, short, long, type] = match;
    const experimental = /\(EXPERIMENTAL\)/.test(line);
    flags[`--${long}`] = {
      value: type !== undefined,
      ...(short ? { short } : {}),
      ...(experimental ? { experimental } : {}),
    };
  }
  return flags;
}

function section(text: string, title: RegExp): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => title.test(line));
  if (start < 0) return '';
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' && body.length > 0 && !/^\s/.test(line)) break;
    if (/^\S/.test(line)) break;
    body.push(line);
  }
  return body.join('\n');
}

function subcommandsOf(text: string): string[] {
  const names: string[] = [];
  const lines = text.split('\n');
  let inCommands = false;
  for (const line of lines) {
    if (/^([A-Z][\w ]* )?Commands:$/.test(line)) {
      inCommands = true;
      continue;
    }
    if (/^\S/.test(line) || line.trim() === '') {
      if (line.trim() !== '') inCommands = false;
      continue;
    }
    const match = inCommands ? line.match(/^ {2}([a-z][\w-]*)\*?\s/) : null;
    if (match?.[1]) names.push(match[1]);
  }
  return names;
}

function walkCli(path: string[]): void {
  const text = help(path);
  const usage = text.match(/^Usage:\s+(.*)$/m)?.[1]?.trim() ?? '';
  const key = path.join(' ');
  const subcommands = path.length === 0 ? subcommandsOf(text) : subcommandsOf(text);
  const flags = parseHelpFlags(section(text, path.length === 0 ? /^Global Options:$/ : /^Options:$/));
  commands[key] = {
    usage,
    flags,
    ...(subcommands.length > 0 ? { subcommands } : {}),
    ...(stopsAtFirstArgument(usage) ? { stopAtFirstArgument: true } : {}),
    source: 'cli',
  };
  const named = section(text, /^Aliases:$/)
    .split(',')
    .map((alias) => alias.trim().replace(/^docker\s*/, ''))
    .filter((alias) => alias !== '');
  // The CLI lists the canonical name first: `docker container ls, docker container list, docker ps`.
  const entry = commands[key];
  if (entry && 'usage' in entry && named[0] && named[0] !== key) entry.canonical = named[0];
  for (const alias of named.filter((alias) => alias !== key)) commands[alias] ??= { alias: key, source: 'cli' };
  for (const name of subcommands) walkCli([...path, name]);
}

// ---- plugins, from the reference files their repositories generate ------------------------------------------------

function describe(name: string, dir: string): string {
  const given = option(`--${name}-version`);
  if (given) return given;
  try {
    return execFileSync('git', ['-C', dir, 'describe', '--tags', '--always'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown version';
  }
}

interface CobraYaml {
  command: string;
  usage?: string;
  aliases?: string;
  cname?: string[];
  options?: { option: string; shorthand?: string; value_type: string; hidden?: boolean }[];
  inherited_options?: { option: string; shorthand?: string; value_type: string }[];
}

/** Compose and Scout: one YAML file per command (`command`, `usage`, `options`, `cname` for subcommands). */
function loadCobraYaml(dir: string, pattern: RegExp, source: string): void {
  for (const file of readdirSync(dir)
    .filter((name) => pattern.test(name))
    .sort()) {
    const doc = parseYaml(readFileSync(join(dir, file), 'utf8')) as CobraYaml;
    const key = doc.command.replace(/^docker /, '');
    const flags: CliFlags = {};
    for (const flag of doc.options ?? []) {
      flags[`--${flag.option}`] = {
        value: flag.value_type !== 'bool',
        ...(flag.shorthand ? { short: flag.shorthand } : {}),
      };
    }
    const subcommands = (doc.cname ?? []).map((name) => name.replace(`${doc.command} `, ''));
    commands[key] = {
      usage: doc.usage ?? '',
      flags,
      ...(subcommands.length > 0 ? { subcommands } : {}),
      ...(stopsAtFirstArgument(doc.usage ?? '') ? { stopAtFirstArgument: true } : {}),
      source,
    };
    for (const alias of (doc.aliases ?? '').split(',').map((name) => name.trim().replace(/^docker /, ''))) {
      if (alias !== '' && alias !== key && alias.startsWith(key.split(' ')[0] as string)) {
        commands[alias] ??= { alias: key, source };
      }
    }
  }
}

/** Buildx: one Markdown file per command, its options in a generated table between MARKER_GEN comments. */
function loadBuildxMarkdown(dir: string, source: string): void {
  for (const file of readdirSync(dir)
    .filter((name) => /^buildx(_[\w-]+)*\.md$/.test(name))
    .sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    const key = file.replace(/\.md$/, '').replaceAll('_', ' ');
    const usage = text.match(/```text\n(.*)\n```/)?.[1] ?? '';
    const flags: CliFlags = {};
    const options = text.slice(text.indexOf('### Options'), text.indexOf('<!---MARKER_GEN_END-->'));
    for (const row of options.split('\n').filter((line) => line.startsWith('| ') && line.includes('`-'))) {
      const [names = '', type = ''] = row
        .split('|')
        .slice(1)
        .map((cell) => cell.trim());
      const longs = [...names.matchAll(/`--([\w-]+)`/g)].map((match) => match[1]);
      const short = names.match(/`-([A-Za-z0-9])`/)?.[1];
      for (const long of longs) flags[`--${long}`] = { value: !/`bool`/.test(type), ...(short ? { short } : {}) };
    }
    const subcommands = [...text.matchAll(/^\| \[`([\w-]+)`\]\(buildx_[\w-]+\.md\)/gm)].map(
      (match) => match[1] as string,
    );
    commands[key] = {
      usage,
      flags,
      ...(subcommands.length > 0 ? { subcommands } : {}),
      source,
    };
    const aliases = text.match(/### Aliases\n\n(.*)\n/)?.[1] ?? '';
    for (const alias of [...aliases.matchAll(/`docker ([\w -]+)`/g)].map((match) => match[1] as string)) {
      // `docker build` is `docker buildx build` once Buildx is installed (the default on Docker Desktop and the
      // engine's packages): its flags are the union of both.
      const existing = commands[alias];
      if (existing && !('alias' in existing) && existing.source === 'cli') {
        existing.flags = { ...existing.flags, ...flags };
        existing.source = `cli + ${source}`;
      } else if (!existing && alias !== key) {
        commands[alias] = { alias: key, source };
      }
    }
  }
}

/**
 * Docker Desktop's own plugins, from docs.docker.com (checked 2026-12-07): reference/cli/docker/init/ and
 * reference/cli/docker/debug/. No repository generates their reference files.
 */
const manualPlugins: Record<string, CliCommand> = {
  init: {
    usage: 'docker init [OPTIONS]',
    flags: { '--version': { value: false } },
    source: 'docs (https://docs.docker.com/reference/cli/docker/init/)',
  },
  debug: {
    usage: 'docker debug [OPTIONS] {CONTAINER|IMAGE}',
    flags: {
      '--command': { value: true, short: 'c' },
      '--host': { value: true },
      '--privileged': { value: false },
      '--root': { value: false },
      '--shell': { value: true },
    },
    source: 'docs (https://docs.docker.com/reference/cli/docker/debug/)',
  },
};

/**
 * Commands a lesson may name in its prose only to say they are gone or never existed (never in its code): the check
 * accepts them there.
 */
const namedAsAbsent: Record<string, string> = {
  scan: 'removed (2023); Docker Scout replaced it',
  'volume export': 'never part of the Docker Engine CLI; named to say so',
};

// ---- run ----------------------------------------------------------------------------------------------------------

const version = execFileSync('docker', ['--version'], { encoding: 'utf8' }).trim();
sources.cli = `${version}: docker --help and docker <command> --help, API ${apiVersion}, experimental features enabled`;
walkCli([]);
const root = commands[''];
delete commands[''];

const plugins: [string, string | undefined, (dir: string, source: string) => void][] = [
  [
    'compose',
    option('--compose'),
    (dir, source) => loadCobraYaml(join(dir, 'docs', 'reference'), /^docker_compose(_[\w-]+)*\.yaml$/, source),
  ],
  ['buildx', option('--buildx'), (dir, source) => loadBuildxMarkdown(join(dir, 'docs', 'reference'), source)],
  [
    'scout',
    option('--scout'),
    (dir, source) => loadCobraYaml(join(dir, 'docs'), /^docker_scout(_[\w-]+)*\.yaml$/, source),
  ],
];
for (const [name, dir, load] of plugins) {
  if (commands[name] && !('alias' in (commands[name] as CliCommand))) {
    sources[name] = 'cli (installed plugin)';
    continue;
  }
  if (!dir || !existsSync(dir))
    throw new Error(`the ${name} plugin is not installed: pass --${name} <checkout of its repository>`);
  const source = `docker/${name === 'scout' ? 'scout-cli' : name} reference files at ${describe(name, dir)}`;
  sources[name] = source;
  load(dir, source);
}
for (const [name, entry] of Object.entries(manualPlugins)) {
  commands[name] ??= entry;
  sources[name] = entry.source;
}
const topLevel = new Set([
  ...(root && 'subcommands' in root ? (root.subcommands ?? []) : []),
  ...plugins.map(([name]) => name),
  ...Object.keys(manualPlugins),
]);

const table: CliTable = {
  generatedBy: 'src/cli/docker-cli-table.ts',
  cliVersion: version,
  sources,
  globalFlags: root && 'flags' in root ? root.flags : {},
  topLevel: [...topLevel].sort(),
  namedAsAbsent,
  commands: Object.fromEntries(Object.entries(commands).sort(([a], [b]) => a.localeCompare(b))),
};
// One command per line: a change of the CLI reads as a short diff.
const { commands: all, ...head } = table;
const lines = Object.entries(all).map(([key, entry]) => `  ${JSON.stringify(key)}: ${JSON.stringify(entry)}`);
const json = JSON.stringify(head, null, 1).replace(/\n}$/, `,\n "commands": {\n${lines.join(',\n')}\n }\n}`);
JSON.parse(json);
writeFileSync(out, `${json}\n`);
console.log(
  `${out}: ${Object.keys(table.commands).length} commands (${Object.entries(sources)
    .map(([name, source]) => `${name}: ${source}`)
    .join('; ')})`,
);
