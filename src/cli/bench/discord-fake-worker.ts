/**
 * The fake Discord of test/fakes/discord.ts in a worker thread, for the Discord benchmark: Discord is another machine,
 * so its side of a burst (the gateway sending 500 clicks, the HTTP server taking the answers) must not share the
 * bot's event loop, where it would both slow the bot and be slowed by it. The worker sends the clicks and times each
 * one, on its own clock, from INTERACTION_CREATE sent to the interaction callback received (the answer itself, or a
 * deferral), and to its feedback received (the callback that carries the answer, or the deferral's `@original` edit).
 */
import { workerData } from 'node:worker_threads';
import {
  type FakeDiscordOptions,
  type RecordedCall,
  type SentInteraction,
  startFakeDiscord,
} from '../../../test/fakes/discord.ts';
import { benchPort, paced } from './fake-worker.ts';

export type WorkerRequest =
  | { readonly type: 'ready' }
  | {
      readonly type: 'burst';
      readonly guildId: string;
      readonly channelId: string;
      readonly messageId: string;
      readonly customIds: readonly string[];
      readonly userIds: readonly string[];
      readonly spreadMs: number;
    }
  | { readonly type: 'close' };

export type WorkerReply =
  | { readonly type: 'listening'; readonly apiUrl: string }
  | { readonly type: 'ready' }
  | {
      readonly type: 'burst';
      /** Each answered click's time from INTERACTION_CREATE sent to its interaction callback received, in ms. */
      readonly latencies: number[];
      /** From the first click sent to the last feedback received, in s. */
      readonly seconds: number;
      /** Clicks whose feedback never arrived (within 30 s). */
      readonly unanswered: number;
      /** From the last click sent to the last feedback received. */
      readonly lastAfterLastClickMs: number;
    }
  | { readonly type: 'closed' };

const { port, reply } = benchPort<WorkerReply>('discord-fake-worker');

const fake = await startFakeDiscord(workerData as FakeDiscordOptions);
reply({ type: 'listening', apiUrl: fake.apiUrl });

port.on('message', async (request: WorkerRequest) => {
  switch (request.type) {
    case 'ready':
      await fake.ready(10_000);
      reply({ type: 'ready' });
      return;
    case 'burst': {
      const sent: SentInteraction[] = [];
      const started = performance.now();
      await paced(request.userIds.length, request.spreadMs, (i) =>
        sent.push(
          fake.button({
            guildId: request.guildId,
            channelId: request.channelId,
            user: { id: request.userIds[i] as string, username: `m${i}` },
            customId: request.customIds[i % request.customIds.length] as string,
            messageId: request.messageId,
          }),
        ),
      );
      // Polled rather than one waiter per click, which the fake would re-check on every call it records.
      const deadline = performance.now() + 30_000;
      let answered = sent.map((interaction) => fake.responsesTo(interaction));
      while (answered.some((calls) => !calls.some(isFeedback)) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        answered = sent.map((interaction) => fake.responsesTo(interaction));
      }
      const feedback = answered.map((calls) => calls.find(isFeedback)?.at);
      const last = Math.max(...feedback.map((at) => at ?? 0));
      reply({
        type: 'burst',
        latencies: answered.flatMap((calls, i) => {
          const at = calls[0]?.at;
          return at === undefined ? [] : [at - (sent[i]?.sentAt ?? at)];
        }),
        seconds: (last - started) / 1000,
        unanswered: feedback.filter((at) => at === undefined).length,
        lastAfterLastClickMs: last - Math.max(...sent.map((interaction) => interaction.sentAt)),
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

/** The call that shows a click its answer: a callback with the message (type 4), or the deferral's edit. */
function isFeedback(call: RecordedCall): boolean {
  if (call.path.endsWith('/callback')) return call.body?.type === 4;
  return call.method === 'PATCH' && call.path.endsWith('/messages/@original');
}
