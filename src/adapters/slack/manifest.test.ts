import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '..', '..', '..', 'slack', 'manifest.json'), 'utf8'),
);

describe('slack/manifest.json', () => {
  it('GIVEN the app manifest THEN it declares what the adapter uses: /trilha, interactivity, App Home, Socket Mode', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/trilha']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('GIVEN the Web API methods the adapter calls THEN the bot scopes cover each of them', () => {
    // chat.postMessage, chat.postEphemeral and chat.update: chat:write (chat:write.public to post in channels it was not invited
    // to); users.info: users:read; conversations.info: channels:read and groups:read; the command: commands.
    const needed = ['commands', 'chat:write', 'chat:write.public', 'users:read', 'channels:read', 'groups:read'];
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(needed.sort());
    const adapter = readFileSync(resolve(import.meta.dirname, 'slack.adapter.ts'), 'utf8');
    const methods = new Set([...adapter.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`));
    expect([...methods].sort()).toEqual([
      'chat.postEphemeral',
      'chat.postMessage',
      'chat.update',
      'conversations.info',
      'users.info',
      'views.publish',
    ]);
  });
});
