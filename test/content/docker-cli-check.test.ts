// The check of every `docker …` command of the lessons against the committed CLI table (src/cli/docker-cli-table-check.ts).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliTable, checkCommand, checkLessonCommands, findCommands } from '../../src/cli/docker-cli-table-check.ts';

const root = join(import.meta.dirname, '..', '..');
const table = JSON.parse(readFileSync(join(root, 'content', 'docker', 'cli-table.json'), 'utf8')) as CliTable;

describe('checkCommand against the committed table', () => {
  it.each([
    'docker ps -a',
    'docker container ls --all --format "{{.Names}}"',
    "docker run --rm -it -p 8080:80 -e MODE=dev --name=web nginx:1.30 sh -c 'ls -Z --whatever'",
    'docker run -p8080:80 -dit nginx',
    'docker --context prod ps',
    'docker compose -f compose.yaml -p shop up -d --build',
    'docker compose exec api sh -c "env | sort"',
    'docker compose down -v',
    'docker build --pull --secret id=npm,src=.npmrc -t app:1.0 .',
    'docker buildx build --platform linux/amd64,linux/arm64 --push -t me/app .',
    'docker scout cves --only-severity critical,high app:1.0',
    'docker volume prune -a',
    'docker image ls --tree',
    'docker run <image>',
    'docker compose',
  ])('GIVEN %s THEN no problem', (command) => {
    expect(checkCommand(command, table)).toEqual([]);
  });

  it.each([
    ['docker rmv app', 'unknown command `docker rmv`'],
    ['docker image remove-all', 'unknown subcommand `docker image remove-all`'],
    ['docker compose upp -d', 'unknown subcommand `docker compose upp`'],
    ['docker ps --al', '`docker ps` has no flag `--al`'],
    ['docker run -Z nginx', '`docker run` has no flag `-Z`'],
    ['docker run -itZ nginx', '`docker run` has no flag `-Z`'],
    ['docker compose up --detached', '`docker compose up` has no flag `--detached`'],
    ['docker --verbose ps', '`docker` has no flag `--verbose`'],
  ])('GIVEN %s THEN %s', (command, message) => {
    expect(checkCommand(command, table)).toEqual([message]);
  });

  it('GIVEN a command named in prose only to say it is gone THEN fine there, an error in code', () => {
    expect(checkCommand('docker scan', table, true)).toEqual([]);
    expect(checkCommand('docker scan', table, false)).toEqual(['unknown command `docker scan`']);
  });
});

describe('findCommands', () => {
  it('GIVEN code THEN each docker command, with continuations joined, comments and pipes cut, commented commands too', () => {
    const code = [
      'docker run --rm \\',
      '  -p 8080:80 nginx   # a comment --bogus',
      'docker ps -q | xargs echo && sudo docker rm -f $(docker ps -aq)',
      '# docker build -t app .',
      'echo docker is not at the start',
    ].join('\n');
    expect(findCommands(code, true)).toEqual([
      { text: 'docker run --rm  -p 8080:80 nginx', line: 0 },
      { text: 'docker ps -q', line: 2 },
      { text: 'docker rm -f', line: 2 },
      { text: 'docker ps -aq', line: 2 },
      { text: 'docker build -t app .', line: 3 },
    ]);
  });

  it('GIVEN prose THEN only inline code spans that start with docker', () => {
    expect(findCommands('Run `docker ps -a`, not docker ps --bogus; `ls -la` is not Docker.', false)).toEqual([
      { text: 'docker ps -a', line: 0 },
    ]);
  });
});

describe('a lesson with wrong commands', () => {
  const broken = [
    'id: broken',
    'drop:',
    '  en: |',
    '    First line.',
    '    Use `docker ps --al` to list.',
    'code:',
    '  lang: bash',
    '  source: |',
    '    docker run --rm alpine',
    '    docker imagez ls',
    '',
  ].join('\n');

  it('GIVEN the lesson THEN each problem with its line, field and command', () => {
    const { checked, problems } = checkLessonCommands(broken, table);
    expect(checked).toBe(3);
    expect(problems).toEqual([
      { line: 5, field: 'drop.en', command: 'docker ps --al', message: '`docker ps` has no flag `--al`' },
      { line: 10, field: 'code.source', command: 'docker imagez ls', message: 'unknown command `docker imagez`' },
    ]);
  });

  it('GIVEN the Docker track with one broken command THEN npm run content:check fails naming file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trilha-cli-check-'));
    try {
      cpSync(join(root, 'content', 'docker'), join(dir, 'docker'), { recursive: true });
      const file = join(dir, 'docker', 'lessons', 'run-and-ps.yaml');
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      const at = lines.findIndex((line) => line.includes('docker ps -a'));
      writeFileSync(file, text.replace('docker ps -a', 'docker ps --everything'));
      let output = '';
      let status = 0;
      try {
        execFileSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'src', 'cli', 'content-check.ts'), dir], {
          cwd: dir,
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch (error) {
        const failed = error as { status: number; stderr: string; stdout: string };
        status = failed.status;
        output = `${failed.stderr}${failed.stdout}`;
      }
      expect(status).toBe(1);
      expect(output).toContain(`docker/lessons/run-and-ps.yaml:${at + 1} `);
      expect(output).toContain('`docker ps` has no flag `--everything`');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
