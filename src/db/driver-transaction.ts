/**
 * A transaction run on Prisma's driver adapter directly (`driverAdapter` in src/db/prisma-client.ts), for the answer
 * path's batch (src/db/answer-batch.ts): the same connection, the same SQLite write mutex and PostgreSQL pool, the
 * same argument mapping as Prisma's own statements, but not Prisma's query engine. A batch of 500 answers
 * binds some 30,000 arguments; through `$executeRaw` each one is serialised to JSON, parsed back and typed again
 * before the adapter sees it, which cost several times what the database spends on the statement (a 500-row insert:
 * about 16 ms through `$executeRaw`, 3 ms on the driver; CPU profile in BENCHMARKS.md). Statements are still
 * written as `Prisma.sql` templates (so the board-standings helpers serve both paths) and run with `?` (SQLite) or
 * `$n` (PostgreSQL) placeholders. Rows come back as plain objects of what the driver returns: dates as ISO strings,
 * SQLite's booleans as 0/1, PostgreSQL's counts as strings; `date`, `bool` and `int` read them on both.
 *
 * On PostgreSQL every statement is a round trip to a server that shares the machine's cores, answered on an event
 * loop busy with other requests, so a batch's time is mostly its statement count: the batch's multi-row writes bind
 * one array per column (`executeValues`: `unnest`, the same text for any row count), list conditions one array
 * (`oneOf`: `= ANY`), writes that do not read one another go as one statement (`writeAll`), and JIT compiling is off
 * for the transaction (its cost estimates pass `jit_above_cost` and compiling took longer than running). The look-ups
 * every click makes outside a batch (member, channel, posted question) use `driverQuery`, for the same reason as
 * the batch: the query engine's work per query cost more than the query.
 *
 * On SQLite the statements run on the adapter's better-sqlite3 handle itself (src/db/sqlite-statements.ts: kept
 * prepared, not logged), so their texts are kept few: multi-row writes in chunks of fixed sizes, list conditions one
 * JSON argument (`oneOf`: `IN (SELECT "value" FROM json_each(?))`).
 *
 * The transaction is begun by the adapter (BEGIN), ended here by COMMIT or ROLLBACK, then released (the SQLite mutex,
 * the pooled connection), as Prisma's transaction manager does it. A driver error is rethrown with Prisma's code for a
 * unique-index violation (P2002) so callers tell a lost race from a failure as they do for Prisma's errors.
 */
import type { ArgType, SqlQuery, SqlResultSet, Transaction } from '@prisma/driver-adapter-utils';
import { Prisma } from './generated/sqlite/client.ts';
import type { Db } from './prisma-client.ts';
import { driverAdapter, sqliteStatements } from './prisma-client.ts';
import { chunks, type SqliteStatements } from './sqlite-statements.ts';

export type Row = Record<string, unknown>;

/** The statements of one driver transaction. `$executeRaw`/`$queryRaw` take templates, as Prisma's do. */
export interface DriverTx {
  execute(statement: Prisma.Sql): Promise<number>;
  query<T = Row>(statement: Prisma.Sql): Promise<T[]>;
  $executeRaw(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number>;
  $queryRaw<T = Row>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T[]>;
  /**
   * A batch's multi-row write: `head` (`INSERT INTO "T" ("a", "b")`), the rows (`args`, row after row, one value per
   * column of `types`), then `tail` (an `ON CONFLICT …` or `RETURNING …` clause without arguments). SQLite gets
   * `VALUES (?, ?), (?, ?)…`, built without a `Prisma.sql` object per row. PostgreSQL gets one array per column,
   * `SELECT * FROM unnest($1::text[], $2::integer[])`: the same text whatever the row count, a dozen arguments to bind
   * instead of thousands (each a field of the protocol's Bind message), and no statement of thousands of placeholders
   * to parse. `types` are PostgreSQL's element types (`text`, `integer`, `boolean`, `timestamp(3)`, an enum's name).
   */
  executeValues(head: string, types: readonly string[], args: readonly unknown[], tail?: string): Promise<number>;
  /**
   * Several `executeValues` writes that do not depend on one another (none reads what another writes). PostgreSQL
   * runs them as one statement, each write a data-modifying `WITH` part (all run to completion, with one snapshot):
   * one round trip instead of one each, on a server that shares the machine's cores and a client whose event loop
   * is busy between replies. SQLite runs them one after the other (no round trip to save).
   */
  writeAll(writes: readonly ValuesWrite[]): Promise<void>;
  /** `executeValues` for a statement that returns rows (`RETURNING`). */
  queryValues<T = Row>(head: string, types: readonly string[], args: readonly unknown[], tail?: string): Promise<T[]>;
  /**
   * `IN (?, ?…)` on SQLite; `= ANY($1::text[])` on PostgreSQL (one argument, and the same text for any count): the
   * condition that a text column is one of `values`.
   */
  oneOf(values: readonly string[]): Prisma.Sql;
  /**
   * The same transaction typed as a Prisma client's raw methods, for helpers written against those
   * (src/db/board-standings.ts's `Writer`): they call them as templates and await plain promises, as here.
   */
  readonly asClient: Pick<Db, '$executeRaw' | '$queryRaw'>;
}

/** One multi-row write of `DriverTx.executeValues`: its head, column types, rows (flat) and tail. */
export interface ValuesWrite {
  readonly head: string;
  readonly types: readonly string[];
  readonly args: readonly unknown[];
  readonly tail?: string;
}

/** Runs `body` in one transaction on `db`'s driver adapter; commits when it resolves, rolls back when it throws. */
export async function inDriverTransaction<T>(db: Db, body: (tx: DriverTx) => Promise<T>): Promise<T> {
  const adapter = await driverAdapter(db);
  const sqlite = await sqliteStatements(db);
  const transaction = await adapter.startTransaction().catch(rethrow);
  const statements = sqlite ? sqliteQueries(sqlite) : adapterQueries(transaction);
  const tx = driverTx(statements, sqlite);
  let result: T;
  try {
    // PostgreSQL compiles a statement to machine code (JIT) when the planner's cost estimate passes jit_above_cost,
    // as the answer batch's all-time sync does (its per-row subqueries): some 50 ms of compiling for a statement that
    // runs in a few. Off for this transaction only.
    if (!sqlite) await statements.execute(statement('SET LOCAL jit = off'));
    result = await body(tx);
    await statements.execute(statement('COMMIT'));
  } catch (error) {
    try {
      await statements.execute(statement('ROLLBACK'));
    } catch {
      // The connection is gone or the transaction already ended: nothing left to undo.
    } finally {
      await transaction.rollback();
    }
    throw error;
  }
  await transaction.commit();
  return result;
}

/** How a transaction's statements run: through the adapter (PostgreSQL), or on better-sqlite3 directly (SQLite). */
interface Queries {
  execute(query: SqlQuery): Promise<number>;
  query<T>(query: SqlQuery): Promise<T[]>;
}

function adapterQueries(on: Pick<Transaction, 'executeRaw' | 'queryRaw'>): Queries {
  return {
    execute: (query) => on.executeRaw(query).catch(rethrow),
    query: async <T>(query: SqlQuery) => rowsOf<T>(await on.queryRaw(query).catch(rethrow)),
  };
}

/** Synchronous underneath (better-sqlite3); a failure is a rejected promise, as through the adapter. */
function sqliteQueries(sqlite: SqliteStatements): Queries {
  return {
    execute: (query) => sqliteCall(() => sqlite.run(query.sql, query.args)),
    query: <T>(query: SqlQuery) => sqliteCall(() => sqlite.all(query.sql, query.args) as T[]),
  };
}

async function sqliteCall<T>(call: () => T): Promise<T> {
  try {
    return call();
  } catch (error) {
    rethrow(error);
  }
}

/**
 * SQLite's text of a multi-row write of `rows` rows (`VALUES (?, ?), (?, ?)…`), made once per head, tail and size: the
 * heads and tails are the code's own constants and the sizes `chunkSizes`, so this stays small.
 */
const valuesTexts = new Map<string, Map<string, Map<number, string>>>();
function valuesText(head: string, width: number, rows: number, tail: string): string {
  let byTail = valuesTexts.get(head);
  if (!byTail) {
    byTail = new Map();
    valuesTexts.set(head, byTail);
  }
  let bySize = byTail.get(tail);
  if (!bySize) {
    bySize = new Map();
    byTail.set(tail, bySize);
  }
  let text = bySize.get(rows);
  if (text === undefined) {
    const row = `(${Array<string>(width).fill('?').join(', ')})`;
    text = `${head} VALUES ${Array<string>(rows).fill(row).join(', ')} ${tail}`;
    bySize.set(rows, text);
  }
  return text;
}

function driverTx(queries: Queries, sqlite: SqliteStatements | null): DriverTx {
  const numbered = !sqlite;
  const sqlOf = (strings: TemplateStringsArray | Prisma.Sql, values: unknown[]) =>
    strings instanceof Prisma.Sql ? strings : Prisma.sql(strings, ...values);
  const execute = (sql: Prisma.Sql) => queries.execute(toQuery(sql, numbered));
  const query = <T>(sql: Prisma.Sql): Promise<T[]> => queries.query<T>(toQuery(sql, numbered));
  /** PostgreSQL's multi-row write: one array per column, `offset` arguments after the statement's first. */
  const unnestQuery = (
    head: string,
    types: readonly string[],
    args: readonly unknown[],
    tail = '',
    offset = 0,
  ): SqlQuery => {
    const width = types.length;
    const columns = types.map(() => [] as unknown[]);
    for (let i = 0; i < args.length; i++) (columns[i % width] as unknown[]).push(args[i]);
    let list = '';
    for (let column = 0; column < width; column++)
      list += `${column === 0 ? '' : ', '}$${offset + column + 1}::${types[column]}[]`;
    return {
      sql: `${head} SELECT * FROM unnest(${list}) ${tail}`,
      args: columns,
      argTypes: types.map((type) => (type.startsWith('timestamp') ? listTypes.datetime : listTypes.unknown)),
    };
  };
  /**
   * SQLite: the rows in chunks of fixed sizes (src/db/sqlite-statements.ts), so any row count runs a few prepared
   * statements; the chunks run in row order, so a later row still meets an earlier one's write as in one statement.
   */
  const sqliteValues = <R>(
    head: string,
    width: number,
    args: readonly unknown[],
    tail: string,
    run: (sql: string, from: number, to: number) => R,
  ): Promise<R[]> =>
    sqliteCall(() => {
      const results: R[] = [];
      for (const [first, count] of chunks(args.length / width)) {
        results.push(run(valuesText(head, width, count, tail), first * width, (first + count) * width));
      }
      return results;
    });
  const executeValues = async (head: string, types: readonly string[], args: readonly unknown[], tail = '') => {
    if (!sqlite) return queries.execute(unnestQuery(head, types, args, tail));
    const changes = await sqliteValues(head, types.length, args, tail, (sql, from, to) =>
      sqlite.run(sql, args, from, to),
    );
    return changes.reduce((sum, changed) => sum + changed, 0);
  };
  const writeAll = async (writes: readonly ValuesWrite[]): Promise<void> => {
    if (!numbered || writes.length === 1) {
      for (const w of writes) await executeValues(w.head, w.types, w.args, w.tail);
      return;
    }
    if (writes.length === 0) return;
    const parts: string[] = [];
    const args: unknown[] = [];
    const argTypes: ArgType[] = [];
    writes.forEach((w, i) => {
      const query = unnestQuery(w.head, w.types, w.args, w.tail, args.length);
      parts.push(`w${i} AS (${query.sql})`);
      args.push(...query.args);
      argTypes.push(...query.argTypes);
    });
    await queries.execute({ sql: `WITH ${parts.join(', ')} SELECT 1`, args, argTypes });
  };
  const queryValues = async <T>(head: string, types: readonly string[], args: readonly unknown[], tail = '') => {
    if (!sqlite) return queries.query<T>(unnestQuery(head, types, args, tail));
    const rows = await sqliteValues(head, types.length, args, tail, (sql, from, to) => sqlite.all(sql, args, from, to));
    return rows.flat() as T[];
  };
  const oneOf = (values: readonly string[]) =>
    numbered
      ? Prisma.sql`= ANY(${[...values]}::text[])`
      : Prisma.sql`IN (SELECT "value" FROM json_each(${JSON.stringify(values)}))`;
  const tx: Omit<DriverTx, 'asClient'> = {
    execute,
    query,
    executeValues,
    writeAll,
    queryValues,
    oneOf,
    $executeRaw: (strings, ...values) => execute(sqlOf(strings, values)),
    $queryRaw: (strings, ...values) => query(sqlOf(strings, values)),
  };
  return { ...tx, asClient: tx as unknown as DriverTx['asClient'] };
}

/**
 * One read on `db`'s driver adapter outside any transaction (Prisma's own reads run there too): for the look-ups every
 * click makes, where the query engine's work per query costs more than the database's.
 */
export async function driverQuery<T = Row>(db: Db, sql: Prisma.Sql): Promise<T[]> {
  const sqlite = await sqliteStatements(db);
  if (sqlite) return sqliteQueries(sqlite).query<T>(toQuery(sql, false));
  return adapterQueries(await driverAdapter(db)).query<T>(toQuery(sql, true));
}

function toQuery(sql: Prisma.Sql, numbered: boolean): SqlQuery {
  // Argument types are what PostgreSQL's adapter reads; SQLite's statements run without the adapter.
  return numbered
    ? { sql: sql.text, args: sql.values, argTypes: sql.values.map(argType) }
    : { sql: sql.sql, args: sql.values, argTypes: [] };
}

/** The driver's rows (arrays of values) as objects keyed by column name. */
function rowsOf<T>(result: SqlResultSet): T[] {
  const { columnNames, rows } = result;
  return rows.map((values) => {
    const row: Row = {};
    for (let i = 0; i < columnNames.length; i++) row[columnNames[i] as string] = values[i];
    return row as T;
  });
}

const scalar = (scalarType: ArgType['scalarType']): ArgType => ({ scalarType, arity: 'scalar' });
const argTypes = {
  datetime: scalar('datetime'),
  int: scalar('int'),
  float: scalar('float'),
  boolean: scalar('boolean'),
  string: scalar('string'),
  unknown: scalar('unknown'),
};

const listTypes = {
  datetime: { scalarType: 'datetime', arity: 'list' } as ArgType,
  unknown: { scalarType: 'unknown', arity: 'list' } as ArgType,
};

/** What the adapters read of an argument's type: a Date is written as the column's timestamp; the rest as they are. */
function argType(value: unknown): ArgType {
  if (value instanceof Date) return argTypes.datetime;
  if (Array.isArray(value)) return listTypes.unknown;
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? argTypes.int : argTypes.float;
    case 'boolean':
      return argTypes.boolean;
    case 'string':
      return argTypes.string;
    default:
      return argTypes.unknown;
  }
}

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

/** The SQL of a fragment with no arguments (an `ON CONFLICT` clause built from `Prisma.sql` helpers). */
export function argumentFree(fragment: Prisma.Sql): string {
  if (fragment.values.length > 0) throw new Error('argumentFree: the fragment has arguments');
  return fragment.sql;
}

/** A driver error with the code Prisma would give a unique-index violation, for `isUniqueViolation`. */
function rethrow(error: unknown): never {
  const { cause, code } = (error ?? {}) as { cause?: { kind?: string }; code?: unknown };
  // The adapter's mapped error (PostgreSQL), or better-sqlite3's own (SQLite, run directly).
  if (
    cause?.kind === 'UniqueConstraintViolation' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  ) {
    throw Object.assign(new Error('Unique constraint failed', { cause: error }), { code: 'P2002' });
  }
  throw error;
}

/** A timestamp as either driver returns it (an ISO string; a Date through Prisma), or null. */
export function date(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}

/** A boolean as either driver returns it (PostgreSQL's boolean; SQLite's 0/1). */
export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 1n;
}

/** A whole number as either driver returns it (a number; PostgreSQL's bigint counts as a string). */
export function int(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
