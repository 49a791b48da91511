/**
 * `npm run content:check [folder]`: validates every track under content/ (or the given folder), prints each problem
 * as `file:line field: what is wrong`, then a summary per track. Exits 1 on any problem.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatProblem, loadTracks } from '../content/load-tracks.ts';
import { trackStats } from '../content/track-stats.ts';

const contentDir = resolve(process.argv[2] ?? process.env.TRILHA_CONTENT_DIR ?? 'content');
const started = performance.now();
const { tracks, problems } = loadTracks(contentDir);
const elapsed = performance.now() - started;

for (const problem of problems) console.error(formatProblem(problem));

for (const track of tracks) {
  const stats = trackStats(track);
  const n = (value: number) => value.toLocaleString('en-US');
  console.log(
    `${track.id}: ${stats.units} units, ${stats.lessons} lessons, ${stats.questions} questions ` +
      `(easy ${stats.byDifficulty.easy}, medium ${stats.byDifficulty.medium}, hard ${stats.byDifficulty.hard}); ` +
      `characters pt-BR ${n(stats.characters['pt-BR'])}, en ${n(stats.characters.en)}; ` +
      `drops pt-BR ${n(stats.dropCharacters['pt-BR'])} (longest ${stats.longestDrop['pt-BR']}), ` +
      `en ${n(stats.dropCharacters.en)} (longest ${stats.longestDrop.en})`,
  );
}
console.log(
  `${tracks.length} track(s) loaded and validated in ${elapsed.toFixed(0)} ms; ${problems.length} problem(s).`,
);
process.exitCode = problems.length > 0 ? 1 : 0;
