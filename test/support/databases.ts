/**
 * Real databases for integration tests: a fresh SQLite file in a temporary folder, or a fresh database on the test
 * PostgreSQL server. Each test gets its own and drops it afterwards, so tests never see each other's rows.
 *
 * `{ migrated: true }` copies the template the global setup migrated once (test/support/postgres-server.ts): a file
 * copy or `CREATE DATABASE … TEMPLATE`, a few milliseconds instead of the schema engine's run. Without it the
 * database is empty, for the tests of migrating itself.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseTarget } from '../../src/db/database-url.ts';
import type { DatabaseKind } from '../../src/db/schema-files.ts';

export const postgresUrl = inject('postgresUrl');

/** The database kinds this run can test: SQLite always, PostgreSQL when a server is available. */
export const availableKinds: DatabaseKind[] = postgresUrl ? ['sqlite', 'postgresql'] : ['sqlite'];

export interface TestDatabase {
  readonly target: DatabaseTarget;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** A copy of the migrated template instead of an empty database. */
  readonly migrated?: boolean;
}

export async function createTestDatabase(kind: DatabaseKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'trilha-test-'));
    const filePath = join(dir, 'nested', 'trilha.db');
    if (options.migrated) {
      mkdirSync(dirname(filePath));
      copyFileSync(inject('sqliteTemplate'), filePath);
    }
    return {
      target: { kind, url: `file:${filePath}`, filePath },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!postgresUrl) throw new Error('no PostgreSQL server for this run');
  const name = `trilha_test_${randomUUID().replaceAll('-', '')}`;
  const template = options.migrated ? inject('postgresTemplate') : null;
  await admin(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind, url: url.toString() },
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl ?? undefined });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
