/**
 * Slack's budgets held at scale, through the real @slack/bolt against the fake Slack with every budget on
 * (test/fakes/slack.ts): a 300-member channel gets a drop of 4 questions and all 300 answer every question (1,200
 * clicks) while 20 other channels' drops are due the same minute. Every click gets its feedback (through its own
 * response_url), the bot meets no 429 and no refused response_url, every live count shows the true count within
 * 10 s of the last click, and every other channel's drop is posted. docs/platform-budgets.md says what is modelled.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPrefix } from '../../src/adapters/live-counts.ts';
import { type SlackRuntime, startSlack } from '../../src/adapters/slack/slack.adapter.ts';
import { type App, openApp } from '../../src/app.ts';
import { encodeAction } from '../../src/core/action-id.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler } from '../../src/scheduler/drop-scheduler.ts';
import { type FakeSlack, type FakeSlackUser, startFakeSlack } from '../fakes/slack.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { dockerTrack } from '../support/engine.ts';
import { eventually } from '../support/eventually.ts';
import { createPostedDrop } from '../support/posted-drop.ts';

const memberCount = 300;
const otherChannels = 20;
const big = 'C-BIG';
const zone = 'America/Sao_Paulo';
const members = Array.from({ length: memberCount }, (_, i) => `U${String(i).padStart(4, '0')}`);
const users: Record<string, FakeSlackUser> = Object.fromEntries(
  members.map((id, i) => [id, { name: `membro${i}`, locale: i % 2 === 0 ? 'pt-BR' : 'en-US' }]),
);
const others = Array.from({ length: otherChannels }, (_, i) => `C-${String(i).padStart(2, '0')}`);
const channels = Object.fromEntries([big, ...others].map((id) => [id, { name: id.toLowerCase(), is_member: true }]));

/** Polls an async check every 50 ms until it gives a value; fails after `timeoutMs`. */
async function until<T>(check: () => Promise<T | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `work` on every item, at most `size` at once. */
async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

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
      defaults: { locale: 'pt-BR', timeZone: zone },
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
    const today = DateTime.now().setZone(zone);
    const workspace = await services.stores.members.ensureWorkspace({
      platform: 'slack',
      externalId: fake.teamId,
      name: 'Escola',
      defaultLocale: 'pt-BR',
      timeZone: zone,
    });
    const cohort = await db.cohort.create({
      data: { workspaceId: workspace.id, slug: 'geral', name: 'geral', timeZone: zone },
    });
    for (const id of [big, ...others]) {
      await db.channel.create({
        data: {
          workspaceId: workspace.id,
          externalId: id,
          name: id.toLowerCase(),
          trackId: track.id,
          cohortId: cohort.id,
          dropTime: '00:00',
          weekdays: '1,2,3,4,5,6,7',
          startDate: today.minus({ days: 2 }).toISODate() as string,
        },
      });
    }
    // The big channel had two drops already: today's is the third lesson, the first with 4 questions.
    for (const [back, lesson] of [
      [2, track.lessons[0]],
      [1, track.lessons[1]],
    ] as const) {
      if (!lesson) throw new Error('no lesson');
      const day = today.minus({ days: back });
      await createPostedDrop(app, {
        channelExternalId: big,
        localDate: day.toISODate() as string,
        trackId: track.id,
        lesson,
        postedAt: day.toUTC().toISO() as string,
      });
    }
    await db.drop.updateMany({ data: { status: 'closed' } });
    expect(track.lessons[2]?.questions).toHaveLength(4);

    const scheduler = new DropScheduler({
      services,
      notifier: slack.notifier,
      logger: silentLogger(),
      owner: 'budgets',
    });
    const ticking = scheduler.tick(new Date());

    // The big channel's questions, once posted: their message, the lesson's thread, the buttons' blocks.
    const questions = await until(
      async () => {
        const rows = await db.postedQuestion.findMany({
          where: { drop: { channel: { externalId: big }, status: 'posted' } },
          include: { drop: true },
          orderBy: { position: 'asc' },
        });
        return rows.length === 4 && rows.every((row) => row.messageRef) && rows;
      },
      60_000,
      "the big channel's questions",
    );
    const posted = fake.messagesIn(big);
    const clicks = questions.flatMap((question) => {
      const message = posted.find((m) => m.ts === question.messageRef);
      return members.map((userId, i) => ({
        userId,
        payload: fake.blockAction({
          userId,
          channelId: big,
          actionId: encodeAction({ kind: 'answer', postedQuestionId: question.id, choice: i % 2 }),
          messageTs: question.messageRef as string,
          threadTs: question.drop.threadRef as string,
          blocks: (message?.blocks ?? []) as unknown[],
        }),
      }));
    });
    expect(clicks).toHaveLength(1200);

    await inPool(clicks, 40, async ({ payload }) => {
      await fake.sendEnvelope('interactive', payload, { timeoutMs: 10_000 });
    });
    const responseIds = new Set(clicks.map(({ payload }) => String(payload.response_url).split('/').pop()));
    // Every click's feedback arrived through its own response_url, once.
    await eventually(() => fake.responses.filter((response) => responseIds.has(response.id)).length >= 1200, 60_000);
    const lastClickAnswered = Date.now();

    // Every live count shows the true count within 10 s of the last click.
    await until(
      async () => {
        for (const question of questions) {
          const truth = await db.attempt.count({ where: { postedQuestionId: question.id } });
          const message = fake.messagesIn(big).find((m) => m.ts === question.messageRef);
          if (truth !== memberCount || !JSON.stringify(message?.blocks ?? []).includes(`${countPrefix}${truth}"`)) {
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
