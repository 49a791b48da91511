/**
 * Issue 16's rules where Discord renders them, through the real discord.js against the fake Discord
 * (test/fakes/discord.ts): `quiz` never serves a question of a lesson the member has not seen (point 3), and a quiz
 * question nobody answered is "sem respostas" in the result posted in its thread, never "0%" or "nobody got it right"
 * (point 4). The other points are decided in the core and checked through the terminal (test/journeys/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordRuntime } from '../../src/adapters/discord/discord.adapter.ts';
import type { App } from '../../src/app.ts';
import { decodeAction } from '../../src/core/action-id.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler } from '../../src/scheduler/drop-scheduler.ts';
import type { FakeDiscord, RecordedCall, SlashCommandInput } from '../fakes/discord.ts';
import { type DiscordWorld, startDiscordWorld } from '../support/platform-worlds.ts';

const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcRt.discord-learning-test-token';
const guildId = '100000000000000001';
const geral = '110000000000000001';
const manageGuild = String(1n << 5n);
const ana = { id: '200000000000000001', username: 'ana', globalName: 'Ana' };
const admin = { id: '200000000000000009', username: 'admin', globalName: 'Admin' };

interface Shown {
  content?: string;
  embeds?: { title?: string; description?: string; footer?: { text?: string } }[];
  components?: { components: { custom_id?: string; label?: string }[] }[];
}

function shown(body: Shown | undefined): string {
  if (!body) return '';
  const embeds = (body.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '']);
  return [body.content ?? '', ...embeds].join('\n');
}

function messageOf(call: RecordedCall): Shown | undefined {
  const body = call.body as { type?: number; data?: Shown } & Shown;
  return call.path.includes('/callback') ? body.data : body;
}

describe('Discord: quiz and quiz results as issue 16 wants them (real discord.js, fake Discord)', () => {
  let fake: FakeDiscord;
  let app: App;
  let discord: DiscordRuntime;
  let world: DiscordWorld;
  beforeAll(async () => {
    world = await startDiscordWorld({
      token,
      guilds: [{ id: guildId, name: 'Escola', preferredLocale: 'pt-BR', channels: [{ id: geral, name: 'geral' }] }],
    });
    ({ fake, app, discord } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  async function command(input: Omit<SlashCommandInput, 'guildId' | 'channelId' | 'name'> & { name?: string }) {
    const interaction = fake.slashCommand({ guildId, channelId: geral, name: 'trilha', ...input });
    await fake.waitForResponse(interaction, { timeoutMs: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 40)); // a command may answer with follow-ups
    const calls = fake.responsesTo(interaction);
    return {
      text: calls.map((call) => shown(messageOf(call))).join('\n'),
      ids: calls.flatMap((call) =>
        (messageOf(call)?.components ?? []).flatMap((row) => row.components.map((b) => b.custom_id ?? '')),
      ),
    };
  }

  const scheduler = (owner: string) =>
    new DropScheduler({
      services: app.services,
      notifier: discord.notifier,
      logger: silentLogger(),
      owner,
      platform: 'discord',
    });

  it('GIVEN no lesson seen THEN quiz offers the next lesson and shows no question; GIVEN a quiz nobody answered THEN its result says "sem respostas"', async () => {
    const setup = (setting: string, value: string) =>
      command({
        name: 'trilha-channel',
        user: admin,
        permissions: manageGuild,
        options: [
          { name: 'setting', type: 3, value: setting },
          { name: 'value', type: 3, value },
        ],
      });
    expect((await setup('time', '00:00')).text).toContain('00:00');
    await setup('days', 'todos');

    // Point 3: nothing seen yet, so no question at all (before, the next lesson's questions came without its text).
    const quiz = await command({ user: ana, subcommand: 'quiz' });
    expect(quiz.text).toContain('lições que viu');
    const served = quiz.ids.map((id) => decodeAction(id)).filter((d) => d.ok && d.action.kind === 'study');
    expect(served).toEqual([]);
    expect(await app.db.lessonProgress.count()).toBe(0);

    // Point 4: today's drop, nobody answers; the day after, its result in the thread says so for each question.
    expect((await scheduler('learning').tick(new Date())).posted).toBe(1);
    const today = await app.db.drop.findFirstOrThrow({ where: { status: 'posted' } });
    await scheduler('learning-day').tick(new Date(Date.now() + 86_400_000 + 60_000));
    const result = fake
      .messagesIn(today.messageRef ?? '?')
      .map((message) => shown(message as Shown))
      .find((body) => body.includes('Resultado do quiz'));
    expect(result, 'the result in the closed quiz thread').toBeDefined();
    const lesson = app.services.curriculum.lesson(today.trackId, today.lessonId);
    for (const position of (lesson?.questions ?? []).map((_, index) => index + 1)) {
      expect(result).toMatch(new RegExp(`Pergunta ${position}\\*{0,2} · sem respostas`));
    }
    expect(result).not.toContain('acertaram');
    expect(result).not.toContain('Ninguém acertou');
  });
});
