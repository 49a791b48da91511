/**
 * Look-ups that every request makes (who is this member, which channel, which posted question), batched with
 * DataLoader: the look-ups started in the same turn of the event loop share one `findMany`, so a burst of a thousand
 * clicks costs a few queries instead of thousands. Prisma batches concurrent `findUnique` calls itself, but without
 * a bound on the batch (prisma/orm#23957: a large enough burst fails with P2029), so the repositories use `findFirst`
 * for single look-ups and this for the hot ones.
 *
 * No cache (`cache: false`): each look-up reads the database, only batched, so nothing here can go stale.
 */
import DataLoader from 'dataloader';
import { withRetry } from './retry.ts';

/** Keys per query: far below both databases' bound-parameter limits, and one short statement. */
export const maxLookupBatch = 500;

/**
 * A batched look-up by a string key. `fetch` gets the distinct keys and returns the rows it found; `keyOf` gives a row's
 * key. A key with no row resolves to null.
 */
export function batchedLookup<Row>(
  name: string,
  fetch: (keys: readonly string[]) => Promise<Row[]>,
  keyOf: (row: Row) => string,
): (key: string) => Promise<Row | null> {
  const loader = new DataLoader<string, Row | null>(
    async (keys) => {
      const rows = await withRetry(name, () => fetch([...new Set(keys)]));
      const byKey = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { cache: false, maxBatchSize: maxLookupBatch },
  );
  return (key) => loader.load(key);
}

/** A key of several parts (no part contains a NUL). */
export function compositeKey(...parts: string[]): string {
  return parts.join('\u0000');
}

/** The parts of a composite key, grouped by the first part: `{ first → [second…] }` for one `IN` per group. */
export function groupKeys(keys: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    const [first = '', second = ''] = key.split('\u0000');
    const group = groups.get(first) ?? [];
    group.push(second);
    groups.set(first, group);
  }
  return groups;
}
