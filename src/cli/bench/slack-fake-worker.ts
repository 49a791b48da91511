/**
 * The fake Slack of test/fakes/slack.ts in a worker thread, for the Slack click benchmark (`slack-load.ts`): Slack is
 * another machine, so its side of a burst (the socket sending the clicks and reading the acks, the HTTP server taking
 * each click's feedback on its response_url) must not share the bot's event loop, where it would both slow the bot
 * and be slowed by it. The worker sends the clicks and times, on its own clock, each one from envelope sent to ack
 * frame received, and the last feedback's arrival (chat.postEphemeral or the click's response_url). The fake records
 * no arrival time for a response_url post, so new ones are stamped every 2 ms (the resolution of that figure).
 */
import { performance } from 'node:perf_hooks';
import { workerData } from 'node:worker_threads';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../../../test/fakes/slack.ts';
import { benchPort, paced } from './fake-worker.ts';

export type SlackWorkerRequest =
  | { readonly type: 'ready' }
  | {
      readonly type: 'burst';
      readonly channelId: string;
      readonly userIds: readonly string[];
      readonly actionIds: readonly string[];
      readonly spreadMs: number;
    }
  | { readonly type: 'close' };

export type SlackWorkerReply =
  | { readonly type: 'listening'; readonly apiUrl: string; readonly teamId: string }
  | { readonly type: 'ready' }
  | {
      readonly type: 'burst';
      /** Each acknowledged click's time from envelope sent to ack frame received, in ms. */
      readonly acks: number[];
      /** Clicks whose envelope was not acknowledged within 30 s. */
      readonly unacked: number;
      /** Private feedback messages received (the click's response_url or chat.postEphemeral). */
      readonly feedback: number;
      /** From the first click sent to the last feedback received, in s. */
      readonly seconds: number;
      /** From the last click sent to the last feedback received, in ms. */
      readonly lastAfterLastClickMs: number;
    }
  | { readonly type: 'closed' };

const { port, reply } = benchPort<SlackWorkerReply>('slack-fake-worker');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const fake: FakeSlack = await startFakeSlack(workerData as FakeSlackOptions);
reply({ type: 'listening', apiUrl: fake.apiUrl, teamId: fake.teamId });

port.on('message', async (request: SlackWorkerRequest) => {
  switch (request.type) {
    case 'ready':
      await fake.socketConnected({ timeoutMs: 10_000 });
      reply({ type: 'ready' });
      return;
    case 'burst': {
      const members = request.userIds.length;
      const acks: number[] = [];
      let unacked = 0;
      const feedback = () => fake.responses.length + fake.callsTo('chat.postEphemeral').length;
      let lastFeedbackAt = 0;
      let seenFeedback = feedback();
      const stamp = setInterval(() => {
        const now = feedback();
        if (now > seenFeedback) lastFeedbackAt = performance.now();
        seenFeedback = now;
      }, 2);
      const started = performance.now();
      const sent: Promise<void>[] = [];
      await paced(members, request.spreadMs, (i) => {
        const payload = fake.blockAction({
          userId: request.userIds[i] as string,
          channelId: request.channelId,
          actionId: request.actionIds[i % request.actionIds.length] as string,
          messageTs: '1796000000.000001',
        });
        const at = performance.now();
        sent.push(
          fake.sendEnvelope('interactive', payload, { timeoutMs: 30_000 }).then(
            () => {
              acks.push(performance.now() - at);
            },
            () => {
              unacked++;
            },
          ),
        );
      });
      const lastClick = performance.now();
      await Promise.all(sent);
      for (let i = 0; i < 6_000 && feedback() < members; i++) await sleep(5);
      clearInterval(stamp);
      if (feedback() > seenFeedback) lastFeedbackAt = performance.now();
      reply({
        type: 'burst',
        acks,
        unacked,
        feedback: feedback(),
        seconds: (lastFeedbackAt - started) / 1000,
        lastAfterLastClickMs: lastFeedbackAt - lastClick,
      });
      return;
    }
    case 'close':
      await fake.close();
      reply({ type: 'closed' });
      port.close();
      return;
  }
});
