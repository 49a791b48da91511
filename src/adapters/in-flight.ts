/**
 * The interactions an adapter is still working on, so a shutdown can let them finish: `track` each handler's work,
 * `close` stops taking new ones and waits for those in flight, at most `timeoutMs`.
 */
export class InFlight {
  readonly #running = new Set<Promise<unknown>>();
  #closed = false;

  /** False once closing: the caller drops the new interaction (another replica, or the restarted process, takes it). */
  get open(): boolean {
    return !this.#closed;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const done = () => this.#running.delete(work);
    work.then(done, done);
    return work;
  }

  /** Stops taking new work and waits for what runs; true when everything finished within `timeoutMs`. */
  async close(timeoutMs: number): Promise<boolean> {
    this.#closed = true;
    if (this.#running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const settled = Promise.allSettled([...this.#running]).then(() => true);
    const finished = await Promise.race([settled, timeout]);
    clearTimeout(timer);
    return finished;
  }
}
