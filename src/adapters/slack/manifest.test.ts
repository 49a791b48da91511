import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '..', '..', '..', 'slack', 'manifest.json'), 'utf8'),
);

/**
 * The bot scopes each Web API method the adapter calls needs (Slack's method pages, "Scopes", bot token). The
 * history scopes cover the channels the bot posts in (public and private); keyed posts never go to a DM, so no
 * `im:history`.
 */
const scopesOf: Record<string, readonly string[]> = {
  // chat:write.public: posting in public channels the bot was not invited to.
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'users.info': ['users:read'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.open': ['im:write'],
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  // filesUploadV2: files.getUploadURLExternal and files.completeUploadExternal.
  'files.uploadV2': ['files:write'],
  'views.publish': [],
  // A command exercise's answer modal (modal.ts): no scope, the click's trigger_id is the permission.
  'views.open': [],
};

/**
 * Every Web API method the adapter's code calls through a WebClient (`client.chat.postMessage(`, `filesUploadV2`,
 * `unmetered('chat.update'`).
 */
function calledMethods(): string[] {
  const folder = import.meta.dirname;
  const sources = readdirSync(folder)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => readFileSync(resolve(folder, name), 'utf8'))
    .join('\n');
  const methods = new Set([...sources.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`));
  // Calls made after taking their budget token themselves (budget.ts): `unmetered('chat.update', …)`.
  for (const m of sources.matchAll(/unmetered\('([\w.]+)'/g)) if (m[1]) methods.add(m[1]);
  if (/client\.filesUploadV2\(/.test(sources)) methods.add('files.uploadV2');
  return [...methods].sort();
}

describe('slack/manifest.json', () => {
  it('GIVEN the app manifest THEN it declares what the adapter uses: /trilha, interactivity, App Home with its Messages tab, Socket Mode', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/trilha']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    // Members see the bot's direct messages (nudges, files of private replies) in its Messages tab; read-only is enough.
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('GIVEN the Web API methods the adapter calls THEN the bot scopes cover each of them, and no more', () => {
    const methods = calledMethods();
    expect(methods).toEqual([
      'chat.postEphemeral',
      'chat.postMessage',
      'chat.update',
      'conversations.history',
      'conversations.info',
      'conversations.open',
      'conversations.replies',
      'files.uploadV2',
      'users.info',
      'views.open',
      'views.publish',
    ]);
    const needed = new Set(['commands', ...methods.flatMap((method) => scopesOf[method] ?? [`unknown:${method}`])]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
