/**
 * A facilitator's report and member export of a 10,000-member cohort while answers arrive: does the report hold the
 * event loop (better-sqlite3 runs each statement synchronously) long enough to delay the answers? One run = answers of
 * a fresh drop at a steady open-loop rate (`openLoop`), alone or with `relatorio <cohort>` and `relatorio membros
 * <cohort>` sent through the dispatcher meanwhile (the same path a platform takes). Measured: the answers' latency,
 * the longest event-loop block (perf_hooks' `monitorEventLoopDelay`), the report's and export's time, and the export's
 * rows (checked: one per member).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { App } from '../../app.ts';
import { type LoadResult, openLoop, prepareDrop } from './answer-load.ts';

export interface ReportLoadRun {
  readonly withReport: boolean;
  readonly answers: LoadResult;
  /** The longest event-loop delay seen during the run, and its 99th percentile (ms). */
  readonly loopMaxMs: number;
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
  },
): Promise<ReportLoadRun> {
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
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
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
  delay.disable();
  return {
    withReport: options.withReport,
    answers,
    loopMaxMs: delay.max / 1e6,
    loopP99Ms: delay.percentile(99) / 1e6,
    reportMs: done?.ms ?? null,
    exportRows: done?.rows ?? null,
  };
}
