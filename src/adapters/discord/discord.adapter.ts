/**
 * The Discord adapter: translates between Discord (through discord.js) and the core. It owns what is Discord's — the
 * gateway connection (the `Guilds` intent only: no privileged intent), answering every interaction inside Discord's
 * 3 s, rendering embeds and buttons (`render.ts`), threads, posting — and nothing else: commands and clicks go to the
 * dispatcher as platform-neutral requests, replies come back as neutral messages.
 *
 * - `/trilha <subcommand>` and `/trilha-canal` (`commands.ts`): the options become the text a member would type, the
 *   dispatcher runs it. The answer goes out directly when it is ready within `deferAfterMs`; slower work is deferred
 *   first (an ephemeral "thinking…") and the answer edited in, so no interaction ever misses the deadline.
 * - Buttons: the custom id is the action id; the same race between answering and deferring. An answer click also asks
 *   for the live count on the question message (at most one edit per message per few seconds, `live-counts.ts`).
 * - Autocomplete (`autocomplete.ts`): lessons, cohorts, time zones, channel setting values.
 * - Private replies are ephemeral; public ones answer in the channel; thread replies go to the thread.
 * - Admin: Manage Server, which Discord asks of `/trilha-canal` by default and which is checked again here; before a
 *   channel is set up, the bot's own permissions in it (`app_permissions`) are checked and what is missing is named.
 * - Locale: the interaction's `locale` for the member, `guild_locale` for a server seen for the first time.
 * - Proactive posts (drops, quiz questions, summaries, season recaps) through `DiscordNotifier`: the lesson as an embed
 *   in the channel, a public thread started from it for the quiz, one message per question with a button per option.
 *   Direct messages (nudges) go to the DM channel opened with `POST /users/@me/channels`; a member whose DMs are
 *   closed makes `direct` throw Discord's 50007, for the caller to log.
 * - Files (`Message.files`: a CSV, a PNG chart) go as attachments of the same message (multipart `files[n]` and
 *   `attachments`), in replies (ephemeral ones too), deferred edits, follow-ups and posts; an image is shown inside an
 *   embed. A file over Discord's limits (`fileLimits` in render.ts) is not sent: a translated line names it instead.
 * - Idempotent posts (`PostTarget.key`): a keyed post carries `nonce` = `postNonce(key)` with `enforce_nonce`, so a
 *   try repeated after a crash between posting and recording returns the message the first try made (see
 *   `DiscordNotifier`).
 * - Discord errors (missing access or permissions, unknown channel, a revoked token) become a log line with the error
 *   code; a drop that could not be posted is retried by the scheduler. A 429 is waited out by discord.js's REST queue.
 *   A 40060 "already acknowledged" means another replica answered the same interaction first: dropped quietly.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  type APIEmbed,
  type AutocompleteInteraction,
  type BaseInteraction,
  type ButtonInteraction,
  ChannelType,
  type ChatInputCommandInteraction,
  Client,
  DefaultRestOptions,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  type PermissionsBitField,
  type RawFile,
  REST,
  Routes,
  Status,
} from 'discord.js';
import type { App } from '../../app.ts';
import { decodeAction } from '../../core/action-id.ts';
import { type Locale, matchLocale } from '../../core/locale.ts';
import {
  type Attachment,
  type Message,
  type Notifier,
  type PostRef,
  type PostTarget,
  type Reply,
  safeText,
  text,
} from '../../core/message.ts';
import { type Translator, translator } from '../../i18n/translator.ts';
import { withLogContext } from '../../ops/log-context.ts';
import { nextSlice } from '../../ops/loop-slices.ts';
import type { Request } from '../../runtime/command.ts';
import type { Logger } from '../../runtime/logger.ts';
import { InFlight } from '../in-flight.ts';
import { countPrefix, LiveAnswerCounts } from '../live-counts.ts';
import { suggest } from './autocomplete.ts';
import { commandOf, commandText, type GivenOption, optionSpecs } from './commands.ts';
import { answerModal, modalActionId, typedInputId } from './modal.ts';
import {
  attachFiles,
  type DiscordMessage,
  embedChars,
  fileLimits,
  limits,
  renderDiscord,
  selectFiles,
} from './render.ts';

export interface DiscordOptions {
  readonly app: App;
  readonly token: string;
  /** Discord's REST base URL without the version (`http://127.0.0.1:P/api`); meant for tests (a fake Discord). */
  readonly apiUrl?: string;
  readonly logger: Logger;
  /** How long an interaction's answer may take before it is deferred (Discord's deadline is 3 s). */
  readonly deferAfterMs?: number;
  /** At most one live-count edit per question message in this window (default `liveCountIntervalMs`). */
  readonly liveCountIntervalMs?: number;
  /** How long the ready event waits for servers Discord listed but has not sent yet (discord.js default 15 s). */
  readonly waitGuildTimeoutMs?: number;
  /** Called once per interaction with its kind and the time until Discord got its first answer (metrics). */
  readonly onInteraction?: (kind: InteractionKind, seconds: number) => void;
  /** Called for every Discord API error the adapter sees, with Discord's error code or the HTTP status. */
  readonly onApiError?: (code: string) => void;
}

export type InteractionKind = 'command' | 'button' | 'autocomplete';

export interface DiscordRuntime {
  readonly client: Client;
  readonly notifier: Notifier;
  /** The gateway connection is up (readiness). */
  connected(): boolean;
  stop(drainMs?: number): Promise<void>;
}

/** Answered within this, an interaction gets its answer directly; slower, it is deferred first. */
export const defaultDeferAfterMs = 1_500;

/** The drop embeds' colour (Docker blue: the first track teaches Docker). */
const embedColor = 0x2496ed;

/**
 * What the bot needs in a drop channel: see it, post embeds, open the quiz thread and post in it, and attach files
 * (the weekly season recap's chart).
 */
export const neededChannelPermissions: Readonly<Record<PermissionName, bigint>> = {
  ViewChannel: PermissionFlagsBits.ViewChannel,
  SendMessages: PermissionFlagsBits.SendMessages,
  EmbedLinks: PermissionFlagsBits.EmbedLinks,
  ReadMessageHistory: PermissionFlagsBits.ReadMessageHistory,
  CreatePublicThreads: PermissionFlagsBits.CreatePublicThreads,
  SendMessagesInThreads: PermissionFlagsBits.SendMessagesInThreads,
  AttachFiles: PermissionFlagsBits.AttachFiles,
} as const;

type PermissionName =
  | 'ViewChannel'
  | 'SendMessages'
  | 'EmbedLinks'
  | 'ReadMessageHistory'
  | 'CreatePublicThreads'
  | 'SendMessagesInThreads'
  | 'AttachFiles';

/** The invite link's `permissions`: exactly what a drop channel needs, nothing more. */
export const invitePermissions = Object.values(neededChannelPermissions).reduce((all, bit) => all | bit, 0n);

/** The OAuth2 link that adds the bot to a server with the scopes and the channel permissions Trilha needs. */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: invitePermissions.toString(),
  });
  return `https://discord.com/oauth2/authorize?${query.toString()}`;
}

/** Discord's error codes the adapter treats specially. */
const alreadyAcknowledged = 40060;
const unknownInteraction = 10062;
const threadAlreadyCreated = 160004;

type MakeRequest = (typeof DefaultRestOptions)['makeRequest'];

/**
 * discord.js's own request function, with a multipart body (files) encoded to bytes here first. Why: undici sends
 * through the process's global dispatcher, which the first copy of undici loaded installs for every copy (one
 * `Symbol.for` key). With Slack in the same process that is @slack/socket-mode's undici 7, whose multipart encoder
 * takes only its own FormData class and fails on the one discord.js builds ("action is not a function"): every file
 * (a chart, a CSV) would fail to post. Node's own Response encodes the form (the same FormData class), and bytes with
 * their content type go through any undici.
 */
const requestWithBytes: MakeRequest = async (url, init) => {
  if (!(init.body instanceof FormData)) return DefaultRestOptions.makeRequest(url, init);
  const encoded = new Response(init.body);
  const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
  headers.set('content-type', encoded.headers.get('content-type') ?? 'multipart/form-data');
  const body = new Uint8Array(await encoded.arrayBuffer());
  return DefaultRestOptions.makeRequest(url, { ...init, headers: Object.fromEntries(headers), body });
};

export async function startDiscord(options: DiscordOptions): Promise<DiscordRuntime> {
  const { app, logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    // Discord's global limit is 50 requests a second (interaction callbacks exempt). discord.js meters it in windows
    // of its own that start when it sends, Discord meters arrivals: two of discord.js's windows can fall in one of
    // Discord's seconds, so each may hold only half (docs/platform-budgets.md).
    rest: {
      globalRequestsPerSecond: globalRequestsPerSecond,
      makeRequest: requestWithBytes,
      ...(options.apiUrl ? { api: options.apiUrl } : {}),
    },
    ...(options.waitGuildTimeoutMs !== undefined ? { waitGuildTimeout: options.waitGuildTimeoutMs } : {}),
  });
  // Interaction webhooks (a deferred answer's edit) do not count against Discord's global limit, but discord.js's
  // REST queue counts every request but the callback against its own: a burst of 1,000 deferred clicks would wait
  // 40 s for their edits behind the 25 a second above. They go through a queue of their own, still with discord.js's
  // per-route buckets (each interaction token its own) and 429 handling; with `auth: false`, as the token is the key.
  const webhooks = new REST({
    globalRequestsPerSecond: interactionWebhooksPerSecond,
    makeRequest: requestWithBytes,
    ...(options.apiUrl ? { api: options.apiUrl } : {}),
  });
  const deferAfterMs = options.deferAfterMs ?? defaultDeferAfterMs;
  /** Interactions whose replies the dispatcher is still working on (Responder.answer). */
  const waiting = { count: 0 };
  const apiError = (error: unknown): string | undefined => {
    const code = discordError(error);
    if (code !== undefined) options.onApiError?.(code);
    return code;
  };

  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ detail: message }, 'discord warning'));
  client.on(Events.ShardDisconnect, (event) => logger.warn({ code: event.code }, 'discord gateway disconnected'));
  client.rest.on('rateLimited', (info) =>
    logger.warn({ route: info.route, retryAfterMs: info.retryAfter, scope: info.scope }, 'discord rate limited'),
  );

  const counts = new LiveAnswerCounts<QuestionPost>({
    count: (id) => app.services.stores.learning.answerCount(id),
    apply: (post, count) => applyCount(client.rest, post, count),
    logger,
    platform: 'discord',
    ...(options.liveCountIntervalMs !== undefined ? { intervalMs: options.liveCountIntervalMs } : {}),
  });
  const channels = new DropChannels(client);

  async function request(interaction: BaseInteraction): Promise<Request | null> {
    // A button in a direct message (a nudge's "stop" or "review now") comes without a guild: the member's server is
    // the one of their latest identity. A command typed in a DM still gets "use it in a server".
    const workspace = interaction.guildId
      ? {
          externalId: interaction.guildId,
          name: interaction.guild?.name ?? '',
          ...(interaction.guildLocale ? { localeHint: interaction.guildLocale } : {}),
        }
      : interaction.isButton() || interaction.isModalSubmit()
        ? await app.services.stores.members.workspaceOfUser('discord', interaction.user.id)
        : null;
    if (!workspace) return null;
    return {
      platform: 'discord',
      workspace,
      user: {
        externalId: interaction.user.id,
        displayName: displayName(interaction),
        isAdmin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
        localeHint: interaction.locale,
      },
      // A direct message is never a drop channel.
      channel: interaction.channelId && interaction.guildId ? await channels.dropChannel(interaction.channelId) : null,
      now: new Date(),
    };
  }

  async function onCommand(interaction: ChatInputCommandInteraction, started: number): Promise<void> {
    const speaker = translator(matchLocale(interaction.locale));
    const { t } = speaker;
    const responder = new Responder(interaction, client.rest, webhooks, waiting, logger, speaker, apiError, () =>
      options.onInteraction?.('command', (performance.now() - started) / 1000),
    );
    const base = await request(interaction);
    if (!base) {
      await responder.deliver([
        { audience: { kind: 'private' }, message: { blocks: [{ kind: 'text', text: t('discord.guild_only') }] } },
      ]);
      return;
    }
    const command = commandOf(
      app.dispatcher.commands,
      interaction.commandName,
      interaction.options.getSubcommand(false),
    );
    // A forum or media channel has no messages to post a drop as or start a quiz thread from (a command in one of
    // its posts resolves to it too): its setup is refused, saying where drops can go.
    if (command?.id === 'channel' && base.channel && channels.threadOnly(base.channel.externalId)) {
      await responder.deliver([
        { audience: { kind: 'private' }, message: { blocks: [{ kind: 'text', text: t('discord.forum_channel') }] } },
      ]);
      return;
    }
    if (command?.adminOnly && base.user.isAdmin) {
      const missing = missingPermissions(interaction.appPermissions);
      if (missing.length > 0) {
        const names = missing.map((name) => t(`discord.permission.${name}`)).join(', ');
        await responder.deliver([
          {
            audience: { kind: 'private' },
            message: { blocks: [{ kind: 'text', text: t('discord.missing_permissions', { permissions: names }) }] },
          },
        ]);
        return;
      }
    }
    const text = command ? commandText(command, givenOptions(interaction)) : '';
    await responder.answer(app.dispatcher.command({ ...base, text }), deferAfterMs);
  }

  /** A command exercise's modal submitted: the typed command goes with the action (modal.ts). */
  async function onModalSubmit(interaction: ModalSubmitInteraction, started: number): Promise<void> {
    const actionId = modalActionId(interaction.customId);
    if (actionId === null) return;
    const speaker = translator(matchLocale(interaction.locale));
    const responder = new Responder(interaction, client.rest, webhooks, waiting, logger, speaker, apiError, () =>
      options.onInteraction?.('button', (performance.now() - started) / 1000),
    );
    const base = await request(interaction);
    if (!base) {
      await responder.deliver([
        {
          audience: { kind: 'private' },
          message: { blocks: [{ kind: 'text', text: speaker.t('discord.guild_only') }] },
        },
      ]);
      return;
    }
    const typed = interaction.fields.getTextInputValue(typedInputId);
    await responder.answer(app.dispatcher.action({ ...base, actionId, typed }), deferAfterMs);
  }

  async function onButton(interaction: ButtonInteraction, started: number): Promise<void> {
    const speaker = translator(matchLocale(interaction.locale));
    if (modalActionId(interaction.customId) !== null) {
      // A command exercise: the answer is typed in a modal (interaction response type 9).
      await interaction
        .showModal(answerModal(interaction.customId, speaker.t))
        .catch((error: unknown) => logger.warn({ err: error, code: apiError(error) }, 'discord modal failed'));
      options.onInteraction?.('button', (performance.now() - started) / 1000);
      return;
    }
    const responder = new Responder(interaction, client.rest, webhooks, waiting, logger, speaker, apiError, () =>
      options.onInteraction?.('button', (performance.now() - started) / 1000),
    );
    const base = await request(interaction);
    if (!base) {
      await responder.deliver([
        {
          audience: { kind: 'private' },
          message: { blocks: [{ kind: 'text', text: speaker.t('discord.guild_only') }] },
        },
      ]);
      return;
    }
    const work = app.dispatcher.action({ ...base, actionId: interaction.customId });
    const decoded = decodeAction(interaction.customId);
    if (decoded.ok && decoded.action.kind === 'answer') {
      const { postedQuestionId } = decoded.action;
      const message = interaction.message;
      // The count follows the recorded answer: touched once the dispatcher is done with this click.
      void work.then(() =>
        counts.touch(`${message.channelId}:${message.id}`, postedQuestionId, {
          channelId: message.channelId,
          messageId: message.id,
          content: message.content,
          embeds: message.embeds.map((embed) => embed.toJSON()),
        }),
      );
    }
    await responder.answer(work, deferAfterMs);
  }

  async function onAutocomplete(interaction: AutocompleteInteraction, started: number): Promise<void> {
    const base = await request(interaction);
    const command = commandOf(
      app.dispatcher.commands,
      interaction.commandName,
      interaction.options.getSubcommand(false),
    );
    const focused = interaction.options.getFocused(true);
    const spec = command ? optionSpecs[command.id]?.find((option) => option.name === focused.name) : undefined;
    let choices: { name: string; value: string }[] = [];
    if (base && spec?.autocomplete) {
      const member = await app.dispatcher.workspace(base).catch(() => null);
      const locale = matchLocale(interaction.locale ?? member?.defaultLocale);
      choices = await suggest(spec.autocomplete, {
        app,
        request: base,
        locale,
        typed: String(focused.value ?? ''),
        given: givenOptions(interaction),
      }).catch((error: unknown) => {
        logger.warn({ err: error }, 'discord autocomplete failed');
        return [];
      });
    }
    try {
      await interaction.respond(choices);
    } catch (error) {
      const code = apiError(error);
      if (code !== String(alreadyAcknowledged)) logger.warn({ err: error, code }, 'discord autocomplete answer failed');
    } finally {
      options.onInteraction?.('autocomplete', (performance.now() - started) / 1000);
    }
  }

  const inFlight = new InFlight();
  client.on(Events.InteractionCreate, (interaction) => {
    if (!inFlight.open) return;
    const started = performance.now();
    // Every log line written while this interaction is handled carries its id (src/ops/log-context.ts).
    const handled = withLogContext({ platform: 'discord', interaction: interaction.id }, () =>
      interaction.isChatInputCommand()
        ? onCommand(interaction, started)
        : interaction.isButton()
          ? onButton(interaction, started)
          : interaction.isAutocomplete()
            ? onAutocomplete(interaction, started)
            : interaction.isModalSubmit()
              ? onModalSubmit(interaction, started)
              : Promise.resolve(),
    );
    handled.catch((error: unknown) =>
      logger.error({ err: error, code: discordError(error) }, 'discord interaction failed'),
    );
  });

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(options.token);
  } catch (error) {
    await client.destroy();
    throw new Error(`Discord refused the connection: ${describeLoginError(error)}`);
  }
  await ready;
  logger.info({ guilds: client.guilds.cache.size, user: client.user?.id }, 'discord connected');

  return {
    client,
    // A line about a file left out goes in the server's language (the notifier is not told the channel's).
    notifier: new DiscordNotifier(client.rest, {
      logger,
      localeOf: (channelId) => {
        const channel = client.channels.cache.get(channelId);
        return matchLocale(channel && 'guild' in channel ? channel.guild.preferredLocale : undefined);
      },
    }),
    connected: () => client.ws.status === Status.Ready,
    /** Stops taking interactions, lets those in flight finish (at most `drainMs`), then disconnects. */
    async stop(drainMs = 5_000) {
      if (!(await inFlight.close(drainMs))) logger.warn('discord: interactions still running at shutdown');
      counts.stop();
      webhooks.clearHashSweeper();
      webhooks.clearHandlerSweeper();
      await client.destroy();
    },
  };
}

/** The member's name as the server shows it: server nickname, then global display name, then user name. */
function displayName(interaction: BaseInteraction): string {
  const member = interaction.member;
  const nick = member && 'nickname' in member ? member.nickname : member && 'nick' in member ? member.nick : null;
  return nick || interaction.user.globalName || interaction.user.username;
}

function givenOptions(interaction: ChatInputCommandInteraction | AutocompleteInteraction): GivenOption[] {
  // With a subcommand, its options sit one level down; `data` keeps that shape.
  const top = interaction.options.data;
  const leaves = top.length === 1 && top[0]?.options ? top[0].options : top;
  return leaves.map((option) => ({ name: option.name, value: option.value }));
}

function missingPermissions(permissions: Readonly<PermissionsBitField> | null): PermissionName[] {
  if (!permissions) return [];
  return (Object.entries(neededChannelPermissions) as [PermissionName, bigint][])
    .filter(([, bit]) => !permissions.has(bit))
    .map(([name]) => name);
}

/**
 * The channel a request is about: a drop channel's own id, also when the member acts inside one of its quiz threads
 * (a thread's parent). Threads the bot opened are in discord.js's cache (THREAD_CREATE); others are fetched once, and
 * a burst of clicks in one thread shares that fetch.
 */
class DropChannels {
  readonly #fetching = new Map<string, Promise<{ externalId: string; name: string }>>();

  constructor(private readonly client: Client) {}

  dropChannel(channelId: string): Promise<{ externalId: string; name: string }> {
    const cached = this.client.channels.cache.get(channelId);
    if (cached) return Promise.resolve(this.#describe(channelId, cached));
    let pending = this.#fetching.get(channelId);
    if (!pending) {
      pending = this.client.channels
        .fetch(channelId)
        .then((channel) => (channel ? this.#describe(channelId, channel) : { externalId: channelId, name: '' }))
        .catch(() => ({ externalId: channelId, name: '' }))
        .finally(() => this.#fetching.delete(channelId));
      this.#fetching.set(channelId, pending);
    }
    return pending;
  }

  /** Whether `channelId` is a forum or media channel (known to the cache: its guild's channels come at login). */
  threadOnly(channelId: string): boolean {
    const channel = this.client.channels.cache.get(channelId);
    return channel?.type === ChannelType.GuildForum || channel?.type === ChannelType.GuildMedia;
  }

  #describe(
    channelId: string,
    channel: NonNullable<ReturnType<Client['channels']['cache']['get']>>,
  ): { externalId: string; name: string } {
    if (channel.isThread()) return { externalId: channel.parentId ?? channelId, name: channel.parent?.name ?? '' };
    return { externalId: channelId, name: 'name' in channel && typeof channel.name === 'string' ? channel.name : '' };
  }
}

type Answerable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/**
 * Answers one interaction with the dispatcher's replies: the first private reply is the interaction's own answer
 * (ephemeral), later private ones are ephemeral follow-ups, public ones answer in the channel and thread ones go to
 * the thread. Deferred when the replies take longer than the deadline allows.
 */
class Responder {
  #state: 'open' | 'deferred' | 'answered' | 'taken' = 'open';
  #firstAnswer: (() => void) | null;
  /** The deferral, once sent. */
  #deferral: Promise<void> | null = null;

  /**
   * When other interactions are already waiting for their replies (`waiting`: a burst of clicks), this one's will
   * queue behind theirs: it is deferred at once, here, as it arrives, so the member's button stops spinning within
   * moments whatever the queue (docs/first-contact.md). Alone, it waits for its replies up to `deferAfterMs`
   * (`answer`).
   */
  constructor(
    private readonly interaction: Answerable,
    private readonly rest: REST,
    /** For the interaction's own webhook (its deferred answer's edit): not under the bot's global limit. */
    private readonly webhooks: REST,
    /** Interactions whose replies the dispatcher is still working on (counted in `answer`). */
    private readonly waiting: { count: number },
    private readonly logger: Logger,
    private readonly speaker: Translator,
    private readonly apiError: (error: unknown) => string | undefined,
    onFirstAnswer: () => void,
  ) {
    this.#firstAnswer = onFirstAnswer;
    if (waiting.count > 0) this.#deferral = this.#defer();
  }

  #defer(): Promise<void> {
    return this.#call(() => this.interaction.deferReply({ flags: MessageFlags.Ephemeral }), 'defer').then(() => {
      if (this.#state === 'open') this.#state = 'deferred';
    });
  }

  /** A reply as Discord will take it; files within the limit of this interaction's server (boosts raise it). */
  #outgoing(message: Message): Outgoing {
    return outgoing(message, this.speaker, {
      style: message.headline ? 'embed' : 'plain',
      fileBytes: this.interaction.attachmentSizeLimit || fileLimits.fileBytes,
    });
  }

  /** Waits up to `deferAfterMs` for the replies; past that, defers (ephemeral "thinking…") and edits them in later. */
  async answer(work: Promise<Reply[]>, deferAfterMs: number): Promise<void> {
    this.waiting.count++;
    const ready = () => {
      this.waiting.count--;
    };
    work.then(ready, ready);
    let first: Reply[] | null = null;
    if (!this.#deferral) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), deferAfterMs);
      });
      first = await Promise.race([work, late]);
      clearTimeout(timer);
      if (first === null) this.#deferral = this.#defer();
    }
    const replies = first ?? (await work);
    // Rendering and sending wait for a share of a turn (src/ops/loop-slices.ts): a batch of answers resolves
    // hundreds of clicks at once, and the next clicks' interactions must get in between.
    await nextSlice();
    await this.deliver(replies);
  }

  async deliver(replies: readonly Reply[]): Promise<void> {
    await this.#deferral;
    let privateAnswered = false;
    for (const reply of replies) {
      if (this.#state === 'taken') return;
      const kind = reply.audience.kind;
      if (kind === 'private') {
        await this.#private(reply.message);
        privateAnswered = true;
      } else if (kind === 'here') {
        await this.#public(reply.message);
      } else {
        const threadId = reply.audience.postRef;
        const sent = this.#outgoing(reply.message);
        await this.#rest(() => this.rest.post(Routes.channelMessages(threadId), restMessage(sent)), threadId);
      }
    }
    // A deferral with nothing private to show would stay as "thinking…": remove it.
    if (this.#state === 'deferred' && !privateAnswered) {
      await this.#call(() => this.interaction.deleteReply(), 'delete deferral');
    }
    if (this.#state === 'open') {
      // Nothing to say (every reply failed or there was none): acknowledge, so the member sees no error.
      await this.#call(() => this.interaction.deferReply({ flags: MessageFlags.Ephemeral }), 'acknowledge');
      await this.#call(() => this.interaction.deleteReply(), 'delete acknowledgement');
    }
  }

  async #private(message: Message): Promise<void> {
    const sent = this.#outgoing(message);
    if (this.#state === 'open') {
      await this.#call(() => this.interaction.reply({ ...asReply(sent), flags: MessageFlags.Ephemeral }), 'reply');
      if (this.#state === 'open') this.#state = 'answered';
    } else if (this.#state === 'deferred') {
      const { applicationId, token } = this.interaction;
      await this.#call(
        () => this.webhooks.patch(Routes.webhookMessage(applicationId, token), { ...restMessage(sent), auth: false }),
        'edit reply',
      );
      this.#state = 'answered';
    } else {
      await this.#call(
        () => this.interaction.followUp({ ...asReply(sent), flags: MessageFlags.Ephemeral }),
        'follow up',
      );
    }
  }

  async #public(message: Message): Promise<void> {
    const sent = this.#outgoing(message);
    if (this.#state === 'open') {
      await this.#call(() => this.interaction.reply(asReply(sent)), 'reply');
      if (this.#state === 'open') this.#state = 'answered';
      return;
    }
    const channelId = this.interaction.channelId;
    if (!channelId) return;
    await this.#rest(() => this.rest.post(Routes.channelMessages(channelId), restMessage(sent)), channelId);
  }

  /** One call answering the interaction; 40060 (another replica answered first) ends this interaction quietly. */
  async #call(action: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await action();
      this.#firstAnswer?.();
      this.#firstAnswer = null;
    } catch (error) {
      const code = this.apiError(error);
      if (code === String(alreadyAcknowledged)) {
        this.logger.debug({ interaction: this.interaction.id }, 'discord interaction already acknowledged elsewhere');
        this.#state = 'taken';
      } else if (code === String(unknownInteraction)) {
        this.logger.warn({ interaction: this.interaction.id, what }, 'discord interaction expired before its answer');
        this.#state = 'taken';
      } else {
        this.logger.error({ err: error, code, what }, 'discord interaction answer failed');
      }
    }
  }

  async #rest(action: () => Promise<unknown>, channelId: string): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.logger.error({ err: error, code: this.apiError(error), channel: channelId }, 'discord post failed');
    }
  }
}

/** A message as it goes to Discord: the body, and the files that go with it (`files[n]` for `attachments` entry n). */
interface Outgoing {
  readonly body: DiscordMessage;
  readonly files: readonly Attachment[];
}

/**
 * A message as Discord will take it: rendered (`embed`: embeds, as drops and summaries; `plain`: content, and an embed
 * only when the message has a headline), with the files that fit Discord's limits attached. A file left out is named
 * in a translated line, placed before the trailing context lines (the footer).
 */
function outgoing(
  message: Message,
  speaker: Translator,
  options: { readonly style: 'embed' | 'plain'; readonly fileBytes: number },
): Outgoing {
  const { kept, tooBig, leftOut } = selectFiles(message.files ?? [], options.fileBytes);
  const size = (bytes: number) => formatSize(bytes, speaker.locale);
  const notes = [
    ...tooBig.map((file) =>
      speaker.t('discord.file_too_big', {
        name: safeText(file.filename),
        size: size(file.data.byteLength),
        limit: size(options.fileBytes),
      }),
    ),
    ...(leftOut.length > 0
      ? [
          speaker.t('discord.files_left_out', {
            count: leftOut.length,
            names: leftOut.map((file) => safeText(file.filename)).join(', '),
            max: fileLimits.files,
            total: size(fileLimits.requestBytes),
          }),
        ]
      : []),
  ];
  let blocks = message.blocks;
  if (notes.length > 0) {
    let at = blocks.length;
    while (at > 0 && blocks[at - 1]?.kind === 'context') at -= 1;
    blocks = [...blocks.slice(0, at), ...notes.map((note) => text(note)), ...blocks.slice(at)];
  }
  const shown: Message = { ...message, blocks };
  const body = renderDiscord(
    shown,
    options.style === 'embed' ? { style: 'embed', color: embedColor } : { style: 'plain' },
  );
  return { body: attachFiles(body, kept), files: kept };
}

/** `12,5 MB`: a size as a member reads it (in MiB, which Discord's own interface calls MB). */
function formatSize(bytes: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'megabyte',
    maximumFractionDigits: 1,
  }).format(bytes / (1024 * 1024));
}

/** Through discord.js's interaction methods, which build `attachments` from `files` themselves. */
function asReply({ body, files }: Outgoing): InteractionReplyOptions & InteractionEditReplyOptions {
  return {
    ...(body.content !== undefined ? { content: body.content } : {}),
    embeds: body.embeds,
    components: body.components,
    allowedMentions: { parse: [] },
    ...(files.length > 0
      ? {
          files: files.map((file, i) => ({
            attachment: Buffer.from(file.data),
            name: body.attachments?.[i]?.filename ?? file.filename,
            ...(body.attachments?.[i]?.description ? { description: body.attachments[i]?.description } : {}),
          })),
        }
      : {}),
  };
}

/** Through @discordjs/rest: JSON, or multipart (`payload_json` and `files[n]`) when there are files. */
function restMessage(
  { body, files }: Outgoing,
  extra: Readonly<Record<string, unknown>> = {},
): { body: Record<string, unknown>; files?: RawFile[] } {
  return {
    body: { ...body, ...extra },
    ...(files.length > 0
      ? {
          files: files.map((file, i) => ({
            name: body.attachments?.[i]?.filename ?? file.filename,
            data: Buffer.from(file.data),
            contentType: file.mimeType,
          })),
        }
      : {}),
  };
}

interface QuestionPost {
  readonly channelId: string;
  readonly messageId: string;
  readonly content: string;
  readonly embeds: readonly { footer?: { text: string } }[];
}

/**
 * Writes the live count on a question message: the last line of the last embed's footer (or of the text when the
 * message has no embed), replacing the previous count. The buttons are left as they are.
 */
async function applyCount(rest: REST, post: QuestionPost, readCount: () => Promise<number>): Promise<QuestionPost> {
  const line = `${countPrefix}${await readCount()}`;
  const withLine = (text: string | undefined) =>
    [...(text ?? '').split('\n').filter((l) => l !== '' && !l.startsWith(countPrefix)), line].join('\n');
  const last = post.embeds.length - 1;
  const next: QuestionPost =
    last >= 0
      ? {
          ...post,
          embeds: post.embeds.map((embed, i) =>
            i === last ? { ...embed, footer: { ...embed.footer, text: withLine(embed.footer?.text) } } : embed,
          ),
        }
      : { ...post, content: withLine(post.content) };
  // The rendered question left room for the count line; a message edited meanwhile by hand might not have: then the
  // count is not shown rather than the edit refused.
  const footer = last >= 0 ? (next.embeds[last]?.footer?.text ?? '') : '';
  const tooLong =
    last >= 0
      ? footer.length > limits.embedFooter ||
        embedChars({ embeds: next.embeds as APIEmbed[], components: [], allowed_mentions: { parse: [] } }) >
          limits.embedsTotal
      : next.content.length > limits.content;
  if (tooLong) return post;
  try {
    await rest.patch(Routes.channelMessage(post.channelId, post.messageId), {
      body: last >= 0 ? { embeds: next.embeds } : { content: next.content },
    });
  } catch (error) {
    // A click on a question in an archived thread (a day-old quiz): its count is left as it was, on purpose — an edit
    // cannot unarchive the thread, and reopening it for a number would bring it back to every member's list.
    if (discordError(error) === String(threadArchived)) return post;
    throw error;
  }
  return next;
}

/** Half Discord's global 50 requests a second: see where the client is made. */
export const globalRequestsPerSecond = 25;

/**
 * discord.js's own global cap for the interaction webhook queue: Discord does not count these requests against the
 * bot's global limit, so this only keeps discord.js's counter out of the way (each token's bucket still applies).
 */
const interactionWebhooksPerSecond = 10_000;

/** Discord's "Thread is archived": no edit of a message in an archived thread. */
export const threadArchived = 50083;

/**
 * The nonce of a keyed post (`PostTarget.key`): the first 25 characters — Discord's maximum for a nonce — of
 * base64url(SHA-256(key)), so every try of one post sends the same nonce and two posts almost surely never do
 * (150 bits).
 */
export function postNonce(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 25);
}

export interface DiscordNotifierOptions {
  /** The language of a line the notifier adds itself (a file left out); pt-BR by default. */
  readonly localeOf?: (channelId: string) => Locale;
  readonly logger?: Logger;
}

/** How many of a channel's (or thread's) latest messages a retry's look-up reads: one `GET`, Discord's page size. */
export const lookBack = 100;

/** A message as `GET /channels/{id}/messages` lists it: what the look-up compares. */
interface ListedMessage {
  readonly id?: string;
  readonly author?: { readonly bot?: boolean };
  readonly content?: string;
  readonly embeds?: readonly { readonly title?: string; readonly description?: string }[];
  readonly components?: readonly { readonly components?: readonly { readonly custom_id?: string }[] }[];
}

/**
 * What a message shows, in one string: equal for a message and the body it was posted from, whatever live count
 * was written on it since (a count line of the text; an embed's footer is not compared).
 */
function shownOf(message: ListedMessage | DiscordMessage): string {
  return JSON.stringify([
    (message.content ?? '')
      .split('\n')
      .filter((line) => !line.startsWith(countPrefix))
      .join('\n'),
    (message.embeds ?? []).map((embed) => [embed.title ?? '', embed.description ?? '']),
    (message.components ?? []).map((row) =>
      ('components' in row ? (row.components ?? []) : []).map((button) =>
        'custom_id' in button ? button.custom_id : '',
      ),
    ),
  ]);
}

/**
 * Posts drops: a message without a thread goes to the channel as an embed; a message for a thread goes to the thread
 * started from the post `threadOf` (on Discord a thread started from a message has that message's id), which is
 * created on the first such message. A thread created earlier (a retry after a crash) is used as it is. Files go as
 * attachments of the message (a PNG shown in its embed).
 *
 * Idempotent posts: every keyed post (`PostTarget.key`: `drop:<id>`, `question:<id>`, `summary:<id>`,
 * `end:<channel>`, `season:<cohort>:<week>`) carries `nonce: postNonce(key)` and `enforce_nonce: true`. Discord then
 * checks the nonce "for uniqueness in the past few minutes": when the bot already created a message with it in that
 * channel, that message is returned and no new one is created. This covers what a crash between posting and recording
 * leaves behind, as long as the retry comes within that window: the scheduler's next tick (30 s later) retries a
 * post whose record failed, and another replica takes over a claim left by a dead process once it is 2 minutes old, so
 * its retry comes some 2.5 minutes after the first try — inside "a few minutes", though Discord gives no exact number.
 * It does not cover a retry after the window (a platform or database outage longer than that): the post is then made
 * again. Nor does it cover a message deleted in between (Discord
 * answers 10008, and the post fails until the window has passed). `retry` changes nothing here: the nonce goes on
 * the first try too, or a retry would have nothing to match. Interaction answers have no nonce (Discord has none on
 * webhooks) and need none: an interaction is answered once.
 *
 * Discord promises no length for that window ("a few minutes"), so a retry does not lean on it: a post the scheduler
 * marks `retry` (a failed try repeated at the next tick, a claim taken over after 2 minutes) first reads the last
 * `lookBack` messages of its channel or thread and returns the bot's message that shows the same thing (text, embed
 * titles and descriptions, buttons — a keyed post renders the same every try; Discord lists no nonces), and posts
 * only when there is none. The nonce still covers the quick case the look-up might race: a first try whose answer
 * was lost on the way while the message was being made.
 */
export class DiscordNotifier implements Notifier {
  readonly #threads = new Map<string, Promise<void>>();
  /** DM channel per user: Discord gives the same one every time, so it is asked once per process. */
  readonly #dms = new Map<string, string>();

  constructor(
    private readonly rest: REST,
    private readonly options: DiscordNotifierOptions = {},
  ) {}

  async post(target: PostTarget, message: Message): Promise<PostRef> {
    const keyed = target.key ? { nonce: postNonce(target.key), enforce_nonce: true } : {};
    if (!target.threadOf) {
      const sent = this.#outgoing(target.channelRef, message, 'embed');
      const earlier = target.retry ? await this.#earlierTry(target.channelRef, sent.body) : undefined;
      if (earlier) return { postRef: earlier, threadRef: earlier };
      const posted = (await this.rest.post(Routes.channelMessages(target.channelRef), restMessage(sent, keyed))) as {
        id: string;
      };
      return { postRef: posted.id, threadRef: posted.id };
    }
    const threadId = target.threadOf;
    await this.#thread(target.channelRef, threadId, target.threadName);
    const sent = this.#outgoing(target.channelRef, message, message.headline ? 'embed' : 'plain');
    const earlier = target.retry ? await this.#earlierTry(threadId, sent.body) : undefined;
    if (earlier) return { postRef: earlier, threadRef: threadId };
    const posted = (await this.rest.post(Routes.channelMessages(threadId), restMessage(sent, keyed))) as {
      id: string;
    };
    return { postRef: posted.id, threadRef: threadId };
  }

  /**
   * A retry's look-up (see the class comment): the id of the bot's message among the channel's last `lookBack` that
   * shows what `body` shows (its text, its embeds' titles and descriptions, its buttons), if there is one. A failed
   * look-up (no history permission, Discord down) finds nothing: a second copy beats a lost drop.
   */
  async #earlierTry(channelId: string, body: DiscordMessage): Promise<string | undefined> {
    try {
      const listed = (await this.rest.get(Routes.channelMessages(channelId), {
        query: new URLSearchParams({ limit: String(lookBack) }),
      })) as ListedMessage[];
      const wanted = shownOf(body);
      return listed.find((seen) => seen.author?.bot === true && shownOf(seen) === wanted)?.id;
    } catch (error) {
      this.options.logger?.warn(
        { err: error, channel: channelId, code: discordError(error) },
        'discord: looking for an earlier post failed',
      );
      return undefined;
    }
  }

  /**
   * A direct message: the DM channel with the member (`POST /users/@me/channels`), then the message in it. A member
   * who does not take DMs from the bot (closed DMs, no server in common) makes it throw Discord's 50007 "Cannot send
   * messages to this user"; the caller decides what that means (the nudge job logs it).
   */
  async direct(userRef: string, message: Message): Promise<PostRef> {
    let channelId = this.#dms.get(userRef);
    if (!channelId) {
      const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userRef } })) as {
        id: string;
      };
      channelId = channel.id;
      this.#dms.set(userRef, channelId);
    }
    const sent = this.#outgoing(channelId, message, 'embed');
    const posted = (await this.rest.post(Routes.channelMessages(channelId), restMessage(sent))) as { id: string };
    return { postRef: posted.id, threadRef: posted.id };
  }

  #outgoing(channelId: string, message: Message, style: 'embed' | 'plain'): Outgoing {
    const speaker = translator(this.options.localeOf?.(channelId) ?? 'pt-BR');
    return outgoing(message, speaker, { style, fileBytes: fileLimits.fileBytes });
  }

  #thread(channelId: string, messageId: string, name: string | undefined): Promise<void> {
    let pending = this.#threads.get(messageId);
    if (!pending) {
      pending = this.rest
        .post(Routes.threads(channelId, messageId), {
          body: { name: (name ?? 'Quiz').slice(0, 100) || 'Quiz', auto_archive_duration: 1440 },
        })
        .then(
          () => undefined,
          (error: unknown) => {
            if (discordError(error) === String(threadAlreadyCreated)) return;
            throw error;
          },
        );
      // A failed creation is tried again on the next post.
      pending.catch(() => this.#threads.delete(messageId));
      this.#threads.set(messageId, pending);
    }
    return pending;
  }
}

/** Discord's error code (`50013`, `10003`, …) of an API error, or the HTTP status of another HTTP error. */
export function discordError(error: unknown): string | undefined {
  if (error instanceof DiscordAPIError) return String(error.code);
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? String(status) : undefined;
}

/** A login failure in one line, never with the token: discord.js's own messages do not carry it. */
function describeLoginError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'TokenInvalid') return 'the token was rejected (check DISCORD_TOKEN)';
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? 'unknown error';
}
