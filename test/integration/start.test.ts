/**
 * `npm start` as a person runs it: a real process, real content files, a real database. With stdin piped (as here)
 * the terminal chat runs in script mode: each line is echoed and run in order, and the end of input ends the process.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresUrl } from '../support/databases.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtureContent = join(root, 'test', 'fixtures', 'content');
/** tsx, as `npm start` loads it, found from the project (the test runs in a temporary folder). */
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function start(cwd: string, env: Record<string, string>, options: { input?: string; args?: string[] } = {}) {
  const result = spawnSync(process.execPath, ['--import', tsx, join(root, 'src', 'main.ts'), ...(options.args ?? [])], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', TRILHA_CONTENT_DIR: fixtureContent, ...env },
    input: options.input ?? '',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** Log lines on stderr at warn level or above, and anything on stderr that is not a log line. */
function problems(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        const { level } = JSON.parse(line) as { level?: unknown };
        return typeof level !== 'number' || level >= 40;
      } catch {
        return true;
      }
    });
}

describe('npm start', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'trilha-start-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('GIVEN no configuration THEN it creates ./data/trilha.db, migrates it and reports; a restart finds it up to date', () => {
    const first = start(cwd, {});
    expect(problems(first.err)).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('content: track "git-basics" — 2 lessons, 4 questions');
    expect(first.out).toMatch(/database: SQLite at \.\/data\/trilha\.db — applied \d{14}_init/);
    const second = start(cwd, {});
    expect(second.code).toBe(0);
    expect(second.out).toContain('migrations up to date');
    expect(second.out).toContain('database: 1 member(s), 1 channel(s), 0 answer(s) recorded');
  });

  it('GIVEN piped stdin THEN it runs the lines as a script in the terminal chat, stdout only the chat, exit 0', () => {
    const result = start(cwd, {}, { input: 'ajuda\n\n# a comment\n/now\n/quit\nhoje\n' });
    expect(problems(result.err)).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Trilha no terminal: você está em #geral como você.');
    const help = result.out.indexOf('você › ajuda\n');
    expect(help).toBeGreaterThan(0);
    expect(result.out.slice(help)).toContain('── 🔒 Só você vê isto ──');
    expect(result.out.slice(help)).toContain('/trilha perguntar');
    expect(result.out).toContain('você › /now\nAgora: ');
    expect(result.out).toContain('você › /quit\nAté a próxima!');
    expect(result.out).not.toContain('a comment');
    expect(result.out).not.toContain('você › hoje');
    expect(result.err).not.toContain('Trilha no terminal');
  });

  it('GIVEN --script and --now THEN the clock starts there and /tick posts the drop of the day', () => {
    const script = join(cwd, 'week.txt');
    writeFileSync(script, '/now\n/tick 1h\n');
    const result = start(cwd, {}, { args: ['--script', script, '--now', '2026-11-30T08:30:00-03:00'] });
    expect(problems(result.err)).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Agora: seg., 30/11/2026, 08:30 (America/Sao_Paulo)');
    expect(result.out).toContain('── #geral · seg., 30/11/2026, 09:00 (America/Sao_Paulo) ──');
    expect(result.out).toContain('O relógio avançou 1 hora. Agora: seg., 30/11/2026, 09:30');
  });

  it('GIVEN a bad --now or a missing script THEN it stops with one clear line and exit 1', () => {
    const badNow = start(cwd, {}, { args: ['--now', 'amanhã'] });
    expect(badNow.code).toBe(1);
    expect(badNow.err.trim()).toBe(
      '--now espera um instante ISO 8601 com fuso, como 2026-12-01T09:00:00-03:00 ou 2026-12-01T12:00:00Z.',
    );
    const missing = start(cwd, { TRILHA_LOCALE: 'en' }, { args: ['--script', 'nowhere.txt'] });
    expect(missing.code).toBe(1);
    expect(missing.err.trim()).toBe('Cannot read the script nowhere.txt.');
  });

  it.skipIf(!postgresUrl)(
    'GIVEN a PostgreSQL DATABASE_URL THEN it migrates that database and never prints the password',
    async () => {
      const database = await createTestDatabase('postgresql');
      try {
        const url = new URL(database.target.url);
        url.password = 'not-a-real-password';
        const result = start(cwd, { DATABASE_URL: url.toString() }, { input: 'ajuda\n' });
        expect(problems(result.err)).toEqual([]);
        expect(result.code).toBe(0);
        expect(result.out).toContain('você › ajuda');
        expect(result.out).toContain('database: PostgreSQL at postgresql://postgres:***@');
        expect(result.out + result.err).not.toContain('not-a-real-password');
      } finally {
        await database.drop();
      }
    },
  );

  it('GIVEN a DATABASE_URL of another database THEN it stops with one line naming the variable', () => {
    const result = start(cwd, { DATABASE_URL: 'mysql://root:hunter2@db/trilha' });
    expect(result.code).toBe(1);
    expect(result.err.trim().split('\n')).toEqual([
      expect.stringMatching(/^Configuration error: DATABASE_URL must start with file:/),
    ]);
    expect(result.err).not.toContain('hunter2');
  });

  it('GIVEN a .env file THEN its values apply, and the environment wins over it', () => {
    writeFileSync(join(cwd, '.env'), 'TRILHA_LOCALE=en\nTRILHA_TIME_ZONE=Europe/Lisbon\n');
    const result = start(cwd, { TRILHA_TIME_ZONE: 'America/Manaus' }, { input: '/help\n' });
    expect(result.code).toBe(0);
    expect(result.out).toContain('locale en, time zone America/Manaus');
    expect(result.out).toContain('Trilha in the terminal: you are in #geral as you.');
    expect(result.out).toContain('Terminal controls');
    expect(result.out).toContain('you › /help');
  });

  it('GIVEN a broken content file THEN it stops and names the file and line', () => {
    const content = join(cwd, 'content');
    cpSync(fixtureContent, content, { recursive: true });
    writeFileSync(join(content, 'git-basics', 'lessons', 'branches.yaml'), 'id: branches\ntitle: [broken\n');
    const result = start(cwd, { TRILHA_CONTENT_DIR: content });
    expect(result.code).toBe(1);
    expect(result.err).toContain('content/git-basics/lessons/branches.yaml:');
  });
});
