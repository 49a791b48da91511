/**
 * A transaction run on Prisma's driver adapter directly (`driverAdapter` in src/db/prisma-client.ts), for the answer
 * path's batch (src/db/answer-batch.ts): the same connection, the same SQLite write mutex and PostgreSQL pool, the
 * same argument and error mapping as Prisma's own statements, but not Prisma's query engine. A batch of 500 answers
 * binds some 30,000 arguments; through `$executeRaw` each one is serialised to JSON, parsed back and typed again
 * before the adapter sees it, which cost several times what the database spends on the statement (a 500-row insert:
 * about 16 ms through `$executeRaw`, 3 ms on the driver; CPU profile in BENCHMARKS.md). Statements are still
 * written as `Prisma.sql` templates (so the board-standings helpers serve both paths) and run with `?` (SQLite) or
 * `$n` (PostgreSQL) placeholders. Rows come back as plain objects of what the driver returns: dates as ISO strings,
 * SQLite's booleans as 0/1, PostgreSQL's counts as strings; `date`, `bool` and `int` read them on both.
 *
 * The transaction is begun by the adapter (BEGIN), ended here by COMMIT or ROLLBACK, then released (the SQLite mutex,
 * the pooled connection), as Prisma's transaction manager does it. A driver error is rethrown with Prisma's code for a
 * unique-index violation (P2002) so callers tell a lost race from a failure as they do for Prisma's errors.
 */
import type { ArgType, SqlDriverAdapter, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import { Prisma } from './generated/sqlite/client.ts';
import type { Db } from './prisma-client.ts';
import { driverAdapter } from './prisma-client.ts';

export type Row = Record<string, unknown>;

/** The statements of one driver transaction. `$executeRaw`/`$queryRaw` take templates, as Prisma's do. */
export interface DriverTx {
  execute(statement: Prisma.Sql): Promise<number>;
  query<T = Row>(statement: Prisma.Sql): Promise<T[]>;
  $executeRaw(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number>;
  $queryRaw<T = Row>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T[]>;
  /**
   * `head` (up to `VALUES`), `args.length / width` rows of `width` placeholders, then `tail` (an `ON CONFLICT …`
   * clause without arguments): a batch's multi-row write, built without a `Prisma.sql` object per row.
   */
  executeValues(head: string, width: number, args: readonly unknown[], tail?: string): Promise<number>;
  /**
   * The same transaction typed as a Prisma client's raw methods, for helpers written against those
   * (src/db/board-standings.ts's `Writer`): they call them as templates and await plain promises, as here.
   */
  readonly asClient: Pick<Db, '$executeRaw' | '$queryRaw'>;
}

/** Runs `body` in one transaction on `db`'s driver adapter; commits when it resolves, rolls back when it throws. */
export async function inDriverTransaction<T>(db: Db, body: (tx: DriverTx) => Promise<T>): Promise<T> {
  const adapter = await driverAdapter(db);
  const transaction = await adapter.startTransaction().catch(rethrow);
  const tx = driverTx(adapter, transaction);
  let result: T;
  try {
    result = await body(tx);
    await transaction.executeRaw(statement('COMMIT')).catch(rethrow);
  } catch (error) {
    try {
      await transaction.executeRaw(statement('ROLLBACK'));
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

function driverTx(adapter: SqlDriverAdapter, transaction: Transaction): DriverTx {
  const numbered = adapter.provider === 'postgres';
  const toQuery = (sql: Prisma.Sql): SqlQuery => ({
    sql: numbered ? sql.text : sql.sql,
    args: sql.values,
    argTypes: sql.values.map(argType),
  });
  const sqlOf = (strings: TemplateStringsArray | Prisma.Sql, values: unknown[]) =>
    strings instanceof Prisma.Sql ? strings : Prisma.sql(strings, ...values);
  const execute = (sql: Prisma.Sql) => transaction.executeRaw(toQuery(sql)).catch(rethrow);
  const query = async <T>(sql: Prisma.Sql): Promise<T[]> => {
    const result = await transaction.queryRaw(toQuery(sql)).catch(rethrow);
    const { columnNames } = result;
    return result.rows.map((values) => {
      const row: Row = {};
      for (let i = 0; i < columnNames.length; i++) row[columnNames[i] as string] = values[i];
      return row as T;
    });
  };
  const executeValues = (head: string, width: number, args: readonly unknown[], tail = '') => {
    const rows = args.length / width;
    let values = '';
    if (numbered) {
      for (let row = 0, n = 1; row < rows; row++) {
        values += row === 0 ? '(' : ', (';
        for (let column = 0; column < width; column++, n++) values += column === 0 ? `$${n}` : `, $${n}`;
        values += ')';
      }
    } else {
      values = Array<string>(rows)
        .fill(`(${Array<string>(width).fill('?').join(', ')})`)
        .join(', ');
    }
    const query = { sql: `${head} ${values} ${tail}`, args: args as unknown[], argTypes: args.map(argType) };
    return transaction.executeRaw(query).catch(rethrow);
  };
  const tx: Omit<DriverTx, 'asClient'> = {
    execute,
    query,
    executeValues,
    $executeRaw: (strings, ...values) => execute(sqlOf(strings, values)),
    $queryRaw: (strings, ...values) => query(sqlOf(strings, values)),
  };
  return { ...tx, asClient: tx as unknown as DriverTx['asClient'] };
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

/** What the adapters read of an argument's type: a Date is written as the column's timestamp; the rest as they are. */
function argType(value: unknown): ArgType {
  if (value instanceof Date) return argTypes.datetime;
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
  const cause = (error as { cause?: { kind?: string } } | null)?.cause;
  if (cause?.kind === 'UniqueConstraintViolation') {
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
