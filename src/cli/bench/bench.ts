/**
 * `npm run bench`: measures what the issues name as speed targets and writes BENCHMARKS.md with the machine and the
 * date. Tests never assert timings; this is where they are measured.
 *
 * - content: loading and validating every track under content/ (YAML parse, zod, cross-file rules), cold and warm.
 * - migrations: applying every migration to a new SQLite file (what the first `npm start` does).
 * - answers: 1,000 members answering a drop's quiz through the dispatcher, on SQLite and PostgreSQL
 *   (`answer-load.ts`): answers per second, p50/p99 latency, beside the driver's ceiling (`ceiling.ts`).
 * - leaderboard: top 10 and the caller's rank in a cohort of 10,000 members with 1,000,000 attempts
 *   (`leaderboard-seed.ts`), week and all time. Target: < 20 ms.
 *
 * PostgreSQL: BENCH_POSTGRES_URL or TEST_POSTGRES_URL (a server where databases can be created), else a throwaway
 * server from the local binaries with fsync on; skipped with a note when there is none.
 * `npm run bench -- --quick` runs smaller sizes (for trying the harness, not for the record).
 * `npm run bench -- --only=a,b` runs only those sections (answers, answers-sqlite, answers-postgresql, leaderboard,
 * reports, clicks, fan-out, budgets; the start-up rows, a few seconds, always) and prints them without writing
 * BENCHMARKS.md.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import type { App } from '../../app.ts';
import { loadTracks } from '../../content/load-tracks.ts';
import { trackStats } from '../../content/track-stats.ts';
import { rescoreChunk, vacuumAfter } from '../../db/board-standings.ts';
import type { DatabaseTarget } from '../../db/database-url.ts';
import { migrateDatabase } from '../../db/migrations.ts';
import { boardYardsticks } from '../../db/ranking-sql.ts';
import type { DatabaseKind } from '../../db/schema-files.ts';
import type { PrismaSocialStore } from '../../db/social.repo.ts';
import { startLocalPostgres } from '../local-postgres.ts';
import { closedLoop, type LoadResult, openLoop, prepareDrop } from './answer-load.ts';
import { freshDatabase, openBenchApp } from './bench-database.ts';
import { type BudgetRun, budgetRun, budgetSection } from './budget-load.ts';
import { postgresCeiling, sqliteCeiling } from './ceiling.ts';
import { BenchChecks } from './checks.ts';
import { type DiscordLoadResult, discordClicks } from './discord-load.ts';
import { discordFanOut, type FanOutResult, slackFanOut } from './fan-out.ts';
import { postBenchDrop, seedLeaderboard } from './leaderboard-seed.ts';
import { type ProfileSummary, profileOf } from './profile.ts';
import { type ReplicaResult, replicaAnswers } from './replica-load.ts';
import { type ReportLoadRun, reportUnderLoad } from './report-load.ts';
import { type SlackLoadResult, slackClicks } from './slack-load.ts';

interface Result {
  name: string;
  runs: number;
  median: number;
  min: number;
  max: number;
  note: string;
}

async function measure(
  name: string,
  runs: number,
  note: string,
  fn: () => unknown | Promise<unknown>,
): Promise<Result> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    name,
    runs,
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
    note,
  };
}

/** `--only=a,b`: the sections to measure (all when absent); nothing is written to BENCHMARKS.md then. */
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const runs = (section: string) => only === undefined || only.split(',').includes(section);
const contentDir = resolve(process.env.TRILHA_CONTENT_DIR ?? 'content');
const first = performance.now();
const loaded = loadTracks(contentDir);
const cold = performance.now() - first;
if (loaded.problems.length > 0) {
  console.error('content has problems; run npm run content:check');
  process.exit(1);
}
const summary = loaded.tracks
  .map((track) => {
    const stats = trackStats(track);
    return `${track.id}: ${stats.lessons} lessons, ${stats.questions} questions`;
  })
  .join('; ');

const results: Result[] = [
  {
    name: 'content: load and validate every track (first run in the process)',
    runs: 1,
    median: cold,
    min: cold,
    max: cold,
    note: summary,
  },
  await measure('content: load and validate every track (warm)', 20, summary, () => loadTracks(contentDir)),
  await measure('database: apply every migration to a new SQLite file', 5, 'WebAssembly schema engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trilha-bench-'));
    try {
      const filePath = join(dir, 'bench.db');
      await migrateDatabase({ kind: 'sqlite', url: `file:${filePath}`, filePath });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }),
];

const quick = process.argv.includes('--quick');
/** The machine's load when the run starts and ends: other work on the machine shows here, not in the figures. */
const loadAtStart = loadavg();
const answerMembers = quick ? 100 : 1_000;
const boardMembers = quick ? 1_000 : 10_000;
const boardAttempts = quick ? 100_000 : 1_000_000;
/** The open loop's arrival rate per database (issue 18's targets on a 2-core machine). */
const openRates = { sqlite: 4_000, postgresql: 2_000 } as const;
const slackMembers = quick ? 100 : 500;
const discordMembers = quick ? 100 : 500;
const fanOutChannels = quick ? 100 : 1_000;
/**
 * Slack's fan-out stays in one workspace (a bot token is one workspace), where every drop shares the workspace's
 * chat.postMessage pace (src/adapters/slack/budget.ts, 240 a minute): 1,000 channels there take messages ÷ 240
 * minutes by design (995 s measured on 2026-12-07), a figure of the budget and not of Trilha. 100 channels show the
 * pace in under two minutes.
 */
const slackFanOutChannels = quick ? 20 : 100;
const firstContactMembers = quick ? 100 : 1_000;

async function withApp<T>(
  kind: DatabaseKind,
  body: (app: App, target: DatabaseTarget) => Promise<T>,
): Promise<T | null> {
  const database = await freshDatabase(kind, postgresServer);
  if (!database) return null;
  const app = await openBenchApp(database.target, loaded.tracks);
  try {
    return await body(app, database.target);
  } finally {
    await app.close();
    await database.drop();
  }
}

const checks = new BenchChecks();

/** Checks that every answer of a run was stored exactly once and counted once in the totals; the row's check cell. */
async function verified(app: App, what: string, result: LoadResult): Promise<LoadResult & { check: string }> {
  const [attempts, totals] = await Promise.all([
    app.db.attempt.count(),
    app.db.memberStats.aggregate({ _sum: { answered: true } }),
  ]);
  const counted = totals._sum.answered ?? 0;
  const check = checks.check(
    what,
    result.failures === 0 && attempts === result.answers && counted === result.answers,
    `${result.answers} answers, ${result.failures} failed, ${attempts} attempts stored, ${counted} counted`,
  );
  return { ...result, check };
}

/**
 * The leaderboard rows: reads of a seeded 10,000-member cohort, and the first read after a drop is posted, timed from
 * the moment the post returned (the drop stored, the boards' background rescoring started, as the scheduler does).
 */
async function leaderboard(kind: DatabaseKind): Promise<void> {
  await withApp(kind, async (app) => {
    const seedStarted = performance.now();
    const seed = await seedLeaderboard(app.db, kind, boardMembers, boardAttempts);
    const seedSeconds = ((performance.now() - seedStarted) / 1000).toFixed(0);
    const social = app.services.stores.social as PrismaSocialStore;
    // Every stored score computed once (the seed leaves them to compute), as on a running bot.
    await postBenchDrop(app.db, social, seed, seed.monday);
    await social.boardsSettled();
    for (const period of ['week', 'all'] as const) {
      const query = { ...seed, period, limit: 10 };
      for (let warm = 0; warm < 5; warm++) await social.leaderboard(query);
      const board = await social.leaderboard(query);
      boardRows.push(
        await measure(
          `leaderboard (${kind}): top 10 and own rank, ${period === 'week' ? 'this week' : 'all time'}`,
          50,
          `${boardMembers.toLocaleString('en')} members, ${boardAttempts.toLocaleString('en')} attempts (seeded in ${seedSeconds} s); caller ranked ${board.me?.rank ?? '—'} of ${board.total}`,
          () => social.leaderboard(query),
        ),
      );
      // A drop moves the period's yardsticks: every row of the board is stale. Timed: the first board read once the
      // post returned (its rescoring running in the background), and the background rescoring until done.
      // Interleaved with the same drop handled as before: the reader rescoring every stale row itself (and vacuuming
      // on PostgreSQL), then reading the board from its index.
      const reads: number[] = [];
      const rescorings: number[] = [];
      const before: number[] = [];
      let during = 0;
      const scope = { cohortId: seed.cohortId, period, week: seed.week };
      for (let run = 0; run < 12; run++) {
        // This week's drops on its days after the seed's first; all time, drops of the week before (whose board is
        // then rescored first, so the all-time board is still stale when read). Two channels: two drops a day.
        const offset = period === 'week' ? 1 + (run >> 1) : -7 + (run >> 1);
        const channelId = run % 2 === 0 ? seed.channelId : seed.otherChannelId;
        const localDate = DateTime.fromISO(seed.monday).plus({ days: offset }).toISODate() as string;
        if (run % 2 === 0) {
          await postBenchDrop(app.db, social, { ...seed, channelId }, localDate);
          const posted = performance.now();
          await social.leaderboard(query);
          reads.push(performance.now() - posted);
          if (social.rescorer.busy) during++;
          await social.boardsSettled();
          rescorings.push(performance.now() - posted);
        } else {
          await postBenchDrop(app.db, { boardsMoved: () => {} }, { ...seed, channelId }, localDate);
          const posted = performance.now();
          const yardsticks = await boardYardsticks(app.db, scope);
          const { scored } = await rescoreChunk(app.db, kind, scope, yardsticks, { max: 1e9, now: new Date() });
          await vacuumAfter(app.db, kind, scored, scope);
          await social.leaderboard(query);
          before.push(performance.now() - posted);
          // The other boards this drop moved, settled before the next run.
          social.boardsMoved(seed.cohortId, localDate);
          await social.boardsSettled();
        }
      }
      const row = (name: string, times: number[], note: string): Result => {
        const sorted = [...times].sort((a, b) => a - b);
        return {
          name,
          runs: sorted.length,
          median: sorted[Math.floor(sorted.length / 2)] ?? 0,
          min: sorted[0] ?? 0,
          max: sorted.at(-1) ?? 0,
          note,
        };
      };
      const label = period === 'week' ? 'this week' : 'all time';
      boardRows.push(
        row(
          `leaderboard (${kind}): first read after a drop is posted, ${label}`,
          reads,
          `from the post's return to the board; the background rescoring was still running at the read's end in ${during} of ${reads.length} runs (the read then computes the stale rows' scores itself)`,
        ),
        row(
          `leaderboard (${kind}): first read after a drop is posted, ${label}, as before (the reader rescores)`,
          before,
          'interleaved with the row above: the first reader rescores every stale row of the board (one statement, then VACUUM on PostgreSQL when 1,000 rows or more), then reads it from its index',
        ),
        row(
          `leaderboard (${kind}): a drop's background rescoring, ${label} board`,
          rescorings,
          `from the post's return until every board the drop moved (that week's, then all time) is rescored (chunks of 500 rows${kind === 'postgresql' ? ', then VACUUM' : ''}): what the first reader paid before`,
        ),
      );
    }
  });
}

/**
 * SQLite: answers at a steady rate alone, then with a 10,000-member cohort's report and member export running
 * meanwhile, interleaved (alone, with, alone, with), each run on a fresh drop (report-load.ts).
 */
async function reportsUnderLoad(): Promise<void> {
  await withApp('sqlite', async (app) => {
    const seed = await seedLeaderboard(app.db, 'sqlite', boardMembers, boardAttempts);
    const cohort = await app.db.cohort.findUniqueOrThrow({ where: { id: seed.cohortId } });
    // One unrecorded run warms the answer path and the report's code.
    await reportUnderLoad(app, {
      workspace: 'bench',
      cohortSlug: cohort.slug,
      run: 0,
      members: 100,
      rate: reportRate,
      withReport: true,
    });
    // The paged report and export with no answers: the blocks that are the report's own.
    reportRuns.push(
      await reportUnderLoad(app, {
        workspace: 'bench',
        cohortSlug: cohort.slug,
        run: 7,
        members: 0,
        rate: reportRate,
        withReport: true,
      }),
    );
    // Interleaved: alone, with the paged report, with the report in one statement per figure (as before paging).
    for (let run = 1; run <= 6; run++) {
      reportRuns.push(
        await reportUnderLoad(app, {
          workspace: 'bench',
          cohortSlug: cohort.slug,
          run,
          members: reportAnswerMembers,
          rate: reportRate,
          withReport: run % 3 !== 1,
          paged: run % 3 !== 0,
        }),
      );
    }
  });
}

/** The sections that need a PostgreSQL server. */
const usesPostgres = runs('answers') || runs('answers-postgresql') || runs('leaderboard');
const localPostgres =
  !usesPostgres || process.env.BENCH_POSTGRES_URL || process.env.TEST_POSTGRES_URL
    ? null
    : await startLocalPostgres({ durable: true });
const postgresServer = process.env.BENCH_POSTGRES_URL || process.env.TEST_POSTGRES_URL || localPostgres?.url || null;

interface AnswerRow {
  kind: DatabaseKind;
  shape: string;
  result: LoadResult & { check: string };
}
const answerRows: AnswerRow[] = [];
/** Answers per second of each database's ceiling run, for the share column. */
const ceilings = new Map<DatabaseKind, number>();
const boardRows: Result[] = [];
const reportRuns: ReportLoadRun[] = [];
/** Answers per second while a report runs (SQLite), members answering, and the report cohort's members. */
const reportRate = 500;
const reportAnswerMembers = quick ? 300 : 1_000;
let slackRun: SlackLoadResult | null = null;
let discordRun: DiscordLoadResult | null = null;
let slackFirst: SlackLoadResult | null = null;
let discordFirst: DiscordLoadResult | null = null;
const fanOutRuns: FanOutResult[] = [];
const replicaRuns: ReplicaResult[] = [];
const skipped: string[] = [];
const budgetRuns: { burst: BudgetRun; alone: BudgetRun }[] = [];
let profile: ProfileSummary | null = null;
try {
  for (const kind of ['sqlite', 'postgresql'] as const) {
    if (!runs('answers') && !runs(`answers-${kind}`)) {
      if (runs('leaderboard')) await leaderboard(kind);
      continue;
    }
    // A running bot is warm: its code compiled by the JIT, its database driver loaded. Each database's runs start
    // after one unrecorded run of the same size on a throwaway database of the same kind, so the figures are a warm
    // process's (after a run of 300 members, the next run of 1,000 still went a quarter slower than the one after
    // it: src/cli/bench/answer-cost.ts, 2026-12-08).
    await withApp(kind, async (app) => {
      const fixture = await prepareDrop(app, answerMembers);
      await closedLoop(app, fixture, answerMembers);
    });
    const closed = await withApp(kind, async (app) => {
      const fixture = await prepareDrop(app, answerMembers);
      return verified(app, `${kind} closed loop`, await closedLoop(app, fixture, answerMembers));
    });
    if (!closed) {
      skipped.push(`${kind}: no server (set BENCH_POSTGRES_URL, or install PostgreSQL)`);
      continue;
    }
    answerRows.push({
      kind,
      shape: `closed loop: ${answerMembers} members at once, each answering every question`,
      result: closed,
    });
    // The same rows written with the driver directly, batched the same way: what the hardware gives (ceiling.ts),
    // warmed up as the answer path is, by one unrecorded run.
    await withApp(kind, async (app, target) => {
      await prepareDrop(app, answerMembers);
      await (kind === 'sqlite' ? sqliteCeiling(target) : postgresCeiling(target));
    });
    const ceiling = await withApp(kind, async (app, target) => {
      await prepareDrop(app, answerMembers);
      const run = await (kind === 'sqlite' ? sqliteCeiling(target) : postgresCeiling(target));
      const check = checks.check(
        `${kind} ceiling`,
        run.failures === 0 && run.stored === run.answers,
        `${run.answers} answers, ${run.failures} failed, ${run.stored} stored`,
      );
      return { ...run, check };
    });
    if (ceiling) {
      ceilings.set(kind, ceiling.perSecond);
      answerRows.push({
        kind,
        shape: `ceiling: the same rows and batches written with the driver directly (${kind === 'sqlite' ? 'better-sqlite3' : 'pg'}), closed loop`,
        result: ceiling,
      });
    }
    const open = await withApp(kind, async (app) => {
      const fixture = await prepareDrop(app, answerMembers);
      const questions = fixture.postedQuestionIds.map((_, i) => i);
      return verified(
        app,
        `${kind} open loop`,
        await openLoop(app, fixture, answerMembers, openRates[kind], questions),
      );
    });
    if (kind === 'sqlite') {
      // Where each answer's time goes: the closed loop again, under the CPU profiler (profile.ts).
      profile = await withApp(kind, async (app) => {
        const fixture = await prepareDrop(app, answerMembers);
        return profileOf('answers-sqlite', () => closedLoop(app, fixture, answerMembers));
      });
    }
    if (open) {
      answerRows.push({
        kind,
        shape: `open loop: answers arriving at ${openRates[kind]}/s from ${answerMembers} members`,
        result: open,
      });
    }
    if (kind === 'postgresql') {
      // One, two and three replicas on one PostgreSQL, each a process of its own with its share of the members.
      for (const replicas of [1, 2, 3]) {
        const run = await withApp(kind, (app, target) =>
          replicaAnswers(app, target.url, contentDir, replicas, answerMembers),
        );
        if (run) replicaRuns.push(run);
      }
    }
    if (runs('leaderboard')) await leaderboard(kind);
  }
  if (runs('reports')) await reportsUnderLoad();
  if (runs('clicks')) {
    // Slack: a warm-up run first (Bolt, the socket and the fake compiled and connected once), then the recorded one.
    await withApp('sqlite', (app) => slackClicks(app, 50, 200));
    slackRun = await withApp('sqlite', (app) => slackClicks(app, slackMembers, 1_000));
    // Discord likewise: discord.js, the gateway and the fake warmed up by one run first.
    await withApp('sqlite', (app) => discordClicks(app, 50, 200));
    discordRun = await withApp('sqlite', (app) => discordClicks(app, discordMembers, 1_000));
    // First contact: every clicking account new to Trilha, as on the first drop in a big workspace or server.
    slackFirst = await withApp('sqlite', (app) => slackClicks(app, firstContactMembers, 1_000, false));
    discordFirst = await withApp('sqlite', (app) => discordClicks(app, firstContactMembers, 1_000, false));
  }
  for (const [fanOut, channels] of runs('fan-out')
    ? ([
        [slackFanOut, slackFanOutChannels],
        [discordFanOut, fanOutChannels],
      ] as const)
    : []) {
    const run = await withApp('sqlite', (app) => fanOut(app, channels));
    if (run) fanOutRuns.push(run);
  }
  // Platform budgets: the budget proofs' scenario on each platform, with the answer burst, then the same drops alone
  // (budget-load.ts). Quick: 100 members, 5 other channels, 10 s.
  if (runs('budgets')) {
    const size = quick ? { members: 100, others: 5 } : { members: 300, others: 20 };
    const windowMs = quick ? 10_000 : 30_000;
    for (const platform of ['slack', 'discord'] as const) {
      const burst = await withApp('sqlite', (app) => budgetRun(app, platform, size, true, windowMs));
      const alone = await withApp('sqlite', (app) => budgetRun(app, platform, size, false, windowMs));
      if (burst && alone) budgetRuns.push({ burst, alone });
    }
  }
} finally {
  localPostgres?.stop();
}

/**
 * A click run is right when every click was stored once, counted once and got its feedback; with `memberRows`, also
 * when each clicking account has exactly one member row (first contact).
 */
function clickCheck(
  what: string,
  run: { readonly clicks: number; readonly stored: number; readonly counted: number; readonly unacked?: number },
  answered: number,
  memberRows?: number,
): string {
  const members = memberRows === undefined ? '' : `, ${memberRows} member rows`;
  const unacked = run.unacked ? `, ${run.unacked} never acknowledged` : '';
  return checks.check(
    what,
    run.stored === run.clicks &&
      run.counted === run.clicks &&
      answered === run.clicks &&
      !run.unacked &&
      (memberRows === undefined || memberRows === run.clicks),
    `${run.clicks} clicks, ${run.stored} stored, ${run.counted} counted, ${answered} answered${members}${unacked}`,
  );
}

const cpu = cpus();
const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform} ${process.arch}, Node.js ${process.version}`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const timeRow = (r: Result) => `| ${r.name} | ${r.runs} | ${ms(r.median)} | ${ms(r.min)} | ${ms(r.max)} | ${r.note} |`;
const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench`; numbers are wall-clock times on the machine below. Tests never assert timings.',
  '',
  `- Date: ${new Date().toISOString().slice(0, 10)}`,
  `- Machine: ${machine}`,
  `- Load average (1, 5, 15 min) at start: ${loadAtStart.map((x) => x.toFixed(2)).join(', ')}; at end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')}`,
  ...(quick ? ['- Quick run (`--quick`): smaller sizes than the targets name; not for the record.'] : []),
  ...(only ? [`- Only: ${only}`] : []),
  '',
  '## Start-up',
  '',
  '| what | runs | median | min | max | notes |',
  '| --- | --- | --- | --- | --- | --- |',
  ...results.map(timeRow),
  '',
  '## Answer path (dispatcher → grading → one transaction → feedback; no platform)',
  '',
  'Targets (2 cores): SQLite at least 5,000 answers/s closed loop, p99 under 50 ms at 4,000/s open loop, at least 25 % of its ceiling; PostgreSQL at least 3,000 answers/s closed loop, p99 under 100 ms at 2,000/s open loop. Every run is checked afterwards: each answer stored once and counted once. Each database, and each ceiling, is warmed up first by one unrecorded run of the same size. The ceiling row writes the rows one answer writes (attempt, stats, weekly score, cohort standing, review card, lesson progress) with the driver directly, in the same tables and indexes and batched the same way (src/cli/bench/ceiling.ts); "of ceiling" is the answers/s of each row as a share of it.',
  '',
  '| database | load | answers | answers/s | of ceiling | p50 | p99 | max | check |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...answerRows.map(({ kind, shape, result: r }) => {
    const ceiling = ceilings.get(kind);
    const share = ceiling ? `${((100 * r.perSecond) / ceiling).toFixed(0)} %` : '—';
    return `| ${kind} | ${shape} | ${r.answers} | ${r.perSecond.toFixed(0)} | ${share} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.check} |`;
  }),
  '',
  "## Where an answer's time goes (SQLite, CPU profile)",
  '',
  `The SQLite closed loop again (${answerMembers} members × every question) under V8's sampling CPU profiler (the one \`node --cpu-prof\` uses, run around the loop only; src/cli/bench/profile.ts): self time per layer, each with its three functions with the most self time. A native frame counts for the layer that called it; "SQLite (native)" is native code entered from the driver.`,
  '',
  '| layer | self time | share | top functions |',
  '| --- | --- | --- | --- |',
  ...(profile
    ? profile.layers.map(
        (row) =>
          `| ${row.layer} | ${ms(row.selfMs)} | ${(100 * row.share).toFixed(1)} % | ${row.top.join('; ').replaceAll('|', '\\|')} |`,
      )
    : []),
  '',
  '## Answer path on PostgreSQL with several replicas',
  '',
  `Each replica is a process of its own (the engine, its dispatcher and its connection pool), warmed up on a drop of its own, on the same PostgreSQL; ${answerMembers} members split between them answer every question of one drop at the same moment (closed loop). answers/s = all answers over the time from the start signal to the last replica done; latencies of every answer of every replica. Checked: each answer stored once. CPU per answer: the replicas' own CPU time (all their threads) and the server's (the PostgreSQL backends of the bench database, from /proc), over the answers; cores busy = both over the run's wall time (${cpus().length} cores here). 4-core estimate: what the same CPU per answer allows on four cores, the lesser of the machine (4 cores over replica + server CPU per answer) and the replicas (each one process, at most one core of JavaScript: replicas over replica CPU per answer); an estimate from these measurements, assuming no new contention.`,
  '',
  '| replicas | answers | stored | answers/s | p50 | p99 | max | replica CPU/answer | server CPU/answer | cores busy | 4-core estimate | check |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...replicaRuns.map((r) => {
    const replicaUs = (1000 * r.replicaCpuMs.reduce((sum, ms) => sum + ms, 0)) / r.answers;
    const serverUs = r.serverCpuMs === null ? null : (1000 * r.serverCpuMs) / r.answers;
    const busy = serverUs === null ? '—' : (((replicaUs + serverUs) * r.answers) / 1e6 / r.seconds).toFixed(2);
    const estimate =
      serverUs === null
        ? '—'
        : `${Math.min((4 * 1e6) / (replicaUs + serverUs), (r.replicas * 1e6) / replicaUs).toFixed(0)}/s`;
    const check = checks.check(
      `${r.replicas} replicas`,
      r.stored === r.answers && r.failures === 0,
      `${r.answers} answers, ${r.stored} stored, ${r.failures} failed`,
    );
    return `| ${r.replicas} | ${r.answers} | ${r.stored} | ${r.perSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${replicaUs.toFixed(0)} µs | ${serverUs === null ? '—' : `${serverUs.toFixed(0)} µs`} | ${busy} | ${estimate} | ${check} |`;
  }),
  '',
  '## Slack: clicks through the real Bolt (Socket Mode) and a loopback fake Slack',
  '',
  `Target: p99 ack under 100 ms, and zero lost or doubled answers. ${slackMembers} members click a quiz button within one second; ack = envelope sent → ack frame back; answers/s = first click → the last member's private feedback posted (SQLite, after one unrecorded warm-up run). The fake Slack runs in a worker thread, as Slack is another machine (its CPU is not on the bot's event loop; before 2026-12-08 it was, which cost the bot about as much again per click).`,
  '',
  '| clicks | within | ack p50 | ack p99 | ack max | answers/s | stored | counted | feedback | check |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...(slackRun
    ? [
        `| ${slackRun.clicks} | ${slackRun.spreadMs} ms | ${ms(slackRun.ackP50)} | ${ms(slackRun.ackP99)} | ${ms(slackRun.ackMax)} | ${slackRun.perSecond.toFixed(0)} | ${slackRun.stored} | ${slackRun.counted} | ${slackRun.feedback} | ${clickCheck('Slack clicks', slackRun, slackRun.feedback)} |`,
      ]
    : []),
  '',
  '## Discord: clicks through the real discord.js (gateway) and a loopback fake Discord',
  '',
  `Target: p99 interaction response under 100 ms, and zero lost or doubled answers. ${discordMembers} members click a quiz button within one second; response = INTERACTION_CREATE sent on the gateway → the interaction callback received by the fake (the answer itself, ephemeral, when it is ready within the deferral window; a deferral when it is not, or at once when other clicks are already waiting for theirs, the answer then edited in); answers/s = first click → the last member's answer received (SQLite, after one unrecorded warm-up run).`,
  '',
  '| clicks | within | response p50 | response p99 | response max | answers/s | stored | counted | check |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...(discordRun
    ? [
        `| ${discordRun.clicks} | ${discordRun.spreadMs} ms | ${ms(discordRun.responseP50)} | ${ms(discordRun.responseP99)} | ${ms(discordRun.responseMax)} | ${discordRun.perSecond.toFixed(0)} | ${discordRun.stored} | ${discordRun.counted} | ${clickCheck('Discord clicks', discordRun, discordRun.clicks - discordRun.unanswered)} |`,
      ]
    : []),
  '',
  '## First contact: members never seen before, all at once',
  '',
  `Targets: Slack ack p99 and Discord interaction response p99 under 100 ms, the last feedback within 2 s of the last click, every answer stored and counted once and one member row per account. ${firstContactMembers.toLocaleString('en')} accounts Trilha has never seen click the first drop's first question within 1 s (SQLite): each one's member and identity rows are created in the same burst (group commit: src/db/members.repo.ts). Last feedback = the last answer received (Discord: the callback carrying it, or the deferral's edit). The fakes run in worker threads. CPU per click: the process's CPU time over the burst (bot and fake threads) per click; bot loop busy: the time the bot's event loop was not idle (its own thread; its CPU on a quiet machine). Where the time goes: docs/first-contact.md.`,
  '',
  '| platform | clicks | within | ack/response p50 | p99 | max | last feedback after last click | CPU per click (bot + fake) | bot loop busy per click | stored | counted | member rows | check |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...(slackFirst
    ? [
        `| Slack | ${slackFirst.clicks} | ${slackFirst.spreadMs} ms | ${ms(slackFirst.ackP50)} | ${ms(slackFirst.ackP99)} | ${ms(slackFirst.ackMax)} | ${ms(slackFirst.lastAfterLastClickMs)} | ${ms(slackFirst.cpuMsPerClick)} | ${ms(slackFirst.loopMsPerClick)} | ${slackFirst.stored} | ${slackFirst.counted} | ${slackFirst.memberRows} | ${clickCheck('Slack first contact', slackFirst, slackFirst.feedback, slackFirst.memberRows)} |`,
      ]
    : []),
  ...(discordFirst
    ? [
        `| Discord | ${discordFirst.clicks} | ${discordFirst.spreadMs} ms | ${ms(discordFirst.responseP50)} | ${ms(discordFirst.responseP99)} | ${ms(discordFirst.responseMax)} | ${ms(discordFirst.lastAfterLastClickMs)} | ${ms(discordFirst.cpuMsPerClick)} | ${ms(discordFirst.loopMsPerClick)} | ${discordFirst.stored} | ${discordFirst.counted} | ${discordFirst.memberRows} | ${clickCheck('Discord first contact', discordFirst, discordFirst.clicks - discordFirst.unanswered, discordFirst.memberRows)} |`,
      ]
    : []),
  '',
  '## Drop fan-out: every channel due at the same minute, one scheduler tick',
  '',
  `Each channel posts its lesson and quiz thread (2 to 4 questions) through the real platform client to its loopback fake with rate limits enforced: Slack about 1 message per second per channel with short bursts (a bucket of 5) and a workspace-wide limit (300 a minute assumed; Trilha paces chat.postMessage at 240 a minute per workspace, so ${slackFanOutChannels.toLocaleString('en')} channels in one workspace: 1,000 would take about 17 minutes by design); Discord ${fanOutChannels.toLocaleString('en')} channels in one server, 50 requests per second per bot and 5 messages per 5 s per channel (headers as Discord sends them). The scheduler works on 8 channels at a time. SQLite.`,
  '',
  '| platform | channels | drops posted | messages | time to post all | messages/s | refused (429) | check |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...fanOutRuns.map(
    (r) =>
      `| ${r.platform} | ${r.channels} | ${r.dropsPosted} | ${r.messages} | ${r.seconds.toFixed(1)} s | ${(r.messages / r.seconds).toFixed(0)} | ${r.refused} | ${checks.check(`${r.platform} fan-out`, r.dropsPosted === r.channels, `${r.dropsPosted} of ${r.channels} drops posted`)} |`,
  ),
  '',
  ...budgetSection(budgetRuns, (what, ok, detail) => checks.check(what, ok, detail)),
  '## Leaderboard',
  '',
  'Target: under 20 ms; the first read after a drop under 100 ms. Ranked by the fair score (docs/ranking.md), read in rank order from the stored standings (each WeeklyScore and CohortMember row keeps its score; src/db/board-standings.ts), never from the attempts. A drop leaves its boards\' rows stale: they are rescored in the background from the post (src/db/board-rescorer.ts), and a read that comes first computes the stale rows\' scores itself (docs/ranking.md "Stored scores").',
  '',
  '| what | runs | median | min | max | notes |',
  '| --- | --- | --- | --- | --- | --- |',
  ...boardRows.map(timeRow),
  '',
  '## Reports while answers arrive (SQLite)',
  '',
  `Target: no event-loop block over 50 ms, answer p99 unchanged within noise. ${reportAnswerMembers.toLocaleString('en')} members answer a fresh drop at ${reportRate}/s (open loop), alone or while a facilitator asks, through the dispatcher, for the report and then the member export of a cohort of ${boardMembers.toLocaleString('en')} members with ${boardAttempts.toLocaleString('en')} attempts (the leaderboard's seed); runs interleaved, after one unrecorded warm-up (src/cli/bench/report-load.ts). Loop gap: the longest gap between two ticks of a 1 ms timer over the run; "of it on CPU": the longest gap counted as the CPU time the process used in it, so a gap where another process held the core (a loaded machine) is not counted as a block.`,
  '',
  '| run | answers | answers/s | p50 | p99 | max | longest loop gap | of it on CPU | loop gap p99 | report + export | export rows | check |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...reportRuns.map((r, i) => {
    const check = r.withReport
      ? checks.check(
          `report run ${i + 1}`,
          r.answers.failures === 0 && r.exportRows === boardMembers && r.reportMs !== null,
          `${r.answers.failures} answers failed, ${r.exportRows} export rows of ${boardMembers}`,
        )
      : checks.check(`report run ${i + 1}`, r.answers.failures === 0, `${r.answers.failures} answers failed`);
    return `| ${r.withReport ? `${r.answers.answers === 0 ? 'no answers' : 'answers'} + report and export${r.paged ? ' (paged)' : ' (one statement per figure: before)'}` : 'answers alone'} | ${r.answers.answers} | ${r.answers.perSecond.toFixed(0)} | ${ms(r.answers.p50)} | ${ms(r.answers.p99)} | ${ms(r.answers.max)} | ${ms(r.loopMaxMs)} | ${ms(r.ownBlockMs)} | ${ms(r.loopP99Ms)} | ${r.reportMs === null ? '—' : ms(r.reportMs)} | ${r.exportRows ?? '—'} | ${check} |`;
  }),
  '',
  ...(skipped.length > 0 ? ['Skipped:', '', ...skipped.map((line) => `- ${line}`), ''] : []),
  ...(checks.failed.length > 0
    ? [
        '## Failed checks',
        '',
        'These rows measured something else than they say; the run failed.',
        '',
        ...checks.failed.map((line) => `- ${line}`),
        '',
      ]
    : ['Every check of this run passed.', '']),
];
// Sections this script does not measure (the image: `npm run bench:image`, with Docker; or by hand) say so in their
// title, "not by `npm run bench`" or "measured by hand": carried over as they are.
const byHand = existsSync('BENCHMARKS.md')
  ? (readFileSync('BENCHMARKS.md', 'utf8').match(
      /^## [^\n]*(?:measured by hand|not by `npm run bench`)[\s\S]*?(?=^## |(?![\s\S]))/gm,
    ) ?? [])
  : [];
if (only === undefined)
  writeFileSync('BENCHMARKS.md', [...lines, ...byHand.map((section) => section.trimEnd()), ''].join('\n'));
console.log(lines.join('\n'));
if (checks.failed.length > 0) {
  console.error(
    `bench: ${checks.failed.length} check(s) FAILED:\n${checks.failed.map((line) => `- ${line}`).join('\n')}`,
  );
  process.exitCode = 1;
}
