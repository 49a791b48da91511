/**
 * Drop fan-out: many channels due at the same minute, one scheduler tick posting every lesson and its quiz thread
 * through the real platform client (Bolt's WebClient, discord.js's REST) to the loopback fakes with their rate limits
 * on (`rateLimits`): Slack's pace per channel, Discord's 50 requests a second per bot and 5 messages per 5 s per
 * channel. Measured: the time from the tick to the last post, the posts made and the requests the fakes refused.
 */
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { startFakeDiscord } from '../../../test/fakes/discord.ts';
import { startFakeSlack } from '../../../test/fakes/slack.ts';
import { startDiscord } from '../../adapters/discord/discord.adapter.ts';
import { startSlack } from '../../adapters/slack/slack.adapter.ts';
import type { App } from '../../app.ts';
import type { Notifier } from '../../core/message.ts';
import type { Platform } from '../../core/ports/members.port.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { DropScheduler } from '../../scheduler/drop-scheduler.ts';

export interface FanOutResult {
  readonly platform: Platform;
  readonly channels: number;
  /** Drops posted whole (lesson and every question). */
  readonly dropsPosted: number;
  /** Messages the platform received (lessons, questions). */
  readonly messages: number;
  readonly seconds: number;
  /** Requests the fake refused with a 429 (the client waited and sent them again). */
  readonly refused: number;
}

const zone = 'America/Sao_Paulo';
/** 09:01 in São Paulo today: every channel's 09:00 drop is due. */
const tickAt = () => DateTime.now().setZone(zone).set({ hour: 9, minute: 1, second: 0, millisecond: 0 });

/** `count` channels on the first track, every day at 09:00 in São Paulo, starting today. */
async function seedChannels(app: App, platform: Platform, workspace: string, ids: readonly string[]): Promise<void> {
  const { members, drops } = app.services.stores;
  const track = app.services.curriculum.tracks[0];
  if (!track) throw new Error('no track to post');
  const record = await members.ensureWorkspace({
    platform,
    externalId: workspace,
    name: 'Fan-out',
    defaultLocale: 'pt-BR',
    timeZone: zone,
  });
  const startDate = tickAt().toISODate() as string;
  for (const id of ids) {
    await drops.ensureChannel({
      workspaceId: record.id,
      externalId: id,
      name: `c-${id}`,
      trackId: track.id,
      locale: 'pt-BR',
      timeZone: zone,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startDate,
    });
  }
}

async function tickAll(app: App, platform: Platform, notifier: Notifier) {
  const scheduler = new DropScheduler({
    services: app.services,
    notifier,
    logger: silentLogger(),
    owner: `bench-${platform}`,
    platform,
  });
  const started = performance.now();
  const result = await scheduler.tick(tickAt().toJSDate());
  return { dropsPosted: result.posted, seconds: (performance.now() - started) / 1000 };
}

export async function slackFanOut(app: App, channels: number): Promise<FanOutResult> {
  const ids = Array.from({ length: channels }, (_, i) => `C${String(i).padStart(5, '0')}`);
  const fake = await startFakeSlack({ rateLimits: true });
  try {
    await seedChannels(app, 'slack', fake.teamId, ids);
    const slack = await startSlack({
      app,
      botToken: 'xoxb-bench',
      appToken: 'xapp-1-bench',
      apiUrl: fake.apiUrl,
      logger: silentLogger(),
    });
    try {
      const { dropsPosted, seconds } = await tickAll(app, 'slack', slack.notifier);
      const messages = fake.callsTo('chat.postMessage').length - fake.rateLimited();
      return { platform: 'slack', channels, dropsPosted, messages, seconds, refused: fake.rateLimited() };
    } finally {
      await slack.stop();
    }
  } finally {
    await fake.close();
  }
}

export async function discordFanOut(app: App, channels: number): Promise<FanOutResult> {
  const guildId = '950000000000000001';
  const ids = Array.from({ length: channels }, (_, i) => String(960000000000000000n + BigInt(i)));
  const token = 'OTUwMDAwMDAwMDAwMDAwMDAx.fanout.discord-bench-token';
  const fake = await startFakeDiscord({
    token,
    rateLimits: true,
    guilds: [{ id: guildId, name: 'Fan-out', channels: ids.map((id) => ({ id, name: `c-${id}` })) }],
  });
  try {
    await seedChannels(app, 'discord', guildId, ids);
    const discord = await startDiscord({
      app,
      token,
      apiUrl: fake.apiUrl,
      logger: silentLogger(),
      waitGuildTimeoutMs: 1000,
    });
    try {
      const { dropsPosted, seconds } = await tickAll(app, 'discord', discord.notifier);
      const messages = fake.callsTo('POST', /^\/channels\/\d+\/messages$/).length - fake.rateLimited();
      return { platform: 'discord', channels, dropsPosted, messages, seconds, refused: fake.rateLimited() };
    } finally {
      await discord.stop();
    }
  } finally {
    await fake.close();
  }
}
