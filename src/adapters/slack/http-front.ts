/**
 * The front of Slack's HTTP mode: the node:http server every request meets before Bolt's `HTTPReceiver` sees it.
 * Nothing a client sends can end the process: every request gets one answer, decided in this order, the cheapest
 * first, and the body is read only when everything that can be known without it says it may come from Slack.
 *
 * 1. Route: the configured path exactly (a query string is allowed; `/slack/events/` is another path) → else 404;
 *    `POST` only → else 405 with `Allow: POST` (GET, HEAD, OPTIONS, PUT, DELETE…). A request-target that is not a
 *    URL path → 400.
 * 2. Timestamp: `X-Slack-Request-Timestamp` within 5 minutes of now, either way → else 401 (Bolt checks only the
 *    stale side).
 * 3. Signature header: `X-Slack-Signature` shaped as Slack makes it, `v0=` and 64 hex digits → else 401.
 * 4. Size: a declared `Content-Length` over `slackBodyLimit` → 413 at once, the body never read; a body without a
 *    length (chunked) is read with the same hard cap and refused with 413 at the first byte over it.
 * 5. Signature: the HMAC checked over the raw bytes (Bolt's `isValidSlackRequest`, constant-time) → else 401.
 * 6. Body: parsed as Bolt parses it (`HTTPModuleFunctions.parseHTTPRequestBody`); anything but a JSON object
 *    (`payload=null`, `null`, a number, an array, broken JSON) → 400. Bolt would read `body.ssl_check` on `null` in a
 *    promise nobody handles (issue 21, finding 2).
 * 7. Replay: a signature already accepted within the window → 200 with no body, and nothing runs (`ReplayGuard`).
 * 8. Bolt: the buffered request goes to `HTTPReceiver.requestListener` (it sees `rawBody` and does not read the stream
 *    again), inside the try/catch `HTTPReceiver.start()` puts around it.
 *
 * Every refusal closes the connection (a client still trickling a body is cut after a short grace) and is counted
 * through `onRejected` with a fixed reason; none is logged above debug, so a flood cannot flood the log either.
 * `frontServerOptions` bounds how long a client may take to send its headers and its whole request.
 *
 * Hand-written rather than `HTTPReceiver.start()`: Bolt's own server reads the whole body (up to its 4 MB default)
 * before it looks at the signature, answers a known path with another method with 404, accepts a timestamp from the
 * future, and has no hook before the read. Bolt's building blocks are used for what they do well: the body read with
 * a cap (`bufferIncomingMessage`, raw-body underneath), the HMAC check, the parser and everything after it.
 */
import type { IncomingMessage, RequestListener, ServerOptions, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HTTPModuleFunctions, isValidSlackRequest } from '@slack/bolt';
import type { Logger } from '../../runtime/logger.ts';

/**
 * The largest request body accepted: 512 KiB. What Slack sends Trilha is small (a slash command is a form of a dozen
 * short fields; an event is a few KB). The largest is a button click's `block_actions` payload, which carries the
 * message the button is in: at most 50 blocks of 3,000 characters (Block Kit's limits, docs.slack.dev/reference/
 * block-kit/blocks; src/adapters/slack/render.ts keeps to them), 150,000 characters, form-encoded at about 1.5 bytes
 * a character for pt-BR prose: ~250 KB with the JSON around it. 512 KiB is twice that, and 8 times below Bolt's
 * 4 MB default, so 200 connections sending full bodies hold at most 100 MiB, and only until each is checked.
 */
export const slackBodyLimit = 512 * 1024;

/** Slack's replay window: a request whose timestamp is more than 5 minutes off either way is refused. */
export const signatureWindowSeconds = 300;

/**
 * Timeouts for the server in front of Bolt. Slack gives up on an answer after 3 s, so a request that has not arrived
 * in 10 s is not Slack's: its socket is dropped (408). Node checks these every `connectionsCheckingInterval` (30 s by
 * default, so 1 s here).
 */
export const frontServerOptions: ServerOptions = {
  headersTimeout: 5_000,
  requestTimeout: 10_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
};

/** Why a request was refused (a metric label: fixed words only). */
export type SlackRejection =
  | 'bad_request'
  | 'timeout'
  | 'not_found'
  | 'method_not_allowed'
  | 'stale_timestamp'
  | 'unsigned'
  | 'too_large'
  | 'bad_signature'
  | 'malformed_body'
  | 'replay';

export interface SlackFrontOptions {
  /** The one path Slack posts to (SLACK_PATH). */
  readonly path: string;
  readonly signingSecret: string;
  /** Bolt's `HTTPReceiver.requestListener`. */
  readonly bolt: RequestListener;
  readonly logger: Logger;
  readonly bodyLimit?: number;
  readonly replays?: ReplayGuard;
  /** Wall clock in ms (tests may move it). */
  readonly now?: () => number;
  readonly onRejected?: (reason: SlackRejection) => void;
}

const signatureShape = /^v0=[0-9a-f]{64}$/;
/** How long a refused client may keep sending before its socket is destroyed. */
const lingerMs = 500;

export function slackFront(options: SlackFrontOptions): RequestListener {
  const { logger } = options;
  const limit = options.bodyLimit ?? slackBodyLimit;
  const replays = options.replays ?? new ReplayGuard();
  const now = options.now ?? Date.now;

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, reason: SlackRejection) => {
    options.onRejected?.(reason);
    logger.debug({ status, reason, method: req.method }, 'slack http request refused');
    if (res.headersSent) {
      req.destroy();
      return;
    }
    res.writeHead(status, {
      Connection: 'close',
      'Content-Length': 0,
      ...(status === 405 ? { Allow: 'POST' } : {}),
    });
    res.end();
    if (!req.complete) {
      res.once('finish', () => setTimeout(() => req.destroy(), lingerMs).unref());
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = pathOf(req.url);
    if (path === null) return refuse(req, res, 400, 'bad_request');
    if (path !== options.path) return refuse(req, res, 404, 'not_found');
    if (req.method !== 'POST') return refuse(req, res, 405, 'method_not_allowed');
    const timestamp = oneHeader(req, 'x-slack-request-timestamp');
    const seconds = Number(timestamp);
    if (
      timestamp === undefined ||
      !/^\d{1,12}$/.test(timestamp) ||
      Math.abs(now() / 1000 - seconds) > signatureWindowSeconds
    ) {
      return refuse(req, res, 401, 'stale_timestamp');
    }
    const signature = oneHeader(req, 'x-slack-signature');
    if (signature === undefined || !signatureShape.test(signature)) return refuse(req, res, 401, 'unsigned');
    const declared = req.headers['content-length'];
    if (declared !== undefined && !(Number(declared) <= limit)) return refuse(req, res, 413, 'too_large');

    let raw: Buffer;
    try {
      raw = (await HTTPModuleFunctions.bufferIncomingMessage(req, limit)).rawBody;
    } catch (error) {
      const tooLarge =
        HTTPModuleFunctions.isRawBodyError(error) && (error as { statusCode: number }).statusCode === 413;
      return refuse(req, res, tooLarge ? 413 : 400, tooLarge ? 'too_large' : 'bad_request');
    }
    const valid = isValidSlackRequest({
      signingSecret: options.signingSecret,
      body: raw.toString(),
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': seconds },
      nowMilliseconds: now(),
    });
    if (!valid) return refuse(req, res, 401, 'bad_signature');
    if (!isObjectBody(req)) return refuse(req, res, 400, 'malformed_body');
    if (replays.seen(signature, now())) {
      options.onRejected?.('replay');
      logger.debug('slack http request replayed (same signature within the window): answered 200, not run');
      res.writeHead(200, { 'Content-Length': 0 }).end();
      return;
    }
    // As HTTPReceiver.start() does: a throw while Bolt starts on a request answers 500 instead of escaping.
    try {
      options.bolt(req, res);
    } catch (error) {
      logger.error({ err: error }, 'slack receiver failed on a request');
      if (!res.headersSent) res.writeHead(500, { 'Content-Length': 0 }).end();
    }
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'slack http front failed on a request');
      if (!res.headersSent) res.writeHead(500, { Connection: 'close', 'Content-Length': 0 }).end();
      else res.destroy();
    });
  };
}

/**
 * What Node does for a `clientError` when nobody listens (malformed HTTP → 400, headers too large → 431, too slow →
 * 408, then the socket is destroyed), for a server that listens to count them. Gives the reason to count, or null
 * for a client that just went away (nothing to answer, nothing to count).
 */
export function answerClientError(error: Error, socket: Duplex): 'bad_request' | 'timeout' | null {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return null;
  }
  const status =
    code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? '408 Request Timeout'
      : code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  setTimeout(() => socket.destroy(), lingerMs).unref();
  return code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'timeout' : 'bad_request';
}

/** A CONNECT request (Node hands it to the server's `connect` event, and closes it unanswered when nobody listens). */
export function refuseConnect(socket: Duplex): void {
  socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: POST\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  setTimeout(() => socket.destroy(), lingerMs).unref();
}

/** The request-target's path, or null when it is not one (`*`, an absolute URL that does not parse…). */
function pathOf(url: string | undefined): string | null {
  if (!url?.startsWith('/')) return null;
  try {
    return new URL(url, 'http://slack.invalid').pathname;
  } catch {
    return null;
  }
}

function oneHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Whether the buffered body parses, as Bolt will parse it, to a JSON object (not null, an array or a scalar). */
function isObjectBody(req: IncomingMessage): boolean {
  try {
    const body: unknown = HTTPModuleFunctions.parseHTTPRequestBody(
      req as Parameters<typeof HTTPModuleFunctions.parseHTTPRequestBody>[0],
    );
    return typeof body === 'object' && body !== null && !Array.isArray(body);
  } catch {
    return false;
  }
}

/**
 * The signatures of the requests accepted within the replay window. A signature covers the timestamp and the body,
 * and a timestamp is accepted up to 5 minutes either side of now, so a request first seen at `t` can come back
 * until `t` + 10 minutes: each entry is kept that long (entries expire in the order they came, so forgetting is a
 * walk from the oldest). Only requests with a valid signature are remembered, so a client without the secret cannot
 * fill it; past `maxEntries` (50,000: about 170 requests a second for 5 minutes, ~8 MB) the oldest is forgotten.
 * Per process: replicas behind a load balancer each keep their own (docs/security.md).
 */
export class ReplayGuard {
  readonly #until = new Map<string, number>();
  readonly #keepMs: number;
  readonly #maxEntries: number;

  constructor(options: { keepMs?: number; maxEntries?: number } = {}) {
    this.#keepMs = options.keepMs ?? 2 * signatureWindowSeconds * 1000;
    this.#maxEntries = options.maxEntries ?? 50_000;
  }

  /** True when `signature` was accepted within the window (a replay); else remembers it and gives false. */
  seen(signature: string, nowMs: number): boolean {
    for (const [key, until] of this.#until) {
      if (until > nowMs) break;
      this.#until.delete(key);
    }
    if (this.#until.has(signature)) return true;
    if (this.#until.size >= this.#maxEntries) {
      const oldest = this.#until.keys().next().value;
      if (oldest !== undefined) this.#until.delete(oldest);
    }
    this.#until.set(signature, nowMs + this.#keepMs);
    return false;
  }

  get size(): number {
    return this.#until.size;
  }
}
