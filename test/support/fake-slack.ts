/**
 * A fake Slack on 127.0.0.1 that speaks Slack's wire protocols, so the adapter runs through the real @slack/bolt:
 * the Web API (form-encoded or JSON POSTs to `/api/<method>`, every call recorded), `response_url`s, and Socket Mode
 * (`apps.connections.open` hands out a WebSocket URL; the socket says `hello`, carries envelopes and takes acks).
 * Facts it follows: ../shared/notes/platform-fakes.md (Part B).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeUser {
  readonly isAdmin?: boolean;
  readonly isOwner?: boolean;
  readonly locale?: string;
  readonly name?: string;
}

export interface FakeSlackOptions {
  readonly users?: Readonly<Record<string, FakeUser>>;
  /** Channels by id: whether the bot is a member (unknown channels answer channel_not_found). */
  readonly channels?: Readonly<Record<string, { readonly name: string; readonly isMember: boolean }>>;
}

export interface RecordedCall {
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly token: string | undefined;
}

interface Failure {
  readonly error: string;
  readonly status?: number;
  readonly retryAfter?: number;
}

export interface FakeSlack {
  /** For Bolt's `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly calls: RecordedCall[];
  /** JSON bodies posted to response URLs, in order. */
  readonly responses: { readonly id: string; readonly body: Record<string, unknown> }[];
  callsTo(method: string): RecordedCall[];
  /** The next call to `method` fails with Slack's `error` (HTTP 429 with Retry-After for `ratelimited`). */
  failNext(method: string, error: string, options?: { status?: number; retryAfter?: number }): void;
  /** Resolves once a Socket Mode client has connected (and been sent `hello`). */
  socketConnected(): Promise<void>;
  /** Sends an envelope and resolves with the client's ack frame. */
  sendEnvelope(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    options?: { retryAttempt?: number; retryReason?: string; timeoutMs?: number },
  ): Promise<{ envelope_id: string; payload?: unknown }>;
  close(): Promise<void>;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const responses: { id: string; body: Record<string, unknown> }[] = [];
  const failures = new Map<string, Failure[]>();
  const acks = new Map<string, (frame: { envelope_id: string; payload?: unknown }) => void>();
  let socket: WebSocket | null = null;
  let connectedWaiters: (() => void)[] = [];
  let tsCounter = 0;
  const nextTs = () => `1796000000.${String(++tsCounter).padStart(6, '0')}`;

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith('/response/')) {
      responses.push({ id: url.pathname.slice('/response/'.length), body: JSON.parse(raw || '{}') });
      send(200, { ok: true });
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      send(404, { ok: false, error: 'not_found' });
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const body = parseBody(raw, req.headers['content-type']);
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    calls.push({ method, body, token });
    const failure = failures.get(method)?.shift();
    if (failure) {
      if (failure.error === 'ratelimited') {
        send(
          failure.status ?? 429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(failure.retryAfter ?? 1) },
        );
      } else {
        send(failure.status ?? 200, { ok: false, error: failure.error });
      }
      return;
    }
    send(200, answer(method, body, token));
  });

  function answer(method: string, body: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'trilha',
          team_id: 'T-FAKE',
          user_id: 'U-BOT',
          bot_id: 'B-BOT',
        };
      case 'apps.connections.open':
        if (!token?.startsWith('xapp-')) return { ok: false, error: 'invalid_auth' };
        return { ok: true, url: `ws://127.0.0.1:${port()}/link/?ticket=${randomUUID()}` };
      case 'chat.postMessage': {
        const ts = nextTs();
        return { ok: true, channel: body.channel, ts, message: { ts, text: body.text, blocks: body.blocks } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      case 'views.publish':
        return { ok: true, view: { id: 'V-FAKE', type: 'home' } };
      case 'users.info': {
        const id = String(body.user);
        const user = options.users?.[id];
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id,
            name: user.name ?? id.toLowerCase(),
            real_name: user.name ?? id,
            is_admin: user.isAdmin ?? false,
            is_owner: user.isOwner ?? false,
            ...(body.include_locale === 'true' || body.include_locale === true
              ? { locale: user.locale ?? 'pt-BR' }
              : {}),
            profile: { display_name: user.name ?? '' },
          },
        };
      }
      case 'conversations.info': {
        const channel = options.channels?.[String(body.channel)];
        if (!channel) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: { id: body.channel, name: channel.name, is_member: channel.isMember } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, duplex, head) => {
    if (!req.url?.startsWith('/link/')) {
      duplex.destroy();
      return;
    }
    wss.handleUpgrade(req, duplex, head, (ws) => {
      socket = ws;
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (frame.envelope_id)
          acks.get(frame.envelope_id)?.({ envelope_id: frame.envelope_id, payload: frame.payload });
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake-slack' },
          connection_info: { app_id: 'A-FAKE' },
        }),
      );
      for (const resolve of connectedWaiters.splice(0)) resolve();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = () => (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port()}`;

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    calls,
    responses,
    callsTo: (method) => calls.filter((call) => call.method === method),
    failNext(method, error, more = {}) {
      const list = failures.get(method) ?? [];
      list.push({ error, ...more });
      failures.set(method, list);
    },
    socketConnected: () =>
      socket ? Promise.resolve() : new Promise<void>((resolve) => connectedWaiters.push(resolve)),
    sendEnvelope(type, payload, more = {}) {
      const open = socket;
      if (!open) return Promise.reject(new Error('no Socket Mode client connected'));
      const envelopeId = randomUUID();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          acks.delete(envelopeId);
          reject(new Error(`no ack for ${type} envelope within ${more.timeoutMs ?? 3000} ms`));
        }, more.timeoutMs ?? 3000);
        acks.set(envelopeId, (frame) => {
          clearTimeout(timer);
          acks.delete(envelopeId);
          resolve(frame);
        });
        open.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type,
            payload,
            accepts_response_payload: type !== 'events_api',
            retry_attempt: more.retryAttempt ?? 0,
            retry_reason: more.retryReason ?? '',
          }),
        );
      });
    },
    async close() {
      connectedWaiters = [];
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/** A `/trilha` slash command as Slack sends it. */
export function slashCommand(
  fake: FakeSlack,
  input: { text: string; userId: string; userName?: string; channelId: string; channelName?: string; teamId?: string },
): Record<string, unknown> {
  return {
    token: 'verification-token',
    team_id: input.teamId ?? 'T-FAKE',
    team_domain: 'fake',
    channel_id: input.channelId,
    channel_name: input.channelName ?? 'geral',
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: '/trilha',
    text: input.text,
    api_app_id: 'A-FAKE',
    is_enterprise_install: 'false',
    response_url: `${fake.baseUrl}/response/${randomUUID()}`,
    trigger_id: randomUUID(),
  };
}

/** A button click (`block_actions`) on a message, as Slack sends it. */
export function blockAction(
  fake: FakeSlack,
  input: { actionId: string; userId: string; channelId: string; messageTs: string; threadTs?: string; teamId?: string },
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: {
      id: input.userId,
      username: input.userId.toLowerCase(),
      name: input.userId.toLowerCase(),
      team_id: input.teamId ?? 'T-FAKE',
    },
    api_app_id: 'A-FAKE',
    token: 'verification-token',
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channelId, is_ephemeral: false },
    trigger_id: randomUUID(),
    team: { id: input.teamId ?? 'T-FAKE', domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: 'geral' },
    message: {
      type: 'message',
      ts: input.messageTs,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
      text: '',
      blocks: [],
    },
    state: { values: {} },
    response_url: `${fake.baseUrl}/response/${randomUUID()}`,
    actions: [
      {
        action_id: input.actionId,
        block_id: 'b1',
        value: input.actionId,
        type: 'button',
        action_ts: `${Date.now() / 1000}`,
        text: { type: 'plain_text', text: 'x' },
      },
    ],
  };
}

/** `app_home_opened` as an Events API payload. */
export function appHomeOpened(input: { userId: string; teamId?: string }): Record<string, unknown> {
  return {
    token: 'verification-token',
    team_id: input.teamId ?? 'T-FAKE',
    api_app_id: 'A-FAKE',
    event: {
      type: 'app_home_opened',
      user: input.userId,
      channel: 'D-HOME',
      tab: 'home',
      event_ts: `${Date.now() / 1000}`,
    },
    type: 'event_callback',
    event_id: `Ev${randomUUID().slice(0, 8)}`,
    event_time: Math.floor(Date.now() / 1000),
  };
}

/** POSTs `body` to an HTTP-mode endpoint, signed the way Slack signs (`v0:{ts}:{body}`, HMAC-SHA256). */
export async function signedRequest(
  url: string,
  signingSecret: string,
  body: string,
  options: { timestamp?: number; signature?: string; contentType?: string } = {},
): Promise<{ status: number; body: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature ?? `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

export function formBody(fields: Record<string, unknown>): string {
  return new URLSearchParams(
    Object.entries(fields).map(([key, value]): [string, string] => [key, String(value)]),
  ).toString();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Web API bodies: form-encoded (JSON-valued fields such as `blocks` decoded) or JSON. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    fields[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return fields;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
