/**
 * The live answer count under a quiz question, shared by the platform adapters: how many members answered, never who
 * chose what. Each answer click asks for an update of its question message; the first one goes out at once, later
 * ones within the window fold into one trailing update that reads the count when it is sent, so a burst of 500 clicks
 * costs a handful of message edits (Slack's `chat.update` is Tier 3, Discord's message edits share a per-channel
 * bucket), not 500.
 */
import type { Logger } from '../runtime/logger.ts';

/** At most one live-count update per question message in this window. */
export const liveCountIntervalMs = 3_000;

/** The prefix of the line that carries the count; found again by it so each update replaces the line. */
export const countPrefix = '👥 ';

export interface LiveCountOptions<T> {
  /** The number of answers to a posted question (the learning store's `answerCount`). */
  readonly count: (postedQuestionId: string) => Promise<number>;
  /** Edits the message to show `count`; gives back what it now holds, the base of the next update. */
  readonly apply: (target: T, count: number) => Promise<T>;
  readonly logger: Logger;
  readonly intervalMs?: number;
  /** A short name for the log line of a failed update (`slack`, `discord`). */
  readonly platform: string;
}

interface Entry<T> {
  target: T;
  readonly postedQuestionId: string;
  dirty: boolean;
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
    this.#pending.set(key, { target, postedQuestionId, dirty: false, timer: null });
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
      entry.target = await apply(entry.target, await count(entry.postedQuestionId));
    } catch (error) {
      logger.warn({ err: error, message: key, platform }, 'live answer count update failed');
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
