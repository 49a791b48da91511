/**
 * Discord as an operator runs it, pointed at a fake Discord (DISCORD_API_URL): `npm run discord:register` registers the
 * commands in one server and prints the invite link; `npm start` connects through the gateway, answers /trilha, never
 * logs the token and stops cleanly on SIGTERM; a rejected token stops the start with one line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';

const root = join(import.meta.dirname, '..', '..');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const token = 'MTExMTExMTExMTExMTExMTEx.GsEcRt.start-test-secret-token';
const guildId = '300000000000000001';
const channelId = '310000000000000001';

function run(script: string, env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, ['--import', tsx, join(root, script)], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      TRILHA_CONTENT_DIR: join(root, 'test', 'fixtures', 'content'),
      // Any free port: test files run in parallel.
      TRILHA_HTTP_PORT: '0',
      ...env,
    },
  });
  const output = { out: '', err: '' };
  child.stdout.on('data', (chunk) => {
    output.out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output.err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

describe('Discord from the command line', () => {
  let cwd: string;
  let fake: FakeDiscord;
  beforeEach(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'trilha-discord-'));
    fake = await startFakeDiscord({
      token,
      guilds: [{ id: guildId, name: 'Escola', channels: [{ id: channelId, name: 'geral' }] }],
    });
  });
  afterEach(async () => {
    await fake.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('GIVEN a token, an application id and a server id THEN discord:register registers /trilha there and prints the invite link', async () => {
    const { output, exited } = run(
      'src/cli/discord-register.ts',
      {
        DISCORD_TOKEN: token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_GUILD_ID: guildId,
        DISCORD_API_URL: fake.apiUrl,
      },
      cwd,
    );
    expect(await exited, output.err).toBe(0);
    expect(fake.registeredCommands({ guildId }).map((c: { name: string }) => c.name)).toEqual([
      'trilha',
      'trilha-channel',
      'trilha-report',
    ]);
    expect(fake.callsTo('PUT', `/applications/${fake.applicationId}/guilds/${guildId}/commands`)[0]?.auth).toBe(
      `Bot ${token}`,
    );
    expect(output.out).toContain('registered /trilha, /trilha-channel, /trilha-report in server');
    expect(output.out).toContain(
      `https://discord.com/oauth2/authorize?client_id=${fake.applicationId}&scope=bot+applications.commands&permissions=309237763072`,
    );
    expect(output.out + output.err).not.toContain(token);
  });

  it('GIVEN DISCORD_TOKEN and DISCORD_API_URL THEN npm start connects, answers /trilha, logs no token and stops on SIGTERM', async () => {
    const { child, output, exited } = run(
      'src/main.ts',
      { DISCORD_TOKEN: token, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'debug' },
      cwd,
    );
    await fake.ready(20_000);
    for (let i = 0; i < 400 && !output.out.includes('discord: connected'); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(output.out).toContain('discord: connected as');
    const interaction = fake.slashCommand({
      guildId,
      channelId,
      name: 'trilha',
      subcommand: 'help',
      user: { id: '320000000000000001', username: 'ana' },
    });
    const [answer] = await fake.waitForResponse(interaction, { timeoutMs: 10_000 });
    expect(JSON.stringify(answer?.body)).toContain('/trilha perguntar');

    // The operations endpoints: alive, ready (database and Discord), metrics with the command just answered.
    for (let i = 0; i < 400 && !/ops: .* on port \d+/.test(output.out); i++)
      await new Promise((r) => setTimeout(r, 25));
    const port = /ops: .* on port (\d+)/.exec(output.out)?.[1];
    const ops = `http://127.0.0.1:${port}`;
    expect((await fetch(`${ops}/healthz`)).status).toBe(200);
    const ready = await fetch(`${ops}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: 'ok', discord: 'ok' } });
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toMatch(/trilha_interaction_duration_seconds_count\{platform="discord",kind="command"\} 1/);

    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) console.log(output.out, output.err.slice(-3000));
    expect(code).toBe(0);
    for (const secret of [token, 'start-test-secret']) {
      expect(output.out).not.toContain(secret);
      expect(output.err).not.toContain(secret);
    }
  });

  it('GIVEN DISCORD_SHARDS=2 THEN a ShardingManager runs two shard processes, each answers its own server, and SIGTERM stops them all', async () => {
    // Discord's rule: a server belongs to shard (id >> 22) % count.
    const onShard0 = String(1000n << 22n);
    const onShard1 = String(1001n << 22n);
    await fake.close();
    fake = await startFakeDiscord({
      token,
      guilds: [
        { id: onShard0, name: 'Zero', channels: [{ id: '330000000000000001', name: 'geral' }] },
        { id: onShard1, name: 'Um', channels: [{ id: '330000000000000002', name: 'geral' }] },
      ],
    });
    const { child, output, exited } = run(
      'src/main.ts',
      { DISCORD_TOKEN: token, DISCORD_API_URL: fake.apiUrl, DISCORD_SHARDS: '2' },
      cwd,
    );
    for (let i = 0; i < 1200 && !output.out.includes('shard(s) running'); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(output.out, output.err.slice(-2000)).toContain('discord: 2 shard(s) running');
    expect(fake.gatewayStats().identifies).toBe(2);
    for (const [guildId, channelId] of [
      [onShard0, '330000000000000001'],
      [onShard1, '330000000000000002'],
    ] as const) {
      const interaction = fake.slashCommand({
        guildId,
        channelId,
        name: 'trilha',
        subcommand: 'help',
        user: { id: '340000000000000001', username: 'ana' },
      });
      const [answer] = await fake.waitForResponse(interaction, { timeoutMs: 10_000 });
      expect(JSON.stringify(answer?.body)).toContain('/trilha perguntar');
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.out + output.err).not.toContain(token);
  });

  it('GIVEN a token Discord rejects THEN npm start stops with one line and exit 1', async () => {
    const { output, exited } = run(
      'src/main.ts',
      { DISCORD_TOKEN: 'MTIz.wrong.token-value', DISCORD_API_URL: fake.apiUrl },
      cwd,
    );
    expect(await exited).toBe(1);
    const lines = output.err.trim().split('\n');
    expect(lines.at(-1)).toContain('discord: cannot connect');
    expect(output.err + output.out).not.toContain('wrong.token-value');
  });
});
