/**
 * Slack's budgets held at scale, through the real @slack/bolt against the fake Slack with every budget on
 * (test/fakes/slack.ts): a 300-member channel gets a drop of 4 questions and all 300 answer every question (1,200
 * clicks) while 20 other channels' drops are due the same minute. Every click gets its feedback (through its own
 * response_url), the bot meets no 429 and no refused response_url, every live count shows the true count within
 * 10 s of the last click, and every other channel's drop is posted. docs/platform-budgets.md says what is modelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackRuntime, startSlack } from '../../src/adapters/slack/slack.adapter.ts';
import { type App, openApp } from '../../src/app.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler } from '../../src/scheduler/drop-scheduler.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.ts';
import {
  answerClicks,
  bigQuestions,
  inPool,
  responseIdOf,
  scenarioZone,
  seedScenario,
  slackClickPayload,
  slackScenario,
  slackShows,
  until,
} from '../support/budget-scenario.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { dockerTrack } from '../support/engine.ts';
import { eventually } from '../support/eventually.ts';

const scenario = slackScenario();
const { big, others, users, channels } = scenario;
const memberCount = scenario.members.length;
const otherChannels = others.length;

describe('Slack with its budgets on: a 300-member quiz and 20 other drops in the same minute', () => {
  let fake: FakeSlack;
  let database: TestDatabase;
  let app: App;
  let slack: SlackRuntime;

  beforeAll(async () => {
    fake = await startFakeSlack({ users, channels });
    database = await createTestDatabase('sqlite');
    app = await openApp({
      database: database.target,
      tracks: dockerTrack(),
      defaults: { locale: 'pt-BR', timeZone: scenarioZone },
      logger: silentLogger(),
    });
    slack = await startSlack({
      app,
      botToken: 'xoxb-test-token',
      appToken: 'xapp-1-test-token',
      apiUrl: fake.apiUrl,
      logger: silentLogger(),
    });
    await fake.socketConnected();
  });

  afterAll(async () => {
    await slack?.stop();
    await app?.close();
    await fake?.close();
    await database?.drop();
  });

  it('GIVEN 1,200 answer clicks while 21 drops are posted THEN every click gets feedback, no 429, every count true within 10 s, every drop posted', async () => {
    const { db, services } = app;
    const track = dockerTrack()[0];
    if (!track) throw new Error('no track');
    await seedScenario(app, { platform: 'slack', workspace: fake.teamId, big, others });
    expect(track.lessons[2]?.questions).toHaveLength(4);

    const scheduler = new DropScheduler({
      services,
      notifier: slack.notifier,
      logger: silentLogger(),
      owner: 'budgets',
    });
    const ticking = scheduler.tick(new Date());

    // The big channel's questions, once posted: their message, the lesson's thread, the buttons' blocks.
    const questions = await bigQuestions(app, big);
    const clicks = answerClicks(questions, memberCount).map((click) => ({
      userId: scenario.members[click.member] as string,
      payload: slackClickPayload(fake, scenario, questions, click),
    }));
    expect(clicks).toHaveLength(1200);

    await inPool(clicks, 40, async ({ payload }) => {
      await fake.sendEnvelope('interactive', payload, { timeoutMs: 10_000 });
    });
    const responseIds = new Set(clicks.map(({ payload }) => responseIdOf(payload)));
    // Every click's feedback arrived through its own response_url, once.
    await eventually(() => fake.responses.filter((response) => responseIds.has(response.id)).length >= 1200, 60_000);
    const lastClickAnswered = Date.now();

    // Every live count shows the true count within 10 s of the last click.
    await until(
      async () => {
        for (const question of questions) {
          const truth = await db.attempt.count({ where: { postedQuestionId: question.id } });
          const message = fake.messagesIn(big).find((m) => m.ts === question.messageRef);
          if (truth !== memberCount || !slackShows(message?.blocks, truth)) {
            return false;
          }
        }
        return true;
      },
      Math.max(1, 10_000 - (Date.now() - lastClickAnswered)),
      'every live count to show the true count',
    );

    // Every other channel's drop is posted; the big one's too.
    const result = await ticking;
    expect(result).toMatchObject({ posted: otherChannels + 1, failed: 0 });
    for (const id of others) {
      const drop = await db.drop.findFirstOrThrow({ where: { channel: { externalId: id } } });
      expect(drop.status).toBe('posted');
      expect(fake.messagesIn(id).length).toBeGreaterThanOrEqual(2);
    }
    // Within budget by design: no 429, no refused response_url, no private reply through the Web API.
    expect(fake.rateLimited()).toBe(0);
    expect(fake.refusedResponses()).toBe(0);
    expect(fake.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(fake.responses.filter((response) => responseIds.has(response.id))).toHaveLength(1200);
    expect(await db.attempt.count()).toBe(1200);
  }, 120_000);
});
