/**
 * Retrying what the database could not do right now. SQLite answers "database is locked" when another process holds
 * the write lock past the busy timeout; PostgreSQL aborts a transaction on a serialization failure or a deadlock, and
 * a server restart or a network blip drops connections. Those are retried with exponential backoff (p-retry), and
 * only those: a unique-constraint violation or a bad query is an answer, not a hiccup. Every operation passed here
 * must be safe to run again (a transaction that rolled back, or an idempotent write).
 */
import pRetry, { AbortError } from 'p-retry';
import { StoreUnavailableError } from '../core/ports/store-errors.ts';

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

const transientMessage =
  /database is locked|database table is locked|Connection terminated|Connection refused|server closed the connection|could not serialize access|deadlock detected|Timed out fetching a new connection|the database system is (starting up|shutting down)|SocketTimeout|ConnectionClosed/i;

/** Whether `error` (or something in its cause chain) is a hiccup worth retrying. */
export function isTransient(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const record = current as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown };
    if (typeof record.code === 'string' && (transientCodes.has(record.code) || /^08\d{3}$/.test(record.code))) {
      return true;
    }
    if (
      typeof record.kind === 'string' &&
      /^(SocketTimeout|ConnectionClosed|TransactionWriteConflict)$/.test(record.kind)
    ) {
      return true;
    }
    if (typeof record.message === 'string' && transientMessage.test(record.message)) return true;
    current = record.cause;
  }
  return false;
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
    if (isTransient(error)) throw new StoreUnavailableError(label, error);
    throw error;
  }
}

/** Whether Prisma reports a unique-index violation (P2002), directly or in the error's cause chain. */
export function isUniqueViolation(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const record = current as { code?: unknown; cause?: unknown };
    if (record.code === 'P2002' || record.code === '23505' || record.code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
    current = record.cause;
  }
  return false;
}
