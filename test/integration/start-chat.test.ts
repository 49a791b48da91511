/**
 * `npm start` as a person at a terminal runs it: under a pseudo-terminal (util-linux `script`), so stdin, stdout and
 * stderr are a TTY, and the conversation and anything written to stderr share one screen. Log lines never reach that
 * screen: they go to data/trilha.log (runtime/logger.ts `logOutputFor`). The banner names the database file as
 * DATABASE_URL gave it. Each line is typed once the prompt for it shows, never on a timer. TRILHA_LOG_FILE sends any
 * run's lines to that file, and one it cannot write stops the start with one line.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const fixtureContent = join(root, 'test', 'fixtures', 'content');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const hasScript = spawnSync('script', ['--version']).status === 0;

/** The chat on a pseudo-terminal: `until` waits for text on the screen after what was read so far. */
function startOnTerminal(cwd: string, env: Record<string, string>) {
  const command = [
    process.execPath,
    '--import',
    tsx,
    join(root, 'src', 'main.ts'),
    '--now',
    '2026-11-30T08:30:00-03:00',
  ]
    .map((part) => `'${part}'`)
    .join(' ');
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', TERM: 'dumb', NO_COLOR: '1', TRILHA_CONTENT_DIR: fixtureContent, ...env },
  });
  let screen = '';
  let read = 0;
  const waiting: { text: string; resolve: (at: number) => void }[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const check = () => {
    for (const wait of [...waiting]) {
      const at = screen.indexOf(wait.text, read);
      if (at >= 0) {
        waiting.splice(waiting.indexOf(wait), 1);
        read = at + wait.text.length;
        wait.resolve(read);
      }
    }
  };
  const onData = (chunk: Buffer) => {
    screen += chunk.toString();
    check();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    get screen() {
      return screen;
    },
    until: (text: string) =>
      Promise.race([
        new Promise<number>((resolve) => {
          waiting.push({ text, resolve });
          check();
        }),
        exited.then(() => {
          throw new Error(`ended before “${text}” showed:\n${screen}`);
        }),
      ]),
    type: (line: string) => child.stdin.write(`${line}\r`),
    exited,
  };
}

describe.skipIf(!hasScript)('the interactive terminal chat (needs util-linux script)', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'trilha-chat-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('GIVEN a person at a terminal THEN the screen shows the conversation and no log line, the logs go to data/trilha.log, and the banner shows DATABASE_URL’s path as given', {
    timeout: 120_000,
  }, async () => {
    const database = join(cwd, 'srv', 'ask.db');
    const chat = startOnTerminal(cwd, { DATABASE_URL: `file:${database}` });
    await chat.until(`database: SQLite at ${database} — applied`);
    await chat.until('› ');
    chat.type('/tick 1h');
    await chat.until('── #geral · seg., 30/11/2026, 09:00 (America/Sao_Paulo) ──');
    await chat.until('O relógio avançou 1 hora');
    await chat.until('› ');
    chat.type('/quit');
    expect(await chat.exited).toBe(0);

    // The scheduler logged the drop, not on the screen but in the file the banner names.
    expect(chat.screen).not.toContain('drop posted');
    expect(chat.screen).not.toMatch(/"level":|\b(INFO|WARN|ERROR|DEBUG)\b/);
    expect(chat.screen).toContain('logs: data/trilha.log');
    const logFile = join(cwd, 'data', 'trilha.log');
    expect(existsSync(logFile)).toBe(true);
    const logged = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string });
    expect(logged.map((line) => line.msg)).toContain('drop posted');
  });
});

describe('TRILHA_LOG_FILE', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'trilha-logfile-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  const start = (logFile: string) =>
    spawnSync(process.execPath, ['--import', tsx, join(root, 'src', 'main.ts'), '--now', '2026-11-30T08:30:00-03:00'], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TRILHA_CONTENT_DIR: fixtureContent, TRILHA_LOG_FILE: logFile },
      input: '/tick 1h\n',
      timeout: 60_000,
    });

  it('GIVEN a piped run and TRILHA_LOG_FILE THEN the lines go to that file (its folder made), none to stderr', () => {
    const result = start(join(cwd, 'logs', 'trilha.log'));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('── #geral · seg., 30/11/2026, 09:00 (America/Sao_Paulo) ──');
    expect(result.stderr).toBe('');
    expect(readFileSync(join(cwd, 'logs', 'trilha.log'), 'utf8')).toContain('"msg":"drop posted"');
  });

  it('GIVEN a TRILHA_LOG_FILE that cannot be written THEN the start stops with one line naming it, exit 1', () => {
    writeFileSync(join(cwd, 'not-a-folder'), '');
    const result = start(join(cwd, 'not-a-folder', 'trilha.log'));
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('TRILHA_LOG_FILE');
  });
});
