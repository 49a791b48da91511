/**
 * The clock the fakes keep their platform's time by (rate windows, `response_url` lifetimes, file shares, thread
 * auto-archive). Real time by default; a `TestClock` runs with real time and can be moved forward by a test, so a
 * 30-minute lifetime or a day-long auto-archive passes without waiting. It only ever moves forward: a window the
 * fake counts can only empty, never fill, when a test jumps.
 */
export interface FakeClock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
}

export const realClock: FakeClock = { now: () => Date.now() };

export class TestClock implements FakeClock {
  #offset = 0;
  readonly #started = Date.now();

  /**
   * `speed`: the clock's milliseconds per real one (1 by default). A faster clock, shared by a fake and the adapter's
   * budgets (Slack's `budgetClock`, whose waits it shortens by `speed`), lets a test post a drop's five messages
   * without waiting out the real per-channel pace, while the fake still counts the pace in this clock's time.
   */
  constructor(readonly speed = 1) {}

  now(): number {
    const real = Date.now();
    return real + this.#offset + (real - this.#started) * (this.speed - 1);
  }

  /** Moves the clock `ms` forward (never back). */
  advance(ms: number): void {
    if (ms < 0) throw new Error('TestClock only moves forward');
    this.#offset += ms;
  }
}

/**
 * A sliding-window limit: at most `limit` events in any `windowMs`, per key. Stricter than a token bucket of the same
 * size (no burst on top of the rate), so a client that stays inside it stays inside Slack's and Discord's published
 * numbers whatever shape their own meters have.
 */
export class SlidingWindow {
  readonly #events = new Map<string, number[]>();

  constructor(
    private readonly clock: FakeClock,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Takes one slot for `key`; when the window is full, the milliseconds until one frees up instead. */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.clock.now();
    const events = (this.#events.get(key) ?? []).filter((at) => at > now - this.windowMs);
    this.#events.set(key, events);
    if (events.length >= this.limit) {
      const oldest = events[0] ?? now;
      return { ok: false, retryAfterMs: Math.max(1, oldest + this.windowMs - now) };
    }
    events.push(now);
    return { ok: true };
  }
}
