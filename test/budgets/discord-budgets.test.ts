/**
 * Discord's budgets and edges held at scale, through the real discord.js against the fake Discord with every limit on
 * (test/fakes/discord.ts): a 300-member channel answers a 4-question drop (1,200 clicks) while 20 other channels'
 * drops are due; a crashed claim is taken over after the 30 s nonce window; the quiz thread is archived a day later
 * and the close summary still appears in it; drops cannot be set up in a forum. Zero duplicate posts, every click
 * answered, every count true within 10 s of the last click. docs/platform-budgets.md says what is modelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordRuntime, startDiscord } from '../../src/adapters/discord/discord.adapter.ts';
import { countPrefix } from '../../src/adapters/live-counts.ts';
import { type App, openApp } from '../../src/app.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler, staleClaimMs } from '../../src/scheduler/drop-scheduler.ts';
import { TestClock } from '../fakes/clock.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';
import {
  answerClicks,
  bigQuestions,
  discordButton,
  discordScenario,
  inPool,
  scenarioZone,
  seedScenario,
  discordShown as shown,
  until,
} from '../support/budget-scenario.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { dockerTrack } from '../support/engine.ts';

const scenario = discordScenario();
const { token, guildId, big, forum, others, guilds } = scenario;
const memberCount = scenario.members.length;
const admin = { id: '200000000000000009', username: 'admin' };
const manageGuild = String(1n << 5n);

describe('Discord with its limits on: a 300-member quiz, 20 other drops, a takeover, an archived thread, a forum', () => {
  const clock = new TestClock();
  let fake: FakeDiscord;
  let database: TestDatabase;
  let app: App;
  let discord: DiscordRuntime;

  beforeAll(async () => {
    fake = await startFakeDiscord({
      token,
      clock,
      nonceWindowMs: 30_000,
      guilds,
    });
    database = await createTestDatabase('sqlite');
    app = await openApp({
      database: database.target,
      tracks: dockerTrack(),
      defaults: { locale: 'pt-BR', timeZone: scenarioZone },
      logger: silentLogger(),
    });
    discord = await startDiscord({
      app,
      token,
      apiUrl: fake.apiUrl,
      logger: silentLogger(),
      waitGuildTimeoutMs: 1000,
    });
  });

  afterAll(async () => {
    await discord?.stop();
    await app?.close();
    await fake?.close();
    await database?.drop();
  });

  const scheduler = (owner: string) =>
    new DropScheduler({
      services: app.services,
      notifier: discord.notifier,
      logger: silentLogger(),
      owner,
      platform: 'discord',
    });

  it('GIVEN setup asked in a forum post THEN refused in the member’s language, nothing set up', async () => {
    const post = '130000000000000001';
    for (const [locale, expected] of [
      ['pt-BR', 'canal de fórum'],
      ['en-US', 'forum (or media) channel'],
    ] as const) {
      const interaction = fake.slashCommand({
        guildId,
        channelId: post,
        channelType: 11,
        parentId: forum,
        name: 'trilha-channel',
        user: admin,
        locale,
        permissions: manageGuild,
        options: [
          { name: 'setting', type: 3, value: 'time' },
          { name: 'value', type: 3, value: '09:00' },
        ],
      });
      const [answer] = await fake.waitForResponse(interaction);
      expect(JSON.stringify(answer?.body)).toContain(expected);
    }
    expect(await app.db.channel.count()).toBe(0);
  });

  it('GIVEN 1,200 clicks while 21 drops are posted, a takeover after the nonce window and a thread archived THEN no duplicate, every click answered, counts true, the summary in the thread', async () => {
    const { db } = app;
    await seedScenario(app, { platform: 'discord', workspace: guildId, big, others });

    const ticking = scheduler('first').tick(new Date());
    const questions = await bigQuestions(app, big);
    const thread = questions[0]?.threadRef as string;
    const clicks = answerClicks(questions, memberCount).map((click) => discordButton(scenario, questions, click));
    let answered = 0;
    await inPool(clicks, 40, async (click) => {
      const interaction = fake.button(click);
      const [response] = await fake.waitForResponse(interaction, { timeoutMs: 10_000 });
      if (response) answered += 1;
    });
    expect(answered).toBe(1200);
    const lastClick = Date.now();
    await until(
      async () => {
        for (const question of questions) {
          const truth = await db.attempt.count({ where: { postedQuestionId: question.id } });
          const message = fake.message(question.messageRef as string);
          if (truth !== memberCount || !message || !shown(message).includes(`${countPrefix}${truth}`)) return false;
        }
        return true;
      },
      Math.max(1, 10_000 - (Date.now() - lastClick)),
      'every live count to show the true count',
    );
    expect(await ticking).toMatchObject({ posted: others.length + 1, failed: 0 });
    const postsBefore = new Map([big, ...others].map((id) => [id, fake.messagesIn(id).length]));
    const threadBefore = fake.messagesIn(thread).length;

    // A process died after posting a drop, before recording it; another takes the claim over once it is stale,
    // 2 minutes later: past the nonce window, so only the look-up stands between it and a second post.
    const crashed = await db.drop.findFirstOrThrow({ where: { channel: { externalId: others[0] } } });
    const crashedThread = crashed.threadRef as string;
    const crashedQuestions = fake.messagesIn(crashedThread).length;
    await db.postedQuestion.updateMany({ where: { dropId: crashed.id }, data: { messageRef: null } });
    await db.drop.update({
      where: { id: crashed.id },
      data: {
        status: 'claimed',
        claimedBy: 'dead',
        claimedAt: new Date(Date.now() - staleClaimMs - 60_000),
        messageRef: null,
        threadRef: null,
        postedAt: null,
        closesAt: null,
      },
    });
    clock.advance(staleClaimMs + 30_000);
    expect(await scheduler('second').tick(new Date())).toMatchObject({ posted: 1, failed: 0 });
    const taken = await db.drop.findUniqueOrThrow({ where: { id: crashed.id } });
    expect([taken.status, taken.messageRef]).toEqual(['posted', crashed.messageRef]);
    expect(fake.messagesIn(crashedThread)).toHaveLength(crashedQuestions);
    for (const [id, count] of postsBefore) expect(fake.messagesIn(id)).toHaveLength(count);

    // A day later the quiz thread is archived: a late click is answered and leaves the count alone (no edit can
    // reach an archived thread), and the close summary still appears in the thread (posting unarchives it).
    clock.advance(25 * 3600_000);
    const late = fake.button({
      guildId,
      channelId: thread,
      channelType: 11,
      parentId: big,
      user: admin,
      customId: clicks[0]?.customId as string,
      messageId: clicks[0]?.messageId as string,
    });
    expect(await fake.waitForResponse(late)).toHaveLength(1);
    const closing = await scheduler('next-day').tick(new Date(clock.now()));
    expect(closing.closed).toBeGreaterThanOrEqual(1);
    const summary = fake.messagesIn(thread).slice(threadBefore);
    expect(summary.length).toBeGreaterThanOrEqual(1);
    expect(fake.callsTo('POST', `/channels/${thread}/messages`).length).toBeGreaterThan(4);
    // Not one message twice, anywhere: each drop's lesson and questions exist once.
    for (const id of [big, ...others]) {
      const contents = fake.messagesIn(id).map((m) => JSON.stringify([m.content, m.embeds.map((e) => e.title)]));
      expect(new Set(contents).size).toBe(contents.length);
    }
    expect(fake.rateLimitedBy()).toEqual({});
  }, 150_000);
});
