/**
 * Issue 21, finding 7, Discord's side: interactions reach the bot only over its authenticated gateway session, never
 * on a port of its own, so nobody else can replay one; what could deliver one twice is the gateway itself, when a
 * dropped connection is RESUMEd. Discord numbers every dispatch (`s`), discord.js resumes from the last number it saw
 * and the gateway replays only what came after it, so each interaction id arrives once, and Discord takes one answer
 * per interaction (40060 for a second; the fake holds both rules). Checked through the real discord.js against the
 * fake: an interaction answered before a drop is not run again after the RESUME, and one sent while the connection is
 * down arrives after the RESUME and is answered exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordRuntime, startDiscord } from '../../src/adapters/discord/discord.adapter.ts';
import { type App, openApp } from '../../src/app.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { dockerTrack } from '../support/engine.ts';

const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcRt.discord-replay-secret-token';
const guildId = '100000000000000001';
const geral = '110000000000000001';
const ana = { id: '200000000000000001', username: 'ana', globalName: 'Ana' };

let fake: FakeDiscord;
let database: TestDatabase;
let app: App;
let discord: DiscordRuntime;

beforeAll(async () => {
  fake = await startFakeDiscord({
    token,
    guilds: [{ id: guildId, name: 'Escola', channels: [{ id: geral, name: 'geral' }] }],
  });
  database = await createTestDatabase('sqlite');
  app = await openApp({
    database: database.target,
    tracks: dockerTrack(),
    defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    logger: silentLogger(),
  });
  discord = await startDiscord({ app, token, apiUrl: fake.apiUrl, logger: silentLogger(), waitGuildTimeoutMs: 1000 });
});

afterAll(async () => {
  await discord?.stop();
  await app?.close();
  await fake?.close();
  await database?.drop();
});

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const help = () => fake.slashCommand({ guildId, channelId: geral, name: 'trilha', user: ana, subcommand: 'help' });

describe('Discord interactions across a dropped and RESUMEd gateway connection', () => {
  it('GIVEN an interaction answered THEN after the connection drops and resumes it is not delivered nor run again', async () => {
    const interaction = help();
    await fake.waitForResponse(interaction);
    const answers = fake.responsesTo(interaction).length;
    const resumes = fake.gatewayStats().resumes;
    fake.dropGatewayConnection(4000);
    await until(() => fake.gatewayStats().resumes > resumes && discord.connected());
    // A second interaction after the RESUME: once it is answered, anything replayed before it would have been too.
    const after = help();
    await fake.waitForResponse(after);
    expect(fake.responsesTo(interaction)).toHaveLength(answers);
  });

  it('GIVEN an interaction sent while the connection is down THEN it arrives after the RESUME and is answered once', async () => {
    const resumes = fake.gatewayStats().resumes;
    fake.dropGatewayConnection(4000);
    // The socket is closing: the fake keeps the dispatch for the session's RESUME, as Discord does.
    const interaction = help();
    await until(() => fake.gatewayStats().resumes > resumes && discord.connected());
    await fake.waitForResponse(interaction, { timeoutMs: 10_000 });
    const marker = help();
    await fake.waitForResponse(marker);
    expect(fake.responsesTo(interaction)).toHaveLength(1);
    expect(interaction.id).not.toBe(marker.id);
  });
});
