/**
 * Rescoring a board in the background (docs/ranking.md "Stored scores"): a drop moves its week's and the all-time
 * yardsticks, which leaves every row of those boards stale; instead of the first reader paying for the whole cohort,
 * the process that posted the drop rescores them right after, off the drop's path, in chunks of `chunkRows` rows in
 * member order (`rescoreChunk`: one short transaction each, the event loop let go between two), then vacuums the
 * table on PostgreSQL. A reader that comes meanwhile gets the right board anyway, computed over the stale rows
 * (`readBoardScoring` in src/db/ranking-sql.ts), and queues the board here again if nothing is rescoring it, so a
 * process that died mid-way, or a drop posted by another process, is caught up by the next reader.
 *
 * One board at a time per process, in the order asked; a board asked for again while queued is queued once. Two
 * processes rescoring the same board take turns chunk by chunk (the board's advisory lock in `rescoreChunk`), each
 * picking only rows still stale. A failure is dropped: the board stays right (read computed) and the next reader
 * queues it again.
 */
import { type PeriodScope, type RescoredChunk, rescoreChunk, vacuumAfter } from './board-standings.ts';
import type { Db } from './prisma-client.ts';
import { boardYardsticks } from './ranking-sql.ts';
import { withRetry } from './retry.ts';
import type { DatabaseKind } from './schema-files.ts';

/** Rows per chunk: a few milliseconds of SQLite's one writer, a short wait for an answer on PostgreSQL. */
export const chunkRows = 500;

const keyOf = (scope: PeriodScope) => `${scope.cohortId}:${scope.period === 'week' ? scope.week : 'all'}`;

export class BoardRescorer {
  readonly #queue = new Map<string, PeriodScope>();
  #current: string | null = null;
  #running: Promise<void> | null = null;

  constructor(
    readonly db: Db,
    readonly kind: DatabaseKind,
  ) {}

  /** Queues the board's rescoring (after a drop: its yardsticks moved), unless it is queued already. */
  rescore(scope: PeriodScope): void {
    const key = keyOf(scope);
    if (!this.#queue.has(key))
      this.#queue.set(key, { cohortId: scope.cohortId, period: scope.period, week: scope.week });
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
  }

  /** Queues the board's rescoring unless it is queued or being rescored (a reader that found it stale). */
  ensure(scope: PeriodScope): void {
    if (this.#current !== keyOf(scope)) this.rescore(scope);
  }

  /** Whether a board is queued or being rescored. */
  get busy(): boolean {
    return this.#running !== null;
  }

  /** Resolves when nothing is queued or running (closing the database, tests, the bench). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    for (let next = this.#queue.entries().next(); !next.done; next = this.#queue.entries().next()) {
      const [key, scope] = next.value;
      this.#queue.delete(key);
      this.#current = key;
      try {
        await this.#rescoreBoard(scope);
      } catch {
        // Left stale: read right anyway, and queued again by its next reader.
      } finally {
        this.#current = null;
      }
    }
  }

  async #rescoreBoard(scope: PeriodScope): Promise<void> {
    const period = await withRetry('boardYardsticks', () => boardYardsticks(this.db, scope));
    let after: string | null = null;
    let scored = 0;
    for (;;) {
      const from: string | null = after;
      const chunk: RescoredChunk = await withRetry('rescoreChunk', () =>
        rescoreChunk(this.db, this.kind, scope, period, { max: chunkRows, after: from, now: new Date() }),
      );
      scored += chunk.scored;
      if (chunk.last === null) break;
      after = chunk.last;
      // Answers queued meanwhile go first.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await vacuumAfter(this.db, this.kind, scored, scope);
  }
}
