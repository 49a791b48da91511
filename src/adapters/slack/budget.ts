/**
 * Slack's Web API budgets, spent by design instead of by waiting out 429s (docs/platform-budgets.md has the sources).
 * Slack meters each method per workspace and app (Tier 3: 50+ calls a minute, Tier 4: 100+), and `chat.postMessage`
 * per channel (about 1 a second, short bursts) and per workspace. A bot token is one workspace, so one `SlackBudget`
 * per WebClient meters what that client spends.
 *
 * - Every call goes through a `MeteredWebClient`: its `apiCall` (which every method, `filesUploadV2`'s inner calls
 *   included, goes through) first takes a token from the bucket of its method — for `chat.postMessage`, of its
 *   channel, then of the workspace. A bucket of `capacity` refilled at `perMinute` lets at most capacity + perMinute
 *   calls through in any minute, so each pace below stays under Slack's number with room for calls that arrive
 *   bunched (network delays) — Slack meters arrivals, we meter departures.
 * - Each bucket has its own queue: a burst of live-count edits waits in `chat.update`'s queue and never delays a drop
 *   post (`chat.postMessage`) or a member's feedback.
 * - The WebClient is built with `rejectRateLimitedCalls`: @slack/web-api would otherwise answer a 429 by pausing its
 *   whole request queue for Retry-After, delaying every other method behind one over-budget call. A 429 that still
 *   comes (another app process on the same token, Slack's own meter) empties that bucket for Retry-After and the call
 *   is tried again once, after it, in that bucket's queue only.
 * - `tryTake` spends a token only if one is there now (a click's `users.info`: the click goes on without it).
 */
import { type WebAPICallResult, WebClient, type WebClientOptions } from '@slack/web-api';

export interface Pace {
  /** Tokens a bucket holds (the burst). */
  readonly capacity: number;
  /** Tokens added per minute. */
  readonly perMinute: number;
}

/** Tier 3 methods (50+ a minute at Slack): ≤ 44 in any minute here. */
const tier3: Pace = { capacity: 4, perMinute: 40 };
/** Tier 4 methods (100+ a minute at Slack): ≤ 90 in any minute here. */
const tier4: Pace = { capacity: 10, perMinute: 80 };

export const slackPaces: Readonly<Record<string, Pace>> = {
  'chat.update': tier3,
  'chat.delete': tier3,
  'conversations.history': tier3,
  'conversations.replies': tier3,
  'conversations.info': tier3,
  'conversations.open': tier3,
  'chat.postEphemeral': tier4,
  'users.info': tier4,
  'views.publish': tier4,
  'views.open': tier4,
  'files.getUploadURLExternal': tier4,
  'files.completeUploadExternal': tier4,
};
/** chat.postMessage per channel (Slack: about 1 a second, short bursts): 3, then one every 1.2 s. */
export const postPerChannel: Pace = { capacity: 3, perMinute: 50 };
/**
 * chat.postMessage per workspace. Slack has such a limit and publishes no number; 300 a minute is what the fake
 * assumes, and 20 + 240 a minute stays under it: 21 channels' drops (5 posts each) go out within a minute.
 */
export const postPerWorkspace: Pace = { capacity: 20, perMinute: 240 };

export interface BudgetClock {
  now(): number;
  /** This clock's milliseconds per real one: 1 (real time) unless a test runs Slack's time faster. */
  readonly speed?: number;
}

class Bucket {
  #tokens: number;
  #at: number;
  #blockedUntil = 0;
  readonly #waiters: (() => void)[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pace: Pace,
    private readonly clock: BudgetClock,
  ) {
    this.#tokens = pace.capacity;
    this.#at = clock.now();
  }

  #refill(now: number): void {
    this.#tokens = Math.min(this.pace.capacity, this.#tokens + ((now - this.#at) * this.pace.perMinute) / 60_000);
    this.#at = now;
  }

  /** Spends a token if one is there now and nobody waits for one. */
  tryTake(): boolean {
    const now = this.clock.now();
    this.#refill(now);
    if (this.#waiters.length > 0 || now < this.#blockedUntil || this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Waits for a token, first come first served. */
  take(): Promise<void> {
    if (this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#waiters.push(resolve);
      this.#arm();
    });
  }

  /** Slack said 429: no token for `ms`, and none saved up meanwhile. */
  block(ms: number): void {
    this.#refill(this.clock.now());
    this.#tokens = 0;
    this.#blockedUntil = Math.max(this.#blockedUntil, this.clock.now() + ms);
    this.#arm();
  }

  #arm(): void {
    if (this.#timer || this.#waiters.length === 0) return;
    const now = this.clock.now();
    this.#refill(now);
    const untilToken = this.#tokens >= 1 ? 0 : ((1 - this.#tokens) * 60_000) / this.pace.perMinute;
    const wait = Math.max(untilToken, this.#blockedUntil - now, 0);
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        const at = this.clock.now();
        this.#refill(at);
        while (this.#waiters.length > 0 && at >= this.#blockedUntil && this.#tokens >= 1) {
          this.#tokens -= 1;
          this.#waiters.shift()?.();
        }
        this.#arm();
      },
      Math.ceil(wait / (this.clock.speed ?? 1)),
    );
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

export class SlackBudget {
  readonly #buckets = new Map<string, Bucket>();
  /** 429s Slack answered anyway (metrics, tests). */
  rateLimited = 0;

  constructor(private readonly clock: BudgetClock = { now: () => Date.now() }) {}

  #bucket(key: string, pace: Pace): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new Bucket(pace, this.clock);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /** The buckets a call of `method` spends from, in order. */
  #bucketsOf(method: string, args: Record<string, unknown> | undefined): Bucket[] {
    if (method === 'chat.postMessage') {
      const channel = typeof args?.channel === 'string' ? args.channel : '';
      return [
        this.#bucket(`chat.postMessage:${channel}`, postPerChannel),
        this.#bucket('chat.postMessage', postPerWorkspace),
      ];
    }
    const pace = slackPaces[method];
    return pace ? [this.#bucket(method, pace)] : [];
  }

  /** Spends a token of `method` only if one is there now. */
  tryTake(method: string): boolean {
    const pace = slackPaces[method];
    return pace ? this.#bucket(method, pace).tryTake() : true;
  }

  /** Runs `call` once its buckets allow; a 429 blocks them for Retry-After and the call is tried once more. */
  async spend<T>(method: string, args: Record<string, unknown> | undefined, call: () => Promise<T>): Promise<T> {
    const buckets = this.#bucketsOf(method, args);
    for (let attempt = 0; ; attempt += 1) {
      for (const bucket of buckets) await bucket.take();
      try {
        return await call();
      } catch (error) {
        const retryAfter = (error as { code?: unknown; retryAfter?: unknown }).retryAfter;
        if ((error as { code?: unknown }).code !== 'slack_webapi_rate_limited_error') throw error;
        this.rateLimited += 1;
        for (const bucket of buckets) bucket.block((typeof retryAfter === 'number' ? retryAfter : 1) * 1000);
        if (attempt >= 1) throw error;
      }
    }
  }

  stop(): void {
    for (const bucket of this.#buckets.values()) bucket.stop();
  }
}

/**
 * `files.getUploadURLExternal`'s image description under the name Slack reads, `alt_txt` (the method's reference;
 * Slack's own SDKs for other languages send it so): @slack/web-api 8.2's `filesUploadV2` passes it on as `alt_text`,
 * which Slack does not read.
 */
function withSlackArgumentNames(
  method: string,
  options: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (method !== 'files.getUploadURLExternal' || typeof options?.alt_text !== 'string') return options;
  const { alt_text: altText, ...rest } = options;
  return { ...rest, alt_txt: altText };
}

/**
 * A WebClient whose every call is metered by `budget` (see the file's comment): @slack/web-api binds each method
 * (`chat.postMessage`, `filesUploadV2`'s inner calls, …) to `this.apiCall` when it is built, so the override here is
 * the one place every call passes.
 */
export class MeteredWebClient extends WebClient {
  readonly #budget: SlackBudget;

  constructor(budget: SlackBudget, token: string, options: WebClientOptions = {}) {
    super(token, { ...options, rejectRateLimitedCalls: true });
    this.#budget = budget;
  }

  override apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    const args = withSlackArgumentNames(method, options);
    return this.#budget.spend(method, args, () => super.apiCall(method, args));
  }

  /** A call whose token the caller already took (`budget.spend`), for work between the token and the call. */
  unmetered(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    return super.apiCall(method, options);
  }
}
