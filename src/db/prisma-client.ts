import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import Database from 'better-sqlite3';
import type { DatabaseTarget } from './database-url.ts';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.ts';
import { SqliteStatements } from './sqlite-statements.ts';

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
 * better-sqlite3's adapter as Prisma ships it, with two changes:
 * - It tells Prisma the real parameter limit. The adapter does not say, so Prisma assumes the 999 of SQLite before
 *   3.32, and its findUnique batching (concurrent `findUnique` calls merged into one query, not chunked:
 *   prisma/orm#23957) then fails with P2029 as soon as a few hundred members click in the same instant.
 * - A plain write waits while a transaction is open. The adapter has one connection and its mutex guards only
 *   transactions, so a write made outside a transaction while one is open would run inside it and vanish if it rolls
 *   back, after its caller was told it succeeded (a cohort join confirmed, a drop's post reference recorded).
 *   Statements run synchronously, so a write that finds no transaction open is done before another can begin. Plain
 *   reads do not wait (the answer path reads while a batch is written); one may see a batch's rows before its commit.
 *   (docs/decisions/0003-sqlite-writes-under-contention.md)
 */
class SqliteAdapterFactory extends PrismaBetterSqlite3 {
  /** The adapter Prisma connected last (its one connection), for `driverAdapter`. */
  connected: SqlDriverAdapter | null = null;
  /** That connection's better-sqlite3 handle, for the answer path's statements (`sqliteStatements`). */
  statements: SqliteStatements | null = null;

  override async connect() {
    const adapter = await super.connect();
    // The adapter keeps its better-sqlite3 handle as `client` (not in its types): checked, so an adapter that stops
    // doing so fails here, at the first connection, and not on the answer path.
    const { client } = adapter as unknown as { client?: unknown };
    if (!(client instanceof Database))
      throw new Error('the SQLite adapter no longer exposes its better-sqlite3 handle');
    this.statements = new SqliteStatements(client);
    let open: Promise<void> | null = null;
    const startTransaction = adapter.startTransaction.bind(adapter);
    const queryRaw = adapter.queryRaw.bind(adapter);
    const executeRaw = adapter.executeRaw.bind(adapter);
    const idle = async () => {
      while (open) await open;
    };
    this.connected = adapter;
    return Object.assign(adapter, {
      getConnectionInfo: () => ({ maxBindValues: sqliteMaxVariables, supportsRelationJoins: false }),
      startTransaction: async (...args: Parameters<typeof startTransaction>) => {
        const transaction = await startTransaction(...args);
        let end = () => {};
        const ended = new Promise<void>((resolve) => {
          end = resolve;
        });
        open = ended;
        const finish = () => {
          if (open === ended) open = null;
          end();
        };
        const commit = transaction.commit.bind(transaction);
        const rollback = transaction.rollback.bind(transaction);
        return Object.assign(transaction, {
          commit: () => commit().finally(finish),
          rollback: () => rollback().finally(finish),
        });
      },
      queryRaw: async (query: Parameters<typeof queryRaw>[0]) => {
        if (isWrite(query.sql)) await idle();
        return queryRaw(query);
      },
      executeRaw: async (query: Parameters<typeof executeRaw>[0]) => {
        await idle();
        return executeRaw(query);
      },
    });
  }
}

/** Whether a statement may change data (anything but a plain SELECT or a read-only PRAGMA). */
function isWrite(sql: string): boolean {
  return !/^\s*(SELECT|PRAGMA\s+\w+\s*;?\s*$)/i.test(sql);
}

/** The factories of the clients `openPrisma` made, for `driverAdapter`. */
const factories = new WeakMap<Db, { connected: SqlDriverAdapter | null; statements?: SqliteStatements | null }>();

/**
 * The driver adapter under `db`: the connection (SQLite) or pool (PostgreSQL) Prisma itself uses, with Prisma's
 * mapping of arguments and errors, but none of its query engine. For the answer path's batch
 * (src/db/driver-transaction.ts), whose statements are plain SQL with thousands of arguments, where the engine's
 * handling of each argument cost more than the database's work. Connects `db` first when it has not yet.
 */
export async function driverAdapter(db: Db): Promise<SqlDriverAdapter> {
  const factory = factories.get(db);
  if (!factory) throw new Error('driverAdapter: a client not opened by openPrisma');
  if (!factory.connected) await db.$connect();
  if (!factory.connected) throw new Error('driverAdapter: the client did not connect its adapter');
  return factory.connected;
}

/**
 * The better-sqlite3 handle under `db`'s adapter, for statements run on it directly (src/db/sqlite-statements.ts);
 * null on PostgreSQL. Connects `db` first when it has not yet.
 */
export async function sqliteStatements(db: Db): Promise<SqliteStatements | null> {
  await driverAdapter(db);
  return factories.get(db)?.statements ?? null;
}

/** PrismaPg as Prisma ships it, remembering the adapter (its pool) it connected, for `driverAdapter`. */
async function pgFactory(url: string) {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  return new (class extends PrismaPg {
    connected: SqlDriverAdapter | null = null;
    override async connect() {
      const adapter = await super.connect();
      this.connected = adapter;
      return adapter;
    }
  })({ connectionString: url });
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
    const factory = new SqliteAdapterFactory({ url: target.filePath, timeout: sqliteBusyTimeoutMs });
    const client = new SqliteClient({ adapter: factory });
    factories.set(client, factory);
    // SQLite answers with the mode it is in, not an error, when it cannot switch; rollback-journal mode would let a
    // COMMIT fail with SQLITE_BUSY, which Prisma's adapter cannot recover from (prisma/orm#29933).
    const [mode] = await client.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode = WAL');
    if (mode?.journal_mode?.toLowerCase() !== 'wal') {
      await client.$disconnect();
      throw new Error(`SQLite at ${target.filePath} cannot use WAL (journal_mode is ${mode?.journal_mode ?? '?'})`);
    }
    await client.$queryRawUnsafe(`PRAGMA busy_timeout = ${sqliteBusyTimeoutMs}`);
    return client;
  }
  // PostgreSQL's client and driver are loaded only when used: a bot on SQLite never loads them.
  const [{ PrismaClient: PostgresClient }, factory] = await Promise.all([
    import('./generated/postgresql/client.ts'),
    pgFactory(target.url),
  ]);
  const client = new PostgresClient({ adapter: factory }) as unknown as Db;
  factories.set(client, factory);
  return client;
}
