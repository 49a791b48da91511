/**
 * `npm run bench`: measures what the issues name as speed targets and writes BENCHMARKS.md with the machine and the
 * date. Tests never assert timings; this is where they are measured.
 *
 * - content: loading and validating every track under content/ (YAML parse, zod, cross-file rules), cold and warm.
 * - migrations: applying every migration to a new SQLite file (what the first `npm start` does).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadTracks } from '../content/load-tracks.ts';
import { trackStats } from '../content/track-stats.ts';
import { migrateDatabase } from '../db/migrations.ts';

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

const cpu = cpus();
const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform} ${process.arch}, Node.js ${process.version}`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench`; numbers are wall-clock times on the machine below. Tests never assert timings.',
  '',
  `- Date: ${new Date().toISOString().slice(0, 10)}`,
  `- Machine: ${machine}`,
  '',
  '| what | runs | median | min | max | notes |',
  '| --- | --- | --- | --- | --- | --- |',
  ...results.map((r) => `| ${r.name} | ${r.runs} | ${ms(r.median)} | ${ms(r.min)} | ${ms(r.max)} | ${r.note} |`),
  '',
];
writeFileSync('BENCHMARKS.md', lines.join('\n'));
console.log(lines.join('\n'));
