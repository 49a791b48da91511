/**
 * The answer path through Slack: the real @slack/bolt in Socket Mode against the loopback fake Slack the tests use
 * (test/fakes/slack.ts), members clicking a quiz button within one second. Measured: the ack latency (envelope sent
 * → ack frame back, what Slack's 3 s deadline is about) and answers per second (first click → the last member's
 * private feedback posted). Every run is checked: each click stored once,
 * counted once and answered with its feedback.
 */
import { performance } from 'node:perf_hooks';
import { type FakeSlack, startFakeSlack } from '../../../test/fakes/slack.ts';
import { startSlack } from '../../adapters/slack/slack.adapter.ts';
import type { App } from '../../app.ts';
import { encodeAction } from '../../core/action-id.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { prepareDrop, quantile } from './answer-load.ts';

export interface SlackLoadResult {
  readonly clicks: number;
  readonly spreadMs: number;
  readonly ackP50: number;
  readonly ackP99: number;
  readonly ackMax: number;
  readonly perSecond: number;
  readonly stored: number;
  readonly counted: number;
  /** Private feedback messages that reached Slack (chat.postEphemeral or the click's response_url). */
  readonly feedback: number;
  /** Member rows in the database after the run: one per clicking account. */
  readonly memberRows: number;
  /** From the last click sent to the last member's feedback received. */
  readonly lastAfterLastClickMs: number;
}

/**
 * `members` members click within `spreadMs`; `known` false makes every one of them new to Trilha (first contact: no
 * member row yet, as on the first drop in a big workspace).
 */
export async function slackClicks(app: App, members: number, spreadMs: number, known = true): Promise<SlackLoadResult> {
  const users = Object.fromEntries(
    Array.from({ length: members }, (_, i) => [`U${i}`, { name: `Member ${i}`, locale: 'pt-BR' }]),
  );
  const fake: FakeSlack = await startFakeSlack({ users, channels: { 'C-BENCH': { name: 'geral', is_member: true } } });
  try {
    const fixture = await prepareDrop(app, known ? members : 0, {
      platform: 'slack',
      workspace: fake.teamId,
      channel: 'C-BENCH',
    });
    const slack = await startSlack({
      app,
      botToken: 'xoxb-bench',
      appToken: 'xapp-1-bench',
      apiUrl: fake.apiUrl,
      logger: silentLogger(),
    });
    try {
      await fake.socketConnected();
      const postedQuestionId = fixture.postedQuestionIds[0] as string;
      const acks: number[] = [];
      const started = performance.now();
      const sent: Promise<void>[] = [];
      for (let i = 0; i < members; i++) {
        const due = started + (i * spreadMs) / members;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        const payload = fake.blockAction({
          userId: `U${i}`,
          channelId: 'C-BENCH',
          actionId: encodeAction({ kind: 'answer', postedQuestionId, choice: i % 2 }),
          messageTs: '1796000000.000001',
        });
        const at = performance.now();
        sent.push(
          fake.sendEnvelope('interactive', payload, { timeoutMs: 30_000 }).then(() => {
            acks.push(performance.now() - at);
          }),
        );
      }
      const lastClick = performance.now();
      await Promise.all(sent);
      // Answered once every member's feedback reached Slack: through the click's response_url (or, when that
      // refuses, chat.postEphemeral).
      const feedback = () => fake.responses.length + fake.callsTo('chat.postEphemeral').length;
      for (let i = 0; i < 6_000 && feedback() < members; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const lastAfterLastClickMs = performance.now() - lastClick;
      const seconds = (performance.now() - started) / 1000;
      const [stored, totals, memberRows] = await Promise.all([
        app.db.attempt.count({ where: { postedQuestionId } }),
        app.db.memberStats.aggregate({ _sum: { answered: true } }),
        app.db.member.count(),
      ]);
      const sorted = [...acks].sort((a, b) => a - b);
      const at = (q: number) => quantile(sorted, q);
      return {
        clicks: members,
        spreadMs,
        ackP50: at(0.5),
        ackP99: at(0.99),
        ackMax: sorted.at(-1) ?? 0,
        perSecond: feedback() / seconds,
        stored,
        counted: totals._sum.answered ?? 0,
        feedback: feedback(),
        memberRows,
        lastAfterLastClickMs,
      };
    } finally {
      await slack.stop();
    }
  } finally {
    await fake.close();
  }
}
