import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DatabaseTarget } from './database-url.ts';
import { applyMigrations, diffDatabaseToSchema, hasStatements, readMigrationList } from './schema-engine.ts';
import { type DatabaseKind, databaseKinds, migrationsDir, prismaDir } from './schema-files.ts';

/**
 * Applies the committed migrations that `target` has not seen yet; returns their names (empty when up to date).
 *
 * When every committed migration is already recorded as applied, the schema engine is not started at all: a plain
 * read of `_prisma_migrations` says so. Besides sparing every start the WebAssembly engine, this lets a second process
 * start on a SQLite file another process has open: the SQLite engine waits for a lock the open connection holds and
 * gives up after its busy timeout (seen with a file that had been in WAL mode before), even when there is nothing
 * to apply. Pending migrations still go through the engine, which also checks the applied ones' checksums.
 */
export async function migrateDatabase(target: DatabaseTarget): Promise<string[]> {
  if (target.kind === 'sqlite') mkdirSync(join(target.filePath, '..'), { recursive: true });
  const committed = readMigrationList(target.kind).migrationDirectories.map((entry) => entry.path);
  const applied = await appliedMigrations(target).catch(() => null);
  if (applied && committed.every((name) => applied.has(name))) return [];
  return applyMigrations(target.kind, target.url);
}

/** The names of the migrations recorded as finished in `_prisma_migrations`; null when there is no such table yet. */
async function appliedMigrations(target: DatabaseTarget): Promise<Set<string> | null> {
  const query =
    'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';
  if (target.kind === 'sqlite') {
    if (!existsSync(target.filePath)) return null;
    const db = new Database(target.filePath, { readonly: true, fileMustExist: true });
    try {
      const table = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
        .get();
      if (!table) return null;
      return new Set((db.prepare(query).all() as { name: string }[]).map((row) => row.name));
    } finally {
      db.close();
    }
  }
  // A `?schema=` URL puts Prisma's tables in that schema; the engine knows how to read it, so it decides there.
  if (new URL(target.url).searchParams.has('schema')) return null;
  const client = await postgresClient(target.url);
  await client.connect();
  try {
    const table = await client.query<{ exists: string | null }>("SELECT to_regclass('_prisma_migrations') AS exists");
    if (!table.rows[0]?.exists) return null;
    return new Set((await client.query<{ name: string }>(query)).rows.map((row) => row.name));
  } finally {
    await client.end();
  }
}

/**
 * The SQL script that would bring a database built by the committed migrations to the current schema file; it has no
 * statements when the migrations and the schema agree (see `hasStatements`). Works on a scratch database (a temporary SQLite file, or a temporary database on
 * the PostgreSQL server `postgresUrl` points at), dropped afterwards.
 */
export async function pendingSchemaChange(kind: DatabaseKind, postgresUrl?: string, root = prismaDir): Promise<string> {
  return withScratchDatabase(kind, postgresUrl, async (url) => {
    await applyMigrations(kind, url, root);
    return diffDatabaseToSchema(kind, url, root);
  });
}

export interface NewMigration {
  kind: DatabaseKind;
  /** Folder name under prisma/<kind>/migrations, or null when the schema had no change for this database. */
  name: string | null;
  sql: string;
}

/**
 * Writes a new migration for both databases from the change between the committed migrations and the schema files.
 * A database whose migrations already match the schema gets no folder.
 */
export async function createMigrations(
  label: string,
  postgresUrl: string,
  now = new Date(),
  root = prismaDir,
): Promise<NewMigration[]> {
  if (!/^[a-z0-9]+(_[a-z0-9]+)*$/.test(label)) {
    throw new Error(`migration name "${label}" must be snake_case letters and digits, for example add_streak_freezes`);
  }
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const created: NewMigration[] = [];
  for (const kind of databaseKinds) {
    ensureLockfile(kind, root);
    const sql = await pendingSchemaChange(kind, postgresUrl, root);
    if (!hasStatements(sql)) {
      created.push({ kind, name: null, sql });
      continue;
    }
    const name = `${stamp}_${label}`;
    const dir = join(migrationsDir(kind, root), name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), sql.endsWith('\n') ? sql : `${sql}\n`);
    created.push({ kind, name, sql });
  }
  return created;
}

/** `migration_lock.toml` tells the engine (and `prisma migrate`) which provider a migrations folder is for. */
function ensureLockfile(kind: DatabaseKind, root: string): void {
  const dir = migrationsDir(kind, root);
  mkdirSync(dir, { recursive: true });
  const lockfile = join(dir, 'migration_lock.toml');
  if (!existsSync(lockfile)) {
    writeFileSync(
      lockfile,
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${kind}"\n`,
    );
  }
}

/** Runs `fn` with the URL of an empty, temporary database of the given kind, removed afterwards. */
export async function withScratchDatabase<T>(
  kind: DatabaseKind,
  postgresUrl: string | undefined,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'trilha-scratch-'));
    try {
      return await fn(`file:${join(dir, 'scratch.db')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!postgresUrl) {
    throw new Error('a PostgreSQL server is needed for a scratch database: set TEST_POSTGRES_URL');
  }
  const name = `trilha_scratch_${randomUUID().replaceAll('-', '')}`;
  await adminQuery(postgresUrl, `CREATE DATABASE "${name}"`);
  try {
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await adminQuery(postgresUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

async function adminQuery(postgresUrl: string, sql: string): Promise<void> {
  const client = await postgresClient(postgresUrl);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A pg client, its library loaded on first use: a bot on SQLite never loads it. */
async function postgresClient(url: string) {
  const { default: pg } = await import('pg');
  return new pg.Client({ connectionString: url });
}
