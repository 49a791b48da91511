/**
 * vitest global setup: finds the PostgreSQL server the integration tests use, and migrates one template database of
 * each kind that `createTestDatabase(kind, { migrated: true })` copies (test/support/databases.ts): a file copy for
 * SQLite, `CREATE DATABASE … TEMPLATE` for PostgreSQL, instead of running the schema engine for every test.
 *
 * - TEST_POSTGRES_URL set (as .ci/run does): that server.
 * - Otherwise, when PostgreSQL's binaries are installed (Debian's `postgresql` package): a throwaway server in a
 *   temporary folder on 127.0.0.1, stopped and removed after the run, so `npm test` on a developer's machine tests
 *   PostgreSQL too.
 * - Neither: the PostgreSQL tests are skipped with a message, except under CI, where that is an error.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startLocalPostgres } from '../../src/cli/local-postgres.ts';
import { migrateDatabase } from '../../src/db/migrations.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    /** A migrated SQLite file to copy. */
    sqliteTemplate: string;
    /** The name of a migrated database on the `postgresUrl` server to copy; null without PostgreSQL. */
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = process.env.TEST_POSTGRES_URL ? null : await startLocalPostgres();
  const postgresUrl = process.env.TEST_POSTGRES_URL ?? server?.url ?? null;
  if (!postgresUrl) {
    if (process.env.CI) {
      throw new Error('CI needs PostgreSQL for the integration tests: set TEST_POSTGRES_URL (bash .ci/run does)');
    }
    console.warn(
      'PostgreSQL is not installed: the PostgreSQL tests are skipped (apt-get install postgresql, or set TEST_POSTGRES_URL).',
    );
  }
  project.provide('postgresUrl', postgresUrl);

  const dir = mkdtempSync(join(tmpdir(), 'trilha-template-'));
  const sqliteTemplate = join(dir, 'template.db');
  await migrateDatabase({ kind: 'sqlite', url: `file:${sqliteTemplate}`, filePath: sqliteTemplate });
  project.provide('sqliteTemplate', sqliteTemplate);

  // Named per run: several runs may share one server (TEST_POSTGRES_URL).
  const postgresTemplate = postgresUrl ? `trilha_template_${randomUUID().replaceAll('-', '')}` : null;
  if (postgresUrl && postgresTemplate) {
    await admin(postgresUrl, `CREATE DATABASE "${postgresTemplate}"`);
    const url = new URL(postgresUrl);
    url.pathname = `/${postgresTemplate}`;
    await migrateDatabase({ kind: 'postgresql', url: url.toString() });
    // A copy needs the template without connections: close any the migration left open.
    await admin(
      postgresUrl,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${postgresTemplate}' AND pid <> pg_backend_pid()`,
    );
  }
  project.provide('postgresTemplate', postgresTemplate);

  return async () => {
    if (postgresUrl && postgresTemplate) {
      await admin(postgresUrl, `DROP DATABASE IF EXISTS "${postgresTemplate}" WITH (FORCE)`);
    }
    rmSync(dir, { recursive: true, force: true });
    server?.stop();
  };
}

async function admin(postgresUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
