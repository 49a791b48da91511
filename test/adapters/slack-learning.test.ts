/**
 * Issue 16's rules where Slack renders them, through the real @slack/bolt against the fake Slack (test/fakes/slack.ts):
 * an early bird studies the lesson with `proxima` before the drop, then answers the channel quiz: those answers are
 * practice (the feedback says so, no answer XP; point 2), and the board gives the early bird the same points as the
 * member who only answered the channel quiz with the same results (point 1). The rest is decided in the core and
 * checked through the terminal (test/journeys/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackRuntime } from '../../src/adapters/slack/slack.adapter.ts';
import type { App } from '../../src/app.ts';
import { decodeAction } from '../../src/core/action-id.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler } from '../../src/scheduler/drop-scheduler.ts';
import type { FakeSlack, RecordedCall } from '../fakes/slack.ts';
import { eventually } from '../support/eventually.ts';
import { type SlackWorld, startSlackWorld } from '../support/platform-worlds.ts';

const users = {
  'U-ADMIN': { is_admin: true, name: 'Admin', locale: 'pt-BR' },
  'U-ANA': { name: 'Ana', locale: 'pt-BR' },
  'U-CAU': { name: 'Cau', locale: 'pt-BR' },
};
const channels = { 'C-GERAL': { name: 'geral', is_member: true } };

/** All the text a recorded Block Kit message shows. */
function shown(body: Record<string, unknown>): string {
  const blocks =
    (body.blocks as { text?: { text: string }; elements?: { text?: string | { text: string } }[] }[]) ?? [];
  const parts = blocks.flatMap((block) => [
    block.text?.text ?? '',
    ...(block.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))),
  ]);
  return [String(body.text ?? ''), ...parts].join('\n');
}

function buttonIds(body: Record<string, unknown>): string[] {
  const blocks = (body.blocks as { type: string; elements?: { action_id?: string }[] }[]) ?? [];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));
}

describe('Slack: studying ahead costs nothing and pays once (real Bolt, fake Slack)', () => {
  let fake: FakeSlack;
  let app: App;
  let slack: SlackRuntime;
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ users, channels });
    ({ fake, app, slack } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  /** Runs `/trilha <text>` and gives the bodies of its ephemeral answers. */
  async function command(
    userId: string,
    text: string,
    done: (bodies: Record<string, unknown>[]) => boolean = (bodies) => bodies.length >= 1,
  ): Promise<Record<string, unknown>[]> {
    const payload = fake.slashCommand({ text, userId, channelId: 'C-GERAL' });
    const id = String(payload.response_url).split('/').pop();
    await fake.sendEnvelope('slash_commands', payload);
    const mine = () => fake.responses.filter((response) => response.id === id).map((response) => response.body);
    // A command may answer with several messages (merged into at most 3 response_url uses): waits until the caller's
    // condition holds.
    return eventually(() => done(mine()) && mine());
  }

  /** The button of the right option among `ids` (study or channel quiz buttons of one question). */
  function rightButton(ids: readonly string[]): string {
    for (const id of ids) {
      const decoded = decodeAction(id);
      if (!decoded.ok) continue;
      const action = decoded.action;
      if (action.kind === 'study') {
        const question = app.services.curriculum.question(action.trackId, action.questionId);
        if (question?.correctIndex === action.choice) return id;
      }
    }
    throw new Error(`no right study button in ${ids.join(', ')}`);
  }

  it('GIVEN Ana studies the lesson with proxima before the drop THEN her channel answers are practice and the board ranks her as Cau, who did the same in the quiz', async () => {
    await command('U-ADMIN', 'canal horario 00:00');
    await command('U-ADMIN', 'canal dias todos');

    // Before the drop: Ana opens the next lesson and answers its questions right (first tries).
    const lesson = app.services.curriculum.tracks[0]?.lessons[0];
    // The lesson and its questions, each question with its row of buttons (the replies may be merged into fewer
    // messages, Slack's response_url allowing 5 uses).
    const rows = (bodies: Record<string, unknown>[]) =>
      bodies.flatMap((body) =>
        ((body.blocks as { type: string; elements?: { action_id?: string }[] }[]) ?? [])
          .filter((block) => block.type === 'actions')
          .map((block) => ({ ids: (block.elements ?? []).map((e) => e.action_id ?? ''), body })),
      );
    const study = await command('U-ANA', 'proxima', (bodies) => rows(bodies).length >= (lesson?.questions.length ?? 0));
    expect(study.map(shown).join('\n')).toContain(lesson?.title['pt-BR']);
    const questions = rows(study);
    expect(questions).toHaveLength(lesson?.questions.length ?? 0);
    for (const [index, { ids, body }] of questions.entries()) {
      const payload = fake.blockAction({
        actionId: rightButton(ids),
        userId: 'U-ANA',
        channelId: 'C-GERAL',
        messageTs: `1700000000.00010${index}`,
        responseUrl: `${fake.apiUrl.replace(/\/api\/?$/, '')}/response/study-${index}`,
        blocks: body.blocks as unknown[],
      });
      await fake.sendEnvelope('interactive', payload);
    }
    await eventually(
      async () => (await app.db.attempt.count({ where: { context: 'self_study' } })) === questions.length,
    );

    // The drop: Ana and Cau answer the channel quiz right.
    const drops = new DropScheduler({
      services: app.services,
      notifier: slack.notifier,
      logger: silentLogger(),
      owner: 't',
    });
    const before = fake.callsTo('chat.postMessage').length;
    expect((await drops.tick(new Date())).posted).toBe(1);
    const posted = fake.callsTo('chat.postMessage').slice(before + 1);
    const lessonTs = (await app.db.drop.findFirstOrThrow()).messageRef ?? '';
    const click = async (userId: string, call: RecordedCall, position: number) => {
      const question = lesson?.questions[position];
      const ids = buttonIds(call.body);
      const questionTs = (await app.db.postedQuestion.findFirstOrThrow({ where: { position } })).messageRef ?? '';
      const payload = fake.blockAction({
        actionId: ids[question?.correctIndex ?? 0] as string,
        userId,
        channelId: 'C-GERAL',
        messageTs: questionTs,
        threadTs: lessonTs,
        blocks: call.body.blocks as unknown[],
      });
      const id = String(payload.response_url).split('/').pop();
      await fake.sendEnvelope('interactive', payload);
      // The click's feedback travels through the click's own response_url (docs/platform-budgets.md).
      return shown((await eventually(() => fake.responses.find((response) => response.id === id))).body);
    };
    for (const [position, call] of posted.entries()) {
      const ana = await click('U-ANA', call, position);
      expect(ana).toContain('✅');
      expect(ana).toContain('prática');
      expect(ana).not.toContain('resposta certa +');
      expect(await click('U-CAU', call, position)).toContain('resposta certa +');
    }

    // Same first tries, all right, the same day: the same points this week and all time.
    const points = (bodies: Record<string, unknown>[], name: string) =>
      Number(new RegExp(`${name}(?: \\(você\\))?\\*? · (\\d+) pts`).exec(bodies.map(shown).join('\n'))?.[1]);
    const week = await command('U-CAU', 'ranking');
    expect(points(week, 'Ana')).toBeGreaterThan(0);
    expect(points(week, 'Ana')).toBe(points(week, 'Cau'));
    const all = await command('U-CAU', 'ranking total');
    expect(points(all, 'Ana')).toBe(points(all, 'Cau'));
  });
});
