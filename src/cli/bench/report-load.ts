/**
 * A facilitator's report and member export of a 10,000-member cohort while answers arrive: does the report hold the
 * event loop (better-sqlite3 runs each statement synchronously) long enough to delay the answers? One run = answers of
 * a fresh drop at a steady open-loop rate (`openLoop`), alone or with `relatorio <cohort>` and `relatorio membros
 * <cohort>` sent through the dispatcher meanwhile (the same path a platform takes). Measured: the answers' latency,
 * the longest event-loop block, the report's and export's time, and the export's rows (checked: one per member).
 * The block is the longest gap between two ticks of a 1 ms timer: perf_hooks' `monitorEventLoopDelay` recorded no
 * sample at all across a single 6 s block (measured), so it cannot show the one long block that matters here. Each
 * gap is also counted as the CPU time the process used in it (`process.cpuUsage`, every thread, at most the gap): on a
 * machine shared with other work, a gap where the core was another process's is not the event loop's own block.
 */
import { performance } from 'node:perf_hooks';
import type { App } from '../../app.ts';
import type { ReportStore } from '../../core/ports/reports.port.ts';
import { PrismaReportStore } from '../../db/reports.repo.ts';
import { type LoadResult, openLoop, prepareDrop } from './answer-load.ts';

export interface ReportLoadRun {
  readonly withReport: boolean;
  /** Whether the report read its cohort in pages (src/db/reports.repo.ts) or in one statement per figure (before). */
  readonly paged: boolean;
  readonly answers: LoadResult;
  /** The longest gap between two ticks of a 1 ms timer during the run, and the 99th percentile of the gaps (ms). */
  readonly loopMaxMs: number;
  /**
   * The longest gap counted as the CPU time this process used in it (at most the gap): on a shared machine a gap can
   * also be another process holding the core; this is the block that is the process's own work (ms).
   */
  readonly ownBlockMs: number;
  readonly loopP99Ms: number;
  /** The report and the export, one after the other (ms); null without. */
  readonly reportMs: number | null;
  /** The export's CSV lines after its header; null without. */
  readonly exportRows: number | null;
}

/**
 * One run on the cohort `cohortSlug` of the workspace `workspace` (terminal platform), with answers from `members`
 * members of a workspace of their own (`run` keeps the runs apart) at `rate` per second.
 */
export async function reportUnderLoad(
  app: App,
  options: {
    readonly workspace: string;
    readonly cohortSlug: string;
    readonly run: number;
    readonly members: number;
    readonly rate: number;
    readonly withReport: boolean;
    /** False: the report store reads the cohort in one page, one statement per figure, as before paging. */
    readonly paged?: boolean;
  },
): Promise<ReportLoadRun> {
  const paged = options.paged ?? true;
  const stores = app.services.stores as { reports: ReportStore };
  const usual = stores.reports;
  if (!paged) stores.reports = new PrismaReportStore(app.db, Number.MAX_SAFE_INTEGER);
  const fixture = await prepareDrop(app, options.members, {
    platform: 'terminal',
    workspace: `load-${options.run}`,
    channel: `C-LOAD-${options.run}`,
  });
  const questions = fixture.postedQuestionIds.map((_, i) => i);
  const say = (text: string) =>
    app.dispatcher.command({
      platform: 'terminal',
      workspace: { externalId: options.workspace, name: 'Bench' },
      user: { externalId: 'ADMIN', displayName: 'Facilitadora', isAdmin: true },
      channel: { externalId: 'C-REPORTS', name: 'reports' },
      now: new Date(),
      text,
    });
  const gaps: number[] = [];
  let ownBlock = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const ticks = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    gaps.push(now - last);
    // The part of the gap this process spent on the CPU: a gap where another process had the core is not a block.
    ownBlock = Math.max(ownBlock, Math.min(now - last, (cpu.user + cpu.system) / 1000));
    last = now;
    lastCpu = process.cpuUsage();
  }, 1);
  const report = options.withReport
    ? (async () => {
        const started = performance.now();
        await say(`relatorio ${options.cohortSlug}`);
        const exported = await say(`relatorio membros ${options.cohortSlug}`);
        const file = exported.flatMap((reply) => reply.message.files ?? []).find((f) => f.mimeType === 'text/csv');
        const lines = file ? Buffer.from(file.data).toString('utf8').trimEnd().split('\n').length - 1 : 0;
        return { ms: performance.now() - started, rows: lines };
      })()
    : Promise.resolve(null);
  const [answers, done] = await Promise.all([openLoop(app, fixture, options.members, options.rate, questions), report]);
  clearInterval(ticks);
  stores.reports = usual;
  gaps.sort((a, b) => a - b);
  return {
    withReport: options.withReport,
    paged,
    answers,
    loopMaxMs: gaps.at(-1) ?? 0,
    ownBlockMs: ownBlock,
    loopP99Ms: gaps[Math.floor(0.99 * gaps.length)] ?? 0,
    reportMs: done?.ms ?? null,
    exportRows: done?.rows ?? null,
  };
}
