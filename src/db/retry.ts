/**
 * Retrying what the database could not do right now. SQLite answers "database is locked" when another process holds
 * the write lock past the busy timeout; PostgreSQL aborts a transaction on a serialization failure or a deadlock, and
 * a server restart or a network blip drops connections (an administrator's shutdown, 57P01, comes wrapped as Prisma's
 * P2039 "Database error" when it hits inside a transaction: the code is read from the wrapped driver error). Those are
 * retried with exponential backoff (p-retry). A database that cannot take writes at all (SQLite's disk full or
 * read-only file, PostgreSQL's disk full or read-only transaction) is not retried: it will not heal in a second.
 * Both end as `StoreUnavailableError`, which the runtime answers with "database unavailable, nothing was recorded,
 * try again". Anything else (a unique-constraint violation, a bad query) is an answer, not a hiccup, and is thrown
 * unchanged. Every operation passed here must be safe to run again (a transaction that rolled back, or an idempotent
 * write).
 */
import pRetry, { AbortError } from 'p-retry';
import { StoreUnavailableError, type StoreUnavailableReason } from '../core/ports/store-errors.ts';

export interface RetryOptions {
  /** Tries after the first one. */
  readonly retries?: number;
  readonly minTimeoutMs?: number;
  readonly maxTimeoutMs?: number;
}

export const defaultRetry: Required<RetryOptions> = { retries: 5, minTimeoutMs: 25, maxTimeoutMs: 1_000 };

const transientCodes = new Set([
  // Prisma: cannot reach, timed out, server closed the connection, pool timeout, write conflict or deadlock.
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  'P2034',
  // PostgreSQL: serialization failure, deadlock, admin shutdown, crash shutdown, cannot connect now.
  '40001',
  '40P01',
  '57P01',
  '57P02',
  '57P03',
  // SQLite: busy, locked (better-sqlite3 codes).
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
  // Node sockets.
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * The database is there but takes no writes: SQLite's disk full, read-only file or I/O error, PostgreSQL's disk full
 * (53100), out of memory or connections (53xxx) and read-only transaction (25006). Not retried; still "unavailable".
 */
const unwritableCode = /^(SQLITE_FULL|SQLITE_READONLY\w*|SQLITE_IOERR\w*|SQLITE_CANTOPEN\w*|53\d{3}|25006)$/;
const unwritableMessage =
  /database or disk is full|attempt to write a readonly database|disk I\/O error|unable to open database file|could not extend file|No space left on device|read-only transaction/i;

const transientMessage =
  /database is locked|database table is locked|Connection terminated|Connection refused|server closed the connection|could not serialize access|deadlock detected|Timed out fetching a new connection|the database system is (starting up|shutting down)|SocketTimeout|ConnectionClosed/i;

/**
 * Every error object in `error`'s chain: its `cause`s, and the driver error Prisma keeps in `meta.driverAdapterError`
 * (P2039 and friends), with that one's `cause` (where adapters put `originalCode`).
 */
function* chain(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const record = current as Record<string, unknown>;
    yield record;
    queue.push(record.cause, (record.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
  }
}

/** The error's codes: `code`, the driver's `originalCode`, and a ``Code: `57P01` `` Prisma put in a message. */
function codesOf(record: Record<string, unknown>): string[] {
  const codes: string[] = [];
  for (const value of [record.code, record.originalCode]) if (typeof value === 'string') codes.push(value);
  if (typeof record.message === 'string') {
    const quoted = /Code: `([0-9A-Z_]+)`/.exec(record.message);
    if (quoted?.[1]) codes.push(quoted[1]);
  }
  return codes;
}

/** Whether `error` (or something in its cause chain) is a hiccup worth retrying. */
export function isTransient(error: unknown): boolean {
  for (const record of chain(error)) {
    if (codesOf(record).some((code) => transientCodes.has(code) || /^08\d{3}$/.test(code))) return true;
    if (
      typeof record.kind === 'string' &&
      /^(SocketTimeout|ConnectionClosed|TransactionWriteConflict|DatabaseNotReachable)$/.test(record.kind)
    ) {
      return true;
    }
    if (typeof record.message === 'string' && transientMessage.test(record.message)) return true;
  }
  return false;
}

/** Whether the database is there but takes no writes (disk full, read-only): not retried, still "unavailable". */
export function isUnwritable(error: unknown): boolean {
  for (const record of chain(error)) {
    if (codesOf(record).some((code) => unwritableCode.test(code))) return true;
    if (typeof record.message === 'string' && unwritableMessage.test(record.message)) return true;
  }
  return false;
}

/** Why the database is unavailable, for the people who can fix it (the drop's notice to a channel's admins). */
export function unavailableReason(error: unknown): StoreUnavailableReason {
  for (const record of chain(error)) {
    const said = [...codesOf(record), typeof record.message === 'string' ? record.message : ''].join(' ');
    if (/SQLITE_FULL|\b53100\b|disk is full|No space left|could not extend file/i.test(said)) return 'full';
    if (/SQLITE_READONLY|\b25006\b|readonly database|read-only/i.test(said)) return 'readonly';
  }
  return 'unreachable';
}

/** Whether the runtime should answer "database unavailable, nothing was recorded, try again" for `error`. */
export function isUnavailable(error: unknown): boolean {
  return isTransient(error) || isUnwritable(error);
}

/**
 * Runs `operation`, retrying transient failures; after the last try throws `StoreUnavailableError` naming
 * `label`. Any other error is thrown at once, unchanged.
 */
export async function withRetry<T>(label: string, operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { retries, minTimeoutMs, maxTimeoutMs } = { ...defaultRetry, ...options };
  try {
    return await pRetry(
      async () => {
        try {
          return await operation();
        } catch (error) {
          if (isTransient(error)) throw error;
          throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        }
      },
      { retries, minTimeout: minTimeoutMs, maxTimeout: maxTimeoutMs, randomize: true },
    );
  } catch (error) {
    if (isUnavailable(error)) throw new StoreUnavailableError(label, error, unavailableReason(error));
    throw error;
  }
}

/** Whether Prisma reports a unique-index violation (P2002), directly or in the error's cause chain. */
export function isUniqueViolation(error: unknown): boolean {
  for (const record of chain(error)) {
    if (record.code === 'P2002' || record.code === '23505' || record.code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
  }
  return false;
}
