/** `npm start` as a person runs it: a real process, real content files, a real database. */
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

function start(cwd: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', tsx, join(root, 'src', 'main.ts')], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', TRILHA_CONTENT_DIR: fixtureContent, ...env },
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('npm start', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'trilha-start-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('GIVEN no configuration THEN it creates ./data/trilha.db, migrates it and reports; a restart finds it up to date', () => {
    const first = start(cwd, {});
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('content: track "git-basics" — 2 lessons, 4 questions');
    expect(first.out).toMatch(/database: SQLite at data\/trilha\.db — applied \d{14}_init/);
    const second = start(cwd, {});
    expect(second.code).toBe(0);
    expect(second.out).toContain('migrations up to date');
  });

  it.skipIf(!postgresUrl)(
    'GIVEN a PostgreSQL DATABASE_URL THEN it migrates that database and never prints the password',
    async () => {
      const database = await createTestDatabase('postgresql');
      try {
        const url = new URL(database.target.url);
        url.password = 'not-a-real-password';
        const result = start(cwd, { DATABASE_URL: url.toString() });
        expect(result.err).toBe('');
        expect(result.code).toBe(0);
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
    const result = start(cwd, { TRILHA_TIME_ZONE: 'America/Manaus' });
    expect(result.code).toBe(0);
    expect(result.out).toContain('locale en, time zone America/Manaus');
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
