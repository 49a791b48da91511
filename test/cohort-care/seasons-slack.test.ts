/**
 * The season recap through Slack: the real @slack/bolt adapter against the fake Slack (test/fakes/slack.ts), on both
 * databases. Three members answer a drop by clicking its buttons (one of them anonymous on boards), then two
 * schedulers of two processes tick at the same moment after the week's end: the recap is posted once in the cohort's
 * channel through Slack's `chat.postMessage`, its chart follows through Slack's external file upload, and the Season
 * row records the post.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackRuntime, startSlack } from '../../src/adapters/slack/slack.adapter.ts';
import { type App, openApp } from '../../src/app.ts';
import { isoWeekOfInstant } from '../../src/core/calendar.ts';
import { anonymousAnimal, weekSpan } from '../../src/core/seasons.ts';
import type { DatabaseKind } from '../../src/db/schema-files.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler } from '../../src/scheduler/drop-scheduler.ts';
import { TestClock } from '../fakes/clock.ts';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../fakes/slack.ts';
import { availableKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { dockerTrack } from '../support/engine.ts';
import { eventually } from '../support/eventually.ts';
import { slackSpeed } from '../support/platform-worlds.ts';

const SP = 'America/Sao_Paulo';
const users = {
  'U-ADMIN': { is_admin: true, name: 'Admin', locale: 'pt-BR' },
  'U-ANA': { name: 'Ana', locale: 'pt-BR' },
  'U-BIA': { name: 'Bia', locale: 'en-US' },
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

function buttonIds(call: RecordedCall): string[] {
  const blocks = call.body.blocks as { type: string; elements?: { action_id?: string }[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));
}

describe.each(availableKinds)('the season recap through Slack (%s)', (kind: DatabaseKind) => {
  let fake: FakeSlack;
  let database: TestDatabase;
  let app: App;
  let slack: SlackRuntime;

  beforeAll(async () => {
    // Slack's time faster than real (slackSpeed) for the fake and the budgets: the drops' posts keep Slack's pace
    // without waiting it out in real time (test/budgets holds the pace itself).
    const clock = new TestClock(slackSpeed);
    fake = await startFakeSlack({ users, channels, clock });
    database = await createTestDatabase(kind);
    app = await openApp({
      database: database.target,
      tracks: dockerTrack(),
      defaults: { locale: 'pt-BR', timeZone: SP },
      logger: silentLogger(),
    });
    slack = await startSlack({
      app,
      botToken: 'xoxb-test-token',
      apiUrl: fake.apiUrl,
      logger: silentLogger(),
      appToken: 'xapp-1-test-token',
      liveCountIntervalMs: 100,
      budgetClock: clock,
    });
    await fake.socketConnected();
  });
  afterAll(async () => {
    await slack?.stop();
    await app?.close();
    await fake?.close();
    await database?.drop();
  });

  /** Runs `/trilha <text>` and returns the text of the answer sent to the command's response_url. */
  async function command(userId: string, text: string): Promise<string> {
    const payload = fake.slashCommand({ text, userId, channelId: 'C-GERAL' });
    const responseId = String(payload.response_url).split('/').pop();
    await fake.sendEnvelope('slash_commands', payload);
    await eventually(() => fake.responses.some((response) => response.id === responseId));
    return fake.responses
      .filter((response) => response.id === responseId)
      .map((response) => shown(response.body))
      .join('\n');
  }

  /** A scheduler of its own process posting through this Slack, with the app's jobs (the season recap among them). */
  const scheduler = (owner: string) =>
    new DropScheduler({
      services: app.services,
      notifier: slack.notifier,
      logger: silentLogger(),
      owner,
      platform: 'slack',
      jobs: app.jobs,
    });

  it('GIVEN a week of answers and two schedulers ticking after its end THEN one recap in #geral with its chart uploaded', async () => {
    expect(await command('U-ADMIN', 'canal horario 00:00')).toContain('Horário das lições agora: 00:00.');
    expect(await command('U-ADMIN', 'canal dias todos')).toContain('Dias das lições agora:');
    const one = scheduler('replica-1');
    const two = scheduler('replica-2');
    const now = new Date();
    const posted = fake.callsTo('chat.postMessage').length;
    expect((await one.tick(now)).posted).toBe(1);

    // Question 1 of today's drop: Ana and Cau right, Bia wrong, each a click on the question's buttons.
    const [lessonCall, questionCall] = fake.callsTo('chat.postMessage').slice(posted);
    const lesson = app.services.curriculum.tracks[0]?.lessons[0];
    const first = lesson?.questions[0];
    const ids = buttonIds(questionCall as RecordedCall);
    const right = ids[first?.correctIndex ?? 0] as string;
    const wrong = ids.find((id) => id !== right) as string;
    const lessonTs = String(lessonCall?.body.ts ?? (await app.db.drop.findFirstOrThrow()).messageRef);
    const questionTs = (await app.db.postedQuestion.findFirstOrThrow({ where: { position: 0 } })).messageRef ?? '';
    for (const [userId, actionId] of [
      ['U-ANA', right],
      ['U-BIA', wrong],
      ['U-CAU', right],
    ] as const) {
      const click = fake.blockAction({
        actionId,
        userId,
        channelId: 'C-GERAL',
        messageTs: questionTs,
        threadTs: lessonTs,
        blocks: questionCall?.body.blocks as unknown[],
      });
      await fake.sendEnvelope('interactive', click);
      // The click's feedback comes back through its own response_url.
      const clickResponse = String(click.response_url).split('/').pop();
      await eventually(() => fake.responses.some((response) => response.id === clickResponse));
    }
    expect(await app.db.attempt.count()).toBe(3);
    // Bia speaks English and prefers to be anonymous on boards.
    expect(await command('U-BIA', 'visibility anonymous')).toContain('you appear as Anonymous');
    const bia = await app.db.identity.findFirstOrThrow({ where: { externalId: 'U-BIA' } });

    // Five minutes into the next week in São Paulo, two processes tick at once.
    const week = isoWeekOfInstant(now, SP);
    const after = new Date(weekSpan(week, SP).end.getTime() + 5 * 60_000);
    const [a, b] = await Promise.all([one.tick(after), two.tick(after)]);
    expect(a.jobPosts + b.jobPosts).toBe(1);
    await Promise.all([one.tick(new Date(after.getTime() + 60_000)), two.tick(new Date(after.getTime() + 60_000))]);

    const recaps = fake.messagesIn('C-GERAL').filter((message) => message.text.includes('Fim da temporada'));
    expect(recaps).toHaveLength(1);
    const recap = fake.callsTo('chat.postMessage').find((call) => shown(call.body).includes('Fim da temporada'));
    const text = shown(recap?.body ?? {});
    expect(text).toContain(`Fim da temporada ${week} · geral`);
    expect(text).toMatch(/🥇 (Ana|Cau) · \d+ pts/);
    expect(text).toContain(`Anônimo ${anonymousAnimal(bia.memberId)}`);
    expect(text).not.toContain('Bia');
    expect(text).toContain('3 pessoas no ranking');
    expect(text).toContain('2 de 3 acertaram de primeira (67%)');
    expect(recap?.body.metadata).toMatchObject({ event_payload: { key: expect.stringMatching(/^season:/) } });

    // The chart: one PNG shared in #geral, after the recap.
    const files = fake.uploadedFiles().filter((file) => file.filename.startsWith('season-'));
    expect(files).toHaveLength(1);
    const [chart] = files;
    expect(chart).toMatchObject({ filename: `season-geral-${week}.png`, channel: 'C-GERAL' });
    expect(chart?.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(chart?.altText).toContain('acerto de primeira');

    const season = await app.db.season.findFirstOrThrow();
    expect(season).toMatchObject({ week, status: 'posted', tries: 0 });
    expect(season.messageRef).toBe(recaps[0]?.ts);
  });
});
