/**
 * The Slack `Notifier`: what the scheduler posts without being asked (drops, quiz questions, summaries, season
 * recaps) and direct messages (nudges).
 *
 * - A post is `chat.postMessage` (a thread is the `ts` of the post it hangs under); its files (`Message.files`: the
 *   recap's chart) follow it in the same channel or thread through Slack's external upload (`files.ts`).
 * - A direct message: `conversations.open` gives the member's IM with the bot, then the same post there.
 * - Idempotent posts (`PostTarget.key`: `drop:<id>`, `question:<id>`, `summary:<id>`, `end:<channel>`,
 *   `season:<cohort>:<week>`): every keyed post carries Slack message metadata, `event_type` `trilha_post` and the key
 *   in `event_payload`. When the scheduler says an earlier try may have posted already (`retry`: the process died
 *   between posting and recording, or the post failed after its message went out), the message carrying that key is
 *   looked for first — `conversations.history` for a channel post, `conversations.replies` of `threadOf` for a thread
 *   post, with `include_all_metadata` — and its `ts` is returned instead of posting again; files it should carry but
 *   that were not shared after it are uploaded then. Not found (or the look-up failed): posted as usual.
 *
 * Slack shares a completed upload asynchronously: its file message shows in reads a little later (seconds). A retry
 * in the same process (a failed upload tried again at the next tick) must not take a share not yet shown for a missing
 * one, so the notifier remembers which files it shared after each keyed post (the last `rememberedKeys` keys); a retry
 * from another process (a claim taken over) comes 2 minutes or more after the first try, long after the share shows.
 *
 * How far back the look-up goes: messages of the last 2 days, at most 3 pages of 100 (`conversations.history` and
 * `conversations.replies` are Tier 3, 50+ calls a minute, and a look-up happens only on a retry). A try the scheduler
 * repeats is never older than that: a drop is posted on its day or, after downtime, late once the next day, and every
 * retry comes on a later tick (30 s) or when a stale claim is taken over (2 minutes), at most 5 tries. A channel
 * with more than 300 top-level messages in 2 days could hide the first try; the post is then made again, as it would
 * be without a key.
 */
import type { WebClient } from '@slack/web-api';
import type { Message, Notifier, PostRef, PostTarget } from '../../core/message.ts';
import type { Logger } from '../../runtime/logger.ts';
import { slackFilename, uploadFiles } from './files.ts';
import { renderSlack } from './render.ts';

/** The metadata `event_type` of every keyed post (Slack: a short alphanumeric name, `_` allowed). */
export const postEventType = 'trilha_post';
/** The look-up before a retried post reads messages of this many seconds back… */
export const lookBackSeconds = 2 * 24 * 60 * 60;
/** …in pages of this size… */
export const lookBackPageSize = 100;
/** …and at most this many pages. */
export const lookBackPages = 3;

/** Keyed posts whose shared files the notifier remembers. */
export const rememberedKeys = 1000;

/** What the look-up reads of a message (the WebClient's response types name every field Slack may send). */
interface SeenMessage {
  readonly ts?: string;
  readonly metadata?: { readonly event_type?: string; readonly event_payload?: Record<string, unknown> };
  readonly files?: readonly { readonly name?: string }[];
}

/** An earlier try's message: its `ts`, and the names of the files shared after it. */
interface EarlierPost {
  readonly ts: string;
  readonly filesAfter: ReadonlySet<string>;
}

export class SlackNotifier implements Notifier {
  /** Key → the names of the files shared after its post, by this process. */
  readonly #sharedAfter = new Map<string, Set<string>>();

  constructor(
    private readonly client: WebClient,
    private readonly logger?: Logger,
  ) {}

  async post(target: PostTarget, message: Message): Promise<PostRef> {
    const files = message.files ?? [];
    const where = { channel: target.channelRef, ...(target.threadOf ? { threadTs: target.threadOf } : {}) };
    if (target.key && target.retry) {
      const earlier = await this.earlierTry(target, target.key);
      if (earlier) {
        const shared = this.#sharedAfter.get(target.key);
        const missing = files.filter((file) => {
          const name = slackFilename(file.filename);
          return !earlier.filesAfter.has(name) && !shared?.has(name);
        });
        if (missing.length > 0) this.#remember(target.key, await uploadFiles(this.client, missing, where));
        return { postRef: earlier.ts, threadRef: target.threadOf ?? earlier.ts };
      }
    }
    const response = await this.client.chat.postMessage({
      channel: target.channelRef,
      ...(target.threadOf ? { thread_ts: target.threadOf } : {}),
      ...renderSlack(message),
      ...(target.key ? { metadata: { event_type: postEventType, event_payload: { key: target.key } } } : {}),
    });
    if (!response.ts) throw new Error(`Slack chat.postMessage in ${target.channelRef} gave no ts`);
    // A failed upload throws after the message went out: the scheduler retries the post with `retry`, which finds
    // this message by its key and uploads only the files.
    if (files.length > 0) {
      const names = await uploadFiles(this.client, files, where);
      if (target.key) this.#remember(target.key, names);
    }
    return { postRef: response.ts, threadRef: target.threadOf ?? response.ts };
  }

  #remember(key: string, names: readonly string[]): void {
    const set = this.#sharedAfter.get(key) ?? new Set<string>();
    for (const name of names) set.add(name);
    this.#sharedAfter.delete(key);
    this.#sharedAfter.set(key, set);
    if (this.#sharedAfter.size > rememberedKeys) {
      const oldest = this.#sharedAfter.keys().next().value;
      if (oldest !== undefined) this.#sharedAfter.delete(oldest);
    }
  }

  /** A direct message: `conversations.open` gives the member's IM with the bot, then `chat.postMessage` there. */
  async direct(userRef: string, message: Message): Promise<PostRef> {
    const opened = await this.client.conversations.open({ users: userRef });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('Slack conversations.open gave no channel');
    return this.post({ channelRef: channel }, message);
  }

  /** The message an earlier try of `key` posted at `target`, if one did (see the file's comment for how far back). */
  private async earlierTry(target: PostTarget, key: string): Promise<EarlierPost | undefined> {
    const oldest = (Date.now() / 1000 - lookBackSeconds).toFixed(6);
    // Oldest first, whichever order the method gives (history: newest first; replies: the parent, then oldest first).
    const seen: SeenMessage[] = [];
    const carriesKey = (message: SeenMessage) =>
      message.metadata?.event_type === postEventType && message.metadata.event_payload?.key === key;
    try {
      let cursor: string | undefined;
      for (let page = 0; page < lookBackPages; page += 1) {
        const common = {
          channel: target.channelRef,
          oldest,
          limit: lookBackPageSize,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        };
        const response = target.threadOf
          ? await this.client.conversations.replies({ ...common, ts: target.threadOf })
          : await this.client.conversations.history(common);
        const messages = (response.messages ?? []) as SeenMessage[];
        if (target.threadOf) seen.push(...messages);
        else seen.unshift(...messages.toReversed());
        // History comes newest first: once the key is seen, whatever followed it has been read too.
        if (!target.threadOf && messages.some(carriesKey)) break;
        cursor = response.response_metadata?.next_cursor || undefined;
        if (!response.has_more || !cursor) break;
      }
    } catch (error) {
      // Without the look-up (a missing history scope, Slack down) the post is made: a second copy beats a lost drop.
      this.logger?.warn({ err: error, channel: target.channelRef, key }, 'slack: looking for an earlier post failed');
      return undefined;
    }
    const at = seen.findIndex(carriesKey);
    const found = seen[at];
    if (!found?.ts) return undefined;
    const filesAfter = new Set(
      seen.slice(at + 1).flatMap((message) => (message.files ?? []).flatMap((file) => (file.name ? [file.name] : []))),
    );
    return { ts: found.ts, filesAfter };
  }
}
