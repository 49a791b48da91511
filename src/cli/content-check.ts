/**
 * `npm run content:check [folder]`: validates every track under content/ (or the given folder), prints each problem
 * as `file:line field: what is wrong`, then a summary per track. A track with a `cli-table.json` also has every
 * `docker …` command of its lessons checked against it (src/cli/docker-cli-table-check.ts). Exits 1 on any problem.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ContentProblem, formatProblem, loadTracks } from '../content/load-tracks.ts';
import { trackStats } from '../content/track-stats.ts';
import { type CliTable, checkLessonCommands } from './docker-cli-table-check.ts';

const contentDir = resolve(process.argv[2] ?? process.env.TRILHA_CONTENT_DIR ?? 'content');
const started = performance.now();
const { tracks, problems } = loadTracks(contentDir);
const commandCounts: string[] = [];
for (const track of tracks) {
  const tableFile = join(contentDir, track.id, 'cli-table.json');
  if (!existsSync(tableFile)) continue;
  const table = JSON.parse(readFileSync(tableFile, 'utf8')) as CliTable;
  const lessonsDir = join(contentDir, track.id, 'lessons');
  let found = 0;
  let checked = 0;
  for (const name of readdirSync(lessonsDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()) {
    const file = join(lessonsDir, name);
    const result = checkLessonCommands(readFileSync(file, 'utf8'), table);
    checked += result.checked;
    for (const problem of result.problems) {
      found += 1;
      problems.push({
        file: relative(process.cwd(), file),
        line: problem.line,
        field: problem.field,
        message: `${problem.message} (in \`${problem.command}\`)`,
      } satisfies ContentProblem);
    }
  }
  commandCounts.push(
    `${track.id}: ${checked} docker commands checked against ${table.cliVersion} and its plugins, ${found} problem(s)`,
  );
}
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
for (const line of commandCounts) console.log(line);
console.log(
  `${tracks.length} track(s) loaded and validated in ${elapsed.toFixed(0)} ms; ${problems.length} problem(s).`,
);
process.exitCode = problems.length > 0 ? 1 : 0;
