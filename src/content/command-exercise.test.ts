import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem, loadTracks } from './load-tracks.ts';

const fixture = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'content');

const exercise = (id: string, accept: string) => `
  - id: branches.${id}
    type: command
    difficulty: easy
    prompt:
      pt-BR: Remova todos os contêineres parados.
      en: Remove every stopped container.
    accept:
      - ${accept}
    explain:
      pt-BR: O prune remove todos os parados de uma vez.
      en: Prune removes every stopped one at once.
`;

describe('command exercises in content', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trilha-exercise-'));
    cpSync(fixture, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const branches = () => join(dir, 'git-basics', 'lessons', 'branches.yaml');

  it('GIVEN a command exercise after the questions THEN it loads with its two fixed options, the first right', () => {
    appendFileSync(branches(), exercise('prune', 'docker container prune'));
    const { tracks, problems } = loadTracks(dir, dir);
    expect(problems.map(formatProblem)).toEqual([]);
    const question = tracks[0]?.lessons[1]?.questions[2];
    expect(question).toMatchObject({
      kind: 'command',
      correctIndex: 0,
      command: { accept: ['docker container prune'] },
    });
    expect(question?.options.map((option) => option.correct)).toEqual([true, false]);
  });

  it('GIVEN an accepted command with a flag the table does not know THEN content:check names it', () => {
    appendFileSync(branches(), exercise('prune', 'docker container prune --everything'));
    const { problems } = loadTracks(dir, dir);
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/branches\.yaml:\d+ questions\[2\]\.accept\[0\]: --everything is not a flag of docker container prune/),
    ]);
  });

  it('GIVEN three command exercises in a lesson THEN the lesson is over its limit; they do not count as its questions', () => {
    appendFileSync(branches(), exercise('a', 'docker ps') + exercise('b', 'docker ps -a'));
    expect(loadTracks(dir, dir).problems).toEqual([]);
    appendFileSync(branches(), exercise('c', 'docker images'));
    expect(loadTracks(dir, dir).problems.map((problem) => problem.message)).toEqual([
      'a lesson has at most 2 command exercises (found 3)',
    ]);
  });
});
