/**
 * The fake Slack or Discord of the budget bench (`budget-load.ts`) in a worker thread, with every budget on: the
 * platform is another machine, so its side of the burst (sending 1,200 clicks, taking the feedback, the drop posts and
 * the live-count edits) must not share the bot's event loop, where it would slow the bot and be slowed by it. Here,
 * on the worker's own clock: each click's time from sent to its feedback received (Slack: the click's response_url
 * posted to; Discord: the interaction callback), and each question message's live count as it changes, read every
 * 10 ms, so the time from the last click to every count true is known once the bot says what true is.
 * Slack's fake records no arrival time for a response_url post: new ones are stamped every 2 ms (the resolution of
 * Slack's feedback figures); Discord's fake stamps each call as it arrives.
 */
import { performance } from 'node:perf_hooks';
import { workerData } from 'node:worker_threads';
import { type FakeDiscord, type SentInteraction, startFakeDiscord } from '../../../test/fakes/discord.ts';
import { type FakeSlack, startFakeSlack } from '../../../test/fakes/slack.ts';
import {
  answerClicks,
  type BigQuestion,
  discordButton,
  discordScenario,
  discordShown,
  responseIdOf,
  type ScenarioClick,
  type ScenarioSize,
  slackClickPayload,
  slackScenario,
} from '../../../test/support/budget-scenario.ts';
import { countPrefix } from '../../adapters/live-counts.ts';
import { benchPort } from './fake-worker.ts';

export interface BudgetWorkerData {
  readonly platform: 'slack' | 'discord';
  readonly size: ScenarioSize;
}

export type BudgetWorkerRequest =
  | { readonly type: 'ready' }
  | { readonly type: 'burst'; readonly questions: readonly BigQuestion[]; readonly windowMs: number }
  | { readonly type: 'converge'; readonly truths: readonly number[]; readonly timeoutMs: number }
  | { readonly type: 'stats' }
  | { readonly type: 'close' };

export type BudgetWorkerReply =
  | { readonly type: 'listening'; readonly apiUrl: string; readonly workspace: string }
  | { readonly type: 'ready' }
  | {
      readonly type: 'burst';
      readonly clicks: number;
      /** Each answered click's time from sent to its first feedback received, in ms. */
      readonly latencies: number[];
      /** Clicks with no feedback within 60 s of the last click. */
      readonly unanswered: number;
      /** Feedback messages received for the clicks (one per click when none is doubled). */
      readonly feedback: number;
      /** Clicks whose envelope was not acknowledged (Slack). */
      readonly unacked: number;
    }
  | {
      readonly type: 'converge';
      /** From the last click sent to the moment every count showed its true value for good; null if never. */
      readonly afterLastClickMs: number | null;
      /** The count each question message shows at the end. */
      readonly shown: (number | null)[];
    }
  | {
      readonly type: 'stats';
      readonly rateLimited: number;
      readonly rateLimitedBy: Record<string, number>;
      /** Slack: response_url posts refused (used up, expired). */
      readonly refusedResponses: number;
      /** Slack: private replies sent through chat.postEphemeral instead of the click's response_url. */
      readonly ephemeralPosts: number;
    }
  | { readonly type: 'closed' };

const { port, reply } = benchPort<BudgetWorkerReply>('budget-fake-worker');
const data = workerData as BudgetWorkerData;
const countPattern = new RegExp(`${countPrefix}(\\d+)`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The platform side: the fake, how to click, what a question message shows. */
interface Side {
  readonly apiUrl: string;
  readonly workspace: string;
  ready(): Promise<void>;
  /** Sends one click; gives back when (worker clock) and what `answeredAt` needs. */
  click(questions: readonly BigQuestion[], click: ScenarioClick): { sentAt: number; handle: unknown };
  /** When the click's first feedback arrived (worker clock), or undefined; `feedbackFor` counts every one. */
  answeredAt(sent: unknown): number | undefined;
  feedbackFor(sent: unknown): number;
  /** Called every 2 ms while a burst runs. */
  poll(): void;
  shown(question: BigQuestion): number | null;
  unacked(): number;
  stats(): Extract<BudgetWorkerReply, { type: 'stats' }>;
  close(): Promise<void>;
}

async function slackSide(): Promise<Side> {
  const scenario = slackScenario(data.size);
  const fake: FakeSlack = await startFakeSlack({ users: scenario.users, channels: scenario.channels });
  /** Arrival time and count of the posts to each response_url. */
  const arrived = new Map<string, { at: number; count: number }>();
  let seen = 0;
  let unacked = 0;
  return {
    apiUrl: fake.apiUrl,
    workspace: fake.teamId,
    ready: () => fake.socketConnected({ timeoutMs: 10_000 }),
    click(questions, click) {
      const payload = slackClickPayload(fake, scenario, questions, click);
      const sentAt = performance.now();
      fake.sendEnvelope('interactive', payload, { timeoutMs: 30_000 }).catch(() => {
        unacked++;
      });
      return { sentAt, handle: responseIdOf(payload) };
    },
    answeredAt: (sent) => arrived.get(sent as string)?.at,
    feedbackFor: (sent) => arrived.get(sent as string)?.count ?? 0,
    poll() {
      const now = performance.now();
      for (; seen < fake.responses.length; seen++) {
        const id = fake.responses[seen]?.id as string;
        const before = arrived.get(id);
        arrived.set(id, { at: before?.at ?? now, count: (before?.count ?? 0) + 1 });
      }
    },
    shown(question) {
      const message = fake.messagesIn(scenario.big).find((m) => m.ts === question.messageRef);
      const match = countPattern.exec(JSON.stringify(message?.blocks ?? []));
      return match ? Number(match[1]) : null;
    },
    unacked: () => unacked,
    stats: () => ({
      type: 'stats',
      rateLimited: fake.rateLimited(),
      rateLimitedBy: fake.rateLimitedBy(),
      refusedResponses: fake.refusedResponses(),
      ephemeralPosts: fake.callsTo('chat.postEphemeral').length,
    }),
    close: () => fake.close(),
  };
}

async function discordSide(): Promise<Side> {
  const scenario = discordScenario(data.size);
  const fake: FakeDiscord = await startFakeDiscord({
    token: scenario.token,
    nonceWindowMs: 30_000,
    guilds: scenario.guilds,
  });
  return {
    apiUrl: fake.apiUrl,
    workspace: scenario.guildId,
    ready: () => fake.ready(10_000),
    click(questions, click) {
      const interaction = fake.button(discordButton(scenario, questions, click));
      return { sentAt: interaction.sentAt, handle: interaction };
    },
    answeredAt: (sent) => fake.responsesTo(sent as SentInteraction)[0]?.at,
    feedbackFor: (sent) => (fake.responsesTo(sent as SentInteraction).length > 0 ? 1 : 0),
    poll() {},
    shown(question) {
      const message = fake.message(question.messageRef);
      const match = message ? countPattern.exec(discordShown(message)) : null;
      return match ? Number(match[1]) : null;
    },
    unacked: () => 0,
    stats: () => ({
      type: 'stats',
      rateLimited: fake.rateLimited(),
      rateLimitedBy: fake.rateLimitedBy(),
      refusedResponses: 0,
      ephemeralPosts: 0,
    }),
    close: () => fake.close(),
  };
}

const side = data.platform === 'slack' ? await slackSide() : await discordSide();
reply({ type: 'listening', apiUrl: side.apiUrl, workspace: side.workspace });

/** The burst's questions, each one's count changes (worker clock), and the last click's time. */
let questions: readonly BigQuestion[] = [];
let changes: { at: number; value: number | null }[][] = [];
let lastClickAt = 0;
let ticks = 0;
let poller: NodeJS.Timeout | null = null;

function poll(): void {
  side.poll();
  if (ticks++ % 5 !== 0) return;
  const now = performance.now();
  questions.forEach((question, q) => {
    const value = side.shown(question);
    const list = changes[q] as { at: number; value: number | null }[];
    if (list.at(-1)?.value !== value) list.push({ at: now, value });
  });
}

port.on('message', async (request: BudgetWorkerRequest) => {
  switch (request.type) {
    case 'ready':
      await side.ready();
      reply({ type: 'ready' });
      return;
    case 'burst': {
      questions = request.questions;
      changes = questions.map(() => []);
      poller = setInterval(poll, 2);
      // Member after member, each answering the questions in order: every question message is clicked throughout.
      const clicks = answerClicks(questions, data.size.members).sort(
        (a, b) => a.member - b.member || a.question - b.question,
      );
      const sent: { sentAt: number; handle: unknown }[] = [];
      const started = performance.now();
      for (let i = 0; i < clicks.length; i++) {
        const wait = started + (i * request.windowMs) / clicks.length - performance.now();
        if (wait > 1) await sleep(wait);
        sent.push(side.click(questions, clicks[i] as ScenarioClick));
      }
      lastClickAt = performance.now();
      const deadline = lastClickAt + 60_000;
      while (sent.some((click) => side.answeredAt(click.handle) === undefined) && performance.now() < deadline) {
        await sleep(50);
      }
      await sleep(200); // a doubled feedback would land right after the first
      side.poll();
      const answered = sent.flatMap((click) => {
        const at = side.answeredAt(click.handle);
        return at === undefined ? [] : [at - click.sentAt];
      });
      reply({
        type: 'burst',
        clicks: clicks.length,
        latencies: answered,
        unanswered: sent.length - answered.length,
        feedback: sent.reduce((sum, click) => sum + side.feedbackFor(click.handle), 0),
        unacked: side.unacked(),
      });
      return;
    }
    case 'converge': {
      const deadline = performance.now() + request.timeoutMs;
      const settled = () => questions.every((_, q) => changes[q]?.at(-1)?.value === request.truths[q]);
      while (!settled() && performance.now() < deadline) await sleep(20);
      if (poller) clearInterval(poller);
      const last = Math.max(...changes.map((list) => list.at(-1)?.at ?? 0));
      reply({
        type: 'converge',
        afterLastClickMs: settled() ? Math.max(0, last - lastClickAt) : null,
        shown: questions.map((question) => side.shown(question)),
      });
      return;
    }
    case 'stats':
      reply(side.stats());
      return;
    case 'close':
      if (poller) clearInterval(poller);
      await side.close();
      reply({ type: 'closed' });
      port.close();
      return;
  }
});
