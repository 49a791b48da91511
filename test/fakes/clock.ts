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

  now(): number {
    return Date.now() + this.#offset;
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
