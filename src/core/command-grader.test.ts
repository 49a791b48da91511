import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradeCommand, parseDockerCommand } from './command-grader.ts';
import { splitCommandLine } from './command-line.ts';
import { type CommandSpec, commandTable, type FlagSpec } from './command-table.ts';

const prune = ['docker container prune', 'docker container prune --force'];

describe('splitCommandLine', () => {
  it('GIVEN quotes, escapes and a line continuation THEN it splits as a shell would', () => {
    expect(splitCommandLine(`docker run --name "my web" -e 'A=$HOME' \\\n  nginx:1.30 echo a\\ b`)).toEqual({
      ok: true,
      words: ['docker', 'run', '--name', 'my web', '-e', 'A=$HOME', 'nginx:1.30', 'echo', 'a b'],
    });
  });

  it('GIVEN a pasted prompt, sudo and Windows line ends THEN they are dropped', () => {
    expect(splitCommandLine('$ sudo docker ps \\\r\n -a')).toEqual({ ok: true, words: ['docker', 'ps', '-a'] });
  });

  it('GIVEN an unclosed quote or two commands THEN it says so instead of guessing', () => {
    expect(splitCommandLine('docker run --name "web nginx')).toEqual({ ok: false, problem: 'unclosed_quote' });
    expect(splitCommandLine('docker stop web && docker rm web')).toMatchObject({ operator: '&&' });
    expect(splitCommandLine('docker rm $(docker ps -aq)')).toMatchObject({ operator: '$(' });
    expect(splitCommandLine('docker ps | grep web')).toMatchObject({ operator: '|' });
  });
});

describe('gradeCommand', () => {
  it('GIVEN an accepted command in another spelling THEN it is right', () => {
    expect(gradeCommand('docker ps -a', ['docker container ls --all']).correct).toBe(true);
    expect(gradeCommand('docker container list -a', ['docker ps --all']).correct).toBe(true);
    expect(gradeCommand('docker rmi nginx', ['docker image rm nginx']).correct).toBe(true);
    expect(gradeCommand('docker container prune -f', prune).correct).toBe(true);
    expect(
      gradeCommand(`docker run -p8080:80 --name=web \\\n -d nginx`, ['docker run -d --name web -p 8080:80 nginx'])
        .correct,
    ).toBe(true);
    expect(gradeCommand('docker exec -ti web sh', ['docker exec -it web sh']).correct).toBe(true);
    expect(gradeCommand('docker run --rm=true alpine', ['docker run --rm alpine']).correct).toBe(true);
    expect(gradeCommand('docker build . -t "app:1.0"', ['docker build -t app:1.0 .']).correct).toBe(true);
    expect(gradeCommand('docker run -e B=2 -e A=1 alpine env', ['docker run -e A=1 -e B=2 alpine env']).correct).toBe(
      true,
    );
    expect(
      gradeCommand('docker compose -f compose.prod.yaml up -d', ['docker compose --file=compose.prod.yaml up --detach'])
        .correct,
    ).toBe(true);
  });

  it('GIVEN a command for another kind of object THEN it says which objects it works on', () => {
    expect(gradeCommand('docker image prune', prune)).toEqual({
      correct: false,
      findings: [expect.objectContaining({ code: 'wrong_object', typedObject: 'image', expectedObject: 'container' })],
    });
  });

  it('GIVEN another command on the same objects THEN it names the command typed', () => {
    expect(gradeCommand('docker rm web', prune).findings).toEqual([
      expect.objectContaining({ code: 'wrong_command', typed: 'docker rm' }),
    ]);
  });

  it('GIVEN a flag too many or missing THEN it names the flag as typed or in its long form', () => {
    expect(gradeCommand('docker rm -f web', ['docker rm web']).findings).toEqual([{ code: 'extra_flag', flag: '-f' }]);
    expect(gradeCommand('docker ps', ['docker ps -a']).findings).toEqual([{ code: 'missing_flag', flag: '--all' }]);
    expect(gradeCommand('docker run --name api nginx', ['docker run --name web nginx']).findings).toEqual([
      { code: 'wrong_value', flag: '--name', typed: 'api', expected: 'web' },
    ]);
  });

  it('GIVEN other arguments THEN it says which one is missing, extra or different', () => {
    expect(gradeCommand('docker stop', ['docker stop web']).findings).toEqual([
      { code: 'missing_argument', expected: 'web' },
    ]);
    expect(gradeCommand('docker stop web db', ['docker stop web']).findings).toEqual([
      { code: 'extra_argument', typed: 'db' },
    ]);
    expect(gradeCommand('docker stop db', ['docker stop web']).findings).toEqual([
      { code: 'wrong_argument', typed: 'db', expected: 'web' },
    ]);
  });

  it('GIVEN flags after the image of docker run THEN they belong to the command inside, not to Docker', () => {
    expect(gradeCommand('docker run alpine ls -a', ['docker run alpine ls -a']).correct).toBe(true);
    expect(gradeCommand('docker run alpine -d ls', ['docker run -d alpine ls']).correct).toBe(false);
  });

  it('GIVEN input that is not one docker command THEN the finding says why', () => {
    const code = (line: string) => gradeCommand(line, prune).findings[0]?.code;
    expect(code('')).toBe('empty');
    expect(code('podman ps')).toBe('not_docker');
    expect(code('docker-compose up')).toBe('compose_v1');
    expect(code('docker container')).toBe('incomplete_command');
    expect(code('docker container explode')).toBe('unknown_command');
    expect(code('docker ps --everything')).toBe('unknown_flag');
    expect(code('docker run --name')).toBe('missing_value');
    expect(code('docker run --rm=maybe alpine')).toBe('switch_value');
    expect(code('docker ps "-a')).toBe('unclosed_quote');
    expect(code('docker ps; docker images')).toBe('several_commands');
  });

  it('GIVEN every command of the table THEN each of its names parses to it', () => {
    for (const spec of commandTable) {
      for (const name of [spec.path, ...spec.aliases]) {
        const parsed = parseDockerCommand(`docker ${name}`);
        expect(parsed.ok && parsed.command.spec.path, name).toBe(spec.path);
      }
    }
  });
});

/** A command of the table with some of its flags and arguments, written in canonical form and in a random variant. */
const safeWord = fc.stringMatching(/^[a-z0-9][a-z0-9._:/=-]{0,10}$/);
const value = fc.oneof(safeWord, fc.stringMatching(/^[a-z0-9]{1,4} [a-z0-9]{1,4}$/));

interface Used {
  readonly flag: FlagSpec;
  readonly values: readonly string[];
}

const commandAndFlags = fc.constantFrom(...commandTable).chain((spec) =>
  fc.record({
    spec: fc.constant(spec),
    used: fc
      .uniqueArray(fc.constantFrom(...(spec.flags.length > 0 ? spec.flags : [null])), { maxLength: 4 })
      .chain((chosen) =>
        fc.tuple(
          ...chosen
            .filter((flag): flag is FlagSpec => flag !== null)
            .map((flag) =>
              fc.record({
                flag: fc.constant(flag),
                values: flag.takesValue
                  ? fc.array(value, { minLength: 1, maxLength: 2 })
                  : fc.constant<readonly string[]>(['']),
              }),
            ),
        ),
      ),
    args: fc.array(safeWord, { maxLength: 3 }),
  }),
);

function quote(word: string): string {
  return /^[a-z0-9._:/=-]+$/.test(word) ? word : `"${word}"`;
}

function canonical(spec: CommandSpec, used: readonly Used[], args: readonly string[]): string {
  const flags = used.flatMap(({ flag, values }) =>
    values.map((v) => (flag.takesValue ? `--${flag.long} ${quote(v)}` : `--${flag.long}`)),
  );
  return ['docker', spec.path, ...flags, ...args.map(quote)].join(' ');
}

describe('gradeCommand properties', () => {
  it('GIVEN an accepted command THEN flag order, alias, -a/--all and = or space never change the verdict', () => {
    fc.assert(
      fc.property(commandAndFlags, fc.infiniteStream(fc.nat()), ({ spec, used, args }, choices) => {
        const pick = (n: number) => (choices.next().value as number) % n;
        const names = [spec.path, ...spec.aliases];
        const words = used.flatMap(({ flag, values }) =>
          values.map((v) => {
            const short = flag.short !== undefined && pick(2) === 0;
            const name = short ? `-${flag.short}` : `--${flag.long}`;
            if (!flag.takesValue) return name;
            return pick(2) === 0 ? `${name}=${quote(v)}` : `${name} ${quote(v)}`;
          }),
        );
        for (let i = words.length - 1; i > 0; i--) {
          const j = pick(i + 1);
          [words[i], words[j]] = [words[j] as string, words[i] as string];
        }
        const variant = ['docker', names[pick(names.length)], ...words, ...args.map(quote)].join(
          pick(2) === 0 ? ' ' : ' \\\n  ',
        );
        expect(gradeCommand(variant, [canonical(spec, used, args)])).toEqual({ correct: true, findings: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN an accepted command THEN the same flags and arguments under another command always fail', () => {
    fc.assert(
      fc.property(commandAndFlags, fc.constantFrom(...commandTable), ({ spec, used, args }, other) => {
        fc.pre(other.path !== spec.path);
        const line = ['docker', other.path, ...args.map(quote)].join(' ');
        expect(gradeCommand(line, [canonical(spec, used, args)]).correct).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
