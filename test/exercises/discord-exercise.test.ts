/**
 * Command exercises on Discord through the real discord.js against the fake Discord (test/fakes/discord.ts): the
 * exercise's button is answered with a modal (interaction response type 9, one short text input, within Discord's
 * limits), the modal submit (interaction type 5) is graded, counted once, and the feedback comes back ephemerally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordRuntime, startDiscord } from '../../src/adapters/discord/discord.adapter.ts';
import { type App, openApp } from '../../src/app.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { type FakeDiscord, type RecordedCall, type SentInteraction, startFakeDiscord } from '../fakes/discord.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { pruneExercise, tracksWithExercises } from './exercise-tracks.ts';

const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcRt.discord-test-secret-token';
const guildId = '100000000000000001';
const geral = '110000000000000001';
const ana = { id: '200000000000000001', username: 'ana', globalName: 'Ana' };

interface Shown {
  content?: string;
  embeds?: { title?: string; description?: string }[];
}

function shown(call: RecordedCall | undefined): string {
  if (!call) return '';
  const body = (call.path.includes('/callback') ? call.body.data : call.body) as Shown;
  return [body.content ?? '', ...(body.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? ''])].join('\n');
}

describe('command exercises on Discord (real discord.js, fake Discord)', () => {
  let fake: FakeDiscord;
  let app: App;
  let discord: DiscordRuntime;
  let database: TestDatabase;

  beforeAll(async () => {
    fake = await startFakeDiscord({
      token,
      guilds: [{ id: guildId, name: 'Escola', preferredLocale: 'pt-BR', channels: [{ id: geral, name: 'geral' }] }],
    });
    database = await createTestDatabase('sqlite');
    app = await openApp({
      database: database.target,
      tracks: tracksWithExercises(),
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

  /** The exercise's button (custom_id `m:<action id>`) and the message it is on, from `/trilha next`. */
  async function exerciseButton(): Promise<{ customId: string; messageId: string }> {
    const interaction = fake.slashCommand({ guildId, channelId: geral, name: 'trilha', subcommand: 'next', user: ana });
    await fake.waitForResponse(interaction);
    for (let attempt = 0; attempt < 50; attempt++) {
      for (const message of fake.messagesFor(interaction)) {
        for (const row of message.components) {
          for (const component of (row as { components?: { custom_id?: string }[] }).components ?? []) {
            if (component.custom_id?.startsWith('m:')) return { customId: component.custom_id, messageId: message.id };
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20)); // follow-ups arrive after the first answer
    }
    throw new Error('no exercise button');
  }

  async function clickAndSubmit(button: { customId: string; messageId: string }, typed: string): Promise<string> {
    const { customId, messageId } = button;
    const click = fake.button({ guildId, channelId: geral, user: ana, customId, messageId });
    const [modalCall] = await fake.waitForResponse(click);
    expect(modalCall?.body).toMatchObject({
      type: 9,
      data: {
        custom_id: customId,
        title: 'Digite o comando',
        components: [{ type: 1, components: [{ type: 4, custom_id: 'typed', label: 'Comando Docker', style: 1 }] }],
      },
    });
    const submit: SentInteraction = fake.modalSubmit(click, { typed });
    const [answer] = await fake.waitForResponse(submit);
    return shown(answer);
  }

  const attempts = () =>
    app.db.attempt.findMany({ where: { questionId: pruneExercise.id }, orderBy: { answeredAt: 'asc' } });

  it('GIVEN the exercise button THEN a modal opens and its submit is graded once, with the reason when wrong', async () => {
    const button = await exerciseButton();
    const wrong = await clickAndSubmit(button, 'docker image prune');
    expect(wrong).toContain('❌');
    expect(wrong).toContain('trabalha com imagens, não com contêineres');
    expect((await attempts()).map((row) => [row.correct, row.choice])).toEqual([[false, 1]]);

    // The same button again, answered right this time: already answered, nothing changes.
    const again = await clickAndSubmit(button, "docker container prune '-f'");
    expect(again).toContain('Você já respondeu este exercício e errou');
    expect(await attempts()).toHaveLength(1);
  });
});
