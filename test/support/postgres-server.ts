/**
 * vitest global setup: finds the PostgreSQL server the integration tests use and hands its URL to them.
 *
 * - TEST_POSTGRES_URL set (as .ci/run does): that server.
 * - Otherwise, when PostgreSQL's binaries are installed (Debian's `postgresql` package): a throwaway server in a
 *   temporary folder on 127.0.0.1, stopped and removed after the run, so `npm test` on a developer's machine tests
 *   PostgreSQL too.
 * - Neither: the PostgreSQL tests are skipped with a message, except under CI, where that is an error.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** initdb and postgres refuse to run as root: run them as the `postgres` user then. */
function runAsServerUser(command: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const result = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} failed: ${result.stderr || result.stdout || result.error?.message}`);
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.TEST_POSTGRES_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return undefined;
  }
  const bin = postgresBinDir();
  if (!bin) {
    if (process.env.CI) {
      throw new Error('CI needs PostgreSQL for the integration tests: set TEST_POSTGRES_URL (bash .ci/run does)');
    }
    console.warn(
      'PostgreSQL is not installed: the PostgreSQL tests are skipped (apt-get install postgresql, or set TEST_POSTGRES_URL).',
    );
    project.provide('postgresUrl', null);
    return undefined;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'trilha-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
  }
  const port = await freePort();
  runAsServerUser(join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  runAsServerUser(join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    join(dataDir, 'server.log'),
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dataDir} -c fsync=off`,
    '-w',
    'start',
  ]);
  project.provide('postgresUrl', `postgresql://postgres@127.0.0.1:${port}/postgres`);
  return () => {
    try {
      runAsServerUser(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
