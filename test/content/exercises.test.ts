// The "type the command" exercises of the Docker track (docs/content-format.md): each accepted command means
// something to the grader, and the schema refuses an exercise that is not a docker command.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatProblem, loadTracks } from '../../src/content/load-tracks.ts';
import { type CommandTable, gradeCommand, parseCommand } from '../../src/core/command-exercise.ts';

const docker = join(import.meta.dirname, '..', '..', 'content', 'docker');
const table = JSON.parse(readFileSync(join(docker, 'cli-table.json'), 'utf8')) as CommandTable;

interface LessonYaml {
  id: string;
  questions: { id: string }[];
  exercises?: { id: string; accepted: string[] }[];
}
const lessons = readdirSync(join(docker, 'lessons'))
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => parse(readFileSync(join(docker, 'lessons', name), 'utf8')) as LessonYaml);
const exercises = lessons.flatMap((lesson) => (lesson.exercises ?? []).map((exercise) => ({ lesson: lesson.id, ...exercise })));

describe('the Docker track exercises', () => {
  it('GIVEN the track THEN at least 30 exercises, each id <lesson>.<slug> and unique among questions and exercises', () => {
    expect(exercises.length).toBeGreaterThanOrEqual(30);
    const ids = [...lessons.flatMap((lesson) => lesson.questions.map((question) => question.id)), ...exercises.map((exercise) => exercise.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const exercise of exercises) expect(exercise.id.startsWith(`${exercise.lesson}.`), exercise.id).toBe(true);
  });

  it.each(exercises.map((exercise) => [exercise.id, exercise.accepted] as const))(
    'GIVEN %s THEN each accepted command parses and is graded right',
    (_id, accepted) => {
      for (const command of accepted) {
        expect(parseCommand(command, table).ok, command).toBe(true);
        expect(gradeCommand(command, accepted, table), command).toMatchObject({ correct: true, matched: command });
      }
    },
  );

  it('GIVEN an exercise whose answer is not a docker command THEN content:check reports file, line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trilha-exercises-'));
    try {
      cpSync(docker, join(dir, 'docker'), { recursive: true });
      const file = join(dir, 'docker', 'lessons', 'volumes.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('accepted: ["docker volume create pgdata"]', 'accepted: ["ls -la"]'));
      expect(loadTracks(dir, dir).problems.map(formatProblem)).toEqual([
        expect.stringMatching(/docker\/lessons\/volumes\.yaml:\d+ exercises\[0\]\.accepted\[0\]: must be a docker command/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
