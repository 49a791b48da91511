import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openApp } from '../../app.ts';
import { loadTracks } from '../../content/load-tracks.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { seedLeaderboard } from './leaderboard-seed.ts';

const dir = mkdtempSync(join(tmpdir(), 'rprobe-'));
const filePath = join(dir, 'b.db');
const app = await openApp({
  database: { kind: 'sqlite', url: `file:${filePath}`, filePath },
  tracks: loadTracks('content').tracks,
  defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
  logger: silentLogger(),
});
const n = Number(process.argv[2] ?? 10000);
await seedLeaderboard(app.db, 'sqlite', n, n * 100);
const say = (text: string) =>
  app.dispatcher.command({
    platform: 'terminal',
    workspace: { externalId: 'bench', name: 'Bench' },
    user: { externalId: 'ADMIN', displayName: 'F', isAdmin: true },
    channel: { externalId: 'C-R', name: 'r' },
    now: new Date(),
    text,
  });
const { reports } = app.services.stores;
const cohort = await app.db.cohort.findFirstOrThrow({ where: { slug: 'bench' } });
const scope = { workspaceId: cohort.workspaceId, cohortId: cohort.id, timeZone: cohort.timeZone, now: new Date() };
for (const [name, fn] of [
  ['progress', () => reports.memberProgress(scope)],
  ['answers', () => reports.memberAnswers(scope)],
  ['activity', () => reports.questionActivity(scope)],
  ['progress', () => reports.memberProgress(scope)],
  ['answers', () => reports.memberAnswers(scope)],
] as const) {
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  const t = performance.now();
  const r = await (fn as () => Promise<unknown[]>)();
  await new Promise((res) => setTimeout(res, 5));
  clearInterval(timer);
  console.log(name, 'total', (performance.now() - t).toFixed(0), 'gap', gap.toFixed(0), 'rows', r.length);
}
for (const text of ['relatorio membros bench']) {
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t = performance.now();
  const replies = await say(text);
  await new Promise((r) => setTimeout(r, 20));
  h.disable();
  clearInterval(timer);
  console.log(
    text,
    'total',
    (performance.now() - t).toFixed(0),
    'max gap',
    gap.toFixed(0),
    'h.max',
    (h.max / 1e6).toFixed(0),
    'count',
    h.count,
    replies
      .map((r) => r.message.headline ?? '')
      .join('|')
      .slice(0, 80),
  );
}
await app.close();
