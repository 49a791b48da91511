/**
 * The answer path through Discord: the real discord.js client on the gateway of the loopback fake Discord the tests use
 * (test/fakes/discord.ts), members clicking a quiz button within one second. The fake runs in a worker thread
 * (`discord-fake-worker.ts`): Discord is another machine, and sharing the bot's event loop would make each side slow
 * the other. Measured there: the interaction response latency (INTERACTION_CREATE sent → the interaction callback
 * received, the answer itself or a deferral: what Discord's 3 s deadline is about) and answers per second (first
 * click → the last member's answer received: the callback carrying it, or the deferral's edit). Every run is checked:
 * each click stored once, counted once and answered.
 */
import { Routes } from 'discord.js';
import { startDiscord } from '../../adapters/discord/discord.adapter.ts';
import type { App } from '../../app.ts';
import { encodeAction } from '../../core/action-id.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { prepareDrop, quantile } from './answer-load.ts';
import type { WorkerReply, WorkerRequest } from './discord-fake-worker.ts';
import { burstUsage, fakeWorker } from './fake-worker.ts';

export interface DiscordLoadResult {
  readonly clicks: number;
  readonly spreadMs: number;
  readonly responseP50: number;
  readonly responseP99: number;
  readonly responseMax: number;
  readonly perSecond: number;
  /** Clicks whose answer (not just a deferral) never arrived. */
  readonly unanswered: number;
  readonly stored: number;
  readonly counted: number;
  /** Member rows in the database after the run: one per clicking account. */
  readonly memberRows: number;
  /** CPU time of the process (the bot and the fake's thread) over the burst, per click. */
  readonly cpuMsPerClick: number;
  /** Time the bot's event loop was busy over the burst, per click (its share of the CPU, on a quiet machine). */
  readonly loopMsPerClick: number;
  /** From the last click to the last answer received by the fake. */
  readonly lastAfterLastClickMs: number;
}

const guildId = '900000000000000001';
const channelId = '910000000000000001';
const token = 'OTAwMDAwMDAwMDAwMDAwMDAx.bench.discord-bench-token';

/** Member `n`'s Discord user id (a snowflake); the members are known, as on any day after their first. */
const memberId = (member: number) => String(920000000000000000n + BigInt(member));

/**
 * `members` members click within `spreadMs`; `known` false makes every one of them new to Trilha (first contact: no
 * member row yet, as on the first drop in a big server).
 */
export async function discordClicks(
  app: App,
  members: number,
  spreadMs: number,
  known = true,
): Promise<DiscordLoadResult> {
  const fake = fakeWorker<WorkerRequest, WorkerReply>(new URL('./discord-fake-worker.ts', import.meta.url), {
    token,
    guilds: [{ id: guildId, name: 'Bench', channels: [{ id: channelId, name: 'geral' }] }],
  });
  const { apiUrl } = await fake.next('listening');
  try {
    const fixture = await prepareDrop(app, known ? members : 0, {
      platform: 'discord',
      workspace: guildId,
      channel: channelId,
      userId: memberId,
    });
    const ready = fake.ask({ type: 'ready' }, 'ready');
    const discord = await startDiscord({
      app,
      token,
      apiUrl,
      logger: silentLogger(),
      waitGuildTimeoutMs: 1000,
    });
    await ready;
    try {
      const postedQuestionId = fixture.postedQuestionIds[0] as string;
      const customIds = [0, 1].map((choice) => encodeAction({ kind: 'answer', postedQuestionId, choice }));
      // The question message the members click, posted by the bot as a drop posts it.
      const question = (await discord.client.rest.post(Routes.channelMessages(channelId), {
        body: {
          content: 'Pergunta 1 de 1',
          components: [
            { type: 1, components: customIds.map((id, i) => ({ type: 2, style: 2, label: `${i}`, custom_id: id })) },
          ],
        },
      })) as { id: string };
      const usage = burstUsage();
      const burst = await fake.ask(
        {
          type: 'burst',
          guildId,
          channelId,
          messageId: question.id,
          customIds,
          userIds: Array.from({ length: members }, (_, i) => memberId(i)),
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
      const sorted = [...burst.latencies].sort((a, b) => a - b);
      const at = (q: number) => quantile(sorted, q);
      return {
        clicks: members,
        spreadMs,
        responseP50: at(0.5),
        responseP99: at(0.99),
        responseMax: sorted.at(-1) ?? 0,
        perSecond: sorted.length / burst.seconds,
        unanswered: burst.unanswered,
        stored,
        counted: totals._sum.answered ?? 0,
        memberRows,
        lastAfterLastClickMs: burst.lastAfterLastClickMs,
        cpuMsPerClick,
        loopMsPerClick,
      };
    } finally {
      await discord.stop();
    }
  } finally {
    await fake.ask({ type: 'close' }, 'closed');
  }
}
