/**
 * Command exercises on Slack through the real @slack/bolt against the fake Slack (test/fakes/slack.ts and
 * slack-modals.ts): the exercise's button opens a modal with the click's trigger_id (views.open, within Slack's limits),
 * the submitted view is graded, counted once, and the feedback arrives as an ephemeral message in the channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { FakeSlack } from '../fakes/slack.ts';
import { eventually } from '../support/eventually.ts';
import { type SlackWorld, startSlackWorld } from '../support/platform-worlds.ts';
import { pruneExercise, tracksWithExercises } from './exercise-tracks.ts';

const users = { 'U-ANA': { name: 'Ana', locale: 'pt-BR' } };
const channels = { 'C-GERAL': { name: 'geral', is_member: true } };

interface SlackButtonElement {
  readonly action_id: string;
  readonly value?: string;
  readonly text: { text: string };
}

function shown(body: Record<string, unknown>): string {
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

describe('command exercises on Slack (real Bolt, fake Slack)', () => {
  let fake: FakeSlack;
  let app: App;
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ users, channels }, { tracks: tracksWithExercises() });
    ({ fake, app } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  /** The exercise's button in the replies to `/trilha proxima`. */
  async function exerciseButton(): Promise<SlackButtonElement> {
    const payload = fake.slashCommand({ text: 'proxima', userId: 'U-ANA', channelId: 'C-GERAL' });
    const responseId = String(payload.response_url).split('/').pop();
    await fake.sendEnvelope('slash_commands', payload);
    return eventually(() =>
      fake.responses
        .filter((response) => response.id === responseId)
        .flatMap((response) => (response.body.blocks as { type: string; elements?: SlackButtonElement[] }[]) ?? [])
        .filter((block) => block.type === 'actions')
        .flatMap((block) => block.elements ?? [])
        .find((element) => element.value?.startsWith('modal:')),
    );
  }

  /** Clicks `button` and returns the modal Slack opened for it. */
  async function openModal(button: SlackButtonElement) {
    const before = fake.modals.opened.length;
    const click = fake.blockAction({
      userId: 'U-ANA',
      channelId: 'C-GERAL',
      actionId: button.action_id,
      value: button.value ?? '',
      messageTs: '1700000000.000100',
    });
    await fake.sendEnvelope('interactive', click);
    return eventually(() => fake.modals.opened[before]);
  }

  async function submit(viewId: string, typed: string): Promise<string> {
    const before = fake.callsTo('chat.postEphemeral').length;
    await fake.sendEnvelope('interactive', fake.viewSubmission(viewId, 'U-ANA', { answer: { typed } }));
    const call = await eventually(() => fake.callsTo('chat.postEphemeral')[before]);
    expect(call.body.user).toBe('U-ANA');
    expect(call.body.channel).toBe('C-GERAL');
    return shown(call.body);
  }

  const attempts = async () =>
    app.db.attempt.findMany({ where: { questionId: pruneExercise.id }, orderBy: { answeredAt: 'asc' } });

  it('GIVEN the exercise button THEN a modal with a text input opens, and its submission is graded once', async () => {
    const button = await exerciseButton();
    expect(button.text.text).toBe('⌨️ Digitar o comando');

    const modal = await openModal(button);
    expect(modal.view).toMatchObject({
      type: 'modal',
      title: { type: 'plain_text', text: 'Digite o comando' },
      submit: { type: 'plain_text', text: 'Responder' },
      blocks: [{ type: 'input', label: { text: 'Comando Docker' }, element: { type: 'plain_text_input' } }],
    });
    const opened = fake.callsTo('views.open').at(-1);
    expect(opened?.body.trigger_id).toMatch(/^trigger-/);

    const wrong = await submit(modal.id, 'docker image prune');
    expect(wrong).toContain('❌');
    expect(wrong).toContain('trabalha com imagens, não com contêineres');
    expect((await attempts()).map((row) => [row.correct, row.choice])).toEqual([[false, 1]]);

    // Clicked again and answered right: already answered, nothing changes.
    const again = await openModal(button);
    expect(await submit(again.id, 'docker container prune --force')).toContain(
      'Você já respondeu este exercício e errou',
    );
    expect(await attempts()).toHaveLength(1);
  });
});
