/**
 * The answer path on PostgreSQL with several bot replicas: `replicas` processes (`replica-process.ts`) on one
 * database, each warmed up on a drop of its own, then each with its share of the members answering every question of
 * one drop at the same moment (closed loop). Measured: answers per second over the whole run (the first `go` to the
 * last replica done), the latency of every answer, all replicas together, and where the CPU went: each replica's own
 * CPU time (`process.cpuUsage`) and the server's, as the CPU time of the PostgreSQL backends serving this database
 * (`/proc/<pid>/stat`, when the server runs on this machine), read before and after the run. Checked afterwards: each
 * answer stored once.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { App } from '../../app.ts';
import { type LoadResult, prepareDrop, quantile } from './answer-load.ts';

export interface ReplicaResult extends LoadResult {
  readonly replicas: number;
  readonly stored: number;
  /** CPU time of each replica process during the run (ms). */
  readonly replicaCpuMs: readonly number[];
  /** CPU time of the PostgreSQL backends of this database during the run (ms); null when they cannot be read. */
  readonly serverCpuMs: number | null;
}

/** Members each replica answers with before the run (its JIT and pool warm). */
const warmUpMembers = 200;

export async function replicaAnswers(
  app: App,
  databaseUrl: string,
  contentDir: string,
  replicas: number,
  members: number,
): Promise<ReplicaResult> {
  const fixture = await prepareDrop(app, members);
  const share = Math.ceil(members / replicas);
  const warmDrops: { postedQuestionIds: readonly string[]; workspace: string; members: number }[] = [];
  for (let i = 0; i < replicas; i++) {
    const workspace = `bench-warm-${i}`;
    const warm = await prepareDrop(app, warmUpMembers, {
      platform: 'terminal',
      workspace,
      channel: `C-${workspace}`,
    });
    warmDrops.push({ postedQuestionIds: warm.postedQuestionIds, workspace, members: warmUpMembers });
  }
  const children = Array.from({ length: replicas }, (_, i) => {
    const firstMember = i * share;
    const job = {
      postedQuestionIds: fixture.postedQuestionIds,
      now: fixture.now.toISOString(),
      firstMember,
      members: Math.max(0, Math.min(share, members - firstMember)),
      contentDir,
      warm: warmDrops[i],
    };
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), new URL('./replica-process.ts', import.meta.url).pathname],
      {
        env: { ...process.env, DATABASE_URL: databaseUrl, REPLICA_JOB: JSON.stringify(job) },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise<void>((resolve, reject) => {
      lines.once('line', (line) => (line === 'ready' ? resolve() : reject(new Error(`replica said ${line}`))));
      child.once('exit', (code) => reject(new Error(`replica exited with ${code} before it was ready`)));
    });
    const result = new Promise<LoadResult & { latencies: number[]; cpuMs: number }>((resolve, reject) => {
      lines.on('line', (line) => {
        if (line.startsWith('{')) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`replica exited with ${code} before its result`)));
    });
    return { child, ready, result };
  });
  await Promise.all(children.map((c) => c.ready));
  const serverBefore = await backendCpu(app);
  const started = performance.now();
  for (const c of children) c.child.stdin.write('go\n');
  const results = await Promise.all(children.map((c) => c.result));
  const seconds = (performance.now() - started) / 1000;
  const serverAfter = await backendCpu(app);
  for (const c of children) c.child.stdin.end();
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const at = (q: number) => quantile(latencies, q);
  const stored = await app.db.attempt.count({
    where: { postedQuestionId: { in: [...fixture.postedQuestionIds] } },
  });
  let serverCpuMs: number | null = null;
  if (serverBefore && serverAfter) {
    serverCpuMs = 0;
    for (const [pid, ms] of serverAfter) serverCpuMs += ms - (serverBefore.get(pid) ?? 0);
  }
  return {
    replicas,
    answers: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? 0,
    failures: results.reduce((sum, r) => sum + r.failures, 0),
    stored,
    replicaCpuMs: results.map((r) => r.cpuMs),
    serverCpuMs,
  };
}

/** Clock ticks per second of /proc's CPU times. */
let ticksPerSecond: number | null = null;

/**
 * CPU time (ms) of each PostgreSQL backend connected to `app`'s database, by process id, from /proc (in clock ticks,
 * 10 ms: meaningful over a full run, not a quick one); null when the server is not on this machine or /proc cannot
 * be read. The bench's own connection is one of them (a few queries). The server's shared processes (WAL writer,
 * checkpointer) are not counted.
 */
async function backendCpu(app: App): Promise<Map<number, number> | null> {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    const rows = await app.db.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // a backend that ended since the query
      }
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond);
    }
    // No backend readable: the server is elsewhere (or in another process namespace).
    return cpu.size > 0 ? cpu : null;
  } catch {
    return null;
  }
}
