/**
 * The answer path under load: members answering the questions of one posted drop through the dispatcher (decode the
 * button's action id, resolve the member, grade, record the attempt with its totals, streak, review card and weekly
 * scores, build the feedback), with no platform in front. Two shapes:
 *
 * - closed loop: every member answers their questions one after the other, all members at once (as many answers in
 *   flight as members): the most answers per second the engine sustains; latency there is mostly queueing.
 * - open loop: answers arrive at a fixed rate spread over the members, whether or not earlier ones finished (how
 *   clicks really arrive): the latency a member sees at that rate.
 */
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import type { App } from '../../app.ts';
import { encodeAction } from '../../core/action-id.ts';
import { plainText } from '../../core/message.ts';
import type { Platform } from '../../core/ports/members.port.ts';
import { translator } from '../../i18n/translator.ts';
import type { ActionRequest } from '../../runtime/command.ts';

const failureTexts = (['common.unexpected_error', 'common.database_unavailable'] as const).map((key) =>
  translator('pt-BR').t(key),
);

/** The time zone of the bench's workspace, cohort and channel. */
const benchTimeZone = 'America/Sao_Paulo';

export interface LoadResult {
  readonly answers: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Replies that were not answer feedback (errors), which would make the run invalid. */
  readonly failures: number;
}

export interface AnswerFixture {
  readonly postedQuestionIds: readonly string[];
  readonly request: (member: number, actionId: string, now: Date) => ActionRequest;
  readonly now: Date;
}

/** Where the benchmark's workspace and channel live (the terminal by default; Slack's ids for the Slack run). */
export interface FixturePlace {
  readonly platform: Platform;
  readonly workspace: string;
  readonly channel: string;
  /** The platform user id of member `n` (default `U<n>`, Slack's shape; Discord's are snowflakes). */
  readonly userId?: (member: number) => string;
}

/** A channel with one posted drop of the track's first lesson, and `members` members already known. */
export async function prepareDrop(
  app: App,
  members: number,
  place: FixturePlace = { platform: 'terminal', workspace: 'bench', channel: 'C-BENCH' },
): Promise<AnswerFixture> {
  const { db, services } = app;
  const track = services.curriculum.tracks[0];
  const lesson = track?.lessons[0];
  if (!track || !lesson) throw new Error('no track to benchmark');
  // The run's own clock: the drop is posted now, in the channel's time zone, and open for a day, so every answer
  // (the dispatcher's and the platform clicks, which carry the real clock) lands on an open quiz and is scored.
  const now = new Date();
  const today = DateTime.fromJSDate(now, { zone: benchTimeZone }).toISODate() as string;
  const workspace = await services.stores.members.ensureWorkspace({
    platform: place.platform,
    externalId: place.workspace,
    name: 'Bench',
    defaultLocale: 'pt-BR',
    timeZone: benchTimeZone,
  });
  const cohort = await db.cohort.create({
    data: { workspaceId: workspace.id, slug: 'geral', name: 'geral', timeZone: benchTimeZone },
  });
  const channel = await db.channel.create({
    data: {
      workspaceId: workspace.id,
      externalId: place.channel,
      name: 'geral',
      trackId: track.id,
      cohortId: cohort.id,
      startDate: today,
    },
  });
  const drop = await db.drop.create({
    data: {
      channelId: channel.id,
      localDate: today,
      trackId: track.id,
      lessonId: lesson.id,
      status: 'posted',
      claimedBy: 'bench',
      postedAt: now,
      closesAt: new Date(now.getTime() + 24 * 3_600_000),
      questions: {
        create: lesson.questions.map((question, position) => ({
          trackId: track.id,
          questionId: question.id,
          position,
        })),
      },
    },
    include: { questions: { orderBy: { position: 'asc' } } },
  });
  const userId = place.userId ?? ((member: number) => `U${member}`);
  for (let member = 0; member < members; member++) {
    await services.stores.members.ensureMember(workspace, userId(member), `Member ${member}`);
  }
  return fixtureFor(
    drop.questions.map((question) => question.id),
    now,
    place,
  );
}

/** The fixture of a drop prepared earlier (by `prepareDrop`, maybe in another process): its ids and how to click. */
export function fixtureFor(postedQuestionIds: readonly string[], now: Date, place: FixturePlace): AnswerFixture {
  const userId = place.userId ?? ((member: number) => `U${member}`);
  return {
    postedQuestionIds,
    now,
    request: (member, actionId, at) => ({
      platform: place.platform,
      workspace: { externalId: place.workspace, name: 'Bench' },
      user: { externalId: userId(member), displayName: `Member ${member}`, isAdmin: false },
      channel: { externalId: place.channel, name: 'geral' },
      now: at,
      actionId,
    }),
  };
}

/** The `q` quantile (0 to 1) of latencies already sorted ascending; 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function summarise(latencies: number[], seconds: number, failures: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => quantile(sorted, q);
  return {
    answers: sorted.length,
    seconds,
    perSecond: sorted.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
    failures,
  };
}

/** One member answers one question through the dispatcher; false when the reply was not answer feedback. */
export async function answerOnce(
  app: App,
  fixture: AnswerFixture,
  member: number,
  question: number,
  latencies: number[],
): Promise<boolean> {
  const postedQuestionId = fixture.postedQuestionIds[question] as string;
  const actionId = encodeAction({ kind: 'answer', postedQuestionId, choice: (member + question) % 2 });
  const started = performance.now();
  const replies = await app.dispatcher.action(fixture.request(member, actionId, fixture.now));
  latencies.push(performance.now() - started);
  const text = replies.map((reply) => plainText(reply.message)).join('\n');
  return replies.length > 0 && !failureTexts.some((failure) => text.includes(failure));
}

/** Every member answers every question in turn; all members at once. */
export async function closedLoop(
  app: App,
  fixture: AnswerFixture,
  members: number,
  firstMember = 0,
): Promise<LoadResult & { readonly latencies: readonly number[] }> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: members }, async (_, index) => {
      const member = firstMember + index;
      for (let question = 0; question < fixture.postedQuestionIds.length; question++) {
        if (!(await answerOnce(app, fixture, member, question, latencies))) failures++;
      }
    }),
  );
  return { ...summarise(latencies, (performance.now() - started) / 1000, failures), latencies };
}

/** Each member answers each of `questions` once; the answers arrive at `rate` per second, interleaved over members. */
export async function openLoop(
  app: App,
  fixture: AnswerFixture,
  members: number,
  rate: number,
  questions: readonly number[],
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const total = members * questions.length;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      answerOnce(app, fixture, i % members, questions[Math.floor(i / members)] as number, latencies).then((ok) => {
        if (!ok) failures++;
      }),
    );
  }
  await Promise.all(pending);
  return summarise(latencies, (performance.now() - started) / 1000, failures);
}
