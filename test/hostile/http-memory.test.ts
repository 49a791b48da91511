/**
 * Issue 21, finding 3: a fresh timestamp was enough to make the bot buffer up to Bolt's 4 MB body before checking the
 * signature (200 such connections: ~250 MB → 998 MB, and it stayed). Here, against the real bot in Slack HTTP mode:
 * 200 concurrent hostile connections of each kind, their answers, the process's resident memory (its own
 * `process_resident_memory_bytes` on /metrics) before and after, and how long a legitimate signed command took to be
 * acknowledged meanwhile. The figures are printed, not asserted (timings depend on the machine); what is asserted is
 * that each refusal came before the body was sent, so nothing could have been buffered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.ts';
import {
  metricValue,
  openRaw,
  type RawExchange,
  type RunningBot,
  rawRequest,
  signedCommand,
  startBot,
} from './http-bot.ts';

const connections = 200;
const fourMegabytes = 4 * 1024 * 1024;

let fake: FakeSlack;
let bot: RunningBot;
const report: string[] = [];

beforeAll(async () => {
  fake = await startFakeSlack({ users: { 'U-ANA': { name: 'Ana' } }, channels: { C1: { name: 'geral' } } });
  bot = await startBot(fake, { LOG_LEVEL: 'warn' });
  // Warm up: the first commands load code and open the database.
  for (let i = 0; i < 5; i++) await signedCommand(bot, fake, 'ajuda');
});

afterAll(async () => {
  console.info(`memory under ${connections} hostile connections:\n${report.join('\n')}`);
  expect(await bot?.stop()).toBe(0);
  await fake?.close();
});

const mb = (bytes: number | undefined) => `${((bytes ?? 0) / 1024 / 1024).toFixed(0)} MB`;
const rss = () => metricValue(bot, 'process_resident_memory_bytes');

/** Signed commands one after another while `during` runs; gives their acknowledgement times in ms. */
async function latencies<T>(during: Promise<T>): Promise<{ result: T; times: number[] }> {
  let done = false;
  const times: number[] = [];
  const probe = (async () => {
    while (!done) {
      const started = performance.now();
      const { status } = await signedCommand(bot, fake, 'ajuda');
      if (status === 200) times.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const result = await during;
  done = true;
  await probe;
  return { result, times };
}

function summary(times: number[]): string {
  if (times.length === 0) return 'no legitimate command completed';
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(0);
  return `${times.length} legitimate commands acknowledged meanwhile: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, worst ${at(1)} ms`;
}

const fresh = () => String(Math.floor(Date.now() / 1000));

describe(`${connections} hostile connections with a fresh timestamp (finding 3)`, () => {
  it.each([
    ['unsigned, declaring 4 MB', 401, {}],
    ['with a well-shaped wrong signature, declaring 4 MB', 413, { 'x-slack-signature': `v0=${'0'.repeat(64)}` }],
  ])(
    'GIVEN %s THEN each gets %i before a byte of its body is sent, and memory does not grow by the bodies',
    async (_, expected, signature) => {
      const before = await rss();
      const { result, times } = await latencies(
        (async () => {
          const opened = await Promise.all(
            Array.from({ length: connections }, () =>
              openRaw(
                bot.slackPort,
                rawRequest('POST', '/slack/events', {
                  'x-slack-request-timestamp': fresh(),
                  ...signature,
                  'Content-Type': 'application/json',
                  'Content-Length': String(fourMegabytes),
                }),
              ),
            ),
          );
          // No body byte is ever written: every answer below came before the body.
          const answers = await Promise.all(opened.map(({ response }) => withTimeout(response, 10_000)));
          for (const { socket } of opened) socket.destroy();
          return answers;
        })(),
      );
      const after = await rss();
      expect(result.map((answer) => answer.status)).toEqual(Array(connections).fill(expected));
      report.push(`- ${_}: ${expected} to all ${connections}; RSS ${mb(before)} → ${mb(after)}; ${summary(times)}`);
      // Bodies were never read: far below the 800 MB that 200 × 4 MB would be (generous: the heap moves on its own).
      expect((after ?? 0) - (before ?? 0)).toBeLessThan(100 * 1024 * 1024);
      expect(bot.alive()).toBe(true);
    },
  );

  it('GIVEN well-shaped wrong signatures trickling 500 KB bodies (1 KB every 250 ms) THEN each is cut (408) once the 10 s request timeout passes; memory stays bounded', async () => {
    const before = await rss();
    const { result, times } = await latencies(
      (async () => {
        const opened = await Promise.all(
          Array.from({ length: connections }, () =>
            openRaw(
              bot.slackPort,
              rawRequest('POST', '/slack/events', {
                'x-slack-request-timestamp': fresh(),
                'x-slack-signature': `v0=${'1'.repeat(64)}`,
                'Content-Type': 'application/json',
                'Content-Length': String(500 * 1024),
              }),
            ),
          ),
        );
        const chunk = Buffer.alloc(1024, 'a');
        const timer = setInterval(() => {
          for (const { socket } of opened) if (socket.writable) socket.write(chunk);
        }, 250);
        const answers = await Promise.all(opened.map(({ response }) => withTimeout(response, 20_000)));
        clearInterval(timer);
        for (const { socket } of opened) socket.destroy();
        return answers;
      })(),
    );
    const after = await rss();
    const statuses = countBy(result.map((answer) => String(answer.status)));
    report.push(
      `- trickling 500 KB bodies: ${JSON.stringify(statuses)}; RSS ${mb(before)} → ${mb(after)}; ${summary(times)}`,
    );
    // Cut by the server, not by the test's own 20 s limit: an answer (408) or a close, never a hang.
    expect(result.every((answer) => answer.status === 408 || answer.status === null)).toBe(true);
    expect((after ?? 0) - (before ?? 0)).toBeLessThan(300 * 1024 * 1024);
    expect(bot.alive()).toBe(true);
  });

  it('GIVEN well-shaped wrong signatures sending 500 KB bodies at once THEN each is read within the 512 KiB cap and refused (401); memory stays bounded', async () => {
    const before = await rss();
    const body = Buffer.alloc(500 * 1024, 'a');
    const { result, times } = await latencies(
      Promise.all(
        Array.from({ length: connections }, async () => {
          const { socket, response } = await openRaw(
            bot.slackPort,
            rawRequest('POST', '/slack/events', {
              'x-slack-request-timestamp': fresh(),
              'x-slack-signature': `v0=${'2'.repeat(64)}`,
              'Content-Type': 'application/json',
              'Content-Length': String(body.length),
              Connection: 'close',
            }),
          );
          socket.write(body);
          const answer = await withTimeout(response, 20_000);
          socket.destroy();
          return answer;
        }),
      ),
    );
    const after = await rss();
    report.push(
      `- sending 500 KB bodies at once: ${JSON.stringify(countBy(result.map((a) => String(a.status))))}; RSS ${mb(before)} → ${mb(after)}; ${summary(times)}`,
    );
    expect(result.every((answer) => answer.status === 401)).toBe(true);
    expect((after ?? 0) - (before ?? 0)).toBeLessThan(300 * 1024 * 1024);
    expect(bot.alive()).toBe(true);
  });
});

function withTimeout(response: Promise<RawExchange>, ms: number): Promise<RawExchange> {
  return Promise.race([
    response,
    new Promise<RawExchange>((resolve) => setTimeout(() => resolve({ status: -1, text: 'no answer in time' }), ms)),
  ]);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
