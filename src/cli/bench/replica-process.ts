/**
 * One bot replica for the replicas benchmark (`replica-load.ts`): opens the engine on DATABASE_URL (migrated already),
 * says `ready`, waits for `go` on stdin, then has its share of the members answer every question of the prepared drop
 * through the dispatcher (closed loop: all its members at once), and prints its result as one JSON line.
 */
import { createInterface } from 'node:readline';
import { openApp } from '../../app.ts';
import { loadTracks } from '../../content/load-tracks.ts';
import { parseDatabaseUrl } from '../../db/database-url.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { closedLoop, fixtureFor } from './answer-load.ts';

interface Job {
  readonly postedQuestionIds: string[];
  readonly now: string;
  readonly firstMember: number;
  readonly members: number;
  readonly contentDir: string;
}

const job = JSON.parse(process.env.REPLICA_JOB ?? '{}') as Job;
const target = parseDatabaseUrl(process.env.DATABASE_URL ?? '');
if ('error' in target) throw new Error(target.error);
const app = await openApp({
  database: target,
  tracks: loadTracks(job.contentDir).tracks,
  defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
  logger: silentLogger(),
  migrate: false,
});
const fixture = fixtureFor(job.postedQuestionIds, new Date(job.now), {
  platform: 'terminal',
  workspace: 'bench',
  channel: 'C-BENCH',
});
// Warm: one look-up through the dispatcher's path before the clock starts, as a running replica is.
await app.services.stores.members.ensureWorkspace({
  platform: 'terminal',
  externalId: 'bench',
  name: 'Bench',
  defaultLocale: 'pt-BR',
  timeZone: 'America/Sao_Paulo',
});
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  const result = await closedLoop(app, fixture, job.members, job.firstMember);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  break;
}
lines.close();
await app.close();
