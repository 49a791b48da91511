/**
 * The live answer count under a quiz question, shared by the platform adapters: how many members answered, never who
 * chose what. Each answer click asks for an update of its question message; the first one goes out at once, later
 * ones within the window fold into one trailing update, so a burst of 500 clicks costs a handful of message edits
 * (Slack's `chat.update` is Tier 3, Discord's message edits share a per-channel bucket), not 500.
 *
 * - At most one edit per message in flight: the next one is planned only when the last has been answered.
 * - The count is read when the edit may go (`apply` calls `count` after the platform's budget let it through: on
 *   Slack, once `chat.update`'s workspace bucket gives a token, docs/platform-budgets.md), so a queued edit does not
 *   write a stale number.
 * - The last count is always written: a click during an edit marks the message again, and a failed edit is tried
 *   again after the window (at most `maxFailures` times in a row, then the message is let go and logged).
 */
import type { Logger } from '../runtime/logger.ts';

/** At most one live-count update per question message in this window. */
export const liveCountIntervalMs = 3_000;

/** Failed edits of one message in a row before it is let go. */
export const maxFailures = 3;

/** The prefix of the line that carries the count; found again by it so each update replaces the line. */
export const countPrefix = '👥 ';

export interface LiveCountOptions<T> {
  /** The number of answers to a posted question (the learning store's `answerCount`). */
  readonly count: (postedQuestionId: string) => Promise<number>;
  /**
   * Edits the message to show the count `count()` gives (called when the edit may go); gives back what the message
   * now holds, the base of the next update.
   */
  readonly apply: (target: T, count: () => Promise<number>) => Promise<T>;
  readonly logger: Logger;
  readonly intervalMs?: number;
  /** A short name for the log line of a failed update (`slack`, `discord`). */
  readonly platform: string;
}

interface Entry<T> {
  target: T;
  readonly postedQuestionId: string;
  dirty: boolean;
  failures: number;
  timer: NodeJS.Timeout | null;
}

export class LiveAnswerCounts<T> {
  readonly #pending = new Map<string, Entry<T>>();
  readonly #options: LiveCountOptions<T>;

  constructor(options: LiveCountOptions<T>) {
    this.#options = options;
  }

  /**
   * An answer to `postedQuestionId` was clicked on the message `key`; `target` is that message as the click saw it
   * (it replaces the stored one, so an edit made meanwhile by someone else is not undone).
   */
  touch(key: string, postedQuestionId: string, target: T): void {
    const entry = this.#pending.get(key);
    if (entry) {
      entry.dirty = true;
      entry.target = target;
      return;
    }
    this.#pending.set(key, { target, postedQuestionId, dirty: false, failures: 0, timer: null });
    void this.#send(key);
  }

  stop(): void {
    for (const entry of this.#pending.values()) if (entry.timer) clearTimeout(entry.timer);
    this.#pending.clear();
  }

  async #send(key: string): Promise<void> {
    const entry = this.#pending.get(key);
    if (!entry) return;
    entry.dirty = false;
    const { count, apply, logger, platform } = this.#options;
    try {
      entry.target = await apply(entry.target, () => count(entry.postedQuestionId));
      entry.failures = 0;
    } catch (error) {
      entry.failures += 1;
      // Tried again after the window, so the number shown catches up once the platform takes edits again.
      if (entry.failures < maxFailures) entry.dirty = true;
      logger.warn({ err: error, message: key, platform, failures: entry.failures }, 'live answer count update failed');
    }
    if (!this.#pending.has(key)) return;
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (entry.dirty) void this.#send(key);
      else this.#pending.delete(key);
    }, this.#options.intervalMs ?? liveCountIntervalMs);
    entry.timer.unref();
  }
}
