/**
 * A fake Slack on 127.0.0.1 that speaks Slack's wire protocols, so the Slack adapter can be tested through the real
 * @slack/bolt: the Web API (`POST /api/<method>`, form-encoded or JSON, every call recorded, failures injectable),
 * `response_url`s (`POST /response/<id>`) and Socket Mode (`apps.connections.open` hands out `ws://…/link/?ticket=…`;
 * the socket says `hello`, carries envelopes and takes acks). HTTP mode is driven with `signedRequest`.
 * Facts it follows: /work/shared/notes/platform-fakes.md, Part B.
 *
 * It holds Slack's budgets (docs/platform-budgets.md says where each number comes from), on by default: a fake kinder
 * than Slack would let the bot overspend unseen.
 * - Web API tiers, per method, per workspace and app: at most the tier's calls in any 60 s (`slackBudgets`); over it,
 *   HTTP 429 `ratelimited` with `Retry-After` (whole seconds until a call frees up).
 * - `chat.postMessage`: about one message a second per channel with short bursts (a bucket of 5 refilled at 1 a
 *   second) and a workspace-wide limit (Slack publishes none; `postPerMinute`, assumed).
 * - A `response_url` works 5 times within 30 minutes of the interaction; a 6th use is refused with 404 `used_url`, a
 *   use after 30 minutes with 404 `expired_url`.
 * - A completed external upload is shared after `fileShareDelayMs`: its message shows in `conversations.history` and
 *   `conversations.replies` only then, as Slack shares files asynchronously.
 * Times come from `clock` (test/fakes/clock.ts), which a test may move forward.
 *
 * It also keeps what was posted, as Slack does, so the adapter's later reads see it:
 * - Messages per channel (`chat.postMessage`, file shares), each with its `ts` (Unix seconds with microseconds, from
 *   the wall clock, unique and increasing) and, when posted with one, its message `metadata`, which
 *   `conversations.history` (top-level messages, newest first) and `conversations.replies` (a thread: its parent,
 *   then the replies, oldest first) return only with `include_all_metadata`. Both page as Slack does: `limit`,
 *   `oldest`/`latest` (exclusive unless `inclusive`), `has_more` and an opaque `response_metadata.next_cursor`.
 * - Direct messages: `conversations.open` gives each member one IM channel, `D-<user id>` (the id Slack's
 *   `app_home_opened` carries here too), the same on every call; posting to an IM not opened is `channel_not_found`.
 * - Files through Slack's external upload: `files.getUploadURLExternal` (filename and a positive byte length) hands out
 *   an `upload_url` on this server and a file id; the bytes are POSTed there raw or as multipart (the WebClient sends
 *   a multipart form); `files.completeUploadExternal` shares the uploaded files once, in `channel_id` (in the thread
 *   of `thread_ts`), as one message carrying `files`. `uploadedFiles()` shows what was shared.
 */

import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type FakeClock, realClock, SlidingWindow } from './clock.ts';
import { createSlackModals, type SlackModals } from './slack-modals.ts';

export interface FakeSlackUser {
  readonly is_admin?: boolean;
  readonly is_owner?: boolean;
  readonly locale?: string;
  readonly name?: string;
}

export interface FakeSlackChannel {
  readonly name: string;
  /** Whether the bot is in the channel; false makes `chat.postMessage` answer `not_in_channel`, as Slack does. */
  readonly is_member?: boolean;
}

export interface FakeSlackOptions {
  /** `users.info` answers from this map; unknown ids get `user_not_found`. */
  readonly users?: Readonly<Record<string, FakeSlackUser>>;
  /** `conversations.info` answers from this map; unknown ids get `channel_not_found`. */
  readonly channels?: Readonly<Record<string, FakeSlackChannel>>;
  readonly teamId?: string;
  readonly teamName?: string;
  readonly botUserId?: string;
  readonly botId?: string;
  readonly appId?: string;
  /** How often the socket pings, as Slack does; after a first ping the client drops a socket not pinged for 30 s. */
  readonly pingIntervalMs?: number;
  /** Slack's budgets (tiers, chat.postMessage's pace, the response_url cap): on unless false. */
  readonly rateLimits?: boolean;
  /** Other numbers than Slack's for the budgets (a test of the budget itself); `slackBudgets` by default. */
  readonly budgets?: Partial<SlackBudgets>;
  /** How long after `files.completeUploadExternal` the file message shows in reads; 2 s by default. */
  readonly fileShareDelayMs?: number;
  /** The fake's time (rate windows, response_url lifetime, file shares); real time by default. */
  readonly clock?: FakeClock;
}

export interface SlackBudgets {
  /** Calls a minute per Web API method, per workspace and app (Slack's tiers: T2 20, T3 50, T4 100). */
  readonly perMinute: Readonly<Record<string, number>>;
  /** chat.postMessage per channel: a bucket of this many… */
  readonly postBurst: number;
  /** …refilled at this many a second. */
  readonly postPerSecond: number;
  /** chat.postMessage across the workspace, any 60 s (Slack has one and publishes no number: assumed). */
  readonly postPerMinute: number;
  /** Uses of one response_url… */
  readonly responseUses: number;
  /** …within this long after the interaction. */
  readonly responseLifetimeMs: number;
}

/** Slack's published tiers for the methods Trilha calls (docs/platform-budgets.md). */
export const slackBudgets: SlackBudgets = {
  perMinute: {
    'chat.postEphemeral': 100,
    'chat.update': 50,
    'chat.delete': 50,
    'conversations.history': 50,
    'conversations.replies': 50,
    'conversations.info': 50,
    'conversations.open': 50,
    'users.info': 100,
    'views.publish': 100,
    'views.open': 100,
    'files.getUploadURLExternal': 100,
    'files.completeUploadExternal': 100,
  },
  postBurst: 5,
  postPerSecond: 1,
  postPerMinute: 300,
  responseUses: 5,
  responseLifetimeMs: 30 * 60_000,
};

export interface RecordedCall {
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly token: string | undefined;
}

export interface RecordedResponse {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

export interface AckFrame {
  readonly envelope_id: string;
  readonly payload?: Record<string, unknown>;
}

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface EnvelopeOptions {
  readonly retryAttempt?: number;
  readonly retryReason?: string;
  /** Slack sets it for slash commands (and view submissions); the default follows that. */
  readonly acceptsResponsePayload?: boolean;
  readonly timeoutMs?: number;
}

export interface FailOptions {
  /** HTTP status; 200 by default (Slack reports errors in the body), 429 for `ratelimited`. */
  readonly status?: number;
  /** Seconds for the `Retry-After` header of a 429; 1 by default (the client parses whole seconds). */
  readonly retryAfter?: number;
}

export interface SlashCommandFields {
  readonly text?: string;
  readonly userId: string;
  readonly channelId: string;
  readonly teamId?: string;
  readonly command?: string;
  readonly userName?: string;
  readonly channelName?: string;
  readonly teamDomain?: string;
  readonly triggerId?: string;
  readonly responseUrl?: string;
}

export interface BlockActionFields {
  readonly userId: string;
  readonly channelId: string;
  readonly teamId?: string;
  readonly actionId: string;
  readonly value?: string;
  readonly messageTs: string;
  readonly threadTs?: string;
  readonly blockId?: string;
  readonly messageText?: string;
  readonly userName?: string;
  readonly channelName?: string;
  readonly responseUrl?: string;
  /** The blocks of the message the button is on: Slack sends them back with the click. */
  readonly blocks?: readonly unknown[];
}

export interface AppHomeOpenedFields {
  readonly userId: string;
  readonly teamId?: string;
  readonly channelId?: string;
}

/** A message as the fake keeps it (and `conversations.history`/`replies` return it). */
export interface FakeSlackMessage {
  readonly channel: string;
  readonly ts: string;
  /** The parent's `ts` for a thread reply; absent for a top-level message. */
  readonly threadTs?: string;
  readonly text: string;
  readonly blocks?: unknown;
  /** As posted with `chat.postMessage` (`{event_type, event_payload}`). */
  readonly metadata?: { readonly event_type: string; readonly event_payload: Record<string, unknown> };
  /** The ids of the files a file share carries. */
  readonly fileIds?: readonly string[];
  /** When reads (`conversations.history`/`replies`) start to show it: a file share's is later than its `ts`. */
  readonly visibleAt?: number;
}

/** A file shared through `files.completeUploadExternal`. */
export interface FakeSlackFile {
  readonly id: string;
  readonly filename: string;
  readonly title: string;
  /** `alt_txt` (Slack's documented name) when given; `alt_text` (what @slack/web-api sends) is ignored. */
  readonly altText?: string;
  /** The byte length announced to `files.getUploadURLExternal`. */
  readonly length: number;
  /** The bytes POSTed to the upload URL. */
  readonly bytes: Buffer;
  /** How the bytes arrived: `raw` body or a `multipart` form. */
  readonly encoding: 'raw' | 'multipart';
  /** Where it was shared; absent when completed without a channel (a private file). */
  readonly channel?: string;
  readonly threadTs?: string;
  readonly initialComment?: string;
  /** The `ts` of the message that shared it. */
  readonly messageTs?: string;
}

export interface FakeSlack {
  /** For Bolt's `clientOptions.slackApiUrl` (ends with a slash: the client appends the method name). */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** JSON (or form) bodies posted to response URLs, in order. */
  readonly responses: RecordedResponse[];
  /** A fresh response_url pointing at this fake. */
  responseUrl(id?: string): string;
  /** The next POST to any response_url answers this HTTP status (e.g. 404 for an expired one). */
  failNextResponse(status: number): void;
  /** The next call to `method` answers `{ok:false,error}`; `ratelimited` is an HTTP 429 with `Retry-After`. */
  failNext(method: string, error: string, options?: FailOptions): void;
  /** Every ack frame the Socket Mode client sent, in order. */
  readonly acks: AckFrame[];
  /** Resolves once `count` sockets (default 1) have connected in total and one is open. */
  socketConnected(options?: { count?: number; timeoutMs?: number }): Promise<void>;
  /** Resolves once no socket is open (after the client's close handshake). */
  socketsClosed(timeoutMs?: number): Promise<void>;
  /** Sends an envelope on the newest open socket and resolves with the client's ack frame. */
  sendEnvelope(type: EnvelopeType, payload: Record<string, unknown>, options?: EnvelopeOptions): Promise<AckFrame>;
  /** Sends Slack's `{"type":"disconnect"}` frame; the client closes and reconnects through `apps.connections.open`. */
  disconnectSocket(reason?: string): void;
  /** A slash command payload as Slack sends it (every field a string, as in the form post). */
  slashCommand(fields: SlashCommandFields): Record<string, string>;
  /** A `block_actions` payload for a button click on a message. */
  blockAction(fields: BlockActionFields): Record<string, unknown>;
  /** An Events API `event_callback` payload for the App Home tab being opened. */
  appHomeOpened(fields: AppHomeOpenedFields): Record<string, unknown>;
  /** Modals (slack-modals.ts): the views opened with `views.open`, and a `view_submission` for one of them. */
  readonly modals: Pick<SlackModals, 'opened'>;
  viewSubmission(
    viewId: string,
    userId: string,
    values: Record<string, Record<string, string>>,
  ): Record<string, unknown>;
  /** How many Web API calls the budgets refused with a 429. */
  rateLimited(): number;
  /** The 429s per method. */
  rateLimitedBy(): Record<string, number>;
  /** The response_url posts refused (`used_url`, `expired_url`, an injected failure). */
  refusedResponses(): number;
  /** The messages kept for `channel`, oldest first (thread replies included). */
  messagesIn(channel: string): FakeSlackMessage[];
  /** The IM channel `conversations.open` gives for `userId` (`D-<user id>`). */
  imOf(userId: string): string;
  /** Every file shared with `files.completeUploadExternal`, in order. */
  uploadedFiles(): FakeSlackFile[];
  close(): Promise<void>;
}

interface Failure {
  readonly error: string;
  readonly status: number;
  readonly retryAfter: number;
}

interface PendingAck {
  resolve(frame: AckFrame): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const VERIFICATION_TOKEN = 'fake-verification-token';

/** Fields the Web API client sends as JSON strings inside a form body. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'user_auth_blocks', 'files']);

/** `conversations.history`: 100 messages a page unless `limit` says otherwise, at most 999 (Slack's documented cap). */
const historyPage = { default: 100, max: 999 } as const;
/** `conversations.replies`: Slack documents a default `limit` of 1000 for threads. */
const repliesPage = { default: 1000, max: 1000 } as const;
/** Slack refuses an image description longer than this (`alt_txt_too_large`). */
const maxAltText = 1000;

interface FileSlot {
  readonly id: string;
  readonly filename: string;
  readonly length: number;
  readonly altText?: string;
  bytes?: Buffer;
  encoding?: 'raw' | 'multipart';
  shared?: FakeSlackFile;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? 'T-FAKE';
  const teamName = options.teamName ?? 'Fake Team';
  const botUserId = options.botUserId ?? 'U-BOT';
  const botId = options.botId ?? 'B-BOT';
  const appId = options.appId ?? 'A-FAKE';
  const users = options.users ?? {};
  const channels = options.channels ?? {};

  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const acks: AckFrame[] = [];
  const failures = new Map<string, Failure[]>();
  const clock = options.clock ?? realClock;
  const budgets: SlackBudgets = { ...slackBudgets, ...options.budgets };
  const enforce = options.rateLimits !== false;
  const fileShareDelayMs = options.fileShareDelayMs ?? 2000;
  let refusals = 0;
  const refusalsBy: Record<string, number> = {};
  let responseRefusals = 0;
  const tiers = new Map<string, SlidingWindow>();
  const workspacePosts = new SlidingWindow(clock, budgets.postPerMinute, 60_000);
  // chat.postMessage's pace per channel: a bucket of `postBurst`, refilled at `postPerSecond`.
  const postBuckets = new Map<string, { tokens: number; at: number }>();
  const takePostToken = (channel: string): number => {
    const now = clock.now();
    const bucket = postBuckets.get(channel) ?? { tokens: budgets.postBurst, at: now };
    bucket.tokens = Math.min(budgets.postBurst, bucket.tokens + ((now - bucket.at) / 1000) * budgets.postPerSecond);
    bucket.at = now;
    postBuckets.set(channel, bucket);
    if (bucket.tokens < 1) return Math.ceil(((1 - bucket.tokens) / budgets.postPerSecond) * 1000);
    bucket.tokens -= 1;
    return 0;
  };
  /** Milliseconds to wait when `method` is over its budget for this call, else 0 (and the call is counted). */
  const overBudget = (method: string, body: Record<string, unknown>): number => {
    const team = typeof body.team_id === 'string' && body.team_id !== '' ? body.team_id : teamId;
    if (method === 'chat.postMessage') {
      const channelWait = takePostToken(`${team}:${String(body.channel ?? '')}`);
      if (channelWait > 0) return channelWait;
      const workspace = workspacePosts.take(team);
      return workspace.ok ? 0 : workspace.retryAfterMs;
    }
    const limit = budgets.perMinute[method];
    if (limit === undefined) return 0;
    let window = tiers.get(method);
    if (!window) {
      window = new SlidingWindow(clock, limit, 60_000);
      tiers.set(method, window);
    }
    const taken = window.take(team);
    return taken.ok ? 0 : taken.retryAfterMs;
  };
  /** When each response_url was handed out and when it was used. */
  const responseUrls = new Map<string, { issuedAt: number; uses: number }>();
  const responseFailures: number[] = [];
  const tickets = new Set<string>();
  const sockets = new Set<WebSocket>();
  const pending = new Map<string, PendingAck>();
  const stateWaiters = new Set<() => void>();
  let connections = 0;
  let lastSocket: WebSocket | undefined;
  let lastMicros = 0;
  let baseUrl = '';
  const stored = new Map<string, FakeSlackMessage[]>();
  const ims = new Map<string, string>();
  const fileSlots = new Map<string, FileSlot>();
  const uploadSlots = new Map<string, string>();
  const shared: FakeSlackFile[] = [];
  let fileSequence = 0;

  // Slack's ts is "seconds.micro" of when the message was posted, unique per channel; the wall clock, nudged forward
  // when two messages land in the same microsecond, keeps them unique and ordered across the fake.
  const nextTs = (): string => {
    lastMicros = Math.max(clock.now() * 1000, lastMicros + 1);
    return `${Math.floor(lastMicros / 1_000_000)}.${String(lastMicros % 1_000_000).padStart(6, '0')}`;
  };
  const imOf = (userId: string): string => `D-${userId}`;
  const visible = (message: FakeSlackMessage): boolean => (message.visibleAt ?? 0) <= clock.now();
  const keep = (message: FakeSlackMessage): void => {
    const list = stored.get(message.channel) ?? [];
    list.push(message);
    stored.set(message.channel, list);
  };
  /** Why the bot may not post or read in `channel`, as Slack would say it; undefined when it may. */
  const channelRefusal = (channel: string | undefined): string | undefined => {
    if (!channel) return 'channel_not_found';
    if (channel.startsWith('D') && ![...ims.values()].includes(channel)) return 'channel_not_found';
    if (channels[channel]?.is_member === false) return 'not_in_channel';
    return undefined;
  };
  const fileObject = (file: FakeSlackFile): Record<string, unknown> => ({
    id: file.id,
    created: Math.floor(Date.now() / 1000),
    timestamp: Math.floor(Date.now() / 1000),
    name: file.filename,
    title: file.title,
    mimetype: mimeTypeOf(file.filename),
    filetype: file.filename.split('.').pop() ?? '',
    user: botUserId,
    size: file.bytes.length,
    mode: 'hosted',
    is_external: false,
    is_public: file.channel !== undefined && !file.channel.startsWith('D'),
    ...(file.altText !== undefined ? { alt_txt: file.altText } : {}),
  });
  /** A kept message as the Web API returns it; its metadata only when asked for. */
  const messageObject = (message: FakeSlackMessage, withMetadata: boolean): Record<string, unknown> => {
    const replies = message.threadTs
      ? []
      : (stored.get(message.channel) ?? []).filter((other) => other.threadTs === message.ts);
    return {
      type: 'message',
      user: botUserId,
      bot_id: botId,
      app_id: appId,
      team: teamId,
      ts: message.ts,
      text: message.text,
      ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs, parent_user_id: botUserId } : {}),
      ...(replies.length > 0
        ? { thread_ts: message.ts, reply_count: replies.length, latest_reply: replies.at(-1)?.ts }
        : {}),
      ...(message.fileIds
        ? {
            upload: true,
            files: message.fileIds.flatMap((id) => {
              const file = fileSlots.get(id)?.shared;
              return file ? [fileObject(file)] : [];
            }),
          }
        : {}),
      ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
    };
  };
  const nowTs = (): string => (clock.now() / 1000).toFixed(6);
  const notifyState = (): void => {
    for (const waiter of stateWaiters) waiter();
  };

  const userObject = (id: string, user: FakeSlackUser, includeLocale: boolean): Record<string, unknown> => {
    const name = user.name ?? id.toLowerCase();
    return {
      id,
      team_id: teamId,
      name,
      real_name: name,
      deleted: false,
      is_bot: false,
      is_admin: user.is_admin ?? false,
      is_owner: user.is_owner ?? false,
      is_primary_owner: false,
      tz: 'America/Sao_Paulo',
      profile: { real_name: name, display_name: name },
      ...(includeLocale ? { locale: user.locale ?? 'en-US' } : {}),
    };
  };

  // Modals (views.open, view_submission): slack-modals.ts.
  const modals = createSlackModals();
  const webApi = (
    method: string,
    body: Record<string, unknown>,
    token: string | undefined,
  ): Record<string, unknown> => {
    if (!token) return { ok: false, error: 'not_authed' };
    // Slack refuses app-level tokens for anything but the app-level methods, and the reverse.
    const appToken = token.startsWith('xapp-');
    if (method === 'apps.connections.open') {
      if (!appToken) return { ok: false, error: 'not_allowed_token_type' };
      const ticket = randomUUID();
      tickets.add(ticket);
      return { ok: true, url: `${baseUrl.replace('http:', 'ws:')}/link/?ticket=${ticket}&app_id=${appId}` };
    }
    if (appToken) return { ok: false, error: 'not_allowed_token_type' };
    const channel = typeof body.channel === 'string' ? body.channel : undefined;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: teamName,
          user: 'trilha',
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage': {
        const refused = channelRefusal(channel);
        if (refused || !channel) return { ok: false, error: refused ?? 'channel_not_found' };
        if (body.text === undefined && body.blocks === undefined && body.attachments === undefined) {
          return { ok: false, error: 'no_text' };
        }
        const metadata = body.metadata;
        if (metadata !== undefined && !isMetadata(metadata)) return { ok: false, error: 'invalid_metadata_format' };
        const ts = nextTs();
        keep({
          channel,
          ts,
          text: String(body.text ?? ''),
          ...(body.blocks !== undefined ? { blocks: body.blocks } : {}),
          ...(typeof body.thread_ts === 'string' ? { threadTs: body.thread_ts } : {}),
          ...(metadata !== undefined ? { metadata } : {}),
        });
        const message: Record<string, unknown> = {
          type: 'message',
          user: botUserId,
          bot_id: botId,
          app_id: appId,
          team: teamId,
          ts,
          text: body.text ?? '',
          ...(body.blocks !== undefined ? { blocks: body.blocks } : {}),
          ...(body.attachments !== undefined ? { attachments: body.attachments } : {}),
          ...(typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {}),
        };
        return { ok: true, channel, ts, message };
      }
      case 'chat.postEphemeral':
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (typeof body.user !== 'string') return { ok: false, error: 'user_not_found' };
        return { ok: true, message_ts: nextTs() };
      case 'chat.update': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (typeof body.ts !== 'string') return { ok: false, error: 'message_not_found' };
        const list = stored.get(channel) ?? [];
        const at = list.findIndex((message) => message.ts === body.ts);
        const before = list[at];
        if (before) {
          list[at] = {
            ...before,
            text: String(body.text ?? before.text),
            ...(body.blocks !== undefined ? { blocks: body.blocks } : {}),
          };
        }
        const message = { type: 'message', user: botUserId, bot_id: botId, text: body.text ?? '', blocks: body.blocks };
        return { ok: true, channel, ts: body.ts, text: body.text ?? '', message };
      }
      case 'views.open':
        return modals.open(body);
      case 'views.publish': {
        if (typeof body.user_id !== 'string') return { ok: false, error: 'invalid_arguments' };
        const view = typeof body.view === 'object' && body.view !== null ? body.view : {};
        return { ok: true, view: { id: `V-${randomUUID().slice(0, 8)}`, team_id: teamId, app_id: appId, ...view } };
      }
      case 'users.info': {
        const id = typeof body.user === 'string' ? body.user : '';
        const user = users[id];
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: userObject(id, user, isTrue(body.include_locale)) };
      }
      case 'conversations.info': {
        const known = channel ? channels[channel] : undefined;
        if (!channel || !known) return { ok: false, error: 'channel_not_found' };
        const info = {
          id: channel,
          name: known.name,
          is_channel: true,
          is_private: false,
          is_archived: false,
          is_member: known.is_member ?? true,
        };
        return { ok: true, channel: info };
      }
      case 'conversations.open': {
        // One member: their IM with the bot, the same id every time (Slack says so with `already_open`).
        const ids = String(body.users ?? '')
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean);
        if (ids.length === 0) return { ok: false, error: 'users_list_not_supplied' };
        if (ids.length > 1) return { ok: false, error: 'not_supported' };
        const [user] = ids as [string];
        if (user === botUserId) return { ok: false, error: 'cannot_dm_bot' };
        if (!users[user]) return { ok: false, error: 'user_not_found' };
        const already = ims.has(user);
        ims.set(user, imOf(user));
        const id = imOf(user);
        const full = isTrue(body.return_im);
        return {
          ok: true,
          ...(already ? { no_op: true, already_open: true } : {}),
          channel: full ? { id, is_im: true, user, created: Math.floor(Date.now() / 1000), is_open: true } : { id },
        };
      }
      case 'conversations.history': {
        const refused = channelRefusal(channel);
        if (refused || !channel) return { ok: false, error: refused ?? 'channel_not_found' };
        if (!stored.has(channel) && !channels[channel] && !channel.startsWith('D')) {
          return { ok: false, error: 'channel_not_found' };
        }
        const range = timeRange(body);
        if (!range) return { ok: false, error: 'invalid_ts_oldest' };
        // Top-level messages only (a thread's parent included, its replies not), newest first.
        const messages = (stored.get(channel) ?? [])
          .filter((message) => !message.threadTs && range.contains(message.ts) && visible(message))
          .reverse();
        const page = pageOf(messages, body, historyPage, 'older');
        if (!page) return { ok: false, error: 'invalid_cursor' };
        const withMetadata = isTrue(body.include_all_metadata);
        return {
          ok: true,
          messages: page.items.map((message) => messageObject(message, withMetadata)),
          has_more: page.next !== undefined,
          pin_count: 0,
          channel_actions_ts: null,
          channel_actions_count: 0,
          ...(page.next !== undefined ? { response_metadata: { next_cursor: page.next } } : {}),
        };
      }
      case 'conversations.replies': {
        const refused = channelRefusal(channel);
        if (refused || !channel) return { ok: false, error: refused ?? 'channel_not_found' };
        if (typeof body.ts !== 'string' || body.ts === '') return { ok: false, error: 'invalid_arguments' };
        const all = stored.get(channel) ?? [];
        // `ts` may be the parent's or any reply's: either way the whole thread comes back.
        const named = all.find((message) => message.ts === body.ts);
        const parent = named?.threadTs ? all.find((message) => message.ts === named.threadTs) : named;
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const range = timeRange(body);
        if (!range) return { ok: false, error: 'invalid_ts_oldest' };
        // The parent opens the first page whatever the range; the replies follow, oldest first.
        const replies = all.filter(
          (message) => message.threadTs === parent.ts && range.contains(message.ts) && visible(message),
        );
        const page = pageOf(body.cursor ? replies : [parent, ...replies], body, repliesPage, 'newer');
        if (!page) return { ok: false, error: 'invalid_cursor' };
        const withMetadata = isTrue(body.include_all_metadata);
        return {
          ok: true,
          messages: page.items.map((message) => messageObject(message, withMetadata)),
          has_more: page.next !== undefined,
          ...(page.next !== undefined ? { response_metadata: { next_cursor: page.next } } : {}),
        };
      }
      case 'files.getUploadURLExternal': {
        const filename = typeof body.filename === 'string' ? body.filename.trim() : '';
        const length = Number(body.length);
        if (filename === '' || body.length === undefined || !Number.isInteger(length) || length < 0) {
          return { ok: false, error: 'invalid_arguments' };
        }
        // Slack: "missing_argument … typically only occurs when the length provided is 0".
        if (length === 0) return { ok: false, error: 'missing_argument' };
        // Slack reads `alt_txt` (its documented name); the `alt_text` @slack/web-api 8.2 sends is not an argument of
        // the method and is ignored, as Slack ignores unknown arguments.
        const altText = typeof body.alt_txt === 'string' ? body.alt_txt : undefined;
        if (altText !== undefined && [...altText].length > maxAltText) return { ok: false, error: 'alt_txt_too_large' };
        fileSequence += 1;
        const id = `F${String(fileSequence).padStart(10, '0')}`;
        const slot = randomUUID();
        fileSlots.set(id, { id, filename, length, ...(altText !== undefined ? { altText } : {}) });
        uploadSlots.set(slot, id);
        return { ok: true, upload_url: `${baseUrl}/upload/v1/${slot}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = body.files;
        if (!Array.isArray(files) || files.length === 0) return { ok: false, error: 'invalid_arguments' };
        const entries = files.map((entry: unknown) => entry as { id?: unknown; title?: unknown });
        const slots = entries.map((entry) => (typeof entry.id === 'string' ? fileSlots.get(entry.id) : undefined));
        // A file never uploaded, or already completed ("this method can only be called once"), is not found.
        if (slots.some((slot) => !slot?.bytes || slot?.shared)) return { ok: false, error: 'file_not_found' };
        const channelId = typeof body.channel_id === 'string' && body.channel_id !== '' ? body.channel_id : undefined;
        const threadTs = typeof body.thread_ts === 'string' && body.thread_ts !== '' ? body.thread_ts : undefined;
        if (threadTs && !channelId) return { ok: false, error: 'invalid_arguments' };
        if (channelId) {
          const refused = channelRefusal(channelId);
          if (refused) return { ok: false, error: refused };
          if (threadTs && !(stored.get(channelId) ?? []).some((message) => message.ts === threadTs)) {
            return { ok: false, error: 'invalid_thread_ts' };
          }
        }
        const comment = typeof body.initial_comment === 'string' ? body.initial_comment : undefined;
        const messageTs = channelId ? nextTs() : undefined;
        const done = (slots as FileSlot[]).map((slot, i) => {
          const title = entries[i]?.title;
          const file: FakeSlackFile = {
            id: slot.id,
            filename: slot.filename,
            title: typeof title === 'string' && title !== '' ? title : slot.filename,
            ...(slot.altText !== undefined ? { altText: slot.altText } : {}),
            length: slot.length,
            bytes: slot.bytes as Buffer,
            encoding: slot.encoding ?? 'raw',
            ...(channelId ? { channel: channelId } : {}),
            ...(threadTs ? { threadTs } : {}),
            ...(comment !== undefined ? { initialComment: comment } : {}),
            ...(messageTs ? { messageTs } : {}),
          };
          slot.shared = file;
          shared.push(file);
          return file;
        });
        if (channelId && messageTs) {
          keep({
            channel: channelId,
            ts: messageTs,
            text: comment ?? '',
            ...(threadTs ? { threadTs } : {}),
            fileIds: done.map((file) => file.id),
            visibleAt: clock.now() + fileShareDelayMs,
          });
        }
        return { ok: true, files: done.map(fileObject) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  /** The upload URL of `files.getUploadURLExternal`: the bytes, raw or as the first file of a multipart form. */
  const receiveUpload = async (
    slotId: string,
    raw: Buffer,
    contentType: string | undefined,
    res: ServerResponse,
  ): Promise<void> => {
    const id = uploadSlots.get(slotId);
    const slot = id ? fileSlots.get(id) : undefined;
    if (!slot || slot.shared) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    if (contentType?.startsWith('multipart/form-data')) {
      // The platform's own multipart parser (undici's Response.formData), as a server framework would use one.
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
      const file = [...form.values()].find((value) => typeof value !== 'string');
      if (!file || typeof file === 'string') {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('no file in the form');
        return;
      }
      slot.bytes = Buffer.from(await file.arrayBuffer());
      slot.encoding = 'multipart';
    } else {
      slot.bytes = raw;
      slot.encoding = 'raw';
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${slot.bytes.length}`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const bytes = await readBytes(req);
    const raw = bytes.toString('utf8');
    if (req.method === 'POST' && url.pathname.startsWith('/upload/v1/')) {
      await receiveUpload(
        decodeURIComponent(url.pathname.slice('/upload/v1/'.length)),
        bytes,
        req.headers['content-type'],
        res,
      );
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      const body = parseBody(raw, req.headers['content-type']);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ?? (typeof body.token === 'string' ? body.token : undefined);
      calls.push({ method, body, token });
      const wait = enforce ? overBudget(method, body) : 0;
      if (wait > 0) {
        refusals++;
        refusalsBy[method] = (refusalsBy[method] ?? 0) + 1;
        sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(Math.ceil(wait / 1000)) });
        return;
      }
      const failure = failures.get(method)?.shift();
      if (failure) {
        const headers: Record<string, string> = {};
        if (failure.status === 429) headers['retry-after'] = String(failure.retryAfter);
        sendJson(res, failure.status, { ok: false, error: failure.error }, headers);
        return;
      }
      sendJson(res, 200, webApi(method, body, token));
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
      const id = decodeURIComponent(url.pathname.slice('/response/'.length));
      const now = clock.now();
      const issued = responseUrls.get(id) ?? { issuedAt: now, uses: 0 };
      responseUrls.set(id, issued);
      const refused = !enforce
        ? undefined
        : now - issued.issuedAt > budgets.responseLifetimeMs
          ? 'expired_url'
          : issued.uses >= budgets.responseUses
            ? 'used_url'
            : undefined;
      const injected = responseFailures.shift();
      if (refused || injected !== undefined) {
        responseRefusals++;
        sendJson(res, refused ? 404 : (injected ?? 404), { ok: false, error: refused ?? 'expired_url' });
        return;
      }
      issued.uses += 1;
      responses.push({ id, body: parseBody(raw, req.headers['content-type']) });
      sendJson(res, 200, { ok: true });
      return;
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: String(error) });
    });
  });

  // Only URLs handed out by apps.connections.open may connect, as with Slack's one-time tickets.
  const wss = new WebSocketServer({
    server,
    path: '/link/',
    verifyClient: ({ req }: { req: IncomingMessage }) => {
      const ticket = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('ticket');
      return ticket !== null && tickets.delete(ticket);
    },
  });

  wss.on('connection', (socket: WebSocket) => {
    connections += 1;
    sockets.add(socket);
    lastSocket = socket;
    const ping = setInterval(() => socket.ping(), options.pingIntervalMs ?? 10_000);
    ping.unref();
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: AckFrame;
      try {
        frame = JSON.parse(data.toString()) as AckFrame;
      } catch {
        return;
      }
      if (typeof frame.envelope_id !== 'string') return;
      acks.push(frame);
      const waiter = pending.get(frame.envelope_id);
      if (waiter) {
        pending.delete(frame.envelope_id);
        clearTimeout(waiter.timer);
        waiter.resolve(frame);
      }
    });
    socket.on('close', () => {
      clearInterval(ping);
      sockets.delete(socket);
      if (lastSocket === socket) lastSocket = undefined;
      notifyState();
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake', approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
    notifyState();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  const waitFor = (check: () => boolean, timeoutMs: number, what: string): Promise<void> => {
    if (check()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        if (!check()) return;
        stateWaiters.delete(waiter);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        stateWaiters.delete(waiter);
        reject(new Error(`fake Slack: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      stateWaiters.add(waiter);
    });
  };

  const openSockets = (): WebSocket[] => [...sockets].filter((socket) => socket.readyState === socket.OPEN);

  const responseUrl = (id: string = randomUUID()): string => {
    if (!responseUrls.has(id)) responseUrls.set(id, { issuedAt: clock.now(), uses: 0 });
    return `${baseUrl}/response/${encodeURIComponent(id)}`;
  };

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    teamId,
    botUserId,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    responses,
    responseUrl,
    failNextResponse: (status) => {
      responseFailures.push(status);
    },
    failNext: (method, error, failOptions = {}) => {
      const status = failOptions.status ?? (error === 'ratelimited' ? 429 : 200);
      const queue = failures.get(method) ?? [];
      queue.push({ error, status, retryAfter: failOptions.retryAfter ?? 1 });
      failures.set(method, queue);
    },
    acks,
    socketConnected: ({ count = 1, timeoutMs = 3000 } = {}) =>
      waitFor(() => connections >= count && openSockets().length > 0, timeoutMs, `socket connection #${count}`),
    socketsClosed: (timeoutMs = 3000) => waitFor(() => sockets.size === 0, timeoutMs, 'the sockets to close'),
    sendEnvelope: (type, payload, envelopeOptions = {}) => {
      const socket = lastSocket && lastSocket.readyState === lastSocket.OPEN ? lastSocket : openSockets().at(-1);
      if (!socket) return Promise.reject(new Error('fake Slack: no open Socket Mode connection'));
      const envelopeId = randomUUID();
      const timeoutMs = envelopeOptions.timeoutMs ?? 3000;
      const ack = new Promise<AckFrame>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelopeId);
          reject(new Error(`fake Slack: no ack for ${type} envelope ${envelopeId} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(envelopeId, { resolve, reject, timer });
      });
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: envelopeOptions.acceptsResponsePayload ?? type === 'slash_commands',
          retry_attempt: envelopeOptions.retryAttempt ?? 0,
          retry_reason: envelopeOptions.retryReason ?? '',
        }),
      );
      return ack;
    },
    disconnectSocket: (reason = 'refresh_requested') => {
      const frame = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake' } });
      for (const socket of openSockets()) socket.send(frame);
    },
    slashCommand: (fields) => ({
      token: VERIFICATION_TOKEN,
      team_id: fields.teamId ?? teamId,
      team_domain: fields.teamDomain ?? 'fake',
      channel_id: fields.channelId,
      channel_name: fields.channelName ?? channels[fields.channelId]?.name ?? 'general',
      user_id: fields.userId,
      user_name: fields.userName ?? users[fields.userId]?.name ?? fields.userId.toLowerCase(),
      command: fields.command ?? '/trilha',
      text: fields.text ?? '',
      api_app_id: appId,
      // Slack posts slash commands as a form, so even in Socket Mode this flag is the string "false".
      is_enterprise_install: 'false',
      response_url: fields.responseUrl ?? responseUrl(),
      trigger_id: `trigger-${randomUUID()}`,
    }),
    modals,
    viewSubmission: (viewId, userId, values) =>
      modals.submission(viewId, { id: userId, name: users[userId]?.name ?? userId.toLowerCase(), teamId }, values, {
        appId,
        token: VERIFICATION_TOKEN,
      }),
    blockAction: (fields) => {
      const team = fields.teamId ?? teamId;
      const threaded = fields.threadTs !== undefined ? { thread_ts: fields.threadTs } : {};
      return {
        type: 'block_actions',
        user: {
          id: fields.userId,
          username: fields.userName ?? users[fields.userId]?.name ?? fields.userId.toLowerCase(),
          name: fields.userName ?? users[fields.userId]?.name ?? fields.userId.toLowerCase(),
          team_id: team,
        },
        api_app_id: appId,
        token: VERIFICATION_TOKEN,
        container: {
          type: 'message',
          message_ts: fields.messageTs,
          channel_id: fields.channelId,
          is_ephemeral: false,
          ...threaded,
        },
        trigger_id: modals.issueTrigger(),
        team: { id: team, domain: 'fake' },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: fields.channelId, name: fields.channelName ?? channels[fields.channelId]?.name ?? 'general' },
        message: {
          type: 'message',
          user: botUserId,
          bot_id: botId,
          ts: fields.messageTs,
          text: fields.messageText ?? 'message',
          blocks: fields.blocks ?? [],
          ...threaded,
        },
        state: { values: {} },
        response_url: fields.responseUrl ?? responseUrl(),
        actions: [
          {
            action_id: fields.actionId,
            block_id: fields.blockId ?? `block-${fields.actionId}`,
            value: fields.value ?? '',
            type: 'button',
            action_ts: nowTs(),
            text: { type: 'plain_text', text: 'x', emoji: true },
          },
        ],
      };
    },
    appHomeOpened: (fields) => {
      const team = fields.teamId ?? teamId;
      const eventTime = Math.floor(Date.now() / 1000);
      return {
        token: VERIFICATION_TOKEN,
        team_id: team,
        api_app_id: appId,
        event: {
          type: 'app_home_opened',
          user: fields.userId,
          channel: fields.channelId ?? `D-${fields.userId}`,
          tab: 'home',
          event_ts: nowTs(),
        },
        type: 'event_callback',
        event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
        event_time: eventTime,
        authorizations: [
          { enterprise_id: null, team_id: team, user_id: botUserId, is_bot: true, is_enterprise_install: false },
        ],
        is_ext_shared_channel: false,
      };
    },
    rateLimited: () => refusals,
    rateLimitedBy: () => ({ ...refusalsBy }),
    refusedResponses: () => responseRefusals,
    messagesIn: (channel) => [...(stored.get(channel) ?? [])],
    imOf,
    uploadedFiles: () => [...shared],
    close: async () => {
      for (const waiter of pending.values()) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('fake Slack: closed before the ack'));
      }
      pending.clear();
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      // Keep-alive connections from the Web API client would hold server.close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A form body (`application/x-www-form-urlencoded`), as Slack posts slash commands. */
export function formBody(fields: Readonly<Record<string, string>>): string {
  return new URLSearchParams(fields).toString();
}

/** An interactive request body as Slack posts it in HTTP mode: one form field `payload` holding the JSON. */
export function interactivePayloadBody(payload: unknown): string {
  return formBody({ payload: JSON.stringify(payload) });
}

export interface SignedRequestOptions {
  /** Unix seconds; now by default. `null` leaves the timestamp header out. */
  readonly timestamp?: number | null;
  readonly contentType?: string;
  /** Overrides the computed `x-slack-signature`; `null` leaves the header out (an unsigned request). */
  readonly signature?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The `x-slack-signature` Slack computes: `v0=` + hex HMAC-SHA256(secret, `v0:{ts}:{rawBody}`). */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs `body` as Slack would in HTTP mode, signed with `signingSecret`. */
export function signedRequest(
  url: string,
  signingSecret: string,
  body: string,
  options: SignedRequestOptions = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const timestamp = options.timestamp === undefined ? Math.floor(Date.now() / 1000) : options.timestamp;
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
  };
  if (timestamp !== null) headers['x-slack-request-timestamp'] = String(timestamp);
  const signature =
    options.signature === undefined ? slackSignature(signingSecret, timestamp ?? 0, body) : options.signature;
  if (signature !== null) headers['x-slack-signature'] = signature;
  Object.assign(headers, options.headers);
  return new Promise((resolve, reject) => {
    // No keep-alive agent, so the receiver's server can close as soon as the test stops the app.
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      readBody(res).then((text) => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }), reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function readBody(stream: IncomingMessage): Promise<string> {
  return readBytes(stream).then((bytes) => bytes.toString('utf8'));
}

function readBytes(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** Slack's `oldest`/`latest` window (Unix seconds with microseconds; exclusive unless `inclusive`). */
function timeRange(body: Record<string, unknown>): { contains(ts: string): boolean } | undefined {
  const oldest = body.oldest === undefined || body.oldest === '' ? 0 : Number(body.oldest);
  const latest = body.latest === undefined || body.latest === '' ? Number.POSITIVE_INFINITY : Number(body.latest);
  if (!Number.isFinite(oldest) || Number.isNaN(latest)) return undefined;
  const inclusive = isTrue(body.inclusive);
  return {
    contains: (ts) => {
      const at = Number(ts);
      return inclusive ? at >= oldest && at <= latest : at > oldest && at < latest;
    },
  };
}

/**
 * One page of `items` (already in the order the method returns them) from `body.cursor` on, at most `limit`. The
 * cursor is opaque to clients; like Slack's it is base64 of `next_ts:<ts>`, the first message of the next page.
 */
function pageOf<T extends { readonly ts: string }>(
  items: readonly T[],
  body: Record<string, unknown>,
  sizes: { readonly default: number; readonly max: number },
  direction: 'older' | 'newer',
): { items: T[]; next?: string } | undefined {
  const asked = Number(body.limit);
  const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, sizes.max) : sizes.default;
  let start = 0;
  if (typeof body.cursor === 'string' && body.cursor !== '') {
    const decoded = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(body.cursor, 'base64').toString('utf8'));
    if (!decoded) return undefined;
    const from = Number(decoded[1]);
    start = items.findIndex((item) => (direction === 'older' ? Number(item.ts) <= from : Number(item.ts) >= from));
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + limit);
  const following = items[start + limit];
  return following ? { items: page, next: Buffer.from(`next_ts:${following.ts}`).toString('base64') } : { items: page };
}

function isMetadata(value: unknown): value is FakeSlackMessage['metadata'] {
  if (typeof value !== 'object' || value === null) return false;
  const { event_type: type, event_payload: payload } = value as Record<string, unknown>;
  return typeof type === 'string' && type !== '' && typeof payload === 'object' && payload !== null;
}

/** What Slack reports as a file's `mimetype`, from its extension (only the kinds Trilha sends are needed). */
function mimeTypeOf(filename: string): string {
  const extension = filename.split('.').pop()?.toLowerCase() ?? '';
  const known: Record<string, string> = {
    png: 'image/png',
    csv: 'text/csv',
    json: 'application/json',
    txt: 'text/plain',
  };
  return known[extension] ?? 'application/octet-stream';
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  let fields: Record<string, unknown>;
  if (contentType?.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    fields = typeof parsed === 'object' && parsed !== null ? { ...(parsed as Record<string, unknown>) } : {};
  } else {
    fields = Object.fromEntries(new URLSearchParams(raw));
  }
  for (const key of JSON_FIELDS) {
    const value = fields[key];
    if (typeof value !== 'string') continue;
    try {
      fields[key] = JSON.parse(value);
    } catch {
      // Not JSON: keep the string, as Slack would answer invalid_blocks rather than crash.
    }
  }
  return fields;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
