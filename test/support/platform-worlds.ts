/**
 * A whole platform side for an adapter test: a fresh SQLite database, the engine on it, the fake platform on
 * 127.0.0.1 and the real SDK (Bolt in Socket Mode, or discord.js) connected to it. `close()` stops them in the reverse
 * order. One place for the set-up that every end-to-end Slack or Discord test needs; each test keeps its own
 * helpers for what it sends and reads.
 */
import { type DiscordRuntime, startDiscord } from '../../src/adapters/discord/discord.adapter.ts';
import { type SlackRuntime, startSlack } from '../../src/adapters/slack/slack.adapter.ts';
import { type App, openApp } from '../../src/app.ts';
import type { Track } from '../../src/core/curriculum.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import type { Telemetry } from '../../src/runtime/telemetry.ts';
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from '../fakes/discord.ts';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../fakes/slack.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { dockerTrack } from './engine.ts';

/**
 * How many times faster than real Slack's time (a `TestClock` shared by the fake and the adapter's `budgetClock`) runs
 * in the tests that post drops through Slack: a drop's posts keep Slack's per-channel pace, which the fake enforces,
 * without waiting 1.2 s for each (test/budgets holds the pace itself, in real time).
 */
export const slackSpeed = 10;

interface EngineOptions {
  /** The tracks the engine serves (default: the Docker track of content/). */
  readonly tracks?: Track[];
  readonly telemetry?: Telemetry;
}

export interface SlackWorld {
  readonly database: TestDatabase;
  readonly fake: FakeSlack;
  readonly app: App;
  readonly slack: SlackRuntime;
  close(): Promise<void>;
}

export interface DiscordWorld {
  readonly database: TestDatabase;
  readonly fake: FakeDiscord;
  readonly app: App;
  readonly discord: DiscordRuntime;
  close(): Promise<void>;
}

async function openEngine(database: TestDatabase, options: EngineOptions): Promise<App> {
  return openApp({
    database: database.target,
    tracks: options.tracks ?? dockerTrack(),
    defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    logger: silentLogger(),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  });
}

/** The fake Slack with `fakeOptions`, the engine, and Bolt connected over Socket Mode. */
export async function startSlackWorld(fakeOptions: FakeSlackOptions, options: EngineOptions = {}): Promise<SlackWorld> {
  const fake = await startFakeSlack(fakeOptions);
  const database = await createTestDatabase('sqlite');
  const app = await openEngine(database, options);
  const slack = await startSlack({
    app,
    botToken: 'xoxb-test-token',
    appToken: 'xapp-1-test-token',
    apiUrl: fake.apiUrl,
    logger: silentLogger(),
    liveCountIntervalMs: 100,
  });
  await fake.socketConnected();
  return {
    database,
    fake,
    app,
    slack,
    close: async () => {
      await slack.stop();
      await app.close();
      await fake.close();
      await database.drop();
    },
  };
}

/** The fake Discord with `fakeOptions`, the engine, and discord.js connected through the gateway. */
export async function startDiscordWorld(
  fakeOptions: FakeDiscordOptions & { readonly token: string },
  options: EngineOptions = {},
): Promise<DiscordWorld> {
  const fake = await startFakeDiscord(fakeOptions);
  const database = await createTestDatabase('sqlite');
  const app = await openEngine(database, options);
  const discord = await startDiscord({
    app,
    token: fakeOptions.token,
    apiUrl: fake.apiUrl,
    logger: silentLogger(),
    waitGuildTimeoutMs: 1000,
    liveCountIntervalMs: 100,
  });
  await fake.ready();
  return {
    database,
    fake,
    app,
    discord,
    close: async () => {
      await discord.stop();
      await app.close();
      await fake.close();
      await database.drop();
    },
  };
}
