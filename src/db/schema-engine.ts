/**
 * Migrations without Prisma's schema-engine binary.
 *
 * `prisma migrate` runs a native binary that Prisma downloads from outside the npm registry, which cannot be fetched
 * where Trilha is built and run. The same engine ships on npm as WebAssembly (`@prisma/schema-engine-wasm`) and talks
 * to the database through the driver adapters the app already uses, so Trilha applies its committed
 * `prisma/<kind>/migrations/*\/migration.sql` itself. The table it records them in is `_prisma_migrations`, the one
 * `prisma migrate deploy` uses, so a user who has the binary can still run it on the same folders.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import * as engineGlue from '@prisma/schema-engine-wasm/schema_engine_bg';
import { type DatabaseKind, migrationsDir, prismaDir, schemaPath } from './schema-files.ts';

const noFilters: SchemaFilter = { externalTables: [], externalEnums: [] };

let wasmReady: Promise<void> | undefined;

/** Node's WebAssembly global; its types live in lib.dom, which a server project does not load. */
const webAssembly = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;

/**
 * The package is built for bundlers (its entry imports a `.wasm` file, which plain Node refuses), so instantiate the
 * WebAssembly module by hand and hand it to the generated glue, as the bundler would.
 */
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const glueFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = readFileSync(join(dirname(glueFile), 'schema_engine_bg.wasm'));
    const { instance } = await webAssembly.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(engineGlue) });
    engineGlue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmReady;
}

/**
 * The engine arms a 10 s timer around its work and never clears it (the glue has no clearTimeout), which would keep
 * `npm run db:migrate` and every start alive for 10 s after the work is done. Its timers are unref'd: they still
 * fire while the process has other work, and no longer hold the process open on their own.
 */
function withUnrefTimers(glue: Record<string, unknown>): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (name.startsWith('__wbg_setTimeout_') && typeof value === 'function') {
      imports[name] = (...args: unknown[]) => {
        const timer = value(...args) as { unref?: () => void } | undefined;
        timer?.unref?.();
        return timer;
      };
    }
  }
  return imports;
}

/** The driver adapter for `kind`; PostgreSQL's library is loaded only when used (a bot on SQLite never loads it). */
export async function adapterFactoryFor(
  kind: DatabaseKind,
  url: string,
): Promise<SqlMigrationAwareDriverAdapterFactory> {
  if (kind === 'sqlite') return new PrismaBetterSqlite3({ url: sqliteFilePath(url) });
  const { PrismaPg } = await import('@prisma/adapter-pg');
  return new PrismaPg({ connectionString: url });
}

/** `file:./data/trilha.db` → `./data/trilha.db` (better-sqlite3 takes a path). */
export function sqliteFilePath(url: string): string {
  return url.replace(/^file:/, '').replace(/\?.*$/, '');
}

/** Runs `fn` with a schema engine bound to the database at `url`, and frees the engine afterwards. */
export async function withSchemaEngine<T>(
  kind: DatabaseKind,
  url: string,
  fn: (engine: SchemaEngine) => Promise<T>,
  root = prismaDir,
): Promise<T> {
  await loadWasm();
  const schema = readFileSync(schemaPath(kind, root), 'utf8');
  const connections = new ConnectionTracker(await adapterFactoryFor(kind, url));
  const bound = bindMigrationAwareSqlAdapterFactory(connections);
  const engine = (await engineGlue.SchemaEngine.new(
    { datamodels: [[schemaPath(kind, root), schema]] },
    () => {},
    bound,
  )) as SchemaEngine;
  try {
    return await fn(engine);
  } catch (error) {
    // The adapter's own errors reach the engine as "External error id#N"; their text is in the registry.
    const registry = bound.errorRegistry as unknown as { registeredErrors: { error: unknown }[] };
    const driverErrors = registry.registeredErrors.map((entry) => describeEngineError(entry.error)).join('; ');
    throw new Error(
      `schema engine (${kind}): ${describeEngineError(error)}${driverErrors ? ` (driver: ${driverErrors})` : ''}`,
      { cause: error },
    );
  } finally {
    engine.free();
    // The engine does not close the connections it opened; an open SQLite handle would keep its lock.
    await connections.disposeAll();
  }
}

/** A driver adapter factory that remembers the connections the engine opens, so they can be closed after it. */
class ConnectionTracker implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider;
  readonly adapterName;
  readonly #opened: { dispose(): Promise<void> }[] = [];

  constructor(private readonly inner: SqlMigrationAwareDriverAdapterFactory) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  async connect() {
    const adapter = readCharAsText(await this.inner.connect());
    this.#opened.push(adapter);
    return adapter;
  }

  async connectToShadowDb() {
    const adapter = readCharAsText(await this.inner.connectToShadowDb());
    this.#opened.push(adapter);
    return adapter;
  }

  async disposeAll(): Promise<void> {
    const opened = this.#opened.splice(0);
    await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
  }
}

const pgCharOid = 18;
const pgTextOid = 25;

/**
 * The engine's PostgreSQL introspection reads catalog columns of the one-byte type `"char"` (`pg_constraint.contype`,
 * `pg_attribute.attidentity`, …), which @prisma/adapter-pg 7.10 has no column type for: it fails the whole query
 * with "Column type 'char' could not be deserialized". node-postgres already returns those values as strings, so
 * the schema engine's connections report them as text. Only the migration tooling uses this; the app's own client
 * never reads catalog tables. Other adapters have no `performIO` and pass through unchanged.
 */
function readCharAsText<T extends object>(queryable: T): T {
  const target = queryable as T & {
    performIO?: (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }>;
    startTransaction?: (...args: unknown[]) => Promise<object>;
  };
  const performIO = target.performIO?.bind(target);
  if (!performIO) return queryable;
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result?.fields ?? []) if (field.dataTypeID === pgCharOid) field.dataTypeID = pgTextOid;
    return result;
  };
  const startTransaction = target.startTransaction?.bind(target);
  if (startTransaction) {
    target.startTransaction = async (...args) => readCharAsText(await startTransaction(...args));
  }
  return queryable;
}

function describeEngineError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    if (typeof record.message === 'string') return record.message;
    return JSON.stringify(error);
  }
  return String(error);
}

/** The committed migrations of one database, as the engine wants them. */
export function readMigrationList(kind: DatabaseKind, dir = migrationsDir(kind)): MigrationList {
  const lockPath = join(dir, 'migration_lock.toml');
  const directories = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir: dir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: directories.map((name) => {
      const file = join(dir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok', value: readFileSync(file, 'utf8') }
            : { tag: 'error', value: `${file} is missing` },
        },
      };
    }),
  } as MigrationList;
}

/** Applies the pending committed migrations; returns the names it applied (empty when up to date). */
export async function applyMigrations(kind: DatabaseKind, url: string, root = prismaDir): Promise<string[]> {
  const migrationsList = readMigrationList(kind, migrationsDir(kind, root));
  return withSchemaEngine(
    kind,
    url,
    async (engine) => {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
      return appliedMigrationNames;
    },
    root,
  );
}

/** The SQL script that would take the live database at `url` to the current schema file (see `hasStatements`). */
export async function diffDatabaseToSchema(kind: DatabaseKind, url: string, root = prismaDir): Promise<string> {
  const files = [{ path: schemaPath(kind, root), content: readFileSync(schemaPath(kind, root), 'utf8') }];
  return withSchemaEngine(
    kind,
    url,
    async (engine) => {
      const result = await engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: root },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: null,
        filters: noFilters,
      });
      return result.stdout ?? '';
    },
    root,
  );
}

/** Whether a diff script has SQL in it (the engine prints a comment for an empty diff). */
export function hasStatements(sql: string): boolean {
  return statementsOf(sql) !== '';
}

/** The script without comments and blank lines. */
export function statementsOf(sql: string): string {
  const statements = sql
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('--'))
    .join('\n');
  return statements.trim();
}
