import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { DatabaseTarget } from './database-url.ts';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.ts';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.ts';

/**
 * The client type the repositories are written against. Both generated clients come from the same models, so their
 * model APIs are the same; the SQLite client's types are the narrower of the two (no `mode: 'insensitive'`, no
 * `skipDuplicates`), so code that type-checks against it runs on PostgreSQL too.
 */
export type Db = SqliteClient;

/**
 * The most bound parameters one SQLite statement takes in the SQLite that better-sqlite3 ships (SQLite's default
 * since 3.32; checked in test/integration/database.test.ts).
 */
export const sqliteMaxVariables = 32_766;

/**
 * better-sqlite3's adapter as Prisma ships it, telling Prisma the real parameter limit. The adapter does not say,
 * so Prisma assumes the 999 of SQLite before 3.32, and its findUnique batching (concurrent `findUnique` calls
 * merged into one query, not chunked: prisma/orm#23957) then fails with P2029 as soon as a few hundred members click
 * in the same instant. PostgreSQL's adapter reports its own limit.
 */
class SqliteAdapterFactory extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    return Object.assign(adapter, {
      getConnectionInfo: () => ({ maxBindValues: sqliteMaxVariables, supportsRelationJoins: false }),
    });
  }
}

/** How long a SQLite write waits for another writer's lock before it fails (better-sqlite3's busy timeout). */
export const sqliteBusyTimeoutMs = 10_000;

/**
 * Opens the database `target` names with the right generated client and driver adapter. SQLite: the folder is
 * created when missing, the journal is switched to WAL (readers do not block the writer) and a busy timeout is set.
 */
export async function openPrisma(target: DatabaseTarget): Promise<Db> {
  if (target.kind === 'sqlite') {
    mkdirSync(dirname(target.filePath), { recursive: true });
    const client = new SqliteClient({
      adapter: new SqliteAdapterFactory({ url: target.filePath, timeout: sqliteBusyTimeoutMs }),
    });
    await client.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await client.$queryRawUnsafe(`PRAGMA busy_timeout = ${sqliteBusyTimeoutMs}`);
    return client;
  }
  const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) });
  return client as unknown as Db;
}
