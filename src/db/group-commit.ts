/**
 * Group commit for writes that arrive in bursts: while one batch's transaction runs, the items that arrive wait and
 * go together in the next one, at most `maxBatch` at a time. One item alone costs what it did before; a burst of a
 * thousand costs a few transactions instead of a thousand. `workers` transactions run at once (1 on SQLite, whose
 * single connection serialises them anyway; a few on PostgreSQL, where the pool can run them side by side).
 *
 * Used by the answer path (src/db/answer-batch.ts) and by first contact (src/db/members.repo.ts: the members a
 * burst of new accounts brings). Written here rather than taken from a library: the batch must be one transaction
 * whose failure falls back item by item, which DataLoader-style batchers (built for reads) do not model.
 */
export interface GroupCommitOptions<In, Out> {
  /** Writes a batch in one transaction; the outputs in the order of the inputs. */
  readonly write: (inputs: readonly In[]) => Promise<Out[]>;
  /** When `write` fails, each item of the batch runs alone through this, so one bad item fails only itself. */
  readonly fallback: (input: In) => Promise<Out>;
  readonly workers: number;
  readonly maxBatch: number;
}

export class GroupCommit<In, Out> {
  readonly #queue: { input: In; resolve: (output: Out) => void; reject: (error: unknown) => void }[] = [];
  readonly #options: GroupCommitOptions<In, Out>;
  #running = 0;
  #idle: (() => void)[] = [];

  constructor(options: GroupCommitOptions<In, Out>) {
    this.#options = options;
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

  /** Resolves once every item submitted so far is written (or failed). */
  drained(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #work(): Promise<void> {
    // Yield once so the items of one burst that arrive in the same turn of the event loop share the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#options.maxBatch);
      try {
        const outputs = await this.#options.write(batch.map((item) => item.input));
        for (const [i, item] of batch.entries()) item.resolve(outputs[i] as Out);
      } catch {
        for (const item of batch) {
          await this.#options.fallback(item.input).then(item.resolve, item.reject);
        }
      }
    }
    this.#running--;
    if (this.#running === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }
}
