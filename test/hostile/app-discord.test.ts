/**
 * Hostile input through the Discord adapter: the real discord.js against the fake Discord (test/fakes/discord.ts), on
 * SQLite (docs/security.md). A global name carrying a bare URL, a right-to-left override, an escape sequence and
 * zero-width characters is stored neutralised and its URL shown but never made a link (finding 11); the delete
 * confirmation clicked again re-creates nobody, and a typed command starts afresh (finding 6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { FakeDiscord, SentInteraction } from '../fakes/discord.ts';
import { type DiscordWorld, startDiscordWorld } from '../support/platform-worlds.ts';

const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcRt.discord-test-secret-token';
const guildId = '100000000000000001';
const geral = '110000000000000001';
const mal = {
  id: '200000000000000007',
  username: 'mal',
  globalName: 'Ma\u202Elory\u200B https://evil.example/x \x1b[2J',
};
const bia = { id: '200000000000000002', username: 'bia', globalName: 'Bia' };

interface Shown {
  content?: string;
  embeds?: { title?: string; description?: string; footer?: { text?: string } }[];
  components?: { components: { custom_id?: string }[] }[];
}

function shownOf(messages: readonly { content?: unknown; embeds?: unknown }[]): string {
  return messages
    .flatMap((message) => {
      const body = message as Shown;
      return [
        body.content ?? '',
        ...(body.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '']),
      ];
    })
    .join('\n');
}

describe('hostile input through Discord (real discord.js, fake Discord)', () => {
  let fake: FakeDiscord;
  let app: App;
  let world: DiscordWorld;
  beforeAll(async () => {
    world = await startDiscordWorld({
      token,
      guilds: [{ id: guildId, name: 'Escola', preferredLocale: 'pt-BR', channels: [{ id: geral, name: 'geral' }] }],
    });
    ({ fake, app } = world);
    // Until the client has the guild, an interaction goes unanswered: poll with a harmless command.
    for (let tries = 0; ; tries++) {
      const probe = fake.slashCommand({ guildId, channelId: geral, name: 'trilha', user: bia, subcommand: 'help' });
      try {
        await fake.waitForResponse(probe, { timeoutMs: 1000 });
        break;
      } catch (error) {
        if (tries >= 10) throw error;
      }
    }
  });
  afterAll(async () => {
    await world?.close();
  });

  async function command(
    user: typeof bia,
    subcommand: string,
    options: { name: string; type: number; value: string }[] = [],
  ): Promise<{ interaction: SentInteraction; text: string }> {
    const interaction = fake.slashCommand({ guildId, channelId: geral, name: 'trilha', user, subcommand, options });
    await fake.waitForResponse(interaction);
    return { interaction, text: shownOf(fake.messagesFor(interaction)) };
  }

  async function click(user: typeof bia, customId: string, messageId: string): Promise<string> {
    const interaction = fake.button({ guildId, channelId: geral, user, customId, messageId });
    await fake.waitForResponse(interaction);
    return shownOf(fake.messagesFor(interaction));
  }

  it('GIVEN a global name with a URL, an override, an escape and a zero-width space THEN stored neutralised, the URL shown but not linked', async () => {
    const { text } = await command(mal, 'progress');
    const member = await app.db.member.findFirstOrThrow({ where: { identities: { some: { externalId: mal.id } } } });
    expect(member.displayName).toBe('Malory https://evil.example/x [2J');
    expect(text).toContain('Malory');
    // Discord links `scheme://` text and previews it: the bot's own text never carries a live one.
    expect(text).toContain('https:\u200b//evil.example/x');
    expect(text).not.toMatch(/https:\/\/evil/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(text).not.toMatch(/[\x00-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/);
  });

  it('GIVEN the delete confirmation clicked twice THEN deleted once and nobody re-created; a typed command starts afresh', async () => {
    await command(bia, 'progress');
    const before = await app.db.identity.findFirstOrThrow({ where: { externalId: bia.id } });
    const { interaction } = await command(bia, 'my-data', [{ name: 'action', type: 3, value: 'delete' }]);
    const [confirm] = fake.messagesFor(interaction) as (Shown & { id: string })[];
    const customId = confirm?.components?.[0]?.components[0]?.custom_id ?? '';
    expect(customId).not.toBe('');

    expect(await click(bia, customId, confirm?.id ?? '')).toContain('apagamos tudo');
    expect(await click(bia, customId, confirm?.id ?? '')).toContain('Esses dados já foram apagados');
    expect(await app.db.identity.count({ where: { externalId: bia.id } })).toBe(0);
    expect(await app.db.member.count({ where: { id: before.memberId } })).toBe(0);

    expect((await command(bia, 'progress')).text).toContain('Progresso de Bia');
    const after = await app.db.identity.findFirstOrThrow({ where: { externalId: bia.id } });
    expect(after.memberId).not.toBe(before.memberId);
  });
});
