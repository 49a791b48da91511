/**
 * The process-wide policy (src/ops/process-policy.ts) in the real bot: a rejection nothing handles is logged and
 * counted and the bot keeps serving; an uncaught exception is logged and counted, then the bot shuts down cleanly
 * and exits with 1 for its supervisor. No request can cause either any more (http-slack.test.ts), so a module loaded
 * before the bot causes them on a signal: SIGUSR2 a rejection, SIGWINCH an exception, each from an event callback as
 * a library's bug would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.ts';
import {
  answersTo,
  botToken,
  metricValue,
  type RunningBot,
  signedCommand,
  signingSecret,
  startBot,
} from './http-bot.ts';

const failures = `data:text/javascript,${encodeURIComponent(`
process.on('SIGUSR2', () => { Promise.reject(new Error('rejected with ${botToken} inside')); });
process.on('SIGWINCH', () => { setImmediate(() => { throw new Error('thrown with ${signingSecret} inside'); }); });
`)}`;

let fake: FakeSlack;
let bot: RunningBot;

beforeAll(async () => {
  fake = await startFakeSlack({ users: { 'U-ANA': { name: 'Ana' } }, channels: { C1: { name: 'geral' } } });
  bot = await startBot(fake, {}, [failures]);
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('process policy in the running bot', () => {
  it('GIVEN a rejection nothing handles THEN it is logged without the token, counted on /metrics, and the bot keeps serving', async () => {
    bot.child.kill('SIGUSR2');
    await until(
      async () => (await metricValue(bot, 'trilha_process_errors_total', '{kind="unhandled_rejection"}')) === 1,
    );
    expect(bot.err()).toContain('unhandled promise rejection');
    expect(bot.err()).not.toContain(botToken);
    expect(bot.alive()).toBe(true);
    const { status, responseId } = await signedCommand(bot, fake, 'ajuda');
    expect(status).toBe(200);
    expect(await answersTo(fake, responseId)).toBe(1);
  });

  it('GIVEN an uncaught exception THEN it is logged without the secret, the bot shuts down cleanly and exits with 1', async () => {
    bot.child.kill('SIGWINCH');
    const code = await bot.stopped();
    expect(code).toBe(1);
    expect(bot.err()).toContain('uncaught exception: shutting down, exit code 1');
    expect(bot.err()).toMatch(/"signal":"fatal"[^\n]*"msg":"shutting down"/);
    expect(bot.err()).not.toContain(signingSecret);
  });
});
