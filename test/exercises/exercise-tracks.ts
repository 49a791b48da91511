/**
 * The test fixture track (test/fixtures/content) with a "type the command" exercise added to each lesson and the Docker
 * track's CLI table, loaded through the real loader: the exercises' tests do not depend on where the Docker track puts
 * its own.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTracks } from '../../src/content/load-tracks.ts';
import type { Track } from '../../src/core/curriculum.ts';
import { repoRoot } from '../support/engine.ts';

export const pruneExercise = {
  id: 'what-is-a-commit.prune',
  accept: ['docker container prune', 'docker container prune --force'],
};

const exercises: Record<string, string> = {
  'what-is-a-commit': `exercises:
  - id: ${pruneExercise.id}
    difficulty: medium
    prompt:
      pt-BR: Remova de uma vez todos os contêineres parados.
      en: Remove every stopped container at once.
    accepted: [${pruneExercise.accept.map((line) => `"${line}"`).join(', ')}]
`,
  branches: `exercises:
  - id: branches.run-nginx
    difficulty: hard
    prompt:
      pt-BR: Rode o nginx em segundo plano com o nome web, publicando a porta 8080 do host na 80.
      en: Run nginx in the background named web, publishing host port 8080 to port 80.
    accepted: ["docker run -d --name web -p 8080:80 nginx"]
`,
};

export function tracksWithExercises(): Track[] {
  const dir = mkdtempSync(join(tmpdir(), 'trilha-exercises-'));
  try {
    cpSync(join(repoRoot, 'test', 'fixtures', 'content'), dir, { recursive: true });
    // Exercises are graded against the track's CLI table: the Docker track's, beside the fixture's track.yaml.
    cpSync(join(repoRoot, 'content', 'docker', 'cli-table.json'), join(dir, 'git-basics', 'cli-table.json'));
    for (const [lesson, text] of Object.entries(exercises)) {
      appendFileSync(join(dir, 'git-basics', 'lessons', `${lesson}.yaml`), text);
    }
    const { tracks, problems } = loadTracks(dir, dir);
    if (problems.length > 0) throw new Error(`fixture problems: ${JSON.stringify(problems)}`);
    return tracks;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
