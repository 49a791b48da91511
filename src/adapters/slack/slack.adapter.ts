/**
 * The Slack adapter: translates between Slack (through @slack/bolt) and the core. It owns what is Slack's — the
 * connection (Socket Mode or HTTP), acknowledging within Slack's 3 s, rendering Block Kit, posting — and nothing else:
 * every command and click goes to the dispatcher as a platform-neutral request, every reply comes back as a neutral
 * message.
 *
 * - `/trilha <text>`: acknowledged at once, then dispatched; private replies go back through the command's
 *   `response_url` as ephemeral messages (which works even before the bot is in the channel), public ones are posted.
 * - Buttons: acknowledged at once, then dispatched with the button's action id; the private reply (a click's feedback)
 *   goes back through the click's own `response_url` as one ephemeral message, with `thread_ts` when the button was
 *   in a thread (Slack's "publishing in thread"): one use of that URL, no Web API tier. Only when the URL refuses
 *   (used up, expired) does it fall back to `chat.postEphemeral` (Tier 4, metered). docs/platform-budgets.md says why.
 * - A command's or click's private replies are merged into as few messages as Slack's 50 blocks allow, at most
 *   `maxResponses` (3 of the response_url's 5 uses, the rest left for retries).
 * - Every Web API call is metered by `SlackBudget` (`budget.ts`): each method's tier, chat.postMessage per channel and
 *   workspace, one queue per bucket so a burst of one kind never delays a drop post. A click does not wait for
 *   `users.info` (Tier 4) when its bucket is empty: it goes on with what the click carries.
 * - App Home: on `app_home_opened`, the member's progress and their cohort's week ranking (the `progress` and
 *   `ranking` commands' replies) with buttons for a review and the next lesson.
 * - Live answer counts: each answer click folds into at most one `chat.update` of the question per few seconds, all
 *   of a workspace's edits under one `chat.update` bucket (40 a minute, Tier 3's 50 less room; `live-counts.ts`).
 * - Files (`Message.files`: a CSV, a PNG chart) through Slack's external upload (`files.ts`), after the message they
 *   belong to, in the same channel or thread. An ephemeral message cannot carry files, so a private reply's files go
 *   to the member's direct messages with the bot (`conversations.open`) and the ephemeral reply says so.
 * - Proactive posts (drops, quiz questions, summaries, recaps) and direct messages through `SlackNotifier`
 *   (`notifier.ts`): `chat.postMessage`, threads by `ts`, keyed posts made idempotent with message metadata.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  App as BoltApp,
  type Logger as BoltLogger,
  HTTPReceiver,
  LogLevel,
  type SocketModeReceiver,
} from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { App } from '../../app.ts';
import { decodeAction, encodeAction } from '../../core/action-id.ts';
import type { Locale } from '../../core/locale.ts';
import {
  type Attachment,
  context as contextLine,
  type Message,
  type Notifier,
  type Reply,
} from '../../core/message.ts';
import { translator } from '../../i18n/translator.ts';
import { withLogContext } from '../../ops/log-context.ts';
import { nextSlice } from '../../ops/loop-slices.ts';
import type { Logger } from '../../runtime/logger.ts';
import { InFlight } from '../in-flight.ts';
import { countPrefix, LiveAnswerCounts } from '../live-counts.ts';
import { type BudgetClock, MeteredWebClient, SlackBudget } from './budget.ts';
import { slackFilename, uploadable, uploadFiles } from './files.ts';
import { answerClientError, frontServerOptions, refuseConnect, type SlackRejection, slackFront } from './http-front.ts';
import { answerModal, answerModalCallbackId, type ModalMetadata, modalTextsOf, submittedAnswer } from './modal.ts';
import { SlackNotifier } from './notifier.ts';
import { maxBlocks, renderSlack } from './render.ts';
import { postToResponseUrl } from './response-url.ts';

export interface SlackOptions {
  readonly app: App;
  readonly botToken: string;
  /** Socket Mode when set (the default way: no public URL needed). */
  readonly appToken?: string;
  /** HTTP mode when set and there is no app token. */
  readonly signingSecret?: string;
  /** Slack's Web API base URL; meant for tests (a fake Slack on 127.0.0.1). */
  readonly apiUrl?: string;
  /** HTTP mode: where Bolt listens (SLACK_PORT, SLACK_HOST; default 3000 on 127.0.0.1). */
  readonly port?: number;
  readonly host?: string;
  readonly path?: string;
  /** Slack user ids allowed to set channels up besides the workspace's admins and owners. */
  readonly admins?: readonly string[];
  /** At most one live-count update per question message in this window (default `liveCountIntervalMs`). */
  readonly liveCountIntervalMs?: number;
  /** The time the Web API budgets keep (budget.ts); real time by default, a faster one in tests. */
  readonly budgetClock?: BudgetClock;
  readonly logger: Logger;
  /** Called once per command or click with the time until it was acknowledged (metrics). */
  readonly onInteraction?: (kind: 'command' | 'button', seconds: number) => void;
  /** Called with Slack's error code for every Web API error a reply meets (metrics). */
  readonly onApiError?: (code: string) => void;
  /** HTTP mode: called with the reason of every request refused before Bolt (metrics; http-front.ts). */
  readonly onRejected?: (reason: SlackRejection) => void;
}

export interface SlackRuntime {
  readonly bolt: BoltApp;
  readonly notifier: Notifier;
  /** HTTP mode: the port Bolt listens on. */
  readonly port: number | null;
  /** Socket Mode: the socket is open; HTTP mode: the server listens (readiness). */
  connected(): boolean;
  stop(drainMs?: number): Promise<void>;
}

/** Who clicked or submitted, as the dispatcher takes them: the workspace and the member (button clicks, modals). */
function actorOf(
  body: { team?: { id?: string; domain?: string } | null; user: { id: string; team_id?: string } },
  user: UserInfo,
) {
  return {
    workspace: { externalId: body.team?.id ?? body.user.team_id ?? 'unknown', name: body.team?.domain ?? '' },
    user: {
      externalId: body.user.id,
      displayName: user.name,
      isAdmin: user.isAdmin,
      ...(user.locale ? { localeHint: user.locale } : {}),
    },
  };
}

/** How long what `users.info` says about a member (admin, locale, name) is kept: they change rarely. */
const userInfoTtlMs = 5 * 60_000;

interface UserInfo {
  readonly isAdmin: boolean;
  readonly locale?: string;
  readonly name: string;
}

/** The commands that change a channel's setup: the bot must be in the channel to post there. */
const setupCommands = new Set(['canal', 'channel']);

export async function startSlack(options: SlackOptions): Promise<SlackRuntime> {
  const { app, logger } = options;
  const socketMode = options.appToken !== undefined;
  if (!socketMode && !options.signingSecret) {
    throw new Error('Slack: set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)');
  }
  const clientOptions = options.apiUrl ? { slackApiUrl: options.apiUrl } : {};
  // HTTP mode: Bolt's receiver, behind the checks of http-front.ts (route, timestamp, size, signature, replay).
  const receiver =
    socketMode || !options.signingSecret
      ? null
      : new HTTPReceiver({
          signingSecret: options.signingSecret,
          ...(options.path ? { endpoints: options.path } : {}),
          logger: boltLogger(logger),
        });
  const bolt = socketMode
    ? new BoltApp({
        token: options.botToken,
        appToken: options.appToken,
        socketMode: true,
        clientOptions,
        logger: boltLogger(logger),
      })
    : new BoltApp({
        token: options.botToken,
        ...(receiver ? { receiver } : {}),
        clientOptions,
        logger: boltLogger(logger),
      });

  // Every Web API call of the adapter goes through one client metered by the workspace's budget (budget.ts); Bolt's
  // own clients only verify the token.
  const budget = new SlackBudget(options.budgetClock);
  const client = new MeteredWebClient(budget, options.botToken, {
    ...clientOptions,
    logger: boltLogger(logger),
  });
  const unmetered = (method: string, args: Record<string, unknown>) => client.unmetered(method, args);
  // chat.update is Tier 3 (50+ a minute): every count edit of the workspace takes a token of one bucket, and reads the
  // count only then.
  const counts = new LiveAnswerCounts<QuestionPost>({
    count: (id) => app.services.stores.learning.answerCount(id),
    apply: (post, readCount) =>
      budget.spend('chat.update', undefined, async () => {
        const blocks = post.blocks.filter((block) => !isCountLine(block));
        blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${countPrefix}${await readCount()}` }] });
        await unmetered('chat.update', { channel: post.channel, ts: post.ts, blocks, text: post.text });
        return { ...post, blocks };
      }),
    logger,
    platform: 'slack',
    ...(options.liveCountIntervalMs !== undefined ? { intervalMs: options.liveCountIntervalMs } : {}),
  });
  const users = new Map<string, { info: UserInfo; until: number }>();
  const admins = new Set(options.admins ?? []);
  /** What Slack says of a member; `wait: false` (a click) goes on without it when users.info's bucket is empty. */
  async function userInfo(userId: string, fallbackName: string, wait = true): Promise<UserInfo> {
    const cached = users.get(userId);
    if (cached && cached.until > Date.now()) return cached.info;
    if (!wait && !budget.tryTake('users.info')) return { isAdmin: admins.has(userId), name: fallbackName };
    try {
      const response = wait
        ? await client.users.info({ user: userId, include_locale: true })
        : ((await unmetered('users.info', { user: userId, include_locale: true })) as Awaited<
            ReturnType<WebClient['users']['info']>
          >);
      const user = response.user;
      const info: UserInfo = {
        isAdmin: Boolean(user?.is_admin || user?.is_owner) || admins.has(userId),
        ...(user?.locale ? { locale: user.locale } : {}),
        name: user?.profile?.display_name || user?.real_name || user?.name || fallbackName,
      };
      users.set(userId, { info, until: Date.now() + userInfoTtlMs });
      return info;
    } catch (error) {
      // Without users.info (a missing scope, Slack down) the member is not an admin: setup is refused, not allowed.
      logger.warn({ err: error, user: userId }, 'slack users.info failed');
      return { isAdmin: admins.has(userId), name: fallbackName };
    }
  }

  // Every listener runs inside this middleware (`next()` resolves when the listener is done), so a shutdown can wait for
  // the commands and clicks in flight after the connection stopped bringing new ones.
  const inFlight = new InFlight();
  // Every log line written while a request is handled carries an id for it (src/ops/log-context.ts): Slack's
  // trigger id for commands and clicks, else a fresh one.
  bolt.use(({ body, next }) =>
    withLogContext({ platform: 'slack', request: requestId(body) }, () => inFlight.track(next())),
  );

  bolt.command('/trilha', async ({ command, ack, respond }) => {
    const started = performance.now();
    await ack();
    options.onInteraction?.('command', (performance.now() - started) / 1000);
    const now = new Date();
    const user = await userInfo(command.user_id, command.user_name);
    const request = {
      platform: 'slack' as const,
      workspace: { externalId: command.team_id, name: command.team_domain },
      user: {
        externalId: command.user_id,
        displayName: user.name,
        isAdmin: user.isAdmin,
        ...(user.locale ? { localeHint: user.locale } : {}),
      },
      channel: command.channel_id.startsWith('D')
        ? null
        : { externalId: command.channel_id, name: command.channel_name },
      now,
    };
    const text = command.text.trim();
    if (request.channel && setupCommands.has(text.split(/\s+/)[0]?.toLowerCase() ?? '')) {
      const inChannel = await botInChannel(client, command.channel_id, logger);
      if (!inChannel) {
        const { t } = translator(localeOf(user.locale, app));
        await respond({ response_type: 'ephemeral', text: t('slack.not_in_channel') });
        return;
      }
    }
    const replies = mergePrivate(await app.dispatcher.command({ ...request, text }));
    for (const reply of replies) {
      await deliver(reply, {
        client,
        channelId: command.channel_id,
        userId: command.user_id,
        locale: localeOf(user.locale, app),
        respond: (message) => respond({ response_type: 'ephemeral', ...renderSlack(message) }).then(() => undefined),
        logger,
        onApiError: options.onApiError,
      });
    }
  });

  bolt.action(/.*/, async ({ body, action, ack }) => {
    const started = performance.now();
    await ack();
    options.onInteraction?.('button', (performance.now() - started) / 1000);
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return;
    const modal = modalTextsOf(action.value);
    if (modal) {
      // A command exercise: the answer is typed in a modal, opened with this click's trigger_id (modal.ts).
      const where = body.channel?.id ?? body.container?.channel_id;
      const metadata: ModalMetadata = {
        actionId: action.action_id,
        ...(where ? { channelId: where } : {}),
        ...(body.channel?.name ? { channelName: body.channel.name } : {}),
        ...(body.message?.thread_ts ? { threadTs: body.message.thread_ts } : {}),
      };
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: answerModal(modal, metadata) });
      } catch (error) {
        logger.warn({ err: error }, 'slack views.open failed');
      }
      return;
    }
    // An answer click never waits for users.info: its feedback must not queue behind 300 members' first clicks.
    const answering = decodeAction(action.action_id);
    const isAnswer = answering.ok && answering.action.kind === 'answer';
    const user = await userInfo(body.user.id, body.user.name ?? body.user.id, !isAnswer);
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const threadTs = body.message?.thread_ts ?? undefined;
    const replies = mergePrivate(
      await app.dispatcher.action({
        platform: 'slack',
        ...actorOf(body, user),
        channel:
          channelId && !channelId.startsWith('D') ? { externalId: channelId, name: body.channel?.name ?? '' } : null,
        now: new Date(),
        actionId: action.action_id,
      }),
    );
    // Rendering and posting the feedback wait for a share of a turn (src/ops/loop-slices.ts): a batch of answers
    // resolves hundreds of clicks at once, and the next clicks' acks must get in between.
    await nextSlice();
    if (answering.ok && answering.action.kind === 'answer' && channelId && body.message?.ts) {
      counts.touch(`${channelId}:${body.message.ts}`, answering.action.postedQuestionId, {
        channel: channelId,
        ts: body.message.ts,
        text: String(body.message.text ?? ''),
        blocks: (body.message.blocks ?? []) as KnownBlock[],
      });
    }
    for (const reply of replies) {
      await deliver(reply, {
        client,
        channelId: channelId ?? body.user.id,
        userId: body.user.id,
        locale: localeOf(user.locale, app),
        ...(threadTs ? { threadTs } : {}),
        respond: async (message) => {
          const rendered = renderSlack(message);
          try {
            // The click's own response_url: no Web API tier. In a thread, `thread_ts` keeps the reply there.
            // Posted by response-url.ts rather than Bolt's `respond` (the global fetch: much more CPU per post).
            if (!body.response_url) throw new Error('the click has no response_url');
            await postToResponseUrl(body.response_url, {
              response_type: 'ephemeral',
              replace_original: false,
              ...(threadTs ? { thread_ts: threadTs } : {}),
              ...rendered,
            });
          } catch (error) {
            logger.warn({ err: error, user: body.user.id }, 'slack response_url refused; chat.postEphemeral instead');
            await client.chat.postEphemeral({
              channel: channelId ?? body.user.id,
              user: body.user.id,
              ...(threadTs ? { thread_ts: threadTs } : {}),
              ...rendered,
            });
          }
        },
        logger,
        onApiError: options.onApiError,
      });
    }
  });

  bolt.view(answerModalCallbackId, async ({ ack, body, view }) => {
    // Closes the modal at once; the feedback arrives as an ephemeral message where the question was (a view
    // submission has no response_url of its own).
    await ack();
    const answer = submittedAnswer(view);
    if (!answer) return;
    const { metadata, typed } = answer;
    const user = await userInfo(body.user.id, body.user.name ?? body.user.id, false);
    const channelId = metadata.channelId;
    const replies = mergePrivate(
      await app.dispatcher.action({
        platform: 'slack',
        ...actorOf(body, user),
        channel:
          channelId && !channelId.startsWith('D') ? { externalId: channelId, name: metadata.channelName ?? '' } : null,
        now: new Date(),
        actionId: metadata.actionId,
        typed,
      }),
    );
    for (const reply of replies) {
      await deliver(reply, {
        client,
        channelId: channelId ?? body.user.id,
        userId: body.user.id,
        locale: localeOf(user.locale, app),
        ...(metadata.threadTs ? { threadTs: metadata.threadTs } : {}),
        respond: async (message) => {
          await client.chat.postEphemeral({
            channel: channelId ?? body.user.id,
            user: body.user.id,
            ...(metadata.threadTs ? { thread_ts: metadata.threadTs } : {}),
            ...renderSlack(message),
          });
        },
        logger,
        onApiError: options.onApiError,
      });
    }
  });

  bolt.event('app_home_opened', async ({ event, context }) => {
    if (event.tab !== 'home') return;
    const user = await userInfo(event.user, event.user);
    const locale = localeOf(user.locale, app);
    const { t } = translator(locale);
    const request = {
      platform: 'slack' as const,
      workspace: { externalId: context.teamId ?? 'unknown', name: '' },
      user: {
        externalId: event.user,
        displayName: user.name,
        isAdmin: user.isAdmin,
        ...(user.locale ? { localeHint: user.locale } : {}),
      },
      channel: null,
      now: new Date(),
    };
    // The member's progress (streak, XP, accuracy, reviews due) and their cohort's week ranking with their own rank:
    // the same replies `/trilha progresso` and `/trilha ranking` give, on one Home tab.
    const replies = [
      ...(await app.dispatcher.command({ ...request, text: locale === 'en' ? 'progress' : 'progresso' })),
      ...(await app.dispatcher.command({ ...request, text: locale === 'en' ? 'leaderboard' : 'ranking' })),
    ];
    const home: Message = {
      headline: t('slack.home.headline'),
      blocks: [
        ...replies.flatMap((reply) => [
          ...(reply.message.headline ? [{ kind: 'text' as const, text: `*${reply.message.headline}*` }] : []),
          ...reply.message.blocks,
        ]),
        {
          kind: 'buttons',
          buttons: [
            {
              label: t('slack.home.review'),
              actionId: encodeAction({ kind: 'command', command: 'review' }),
              style: 'primary',
            },
            { label: t('slack.home.next'), actionId: encodeAction({ kind: 'command', command: 'next' }) },
          ],
        },
        { kind: 'context', text: t('slack.home.hint') },
      ],
    };
    const { blocks } = renderSlack(home);
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks } });
  });

  bolt.error(async (error) => {
    logger.error({ err: error }, 'slack handler failed');
  });

  let port: number | null = null;
  let server: Server | null = null;
  if (receiver && options.signingSecret) {
    // Not `bolt.start()`: the server in front of Bolt's request listener (http-front.ts) decides what reaches it.
    server = createServer(
      frontServerOptions,
      slackFront({
        path: options.path ?? '/slack/events',
        signingSecret: options.signingSecret,
        bolt: receiver.requestListener,
        logger,
        ...(options.onRejected ? { onRejected: options.onRejected } : {}),
      }),
    );
    server.on('clientError', (error, socket) => {
      const reason = answerClientError(error, socket);
      if (reason) options.onRejected?.(reason);
    });
    server.on('connect', (_request, socket) => {
      options.onRejected?.('method_not_allowed');
      refuseConnect(socket);
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => {
        listening.off('error', reject);
        resolve();
      });
    });
    listening.on('error', (error) => logger.error({ err: error }, 'slack http server error'));
    const address = server.address();
    port = address && typeof address === 'object' ? address.port : null;
  } else {
    await bolt.start();
  }
  let socketOpen = true;
  if (socketMode) {
    // `receiver` is private in Bolt's typings; its Socket Mode client says when the socket drops and comes back.
    const socket = (bolt as unknown as { receiver: SocketModeReceiver }).receiver.client;
    socket.on('connected', () => {
      socketOpen = true;
    });
    socket.on('disconnected', () => {
      socketOpen = false;
    });
    socket.on('reconnecting', () => {
      socketOpen = false;
    });
  }
  logger.info({ mode: socketMode ? 'socket' : 'http', port }, 'slack connected');

  return {
    bolt,
    notifier: new SlackNotifier(client, logger),
    port,
    connected: () => (server ? server.listening : socketOpen),
    /** Stops taking requests, lets the commands and clicks in flight finish (at most `drainMs`), then closes. */
    async stop(drainMs = 5_000) {
      let closed: Promise<void> = Promise.resolve();
      if (server) {
        const closing = server;
        closed = new Promise<void>((resolve) => closing.close(() => resolve()));
        closing.closeIdleConnections();
      } else {
        await bolt.stop();
      }
      if (!(await inFlight.close(drainMs))) logger.warn('slack: requests still running at shutdown');
      counts.stop();
      budget.stop();
      server?.closeAllConnections();
      await closed;
    },
  };
}

interface QuestionPost {
  readonly channel: string;
  readonly ts: string;
  readonly text: string;
  readonly blocks: KnownBlock[];
}

function isCountLine(block: KnownBlock): boolean {
  if (block.type !== 'context') return false;
  const first = block.elements[0];
  return first !== undefined && 'text' in first && typeof first.text === 'string' && first.text.startsWith(countPrefix);
}

/** Uses of a response_url one command or click may make (Slack allows 5 in 30 minutes: 2 left for retries). */
export const maxResponses = 3;

/**
 * The private replies of one command or click merged into as few messages as Slack's 50 blocks allow — at most
 * `maxResponses`, the last one cut with `…` by `renderSlack` if even that is too little — in their order, each later
 * headline kept as a bold line; the merged message stands where the first private reply stood. Public and thread
 * replies are left as they are.
 */
export function mergePrivate(replies: readonly Reply[]): Reply[] {
  const privates = replies.filter((reply) => reply.audience.kind === 'private');
  if (privates.length <= 1) return [...replies];
  const groups: Message[] = [];
  let size = 0;
  for (const reply of privates) {
    const { headline, blocks, files } = reply.message;
    const current = groups.at(-1);
    const parts = current && headline ? [{ kind: 'text' as const, text: `*${headline}*` }, ...blocks] : blocks;
    const cost = renderSlack({ ...(current ? {} : headline ? { headline } : {}), blocks: parts }).blocks.length;
    if (current && (size + cost <= maxBlocks || groups.length >= maxResponses)) {
      groups[groups.length - 1] = {
        ...current,
        blocks: [...current.blocks, ...parts],
        ...(files || current.files ? { files: [...(current.files ?? []), ...(files ?? [])] } : {}),
      };
      size += cost;
    } else {
      groups.push({ ...reply.message });
      size = renderSlack(reply.message).blocks.length;
    }
  }
  const merged: Reply[] = groups.map((message) => ({ audience: { kind: 'private' }, message }));
  const first = replies.findIndex((reply) => reply.audience.kind === 'private');
  const others = replies.filter((reply) => reply.audience.kind !== 'private');
  return [...others.slice(0, first), ...merged, ...others.slice(first)];
}

interface DeliverContext {
  readonly client: WebClient;
  readonly channelId: string;
  readonly userId: string;
  /** The member's language on Slack, for what the adapter itself adds (where the files went). */
  readonly locale: Locale;
  readonly threadTs?: string;
  /** How a private reply reaches only this member. */
  readonly respond: (message: Message) => Promise<void>;
  readonly logger: Logger;
  readonly onApiError?: ((code: string) => void) | undefined;
}

/**
 * Sends one reply where its audience says, its files after it (same channel, same thread). A private reply's files
 * go to the member's direct messages, and the ephemeral reply ends with a line saying so. A Slack error is logged
 * and does not stop the other replies.
 */
async function deliver(reply: Reply, ctx: DeliverContext): Promise<void> {
  const { files = [], ...message } = reply.message;
  const sendable = uploadable(files);
  try {
    if (reply.audience.kind === 'private') {
      if (sendable.length === 0) {
        await ctx.respond(message);
        return;
      }
      const note = await filesToDirectMessages(sendable, message, ctx);
      await ctx.respond({ ...message, blocks: [...message.blocks, contextLine(note)] });
      return;
    }
    const threadTs = reply.audience.kind === 'thread' ? reply.audience.postRef : ctx.threadTs;
    // A reply of files only has nothing to say before them.
    if (sendable.length === 0 || message.headline || message.blocks.length > 0) {
      await ctx.client.chat.postMessage({
        channel: ctx.channelId,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...renderSlack(message),
      });
    }
    if (sendable.length > 0) {
      await uploadFiles(ctx.client, sendable, { channel: ctx.channelId, ...(threadTs ? { threadTs } : {}) });
    }
  } catch (error) {
    failed(error, ctx, 'slack reply failed');
  }
}

/**
 * Uploads a private reply's files (none empty) to the member's IM with the bot; gives the line the ephemeral reply
 * ends with: where they went, or that they could not be sent.
 */
async function filesToDirectMessages(
  files: readonly Attachment[],
  message: Message,
  ctx: DeliverContext,
): Promise<string> {
  const { t } = translator(ctx.locale);
  const names = new Intl.ListFormat(ctx.locale, { type: 'conjunction' }).format(
    files.map((file) => `\`${slackFilename(file.filename)}\``),
  );
  try {
    const opened = await ctx.client.conversations.open({ users: ctx.userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('Slack conversations.open gave no channel');
    const sent = await uploadFiles(ctx.client, files, {
      channel,
      // The headline says what the files are; as the notification text renders it (plain, Slack's escapes).
      ...(message.headline ? { initialComment: renderSlack({ headline: message.headline, blocks: [] }).text } : {}),
    });
    return t('slack.files.in_direct_messages', { count: sent.length, names });
  } catch (error) {
    const code = failed(error, ctx, 'slack files to direct messages failed');
    return t('slack.files.failed', { names, error: code ?? 'error' });
  }
}

/** Logs a Slack failure and counts its error code; gives the code. */
function failed(error: unknown, ctx: DeliverContext, what: string): string | undefined {
  const code = slackError(error);
  if (code) ctx.onApiError?.(code);
  ctx.logger.error({ err: error, channel: ctx.channelId, code }, what);
  return code;
}

async function botInChannel(client: WebClient, channelId: string, logger: Logger): Promise<boolean> {
  try {
    const info = await client.conversations.info({ channel: channelId });
    return info.channel?.is_member !== false;
  } catch (error) {
    const code = slackError(error);
    if (code === 'channel_not_found' || code === 'not_in_channel') return false;
    logger.warn({ err: error, channel: channelId }, 'slack conversations.info failed');
    return true;
  }
}

/** Slack's error code (`not_in_channel`, `ratelimited`, …) from a Web API error, when it has one. */
export function slackError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (typeof data?.error === 'string') return data.error;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function localeOf(slackLocale: string | undefined, app: App) {
  if (slackLocale?.toLowerCase().startsWith('pt')) return 'pt-BR' as const;
  if (slackLocale?.toLowerCase().startsWith('en')) return 'en' as const;
  return app.services.defaults.locale;
}

/** Bolt's logger interface over pino (Bolt logs connection states; tokens are redacted by the pino setup). */
function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.WARN;
  return {
    debug: (...args) => child.debug(args.map(String).join(' ')),
    info: (...args) => child.info(args.map(String).join(' ')),
    warn: (...args) => child.warn(args.map(String).join(' ')),
    error: (...args) => child.error(args.map(String).join(' ')),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** An id for a request's log lines: Slack's `trigger_id` when it has one (commands, clicks), else a fresh one. */
function requestId(body: unknown): string {
  const trigger = (body as { trigger_id?: unknown } | undefined)?.trigger_id;
  return typeof trigger === 'string' && trigger !== '' ? trigger : randomUUID();
}
