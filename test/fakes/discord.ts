/**
 * A fake Discord on 127.0.0.1 that speaks Discord's own protocols (REST API v10 with JSON or multipart/form-data
 * bodies; the gateway with JSON text frames, no compression), so the Discord adapter can be tested through the real
 * discord.js:
 * `new Client({ rest: { api: fake.apiUrl } })` logs in (`GET /gateway/bot`, then HELLO → IDENTIFY → READY → one
 * GUILD_CREATE per guild), receives the interactions a test sends (`slashCommand`, `button`, `autocomplete`) and
 * answers them over REST. Every REST request is recorded before it is answered, and checked the way Discord checks
 * it: the bot token, the bot's permissions in the channel, message and command limits (400 50035 with Discord's
 * `errors` tree), one acknowledgement per interaction (40060) within the 3 s deadline (10062). Failures (403, 429, …)
 * can be injected per route, and the token revoked.
 * - Files: every route that takes a message (channel messages, the interaction callback, the webhook follow-up and
 *   `@original` edit) also takes `multipart/form-data` — `payload_json` plus `files[n]`, described by `attachments:
 *   [{ id: n, filename, description }]` — as Discord's "Uploading Files" documents it: at most 10 files (30015), each
 *   within `attachmentSizeLimit` and the request within 25 MiB (413 40005), attachment ids matching the `files[n]` sent
 *   (or, in an edit, attachments the message has). The files are stored with the message (`filesOf`), listed in its
 *   `attachments`, and served at their `url`.
 * - Direct messages: `POST /users/@me/channels` opens one DM channel per user (type 1, the same id every time);
 *   messages to a user marked with `closeDms` (or `closedDms`) get 403 50007 "Cannot send messages to this user".
 *   `dmButton` (a click on a message the bot posted there) and `dmSlashCommand` send interactions from that DM as
 *   Discord does (context 1 BOT_DM: no guild nor member, the user at the top level) on shard 0's session; they are
 *   answered like guild ones (callback, `@original`, follow-ups).
 * - `nonce` (at most 25 characters, 50035 otherwise) with `enforce_nonce: true` on `POST /channels/{id}/messages`:
 *   within `nonceWindowMs` the same author's message with the same nonce in the same channel is returned (200) and
 *   none is created; when that message was deleted meanwhile, 404 10008 (what Discord's staff described on
 *   discord-api-docs#6647: the flow is a safe retry, never a re-creation).
 * - Budgets and edges a real server meets (docs/platform-budgets.md has the sources), on by default: the global 50
 *   requests a second of a bot (interaction callbacks and webhooks exempt), per-route buckets per channel (5 messages
 *   per 5 s, 5 message edits per 5 s), each answer carrying the `x-ratelimit-*` headers discord.js plans with; a nonce
 *   window of 30 s (Discord promises only "a few minutes"); threads archived after their `auto_archive_duration` of
 *   inactivity on `clock` (an edit in an archived thread is 400 50083, a new message unarchives it); forum and media
 *   channels (types 15 and 16): no messages of their own (400 50008), a post is a thread made with its first message
 *   (`POST /channels/{id}/threads` with `message`).
 * - `GET /channels/{id}/messages` (newest first, `limit`, `before`/`after`) lists what the channel holds, without
 *   nonces (Discord returns a nonce only to the request that created the message).
 * Facts it follows: /work/shared/notes/platform-fakes.md (Part A) and /work/shared/notes/platform-limits.md (section 2).
 * Sharding: a session gets the guilds of the shard it IDENTIFYed as, and their interactions. Not modelled:
 * compression, select-menu and modal interactions, per-route buckets other than message create and edit (thread
 * creation and reads run under the global limit only), option types that
 * need `resolved` data (users, channels, roles), group DMs, nonces on webhooks (Discord has none there).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { type FakeClock, realClock } from './clock.ts';

export interface FakeDiscordChannel {
  readonly id: string;
  readonly name: string;
  /** 0 text (default), 15 forum, 16 media: a forum or media channel holds posts (threads), no messages. */
  readonly type?: 0 | 15 | 16;
  /**
   * The bot's permissions in the channel, a Discord bitfield as a decimal string; by default all the bot needs
   * (ViewChannel | SendMessages | EmbedLinks | ReadMessageHistory | CreatePublicThreads | SendMessagesInThreads).
   */
  readonly botPermissions?: string;
}

export interface FakeDiscordGuild {
  readonly id: string;
  readonly name: string;
  /** 'pt-BR' by default. */
  readonly preferredLocale?: string;
  readonly channels: readonly FakeDiscordChannel[];
}

export interface FakeDiscordOptions {
  readonly guilds?: readonly FakeDiscordGuild[];
  /** The accepted bot token, 'fake-discord-token' by default; any other gets 401 on REST and close 4004 on IDENTIFY. */
  readonly token?: string;
  readonly applicationId?: string;
  /** The bot user's id; the application id by default, as for every bot created since 2019. */
  readonly botUserId?: string;
  /** 41250 ms by default (Discord's value), so heartbeats stay out of the way of short tests. */
  readonly heartbeatIntervalMs?: number;
  /** How long after INTERACTION_CREATE the first callback is accepted; 3000 ms by default, as on Discord. */
  readonly interactionDeadlineMs?: number;
  /**
   * Enforce Discord's rate limits as its headers describe them (on unless false): the global 50 requests per second of
   * a bot (interaction callbacks and webhooks excluded), and per channel 5 messages and 5 message edits per 5 s (the
   * buckets discord.js learns from the `x-ratelimit-*` headers). Over a limit: 429 with `retry_after`.
   */
  readonly rateLimits?: boolean;
  /** The fake's time (nonce window, thread auto-archive, rate windows); real time by default. */
  readonly clock?: FakeClock;
  /**
   * The largest file a message may carry, in bytes; also sent as interactions' `attachment_size_limit`. 20 MiB by
   * default: Discord's default for every user, raised by Nitro or a server's boost tier (API reference, "Uploading
   * Files").
   */
  readonly attachmentSizeLimit?: number;
  /**
   * How long a message's nonce is remembered for `enforce_nonce` (Discord: "checked for uniqueness in the past few
   * minutes", no exact number); 30 s by default, shorter than Discord's few minutes: the bot must not lean on more.
   */
  readonly nonceWindowMs?: number;
  /** Users whose DMs are closed to the bot: a message to them gets 403 50007. */
  readonly closedDms?: readonly string[];
}

export interface FakeDiscordUser {
  readonly id: string;
  readonly username: string;
  readonly globalName?: string;
}

/** A file part of a multipart request (`files[n]`), as it arrived. */
export interface RecordedFile {
  /** The form field: `files[0]`. */
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export interface RecordedCall {
  readonly method: string;
  /** The path after /api/v10, percent-decoded: '/channels/1/messages', '/webhooks/APP/TOKEN/messages/@original'. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The parsed JSON body (a multipart request's `payload_json`, or its other fields), or null. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary paths of the JSON the bot sent.
  readonly body: any;
  /** The files of a multipart request, in the order sent; empty for JSON. */
  readonly files: readonly RecordedFile[];
  readonly auth: string | undefined;
  /** performance.now() when the request arrived. */
  readonly at: number;
}

/** A user object as Discord sends it. */
export interface FakeApiUser {
  readonly id: string;
  readonly username: string;
  readonly global_name: string | null;
  readonly discriminator: string;
  readonly avatar: string | null;
  readonly bot?: boolean;
  readonly public_flags?: number;
}

/** An embed as Discord returns it (the fields the bot sent, plus `type: 'rich'`). */
export interface FakeEmbed {
  type?: string;
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  footer?: { text: string; icon_url?: string };
  author?: { name: string; url?: string; icon_url?: string };
  fields?: { name: string; value: string; inline?: boolean }[];
  [key: string]: unknown;
}

/** A component as the bot sent it: an action row (type 1) holding buttons (type 2) or one select menu. */
export interface FakeComponent {
  type: number;
  components?: FakeComponent[];
  custom_id?: string;
  label?: string;
  style?: number;
  url?: string;
  disabled?: boolean;
  [key: string]: unknown;
}

/** An attachment as Discord returns it in a message object. */
export interface FakeAttachment {
  readonly id: string;
  readonly filename: string;
  readonly title?: string;
  readonly description?: string;
  readonly content_type?: string;
  readonly size: number;
  /** Where the fake serves the bytes (`GET` it like Discord's CDN). */
  readonly url: string;
  readonly proxy_url: string;
  /** On an ephemeral message's attachments. */
  readonly ephemeral?: boolean;
}

/** A file the fake holds for a message: its attachment and the bytes. */
export interface FakeFile {
  readonly id: string;
  readonly filename: string;
  readonly contentType: string;
  readonly description: string | undefined;
  readonly data: Buffer;
}

/** A DM channel as `POST /users/@me/channels` returns it. */
export interface FakeDmChannel {
  readonly id: string;
  readonly type: 1;
  readonly recipientId: string;
}

/**
 * A message as Discord returns it; the fake keeps one per message the bot posted and applies every edit to it. What
 * the fake hands out are copies: changing them changes nothing in the fake.
 */
export interface FakeMessage {
  readonly id: string;
  /** 0 for channel messages, 20 for answers to a slash command. */
  readonly type: number;
  readonly channel_id: string;
  readonly content: string;
  readonly embeds: FakeEmbed[];
  readonly components: FakeComponent[];
  readonly author: FakeApiUser;
  readonly timestamp: string;
  readonly edited_timestamp: string | null;
  /** 64 ephemeral, 128 loading (a deferred answer not yet edited), 32 has a thread. */
  readonly flags: number;
  readonly tts: boolean;
  readonly mention_everyone: boolean;
  readonly mentions: unknown[];
  readonly mention_roles: string[];
  readonly attachments: FakeAttachment[];
  readonly pinned: boolean;
  /** The nonce the message was created with (returned on creation, as Discord does). */
  readonly nonce?: string | number;
  readonly webhook_id?: string;
  readonly application_id?: string;
  readonly interaction_metadata?: Record<string, unknown>;
  readonly interaction?: Record<string, unknown>;
  /** The thread started from this message, as Discord embeds it. */
  readonly thread?: Record<string, unknown>;
  readonly position?: number;
}

export interface InteractionBase {
  readonly guildId: string;
  readonly channelId: string;
  /** 0 text channel (default), 11 public thread (a forum post too), 15 forum, 16 media; a thread unknown to the fake needs `parentId`. */
  readonly channelType?: 0 | 11 | 15 | 16;
  readonly parentId?: string;
  readonly user: FakeDiscordUser;
  /** 'pt-BR' by default. */
  readonly locale?: string;
  /** The guild's preferred locale by default. */
  readonly guildLocale?: string;
  /** The member's permissions, a decimal string; '0' by default; '32' is Manage Server. */
  readonly permissions?: string;
  /** app_permissions in that channel, a decimal string; the channel's botPermissions by default. */
  readonly appPermissions?: string;
}

export interface SlashCommandOption {
  readonly name: string;
  readonly type: number;
  readonly value: string | number | boolean;
  readonly focused?: boolean;
}

export interface SlashCommandInput extends InteractionBase {
  /** 'trilha' */
  readonly name: string;
  readonly subcommand?: string;
  readonly options?: readonly SlashCommandOption[];
}

export interface ButtonInput extends InteractionBase {
  readonly customId: string;
  /** A message the fake holds (posted by the bot); the whole stored message is sent as `message`. */
  readonly messageId: string;
}

/**
 * A click in the bot's DM with a user (Discord's context 1, BOT_DM): no guild, no member, the user at the top level.
 * The message is one the bot posted in that user's DM channel.
 */
export interface DmButtonInput {
  readonly user: FakeDiscordUser;
  readonly customId: string;
  readonly messageId: string;
  /** 'pt-BR' by default. */
  readonly locale?: string;
}

/** A slash command typed in the bot's DM with a user (context 1); the DM channel is opened if it is not yet. */
export interface DmSlashCommandInput {
  readonly user: FakeDiscordUser;
  /** 'trilha' */
  readonly name: string;
  readonly subcommand?: string;
  readonly options?: readonly SlashCommandOption[];
  /** 'pt-BR' by default. */
  readonly locale?: string;
}

export interface SentInteraction {
  readonly id: string;
  readonly token: string;
  /** performance.now() when INTERACTION_CREATE was sent. */
  readonly sentAt: number;
  /** 2 application command, 3 message component, 4 autocomplete, 5 modal submit. */
  readonly type: 2 | 3 | 4 | 5;
}

export interface FakeThread {
  readonly id: string;
  readonly parentId: string;
  readonly name: string;
  readonly autoArchiveDuration: number;
}

export interface GatewayStats {
  /** WebSocket connections opened. */
  readonly connections: number;
  readonly identifies: number;
  readonly resumes: number;
  /** Heartbeats received (each one ACKed). */
  readonly heartbeats: number;
}

export interface FailureSpec {
  readonly status: number;
  readonly code?: number;
  readonly message?: string;
  /** Seconds, for a 429. */
  readonly retryAfter?: number;
  /** How many matching calls fail; 1 by default. */
  readonly times?: number;
}

export interface WaitOptions {
  readonly count?: number;
  readonly timeoutMs?: number;
}

export interface FakeDiscord {
  /** For discord.js's `rest.api`: 'http://127.0.0.1:P/api' (no /v10: discord.js appends it). */
  readonly apiUrl: string;
  /** 'ws://127.0.0.1:P/gateway', what GET /gateway/bot hands out. */
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly port: number;
  readonly calls: readonly RecordedCall[];
  callsTo(method: string, path: string | RegExp): RecordedCall[];
  /** Resolves with the matching calls once at least `count` (default 1) were recorded. */
  waitForCall(method: string, path: string | RegExp, options?: WaitOptions): Promise<RecordedCall[]>;
  /** Resolves once a client IDENTIFYed and was sent READY and every GUILD_CREATE. */
  ready(timeoutMs?: number): Promise<void>;
  /** Sends INTERACTION_CREATE type 2 (a slash command) over the gateway. */
  slashCommand(input: SlashCommandInput): SentInteraction;
  /** Sends INTERACTION_CREATE type 4; exactly one option must have `focused: true`. */
  autocomplete(input: SlashCommandInput): SentInteraction;
  /** Sends INTERACTION_CREATE type 3: data {custom_id, component_type: 2} and the whole stored message. */
  button(input: ButtonInput): SentInteraction;
  /** The modal an interaction was answered with (response type 9), if any. */
  modalShown(interaction: SentInteraction): Json | undefined;
  /**
   * The member submits the modal `interaction` was answered with: a modal submit interaction (type 5) with each text
   * input's value (`values[custom_id]`), from the same member, channel and message. A modal is submitted once.
   */
  modalSubmit(interaction: SentInteraction, values: Readonly<Record<string, string>>): SentInteraction;
  /** A button click in the bot's DM with the user, on shard 0's session (Discord sends DM events to shard 0). */
  dmButton(input: DmButtonInput): SentInteraction;
  /** A slash command in the bot's DM with the user, on shard 0's session. */
  dmSlashCommand(input: DmSlashCommandInput): SentInteraction;
  /** Everything the bot sent for one interaction, in order: the callback(s) and the webhook calls with its token. */
  responsesTo(interaction: SentInteraction): RecordedCall[];
  waitForResponse(interaction: SentInteraction, options?: WaitOptions): Promise<RecordedCall[]>;
  /** The messages the bot posted in a channel or thread (a thread's id = its starter message's id), after edits. */
  messagesIn(channelId: string): FakeMessage[];
  /** The messages one interaction created or now answers with (its original response and follow-ups, ephemeral ones too). */
  messagesFor(interaction: SentInteraction): FakeMessage[];
  /** Any message the fake holds (channel or ephemeral), after edits; undefined once deleted. */
  message(id: string): FakeMessage | undefined;
  /** The files a message carries now (after edits), in the order of its `attachments`. */
  filesOf(messageId: string): FakeFile[];
  /** The DM channel the bot opened with a user, if any. */
  dmChannelOf(userId: string): FakeDmChannel | undefined;
  /** The messages the bot sent a user in their DM channel. */
  directMessagesTo(userId: string): FakeMessage[];
  /** From now on the user's DMs are closed to the bot: a message to them gets 403 50007. */
  closeDms(userId: string): void;
  /**
   * Holds a message posted elsewhere (by another fake: two bot processes on one guild) as if the bot had posted it
   * here, so `button()` can click on it. It needs `id` and `channel_id` (a channel or thread this fake knows).
   */
  adoptMessage(message: { readonly id: string; readonly channel_id?: string }): void;
  threads(): FakeThread[];
  /** What the last bulk overwrite (PUT) stored for that scope, with ids added. */
  // biome-ignore lint/suspicious/noExplicitAny: command JSON as Discord returns it, read freely by tests.
  registeredCommands(scope: 'global' | { guildId: string }): any[];
  /**
   * The next matching REST call fails, e.g. failNext('POST', /\/channels\/C1\/messages$/, { status: 403, code: 50013,
   * message: 'Missing Permissions' }) or { status: 429, retryAfter: 0.2 } (Discord's 429: a retry_after body, a
   * retry-after header and x-ratelimit-scope: user).
   */
  failNext(method: string, path: string | RegExp, failure: FailureSpec): void;
  /** From now on every authenticated REST call gets 401, and IDENTIFY/RESUME are closed with 4004. */
  revokeToken(): void;
  /** Closes the current gateway socket from the server side (4000 by default: discord.js reconnects and RESUMEs). */
  dropGatewayConnection(code?: number): void;
  gatewayStats(): GatewayStats;
  /** How many requests the `rateLimits` option refused with a 429. */
  rateLimited(): number;
  /** The 429s per bucket (`global`, `channel-messages`, `channel-message-edits`). */
  rateLimitedBy(): Record<string, number>;
  /** Closes the sockets and the server (undici keeps REST connections alive, so they are cut too). */
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
type Writable<T> = { -readonly [K in keyof T]: T[K] };
type StoredMessage = Writable<FakeMessage>;
type Path = readonly (string | number)[];

interface FieldError {
  readonly path: Path;
  readonly code: string;
  readonly message: string;
}

interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

interface GuildState {
  readonly id: string;
  readonly name: string;
  readonly preferredLocale: string;
  readonly botRoleId: string;
  readonly botRolePermissions: bigint;
  readonly joinedAt: string;
  readonly channelIds: string[];
}

interface ChannelState {
  readonly id: string;
  readonly guildId: string;
  readonly type: 0 | 11 | 12 | 15 | 16;
  readonly name: string;
  readonly position: number;
  /** A thread: the last time (clock ms) a message was sent in it or it was unarchived; archived after its duration. */
  lastActivityAt: number;
  readonly parentId: string | null;
  /** For a thread: its parent's. */
  readonly botPermissions: bigint;
  readonly ownerId: string | null;
  readonly autoArchiveDuration: number;
  readonly createdAt: string;
  lastMessageId: string | null;
  messageCount: number;
}

/** A DM channel between the bot and one user. */
interface DmState {
  readonly id: string;
  readonly recipient: FakeApiUser;
  lastMessageId: string | null;
}

/** The bytes of one stored attachment. */
interface StoredFile {
  readonly data: Buffer;
  readonly contentType: string;
}

interface InteractionState {
  readonly sent: SentInteraction;
  /** Null for an interaction in the bot's DM with the user. */
  readonly guildId: string | null;
  readonly channelId: string;
  readonly user: FakeApiUser;
  /** The guild member; null in a DM, where the user comes alone. */
  readonly member: Json | null;
  /** `authorizing_integration_owners` as the interaction carried it. */
  readonly owners: Json;
  /** The command name with its subcommand ('trilha hoje'), for commands and autocomplete. */
  readonly commandName: string | null;
  /** The message a button is on. */
  readonly sourceMessageId: string | null;
  acked: boolean;
  callbackType: number | null;
  originalId: string | null;
  readonly messageIds: string[];
}

interface Session {
  readonly id: string;
  readonly intents: number;
  /** `[shard id, shard count]` from IDENTIFY: the session receives the guilds (and their interactions) of its shard. */
  readonly shard: readonly [number, number];
  seq: number;
  readonly events: Json[];
  socket: WebSocket | undefined;
}

interface PendingFailure {
  readonly method: string;
  readonly path: string | RegExp;
  readonly failure: FailureSpec;
  remaining: number;
}

interface StoredCommand extends Json {
  readonly id: string;
  readonly name: string;
  readonly type: number;
}

/** Permission bits the fake checks (discord.js's PermissionFlagsBits has them all). */
const Permission = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  ReadMessageHistory: 1n << 16n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
  AttachFiles: 1n << 15n,
} as const;

/** What the bot needs and every channel grants unless it says otherwise. */
export const DEFAULT_BOT_PERMISSIONS = String(
  Permission.ViewChannel |
    Permission.SendMessages |
    Permission.EmbedLinks |
    Permission.ReadMessageHistory |
    Permission.CreatePublicThreads |
    Permission.SendMessagesInThreads |
    Permission.AttachFiles,
);

const MessageFlag = {
  SuppressEmbeds: 1 << 2,
  HasThread: 1 << 5,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;
/** The flags a bot may set when it sends a message. */
const SENDABLE_FLAGS =
  MessageFlag.SuppressEmbeds | MessageFlag.Ephemeral | MessageFlag.SuppressNotifications | MessageFlag.IsComponentsV2;

const GUILDS_INTENT = 1;
const MiB = 1024 * 1024;
/** Discord's default per-file limit ("Uploading Files" in the API reference). */
const DEFAULT_ATTACHMENT_SIZE_LIMIT = 20 * MiB;
/** "The maximum request size when sending a message is 25 MiB" (Create Message). */
const MAX_REQUEST_BYTES = 25 * MiB;
/** Error 30015: "Maximum number of attachments in a message reached (10)". */
const MAX_ATTACHMENTS = 10;
/** Create Message: a nonce of "up to 25 characters". */
const MAX_NONCE_LENGTH = 25;
const DEFAULT_NONCE_WINDOW_MS = 30 * 1000;
const FILE_FIELD = /^files\[(\d+)\]$/;
const DISCORD_EPOCH = 1_420_070_400_000n;
const INTERACTION_TOKEN_TTL_MS = 15 * 60 * 1000;
const AUTO_ARCHIVE_DURATIONS = new Set([60, 1440, 4320, 10080]);
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** The locales Discord accepts as localization keys. */
const LOCALES = new Set(
  'id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg ru uk hi th zh-CN ja zh-TW ko'.split(
    ' ',
  ),
);
/** Option types that take choices or autocomplete: STRING, INTEGER, NUMBER. */
const CHOICE_OPTION_TYPES = new Set([3, 4, 10]);
const COMMAND_LIMITS: Readonly<Record<number, number>> = { 1: 100, 2: 15, 3: 15, 4: 1 };
/**
 * `app_permissions` in the bot's DM with a user: what Discord documents an app has there (Attach Files, Embed Links,
 * Mention Everyone, and Use External Emojis in a bot DM).
 */
const DM_APP_PERMISSIONS = String((1n << 15n) | (1n << 14n) | (1n << 17n) | (1n << 18n));
/** The fields of the partial channel an interaction carries, as Discord documents them. */
const PARTIAL_CHANNEL_FIELDS = [
  'id',
  'name',
  'type',
  'last_message_id',
  'nsfw',
  'parent_id',
  'guild_id',
  'flags',
  'rate_limit_per_user',
  'topic',
  'position',
  'thread_metadata',
] as const;

let lastSnowflake = 0n;

/**
 * A snowflake as Discord makes one (ms since 2015 << 22, then worker and increment bits), strictly increasing and
 * shared by every fake in the process, so two fakes (two bot processes) never hand out the same id.
 */
function snowflake(): string {
  let value = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
  if (value <= lastSnowflake) value = lastSnowflake + 1n;
  lastSnowflake = value;
  return value.toString();
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? 'fake-discord-token';
  const applicationId = options.applicationId ?? '1300000000000000001';
  const botUserId = options.botUserId ?? applicationId;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
  const interactionDeadlineMs = options.interactionDeadlineMs ?? 3000;
  const attachmentSizeLimit = options.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT;
  const nonceWindowMs = options.nonceWindowMs ?? DEFAULT_NONCE_WINDOW_MS;

  const calls: RecordedCall[] = [];
  const byToken = new Map<string, RecordedCall[]>();
  const clock = options.clock ?? realClock;
  const limiter = options.rateLimits === false ? null : new RateLimits(clock);
  const failures: PendingFailure[] = [];
  const guilds = new Map<string, GuildState>();
  const channels = new Map<string, ChannelState>();
  const channelMessages = new Map<string, string[]>();
  const messages = new Map<string, StoredMessage>();
  const interactions = new Map<string, InteractionState>();
  // Modals (interaction response type 9) and their submits (interaction type 5): see modalErrors and modalSubmit.
  const modalsShown = new Map<string, Json>();
  const lastInputOf = new Map<string, InteractionBase>();
  const interactionsByToken = new Map<string, InteractionState>();
  const commandIds = new Map<string, string>();
  const dms = new Map<string, DmState>();
  const dmByUser = new Map<string, string>();
  const closedDms = new Set(options.closedDms ?? []);
  const knownUsers = new Map<string, FakeApiUser>();
  const fileBytes = new Map<string, StoredFile>();
  /** `enforce_nonce`: author, channel and nonce → the message created with them, and when. */
  const nonces = new Map<string, { readonly messageId: string; readonly at: number }>();
  const commandStores = new Map<string, StoredCommand[]>();
  const sessions = new Map<string, Session>();
  const sockets = new Set<WebSocket>();
  const stateWaiters = new Set<() => void>();
  const stats = { connections: 0, identifies: 0, resumes: 0, heartbeats: 0 };
  let currentSession: Session | undefined;
  let readyCount = 0;
  let revoked = false;
  let closed = false;
  let gatewayUrl = '';
  let httpBase = '';

  const notify = (): void => {
    for (const waiter of [...stateWaiters]) waiter();
  };

  const botUser: FakeApiUser = {
    id: botUserId,
    username: 'Trilha',
    global_name: null,
    discriminator: '0',
    avatar: null,
    bot: true,
    public_flags: 0,
  };

  // --- Guilds and channels -------------------------------------------------------------------------------------

  for (const guild of options.guilds ?? []) {
    if (guilds.has(guild.id)) throw new Error(`fake Discord: guild ${guild.id} given twice`);
    let union = 0n;
    for (const channel of guild.channels) union |= BigInt(channel.botPermissions ?? DEFAULT_BOT_PERMISSIONS);
    const state: GuildState = {
      id: guild.id,
      name: guild.name,
      preferredLocale: guild.preferredLocale ?? 'pt-BR',
      botRoleId: snowflake(),
      botRolePermissions: union,
      joinedAt: discordTime(),
      channelIds: [],
    };
    guilds.set(guild.id, state);
    guild.channels.forEach((channel, position) => {
      if (channels.has(channel.id)) throw new Error(`fake Discord: channel ${channel.id} given twice`);
      channels.set(channel.id, {
        id: channel.id,
        guildId: guild.id,
        type: channel.type ?? 0,
        name: channel.name,
        position,
        lastActivityAt: clock.now(),
        parentId: null,
        botPermissions: BigInt(channel.botPermissions ?? DEFAULT_BOT_PERMISSIONS),
        ownerId: null,
        autoArchiveDuration: 1440,
        createdAt: state.joinedAt,
        lastMessageId: null,
        messageCount: 0,
      });
      state.channelIds.push(channel.id);
    });
  }

  const isThread = (channel: ChannelState): boolean => channel.type === 11 || channel.type === 12;
  const isThreadOnly = (channel: ChannelState | undefined): boolean => channel?.type === 15 || channel?.type === 16;
  /** A thread is archived once it has been inactive for its auto-archive duration. */
  const archivedAt = (channel: ChannelState): number | null => {
    if (!isThread(channel)) return null;
    const at = channel.lastActivityAt + channel.autoArchiveDuration * 60_000;
    return clock.now() >= at ? at : null;
  };

  // The bot's role grants every permission any channel gives it; a channel that gives less denies the rest with a
  // member overwrite, so discord.js's channel.permissionsFor(bot) agrees with what the fake enforces.
  const overwritesFor = (channel: ChannelState): Json[] => {
    const guild = guilds.get(channel.guildId);
    const deny = guild ? guild.botRolePermissions & ~channel.botPermissions : 0n;
    return deny === 0n ? [] : [{ id: botUserId, type: 1, allow: '0', deny: deny.toString() }];
  };

  const threadMetadata = (channel: ChannelState): Json => ({
    archived: archivedAt(channel) !== null,
    auto_archive_duration: channel.autoArchiveDuration,
    archive_timestamp: new Date(archivedAt(channel) ?? channel.lastActivityAt).toISOString().replace('Z', '+00:00'),
    locked: false,
    create_timestamp: channel.createdAt,
    ...(channel.type === 12 ? { invitable: true } : {}),
  });

  const channelObject = (channel: ChannelState): Json => {
    if (isThread(channel)) {
      return {
        id: channel.id,
        type: channel.type,
        guild_id: channel.guildId,
        parent_id: channel.parentId,
        owner_id: channel.ownerId,
        name: channel.name,
        last_message_id: channel.lastMessageId,
        rate_limit_per_user: 0,
        flags: 0,
        message_count: channel.messageCount,
        total_message_sent: channel.messageCount,
        member_count: 1,
        thread_metadata: threadMetadata(channel),
      };
    }
    return {
      id: channel.id,
      type: channel.type,
      guild_id: channel.guildId,
      name: channel.name,
      position: channel.position,
      permission_overwrites: overwritesFor(channel),
      topic: null,
      nsfw: false,
      last_message_id: channel.lastMessageId,
      rate_limit_per_user: 0,
      parent_id: null,
      default_auto_archive_duration: 1440,
      flags: 0,
      ...(isThreadOnly(channel)
        ? {
            available_tags: [],
            default_reaction_emoji: null,
            default_thread_rate_limit_per_user: 0,
            default_sort_order: null,
            default_forum_layout: 0,
          }
        : {}),
    };
  };

  /** The partial channel an interaction carries (Discord's list of fields), with the member's permissions in it. */
  const partialChannel = (channel: ChannelState, permissions: string): Json => {
    const full = channelObject(channel);
    const partial: Json = { permissions, last_pin_timestamp: null };
    for (const key of PARTIAL_CHANNEL_FIELDS) if (key in full) partial[key] = full[key];
    return partial;
  };

  const guildCreate = (guild: GuildState): Json => {
    const guildChannels = guild.channelIds.flatMap((id) => {
      const channel = channels.get(id);
      return channel ? [channel] : [];
    });
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: '1000000000000000001',
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      preferred_locale: guild.preferredLocale,
      features: [],
      emojis: [],
      stickers: [],
      roles: [
        role(guild.id, '@everyone', '0', 0),
        {
          ...role(guild.botRoleId, 'Trilha', guild.botRolePermissions.toString(), 1),
          managed: true,
          tags: { bot_id: botUserId },
        },
      ],
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      lazy: true,
      member_count: 2,
      members: [
        {
          user: botUser,
          roles: [guild.botRoleId],
          joined_at: guild.joinedAt,
          nick: null,
          avatar: null,
          premium_since: null,
          deaf: false,
          mute: false,
          flags: 0,
          pending: false,
          communication_disabled_until: null,
        },
      ],
      channels: guildChannels.filter((channel) => !isThread(channel)).map(channelObject),
      threads: guildChannels.filter(isThread).map(channelObject),
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  };

  // --- Messages ------------------------------------------------------------------------------------------------

  const listOf = (channelId: string): string[] => {
    let list = channelMessages.get(channelId);
    if (!list) {
      list = [];
      channelMessages.set(channelId, list);
    }
    return list;
  };

  /**
   * The attachments of a message after a create (`previous` empty) or an edit. With `attachments` in the body, exactly
   * those it lists: new ones by the `n` of their `files[n]`, kept ones by their id (an edit's "attachments to keep");
   * without it, every file sent, added to what the message had. The checks in `fileProblem` ran before.
   */
  const attachmentsAfter = (
    channelId: string,
    data: Json,
    files: readonly RecordedFile[],
    previous: readonly FakeAttachment[],
    ephemeral: boolean,
  ): FakeAttachment[] => {
    const make = (file: RecordedFile, meta: Json): FakeAttachment => {
      const id = snowflake();
      const filename = typeof meta.filename === 'string' && meta.filename !== '' ? meta.filename : file.filename;
      const url = `${httpBase}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
      fileBytes.set(id, { data: file.data, contentType: file.contentType });
      return {
        id,
        filename,
        ...(typeof meta.title === 'string' ? { title: meta.title } : {}),
        ...(typeof meta.description === 'string' ? { description: meta.description } : {}),
        content_type: file.contentType,
        size: file.data.length,
        url,
        proxy_url: url,
        ...(ephemeral ? { ephemeral: true } : {}),
      };
    };
    if (!Array.isArray(data.attachments)) return [...previous, ...files.map((file) => make(file, {}))];
    const sent = new Map(files.map((file) => [FILE_FIELD.exec(file.field)?.[1] ?? '', file]));
    return data.attachments.filter(isRecord).flatMap((entry) => {
      const id = String(entry.id);
      const file = sent.get(id);
      if (file) return [make(file, entry)];
      const kept = previous.find((attachment) => attachment.id === id);
      if (!kept) return [];
      return [typeof entry.description === 'string' ? { ...kept, description: entry.description } : kept];
    });
  };

  const storeMessage = (
    channelId: string,
    data: Json,
    extra: Partial<StoredMessage> = {},
    files: readonly RecordedFile[] = [],
  ): StoredMessage => {
    const id = snowflake();
    const message: StoredMessage = {
      id,
      type: 0,
      channel_id: channelId,
      author: botUser,
      content: typeof data.content === 'string' ? data.content : '',
      embeds: normalizeEmbeds(data.embeds),
      components: componentsOf(data.components),
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: data.tts === true,
      timestamp: discordTime(),
      edited_timestamp: null,
      flags: numberOr(data.flags, 0) & SENDABLE_FLAGS,
      ...extra,
    };
    const ephemeral = (message.flags & MessageFlag.Ephemeral) !== 0;
    message.attachments = attachmentsAfter(channelId, data, files, [], ephemeral);
    messages.set(id, message);
    if (!ephemeral) {
      listOf(channelId).push(id);
      const channel = channels.get(channelId);
      if (channel) {
        channel.lastMessageId = id;
        if (isThread(channel)) channel.messageCount += 1;
      }
      const dm = dms.get(channelId);
      if (dm) dm.lastMessageId = id;
    }
    return message;
  };

  /** Applies an edit (fields present replace, null clears), as Discord's PATCH does. */
  const applyEdit = (message: StoredMessage, data: Json, files: readonly RecordedFile[] = []): void => {
    const wasLoading = (message.flags & MessageFlag.Loading) !== 0;
    if ('content' in data) message.content = typeof data.content === 'string' ? data.content : '';
    if ('embeds' in data) message.embeds = normalizeEmbeds(data.embeds);
    if ('components' in data) message.components = componentsOf(data.components);
    if ('attachments' in data || files.length > 0) {
      const ephemeral = (message.flags & MessageFlag.Ephemeral) !== 0;
      message.attachments = attachmentsAfter(message.channel_id, data, files, message.attachments, ephemeral);
    }
    if (typeof data.flags === 'number') {
      message.flags =
        (message.flags & ~MessageFlag.SuppressEmbeds) |
        (data.flags & MessageFlag.SuppressEmbeds) |
        (data.flags & MessageFlag.IsComponentsV2);
    }
    message.flags &= ~MessageFlag.Loading;
    // Filling in a deferred ("thinking…") answer is its first content, not an edit.
    if (!wasLoading) message.edited_timestamp = discordTime();
  };

  const removeMessage = (id: string): void => {
    const message = messages.get(id);
    if (!message) return;
    messages.delete(id);
    const list = channelMessages.get(message.channel_id);
    const index = list?.indexOf(id) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
  };

  const snapshot = (message: StoredMessage): FakeMessage => structuredClone(message);

  /**
   * Checks a message body (create or edit) and its files against Discord's limits; the result is an error answer
   * (400, or 413 for a file over the size limit) or null.
   */
  const checkMessage = (
    data: Json,
    prefix: Path,
    existing?: StoredMessage,
    files: readonly RecordedFile[] = [],
  ): Answer | null => {
    const errors = messageErrors(data, prefix);
    if (errors.length > 0) return invalidForm(errors);
    const problem = fileProblem(data, files, prefix, existing?.attachments ?? []);
    if (problem) return problem;
    const content = 'content' in data ? data.content : existing?.content;
    const embeds = 'embeds' in data ? data.embeds : existing?.embeds;
    const components = 'components' in data ? data.components : existing?.components;
    const attached = Array.isArray(data.attachments)
      ? data.attachments.length > 0
      : files.length > 0 || (existing?.attachments.length ?? 0) > 0;
    const empty =
      (typeof content !== 'string' || content.trim() === '') &&
      (!Array.isArray(embeds) || embeds.length === 0) &&
      (!Array.isArray(components) || components.length === 0) &&
      (!Array.isArray(data.sticker_ids) || data.sticker_ids.length === 0) &&
      !isRecord(data.poll) &&
      !attached;
    if (empty) return apiError(400, 50006, 'Cannot send an empty message');
    return null;
  };

  /**
   * The files of a message against "Uploading Files": every part named `files[n]` (once each), at most 10 files in the
   * message (30015), each within the size limit (413 40005), every `attachments` entry naming a file sent now or, in an
   * edit, one the message has, with a description of at most 1,024 characters.
   */
  const fileProblem = (
    data: Json,
    files: readonly RecordedFile[],
    prefix: Path,
    previous: readonly FakeAttachment[],
  ): Answer | null => {
    const errors: FieldError[] = [];
    const fields = new Set<string>();
    for (const file of files) {
      if (!FILE_FIELD.test(file.field) || fields.has(file.field)) {
        errors.push({
          path: [file.field],
          code: 'BASE_TYPE_BAD_FIELD',
          message: 'Files must be named files[n], once each.',
        });
      }
      fields.add(file.field);
    }
    // Too many entries is the 30015 below, not a form error.
    const entries = checkCount(errors, data.attachments, [...prefix, 'attachments'], Number.MAX_SAFE_INTEGER);
    entries.forEach((entry, i) => {
      const at: Path = [...prefix, 'attachments', i];
      if (!isRecord(entry) || (typeof entry.id !== 'string' && typeof entry.id !== 'number')) {
        errors.push({ path: [...at, 'id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
        return;
      }
      const id = String(entry.id);
      if (!fields.has(`files[${id}]`) && !previous.some((attachment) => attachment.id === id)) {
        errors.push({
          path: [...at, 'id'],
          code: 'ATTACHMENT_NOT_FOUND',
          message: 'Unknown attachment: no files[n] with this n, nor an attachment of the message with this id.',
        });
      }
      checkLength(errors, entry.description, [...at, 'description'], 0, 1024, false);
      checkLength(errors, entry.title, [...at, 'title'], 0, 1024, false);
    });
    if (errors.length > 0) return invalidForm(errors);
    const count = Array.isArray(data.attachments) ? entries.length : previous.length + files.length;
    if (files.length > MAX_ATTACHMENTS || count > MAX_ATTACHMENTS) {
      return apiError(400, 30015, `Maximum number of attachments in a message reached (${MAX_ATTACHMENTS})`);
    }
    if (files.some((file) => file.data.length > attachmentSizeLimit)) {
      return apiError(413, 40005, 'Request entity too large');
    }
    return null;
  };

  /** A nonce is an integer or a string of at most 25 characters. */
  const nonceProblem = (data: Json): Answer | null => {
    const nonce = data.nonce;
    if (nonce === undefined || nonce === null) return null;
    if (
      (typeof nonce !== 'string' && !(typeof nonce === 'number' && Number.isInteger(nonce))) ||
      String(nonce).length > MAX_NONCE_LENGTH
    ) {
      return invalidForm([
        {
          path: ['nonce'],
          code: 'BASE_TYPE_BAD_LENGTH',
          message: `Must be between 1 and ${MAX_NONCE_LENGTH} in length.`,
        },
      ]);
    }
    return null;
  };

  /**
   * Creates a channel (or DM) message, checked as Discord does, or, with `enforce_nonce`, returns the bot's message of
   * the same nonce in this channel created within `nonceWindowMs` (404 10008 when it has been deleted since).
   */
  const createMessage = (channelId: string, body: Json, call: RecordedCall): Answer => {
    const problem = nonceProblem(body) ?? checkMessage(body, [], undefined, call.files);
    if (problem) return problem;
    const nonce = typeof body.nonce === 'string' || typeof body.nonce === 'number' ? body.nonce : undefined;
    const nonceKey = nonce !== undefined && body.enforce_nonce === true ? `${botUserId}:${channelId}:${nonce}` : null;
    const earlier = nonceKey ? nonces.get(nonceKey) : undefined;
    const now = clock.now();
    if (earlier && now - earlier.at <= nonceWindowMs) {
      const message = messages.get(earlier.messageId);
      return message ? { status: 200, body: snapshot(message) } : apiError(404, 10008, 'Unknown Message');
    }
    const message = storeMessage(
      channelId,
      { ...body, flags: numberOr(body.flags, 0) & ~MessageFlag.Ephemeral },
      nonce !== undefined ? { nonce } : {},
      call.files,
    );
    if (nonceKey) nonces.set(nonceKey, { messageId: message.id, at: now });
    // A message sent in a thread unarchives it (the bot may send there) and counts as activity.
    const thread = channels.get(channelId);
    if (thread && isThread(thread)) thread.lastActivityAt = now;
    notify();
    return { status: 200, body: snapshot(message) };
  };

  // --- Permissions ---------------------------------------------------------------------------------------------

  /** A 404 or 403 when the bot may not do this in the channel, null when it may. */
  const denied = (channel: ChannelState | undefined, needs: readonly bigint[]): Answer | null => {
    if (!channel) return apiError(404, 10003, 'Unknown Channel');
    if ((channel.botPermissions & Permission.ViewChannel) === 0n) return apiError(403, 50001, 'Missing Access');
    for (const need of needs) {
      if ((channel.botPermissions & need) !== need) return apiError(403, 50013, 'Missing Permissions');
    }
    return null;
  };

  // --- Gateway -------------------------------------------------------------------------------------------------

  const sendFrame = (socket: WebSocket, frame: Json): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };

  /** Dispatches an event to a session: sent now if its socket is open, kept for a RESUME otherwise. */
  const dispatchTo = (session: Session, type: string, data: unknown): void => {
    session.seq += 1;
    const frame: Json = { op: 0, t: type, s: session.seq, d: data };
    session.events.push(frame);
    if (session.events.length > 1000) session.events.shift();
    if (session.socket) sendFrame(session.socket, frame);
  };

  const tokenAccepted = (given: unknown): boolean => !revoked && given === token;

  const wss = new WebSocketServer({ noServer: true });

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    stats.connections += 1;
    sockets.add(socket);
    let session: Session | undefined;
    socket.on('close', (code: number) => {
      sockets.delete(socket);
      if (session && session.socket === socket) {
        session.socket = undefined;
        // A client closing with 1000/1001 ends its session (no RESUME); any other close keeps it resumable.
        if (code === 1000 || code === 1001) {
          sessions.delete(session.id);
          if (currentSession === session) currentSession = undefined;
        }
      }
      notify();
    });
    const params = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    if (params.get('v') !== '10') {
      socket.close(4012, 'Invalid API version.');
      return;
    }
    if ((params.get('encoding') ?? 'json') !== 'json') {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    socket.on('message', (raw: RawData, isBinary: boolean) => {
      let payload: unknown;
      try {
        payload = isBinary ? undefined : JSON.parse(rawText(raw));
      } catch {
        payload = undefined;
      }
      if (!isRecord(payload)) {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      const d = isRecord(payload.d) ? payload.d : {};
      switch (payload.op) {
        case 1:
          stats.heartbeats += 1;
          sendFrame(socket, { op: 11, d: null, s: null, t: null });
          notify();
          return;
        case 2: {
          if (session) {
            socket.close(4005, 'Already authenticated.');
            return;
          }
          if (!tokenAccepted(d.token)) {
            socket.close(4004, 'Authentication failed.');
            return;
          }
          if (typeof d.intents !== 'number') {
            socket.close(4013, 'Invalid intent(s).');
            return;
          }
          stats.identifies += 1;
          const shard = shardOf(d.shard);
          if (!shard) {
            socket.close(4010, 'Invalid shard.');
            return;
          }
          session = { id: randomBytes(16).toString('hex'), intents: d.intents, shard, seq: 0, events: [], socket };
          sessions.set(session.id, session);
          currentSession = session;
          dispatchTo(session, 'READY', {
            v: 10,
            user: { ...botUser, verified: true, mfa_enabled: false, flags: 0 },
            user_settings: {},
            guilds: [...guilds.keys()].filter((id) => onShard(id, shard)).map((id) => ({ id, unavailable: true })),
            session_id: session.id,
            session_type: 'normal',
            resume_gateway_url: gatewayUrl,
            shard,
            application: { id: applicationId, flags: 0 },
            private_channels: [],
            presences: [],
            relationships: [],
            guild_join_requests: [],
            geo_ordered_rtc_regions: [],
            auth: {},
          });
          for (const guild of guilds.values()) {
            if (onShard(guild.id, shard)) dispatchTo(session, 'GUILD_CREATE', guildCreate(guild));
          }
          readyCount += 1;
          notify();
          return;
        }
        case 6: {
          if (!tokenAccepted(d.token)) {
            socket.close(4004, 'Authentication failed.');
            return;
          }
          const resumed = typeof d.session_id === 'string' ? sessions.get(d.session_id) : undefined;
          if (!resumed) {
            sendFrame(socket, { op: 9, d: false, s: null, t: null });
            return;
          }
          stats.resumes += 1;
          session = resumed;
          resumed.socket = socket;
          currentSession = resumed;
          const from = typeof d.seq === 'number' ? d.seq : 0;
          for (const frame of resumed.events) {
            if (typeof frame.s === 'number' && frame.s > from) sendFrame(socket, frame);
          }
          dispatchTo(resumed, 'RESUMED', {});
          notify();
          return;
        }
        case 3:
        case 4:
        case 8:
          // Presence, voice state and member requests: accepted and ignored.
          if (!session) socket.close(4003, 'Not authenticated.');
          return;
        default:
          socket.close(4001, 'Unknown opcode.');
      }
    });
    sendFrame(socket, { op: 10, d: { heartbeat_interval: heartbeatIntervalMs }, s: null, t: null });
  });

  // --- Interactions (sent over the gateway) --------------------------------------------------------------------

  /**
   * The session that receives a guild's events: the live one of the guild's shard, else the latest one. DM events
   * (guild null) go to shard 0, as Discord sends them.
   */
  const requireSession = (guildId: string | null): Session => {
    const live = [...sessions.values()].filter(
      (session) => session.socket && (guildId === null ? session.shard[0] === 0 : onShard(guildId, session.shard)),
    );
    const session = live.at(-1) ?? currentSession;
    if (!session) throw new Error('fake Discord: no client has IDENTIFYed on the gateway');
    return session;
  };

  /** The channel an interaction comes from; a thread the fake does not know is registered (started by the user). */
  const interactionChannel = (input: InteractionBase): ChannelState => {
    const guild = guilds.get(input.guildId);
    if (!guild) throw new Error(`fake Discord: unknown guild ${input.guildId}`);
    const known = channels.get(input.channelId);
    if (known) {
      if (known.guildId !== input.guildId) {
        throw new Error(`fake Discord: channel ${input.channelId} is not in guild ${input.guildId}`);
      }
      const type = isThread(known) ? 11 : known.type;
      if (input.channelType !== undefined && input.channelType !== type) {
        throw new Error(`fake Discord: channel ${input.channelId} has type ${known.type}, not ${input.channelType}`);
      }
      return known;
    }
    const parent = input.parentId ? channels.get(input.parentId) : undefined;
    if (input.channelType !== 11 || !parent || parent.guildId !== input.guildId) {
      throw new Error(
        `fake Discord: unknown channel ${input.channelId} (a thread needs channelType 11 and a parentId)`,
      );
    }
    const thread: ChannelState = {
      id: input.channelId,
      guildId: input.guildId,
      type: 11,
      name: `thread-${input.channelId}`,
      position: 0,
      parentId: parent.id,
      botPermissions: parent.botPermissions,
      ownerId: input.user.id,
      autoArchiveDuration: 1440,
      createdAt: discordTime(),
      lastActivityAt: clock.now(),
      lastMessageId: null,
      messageCount: 0,
    };
    channels.set(thread.id, thread);
    guild.channelIds.push(thread.id);
    return thread;
  };

  /** The user of an interaction as Discord sends it (also remembered, so a DM opened later names them). */
  const apiUser = (input: FakeDiscordUser): FakeApiUser => {
    const user: FakeApiUser = {
      id: input.id,
      username: input.username,
      global_name: input.globalName ?? null,
      discriminator: '0',
      avatar: null,
      public_flags: 0,
    };
    knownUsers.set(user.id, user);
    return user;
  };

  /**
   * Registers an interaction and sends INTERACTION_CREATE with the fields every interaction has plus the ones of
   * where it comes from (`origin`: a guild channel with the member, or the bot's DM with the user).
   */
  const emitInteraction = (
    type: 2 | 3 | 4 | 5,
    origin: {
      readonly session: Session;
      readonly guildId: string | null;
      readonly channelId: string;
      readonly user: FakeApiUser;
      readonly member: Json | null;
      readonly owners: Json;
      readonly locale: string | undefined;
      readonly fields: Json;
    },
    data: Json,
    extra: { commandName: string | null; sourceMessageId: string | null; payload?: Json },
  ): SentInteraction => {
    const id = snowflake();
    const interactionToken = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const sent: SentInteraction = { id, token: interactionToken, sentAt: performance.now(), type };
    const state: InteractionState = {
      sent,
      guildId: origin.guildId,
      channelId: origin.channelId,
      user: origin.user,
      member: origin.member,
      owners: origin.owners,
      commandName: extra.commandName,
      sourceMessageId: extra.sourceMessageId,
      acked: false,
      callbackType: null,
      originalId: null,
      messageIds: [],
    };
    interactions.set(id, state);
    interactionsByToken.set(interactionToken, state);
    dispatchTo(origin.session, 'INTERACTION_CREATE', {
      id,
      application_id: applicationId,
      type,
      token: interactionToken,
      version: 1,
      ...origin.fields,
      channel_id: origin.channelId,
      locale: origin.locale ?? 'pt-BR',
      entitlements: [],
      authorizing_integration_owners: origin.owners,
      attachment_size_limit: attachmentSizeLimit,
      data,
      ...extra.payload,
    });
    notify();
    return sent;
  };

  const sendInteraction = (
    type: 2 | 3 | 4 | 5,
    input: InteractionBase,
    data: Json,
    extra: { commandName: string | null; sourceMessageId: string | null; payload?: Json },
  ): SentInteraction => {
    const session = requireSession(input.guildId);
    const channel = interactionChannel(input);
    lastInputOf.set(input.user.id, input);
    const guild = guilds.get(channel.guildId);
    if (!guild) throw new Error(`fake Discord: unknown guild ${channel.guildId}`);
    const user = apiUser(input.user);
    const permissions = input.permissions ?? '0';
    const member: Json = {
      user,
      roles: [],
      joined_at: guild.joinedAt,
      premium_since: null,
      permissions,
      nick: null,
      avatar: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
    const guildLocale = input.guildLocale ?? guild.preferredLocale;
    return emitInteraction(
      type,
      {
        session,
        guildId: guild.id,
        channelId: channel.id,
        user,
        member,
        owners: { '0': guild.id },
        locale: input.locale,
        fields: {
          guild_id: guild.id,
          guild_locale: guildLocale,
          guild: { id: guild.id, locale: guildLocale, features: [] },
          channel: partialChannel(channel, permissions),
          member,
          app_permissions: input.appPermissions ?? channel.botPermissions.toString(),
          context: 0,
        },
      },
      data,
      extra,
    );
  };

  /**
   * An interaction in the bot's DM with a user, shaped as Discord sends one (context 1, BOT_DM): no `guild_id`,
   * `guild`, `guild_locale` nor `member`; the user at the top level; `channel` the DM (type 1 with its recipient);
   * `app_permissions` what an app has in a bot DM; `authorizing_integration_owners` `{ "0": "0" }` (a guild-installed
   * app used in its bot DM: the guild key with "0").
   */
  const sendDmInteraction = (
    type: 2 | 3,
    dm: DmState,
    input: { readonly user: FakeDiscordUser; readonly locale?: string },
    data: Json,
    extra: { commandName: string | null; sourceMessageId: string | null; payload?: Json },
  ): SentInteraction => {
    const session = requireSession(null);
    const user = apiUser(input.user);
    return emitInteraction(
      type,
      {
        session,
        guildId: null,
        channelId: dm.id,
        user,
        member: null,
        owners: { '0': '0' },
        locale: input.locale,
        fields: {
          channel: { id: dm.id, type: 1, last_message_id: dm.lastMessageId, flags: 0, recipients: [user] },
          user,
          app_permissions: DM_APP_PERMISSIONS,
          context: 1,
        },
      },
      data,
      extra,
    );
  };

  /** The DM channel with a user, opened (as the user writing to the bot would) when there is none yet. */
  const dmWith = (input: FakeDiscordUser): DmState => {
    const existing = dmByUser.get(input.id);
    const known = existing ? dms.get(existing) : undefined;
    if (known) return known;
    const dm: DmState = { id: snowflake(), recipient: apiUser(input), lastMessageId: null };
    dms.set(dm.id, dm);
    dmByUser.set(input.id, dm.id);
    return dm;
  };

  const commandData = (input: SlashCommandInput | DmSlashCommandInput): Json => {
    const guildCommand = ('guildId' in input ? commandStores.get(input.guildId) : undefined)?.find(
      (command) => command.name === input.name && command.type === 1,
    );
    const globalCommand = commandStores
      .get('global')
      ?.find((command) => command.name === input.name && command.type === 1);
    const registered = guildCommand ?? globalCommand;
    let commandId = registered?.id ?? commandIds.get(input.name);
    if (!commandId) {
      commandId = snowflake();
      commandIds.set(input.name, commandId);
    }
    const options = (input.options ?? []).map((option) => ({ ...option }));
    return {
      id: commandId,
      name: input.name,
      type: 1,
      ...(guildCommand && 'guildId' in input ? { guild_id: input.guildId } : {}),
      options: input.subcommand ? [{ type: 1, name: input.subcommand, options }] : options,
    };
  };

  const commandLabel = (input: SlashCommandInput | DmSlashCommandInput): string =>
    input.subcommand ? `${input.name} ${input.subcommand}` : input.name;

  // --- REST: interaction callbacks -----------------------------------------------------------------------------

  const interactionMetadata = (state: InteractionState): Json => ({
    id: state.sent.id,
    type: state.sent.type,
    user: state.user,
    authorizing_integration_owners: state.owners,
    ...(state.commandName ? { name: state.commandName, command_type: 1 } : {}),
    ...(state.sourceMessageId ? { interacted_message_id: state.sourceMessageId } : {}),
  });

  /** A message answering an interaction: it comes through the application's webhook, not the bot's channel access. */
  const storeResponse = (
    state: InteractionState,
    data: Json,
    flags: number,
    files: readonly RecordedFile[] = [],
  ): StoredMessage => {
    const message = storeMessage(
      state.channelId,
      data,
      {
        type: state.sent.type === 2 ? 20 : 0,
        flags,
        webhook_id: applicationId,
        application_id: applicationId,
        interaction_metadata: interactionMetadata(state),
        ...(state.commandName
          ? {
              interaction: {
                id: state.sent.id,
                type: state.sent.type,
                name: state.commandName,
                user: state.user,
                ...(state.member ? { member: state.member } : {}),
              },
            }
          : {}),
      },
      files,
    );
    state.messageIds.push(message.id);
    return message;
  };

  // A modal submit (5) may be answered with a message, a deferral or, from a component, an update (Discord's table).
  const callbackTypesFor: Readonly<Record<number, readonly number[]>> = {
    2: [4, 5, 9],
    3: [4, 5, 6, 7, 9],
    4: [8],
    5: [4, 5, 6, 7],
  };

  const interactionCallback = (id: string, interactionToken: string, call: RecordedCall): Answer => {
    const state = interactions.get(id);
    if (!state || state.sent.token !== interactionToken) return apiError(404, 10062, 'Unknown interaction');
    if (state.acked) return apiError(400, 40060, 'Interaction has already been acknowledged.');
    if (call.at - state.sent.sentAt > interactionDeadlineMs) return apiError(404, 10062, 'Unknown interaction');
    const body: Json = isRecord(call.body) ? call.body : {};
    const type = body.type;
    if (typeof type !== 'number' || !(callbackTypesFor[state.sent.type] ?? []).includes(type)) {
      return invalidForm([
        {
          path: ['type'],
          code: 'INTERACTION_RESPONSE_TYPE_INVALID',
          message: 'Interaction response type is invalid for this interaction.',
        },
      ]);
    }
    const data: Json = isRecord(body.data) ? body.data : {};
    let message: StoredMessage | undefined;
    switch (type) {
      case 4: {
        const problem = checkMessage(data, ['data'], undefined, call.files);
        if (problem) return problem;
        message = storeResponse(state, data, numberOr(data.flags, 0) & SENDABLE_FLAGS, call.files);
        state.originalId = message.id;
        break;
      }
      case 5: {
        // The "thinking…" message: it exists (loading) until the bot edits it; only the ephemeral flag counts.
        message = storeResponse(state, {}, MessageFlag.Loading | (numberOr(data.flags, 0) & MessageFlag.Ephemeral));
        state.originalId = message.id;
        break;
      }
      case 6:
        state.originalId = state.sourceMessageId;
        break;
      case 7: {
        const source = state.sourceMessageId ? messages.get(state.sourceMessageId) : undefined;
        if (!source) return apiError(404, 10008, 'Unknown Message');
        const problem = checkMessage(data, ['data'], source, call.files);
        if (problem) return problem;
        applyEdit(source, data, call.files);
        state.originalId = source.id;
        message = source;
        break;
      }
      case 8: {
        const errors = choiceErrors(data.choices, ['data', 'choices']);
        if (errors.length > 0) return invalidForm(errors);
        break;
      }
      case 9: {
        const errors: FieldError[] = [];
        checkLength(errors, data.custom_id, ['data', 'custom_id'], 1, 100, true);
        checkLength(errors, data.title, ['data', 'title'], 1, 45, true);
        errors.push(...modalErrors(data));
        if (errors.length > 0) return invalidForm(errors);
        modalsShown.set(state.sent.id, data);
        break;
      }
    }
    state.acked = true;
    state.callbackType = type;
    notify();
    if (call.query.get('with_response') !== 'true') return { status: 204 };
    const loading = message ? (message.flags & MessageFlag.Loading) !== 0 : undefined;
    return {
      status: 200,
      body: {
        interaction: {
          id: state.sent.id,
          type: state.sent.type,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: loading,
                response_message_ephemeral: (message.flags & MessageFlag.Ephemeral) !== 0,
              }
            : {}),
        },
        resource: { type, ...((type === 4 || type === 7) && message ? { message: snapshot(message) } : {}) },
      },
    };
  };

  // --- REST: interaction webhooks ------------------------------------------------------------------------------

  const webhookRoute = (method: string, parts: readonly string[], call: RecordedCall): Answer => {
    const [app, webhookToken, ...rest] = parts;
    const state = app === applicationId && webhookToken ? interactionsByToken.get(webhookToken) : undefined;
    // An interaction's webhook exists once the interaction is acknowledged (within the deadline), and not for
    // autocomplete, which has no messages.
    if (!state?.acked || state.sent.type === 4) return apiError(404, 10015, 'Unknown Webhook');
    if (call.at - state.sent.sentAt > INTERACTION_TOKEN_TTL_MS) return apiError(401, 50027, 'Invalid Webhook Token');
    const body: Json = isRecord(call.body) ? call.body : {};
    if (rest.length === 0 && method === 'POST') {
      const original = state.originalId ? messages.get(state.originalId) : undefined;
      // Discord's backwards compatibility: the first follow-up after a deferral (type 5) fills in the loading
      // message instead of creating one, keeping its ephemeral state.
      if (state.callbackType === 5 && original && (original.flags & MessageFlag.Loading) !== 0) {
        const problem = checkMessage(body, [], original, call.files);
        if (problem) return problem;
        applyEdit(original, body, call.files);
        notify();
        return { status: 200, body: snapshot(original) };
      }
      const problem = checkMessage(body, [], undefined, call.files);
      if (problem) return problem;
      const message = storeResponse(state, body, numberOr(body.flags, 0) & SENDABLE_FLAGS, call.files);
      notify();
      return { status: 200, body: snapshot(message) };
    }
    if (rest.length === 2 && rest[0] === 'messages' && rest[1]) {
      const targetId = rest[1] === '@original' ? state.originalId : rest[1];
      const owned = targetId !== null && (targetId === state.originalId || state.messageIds.includes(targetId));
      const target = owned && targetId ? messages.get(targetId) : undefined;
      if (!target) return apiError(404, 10008, 'Unknown Message');
      if (method === 'GET') return { status: 200, body: snapshot(target) };
      if (method === 'DELETE') {
        removeMessage(target.id);
        notify();
        return { status: 204 };
      }
      if (method === 'PATCH') {
        const problem = checkMessage(body, [], target, call.files);
        if (problem) return problem;
        applyEdit(target, body, call.files);
        notify();
        return { status: 200, body: snapshot(target) };
      }
    }
    return notFound();
  };

  // --- REST: channels ------------------------------------------------------------------------------------------

  // --- REST: direct messages ----------------------------------------------------------------------------------

  const dmObject = (dm: DmState): Json => ({
    id: dm.id,
    type: 1,
    last_message_id: dm.lastMessageId,
    flags: 0,
    recipients: [dm.recipient],
  });

  /** `POST /users/@me/channels`: the DM channel with `recipient_id`, opened once and the same ever after. */
  const openDm = (call: RecordedCall): Answer => {
    const body: Json = isRecord(call.body) ? call.body : {};
    const recipientId = body.recipient_id;
    if (typeof recipientId !== 'string' || !/^\d{17,20}$/.test(recipientId)) {
      return invalidForm([
        {
          path: ['recipient_id'],
          code: 'NUMBER_TYPE_COERCE',
          message: `Value "${String(recipientId)}" is not snowflake.`,
        },
      ]);
    }
    if (recipientId === botUserId) return apiError(400, 50007, 'Cannot send messages to this user');
    const existing = dmByUser.get(recipientId);
    const known = existing ? dms.get(existing) : undefined;
    if (known) return { status: 200, body: dmObject(known) };
    const recipient: FakeApiUser = knownUsers.get(recipientId) ?? {
      id: recipientId,
      username: `user${recipientId.slice(-4)}`,
      global_name: null,
      discriminator: '0',
      avatar: null,
      public_flags: 0,
    };
    const dm: DmState = { id: snowflake(), recipient, lastMessageId: null };
    dms.set(dm.id, dm);
    dmByUser.set(recipientId, dm.id);
    notify();
    return { status: 200, body: dmObject(dm) };
  };

  const threadMember = (threadId: string): Json => ({
    id: threadId,
    user_id: botUserId,
    join_timestamp: discordTime(),
    flags: 1,
  });

  /** `GET /channels/{id}/messages`: newest first, `limit` (1–100, 50 by default), `before`/`after` a message id. */
  const listMessages = (channelId: string, query: URLSearchParams): Answer => {
    const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50) || 50));
    const before = query.get('before');
    const after = query.get('after');
    const ids = listOf(channelId).filter(
      (id) => (!before || BigInt(id) < BigInt(before)) && (!after || BigInt(id) > BigInt(after)),
    );
    const page = ids.slice(-limit).reverse();
    return {
      status: 200,
      body: page.flatMap((id) => {
        const message = messages.get(id);
        if (!message) return [];
        const { nonce: _nonce, ...listed } = snapshot(message);
        return [listed];
      }),
    };
  };

  /** A post in a forum or media channel: a thread (type 11) started with its first message (`message`). */
  const startPost = (channelId: string, body: Json, call: RecordedCall): Answer => {
    const forum = channels.get(channelId);
    const problem = denied(forum, [Permission.SendMessages]);
    if (problem || !forum) return problem ?? apiError(404, 10003, 'Unknown Channel');
    const first = isRecord(body.message) ? body.message : null;
    if (!first) {
      return invalidForm([{ path: ['message'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    }
    const badFirst = checkMessage(first, ['message'], undefined, call.files);
    if (badFirst) return badFirst;
    const started = startThread(channelId, null, { ...body, type: 11 }, true);
    if (started.status !== 201 || !isRecord(started.body)) return started;
    const threadId = String(started.body.id);
    const message = storeMessage(threadId, first, {}, call.files);
    notify();
    return { status: 201, body: { ...started.body, message: snapshot(message) } };
  };

  const startThread = (channelId: string, messageId: string | null, body: Json, inForum = false): Answer => {
    const parent = channels.get(channelId);
    if (isThreadOnly(parent) && !inForum) return apiError(400, 50008, 'Cannot send messages in a non-text channel');
    if (parent && isThread(parent)) return apiError(400, 50024, 'Cannot execute action on this channel type');
    const type = messageId ? 11 : body.type === 12 ? 12 : 11;
    const problem = denied(parent, [type === 12 ? Permission.CreatePrivateThreads : Permission.CreatePublicThreads]);
    if (problem || !parent) return problem ?? apiError(404, 10003, 'Unknown Channel');
    const starter = messageId ? messages.get(messageId) : undefined;
    if (messageId && (!starter || starter.channel_id !== channelId)) return apiError(404, 10008, 'Unknown Message');
    if (messageId && channels.has(messageId)) {
      return apiError(400, 160004, 'A thread has already been created for this message');
    }
    const errors: FieldError[] = [];
    checkLength(errors, body.name, ['name'], 1, 100, true);
    const duration = body.auto_archive_duration ?? parent.autoArchiveDuration;
    if (typeof duration !== 'number' || !AUTO_ARCHIVE_DURATIONS.has(duration)) {
      errors.push({
        path: ['auto_archive_duration'],
        code: 'BASE_TYPE_CHOICES',
        message: 'Value must be one of {60, 1440, 4320, 10080}.',
      });
    }
    if (errors.length > 0) return invalidForm(errors);
    const thread: ChannelState = {
      id: messageId ?? snowflake(),
      guildId: parent.guildId,
      type,
      name: String(body.name),
      position: 0,
      parentId: parent.id,
      botPermissions: parent.botPermissions,
      ownerId: botUserId,
      autoArchiveDuration: Number(duration),
      createdAt: discordTime(),
      lastActivityAt: clock.now(),
      lastMessageId: null,
      messageCount: 0,
    };
    channels.set(thread.id, thread);
    guilds.get(parent.guildId)?.channelIds.push(thread.id);
    const object = channelObject(thread);
    if (starter) {
      starter.flags |= MessageFlag.HasThread;
      starter.thread = object;
    }
    // Discord tells every session with the Guilds intent.
    for (const session of sessions.values()) {
      if ((session.intents & GUILDS_INTENT) !== 0) {
        dispatchTo(session, 'THREAD_CREATE', { ...object, newly_created: true, member: threadMember(thread.id) });
      }
    }
    notify();
    return { status: 201, body: object };
  };

  /** A DM channel: no permissions to check; a user with closed DMs refuses messages (50007). */
  const dmRoute = (dm: DmState, method: string, parts: readonly string[], call: RecordedCall): Answer => {
    const [, section, messageId] = parts;
    const body: Json = isRecord(call.body) ? call.body : {};
    if (parts.length === 1 && method === 'GET') return { status: 200, body: dmObject(dm) };
    if (section !== 'messages') return notFound();
    if (parts.length === 2 && method === 'POST') {
      if (closedDms.has(dm.recipient.id)) return apiError(403, 50007, 'Cannot send messages to this user');
      return createMessage(dm.id, body, call);
    }
    const message = messageId ? messages.get(messageId) : undefined;
    if (parts.length !== 3 || !message || message.channel_id !== dm.id) return apiError(404, 10008, 'Unknown Message');
    if (method === 'GET') return { status: 200, body: snapshot(message) };
    if (method === 'PATCH') {
      const problem = checkMessage(body, [], message, call.files);
      if (problem) return problem;
      applyEdit(message, body, call.files);
      notify();
      return { status: 200, body: snapshot(message) };
    }
    if (method === 'DELETE') {
      removeMessage(message.id);
      notify();
      return { status: 204 };
    }
    return notFound();
  };

  const channelRoute = (method: string, parts: readonly string[], call: RecordedCall): Answer => {
    const [channelId, section, messageId, sub] = parts;
    if (!channelId) return notFound();
    const dm = dms.get(channelId);
    if (dm) return dmRoute(dm, method, parts, call);
    const channel = channels.get(channelId);
    const body: Json = isRecord(call.body) ? call.body : {};
    if (parts.length === 1 && method === 'GET') {
      return denied(channel, []) ?? { status: 200, body: channel ? channelObject(channel) : null };
    }
    if (section === 'threads' && parts.length === 2 && method === 'POST') {
      return isThreadOnly(channel) ? startPost(channelId, body, call) : startThread(channelId, null, body);
    }
    if (section !== 'messages') return notFound();
    if (isThreadOnly(channel) && parts.length === 2) {
      return apiError(400, 50008, 'Cannot send messages in a non-text channel');
    }
    if (parts.length === 2 && method === 'GET') {
      return denied(channel, [Permission.ReadMessageHistory]) ?? listMessages(channelId, call.query);
    }
    if (parts.length === 2 && method === 'POST') {
      const needs = [channel && isThread(channel) ? Permission.SendMessagesInThreads : Permission.SendMessages];
      if (Array.isArray(body.embeds) && body.embeds.length > 0) needs.push(Permission.EmbedLinks);
      if (call.files.length > 0) needs.push(Permission.AttachFiles);
      return denied(channel, needs) ?? createMessage(channelId, body, call);
    }
    if (!messageId) return notFound();
    if (sub === 'threads' && parts.length === 4 && method === 'POST') return startThread(channelId, messageId, body);
    if (parts.length !== 3) return notFound();
    const access = denied(channel, method === 'GET' ? [Permission.ReadMessageHistory] : []);
    if (access) return access;
    const message = messages.get(messageId);
    if (!message || message.channel_id !== channelId || (message.flags & MessageFlag.Ephemeral) !== 0) {
      return apiError(404, 10008, 'Unknown Message');
    }
    if (method === 'GET') return { status: 200, body: snapshot(message) };
    if (method === 'PATCH') {
      if (channel && archivedAt(channel) !== null) return apiError(400, 50083, 'Thread is archived');
      if (Array.isArray(body.embeds) && body.embeds.length > 0) {
        const embedAccess = denied(channel, [Permission.EmbedLinks]);
        if (embedAccess) return embedAccess;
      }
      if (call.files.length > 0) {
        const fileAccess = denied(channel, [Permission.AttachFiles]);
        if (fileAccess) return fileAccess;
      }
      const problem = checkMessage(body, [], message, call.files);
      if (problem) return problem;
      applyEdit(message, body, call.files);
      notify();
      return { status: 200, body: snapshot(message) };
    }
    if (method === 'DELETE') {
      removeMessage(messageId);
      notify();
      return { status: 204 };
    }
    return notFound();
  };

  // --- REST: application commands ------------------------------------------------------------------------------

  const storeCommand = (scope: string, previous: readonly StoredCommand[], given: Json): StoredCommand => {
    const command = structuredClone(given);
    const type = numberOr(command.type, 1);
    const name = String(command.name);
    const before = previous.find((stored) => stored.name === name && stored.type === type);
    const fields: Json = {
      type,
      name,
      name_localizations: command.name_localizations ?? null,
      description: type === 1 ? String(command.description ?? '') : '',
      description_localizations: command.description_localizations ?? null,
      ...(Array.isArray(command.options) && command.options.length > 0 ? { options: command.options } : {}),
      default_member_permissions: command.default_member_permissions ?? null,
      nsfw: command.nsfw === true,
      ...(scope === 'global'
        ? {
            contexts: command.contexts ?? null,
            integration_types: command.integration_types ?? [0],
            dm_permission: command.dm_permission ?? true,
          }
        : { guild_id: scope }),
    };
    const unchanged = before && JSON.stringify(withoutIds(before)) === JSON.stringify(fields);
    return {
      id: before?.id ?? snowflake(),
      application_id: applicationId,
      version: before && unchanged && typeof before.version === 'string' ? before.version : snowflake(),
      ...fields,
      name,
      type,
    };
  };

  const applicationRoute = (method: string, parts: readonly string[], call: RecordedCall): Answer => {
    const [app, ...rest] = parts;
    if (app === '@me' && rest.length === 0 && method === 'GET') {
      return {
        status: 200,
        body: {
          id: applicationId,
          name: 'Trilha',
          description: '',
          icon: null,
          bot_public: true,
          flags: 0,
          bot: botUser,
        },
      };
    }
    if (app !== applicationId)
      return apiError(403, 20012, 'You are not authorized to perform this action on this application');
    let scope = 'global';
    let tail = rest;
    if (rest[0] === 'guilds') {
      const guildId = rest[1];
      if (!guildId || !guilds.has(guildId)) return apiError(403, 50001, 'Missing Access');
      scope = guildId;
      tail = rest.slice(2);
    }
    if (tail[0] !== 'commands') return notFound();
    const stored = commandStores.get(scope) ?? [];
    if (tail.length === 1 && method === 'GET') return { status: 200, body: structuredClone(stored) };
    if (tail.length === 1 && method === 'PUT') {
      if (!Array.isArray(call.body)) {
        return invalidForm([{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }]);
      }
      const body: unknown[] = call.body;
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      const counts = new Map<number, number>();
      body.forEach((command, index) => {
        errors.push(...commandErrors(command, [index]));
        if (!isRecord(command)) return;
        const type = numberOr(command.type, 1);
        const key = `${type}:${String(command.name)}`;
        if (seen.has(key)) {
          errors.push({
            path: [index, 'name'],
            code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
            message: 'Application command names must be unique',
          });
        }
        seen.add(key);
        counts.set(type, (counts.get(type) ?? 0) + 1);
      });
      if (errors.length > 0) return invalidForm(errors);
      for (const [type, count] of counts) {
        const limit = COMMAND_LIMITS[type] ?? 0;
        if (count > limit) return apiError(400, 30032, `Maximum number of application commands reached (${limit})`);
      }
      const next = body.filter(isRecord).map((command) => storeCommand(scope, stored, command));
      commandStores.set(scope, next);
      notify();
      return { status: 200, body: structuredClone(next) };
    }
    if (tail.length === 1 && method === 'POST') {
      const errors = commandErrors(call.body, []);
      if (errors.length > 0 || !isRecord(call.body)) return invalidForm(errors);
      const command = storeCommand(scope, stored, call.body);
      const existing = stored.findIndex((entry) => entry.id === command.id);
      const next = existing >= 0 ? stored.map((entry, i) => (i === existing ? command : entry)) : [...stored, command];
      commandStores.set(scope, next);
      notify();
      return { status: existing >= 0 ? 200 : 201, body: structuredClone(command) };
    }
    if (tail.length === 2 && tail[1]) {
      const command = stored.find((entry) => entry.id === tail[1]);
      if (!command) return apiError(404, 10063, 'Unknown application command');
      if (method === 'GET') return { status: 200, body: structuredClone(command) };
      if (method === 'DELETE') {
        commandStores.set(
          scope,
          stored.filter((entry) => entry.id !== command.id),
        );
        notify();
        return { status: 204 };
      }
    }
    return notFound();
  };

  // --- REST: dispatch ------------------------------------------------------------------------------------------

  const route = (call: RecordedCall, authed: boolean): Answer => {
    const { method, path } = call;
    const parts = path.split('/').slice(1);
    const [head, ...rest] = parts;
    const unauthorized = (): Answer => apiError(401, 0, '401: Unauthorized');
    switch (head) {
      case 'interactions':
        if (method === 'POST' && rest.length === 3 && rest[2] === 'callback' && rest[0] && rest[1]) {
          return interactionCallback(rest[0], rest[1], call);
        }
        return notFound();
      case 'webhooks':
        return webhookRoute(method, rest, call);
      case 'gateway':
        if (method !== 'GET') return notFound();
        if (rest.length === 0) return { status: 200, body: { url: gatewayUrl } };
        if (rest.length === 1 && rest[0] === 'bot') {
          if (!authed) return unauthorized();
          return {
            status: 200,
            body: {
              url: gatewayUrl,
              shards: 1,
              session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
            },
          };
        }
        return notFound();
      case 'users':
        if (!authed) return unauthorized();
        if (method === 'GET' && rest.length === 1 && rest[0] === '@me') return { status: 200, body: botUser };
        if (method === 'POST' && rest.length === 2 && rest[0] === '@me' && rest[1] === 'channels') return openDm(call);
        return notFound();
      case 'channels':
        if (!authed) return unauthorized();
        return channelRoute(method, rest, call);
      case 'applications':
        if (!authed) return unauthorized();
        return applicationRoute(method, rest, call);
      default:
        return notFound();
    }
  };

  const takeFailure = (method: string, path: string): FailureSpec | undefined => {
    const index = failures.findIndex((entry) => entry.method === method && matches(entry.path, path));
    const entry = failures[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) failures.splice(index, 1);
    return entry.failure;
  };

  /** The CDN side: an attachment's bytes at its `url`. */
  const serveAttachment = (res: ServerResponse, id: string): void => {
    const file = fileBytes.get(id);
    if (!file) {
      sendJson(res, { status: 404, body: { message: '404: Not Found', code: 0 } });
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.data.length });
    res.end(file.data);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const attachment = /^\/attachments\/\d+\/(\d+)\/[^/]+$/.exec(url.pathname);
    if (attachment && method === 'GET') return serveAttachment(res, attachment[1] ?? '');
    const prefix = '/api/v10';
    const versioned = url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
    const path = safeDecode(versioned ? url.pathname.slice(prefix.length) : url.pathname);
    let body: unknown = null;
    let files: RecordedFile[] = [];
    let badBody: Answer | null = null;
    const contentType = req.headers['content-type'] ?? '';
    if (raw.length > MAX_REQUEST_BYTES) {
      badBody = apiError(413, 40005, 'Request entity too large');
    } else if (raw.length > 0) {
      if (contentType.includes('application/json')) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          badBody = apiError(400, 50109, 'The request body contains invalid JSON.');
        }
      } else if (contentType.includes('multipart/form-data')) {
        const form = await parseMultipart(raw, contentType);
        if ('error' in form) badBody = form.error;
        else ({ body, files } = form);
      } else {
        badBody = apiError(400, 50035, 'Invalid Form Body');
      }
    }
    const call: RecordedCall = {
      method,
      path,
      query: url.searchParams,
      body,
      files,
      auth: req.headers.authorization,
      at,
    };
    calls.push(call);
    const callToken = interactionTokenOf(path);
    if (callToken !== undefined) byToken.set(callToken, [...(byToken.get(callToken) ?? []), call]);
    notify();
    if (!versioned) return sendJson(res, { status: 404, body: { message: '404: Not Found', code: 0 } });
    if (badBody) return sendJson(res, badBody);
    const failure = takeFailure(method, path);
    if (failure) return sendJson(res, failureAnswer(failure));
    const limited = limiter?.check(method, path);
    if (limited?.refused) return sendJson(res, limited.refused);
    const answer = route(call, !revoked && call.auth === `Bot ${token}`);
    sendJson(res, limited?.headers ? { ...answer, headers: { ...answer.headers, ...limited.headers } } : answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, { status: 500, body: { message: String(error), code: 0 } });
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (pathname !== '/gateway' || closed) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
  httpBase = `http://127.0.0.1:${port}`;

  // --- Waiting -------------------------------------------------------------------------------------------------

  const waitFor = <T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> => {
    const first = check();
    if (first !== undefined) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const waiter = (): void => {
        if (closed) {
          stateWaiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`fake Discord: closed while waiting for ${what()}`));
          return;
        }
        const value = check();
        if (value === undefined) return;
        stateWaiters.delete(waiter);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        stateWaiters.delete(waiter);
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      stateWaiters.add(waiter);
    });
  };

  const callsTo = (method: string, path: string | RegExp): RecordedCall[] =>
    calls.filter((call) => call.method === method.toUpperCase() && matches(path, call.path));

  // Indexed by interaction token when recorded: a burst of hundreds of waiting interactions (the bench) would
  // otherwise scan every call for each of them on every new call.
  const responsesTo = (interaction: SentInteraction): RecordedCall[] => {
    const callback = `/interactions/${interaction.id}/${interaction.token}/`;
    return (byToken.get(interaction.token) ?? []).filter(
      (call) => !call.path.startsWith('/interactions/') || call.path.startsWith(callback),
    );
  };
  /** The interaction token of a callback or webhook path (`/interactions/ID/TOKEN/callback`, `/webhooks/APP/TOKEN…`). */
  function interactionTokenOf(path: string): string | undefined {
    const callback = /^\/interactions\/[^/]+\/([^/]+)\//.exec(path);
    if (callback) return callback[1];
    const webhook = /^\/webhooks\/([^/]+)\/([^/]+)/.exec(path);
    return webhook && webhook[1] === applicationId ? webhook[2] : undefined;
  }

  const recentCalls = (): string =>
    calls
      .slice(-10)
      .map((call) => `${call.method} ${call.path}`)
      .join(', ') || 'none';

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl,
    applicationId,
    botUserId,
    port,
    calls,
    callsTo,
    waitForCall: (method, path, { count = 1, timeoutMs = 2000 } = {}) =>
      waitFor(
        () => {
          const found = callsTo(method, path);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        () => `${count} × ${method} ${String(path)} (recent calls: ${recentCalls()})`,
      ),
    ready: async (timeoutMs = 5000) => {
      await waitFor(
        () => (readyCount > 0 ? true : undefined),
        timeoutMs,
        () => 'a client to IDENTIFY',
      );
    },
    slashCommand: (input) =>
      sendInteraction(2, input, commandData(input), { commandName: commandLabel(input), sourceMessageId: null }),
    autocomplete: (input) => {
      const focused = (input.options ?? []).filter((option) => option.focused === true);
      if (focused.length !== 1) throw new Error('fake Discord: an autocomplete needs exactly one focused option');
      return sendInteraction(4, input, commandData(input), { commandName: commandLabel(input), sourceMessageId: null });
    },
    modalShown: (interaction) => modalsShown.get(interaction.id),
    modalSubmit: (interaction, values) => {
      const modal = modalsShown.get(interaction.id);
      if (!modal) throw new Error(`fake Discord: interaction ${interaction.id} was not answered with a modal`);
      modalsShown.delete(interaction.id);
      const state = interactions.get(interaction.id);
      const input = state ? lastInputOf.get(state.user.id as string) : undefined;
      if (!state || !input) throw new Error(`fake Discord: no guild interaction ${interaction.id}`);
      const rows = (modal.components as { components: { custom_id: string }[] }[]).map((row) => ({
        type: 1,
        components: row.components.map((field) => ({
          type: 4,
          custom_id: field.custom_id,
          value: values[field.custom_id] ?? '',
        })),
      }));
      const source = state.sourceMessageId ? messages.get(state.sourceMessageId) : undefined;
      return sendInteraction(
        5,
        input,
        { custom_id: modal.custom_id, components: rows },
        {
          commandName: null,
          sourceMessageId: source?.id ?? null,
          ...(source ? { payload: { message: snapshot(source) } } : {}),
        },
      );
    },
    button: (input) => {
      const message = messages.get(input.messageId);
      if (!message) throw new Error(`fake Discord: no message ${input.messageId} to click on`);
      if (message.channel_id !== input.channelId) {
        throw new Error(
          `fake Discord: message ${input.messageId} is in channel ${message.channel_id}, not ${input.channelId}`,
        );
      }
      if (!hasCustomId(message.components, input.customId)) {
        throw new Error(`fake Discord: message ${input.messageId} has no component with custom_id ${input.customId}`);
      }
      return sendInteraction(
        3,
        input,
        { custom_id: input.customId, component_type: 2 },
        { commandName: null, sourceMessageId: message.id, payload: { message: snapshot(message) } },
      );
    },
    dmButton: (input) => {
      const message = messages.get(input.messageId);
      if (!message) throw new Error(`fake Discord: no message ${input.messageId} to click on`);
      const dmId = dmByUser.get(input.user.id);
      const dm = dmId ? dms.get(dmId) : undefined;
      if (!dm || message.channel_id !== dm.id) {
        throw new Error(`fake Discord: message ${input.messageId} is not in the bot's DM with ${input.user.id}`);
      }
      if (!hasCustomId(message.components, input.customId)) {
        throw new Error(`fake Discord: message ${input.messageId} has no component with custom_id ${input.customId}`);
      }
      return sendDmInteraction(
        3,
        dm,
        input,
        { custom_id: input.customId, component_type: 2 },
        { commandName: null, sourceMessageId: message.id, payload: { message: snapshot(message) } },
      );
    },
    dmSlashCommand: (input) =>
      sendDmInteraction(2, dmWith(input.user), input, commandData(input), {
        commandName: commandLabel(input),
        sourceMessageId: null,
      }),
    responsesTo,
    waitForResponse: (interaction, { count = 1, timeoutMs = 2000 } = {}) =>
      waitFor(
        () => {
          const found = responsesTo(interaction);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        () => `${count} response(s) to interaction ${interaction.id} (recent calls: ${recentCalls()})`,
      ),
    messagesIn: (channelId) =>
      (channelMessages.get(channelId) ?? []).flatMap((id) => {
        const message = messages.get(id);
        return message ? [snapshot(message)] : [];
      }),
    messagesFor: (interaction) => {
      const state = interactions.get(interaction.id);
      if (!state) return [];
      const ids = [...new Set([...(state.originalId ? [state.originalId] : []), ...state.messageIds])];
      return ids.flatMap((id) => {
        const message = messages.get(id);
        return message ? [snapshot(message)] : [];
      });
    },
    adoptMessage: (message) => {
      const channelId = message.channel_id;
      if (typeof channelId !== 'string') throw new Error('fake Discord: an adopted message needs its channel_id');
      if (messages.has(message.id)) return;
      // The rest of the message object (content, embeds, components…) is taken as it is.
      const fields: Json = { ...message };
      const stored: StoredMessage = {
        type: 0,
        content: '',
        embeds: [],
        components: [],
        author: botUser,
        timestamp: discordTime(),
        edited_timestamp: null,
        flags: 0,
        tts: false,
        mention_everyone: false,
        mentions: [],
        mention_roles: [],
        attachments: [],
        pinned: false,
        ...structuredClone(fields),
        id: message.id,
        channel_id: channelId,
      };
      messages.set(stored.id, stored);
      if ((stored.flags & MessageFlag.Ephemeral) === 0) listOf(channelId).push(stored.id);
      notify();
    },
    message: (id) => {
      const message = messages.get(id);
      return message ? snapshot(message) : undefined;
    },
    filesOf: (messageId) =>
      (messages.get(messageId)?.attachments ?? []).flatMap((attachment) => {
        const file = fileBytes.get(attachment.id);
        return file
          ? [
              {
                id: attachment.id,
                filename: attachment.filename,
                contentType: file.contentType,
                description: attachment.description,
                data: Buffer.from(file.data),
              },
            ]
          : [];
      }),
    dmChannelOf: (userId) => {
      const id = dmByUser.get(userId);
      return id ? { id, type: 1, recipientId: userId } : undefined;
    },
    directMessagesTo: (userId) => {
      const id = dmByUser.get(userId);
      return (id ? (channelMessages.get(id) ?? []) : []).flatMap((messageId) => {
        const message = messages.get(messageId);
        return message ? [snapshot(message)] : [];
      });
    },
    closeDms: (userId) => {
      closedDms.add(userId);
    },
    threads: () =>
      [...channels.values()].filter(isThread).map((thread) => ({
        id: thread.id,
        parentId: thread.parentId ?? '',
        name: thread.name,
        autoArchiveDuration: thread.autoArchiveDuration,
      })),
    registeredCommands: (scope) =>
      structuredClone(commandStores.get(scope === 'global' ? 'global' : scope.guildId) ?? []),
    failNext: (method, path, failure) => {
      failures.push({ method: method.toUpperCase(), path, failure, remaining: failure.times ?? 1 });
    },
    revokeToken: () => {
      revoked = true;
    },
    dropGatewayConnection: (code = 4000) => {
      const socket = currentSession?.socket;
      if (!socket) throw new Error('fake Discord: no open gateway connection to drop');
      socket.close(code, 'Dropped by the fake');
    },
    gatewayStats: () => ({ ...stats }),
    rateLimited: () => limiter?.refusals ?? 0,
    rateLimitedBy: () => ({ ...limiter?.refusalsBy }),
    close: async () => {
      closed = true;
      notify();
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// --- Validation as Discord does it -----------------------------------------------------------------------------

/** Length in characters (code points), as Discord counts. */
function length(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * What Discord refuses in a modal (response type 9): 1 to 5 action rows, each with one text input (type 4) whose
 * custom_id is 1 to 100 characters, label 1 to 45, style 1 (short) or 2 (paragraph), placeholder at most 100,
 * min_length and max_length within 0 to 4,000 (max_length at least 1).
 */
function modalErrors(data: Json): FieldError[] {
  const errors: FieldError[] = [];
  const rows = Array.isArray(data.components) ? (data.components as Json[]) : null;
  if (!rows || rows.length < 1 || rows.length > 5) {
    errors.push({
      path: ['data', 'components'],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be between 1 and 5 in length.',
    });
    return errors;
  }
  rows.forEach((row, r) => {
    const fields = Array.isArray(row.components) ? (row.components as Json[]) : [];
    const at: Path = ['data', 'components', r, 'components'];
    if (row.type !== 1 || fields.length !== 1) {
      errors.push({ path: at, code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 1 in length.' });
      return;
    }
    const field = fields[0] as Json;
    const f: Path = [...at, 0];
    if (field.type !== 4)
      errors.push({ path: [...f, 'type'], code: 'COMPONENT_TYPE_INVALID', message: 'Invalid type.' });
    checkLength(errors, field.custom_id, [...f, 'custom_id'], 1, 100, true);
    checkLength(errors, field.label, [...f, 'label'], 1, 45, true);
    checkLength(errors, field.placeholder, [...f, 'placeholder'], 0, 100, false);
    if (field.style !== 1 && field.style !== 2) {
      errors.push({ path: [...f, 'style'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of (1, 2).' });
    }
    const max = field.max_length;
    if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 4000)) {
      errors.push({
        path: [...f, 'max_length'],
        code: 'NUMBER_TYPE_MAX',
        message: 'int value should be between 1 and 4000.',
      });
    }
  });
  return errors;
}

function checkLength(
  errors: FieldError[],
  value: unknown,
  path: Path,
  min: number,
  max: number,
  required: boolean,
): void {
  if (value === undefined || value === null) {
    if (required) errors.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  if (typeof value !== 'string') {
    errors.push({ path, code: 'BASE_TYPE_BAD_TYPE', message: 'Must be a string.' });
    return;
  }
  const size = length(value);
  if (min > 0 && (size < min || size > max)) {
    errors.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` });
  } else if (size > max) {
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

function checkCount(errors: FieldError[], value: unknown, path: Path, max: number): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.push({ path, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return [];
  }
  if (value.length > max) {
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
  return value;
}

/** Content, embeds and components of a message body against Discord's limits. */
function messageErrors(data: Json, prefix: Path): FieldError[] {
  const errors: FieldError[] = [];
  checkLength(errors, data.content, [...prefix, 'content'], 0, 2000, false);
  const embeds = checkCount(errors, data.embeds, [...prefix, 'embeds'], 10);
  let total = 0;
  embeds.forEach((embed, i) => {
    const at: Path = [...prefix, 'embeds', i];
    if (!isRecord(embed)) {
      errors.push({ path: at, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
      return;
    }
    const text = (value: unknown): number => (typeof value === 'string' ? length(value) : 0);
    checkLength(errors, embed.title, [...at, 'title'], 0, 256, false);
    checkLength(errors, embed.description, [...at, 'description'], 0, 4096, false);
    total += text(embed.title) + text(embed.description);
    const fields = checkCount(errors, embed.fields, [...at, 'fields'], 25);
    fields.forEach((field, j) => {
      const fieldAt: Path = [...at, 'fields', j];
      const record = isRecord(field) ? field : {};
      checkLength(errors, record.name, [...fieldAt, 'name'], 1, 256, true);
      checkLength(errors, record.value, [...fieldAt, 'value'], 1, 1024, true);
      total += text(record.name) + text(record.value);
    });
    if (isRecord(embed.footer)) {
      checkLength(errors, embed.footer.text, [...at, 'footer', 'text'], 1, 2048, true);
      total += text(embed.footer.text);
    }
    if (isRecord(embed.author)) {
      checkLength(errors, embed.author.name, [...at, 'author', 'name'], 1, 256, true);
      total += text(embed.author.name);
    }
  });
  if (total > 6000) {
    errors.push({
      path: [...prefix, 'embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: 'Embed size exceeds maximum size of 6000',
    });
  }
  const flags = typeof data.flags === 'number' ? data.flags : 0;
  if ((flags & MessageFlag.IsComponentsV2) !== 0) {
    // Components V2: up to 40 components in all; their layout is not checked here.
    if (countComponents(data.components) > 40) {
      errors.push({
        path: [...prefix, 'components'],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 40 or fewer in length.',
      });
    }
    return errors;
  }
  const rows = checkCount(errors, data.components, [...prefix, 'components'], 5);
  const customIds = new Set<string>();
  rows.forEach((row, i) => {
    const rowAt: Path = [...prefix, 'components', i];
    if (!isRecord(row) || row.type !== 1) {
      errors.push({
        path: [...rowAt, 'type'],
        code: 'UNION_TYPE_CHOICES',
        message: 'Value of field "type" must be one of (1,).',
      });
      return;
    }
    const children = checkCount(errors, row.components, [...rowAt, 'components'], 5);
    if (children.length === 0) {
      errors.push({
        path: [...rowAt, 'components'],
        code: 'BASE_TYPE_MIN_LENGTH',
        message: 'Must be 1 or more in length.',
      });
    }
    const selects = children.filter((child) => isRecord(child) && child.type !== 2).length;
    if (selects > 0 && children.length > 1) {
      errors.push({
        path: [...rowAt, 'components'],
        code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
        message: 'The specified component exceeds the maximum width',
      });
    }
    children.forEach((child, j) => {
      const at: Path = [...rowAt, 'components', j];
      if (!isRecord(child)) {
        errors.push({ path: at, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
        return;
      }
      if (child.type === 2) {
        const style = child.style;
        if (typeof style !== 'number' || style < 1 || style > 6) {
          errors.push({
            path: [...at, 'style'],
            code: 'BASE_TYPE_CHOICES',
            message: 'Value must be one of {1, 2, 3, 4, 5, 6}.',
          });
        }
        checkLength(errors, child.label, [...at, 'label'], 0, 80, false);
        if (style === 5) {
          checkLength(errors, child.url, [...at, 'url'], 1, 512, true);
          if (child.custom_id !== undefined) {
            errors.push({
              path: [...at, 'custom_id'],
              code: 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED',
              message: 'A link button cannot have a custom_id',
            });
          }
          return;
        }
        if (style === 6) return;
      } else if ([3, 5, 6, 7, 8].includes(Number(child.type))) {
        checkLength(errors, child.placeholder, [...at, 'placeholder'], 0, 150, false);
        if (child.type === 3) {
          const selectOptions = checkCount(errors, child.options, [...at, 'options'], 25);
          selectOptions.forEach((option, k) => {
            const record = isRecord(option) ? option : {};
            checkLength(errors, record.label, [...at, 'options', k, 'label'], 1, 100, true);
            checkLength(errors, record.value, [...at, 'options', k, 'value'], 1, 100, true);
            checkLength(errors, record.description, [...at, 'options', k, 'description'], 0, 100, false);
          });
        }
      } else {
        errors.push({
          path: [...at, 'type'],
          code: 'UNION_TYPE_CHOICES',
          message: 'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).',
        });
        return;
      }
      checkLength(errors, child.custom_id, [...at, 'custom_id'], 1, 100, true);
      if (typeof child.custom_id === 'string') {
        if (customIds.has(child.custom_id)) {
          errors.push({
            path: [...at, 'custom_id'],
            code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
            message: 'Component custom id cannot be duplicated',
          });
        }
        customIds.add(child.custom_id);
      }
    });
  });
  return errors;
}

function countComponents(value: unknown): number {
  if (!Array.isArray(value)) return 0;
  return value.reduce<number>((sum, component) => {
    if (!isRecord(component)) return sum + 1;
    return sum + 1 + countComponents(component.components) + (isRecord(component.accessory) ? 1 : 0);
  }, 0);
}

/** Autocomplete choices (callback type 8) and command option choices. */
function choiceErrors(value: unknown, path: Path): FieldError[] {
  const errors: FieldError[] = [];
  const choices = checkCount(errors, value, path, 25);
  choices.forEach((choice, i) => {
    const record = isRecord(choice) ? choice : {};
    checkLength(errors, record.name, [...path, i, 'name'], 1, 100, true);
    if (typeof record.value === 'string') checkLength(errors, record.value, [...path, i, 'value'], 1, 100, true);
    else if (typeof record.value !== 'number') {
      errors.push({ path: [...path, i, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    }
    localizationErrors(errors, record.name_localizations, [...path, i, 'name_localizations'], (text, at) =>
      checkLength(errors, text, at, 1, 100, true),
    );
  });
  return errors;
}

function localizationErrors(
  errors: FieldError[],
  value: unknown,
  path: Path,
  check: (text: unknown, path: Path) => void,
): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) {
    errors.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return;
  }
  for (const [locale, text] of Object.entries(value)) {
    if (!LOCALES.has(locale)) {
      errors.push({
        path: [...path, locale],
        code: 'BASE_TYPE_CHOICES',
        message: `Value must be one of {${[...LOCALES].map((entry) => `'${entry}'`).join(', ')}}.`,
      });
    } else {
      check(text, [...path, locale]);
    }
  }
}

function nameErrors(errors: FieldError[], value: unknown, path: Path, chatInput: boolean): void {
  const valid =
    typeof value === 'string' &&
    (chatInput ? COMMAND_NAME.test(value) && value === value.toLowerCase() : length(value) >= 1 && length(value) <= 32);
  if (!valid) errors.push({ path, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
}

/** One command of a bulk overwrite (or a create), checked as Discord does. */
function commandErrors(command: unknown, path: Path): FieldError[] {
  const errors: FieldError[] = [];
  if (!isRecord(command)) {
    errors.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return errors;
  }
  const type = command.type ?? 1;
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
    errors.push({ path: [...path, 'type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, 2, 3, 4}.' });
    return errors;
  }
  const chatInput = type === 1;
  nameErrors(errors, command.name, [...path, 'name'], chatInput);
  localizationErrors(errors, command.name_localizations, [...path, 'name_localizations'], (text, at) =>
    nameErrors(errors, text, at, chatInput),
  );
  if (chatInput) {
    checkLength(errors, command.description, [...path, 'description'], 1, 100, true);
    localizationErrors(errors, command.description_localizations, [...path, 'description_localizations'], (text, at) =>
      checkLength(errors, text, at, 1, 100, true),
    );
    optionErrors(errors, command.options, [...path, 'options'], 'command');
    if (errors.length === 0 && commandSize(command) > 8000) {
      errors.push({ path, code: 'APPLICATION_COMMAND_TOO_LARGE', message: 'Command exceeds maximum size (8000)' });
    }
  } else if (command.options !== undefined && command.options !== null) {
    errors.push({
      path: [...path, 'options'],
      code: 'APPLICATION_COMMAND_OPTIONS_INVALID',
      message: 'Only chat input commands can have options',
    });
  }
  return errors;
}

type OptionParent = 'command' | 'group' | 'subcommand';

/** A command holds subcommands and groups, or parameters; a group holds subcommands; a subcommand, parameters. */
function optionErrors(errors: FieldError[], value: unknown, path: Path, parent: OptionParent): void {
  const options = checkCount(errors, value, path, 25);
  const names = new Set<string>();
  let optionalSeen = false;
  let subcommands = 0;
  options.forEach((option, i) => {
    const at: Path = [...path, i];
    if (!isRecord(option)) {
      errors.push({ path: at, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
      return;
    }
    const type = option.type;
    if (typeof type !== 'number' || !Number.isInteger(type) || type < 1 || type > 11) {
      errors.push({ path: [...at, 'type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, …, 11}.' });
      return;
    }
    nameErrors(errors, option.name, [...at, 'name'], true);
    localizationErrors(errors, option.name_localizations, [...at, 'name_localizations'], (text, textAt) =>
      nameErrors(errors, text, textAt, true),
    );
    checkLength(errors, option.description, [...at, 'description'], 1, 100, true);
    localizationErrors(errors, option.description_localizations, [...at, 'description_localizations'], (text, textAt) =>
      checkLength(errors, text, textAt, 1, 100, true),
    );
    if (typeof option.name === 'string') {
      if (names.has(option.name)) {
        errors.push({
          path: [...at, 'name'],
          code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
          message: 'Option names must be unique',
        });
      }
      names.add(option.name);
    }
    if (type === 1 || type === 2) {
      subcommands += 1;
      if (parent === 'subcommand' || (parent === 'group' && type === 2)) {
        errors.push({
          path: [...at, 'type'],
          code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
          message: 'Subcommands and groups can only be nested one level deep',
        });
        return;
      }
      optionErrors(errors, option.options, [...at, 'options'], type === 2 ? 'group' : 'subcommand');
      return;
    }
    if (parent === 'group') {
      errors.push({
        path: [...at, 'type'],
        code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
        message: 'A subcommand group can only hold subcommands',
      });
      return;
    }
    if (option.required === true) {
      if (optionalSeen) {
        errors.push({
          path: [...at, 'required'],
          code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          message: 'Required options must be placed before non-required options',
        });
      }
    } else {
      optionalSeen = true;
    }
    if (option.choices !== undefined && option.choices !== null) {
      if (!CHOICE_OPTION_TYPES.has(type)) {
        errors.push({
          path: [...at, 'choices'],
          code: 'APPLICATION_COMMAND_OPTION_CHOICES_INVALID',
          message: 'Only string, integer and number options can have choices',
        });
      } else if (option.autocomplete === true) {
        errors.push({
          path: [...at, 'autocomplete'],
          code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES',
          message: 'Autocomplete cannot be enabled on an option with choices',
        });
      }
      errors.push(...choiceErrors(option.choices, [...at, 'choices']));
    }
  });
  if (subcommands > 0 && subcommands < options.length) {
    errors.push({
      path,
      code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      message: 'Subcommands and groups cannot be mixed with other options',
    });
  }
}

/**
 * The command's size as Discord counts it: name, description and value of the command, its options and choices,
 * each field counted at its longest localization (the default included).
 */
function commandSize(command: Json): number {
  const longest = (value: unknown, localizations: unknown): number => {
    const lengths = [typeof value === 'string' ? length(value) : 0];
    if (isRecord(localizations)) {
      for (const text of Object.values(localizations)) if (typeof text === 'string') lengths.push(length(text));
    }
    return Math.max(...lengths);
  };
  const optionsSize = (options: unknown): number =>
    Array.isArray(options)
      ? options.reduce<number>((sum, option) => {
          if (!isRecord(option)) return sum;
          const choices = Array.isArray(option.choices) ? option.choices : [];
          const choiceSize = choices.reduce<number>(
            (total, choice) =>
              isRecord(choice)
                ? total + longest(choice.name, choice.name_localizations) + String(choice.value ?? '').length
                : total,
            0,
          );
          return (
            sum +
            longest(option.name, option.name_localizations) +
            longest(option.description, option.description_localizations) +
            choiceSize +
            optionsSize(option.options)
          );
        }, 0)
      : 0;
  return (
    longest(command.name, command.name_localizations) +
    longest(command.description, command.description_localizations) +
    optionsSize(command.options)
  );
}

// --- Small helpers ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function recordsOf(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord).map((entry) => ({ ...entry })) : [];
}

/** Components as sent; the message checks before storing made sure each one is an object with a numeric type. */
function componentsOf(value: unknown): FakeComponent[] {
  return recordsOf(value).map((component) => ({ ...component, type: numberOr(component.type, 0) }));
}

/** Discord returns embeds with their type ('rich' for those a bot sends). */
function normalizeEmbeds(value: unknown): FakeEmbed[] {
  return recordsOf(value).map((embed) => ({ type: 'rich', ...embed }));
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function hasCustomId(components: unknown, customId: string): boolean {
  if (!Array.isArray(components)) return false;
  return components.some(
    (component) =>
      isRecord(component) &&
      (component.custom_id === customId ||
        hasCustomId(component.components, customId) ||
        hasCustomId(component.accessory ? [component.accessory] : [], customId)),
  );
}

function withoutIds(command: StoredCommand): Json {
  const { id: _id, application_id: _app, version: _version, ...rest } = command;
  return rest;
}

function role(id: string, name: string, permissions: string, position: number): Json {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

/** Discord's timestamp format: ISO 8601 with an explicit +00:00 offset. */
function discordTime(): string {
  return new Date().toISOString().replace('Z', '+00:00');
}

function matches(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(raw).toString('utf8');
}

function apiError(status: number, code: number, message: string, errors?: Json): Answer {
  return { status, body: errors ? { message, code, errors } : { message, code } };
}

function invalidForm(errors: readonly FieldError[]): Answer {
  const tree: Json = {};
  for (const error of errors) {
    let node = tree;
    for (const key of error.path) {
      const next = node[String(key)];
      const child: Json = isRecord(next) ? next : {};
      node[String(key)] = child;
      node = child;
    }
    const list = Array.isArray(node._errors) ? node._errors : [];
    list.push({ code: error.code, message: error.message });
    node._errors = list;
  }
  return apiError(400, 50035, 'Invalid Form Body', tree);
}

function notFound(): Answer {
  return apiError(404, 0, '404: Not Found');
}

function failureAnswer(failure: FailureSpec): Answer {
  if (failure.status === 429) {
    const retryAfter = failure.retryAfter ?? 1;
    return {
      status: 429,
      body: {
        message: failure.message ?? 'You are being rate limited.',
        retry_after: retryAfter,
        global: false,
        code: failure.code ?? 0,
      },
      headers: { 'retry-after': String(retryAfter), 'x-ratelimit-scope': 'user' },
    };
  }
  const defaults: Readonly<Record<number, string>> = {
    400: '400: Bad Request',
    401: '401: Unauthorized',
    403: '403: Forbidden',
    404: '404: Not Found',
    500: '500: Internal Server Error',
    502: '502: Bad Gateway',
    503: '503: Service Unavailable',
  };
  return apiError(failure.status, failure.code ?? 0, failure.message ?? defaults[failure.status] ?? 'Error');
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * A multipart/form-data body, parsed by Node's own WHATWG parser (undici's `Response.formData()`) rather than by
 * hand. As Discord reads it: `payload_json` is the JSON body, other text fields are body fields, file parts are the
 * files.
 */
async function parseMultipart(
  raw: Buffer,
  contentType: string,
): Promise<{ body: Json; files: RecordedFile[] } | { error: Answer }> {
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { error: apiError(400, 50035, 'Invalid Form Body') };
  }
  const body: Json = {};
  const files: RecordedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value !== 'string') {
      const data = Buffer.from(await value.arrayBuffer());
      files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', data });
    } else if (field === 'payload_json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return { error: apiError(400, 50109, 'The request body contains invalid JSON.') };
      }
      if (!isRecord(parsed)) return { error: apiError(400, 50035, 'Invalid Form Body') };
      Object.assign(body, parsed);
    } else {
      body[field] = value;
    }
  }
  return { body, files };
}

function sendJson(res: ServerResponse, answer: Answer): void {
  if (answer.status === 204 || answer.body === undefined) {
    res.writeHead(answer.status, { ...answer.headers });
    res.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  });
  res.end(text);
}

/** IDENTIFY's `shard` field: `[id, count]` with 0 ≤ id < count; absent means one shard. Null when malformed. */
function shardOf(value: unknown): readonly [number, number] | null {
  if (value === undefined) return [0, 1];
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [id, count] = value;
  if (!Number.isInteger(id) || !Number.isInteger(count) || id < 0 || count < 1 || id >= count) return null;
  return [id, count];
}

/** Discord's rule: a guild belongs to shard `(guild_id >> 22) % shard_count`. */
function onShard(guildId: string, [id, count]: readonly [number, number]): boolean {
  return Number((BigInt(guildId) >> 22n) % BigInt(count)) === id;
}

/**
 * Discord's rate limits for the `rateLimits` option: a fixed window per bucket. Global: 50 requests per second per bot
 * (interaction callbacks and webhooks are not counted, as on Discord). Per channel: 5 messages and 5 message edits
 * per 5 s. Each answer on a limited route carries the `x-ratelimit-*` headers discord.js plans with.
 */
class RateLimits {
  refusals = 0;
  readonly refusalsBy: Record<string, number> = {};
  readonly #windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly clock: FakeClock) {}

  check(method: string, path: string): { refused?: Answer; headers?: Record<string, string> } {
    if (path.startsWith('/interactions/') || path.startsWith('/webhooks/') || path === '/gateway/bot') return {};
    const global = this.#take('global', 50, 1_000);
    if (!global.ok) {
      this.refusals++;
      this.refusalsBy.global = (this.refusalsBy.global ?? 0) + 1;
      return {
        refused: {
          status: 429,
          body: { message: 'You are being rate limited.', retry_after: global.resetAfter, global: true, code: 0 },
          headers: {
            'retry-after': String(Math.ceil(global.resetAfter)),
            'x-ratelimit-global': 'true',
            'x-ratelimit-scope': 'global',
          },
        },
      };
    }
    const create = /^\/channels\/(\d+)\/messages$/.exec(path);
    const edit = /^\/channels\/(\d+)\/messages\/\d+$/.exec(path);
    const route =
      method === 'POST' && create
        ? { key: `messages:${create[1]}`, name: 'channel-messages' }
        : method === 'PATCH' && edit
          ? { key: `edits:${edit[1]}`, name: 'channel-message-edits' }
          : null;
    if (!route) return {};
    const bucket = this.#take(route.key, 5, 5_000);
    const headers = {
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': String(Math.max(0, bucket.remaining)),
      'x-ratelimit-reset-after': bucket.resetAfter.toFixed(3),
      'x-ratelimit-reset': ((this.clock.now() + bucket.resetAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-bucket': route.name,
    };
    if (bucket.ok) return { headers };
    this.refusals++;
    this.refusalsBy[route.name] = (this.refusalsBy[route.name] ?? 0) + 1;
    return {
      refused: {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: bucket.resetAfter, global: false, code: 0 },
        headers: { ...headers, 'retry-after': String(Math.ceil(bucket.resetAfter)), 'x-ratelimit-scope': 'user' },
      },
    };
  }

  #take(key: string, limit: number, windowMs: number): { ok: boolean; remaining: number; resetAfter: number } {
    const now = this.clock.now();
    let window = this.#windows.get(key);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, used: 0 };
      this.#windows.set(key, window);
    }
    const resetAfter = (window.start + windowMs - now) / 1000;
    if (window.used >= limit) return { ok: false, remaining: 0, resetAfter };
    window.used++;
    return { ok: true, remaining: limit - window.used, resetAfter };
  }
}
