/**
 * The answer path through Slack: the real @slack/bolt in Socket Mode against the loopback fake Slack the tests use
 * (test/fakes/slack.ts), members clicking a quiz button within one second. The fake runs in a worker thread
 * (`slack-fake-worker.ts`): Slack is another machine, and sharing the bot's event loop would make each side slow the
 * other (the fake's socket, its HTTP server taking every click's feedback and its bookkeeping cost about as much CPU
 * per click as the bot's answer path). Measured there: the ack latency (envelope sent → ack frame back, what Slack's
 * 3 s deadline is about) and answers per second (first click → the last member's private feedback received). Every
 * run is checked: each click stored once, counted once and answered with its feedback.
 */
import { startSlack } from '../../adapters/slack/slack.adapter.ts';
import type { App } from '../../app.ts';
import { encodeAction } from '../../core/action-id.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { prepareDrop, quantile } from './answer-load.ts';
import { burstUsage, fakeWorker } from './fake-worker.ts';
import type { SlackWorkerReply, SlackWorkerRequest } from './slack-fake-worker.ts';

export interface SlackLoadResult {
  readonly clicks: number;
  readonly spreadMs: number;
  readonly ackP50: number;
  readonly ackP99: number;
  readonly ackMax: number;
  readonly perSecond: number;
  /** Clicks whose envelope was never acknowledged. */
  readonly unacked: number;
  readonly stored: number;
  readonly counted: number;
  /** Private feedback messages that reached Slack (chat.postEphemeral or the click's response_url). */
  readonly feedback: number;
  /** Member rows in the database after the run: one per clicking account. */
  readonly memberRows: number;
  /** CPU time of the process (the bot and the fake's thread) over the burst, per click. */
  readonly cpuMsPerClick: number;
  /** Time the bot's event loop was busy over the burst, per click (its share of the CPU, on a quiet machine). */
  readonly loopMsPerClick: number;
  /** From the last click sent to the last member's feedback received. */
  readonly lastAfterLastClickMs: number;
}

const channelId = 'C-BENCH';

/**
 * `members` members click within `spreadMs`; `known` false makes every one of them new to Trilha (first contact: no
 * member row yet, as on the first drop in a big workspace).
 */
export async function slackClicks(app: App, members: number, spreadMs: number, known = true): Promise<SlackLoadResult> {
  const userIds = Array.from({ length: members }, (_, i) => `U${i}`);
  const users = Object.fromEntries(userIds.map((id, i) => [id, { name: `Member ${i}`, locale: 'pt-BR' }]));
  const fake = fakeWorker<SlackWorkerRequest, SlackWorkerReply>(new URL('./slack-fake-worker.ts', import.meta.url), {
    users,
    channels: { [channelId]: { name: 'geral', is_member: true } },
  });
  const { apiUrl, teamId } = await fake.next('listening');
  try {
    const fixture = await prepareDrop(app, known ? members : 0, {
      platform: 'slack',
      workspace: teamId,
      channel: channelId,
    });
    const slack = await startSlack({
      app,
      botToken: 'xoxb-bench',
      appToken: 'xapp-1-bench',
      apiUrl,
      logger: silentLogger(),
    });
    try {
      await fake.ask({ type: 'ready' }, 'ready');
      const postedQuestionId = fixture.postedQuestionIds[0] as string;
      const usage = burstUsage();
      const burst = await fake.ask(
        {
          type: 'burst',
          channelId,
          userIds,
          actionIds: [0, 1].map((choice) => encodeAction({ kind: 'answer', postedQuestionId, choice })),
          spreadMs,
        },
        'burst',
      );
      const { cpuMsPerClick, loopMsPerClick } = usage.per(members);
      const [stored, totals, memberRows] = await Promise.all([
        app.db.attempt.count({ where: { postedQuestionId } }),
        app.db.memberStats.aggregate({ _sum: { answered: true } }),
        app.db.member.count(),
      ]);
      const sorted = [...burst.acks].sort((a, b) => a - b);
      const at = (q: number) => quantile(sorted, q);
      return {
        clicks: members,
        spreadMs,
        ackP50: at(0.5),
        ackP99: at(0.99),
        ackMax: sorted.at(-1) ?? 0,
        perSecond: burst.feedback / burst.seconds,
        unacked: burst.unacked,
        stored,
        counted: totals._sum.answered ?? 0,
        feedback: burst.feedback,
        memberRows,
        lastAfterLastClickMs: burst.lastAfterLastClickMs,
        cpuMsPerClick,
        loopMsPerClick,
      };
    } finally {
      await slack.stop();
    }
  } finally {
    await fake.ask({ type: 'close' }, 'closed');
  }
}
