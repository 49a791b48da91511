/**
 * `npm run bench:image`: the image's figures, measured with Docker, written into BENCHMARKS.md's section "The image"
 * (`npm run bench` carries that section over untouched; this script rewrites only it).
 *
 * - size: the image's total (`docker image inspect`) and what Trilha's layers add over the base (`docker history`,
 *   the layers the base does not have), with the largest of them;
 * - build time with only a source file changed (a copy of the build context with one comment line added to
 *   src/main.ts, the dependency layer cached), and with `--cold` also from nothing (`--no-cache`, base present);
 * - start-up: from `docker run` to "Trilha is ready" and to "slack: connected", in Slack mode against the project's
 *   fake Slack on the host (`--network host`, SLACK_API_URL, as test/container/image.test.ts runs it), on a volume
 *   already migrated, over `--runs` runs (5 by default);
 * - idle memory: VmRSS of node (`/proc/1/status` in the container) `--idle` seconds (5 by default) after Slack
 *   connected, in the same runs.
 *
 *   npm run bench:image                  build trilha:bench from this folder, measure, rewrite the section
 *   npm run bench:image -- --cold        the same, plus a build from nothing first (minutes)
 *   npm run bench:image -- --no-build    measure the image as it is (--tag to name it); sizes and start-up only
 *   npm run bench:image -- --host        no Docker: `node dist/main.js` on this machine (npm run build first),
 *                                        printed only; `--node-options "<flags>"` adds node flags (both modes)
 *
 * Without a Docker Engine it says so in one line and ends (exit 0), leaving BENCHMARKS.md as it is.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { type FakeSlack, startFakeSlack } from '../../../test/fakes/slack.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const { values: options } = parseArgs({
  options: {
    tag: { type: 'string', default: 'trilha:bench' },
    base: { type: 'string', default: 'node:24.22.3-bookworm-slim' },
    runs: { type: 'string', default: '5' },
    idle: { type: 'string', default: '5' },
    cold: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    host: { type: 'boolean', default: false },
    'node-options': { type: 'string', default: '' },
    env: { type: 'string', multiple: true, default: [] },
    node: { type: 'string', default: process.execPath },
    dist: { type: 'string', default: 'dist' },
  },
});
const runs = Number(options.runs);
const idleSeconds = Number(options.idle);
const botToken = 'xoxb-bench-image-token';
const appToken = 'xapp-1-bench-image-token';
const readyLine = 'Trilha is ready';
const connectedLine = 'slack: connected';

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd = root): Ran {
  const ran = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: ran.status, stdout: ran.stdout ?? '', stderr: ran.stderr ?? '' };
}

function ok(command: string, args: readonly string[], cwd = root): string {
  const ran = run(command, args, cwd);
  if (ran.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${ran.code}: ${ran.stderr.slice(-2000)}`);
  return ran.stdout.trim();
}

/** One start: milliseconds from the spawn to the ready line and to Slack's connection, and VmRSS when idle. */
interface Start {
  readonly readyMs: number;
  readonly connectedMs: number;
  readonly rssMb: number;
}

/**
 * Spawns `command`, waits for the ready and connected lines on its stdout, then `idleSeconds`, reads the RSS with
 * `rss()`, and stops it with `stop()`. The fake Slack runs in this process and answers meanwhile (spawn, not
 * spawnSync).
 */
async function timeStart(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  rss: (child: ChildProcess) => number,
  stop: (child: ChildProcess) => void,
): Promise<Start> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let readyMs = Number.NaN;
  let connectedMs = Number.NaN;
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const connected = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (Number.isNaN(readyMs) && out.includes(readyLine)) readyMs = performance.now() - started;
      if (Number.isNaN(connectedMs) && out.includes(connectedLine)) {
        connectedMs = performance.now() - started;
        resolve();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    void exited.then((code) => reject(new Error(`exited ${code} before connecting:\n${out}\n${err.slice(-2000)}`)));
  });
  const timeout = setTimeout(() => stop(child), 120_000);
  try {
    await connected;
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const rssMb = rss(child);
    stop(child);
    await exited;
    return { readyMs, connectedMs, rssMb };
  } finally {
    clearTimeout(timeout);
    stop(child);
  }
}

/** VmRSS in MB from a /proc/<pid>/status text. */
function vmRss(status: string): number {
  const kb = Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS in:\n${status}`);
  return kb / 1024;
}

function slackEnv(fake: FakeSlack, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    SLACK_BOT_TOKEN: botToken,
    SLACK_APP_TOKEN: appToken,
    SLACK_API_URL: fake.apiUrl,
    TRILHA_HTTP_PORT: '0',
    ...extra,
  };
}

async function startsOnHost(fake: FakeSlack): Promise<Start[]> {
  const entry = join(root, options.dist, 'main.js');
  if (!existsSync(entry)) throw new Error(`${options.dist}/main.js is missing: npm run build first`);
  const data = mkdtempSync(join(tmpdir(), 'trilha-bench-image-'));
  const flags = ['--enable-source-maps', ...splitFlags(options['node-options'])];
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    DATABASE_URL: `file:${join(data, 'trilha.db')}`,
    ...extraEnv(),
  };
  try {
    // The first start migrates the new database; not counted (the image's runs start on a migrated volume).
    const migrated = spawnSync(options.node, [...flags, entry], { cwd: root, env, encoding: 'utf8' });
    if (migrated.status !== 0) throw new Error(`the first start failed: ${migrated.stderr.slice(-2000)}`);
    const starts: Start[] = [];
    for (let i = 0; i < runs; i++) {
      starts.push(
        await timeStart(
          options.node,
          [...flags, entry],
          { ...env, ...slackEnv(fake) },
          (child) => vmRss(readFileSync(`/proc/${child.pid}/status`, 'utf8')),
          (child) => child.kill('SIGTERM'),
        ),
      );
    }
    return starts;
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

async function startsInImage(fake: FakeSlack, tag: string): Promise<Start[]> {
  const volume = `trilha-bench-image-${process.pid}`;
  ok('docker', ['volume', 'create', volume]);
  try {
    // The first start migrates the new volume (the terminal chat, ended by its empty input); not counted.
    ok('docker', ['run', '--rm', '-v', `${volume}:/app/data`, tag]);
    const starts: Start[] = [];
    for (let i = 0; i < runs; i++) {
      const name = `${volume}-${i}`;
      const nodeOptions = options['node-options'] ? ['-e', `NODE_OPTIONS=${options['node-options']}`] : [];
      const env = slackEnv(fake, extraEnv());
      const pass = Object.keys(env).flatMap((key) => ['-e', key]);
      try {
        starts.push(
          await timeStart(
            'docker',
            [
              'run',
              '--rm',
              '--name',
              name,
              '--network',
              'host',
              '-v',
              `${volume}:/app/data`,
              ...pass,
              ...nodeOptions,
              tag,
            ],
            { ...process.env, ...env },
            () => vmRss(ok('docker', ['exec', name, 'cat', '/proc/1/status'])),
            () => {
              run('docker', ['kill', '--signal', 'SIGTERM', name]);
            },
          ),
        );
      } finally {
        run('docker', ['rm', '-f', name]);
      }
    }
    return starts;
  } finally {
    run('docker', ['volume', 'rm', '-f', volume]);
  }
}

/** `--env NAME=value`, repeatable: more environment for the bot (MALLOC_ARENA_MAX=2, say). */
function extraEnv(): Record<string, string> {
  return Object.fromEntries(
    options.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

/** Milliseconds from `docker run` to a line node prints at once: what the container's own start costs. */
async function containerStart(tag: string): Promise<number> {
  const started = performance.now();
  const child = spawn('docker', ['run', '--rm', '--network', 'host', tag, 'node', '-e', "console.log('up')"], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const up = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('up')) resolve(performance.now() - started);
    });
    child.on('close', (code) => reject(new Error(`docker run … node -e exited ${code} without a line`)));
  });
  await new Promise((resolve) => child.on('close', resolve));
  return up;
}

function splitFlags(text: string): string[] {
  return text.split(/\s+/).filter((flag) => flag !== '');
}

/** `docker build`, timed, from `context`. */
function timedBuild(context: string, tag: string, extra: readonly string[] = []): number {
  const started = performance.now();
  const ran = spawnSync('docker', ['build', '--network', 'host', ...extra, '-t', tag, '.'], {
    cwd: context,
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (ran.status !== 0) throw new Error(`docker build failed:\n${ran.stderr.slice(-3000)}`);
  return (performance.now() - started) / 1000;
}

/** This folder's build context (tracked and untracked files git does not ignore) copied, with src/main.ts changed. */
function changedSourceCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'trilha-bench-context-'));
  const files = ok('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z']).split('\0');
  for (const file of files) {
    if (file === '' || !existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  writeFileSync(
    join(copy, 'src', 'main.ts'),
    `${readFileSync(join(copy, 'src', 'main.ts'), 'utf8')}// bench:image ${Date.now()}\n`,
  );
  return copy;
}

interface Layer {
  readonly bytes: number;
  readonly createdBy: string;
}

function layers(tag: string): Layer[] {
  return ok('docker', ['history', '--no-trunc', '--human=false', '--format', '{{.Size}}\t{{.CreatedBy}}', tag])
    .split('\n')
    .map((line) => {
      const [size = '0', ...rest] = line.split('\t');
      return { bytes: Number(size), createdBy: rest.join('\t') };
    });
}

function imageBytes(tag: string): number {
  return Number(ok('docker', ['image', 'inspect', '-f', '{{.Size}}', tag]));
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function spread(values: readonly number[], format: (value: number) => string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return `${format(median)} (${format(sorted[0] ?? Number.NaN)}–${format(sorted.at(-1) ?? Number.NaN)})`;
}

/** A layer's command, short: the instruction and its first words. */
function layerName(createdBy: string): string {
  const text = createdBy
    .replace(/^\/bin\/sh -c (#\(nop\) )?/, '')
    .replace(/^COPY (?:dir|file):\w+ in /, 'COPY ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const fake = await startFakeSlack({ channels: { C1: { name: 'geral', is_member: true } } });
try {
  if (options.host) {
    const starts = await startsOnHost(fake);
    const version = ok(options.node, ['--version']);
    console.log(
      `host, ${options.dist}/ on node ${version}${options['node-options'] ? `, ${options['node-options']}` : ''}:`,
    );
    for (const start of starts) {
      console.log(
        `  ready ${seconds(start.readyMs)}, connected ${seconds(start.connectedMs)}, RSS ${start.rssMb.toFixed(0)} MB`,
      );
    }
    console.log(
      `  median (min–max): ready ${spread(
        starts.map((s) => s.readyMs),
        seconds,
      )}, RSS ${spread(
        starts.map((s) => s.rssMb),
        (v) => `${v.toFixed(0)} MB`,
      )}`,
    );
  } else {
    const engine = run('docker', ['version', '--format', '{{.Server.Version}}']);
    if (engine.code !== 0) {
      console.log('bench:image skipped: no Docker Engine answers (bash /work/shared/tools/docker-up.sh starts one)');
      process.exit(0);
    }
    const tag = options.tag;
    const builds: string[] = [];
    if (!options['no-build']) {
      if (options.cold)
        builds.push(
          `| build, cold (base present, --no-cache) | ${timedBuild(root, tag, ['--no-cache']).toFixed(0)} s |`,
        );
      else timedBuild(root, tag);
      const copy = changedSourceCopy();
      try {
        // Tagged apart and removed after: the figures below are the image of this folder as it is.
        builds.push(
          `| build, only a source file changed (dependency layer cached) | ${timedBuild(copy, `${tag}-changed`).toFixed(0)} s |`,
        );
        run('docker', ['rmi', `${tag}-changed`]);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }
    const total = imageBytes(tag);
    const base = imageBytes(options.base);
    const own = layers(tag).slice(0, layers(tag).length - layers(options.base).length);
    const added = own.reduce((sum, layer) => sum + layer.bytes, 0);
    const largest = own
      .filter((layer) => layer.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes)
      .map((layer) => `${layerName(layer.createdBy)} ${mb(layer.bytes)}`);
    const containerStarts: number[] = [];
    for (let i = 0; i < runs; i++) containerStarts.push(await containerStart(tag));
    const starts = await startsInImage(fake, tag);
    const flags = options['node-options'] ? ` (NODE_OPTIONS=${options['node-options']})` : '';
    const section = [
      '## The image (measured by `npm run bench:image` with Docker, not by `npm run bench`)',
      '',
      `Measured on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}, ${mb(totalmem())} of memory, load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(
          ' ',
        )} at the end; Docker Engine ${engine.stdout.trim()}, classic builder (\`DOCKER_BUILDKIT=0\`), \`docker build --network host\`, base \`${options.base}\`. Start-up in Slack mode against the fake Slack on the host (\`--network host\`, \`SLACK_API_URL\`), on a volume already migrated, ${runs} runs; median (min–max).`,
      '',
      '| what | measured |',
      '| --- | --- |',
      `| image size, total (\`docker image inspect\`) | ${mb(total)} |`,
      `| Trilha's layers over the base (\`docker history\`) | ${mb(added)} over ${mb(base)} (${largest.join('; ')}) |`,
      ...builds,
      `| \`docker run\` → "${readyLine}"${flags} | ${spread(
        starts.map((s) => s.readyMs),
        seconds,
      )} (target ≤ 1.5 s) |`,
      `| of which the container's own start: \`docker run\` → \`node -e\` prints a line | ${spread(containerStarts, seconds)} |`,
      `| \`docker run\` → "${connectedLine}" | ${spread(
        starts.map((s) => s.connectedMs),
        seconds,
      )} |`,
      `| idle RSS of node, Slack connected, ${idleSeconds} s after connecting (\`/proc/1/status\` VmRSS) | ${spread(
        starts.map((s) => s.rssMb),
        (v) => `${v.toFixed(0)} MB`,
      )} (target ≤ 150 MB) |`,
    ].join('\n');
    console.log(section);
    const path = join(root, 'BENCHMARKS.md');
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const pattern = /^## The image[^\n]*\n[\s\S]*?(?=^## |(?![\s\S]))/m;
    const next = pattern.test(current)
      ? current.replace(pattern, `${section}\n\n`)
      : `${current.trimEnd()}\n\n${section}\n`;
    writeFileSync(path, `${next.trimEnd()}\n`);
  }
} finally {
  await fake.close();
}
