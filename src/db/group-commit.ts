/**
 * Group commit for writes that arrive in bursts: while one batch's transaction runs, the items that arrive wait and
 * go together in the next one, at most `maxBatch` at a time. One item alone costs what it did before; a burst of a
 * thousand costs a few transactions instead of a thousand. `workers` transactions run at once (1 on SQLite, whose
 * single connection serialises them anyway; a few on PostgreSQL, where the pool can run them side by side).
 *
 * On SQLite a transaction holds the event loop from its first statement to its commit (better-sqlite3 is synchronous),
 * and so do the continuations of every item it settles: a batch of 500 answers held it for 100 ms or more, with the
 * next clicks waiting unacknowledged. So, when a batch held the loop (a probe `setImmediate` did not get to run while
 * it was written), the next batch is cut to about `heldMs` (25 ms, at least `minBatch` items) at the pace of the last
 * one; and the items of a large batch are settled a few milliseconds' worth at a time, each slice in a turn of the
 * loop of its own (src/ops/loop-slices.ts). A batch that let the loop run (PostgreSQL: the network in between) keeps
 * `maxBatch`. docs/first-contact.md has the figures.
 *
 * Used by the answer path (src/db/answer-batch.ts) and by first contact (src/db/members.repo.ts: the members a
 * burst of new accounts brings). Written here rather than taken from a library: the batch must be one transaction
 * whose failure falls back item by item, which DataLoader-style batchers (built for reads) do not model.
 */
import { nextSlice } from '../ops/loop-slices.ts';

export interface GroupCommitOptions<In, Out> {
  /** Writes a batch in one transaction; the outputs in the order of the inputs. */
  readonly write: (inputs: readonly In[]) => Promise<Out[]>;
  /** When `write` fails, each item of the batch runs alone through this, so one bad item fails only itself. */
  readonly fallback: (input: In) => Promise<Out>;
  readonly workers: number;
  readonly maxBatch: number;
}

/** A batch that holds the event loop is cut to about this long (see above). */
const heldMs = 25;
/** Never fewer items than this in a batch, however slow the last one was (a loaded machine makes every batch slow). */
const minBatch = 64;
/** A batch this small settles its items at once: their continuations are short enough together. */
const settleAtOnce = 32;

export class GroupCommit<In, Out> {
  readonly #queue: { input: In; resolve: (output: Out) => void; reject: (error: unknown) => void }[] = [];
  readonly #options: GroupCommitOptions<In, Out>;
  #running = 0;
  #idle: (() => void)[] = [];
  /** Batches whose items are still being handed their outputs (`settle`). */
  #settling = 0;
  /** How many items the next batch takes: `maxBatch`, or fewer after a batch that held the loop. */
  #batchSize: number;

  constructor(options: GroupCommitOptions<In, Out>) {
    this.#options = options;
    this.#batchSize = options.maxBatch;
  }

  submit(input: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      if (this.#running < this.#options.workers) {
        this.#running++;
        void this.#work();
      }
    });
  }

  /** Resolves once every item submitted so far is written (or failed) and handed its output. */
  drained(): Promise<void> {
    if (this.#running === 0 && this.#settling === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #work(): Promise<void> {
    // Yield once so the items of one burst that arrive in the same turn of the event loop share the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#batchSize);
      try {
        let ranMeanwhile = false;
        const probe = setImmediate(() => {
          ranMeanwhile = true;
        });
        const started = performance.now();
        const outputs = await this.#options.write(batch.map((item) => item.input));
        const took = performance.now() - started;
        clearImmediate(probe);
        const { maxBatch } = this.#options;
        this.#batchSize = ranMeanwhile
          ? maxBatch
          : Math.min(maxBatch, Math.max(minBatch, Math.floor((heldMs * batch.length) / Math.max(took, 0.1))));
        // Not awaited: the next batch is written while this one's continuations take their turns.
        this.#settling++;
        void settle(batch, outputs).then(() => {
          this.#settling--;
          this.#wakeIdle();
        });
      } catch {
        for (const item of batch) {
          await this.#options.fallback(item.input).then(item.resolve, item.reject);
        }
      }
    }
    this.#running--;
    this.#wakeIdle();
  }

  #wakeIdle(): void {
    if (this.#running === 0 && this.#settling === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }
}

/**
 * Settles each item with its output: a small batch at once, a large one item by item, each in a share of a turn of
 * its own (src/ops/loop-slices.ts).
 */
async function settle<Out>(
  batch: readonly { resolve: (output: Out) => void }[],
  outputs: readonly Out[],
): Promise<void> {
  for (const [i, item] of batch.entries()) {
    if (batch.length > settleAtOnce) await nextSlice();
    item.resolve(outputs[i] as Out);
  }
}
