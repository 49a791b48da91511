/**
 * The 300-member budget scenario, shared by the budget proofs (test/budgets/*.test.ts) and the bench
 * (src/cli/bench/budget-load.ts), so both run the same thing: a channel of `members` members gets its third drop (4
 * questions) while `others` other channels' first drops are due the same minute; every member answers every question.
 * Here: who is in it (member and channel ids on each platform, the fakes' options), the database as that morning
 * (workspace, cohort, channels, the big channel's two earlier drops closed), the big channel's questions once posted,
 * the answer clicks, and the count a question message shows. Timelines and assertions stay with each caller.
 */
import { DateTime } from 'luxon';
import { countPrefix } from '../../src/adapters/live-counts.ts';
import type { App } from '../../src/app.ts';
import { encodeAction } from '../../src/core/action-id.ts';
import type { Platform } from '../../src/core/ports/members.port.ts';
import type { FakeDiscordGuild } from '../fakes/discord.ts';
import type { FakeSlack, FakeSlackChannel, FakeSlackUser } from '../fakes/slack.ts';
import { createPostedDrop } from './posted-drop.ts';

export interface ScenarioSize {
  /** Members of the big channel, each answering every question. */
  readonly members: number;
  /** Other channels whose drops are due the same minute. */
  readonly others: number;
}

/** The issue's numbers: 300 members answering 4 questions (1,200 clicks), 20 other channels. */
export const fullScenario: ScenarioSize = { members: 300, others: 20 };
export const scenarioZone = 'America/Sao_Paulo';
/** Questions of the big channel's drop (its third lesson's). */
export const bigQuestionCount = 4;

export interface SlackScenario {
  readonly big: string;
  readonly others: readonly string[];
  readonly members: readonly string[];
  readonly users: Readonly<Record<string, FakeSlackUser>>;
  readonly channels: Readonly<Record<string, FakeSlackChannel>>;
}

export function slackScenario(size: ScenarioSize = fullScenario): SlackScenario {
  const big = 'C-BIG';
  const members = Array.from({ length: size.members }, (_, i) => `U${String(i).padStart(4, '0')}`);
  const others = Array.from({ length: size.others }, (_, i) => `C-${String(i).padStart(2, '0')}`);
  return {
    big,
    others,
    members,
    users: Object.fromEntries(
      members.map((id, i) => [id, { name: `membro${i}`, locale: i % 2 === 0 ? 'pt-BR' : 'en-US' }]),
    ),
    channels: Object.fromEntries([big, ...others].map((id) => [id, { name: id.toLowerCase(), is_member: true }])),
  };
}

export interface DiscordScenario {
  readonly token: string;
  readonly guildId: string;
  readonly big: string;
  /** A forum channel, where drops cannot be set up. */
  readonly forum: string;
  readonly others: readonly string[];
  readonly members: readonly { readonly id: string; readonly username: string }[];
  readonly guilds: readonly FakeDiscordGuild[];
}

export function discordScenario(size: ScenarioSize = fullScenario): DiscordScenario {
  const guildId = '100000000000000001';
  const big = '110000000000000001';
  const forum = '110000000000000002';
  const others = Array.from({ length: size.others }, (_, i) => String(120000000000000000n + BigInt(i)));
  return {
    token: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcRt.discord-budget-token',
    guildId,
    big,
    forum,
    others,
    members: Array.from({ length: size.members }, (_, i) => ({
      id: String(300000000000000000n + BigInt(i)),
      username: `membro${i}`,
    })),
    guilds: [
      {
        id: guildId,
        name: 'Escola',
        channels: [
          { id: big, name: 'geral' },
          { id: forum, name: 'duvidas', type: 15 },
          ...others.map((id, i) => ({ id, name: `turma-${i}` })),
        ],
      },
    ],
  };
}

/**
 * The database as that morning: the workspace, one cohort, the big channel and the others on the first track, every
 * day at 00:00 from two days ago; the big channel had two drops already (closed), so today's is its third lesson, the
 * first with 4 questions, and the others' is their first.
 */
export async function seedScenario(
  app: App,
  input: { platform: Platform; workspace: string; big: string; others: readonly string[] },
): Promise<void> {
  const { db, services } = app;
  const track = services.curriculum.tracks[0];
  if (!track) throw new Error('no track');
  if (track.lessons[2]?.questions.length !== bigQuestionCount) {
    throw new Error(`the first track's third lesson must have ${bigQuestionCount} questions`);
  }
  const today = DateTime.now().setZone(scenarioZone);
  const workspace = await services.stores.members.ensureWorkspace({
    platform: input.platform,
    externalId: input.workspace,
    name: 'Escola',
    defaultLocale: 'pt-BR',
    timeZone: scenarioZone,
  });
  const cohort = await db.cohort.create({
    data: { workspaceId: workspace.id, slug: 'geral', name: 'geral', timeZone: scenarioZone },
  });
  for (const id of [input.big, ...input.others]) {
    await db.channel.create({
      data: {
        workspaceId: workspace.id,
        externalId: id,
        name: input.platform === 'slack' ? id.toLowerCase() : id,
        trackId: track.id,
        cohortId: cohort.id,
        dropTime: '00:00',
        weekdays: '1,2,3,4,5,6,7',
        startDate: today.minus({ days: 2 }).toISODate() as string,
      },
    });
  }
  for (const [back, lesson] of [
    [2, track.lessons[0]],
    [1, track.lessons[1]],
  ] as const) {
    if (!lesson) throw new Error('no lesson');
    const day = today.minus({ days: back });
    await createPostedDrop(app, {
      channelExternalId: input.big,
      localDate: day.toISODate() as string,
      trackId: track.id,
      lesson,
      postedAt: day.toUTC().toISO() as string,
    });
  }
  await db.drop.updateMany({ data: { status: 'closed' } });
}

/** A posted question of the big channel's drop: its id, its message and the drop's thread. */
export interface BigQuestion {
  readonly id: string;
  readonly messageRef: string;
  readonly threadRef: string;
}

/** The big channel's questions, once the scheduler has posted every one of them. */
export function bigQuestions(app: App, big: string, timeoutMs = 60_000): Promise<BigQuestion[]> {
  return until(
    async () => {
      const rows = await app.db.postedQuestion.findMany({
        where: { drop: { channel: { externalId: big }, status: 'posted' } },
        include: { drop: true },
        orderBy: { position: 'asc' },
      });
      return (
        rows.length === bigQuestionCount &&
        rows.every((row) => row.messageRef && row.drop.threadRef) &&
        rows.map((row) => ({
          id: row.id,
          messageRef: row.messageRef as string,
          threadRef: row.drop.threadRef as string,
        }))
      );
    },
    timeoutMs,
    "the big channel's questions",
  );
}

/** One member's click on one answer button; `member` and `question` are indexes, for callers that pace the clicks. */
export interface ScenarioClick {
  readonly member: number;
  readonly question: number;
  readonly customId: string;
}

/** Every member answering every question (member `i` picks choice `i % 2`), question after question. */
export function answerClicks(questions: readonly BigQuestion[], members: number): ScenarioClick[] {
  return questions.flatMap((question, q) =>
    Array.from({ length: members }, (_, i) => ({
      member: i,
      question: q,
      customId: encodeAction({ kind: 'answer', postedQuestionId: question.id, choice: i % 2 }),
    })),
  );
}

/** A click as the fake Slack sends it: a `block_actions` on the question message, in the drop's thread. */
export function slackClickPayload(
  fake: FakeSlack,
  scenario: SlackScenario,
  questions: readonly BigQuestion[],
  click: ScenarioClick,
): Record<string, unknown> {
  const question = questions[click.question] as BigQuestion;
  const message = fake.messagesIn(scenario.big).find((m) => m.ts === question.messageRef);
  return fake.blockAction({
    userId: scenario.members[click.member] as string,
    channelId: scenario.big,
    actionId: click.customId,
    messageTs: question.messageRef,
    threadTs: question.threadRef,
    blocks: (message?.blocks ?? []) as unknown[],
  });
}

/** The response_url id a Slack click payload carries (what `fake.responses` records it under). */
export function responseIdOf(payload: Record<string, unknown>): string {
  return String(payload.response_url).split('/').pop() as string;
}

/** A click as the fake Discord sends it (`fake.button`'s input): in the drop's thread, under the big channel. */
export function discordButton(scenario: DiscordScenario, questions: readonly BigQuestion[], click: ScenarioClick) {
  const question = questions[click.question] as BigQuestion;
  return {
    guildId: scenario.guildId,
    channelId: question.threadRef,
    channelType: 11 as const,
    parentId: scenario.big,
    user: scenario.members[click.member] as { id: string; username: string },
    customId: click.customId,
    messageId: question.messageRef,
  };
}

/** Everything a Discord message shows (content, embed texts and footers), to read a count off it. */
export function discordShown(message: {
  content: string;
  embeds: { description?: string; footer?: { text: string } }[];
}): string {
  return [message.content, ...message.embeds.flatMap((e) => [e.description ?? '', e.footer?.text ?? ''])].join('\n');
}

/** Whether a Slack message's blocks show the live count `count`. */
export function slackShows(blocks: unknown, count: number): boolean {
  return JSON.stringify(blocks ?? []).includes(`${countPrefix}${count}"`);
}

/** Polls an async check every 50 ms until it gives a value; fails after `timeoutMs`. */
export async function until<T>(
  check: () => Promise<T | false> | T | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `work` on every item, at most `size` at once. */
export async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
