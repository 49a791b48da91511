/**
 * The budget proofs' scenario (test/support/budget-scenario.ts) measured, on each platform, through the real Bolt or
 * discord.js against the fake with every budget on (docs/platform-budgets.md), the fake in a worker thread
 * (`budget-fake-worker.ts`) so it does not share the bot's event loop: a channel of 300 members gets a drop of 4
 * questions while 20 other channels' drops are due the same minute (one scheduler tick), and every member answers every
 * question (1,200 clicks) once the questions are posted. Discord: nonce window 30 s, threads archiving.
 *
 * The clicks are paced evenly over `windowMs`, member after member, each answering the 4 questions in turn, so every
 * question message is clicked throughout. The issue's 2 minutes are compressed to 30 s (40 clicks a second, 4 times
 * the issue's rate): the budgets the burst meets bind at any rate above one click per question every 3 s (Slack's
 * `chat.update` 40 a minute per workspace for 4 messages wanting 80; Discord's 5 edits per 5 s per thread; Slack's
 * `users.info` for 300 members new to Trilha), and the drop posts (20 s or so, paced by `chat.postMessage`'s
 * workspace bucket on Slack) all fall inside the burst.
 *
 * Measured: each click's feedback latency (sent by the fake → its feedback received by the fake: Slack the click's
 * response_url, Discord the interaction callback), the 429s the fake sent, the time from the last click to every live
 * count showing the true count, and each other channel's drop time (tick → its last message answered by the
 * platform), in this run and in one with the same drops and no burst (`withBurst` false, run after the burst run on a
 * fresh database and fake, so any warm-up favours it: the delay added is an upper bound).
 */
import { performance } from 'node:perf_hooks';
import {
  type BigQuestion,
  bigQuestions,
  discordScenario,
  type ScenarioSize,
  seedScenario,
  slackScenario,
} from '../../../test/support/budget-scenario.ts';
import { startDiscord } from '../../adapters/discord/discord.adapter.ts';
import { startSlack } from '../../adapters/slack/slack.adapter.ts';
import type { App } from '../../app.ts';
import type { Notifier } from '../../core/message.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { DropScheduler, type TickResult } from '../../scheduler/drop-scheduler.ts';
import { quantile } from './answer-load.ts';
import type { BudgetWorkerData, BudgetWorkerReply, BudgetWorkerRequest } from './budget-fake-worker.ts';
import { fakeWorker } from './fake-worker.ts';

export type BudgetPlatform = 'slack' | 'discord';

/** Targets printed beside the figures (a missed target is printed, not failed: only checks fail a run). */
export const budgetTargets = {
  /** Feedback p99: Slack's click → response_url reply; Discord's click → interaction callback. */
  feedbackP99Ms: { slack: 2_000, discord: 100 },
  /** The budget proofs' promise: every live count true within 10 s of the last click. */
  convergenceMs: 10_000,
} as const;

/** One run of the scenario on one platform, with the burst or without. */
export interface BudgetRun {
  readonly platform: BudgetPlatform;
  readonly size: ScenarioSize;
  readonly withBurst: boolean;
  readonly windowMs: number;
  readonly tick: TickResult;
  /** Each other channel's drop: tick → its last message answered by the platform, in ms; undefined if never. */
  readonly otherDropMs: readonly (number | undefined)[];
  /** Other channels whose drop is marked posted in the database. */
  readonly otherDropsPosted: number;
  /** The burst, when there was one. */
  readonly clicks: number;
  readonly latencies: readonly number[];
  readonly unanswered: number;
  readonly feedback: number;
  readonly unacked: number;
  readonly convergenceMs: number | null;
  /** Per question: the answers stored, and the count its message shows at the end. */
  readonly truths: readonly number[];
  readonly shown: readonly (number | null)[];
  readonly stored: number;
  readonly counted: number;
  readonly rateLimited: number;
  readonly rateLimitedBy: Readonly<Record<string, number>>;
  readonly refusedResponses: number;
  readonly ephemeralPosts: number;
}

/** The fake in its worker (src/cli/bench/fake-worker.ts), once it listens. */
async function fakeInWorker(workerData: BudgetWorkerData) {
  const fake = fakeWorker<BudgetWorkerRequest, BudgetWorkerReply>(
    new URL('./budget-fake-worker.ts', import.meta.url),
    workerData,
  );
  return { ...(await fake.next('listening')), ask: fake.ask };
}

/** The notifier, with the time each channel's last post was answered (ms after `since`). */
function timedNotifier(notifier: Notifier, since: () => number) {
  const lastPost = new Map<string, number>();
  const timed: Notifier = {
    post: async (target, message) => {
      const posted = await notifier.post(target, message);
      lastPost.set(target.channelRef, performance.now() - since());
      return posted;
    },
    direct: (userRef, message) => notifier.direct(userRef, message),
  };
  return { timed, lastPost };
}

/**
 * The scenario on `platform` in `app` (a fresh database): seeded, the bot started against the fake, one scheduler
 * tick; with `withBurst`, every member answers every question within `windowMs` once the big channel's are posted.
 */
export async function budgetRun(
  app: App,
  platform: BudgetPlatform,
  size: ScenarioSize,
  withBurst: boolean,
  windowMs: number,
): Promise<BudgetRun> {
  const scenario = platform === 'slack' ? slackScenario(size) : discordScenario(size);
  const fake = await fakeInWorker({ platform, size });
  try {
    await seedScenario(app, { platform, workspace: fake.workspace, big: scenario.big, others: scenario.others });
    const bot =
      platform === 'slack'
        ? await startSlack({
            app,
            botToken: 'xoxb-bench',
            appToken: 'xapp-1-bench',
            apiUrl: fake.apiUrl,
            logger: silentLogger(),
          })
        : await (async () => {
            const ready = fake.ask({ type: 'ready' }, 'ready');
            const discord = await startDiscord({
              app,
              token: discordScenario(size).token,
              apiUrl: fake.apiUrl,
              logger: silentLogger(),
              waitGuildTimeoutMs: 1000,
            });
            await ready;
            return discord;
          })();
    try {
      if (platform === 'slack') await fake.ask({ type: 'ready' }, 'ready');
      let tickStarted = 0;
      const { timed, lastPost } = timedNotifier(bot.notifier, () => tickStarted);
      const scheduler = new DropScheduler({
        services: app.services,
        notifier: timed,
        logger: silentLogger(),
        owner: `bench-budgets-${platform}`,
        platform,
      });
      tickStarted = performance.now();
      const ticking = scheduler.tick(new Date());
      let burst: Extract<BudgetWorkerReply, { type: 'burst' }> | null = null;
      let converged: Extract<BudgetWorkerReply, { type: 'converge' }> | null = null;
      let questions: BigQuestion[] = [];
      let truths: number[] = [];
      if (withBurst) {
        questions = await bigQuestions(app, scenario.big);
        burst = await fake.ask({ type: 'burst', questions, windowMs }, 'burst');
        truths = await Promise.all(
          questions.map((question) => app.db.attempt.count({ where: { postedQuestionId: question.id } })),
        );
        converged = await fake.ask({ type: 'converge', truths, timeoutMs: 60_000 }, 'converge');
      }
      const tick = await ticking;
      const stats = await fake.ask({ type: 'stats' }, 'stats');
      const [otherDropsPosted, stored, totals] = await Promise.all([
        app.db.drop.count({ where: { status: 'posted', channel: { externalId: { in: [...scenario.others] } } } }),
        app.db.attempt.count({ where: { postedQuestionId: { in: questions.map((question) => question.id) } } }),
        app.db.memberStats.aggregate({ _sum: { answered: true } }),
      ]);
      return {
        platform,
        size,
        withBurst,
        windowMs,
        tick,
        otherDropMs: scenario.others.map((id) => lastPost.get(id)),
        otherDropsPosted,
        clicks: burst?.clicks ?? 0,
        latencies: burst?.latencies ?? [],
        unanswered: burst?.unanswered ?? 0,
        feedback: burst?.feedback ?? 0,
        unacked: burst?.unacked ?? 0,
        convergenceMs: converged?.afterLastClickMs ?? null,
        truths,
        shown: converged?.shown ?? [],
        stored,
        counted: totals._sum.answered ?? 0,
        rateLimited: stats.rateLimited,
        rateLimitedBy: stats.rateLimitedBy,
        refusedResponses: stats.refusedResponses,
        ephemeralPosts: stats.ephemeralPosts,
      };
    } finally {
      await bot.stop();
    }
  } finally {
    await fake.ask({ type: 'close' }, 'closed');
  }
}

/**
 * What the bench checks of a pair of runs (with the burst and without): every click stored and counted once, every
 * click with exactly one feedback (on Slack through its response_url), every live count true, every drop posted in both runs, no 429 and no refused
 * response_url. Gives the verdict and the detail for the row.
 */
export function budgetVerdict(burst: BudgetRun, alone: BudgetRun): { ok: boolean; detail: string } {
  const expectedClicks = burst.size.members * burst.truths.length;
  const others = burst.size.others;
  const problems = [
    burst.clicks === expectedClicks && burst.stored === burst.clicks && burst.counted === burst.clicks
      ? ''
      : `${burst.clicks} clicks, ${burst.stored} stored, ${burst.counted} counted`,
    burst.unanswered === 0 && burst.feedback === burst.clicks && burst.unacked === 0 && burst.ephemeralPosts === 0
      ? ''
      : `${burst.unanswered} clicks without feedback, ${burst.feedback} feedback for ${burst.clicks} clicks, ${burst.unacked} not acked, ${burst.ephemeralPosts} through chat.postEphemeral`,
    burst.convergenceMs !== null && burst.truths.every((truth) => truth === burst.size.members)
      ? ''
      : `counts shown ${burst.shown.join('/')} for ${burst.truths.join('/')} answers`,
    ...[burst, alone].map((run) =>
      run.otherDropsPosted === others && run.tick.posted === others + 1 && run.tick.failed === 0
        ? ''
        : `${run.withBurst ? 'with' : 'without'} the burst: ${run.otherDropsPosted} of ${others} other drops posted, tick ${run.tick.posted} posted ${run.tick.failed} failed`,
    ),
    ...[burst, alone].map((run) =>
      run.rateLimited === 0 && run.refusedResponses === 0
        ? ''
        : `${run.withBurst ? 'with' : 'without'} the burst: ${run.rateLimited} 429s ${JSON.stringify(run.rateLimitedBy)}, ${run.refusedResponses} refused response_url`,
    ),
  ].filter(Boolean);
  return {
    ok: problems.length === 0,
    detail:
      problems.join('; ') ||
      `${burst.clicks} clicks stored, counted and answered once; counts ${burst.shown.join('/')}; ${others} + ${others} other drops posted; no 429`,
  };
}

/** `value` against a `limit` it must stay under: `met` or `**missed**`. */
export function targetMark(value: number | null, limit: number): string {
  return value !== null && value < limit ? 'met' : '**missed**';
}

/** p50 and p99 of the burst's feedback latencies; the other drops' times and the delay the burst added to each. */
export function budgetFigures(burst: BudgetRun, alone: BudgetRun) {
  const sorted = [...burst.latencies].sort((a, b) => a - b);
  const delays = burst.otherDropMs
    .map((ms, i) =>
      ms === undefined || alone.otherDropMs[i] === undefined ? undefined : ms - (alone.otherDropMs[i] as number),
    )
    .filter((ms): ms is number => ms !== undefined)
    .sort((a, b) => a - b);
  const last = (run: BudgetRun) => Math.max(0, ...run.otherDropMs.map((ms) => ms ?? 0));
  return {
    feedbackP50: quantile(sorted, 0.5),
    feedbackP99: quantile(sorted, 0.99),
    feedbackMax: sorted.at(-1) ?? 0,
    lastOtherDropMs: last(burst),
    lastOtherDropAloneMs: last(alone),
    delayP50: quantile(delays, 0.5),
    delayMax: delays.at(-1) ?? 0,
  };
}

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const millis = (ms: number) => `${ms.toFixed(1)} ms`;
/** A delay that may come out below zero (noise): signed, and -0.0 shown as +0.0. */
const signed = (ms: number) => `${ms <= -50 ? '−' : '+'}${(Math.abs(ms) / 1000).toFixed(1)} s`;

/** BENCHMARKS.md's section: one row per platform; `check` records each row's verdict (BenchChecks) and gives its cell. */
export function budgetSection(
  pairs: readonly { readonly burst: BudgetRun; readonly alone: BudgetRun }[],
  check: (what: string, ok: boolean, detail: string) => string,
): string[] {
  const size = pairs[0]?.burst.size;
  const window = pairs[0]?.burst.windowMs ?? 0;
  return [
    '## Platform budgets: the 300-member quiz while other channels’ drops are posted',
    '',
    `The budget proofs' scenario (test/support/budget-scenario.ts) through the real Bolt or discord.js against the fake with every budget on (docs/platform-budgets.md; Discord: nonce window 30 s, threads archiving), the fake in a worker thread: ${size?.members ?? 0} members answer all 4 questions of their channel's drop (${(size?.members ?? 0) * 4} clicks, evenly within ${seconds(window)}: the issue's 2 minutes compressed, every question clicked throughout) while ${size?.others ?? 0} other channels' drops, due the same minute, are posted (src/cli/bench/budget-load.ts). Feedback: click sent → the click's response_url reply (Slack) or interaction callback (Discord) received by the fake. 429s: every refusal the fake sent the bot, with and without the burst. Counts true: last click → every live count shows the stored count. Other drops: tick → each one's last message posted, with the burst and in a run of the same drops alone (run after, so warm-up favours it); delay added per drop. Targets: feedback p99 < 2 s on Slack, < 100 ms on Discord; 0 429s; counts true within 10 s.`,
    '',
    '| platform | clicks | within | feedback p50 | feedback p99 (target) | max | 429s | counts true after last click (target < 10 s) | last other drop posted: with burst / alone | delay added p50 / max | check |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...pairs.map(({ burst, alone }) => {
      const f = budgetFigures(burst, alone);
      const target = budgetTargets.feedbackP99Ms[burst.platform];
      const verdict = budgetVerdict(burst, alone);
      return `| ${burst.platform === 'slack' ? 'Slack' : 'Discord'} | ${burst.clicks} | ${seconds(burst.windowMs)} | ${millis(f.feedbackP50)} | ${millis(f.feedbackP99)} (< ${target.toLocaleString('en')} ms: ${targetMark(f.feedbackP99, target)}) | ${millis(f.feedbackMax)} | ${burst.rateLimited + alone.rateLimited} | ${seconds(burst.convergenceMs)} (${targetMark(burst.convergenceMs, budgetTargets.convergenceMs)}) | ${seconds(f.lastOtherDropMs)} / ${seconds(f.lastOtherDropAloneMs)} | ${signed(f.delayP50)} / ${signed(f.delayMax)} | ${check(`${burst.platform} budgets`, verdict.ok, verdict.detail)} |`;
    }),
    '',
  ];
}
