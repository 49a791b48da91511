/**
 * The answer path on PostgreSQL with several bot replicas: `replicas` processes (`replica-process.ts`) on one
 * database, each with its share of the members answering every question of one drop at the same moment (closed loop).
 * Measured: answers per second over the whole run (the first `go` to the last replica done) and the latency of every
 * answer, all replicas together. Checked afterwards: each answer stored once.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { App } from '../../app.ts';
import { type LoadResult, prepareDrop, quantile } from './answer-load.ts';

export interface ReplicaResult extends LoadResult {
  readonly replicas: number;
  readonly stored: number;
}

export async function replicaAnswers(
  app: App,
  databaseUrl: string,
  contentDir: string,
  replicas: number,
  members: number,
): Promise<ReplicaResult> {
  const fixture = await prepareDrop(app, members);
  const share = Math.ceil(members / replicas);
  const children = Array.from({ length: replicas }, (_, i) => {
    const firstMember = i * share;
    const job = {
      postedQuestionIds: fixture.postedQuestionIds,
      now: fixture.now.toISOString(),
      firstMember,
      members: Math.max(0, Math.min(share, members - firstMember)),
      contentDir,
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
    const result = new Promise<LoadResult & { latencies: number[] }>((resolve, reject) => {
      lines.on('line', (line) => {
        if (line.startsWith('{')) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`replica exited with ${code} before its result`)));
    });
    return { child, ready, result };
  });
  await Promise.all(children.map((c) => c.ready));
  const started = performance.now();
  for (const c of children) c.child.stdin.write('go\n');
  const results = await Promise.all(children.map((c) => c.result));
  const seconds = (performance.now() - started) / 1000;
  for (const c of children) c.child.stdin.end();
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const at = (q: number) => quantile(latencies, q);
  const stored = await app.db.attempt.count({
    where: { postedQuestionId: { in: [...fixture.postedQuestionIds] } },
  });
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
  };
}
