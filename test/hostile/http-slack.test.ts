/**
 * Hostile HTTP requests against the real bot in Slack HTTP mode (src/main.ts over a real socket, Bolt's receiver
 * behind src/adapters/slack/http-front.ts) and its operations server: every request of issue 21's findings 1, 2 and 7,
 * then a fast-check fuzz of methods, request-targets, headers and bodies (`fuzzRuns` inputs). After each, the process
 * is still up; at the end it still answers a legitimate signed command, and no secret reached its output.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, formBody, startFakeSlack } from '../fakes/slack.ts';
import {
  answersTo,
  botToken,
  exchange,
  metricValue,
  type RunningBot,
  rawRequest,
  signedCommand,
  signingSecret,
  slackHeaders,
  startBot,
} from './http-bot.ts';

/** How many random requests the fuzz run sends. */
const fuzzRuns = 300;

let fake: FakeSlack;
let bot: RunningBot;

beforeAll(async () => {
  fake = await startFakeSlack({
    users: { 'U-ANA': { name: 'Ana', locale: 'pt-BR' } },
    channels: { C1: { name: 'geral', is_member: true } },
  });
  bot = await startBot(fake);
});

afterAll(async () => {
  const code = await bot?.stop();
  await fake?.close();
  expect(code).toBe(0);
  for (const secret of [botToken, signingSecret]) {
    expect(bot.out()).not.toContain(secret);
    expect(bot.err()).not.toContain(secret);
  }
});

const fresh = () => ({ 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), Connection: 'close' });

/** The process is up and a legitimate command still gets its answer. */
async function stillServing(): Promise<void> {
  expect(bot.alive()).toBe(true);
  const { status, responseId } = await signedCommand(bot, fake, 'ajuda');
  expect(status).toBe(200);
  expect(await answersTo(fake, responseId)).toBe(1);
}

describe('Slack HTTP mode under the requests of issue 21', () => {
  it.each([
    ['GET', '/slack/events', 405],
    ['HEAD', '/slack/events', 405],
    ['OPTIONS', '/slack/events', 405],
    ['PUT', '/slack/events', 405],
    ['DELETE', '/slack/events', 405],
    ['POST', '/x', 404],
    ['POST', '/slack/events/', 404],
    ['GET', '/../../etc/passwd', 404],
    ['GET', '/favicon.ico', 404],
    ['POST', '*', 400],
  ])(
    'GIVEN %s %s with a fresh timestamp (finding 1) THEN %i and the bot keeps serving',
    async (method, target, expected) => {
      const response = await exchange(bot.slackPort, rawRequest(method, target, fresh()));
      expect(response.status).toBe(expected);
      if (expected === 405) expect(response.text).toMatch(/\r\nAllow: POST\r\n/i);
      await stillServing();
    },
  );

  it.each([
    ['payload=null (form)', 'application/x-www-form-urlencoded', 'payload=null'],
    ['null (JSON)', 'application/json', 'null'],
    ['a JSON number', 'application/json', '42'],
    ['a JSON array', 'application/json', '[{"type":"event_callback"}]'],
    ['payload="text" (form)', 'application/x-www-form-urlencoded', formBody({ payload: '"text"' })],
    ['broken JSON', 'application/json', '{"type":'],
    ['a broken payload (form)', 'application/x-www-form-urlencoded', 'payload=%7B'],
  ])('GIVEN a correctly signed body of %s (finding 2) THEN 400 and the bot keeps serving', async (_, type, body) => {
    const headers = { ...slackHeaders(body), 'Content-Type': type, 'Content-Length': String(body.length) };
    const response = await exchange(
      bot.slackPort,
      rawRequest('POST', '/slack/events', { ...headers, Connection: 'close' }, body),
    );
    expect(response.status).toBe(400);
    await stillServing();
  });

  it('GIVEN a declared body over 512 KiB, signed or not THEN 413 before any of it is sent', async () => {
    for (const signature of [slackHeaders('x')['x-slack-signature'], `v0=${'0'.repeat(64)}`]) {
      const head = rawRequest('POST', '/slack/events', {
        ...fresh(),
        'x-slack-signature': signature as string,
        'Content-Type': 'application/json',
        'Content-Length': String(512 * 1024 + 1),
      });
      const response = await exchange(bot.slackPort, head);
      expect(response.status).toBe(413);
    }
    await stillServing();
  });

  it('GIVEN an over-limit body without a length (chunked) THEN 413 once the limit is passed', async () => {
    const chunk = 'a'.repeat(64 * 1024);
    const chunks = Array.from({ length: 9 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const head = rawRequest('POST', '/slack/events', {
      ...slackHeaders('{}'),
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      Connection: 'close',
    });
    const response = await exchange(bot.slackPort, `${head}${chunks}0\r\n\r\n`);
    expect(response.status).toBe(413);
    await stillServing();
  });

  it.each([
    ['no signature', {}],
    ['a signature of the wrong shape', { 'x-slack-signature': 'v1=abc' }],
    ['a well-shaped wrong signature', { 'x-slack-signature': `v0=${'ab'.repeat(32)}` }],
  ])('GIVEN a fresh request with %s THEN 401', async (_, signature) => {
    const body = formBody({ command: '/trilha', text: 'ajuda' });
    const response = await exchange(
      bot.slackPort,
      rawRequest('POST', '/slack/events', { ...fresh(), ...signature, 'Content-Length': String(body.length) }, body),
    );
    expect(response.status).toBe(401);
  });

  it('GIVEN one signed command sent 5 times within the window (finding 7) THEN each gets 200 and it runs once', async () => {
    const payload = fake.slashCommand({ text: 'ajuda', userId: 'U-ANA', channelId: 'C1' });
    const body = formBody(payload);
    const request = rawRequest(
      'POST',
      '/slack/events',
      {
        ...slackHeaders(body),
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(Buffer.byteLength(body)),
        Connection: 'close',
      },
      body,
    );
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await exchange(bot.slackPort, request)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const id = String(payload.response_url).split('/').pop() ?? '';
    expect(await answersTo(fake, id, 1)).toBe(1);
    // Long enough for a second run's answer to have arrived (a run answers within milliseconds here).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.responses.filter((r) => r.id === id)).toHaveLength(1);
    expect(
      await metricValue(bot, 'trilha_http_requests_rejected_total', '{server="slack",reason="replay"}'),
    ).toBeGreaterThanOrEqual(4);
  });

  it('GIVEN the refusals so far THEN /metrics counts them by reason, and no process error was counted', async () => {
    expect(
      await metricValue(bot, 'trilha_http_requests_rejected_total', '{server="slack",reason="method_not_allowed"}'),
    ).toBeGreaterThanOrEqual(5);
    expect(
      await metricValue(bot, 'trilha_http_requests_rejected_total', '{server="slack",reason="malformed_body"}'),
    ).toBeGreaterThanOrEqual(5);
    expect(
      await metricValue(bot, 'trilha_http_requests_rejected_total', '{server="slack",reason="too_large"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(await metricValue(bot, 'trilha_process_errors_total', '{kind="unhandled_rejection"}')).toBeUndefined();
  });
});

describe('Slack HTTP mode and the ops server under a fuzz run', () => {
  const methods = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'CONNECT', 'TRACE', 'BREW', 'post'];
  const paths = [
    '/slack/events',
    '/slack/events/',
    '/slack/events?x=1',
    '/SLACK/EVENTS',
    '//slack/events',
    '/slack/../slack/events',
    '/slack/events%00',
    '/../../etc/passwd',
    '/favicon.ico',
    '/healthz',
    '/metrics',
    '*',
    'http://[',
    'http://127.0.0.1/slack/events',
  ];
  const bodies = fc.oneof(
    fc.constantFrom(
      '',
      'null',
      'payload=null',
      '[]',
      '"x"',
      '1e999',
      '{"type":"url_verification","challenge":"c"}',
      'ssl_check=1',
      'payload=%7B%7D',
    ),
    fc.json(),
    fc.string({ maxLength: 300 }),
    fc.string({ maxLength: 200 }).map((text) => formBody({ command: '/trilha', text })),
  );
  // Weighted towards what passes the early checks, so the later ones (size, signature, body, Bolt) are reached too.
  const request = fc.record({
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constant('POST') },
      { weight: 3, arbitrary: fc.constantFrom(...methods) },
      { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,12}$/) },
    ),
    path: fc.oneof(
      { weight: 6, arbitrary: fc.constant('/slack/events') },
      { weight: 3, arbitrary: fc.constantFrom(...paths) },
      { weight: 1, arbitrary: fc.webPath() },
    ),
    timestamp: fc.constantFrom('fresh', 'fresh', 'fresh', 'stale', 'future', 'garbage', 'none'),
    signature: fc.constantFrom('valid', 'valid', 'valid', 'wrong', 'garbage', 'none'),
    type: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'none'),
    length: fc.constantFrom('exact', 'exact', 'exact', 'huge', 'chunked', 'short', 'none'),
    body: bodies,
    extra: fc.dictionary(fc.stringMatching(/^x-[a-z-]{1,12}$/), fc.stringMatching(/^[ -~]{0,40}$/), { maxKeys: 3 }),
    server: fc.constantFrom('slack', 'slack', 'slack', 'ops'),
  });

  it(`GIVEN ${fuzzRuns} random requests THEN each gets an answer (never a 5xx), the process stays up, and a signed command is answered after`, async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const now = Math.floor(Date.now() / 1000);
        const timestamp = { fresh: now, stale: now - 400, future: now + 400, garbage: 'soon', none: null }[
          input.timestamp
        ];
        const headers: Record<string, string> = { ...input.extra, Connection: 'close' };
        if (timestamp !== null) headers['x-slack-request-timestamp'] = String(timestamp);
        if (input.signature === 'valid')
          headers['x-slack-signature'] = slackHeaders(input.body, Number(timestamp) || now)[
            'x-slack-signature'
          ] as string;
        if (input.signature === 'wrong') headers['x-slack-signature'] = `v0=${'0'.repeat(64)}`;
        if (input.signature === 'garbage') headers['x-slack-signature'] = 'v0=zz';
        if (input.type !== 'none') headers['Content-Type'] = input.type;
        const bytes = Buffer.byteLength(input.body, 'latin1');
        let body = input.body;
        if (input.length === 'exact') headers['Content-Length'] = String(bytes);
        if (input.length === 'huge') headers['Content-Length'] = String(10 * 1024 * 1024);
        if (input.length === 'short') headers['Content-Length'] = String(Math.floor(bytes / 2));
        if (input.length === 'chunked') {
          headers['Transfer-Encoding'] = 'chunked';
          body = `${bytes.toString(16)}\r\n${input.body}\r\n0\r\n\r\n`;
        }
        const port = input.server === 'slack' ? bot.slackPort : bot.opsPort;
        const response = await exchange(port, rawRequest(input.method, input.path, headers, body), 12_000);
        const status = response.status ?? 0;
        seen.set(String(status), (seen.get(String(status)) ?? 0) + 1);
        // Every request gets an answer (a body never sent in full is cut at 10 s with 408), never a server error.
        expect(status, `${input.method} ${input.path}`).toBeGreaterThanOrEqual(200);
        expect(status).toBeLessThan(500);
        expect(bot.alive()).toBe(true);
      }),
      { numRuns: fuzzRuns },
    );
    expect((await fetch(`http://127.0.0.1:${bot.opsPort}/healthz`)).status).toBe(200);
    await stillServing();
    console.info(`fuzz: ${fuzzRuns} requests, statuses ${JSON.stringify(Object.fromEntries(seen))}`);
  }, 600_000);
});
