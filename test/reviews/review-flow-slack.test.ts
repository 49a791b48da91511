/**
 * Point 6 of issue 16 through Slack (real @slack/bolt in Socket Mode against the fake Slack, test/fakes/slack.ts):
 * `/trilha revisar` answers with ONE question, with a button to the lesson behind it; answering offers "next review"
 * with the count left today, which brings the next single question; the lesson button shows the lesson.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { decodeAction, encodeAction } from '../../src/core/action-id.ts';
import type { FakeSlack } from '../fakes/slack.ts';
import { eventually } from '../support/eventually.ts';
import { type SlackWorld, startSlackWorld } from '../support/platform-worlds.ts';

const DAY = 24 * 60 * 60 * 1000;

type Body = Record<string, unknown>;
interface SlackButton {
  readonly text: string;
  readonly actionId: string;
}

function shown(body: Body): string {
  const blocks =
    (body.blocks as { text?: { text: string }; elements?: { text?: string | { text: string } }[] }[]) ?? [];
  return [
    String(body.text ?? ''),
    ...blocks.flatMap((block) => [
      block.text?.text ?? '',
      ...(block.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))),
    ]),
  ].join('\n');
}

function buttons(body: Body): SlackButton[] {
  const blocks =
    (body.blocks as { type: string; elements?: { action_id?: string; text?: { text: string } }[] }[]) ?? [];
  return blocks
    .filter((block) => block.type === 'actions')
    .flatMap((block) => (block.elements ?? []).map((e) => ({ text: e.text?.text ?? '', actionId: e.action_id ?? '' })));
}

const isReviewAnswer = (button: SlackButton) => {
  const decoded = decodeAction(button.actionId);
  return decoded.ok && decoded.action.kind === 'review';
};

describe('review one question at a time in Slack (real Bolt, fake Slack)', () => {
  let fake: FakeSlack;
  let app: App;
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({
      users: { 'U-ANA': { name: 'Ana', locale: 'pt-BR' } },
      channels: { 'C-GERAL': { name: 'geral', is_member: true } },
    });
    ({ fake, app } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('GIVEN three answered questions due THEN revisar serves one per message, next review and the lesson button work', async () => {
    // Ana answered three questions (wrong) in self-study five days ago: three cards, due since four days ago.
    const lesson = app.services.curriculum.tracks[0]?.lessons[0];
    if (!lesson) throw new Error('no lesson');
    const past = new Date(Date.now() - 5 * DAY);
    for (const question of lesson.questions.slice(0, 3)) {
      await app.dispatcher.action({
        platform: 'slack',
        workspace: { externalId: fake.teamId, name: 'Fake' },
        user: { externalId: 'U-ANA', displayName: 'Ana', isAdmin: false },
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

    const payload = fake.slashCommand({ text: 'revisar', userId: 'U-ANA', channelId: 'C-GERAL' });
    const responseId = String(payload.response_url).split('/').pop();
    await fake.sendEnvelope('slash_commands', payload);
    const response = await eventually(() => fake.responses.find((r) => r.id === responseId));
    const first = response.body as Body;
    expect(shown(first)).toContain('Revisão 1 de 3 de hoje');
    const firstButtons = buttons(first);
    const answers = firstButtons.filter(isReviewAnswer);
    // One question: its options, all for the same card, and the lesson button.
    const served = new Set(
      answers.map((b) => (decodeAction(b.actionId) as { action: { questionId: string } }).action.questionId),
    );
    expect(served.size).toBe(1);
    expect(firstButtons.map((b) => b.text)).toContain('Abrir a lição');

    const click = async (actionId: string): Promise<{ body: Record<string, unknown> }> => {
      const payload = fake.blockAction({
        actionId,
        userId: 'U-ANA',
        channelId: 'C-GERAL',
        messageTs: '1796000000.000001',
        blocks: first.blocks as unknown[],
      });
      const id = String(payload.response_url).split('/').pop();
      await fake.sendEnvelope('interactive', payload);
      // A click's answer travels through its own response_url (docs/platform-budgets.md).
      return eventually(() => fake.responses.find((response) => response.id === id));
    };
    const feedback = await click(answers[0]?.actionId as string);
    const next = buttons(feedback.body).find((b) => b.text.startsWith('Próxima revisão'));
    expect(next?.text).toBe('Próxima revisão (2 para hoje)');
    const second = await click(next?.actionId as string);
    expect(shown(second.body)).toContain('Revisão 2 de 3 de hoje');
    expect(buttons(second.body).filter(isReviewAnswer).length).toBeGreaterThan(1);
    // Only one question in that message, another card than the first.
    const secondServed = new Set(
      buttons(second.body)
        .filter(isReviewAnswer)
        .map((b) => (decodeAction(b.actionId) as { action: { questionId: string } }).action.questionId),
    );
    expect(secondServed.size).toBe(1);
    expect(served.has([...secondServed][0] as string)).toBe(false);

    const lessonButton = buttons(second.body).find((b) => b.text === 'Abrir a lição');
    const opened = await click(lessonButton?.actionId as string);
    expect(shown(opened.body)).toContain(lesson.title['pt-BR']);
  });

  it('GIVEN quoted arguments typed in Slack (typographic quotes, as Slack clients send them) THEN they are one argument each', async () => {
    const payload = fake.slashCommand({
      text: 'turma criar “ops” “Time de Ops”',
      userId: 'U-ANA',
      channelId: 'C-GERAL',
    });
    const responseId = String(payload.response_url).split('/').pop();
    await fake.sendEnvelope('slash_commands', payload);
    const response = await eventually(() => fake.responses.find((r) => r.id === responseId));
    expect(shown(response.body as Body)).toContain('Turma `ops` (Time de Ops) criada');
    expect((await app.db.cohort.findFirst({ where: { slug: 'ops' } }))?.name).toBe('Time de Ops');
  });
});
