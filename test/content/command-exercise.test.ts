// "Type the command" grading (src/core/command-exercise.ts) against the committed table of the Docker CLI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CommandTable, gradeCommand, parseCommand } from '../../src/core/command-exercise.ts';

const table = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'content', 'docker', 'cli-table.json'), 'utf8'),
) as CommandTable;

describe('gradeCommand: the same command, however it is typed', () => {
  const removeStopped = ['docker container prune -f'];
  it.each([
    'docker container prune -f',
    'docker container prune --force',
    'docker container prune --force=true',
    '$ docker container prune -f',
    'docker   container   prune   -f',
    'docker container \\\n  prune -f',
  ])('GIVEN %j for "remove every stopped container" THEN right', (typed) => {
    expect(gradeCommand(typed, removeStopped, table)).toEqual({ correct: true, matched: removeStopped[0] });
  });

  it.each([
    ['docker ps -a', 'docker container ls --all'],
    ['docker rmi nginx:1.30', 'docker image rm nginx:1.30'],
    ['docker images -q', 'docker image ls --quiet'],
    ['docker run -it --rm -p 8080:80 --name=web nginx', 'docker container run --name web -p8080:80 --rm -t -i nginx'],
    ["docker run --rm alpine sh -c 'echo hi'", 'docker run --rm alpine sh -c "echo hi"'],
    ['docker run -e A=1 -e B=2 alpine', 'docker run -e B=2 -e A=1 alpine'],
    ['docker compose -f compose.yaml up -d --build', 'docker compose --file compose.yaml up --build --detach'],
  ])('GIVEN %j and the accepted %j THEN right', (typed, accepted) => {
    expect(gradeCommand(typed, [accepted], table).correct).toBe(true);
  });

  it('GIVEN several accepted commands THEN any of them is right', () => {
    const accepted = ['docker container prune', 'docker container prune -f'];
    expect(gradeCommand('docker container prune --force', accepted, table)).toEqual({
      correct: true,
      matched: 'docker container prune -f',
    });
  });
});

describe('gradeCommand: what is wrong', () => {
  it('GIVEN a flag the task does not need THEN that flag, as typed', () => {
    expect(gradeCommand('docker container prune -f', ['docker container prune'], table)).toEqual({
      correct: false,
      closest: 'docker container prune',
      differences: [{ kind: 'extra-flag', flag: '-f' }],
    });
  });

  it('GIVEN the same verb on another object THEN "this removes images, not containers"', () => {
    const grade = gradeCommand('docker image prune', ['docker container prune'], table);
    expect(grade).toMatchObject({
      correct: false,
      differences: [{ kind: 'other-command', objects: { typed: 'image', expected: 'container' } }],
    });
  });

  it('GIVEN a missing flag, another value, other arguments THEN each', () => {
    expect(gradeCommand('docker ps', ['docker ps -a'], table)).toMatchObject({
      differences: [{ kind: 'missing-flag', flag: '-a' }],
    });
    expect(gradeCommand('docker run -p 8080:80 nginx', ['docker run -p 3000:80 nginx'], table)).toMatchObject({
      differences: [{ kind: 'other-value', flag: '--publish', typed: ['8080:80'], expected: ['3000:80'] }],
    });
    expect(gradeCommand('docker rm web', ['docker rm api'], table)).toMatchObject({
      differences: [{ kind: 'other-arguments', typed: ['web'], expected: ['api'] }],
    });
  });

  it('GIVEN words after the image THEN they are the container command, not docker flags', () => {
    expect(gradeCommand('docker run alpine ls -a', ['docker run alpine ls'], table)).toMatchObject({
      differences: [{ kind: 'other-arguments' }],
    });
  });

  it.each([
    ['', { kind: 'empty' }],
    ['podman ps', { kind: 'not-docker', word: 'podman' }],
    ['docker rmv x', { kind: 'unknown-command', command: 'docker rmv' }],
    ['docker image nuke', { kind: 'unknown-command', command: 'docker image nuke' }],
    ['docker ps --everything', { kind: 'unknown-flag', command: 'docker ps', flag: '--everything' }],
    ['docker run --name', { kind: 'missing-value', command: 'docker run', flag: '--name' }],
    ["docker run 'alpine", { kind: 'unclosed-quote' }],
  ])('GIVEN %j THEN no grade against the answer but what is wrong with it', (typed, problem) => {
    expect(gradeCommand(typed, ['docker ps'], table)).toEqual({ correct: false, problem });
  });

  it('GIVEN anything a member may type THEN a grade, never a throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (tail) => {
        const grade = gradeCommand(`docker ${tail}`, ['docker container prune -f'], table);
        expect(typeof grade.correct).toBe('boolean');
      }),
      { numRuns: 300 },
    );
    // A pasted wall of text is cut at 500 characters and still parses.
    expect(parseCommand('docker ps '.repeat(1000), table)).toHaveProperty('ok', true);
  });
});
