/**
 * `npm start` with Slack settings, as an operator runs it but pointed at a fake Slack (SLACK_API_URL): the process
 * connects in Socket Mode, answers a command, never logs a token, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.ts';

const root = join(import.meta.dirname, '..', '..');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const botToken = 'xoxb-1111-secret-bot-token';
const appToken = 'xapp-1-A1-2222-secret-app-token';

describe('npm start with Slack settings', () => {
  let cwd: string;
  let fake: FakeSlack;
  beforeEach(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'trilha-slack-'));
    fake = await startFakeSlack({
      users: { 'U-ANA': { name: 'Ana', locale: 'pt-BR' } },
      channels: { C1: { name: 'geral', is_member: true } },
    });
  });
  afterEach(async () => {
    await fake.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('GIVEN a bot token, an app token and SLACK_API_URL THEN it connects, answers /trilha, logs no token and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'src', 'main.ts')], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        TRILHA_CONTENT_DIR: join(root, 'test', 'fixtures', 'content'),
        SLACK_BOT_TOKEN: botToken,
        SLACK_APP_TOKEN: appToken,
        SLACK_API_URL: fake.apiUrl,
        LOG_LEVEL: 'debug',
        TRILHA_HTTP_PORT: '0',
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await fake.socketConnected({ timeoutMs: 20_000 });
    const payload = fake.slashCommand({ text: 'ajuda', userId: 'U-ANA', channelId: 'C1' });
    await fake.sendEnvelope('slash_commands', payload);
    const id = String(payload.response_url).split('/').pop();
    for (let i = 0; i < 200 && !fake.responses.some((r) => r.id === id); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(JSON.stringify(fake.responses.find((r) => r.id === id)?.body)).toContain('/trilha perguntar');
    for (let i = 0; i < 200 && !out.includes('slack: connected'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(out).toContain('slack: connected (Socket Mode)');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The tokens went to Slack (the fake saw them) and nowhere else.
    expect(fake.callsTo('auth.test')[0]?.token).toBe(botToken);
    expect(fake.callsTo('apps.connections.open')[0]?.token).toBe(appToken);
    for (const secret of [botToken, appToken, 'secret-bot', 'secret-app']) {
      expect(out).not.toContain(secret);
      expect(err).not.toContain(secret);
    }
  });

  it('GIVEN a bot token without an app token or signing secret THEN it stops with one line and exit 1', async () => {
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'src', 'main.ts')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', SLACK_BOT_TOKEN: botToken, TRILHA_HTTP_PORT: '0' },
    });
    let err = '';
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('SLACK_SIGNING_SECRET');
    expect(err).not.toContain('secret-bot');
  });
});
