import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../runtime/logger.ts';
import { Metrics } from './metrics.ts';
import { type OpsServer, type OpsServerOptions, startOpsServer } from './ops-server.ts';

const fakeToken = 'xoxb-1234567890-FAKE-SECRET-TOKEN';

const servers: OpsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Log lines as parsed objects, from a real pino logger (with the app's redaction) writing to memory. */
function memoryLogger() {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  const entries = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string; [key: string]: unknown });
  return { logger, lines, entries };
}

async function start(options: Partial<OpsServerOptions> = {}): Promise<{ server: OpsServer; url: string }> {
  const server = await startOpsServer({
    port: 0,
    host: '127.0.0.1',
    metrics: options.metrics ?? new Metrics({ defaultMetrics: false }),
    checks: {},
    logger: silentLogger(),
    ...options,
  });
  servers.push(server);
  return { server, url: `http://127.0.0.1:${server.port}` };
}

async function getJson(url: string): Promise<{ status: number; body: unknown; text: string }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

const never = () => new Promise<boolean>(() => {});

describe('startOpsServer', () => {
  it('GIVEN port 0 THEN it listens on a real port and logs one info line with the port only', async () => {
    const { logger, entries } = memoryLogger();
    const { server } = await start({ logger });
    expect(server.port).toBeGreaterThan(0);
    expect(entries()).toEqual([expect.objectContaining({ level: 30, port: server.port, msg: 'ops server listening' })]);
  });

  it('GIVEN the port is taken THEN startOpsServer rejects', async () => {
    const { server } = await start();
    await expect(start({ port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('GIVEN a running server THEN GET /healthz is 200 ok as JSON', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GIVEN every check passes THEN /readyz is 200 ready and names each check', async () => {
    const { url } = await start({
      checks: { database: async () => true, slack: async () => ({ ok: true, detail: 'ignored when ok' }) },
    });
    expect(await getJson(`${url}/readyz`)).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', slack: 'ok' } },
    });
  });

  it('GIVEN no checks THEN /readyz is 200 ready', async () => {
    const { url } = await start();
    expect(await getJson(`${url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready', checks: {} } });
  });

  it('GIVEN a check that returns false or ok false with a detail THEN /readyz is 503 naming it', async () => {
    const { url } = await start({
      checks: {
        database: async () => true,
        slack: async () => false,
        discord: async () => ({ ok: false, detail: 'gateway_disconnected' }),
      },
    });
    const { status, body } = await getJson(`${url}/readyz`);
    expect(status).toBe(503);
    expect(body).toEqual({
      status: 'not_ready',
      checks: { database: 'ok', slack: 'failed', discord: 'failed' },
      details: { discord: 'gateway_disconnected' },
    });
  });

  it('GIVEN a check that throws an error carrying a token THEN the token is neither in the body nor in the log', async () => {
    const { logger, lines, entries } = memoryLogger();
    const { url } = await start({
      logger,
      checks: {
        database: async () => {
          throw Object.assign(new Error(`connect to postgres://trilha:${fakeToken}@db failed`), {
            code: 'ECONNREFUSED',
          });
        },
        slack: async () => {
          throw new TypeError(`invalid_auth for ${fakeToken}`);
        },
      },
    });
    const { status, body, text } = await getJson(`${url}/readyz`);
    expect(status).toBe(503);
    expect(body).toEqual({
      status: 'not_ready',
      checks: { database: 'failed', slack: 'failed' },
      details: { database: 'threw Error (ECONNREFUSED)', slack: 'threw TypeError' },
    });
    expect(text).not.toContain(fakeToken);
    expect(text).not.toContain('postgres://');
    expect(text).not.toMatch(/at .*\.ts:\d+/);

    const warnings = entries().filter((entry) => entry.level === 40);
    expect(warnings).toEqual([
      expect.objectContaining({ check: 'database', detail: 'threw Error (ECONNREFUSED)' }),
      expect.objectContaining({ check: 'slack', detail: 'threw TypeError' }),
    ]);
    expect(lines.join('')).not.toContain(fakeToken);
    expect(lines.join('')).not.toContain('postgres://');
  });

  it('GIVEN a check that hangs THEN /readyz answers 503 within the check timeout', async () => {
    const { url } = await start({ checkTimeoutMs: 100, checks: { database: async () => true, slack: never } });
    const started = performance.now();
    const { status, body } = await getJson(`${url}/readyz`);
    const elapsed = performance.now() - started;
    expect(status).toBe(503);
    expect(body).toEqual({
      status: 'not_ready',
      checks: { database: 'ok', slack: 'failed' },
      details: { slack: 'timed out after 100 ms' },
    });
    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(1000);
  });

  it('GIVEN probes that keep failing the same way THEN one warning, and one info line when the check recovers', async () => {
    const { logger, entries } = memoryLogger();
    let healthy = false;
    let detail = 'gateway_disconnected';
    const { url } = await start({ logger, checks: { discord: async () => ({ ok: healthy, detail }) } });
    for (let i = 0; i < 5; i++) expect((await fetch(`${url}/readyz`)).status).toBe(503);
    detail = 'resuming';
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    healthy = true;
    for (let i = 0; i < 3; i++) expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const checkLines = entries().filter((entry) => entry.check === 'discord');
    expect(checkLines).toEqual([
      expect.objectContaining({ level: 40, detail: 'gateway_disconnected', msg: 'readiness check failed' }),
      expect.objectContaining({ level: 40, detail: 'resuming', msg: 'readiness check failed' }),
      expect.objectContaining({ level: 30, msg: 'readiness check recovered' }),
    ]);
  });

  it('GIVEN concurrent probes THEN each check runs once for all of them', async () => {
    let calls = 0;
    const { url } = await start({
      checks: {
        database: async () => {
          calls++;
          await new Promise((resolve) => setTimeout(resolve, 50));
          return true;
        },
      },
    });
    const statuses = await Promise.all(Array.from({ length: 5 }, async () => (await fetch(`${url}/readyz`)).status));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(calls).toBe(1);
  });

  it('GIVEN setDraining THEN /readyz is 503 draining without running the checks while /healthz stays 200', async () => {
    let calls = 0;
    const { logger, entries } = memoryLogger();
    const { server, url } = await start({
      logger,
      checks: {
        database: async () => {
          calls++;
          return true;
        },
      },
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    server.setDraining();
    server.setDraining();
    expect(await getJson(`${url}/readyz`)).toMatchObject({ status: 503, body: { status: 'draining' } });
    expect(await getJson(`${url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(calls).toBe(1);
    expect(entries().filter((entry) => /draining/.test(entry.msg))).toHaveLength(1);
  });

  it('GIVEN HEAD requests THEN /healthz and /readyz answer their status without a body', async () => {
    const { server, url } = await start({ checks: { database: async () => false } });
    const health = await fetch(`${url}/healthz`, { method: 'HEAD' });
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('');
    const ready = await fetch(`${url}/readyz`, { method: 'HEAD' });
    expect(ready.status).toBe(503);
    expect(await ready.text()).toBe('');
    server.setDraining();
    expect((await fetch(`${url}/readyz`, { method: 'HEAD' })).status).toBe(503);
  });

  it('GIVEN metrics were recorded THEN GET /metrics serves every trilha_ metric with its labels and a process metric', async () => {
    const metrics = new Metrics();
    metrics.answer('slack', 'feedback_only');
    metrics.dropPosted('discord');
    metrics.dropFailed('slack', 'not_in_channel');
    metrics.interaction('discord', 'button', 0.2);
    metrics.apiError('discord', 50013);
    metrics.schedulerTick(1.5, 12);
    const { url } = await start({ metrics });

    const response = await fetch(`${url}/metrics?debug=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.contentType);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8$/);
    const lines = (await response.text()).split('\n');
    for (const expected of [
      'trilha_answers_recorded_total{platform="slack",outcome="feedback_only"} 1',
      'trilha_drops_posted_total{platform="discord"} 1',
      'trilha_drops_failed_total{platform="slack",reason="not_in_channel"} 1',
      'trilha_interaction_duration_seconds_bucket{le="0.25",platform="discord",kind="button"} 1',
      'trilha_interaction_duration_seconds_count{platform="discord",kind="button"} 1',
      'trilha_platform_api_errors_total{platform="discord",code="50013"} 1',
      'trilha_scheduler_lag_seconds 12',
      'trilha_scheduler_tick_duration_seconds_sum 1.5',
      'trilha_scheduler_tick_duration_seconds_count 1',
    ]) {
      expect(lines).toContain(expected);
    }
    expect(lines.some((line) => /^trilha_scheduler_last_tick_timestamp_seconds \d+/.test(line))).toBe(true);
    expect(lines.some((line) => /^process_cpu_user_seconds_total \d/.test(line))).toBe(true);
  });

  it('GIVEN an unknown path THEN 404; GIVEN another method on a known path THEN 405 with Allow', async () => {
    const { url } = await start();
    expect(await getJson(`${url}/nope`)).toMatchObject({ status: 404, body: { status: 'not_found' } });
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/healthz/extra`)).status).toBe(404);
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const response = await fetch(`${url}${path}`, { method: 'POST', body: 'x' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      expect(await response.json()).toEqual({ status: 'method_not_allowed' });
    }
    expect((await fetch(`${url}/healthz`, { method: 'DELETE' })).status).toBe(405);
  });

  it('GIVEN TRILHA_METRICS_TOKEN THEN /metrics needs the bearer token (401 otherwise) while /healthz and /readyz stay open', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const token = 'a1b2c3d4e5f6a7b8c9d0e1f2';
    const { url } = await start({ metrics, metricsToken: token });
    for (const authorization of [undefined, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, token, `Basic ${token}`]) {
      const response = await fetch(`${url}/metrics`, authorization ? { headers: { authorization } } : {});
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain('trilha_');
    }
    const allowed = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('trilha_http_requests_rejected_total{server="ops",reason="unauthorized"} 5');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it("GIVEN no host THEN it listens on loopback only: not on the machine's other addresses", async () => {
    const server = await startOpsServer({
      port: 0,
      metrics: new Metrics({ defaultMetrics: false }),
      checks: {},
      logger: silentLogger(),
    });
    servers.push(server);
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && !address.internal && address.family === 'IPv4');
    expect(external, 'this test needs a non-loopback IPv4 address').toBeDefined();
    await expect(fetch(`http://${external?.address}:${server.port}/healthz`)).rejects.toThrow();
  });

  it('GIVEN hostile requests (raw request-targets, bodies, garbage) THEN each gets an answer and the server keeps serving', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const { server, url } = await start({ metrics });
    const raw = (text: string) => rawExchange(server.port, text);
    expect(await raw('GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 404/);
    expect(await raw('GET * HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('OPTIONS /metrics HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 405/);
    expect(await raw('BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('\x00\x01\x02 garbage\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    const big = `POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n${'x'.repeat(10_000)}`;
    expect(await raw(big)).toMatch(/^HTTP\/1\.1 405/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const text = await metrics.metrics();
    expect(text).toContain('trilha_http_requests_rejected_total{server="ops",reason="not_found"} 1');
    expect(text).toContain('trilha_http_requests_rejected_total{server="ops",reason="bad_request"} 2');
    expect(text).toContain('trilha_http_requests_rejected_total{server="ops",reason="method_not_allowed"} 2');
  });

  it('GIVEN an idle keep-alive connection THEN close() resolves at once and the port is free', async () => {
    const { server } = await start();
    const agent = new Agent({ keepAlive: true });
    try {
      const { status, socketReused } = await get(agent, server.port, '/healthz');
      expect(status).toBe(200);
      expect(socketReused).toBe(false);
      // The connection is kept alive: the next request reuses it.
      expect((await get(agent, server.port, '/healthz')).socketReused).toBe(true);

      const started = performance.now();
      await server.close();
      expect(performance.now() - started).toBeLessThan(500);
      await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  });

  it('GIVEN a probe in flight on a keep-alive connection THEN close() lets it finish, closes it, and resolves', async () => {
    const { server } = await start({ checkTimeoutMs: 100, checks: { slack: never } });
    const agent = new Agent({ keepAlive: true });
    try {
      const probe = get(agent, server.port, '/readyz');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const started = performance.now();
      await server.close();
      expect(performance.now() - started).toBeLessThan(1000);
      const { status, connection } = await probe;
      expect(status).toBe(503);
      expect(connection).toBe('close');
    } finally {
      agent.destroy();
    }
  });

  it('GIVEN close() called twice THEN both calls resolve', async () => {
    const { server } = await start();
    await Promise.all([server.close(), server.close()]);
  });
});

/** A GET through a node:http Agent, to control keep-alive (fetch pools its connections out of sight). */
function get(
  agent: Agent,
  port: number,
  path: string,
): Promise<{ status: number; socketReused: boolean; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          socketReused: req.reusedSocket,
          connection: response.headers.connection,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes `text` as is on a fresh TCP connection and gives what came back until the server closed it (or 3 s). */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(done, 3000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', done);
    socket.write(text, 'latin1');
  });
}
