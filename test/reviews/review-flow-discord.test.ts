/**
 * Point 6 of issue 16 through Discord (real discord.js against the fake Discord, test/fakes/discord.ts): `/trilha
 * review` answers with ONE question and a button to its lesson; answering offers "next review" with the count left
 * today, which brings the next single question; the lesson button shows the lesson.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { decodeAction, encodeAction } from '../../src/core/action-id.ts';
import type { FakeDiscord, FakeMessage, SentInteraction } from '../fakes/discord.ts';
import { type DiscordWorld, startDiscordWorld } from '../support/platform-worlds.ts';

const DAY = 24 * 60 * 60 * 1000;
const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcRt.discord-test-secret-token';
const guildId = '100000000000000001';
const geral = '110000000000000001';
const ana = { id: '200000000000000001', username: 'ana', globalName: 'Ana' };

interface Button {
  readonly label: string;
  readonly customId: string;
}

function shown(message: FakeMessage | undefined): string {
  if (!message) return '';
  const embeds = message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '']);
  return [message.content, ...embeds].join('\n');
}

function buttons(message: FakeMessage | undefined): Button[] {
  const rows = (message?.components ?? []) as { components?: { custom_id?: string; label?: string }[] }[];
  return rows.flatMap((row) =>
    (row.components ?? []).map((b) => ({ label: b.label ?? '', customId: b.custom_id ?? '' })),
  );
}

const reviewQuestionIds = (message: FakeMessage | undefined) =>
  new Set(
    buttons(message).flatMap((b) => {
      const decoded = decodeAction(b.customId);
      return decoded.ok && decoded.action.kind === 'review' ? [decoded.action.questionId] : [];
    }),
  );

describe('review one question at a time in Discord (real discord.js, fake Discord)', () => {
  let fake: FakeDiscord;
  let app: App;
  let world: DiscordWorld;
  beforeAll(async () => {
    world = await startDiscordWorld({
      token,
      guilds: [{ id: guildId, name: 'Escola', preferredLocale: 'pt-BR', channels: [{ id: geral, name: 'geral' }] }],
    });
    ({ fake, app } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  /** The messages an interaction answered with, once it answered. */
  const answerTo = async (interaction: SentInteraction): Promise<FakeMessage> => {
    await fake.waitForResponse(interaction);
    const [message] = fake.messagesFor(interaction);
    if (!message) throw new Error('no answer');
    return message;
  };

  it('GIVEN three answered questions due THEN review serves one per message, next review and the lesson button work', async () => {
    // Ana answered three questions (wrong) in self-study five days ago: three cards, due since four days ago.
    const lesson = app.services.curriculum.tracks[0]?.lessons[0];
    if (!lesson) throw new Error('no lesson');
    const past = new Date(Date.now() - 5 * DAY);
    for (const question of lesson.questions.slice(0, 3)) {
      await app.dispatcher.action({
        platform: 'discord',
        workspace: { externalId: guildId, name: 'Escola' },
        user: { externalId: ana.id, displayName: 'Ana', isAdmin: false },
        channel: null,
        now: past,
        actionId: encodeAction({
          kind: 'study',
          trackId: 'docker',
          questionId: question.id,
          choice: (question.correctIndex + 1) % question.options.length,
        }),
      });
    }
    expect(await app.db.reviewCard.count()).toBe(3);

    const command = fake.slashCommand({ guildId, channelId: geral, name: 'trilha', subcommand: 'review', user: ana });
    await fake.waitForResponse(command);
    const replies = fake.messagesFor(command);
    // One question per message: the command answers with one message holding one card.
    expect(replies).toHaveLength(1);
    const first = replies[0];
    expect(shown(first)).toContain('Revisão 1 de 3 de hoje');
    expect(reviewQuestionIds(first).size).toBe(1);
    expect(buttons(first).map((b) => b.label)).toContain('Abrir a lição');

    const click = (message: FakeMessage, customId: string) =>
      answerTo(fake.button({ guildId, channelId: geral, user: ana, customId, messageId: message.id }));
    const answer = buttons(first).find((b) => decodeAction(b.customId).ok && b.label.startsWith('A)'));
    const feedback = await click(first as FakeMessage, answer?.customId as string);
    const next = buttons(feedback).find((b) => b.label.startsWith('Próxima revisão'));
    expect(next?.label).toBe('Próxima revisão (2 para hoje)');
    const second = await click(feedback, next?.customId as string);
    expect(shown(second)).toContain('Revisão 2 de 3 de hoje');
    const secondIds = reviewQuestionIds(second);
    expect(secondIds.size).toBe(1);
    expect(reviewQuestionIds(first).has([...secondIds][0] as string)).toBe(false);

    const lessonButton = buttons(second).find((b) => b.label === 'Abrir a lição');
    const opened = await click(second, lessonButton?.customId as string);
    expect(shown(opened)).toContain(lesson.title['pt-BR']);
  });
});
