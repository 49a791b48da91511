/**
 * The answer path's statements on SQLite, run with better-sqlite3 directly on the connection Prisma's adapter holds
 * (src/db/driver-transaction.ts): the same file, the same single connection and write mutex (a batch still begins
 * through the adapter), but none of the adapter's work per statement, which cost more than SQLite's own on the
 * answer path (CPU profile in BENCHMARKS.md):
 * - The adapter prepares every statement anew (`prepare(sql)` on each query, no cache). Here each text is prepared
 *   once and kept (`maxStatements`, least recently used first out): SQLite compiles a statement's text to a program
 *   in about the time it takes to run a small one. Callers keep the texts few: a multi-row write goes in chunks of
 *   fixed sizes (`chunkSizes`), a list condition is one JSON argument (`json_each`), so a batch of any size runs
 *   the same few programs.
 * - The adapter logs every query to Prisma's debug history (the last 100 calls with their arguments, kept even when
 *   logging is off): a batch's thousands of arguments then outlive it and are promoted to the old generation,
 *   which the garbage collector pays for later.
 * - Rows come back as objects, numbers as numbers (not the adapter's arrays of BigInts, mapped again per value).
 *
 * Arguments are written as the adapter writes them, so rows read the same by either path: a Date as ISO 8601 with an
 * offset (`2026-12-08T02:00:00.000+00:00`, Prisma's text form of a DateTime on SQLite), a boolean as 1 or 0.
 * Errors are better-sqlite3's own (`SqliteError`, with SQLite's code: `SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY`…),
 * which src/db/retry.ts and driver-transaction.ts read.
 */
import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[], SqliteRow>;

export type SqliteRow = Record<string, unknown>;

/**
 * Prepared statements kept at most, the least recently used dropped first (a Map iterates in insertion order, which
 * is all an LRU needs here: no library for ten lines). The answer path uses a few dozen texts (each multi-row write
 * in every chunk size); the rest are look-ups whose lists vary, which take their turns in the rest of the room.
 */
export const maxStatements = 256;

/**
 * The row counts a multi-row write is cut into, largest first: 300 rows go as 256 + 32 + 8 + 4, each chunk
 * size one prepared statement per write (`chunks`). A prepared statement of 256 rows of 15 columns holds about
 * 370 KiB (measured with better-sqlite3 12.11: process RSS over 20 of them); the answer path's writes, every size
 * kept, about 3 MB once answers have flowed.
 */
export const chunkSizes = [256, 128, 64, 32, 16, 8, 4, 2, 1] as const;

export class SqliteStatements {
  readonly #db: Database.Database;
  readonly #prepared = new Map<string, Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** How many prepared statements are kept. */
  get size(): number {
    return this.#prepared.size;
  }

  /**
   * Runs a statement that returns rows (its arguments: `args` from `from` to `to`); one that returns none gives `[]`.
   */
  all(sql: string, args: readonly unknown[], from = 0, to = args.length): SqliteRow[] {
    const statement = this.#statement(sql);
    const values = sqliteValues(args, from, to);
    if (statement.reader) return statement.all(values);
    statement.run(values);
    return [];
  }

  /** Runs a statement for its changes (its arguments: `args` from `from` to `to`); returns how many rows it changed. */
  run(sql: string, args: readonly unknown[], from = 0, to = args.length): number {
    return this.#statement(sql).run(sqliteValues(args, from, to)).changes;
  }

  #statement(sql: string): Statement {
    const kept = this.#prepared.get(sql);
    if (kept) {
      // Most recently used goes last: a Map iterates in insertion order, so the first key is the one to drop.
      this.#prepared.delete(sql);
      this.#prepared.set(sql, kept);
      return kept;
    }
    const statement = this.#db.prepare<unknown[], SqliteRow>(sql);
    // The adapter's connection returns every integer as a BigInt (its `defaultSafeIntegers`); these return numbers,
    // as the adapter's rows do once mapped (no count or flag here comes near 2^53).
    if (statement.reader) statement.safeIntegers(false);
    this.#prepared.set(sql, statement);
    if (this.#prepared.size > maxStatements) {
      const oldest = this.#prepared.keys().next().value;
      if (oldest !== undefined) this.#prepared.delete(oldest);
    }
    return statement;
  }
}

/** Values as Prisma's SQLite adapter binds them: dates as ISO 8601 text with an offset, booleans as 1 or 0. */
function sqliteValues(args: readonly unknown[], from: number, to: number): unknown[] {
  const values = new Array<unknown>(to - from);
  for (let i = from; i < to; i++) {
    const value = args[i];
    values[i - from] =
      value instanceof Date
        ? value.toISOString().replace('Z', '+00:00')
        : typeof value === 'boolean'
          ? Number(value)
          : value;
  }
  return values;
}

/** `rows` cut into `chunkSizes`, largest first, as [first row, row count] pairs. */
export function* chunks(rows: number): Generator<readonly [number, number]> {
  let at = 0;
  for (const size of chunkSizes) {
    while (rows - at >= size) {
      yield [at, size];
      at += size;
    }
  }
}
