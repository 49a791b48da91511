/**
 * The image as it runs: built from the unmodified Dockerfile (`trilha:local`, .ci/run builds it), started with
 * `docker run` as an operator would. What the deployment promises, checked on a real Engine:
 * - the terminal chat through `docker run -i` with piped commands, on a volume, with a read-only root file system
 *   (`--read-only --tmpfs /tmp`), its data written as uid 1000, and a report's chart drawn (ECharts, resvg, the
 *   bundled font) as a PNG on the volume;
 * - Slack mode against the fake Slack on the host (`--network host`, SLACK_API_URL): /trilha answered, answers
 *   acknowledged, HEALTHCHECK turning healthy, `docker stop` ending with exit code 0 (before Docker's SIGKILL) with
 *   every acknowledged answer stored, and a restart of the container on its volume keeping them;
 * - PostgreSQL mode against the test PostgreSQL on the host, its migrations applied at start;
 * - no secret in the image's history or environment.
 * Helpers and the skip rule: ./support.ts.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.ts';
import { nextMonday } from '../support/clock.ts';
import { createTestDatabase, postgresUrl } from '../support/databases.ts';
import { docker, dockerOk, freePort, image, required, unavailable, uniqueName, until } from './support.ts';

/**
 * The bot's command with the terminal's clock started at `at` (`--now`): a clock the test controls, taken from the
 * run's own, so the channel's first drop (09:00 on weekdays, São Paulo) is where the commands expect it whatever the
 * hour of the run. The real now failed from local midnight to the drop and on weekends.
 */
const startingAt = (at: Date) => ['node', '--enable-source-maps', 'dist/main.js', '--now', at.toISOString()];
const zone = 'America/Sao_Paulo';
/** Terminal commands, on a weekday after the drop time: today's lesson, then the first option of its first question. */
const todayAndAnswer = 'hoje\n1\n';
const afterTheDrop = startingAt(nextMonday(zone, 10));
/**
 * Terminal commands, from half an hour before the drop: an hour later (the lesson and quiz are posted), the first
 * button, the facilitator report.
 */
const lessonAnswerReport = '/tick 1h\n1\nrelatorio\n';
const beforeTheDrop = startingAt(new Date(nextMonday(zone, 8).getTime() + 30 * 60_000));
/** What the terminal prints for an answer taken, right or wrong. */
const answerTaken = /✅ Certo!|❌ Não foi dessa vez/;
/** The start-up line that counts what the database holds. */
const recorded = /database: (\d+) member\(s\), (\d+) channel\(s\), (\d+) answer\(s\) recorded/;

/** Node code run in the image: a PNG file's signature, width, height (from its IHDR chunk) and size in bytes. */
const pngFacts =
  "const b = require('node:fs').readFileSync(process.argv[1]); console.log(b.subarray(0, 4).toString('hex'), b.readUInt32BE(16), b.readUInt32BE(20), b.length)";

/**
 * Preloaded into the bot (CommonJS, node's internals): counts the source maps node parses; at exit prints how many it
 * had parsed, then whether main.js's map can be found and names src/main.ts (finding it parses it).
 */
const countSourceMaps = `
const internal = require('internal/source_map/source_map');
const Original = internal.SourceMap;
let parsed = 0;
internal.SourceMap = class extends Original { constructor(...args) { super(...args); parsed += 1; } };
process.on('exit', () => {
  const parsedAtExit = parsed;
  const map = require('node:module').findSourceMap(require('node:path').resolve(process.argv[1]));
  const mapsSrcMain = Boolean(map && map.payload.sources.some((source) => source.endsWith('src/main.ts')));
  process.stderr.write(JSON.stringify({ parsedAtExit, mapsSrcMain }) + '\\n');
});
`;

function answersRecorded(output: string): number | undefined {
  const match = output.match(recorded);
  return match ? Number(match[3]) : undefined;
}

describe.runIf(required && unavailable)('container tests under CI', () => {
  it('GIVEN CI=true THEN a Docker Engine answers and the image is built', () => {
    expect(unavailable).toBeNull();
  });
});

describe.skipIf(unavailable !== null)(`the image ${image}`, () => {
  const volumes: string[] = [];
  const containers: string[] = [];
  const volume = async () => {
    const name = uniqueName('data');
    volumes.push(name);
    await dockerOk(['volume', 'create', name]);
    return name;
  };
  afterAll(async () => {
    if (containers.length > 0) await docker(['rm', '-f', ...containers]);
    if (volumes.length > 0) await docker(['volume', 'rm', '-f', ...volumes]);
  });

  it('GIVEN piped commands, a volume, a read-only root and uid 1000 THEN the terminal chat answers and draws the report chart, and both are on the volume for the next run', async () => {
    const data = await volume();
    const run = (input: string) =>
      docker(
        [
          'run',
          '--rm',
          '-i',
          '--read-only',
          '--tmpfs',
          '/tmp',
          '--user',
          '1000:1000',
          '-v',
          `${data}:/app/data`,
          image,
          ...beforeTheDrop,
        ],
        input,
      );
    const first = await run(lessonAnswerReport);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Trilha is ready');
    expect(first.stdout).toMatch(answerTaken);
    expect(first.stdout).toContain('Relatório da turma');
    const chart = first.stdout.match(/salvo em (\/app\/data\/files\/\S+\.png)/)?.[1];
    expect(chart, first.stdout).toBeDefined();
    const again = await run('');
    expect(again.code, again.stderr).toBe(0);
    expect(answersRecorded(again.stdout)).toBe(1);
    // The chart as a PNG: its header's width and height (src/reports/charts.ts: 1000×500) and a size no blank image
    // of that size has.
    const png = await dockerOk([
      'run',
      '--rm',
      '-v',
      `${data}:/app/data`,
      '--entrypoint',
      'node',
      image,
      '-e',
      pngFacts,
      String(chart),
    ]);
    const [signature, width, height, bytes] = png.split(' ');
    expect({ signature, width, height }).toEqual({ signature: '89504e47', width: '1000', height: '500' });
    expect(Number(bytes)).toBeGreaterThan(5_000);
    // Written by the bot's user, not root.
    const owner = await dockerOk([
      'run',
      '--rm',
      '-v',
      `${data}:/app/data`,
      '--entrypoint',
      'stat',
      image,
      '-c',
      '%u',
      '/app/data/trilha.db',
    ]);
    expect(owner).toBe('1000');
  });

  it("GIVEN the image's --enable-source-maps THEN a start parses no source map, and main.js's map is there for the first stack trace", async () => {
    // Node's own SourceMap class, counted from a preloaded file (node's internals, reachable with --expose-internals):
    // a map is parsed when a stack trace through its file is first formatted, not before. Parsed at start, main.js's
    // map would hold about 7 MB of the idle process (src/cli/build.ts, pino's caller).
    const probe = mkdtempSync(join(tmpdir(), 'trilha-probe-'));
    writeFileSync(join(probe, 'count-maps.cjs'), countSourceMaps);
    chmodSync(probe, 0o755);
    try {
      const ran = await docker(
        [
          'run',
          '--rm',
          '-i',
          '-v',
          `${probe}:/probe:ro`,
          image,
          'node',
          '--enable-source-maps',
          '--expose-internals',
          '--require',
          '/probe/count-maps.cjs',
          'dist/main.js',
        ],
        '',
      );
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toContain('Trilha is ready');
      const line = ran.stderr.split('\n').find((text) => text.startsWith('{"parsedAtExit"'));
      expect(line, ran.stderr).toBeDefined();
      const counted = JSON.parse(String(line)) as { parsedAtExit: number; mapsSrcMain: boolean };
      expect(counted).toEqual({ parsedAtExit: 0, mapsSrcMain: true });
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  });

  describe('Slack mode against the fake Slack on the host', () => {
    const botToken = `xoxb-${uniqueName('bot')}-secret`;
    const appToken = `xapp-1-${uniqueName('app')}-secret`;
    let fake: FakeSlack;
    afterAll(() => fake?.close());

    it('GIVEN tokens and SLACK_API_URL THEN /trilha is answered, it turns healthy, stops with exit 0 with every acknowledged answer stored, and a restart keeps them', async () => {
      fake = await startFakeSlack({
        users: { 'U-ANA': { name: 'Ana', locale: 'pt-BR' } },
        channels: { C1: { name: 'geral', is_member: true } },
      });
      const data = await volume();
      const name = uniqueName('slack');
      containers.push(name);
      await dockerOk(
        [
          'run',
          '-d',
          '--name',
          name,
          '--network',
          'host',
          '--read-only',
          '--tmpfs',
          '/tmp',
          '-v',
          `${data}:/app/data`,
          // The image's HEALTHCHECK, checked every second instead of every 30 s.
          '--health-interval',
          '1s',
          '-e',
          `TRILHA_HTTP_PORT=${await freePort()}`,
          // On the host's network, the health server listens on loopback only.
          '-e',
          'TRILHA_HTTP_HOST=127.0.0.1',
          '-e',
          `SLACK_API_URL=${fake.apiUrl}`,
          // Passed by name: the values come from the docker command's environment, never on a command line.
          '-e',
          'SLACK_BOT_TOKEN',
          '-e',
          'SLACK_APP_TOKEN',
          image,
        ],
        '',
        { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken },
      );
      await fake.socketConnected({ timeoutMs: 60_000 }).catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${(await docker(['logs', name])).stderr}`);
      });

      // /trilha proxima: the next lesson, privately, with a button per question; one click per question.
      const command = fake.slashCommand({ text: 'proxima', userId: 'U-ANA', channelId: 'C1' });
      const responseId = String(command.response_url).split('/').pop();
      await fake.sendEnvelope('slash_commands', command);
      const buttons = await until('the lesson on the response URL', async () => {
        const ids = fake.responses
          .filter((response) => response.id === responseId)
          .flatMap(
            (response) => (response.body.blocks as { type: string; elements?: { action_id?: string }[] }[]) ?? [],
          )
          .filter((block) => block.type === 'actions')
          .map((block) => block.elements?.[0]?.action_id ?? '');
        return ids.length > 0 ? ids : undefined;
      });
      const acknowledged: string[] = [];
      for (const actionId of buttons) {
        const click = fake.blockAction({ actionId, userId: 'U-ANA', channelId: 'C1', messageTs: '1700000000.000100' });
        acknowledged.push((await fake.sendEnvelope('interactive', click)).envelope_id);
      }
      expect(acknowledged).toHaveLength(buttons.length);

      const health = () => dockerOk(['inspect', '-f', '{{.State.Health.Status}}', name]);
      expect(await until('healthy', async () => ((await health()) === 'healthy' ? 'healthy' : undefined))).toBe(
        'healthy',
      );

      // Docker's default grace period (10 s), then SIGKILL: exit code 0 means the bot ended on its own before it.
      await dockerOk(['stop', name]);
      const state = JSON.parse(await dockerOk(['inspect', '-f', '{{json .State}}', name])) as {
        ExitCode: number;
        OOMKilled: boolean;
      };
      expect(state).toMatchObject({ ExitCode: 0, OOMKilled: false });
      const logs = await docker(['logs', name]);
      expect(logs.stdout).toContain('slack: connected (Socket Mode)');

      // The same container again, on its volume: every acknowledged answer is there.
      await dockerOk(['start', name]);
      const restarted = await until('the restart to count the answers', async () => {
        const output = (await docker(['logs', name])).stdout;
        const counts = [...output.matchAll(new RegExp(recorded, 'g'))];
        return counts.length >= 2 ? Number(counts.at(-1)?.[3]) : undefined;
      });
      expect(restarted).toBe(buttons.length);
      await dockerOk(['stop', name]);

      // The tokens reached Slack and nothing else.
      expect(fake.callsTo('auth.test')[0]?.token).toBe(botToken);
      const everything = `${(await docker(['logs', name])).stdout}${(await docker(['logs', name])).stderr}`;
      expect(everything).not.toContain(botToken);
      expect(everything).not.toContain(appToken);
    });
  });

  it.skipIf(!postgresUrl)(
    'GIVEN DATABASE_URL to the PostgreSQL on the host THEN the migrations are applied at start and an answer is stored',
    async () => {
      const database = await createTestDatabase('postgresql');
      try {
        const url = database.target.url;
        const run = (input: string) =>
          docker(
            [
              'run',
              '--rm',
              '-i',
              '--network',
              'host',
              '--read-only',
              '--tmpfs',
              '/tmp',
              '-e',
              'DATABASE_URL',
              image,
              ...afterTheDrop,
            ],
            input,
            { DATABASE_URL: url },
          );
        const first = await run(todayAndAnswer);
        expect(first.code, first.stderr).toBe(0);
        expect(first.stdout).toMatch(/database: PostgreSQL at .* — applied \d+_init/);
        expect(first.stdout).toMatch(answerTaken);
        const again = await run('');
        expect(again.stdout).toContain('migrations up to date');
        expect(answersRecorded(again.stdout)).toBe(1);
      } finally {
        await database.drop();
      }
    },
  );

  it('GIVEN the image THEN no secret is in its history or its environment, and it runs as uid 1000', async () => {
    const history = await dockerOk(['history', '--no-trunc', '--format', '{{.CreatedBy}}', image]);
    expect(history).not.toMatch(/xox[abpr]-|xapp-|PASSWORD=|TOKEN=|SECRET=/);
    const config = JSON.parse(await dockerOk(['image', 'inspect', '-f', '{{json .Config}}', image])) as {
      Env: string[];
      User: string;
      Cmd: string[];
    };
    expect(config.Env.filter((entry) => /PASSWORD|TOKEN|SECRET/.test(entry.split('=')[0] ?? ''))).toEqual([]);
    expect(await dockerOk(['run', '--rm', '--entrypoint', 'id', image, '-u'])).toBe('1000');
    expect(config.Cmd).toEqual(['node', '--enable-source-maps', 'dist/main.js']);
  });
});
