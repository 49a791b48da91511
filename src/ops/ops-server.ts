/**
 * The operations HTTP server: liveness, readiness and Prometheus metrics on a port of their own, apart from the chat
 * traffic (Slack's HTTP receiver has its own port).
 *
 * - `GET /healthz` (liveness): 200 `{"status":"ok"}` as long as the process serves HTTP, draining or not, so the
 *   orchestrator never restarts a process that is shutting down cleanly (the Kubernetes convention).
 * - `GET /readyz` (readiness): runs every check in parallel, each bounded by `checkTimeoutMs` (a check that hangs
 *   counts as failed; the request never hangs), then 200 `{"status":"ready","checks":{"database":"ok",…}}`, or 503
 *   `{"status":"not_ready","checks":{"database":"ok","slack":"failed"},"details":{"slack":"timed out after 2000 ms"}}`.
 *   After `setDraining()` it answers 503 `{"status":"draining"}` without running the checks, so the load balancer
 *   stops sending work during shutdown while liveness stays 200.
 * - `GET /metrics`: `Metrics.metrics()` in the Prometheus text format, with its Content-Type. With `metricsToken`
 *   (TRILHA_METRICS_TOKEN) it answers only `Authorization: Bearer <token>`, compared in constant time, and 401 with
 *   `WWW-Authenticate: Bearer` otherwise; /healthz and /readyz stay open (probes carry no credentials, and say
 *   nothing but up/ready).
 * - HEAD is allowed wherever GET is; another method on these paths is 405 with `Allow: GET, HEAD`; any other path 404;
 *   a request-target that is not a path, 400. No request body is ever read. A refusal is counted in
 *   `trilha_http_requests_rejected_total{server="ops"}`; a request that fails inside is a 500, never a crash.
 * - Listens on 127.0.0.1 unless `host` says otherwise (TRILHA_HTTP_HOST; the container image sets 0.0.0.0). Headers
 *   must arrive within 5 s and a whole request within 10 s, or the socket is dropped.
 *
 * What a failing check shows (in the body and in the log): the `detail` the check returned (it must be a fixed word
 * or a code, never a secret; at most 200 characters are kept), "timed out after N ms", or, for a check that threw,
 * only "threw <error name>" and the error's code when it looks like one (`ECONNREFUSED`, Prisma's `P1001`): never
 * the error's message nor its stack, which may carry a connection string or a token. A failing check is logged as a
 * warning when its state changes (it starts failing, or fails differently), and its recovery as info, so a probe
 * every few seconds does not flood the log.
 *
 * Plain `node:http` rather than a framework: three fixed routes with no body parsing, no middleware and no
 * templating need none of what a framework brings, and one dependency less to keep up to date on a port that is
 * often reachable from the whole cluster.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../runtime/logger.ts';
import type { Metrics } from './metrics.ts';

/** A readiness check: true or `{ ok: true }` when the dependency is usable. `detail` must be a code, never a secret. */
export type ReadinessCheck = () => Promise<boolean | { ok: boolean; detail?: string }>;

export interface OpsServerOptions {
  readonly port: number;
  /** Default `127.0.0.1` (this machine only); a container sets `0.0.0.0` for probes and the scraper. */
  readonly host?: string;
  /** When set, /metrics needs `Authorization: Bearer <metricsToken>`. */
  readonly metricsToken?: string | null;
  readonly metrics: Metrics;
  /** The readiness checks by name, e.g. `{ database, slack, discord }`. */
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  readonly logger: Logger;
  /** How long one check may take before it counts as failed. Default 2000. */
  readonly checkTimeoutMs?: number;
}

export interface OpsServer {
  /** The port listened on (the real one when 0 was asked for). */
  readonly port: number;
  /** From now on `/readyz` answers 503 `draining`; `/healthz` stays 200. Call it first when shutting down. */
  setDraining(): void;
  /** Stops listening and closes the connections: idle ones at once, busy ones after their response (or a grace). */
  close(): Promise<void>;
}

export const defaultCheckTimeoutMs = 2000;
/** Probes and scrapers send a short request at once; anything slower is dropped (Node checks every second). */
const serverOptions = {
  headersTimeout: 5_000,
  requestTimeout: 10_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
};
const maxDetailLength = 200;
const allowedMethods = 'GET, HEAD';
const routes = new Set(['/healthz', '/readyz', '/metrics']);

interface CheckResult {
  readonly ok: boolean;
  readonly detail?: string;
}

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { metrics, checks, logger } = options;
  const checkTimeoutMs = options.checkTimeoutMs ?? defaultCheckTimeoutMs;
  let draining = false;
  let closing: Promise<void> | null = null;
  /** The last reported state of each check ('ok' or its failure detail), for logging only changes. */
  const lastState = new Map<string, string>();
  /** One readiness run at a time: concurrent probes share it instead of piling up on a slow dependency. */
  let running: Promise<Record<string, CheckResult>> | null = null;

  /** Responses not sent yet: told to close their connection when the server closes. */
  const pending = new Set<ServerResponse>();

  const readiness = (): Promise<Record<string, CheckResult>> => {
    running ??= runChecks(checks, checkTimeoutMs)
      .then((results) => {
        logChanges(results);
        return results;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const logChanges = (results: Record<string, CheckResult>) => {
    for (const [check, result] of Object.entries(results)) {
      const state = result.ok ? 'ok' : `failed: ${result.detail ?? 'failed'}`;
      const previous = lastState.get(check);
      if (state === previous) continue;
      lastState.set(check, state);
      if (!result.ok) logger.warn({ check, detail: result.detail ?? null }, 'readiness check failed');
      else if (previous !== undefined) logger.info({ check }, 'readiness check recovered');
    }
  };

  const expectedToken = options.metricsToken ? digest(`Bearer ${options.metricsToken}`) : null;
  const refuse = (response: ServerResponse, status: number, reason: string) => {
    metrics.httpRejected('ops', reason);
    response.setHeader('Connection', 'close');
    return send(response, status, { status: reason });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (closing) response.setHeader('Connection', 'close');
    const path = pathOf(request.url);
    if (path === null) return refuse(response, 400, 'bad_request');
    if (!routes.has(path)) return refuse(response, 404, 'not_found');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', allowedMethods);
      return refuse(response, 405, 'method_not_allowed');
    }
    if (path === '/healthz') return send(response, 200, { status: 'ok' });
    if (path === '/metrics') {
      if (expectedToken && !timingSafeEqual(digest(request.headers.authorization ?? ''), expectedToken)) {
        response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        return refuse(response, 401, 'unauthorized');
      }
      const body = await metrics.metrics();
      return sendText(response, 200, metrics.contentType, body);
    }
    if (draining) return send(response, 503, { status: 'draining' });
    const results = await readiness();
    const ready = Object.values(results).every((result) => result.ok);
    const report: Record<string, string> = {};
    const details: Record<string, string> = {};
    for (const [name, result] of Object.entries(results)) {
      report[name] = result.ok ? 'ok' : 'failed';
      if (!result.ok && result.detail !== undefined) details[name] = result.detail;
    }
    if (ready) return send(response, 200, { status: 'ready', checks: report });
    return send(response, 503, {
      status: 'not_ready',
      checks: report,
      ...(Object.keys(details).length > 0 && { details }),
    });
  };

  const server = createServer(serverOptions, (request, response) => {
    pending.add(response);
    response.once('close', () => pending.delete(response));
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error, path: request.url }, 'ops server request failed');
      if (!response.headersSent) send(response, 500, { status: 'error' });
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'ops server error'));
  // CONNECT goes to this event, not to the request listener (unanswered and closed when nobody listens).
  server.on('connect', (_request, socket) => {
    metrics.httpRejected('ops', 'method_not_allowed');
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${allowedMethods}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
    setTimeout(() => socket.destroy(), 500).unref();
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, 'ops server listening');

  return {
    port,
    setDraining() {
      if (draining) return;
      draining = true;
      logger.info('ops server draining: /readyz now answers 503');
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Busy connections get until their response (a readiness run is bounded by the check timeout), then go.
        const grace = setTimeout(() => server.closeAllConnections(), checkTimeoutMs + 250);
        grace.unref();
        server.close(() => {
          clearTimeout(grace);
          resolve();
        });
        server.closeIdleConnections();
        for (const response of pending) if (!response.headersSent) response.setHeader('Connection', 'close');
      });
      return closing;
    },
  };
}

/** Runs every check in parallel, each bounded by `timeoutMs`; never rejects. */
async function runChecks(
  checks: Readonly<Record<string, ReadinessCheck>>,
  timeoutMs: number,
): Promise<Record<string, CheckResult>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
  );
  return Object.fromEntries(entries);
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `timed out after ${timeoutMs} ms` }), timeoutMs);
    timer.unref();
  });
  const outcome = (async (): Promise<CheckResult> => {
    try {
      const result = await check();
      if (typeof result === 'boolean') return { ok: result };
      if (result.ok) return { ok: true };
      return result.detail === undefined ? { ok: false } : { ok: false, detail: clip(String(result.detail)) };
    } catch (error) {
      return { ok: false, detail: describeThrown(error) };
    }
  })();
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The request-target's path, or null when it is not one (`*`, an absolute URL that does not parse…). */
function pathOf(url: string | undefined): string | null {
  if (!url?.startsWith('/')) return null;
  try {
    return new URL(url, 'http://ops.invalid').pathname;
  } catch {
    return null;
  }
}

/** A fixed-length digest, so that tokens of any length compare in constant time. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** What may be shown of a thrown error: its name and its code, when each looks like an identifier. Never its message. */
export function describeThrown(error: unknown): string {
  const name = error instanceof Error && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(error.name) ? error.name : 'Error';
  const code = (error as { code?: unknown } | null)?.code;
  const shownCode = typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,31}$/.test(code) ? ` (${code})` : '';
  return `threw ${name}${shownCode}`;
}

function clip(detail: string): string {
  return detail.length > maxDetailLength ? `${detail.slice(0, maxDetailLength - 1)}…` : detail;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  sendText(response, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function sendText(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  // Node sends no body for HEAD requests.
  response.end(body);
}
