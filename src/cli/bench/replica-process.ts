/**
 * One bot replica for the replicas benchmark (`replica-load.ts`): opens the engine on DATABASE_URL (migrated already),
 * warms up on a drop of its own (as a running replica is warm: its code compiled by the JIT, its pool connected),
 * says `ready`, waits for `go` on stdin, then has its share of the members answer every question of the prepared drop
 * through the dispatcher (closed loop: all its members at once), prints its result with the CPU time this process
 * spent on the run as one JSON line, and closes when stdin does.
 */
import { createInterface } from 'node:readline';
import { loadTracks } from '../../content/load-tracks.ts';
import { parseDatabaseUrl } from '../../db/database-url.ts';
import { closedLoop, fixtureFor } from './answer-load.ts';
import { openBenchApp } from './bench-database.ts';

interface Job {
  readonly postedQuestionIds: string[];
  readonly now: string;
  readonly firstMember: number;
  readonly members: number;
  readonly contentDir: string;
  /** A drop of this replica's own, in a workspace of its own, answered once before `ready`. */
  readonly warm: { readonly postedQuestionIds: string[]; readonly workspace: string; readonly members: number };
}

const job = JSON.parse(process.env.REPLICA_JOB ?? '{}') as Job;
const target = parseDatabaseUrl(process.env.DATABASE_URL ?? '');
if ('error' in target) throw new Error(target.error);
const app = await openBenchApp(target, loadTracks(job.contentDir).tracks, { migrate: false });
const fixture = fixtureFor(job.postedQuestionIds, new Date(job.now), {
  platform: 'terminal',
  workspace: 'bench',
  channel: 'C-BENCH',
});
const warm = fixtureFor(job.warm.postedQuestionIds, new Date(job.now), {
  platform: 'terminal',
  workspace: job.warm.workspace,
  channel: `C-${job.warm.workspace}`,
});
await closedLoop(app, warm, job.warm.members);
// The bench workspace's record cached, as a running replica has it.
await app.services.stores.members.ensureWorkspace({
  platform: 'terminal',
  externalId: 'bench',
  name: 'Bench',
  defaultLocale: 'pt-BR',
  timeZone: 'America/Sao_Paulo',
});
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
let ran = false;
// Until the bench closes stdin: the database connections stay open until it has read their CPU times.
for await (const line of lines) {
  if (line.trim() !== 'go' || ran) continue;
  ran = true;
  const cpu = process.cpuUsage();
  const result = await closedLoop(app, fixture, job.members, job.firstMember);
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${JSON.stringify({ ...result, cpuMs: (used.user + used.system) / 1000 })}\n`);
}
await app.close();
