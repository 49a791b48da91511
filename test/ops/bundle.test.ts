/**
 * What `npm run build` emits (src/cli/build.ts), built into a temporary folder: the image's dist/.
 * - A mode loads what it needs when it needs it. What every start loads (main.js and the files it imports statically)
 *   holds no platform library, no chart library, no PostgreSQL client and no pretty printer; Slack mode adds Bolt and
 *   nothing of Discord's, Discord mode the reverse, and neither the chart library nor PostgreSQL's client (each is in
 *   a file loaded by a dynamic import when first needed). Read from esbuild's metafile (`--metafile`), which names the
 *   sources in each output file and its static and dynamic imports.
 * - Loaded files stay small in V8: every character is ASCII (one other would double the memory of the file's source,
 *   kept for the life of the process), and the query compilers' WebAssembly is read from .wasm files, not from
 *   Base64 modules.
 * - No TypeScript loader or compiler is in it, and beside it only the packages the bundle loads from disk.
 * - Its source maps cover Trilha's own sources only.
 * - It runs where the TypeScript sources' tests do not reach: Discord's shard processes start from the built entry
 *   point (a CommonJS library loaded by dynamic import, and each shard's node flags), against the fake Discord. The
 *   other modes run from the image in test/container.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../fakes/discord.ts';

const root = join(import.meta.dirname, '..', '..');
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

/** esbuild's metafile: output paths and source paths are relative to the project's folder. */
interface Metafile {
  readonly outputs: Record<
    string,
    {
      readonly imports: readonly { readonly path: string; readonly kind: string; readonly external?: boolean }[];
      readonly inputs: Record<string, unknown>;
      readonly entryPoint?: string;
    }
  >;
}

/** Sources no start loads until its mode (or a feature) asks for them. */
const neverAtStart = [
  'node_modules/@slack/',
  'node_modules/discord.js/',
  'node_modules/@discordjs/',
  'node_modules/echarts/',
  'node_modules/zrender/',
  'node_modules/pg/',
  'node_modules/@prisma/adapter-pg/',
  'node_modules/pino-pretty/',
  'src/db/generated/postgresql/',
  'src/adapters/slack/',
  'src/adapters/discord/',
];
/** Loaded on demand in every mode: charts when a chart is asked for, PostgreSQL's client in PostgreSQL mode. */
const onDemand = neverAtStart.filter((source) => !/slack|discord/.test(source));

describe('npm run build', () => {
  let outdir: string;
  let meta: Metafile;
  let files: string[];
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'trilha-dist-'));
    const metafile = `${outdir}.meta.json`;
    const built = spawnSync(
      process.execPath,
      [tsx, join(root, 'src', 'cli', 'build.ts'), outdir, '--metafile', metafile],
      { cwd: root, encoding: 'utf8' },
    );
    expect(built.status, built.stderr).toBe(0);
    meta = JSON.parse(readFileSync(metafile, 'utf8')) as Metafile;
    rmSync(metafile, { force: true });
    files = readdirSync(outdir).filter((file) => file.endsWith('.js'));
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** The metafile's key of an output file of outdir. */
  const key = (file: string) => relative(root, join(outdir, file));
  /** The output file a source was the entry point of (a dynamically imported module starts its own file). */
  const outputOf = (entryPoint: string) => {
    const found = Object.entries(meta.outputs).find(([, output]) => output.entryPoint === entryPoint)?.[0];
    if (!found) throw new Error(`no output file starts at ${entryPoint}`);
    return found;
  };
  /** The sources in the output files `entries` load: themselves and what they import statically, transitively. */
  const sourcesLoadedBy = (...entries: string[]) => {
    const seen = new Set<string>();
    const pending = [...entries];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      for (const imported of meta.outputs[file]?.imports ?? []) {
        if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
      }
    }
    return [...seen].flatMap((file) => Object.keys(meta.outputs[file]?.inputs ?? {}));
  };
  const bundled = () => Object.values(meta.outputs).flatMap((output) => Object.keys(output.inputs));
  const among = (sources: readonly string[], prefix: string) => sources.filter((source) => source.startsWith(prefix));

  it('GIVEN each mode THEN a start loads only what that mode needs; platforms, charts and PostgreSQL come on demand', () => {
    const all = bundled();
    for (const prefix of neverAtStart) expect(among(all, prefix), `${prefix} is bundled`).not.toEqual([]);

    const start = sourcesLoadedBy(key('main.js'));
    for (const prefix of neverAtStart) expect(among(start, prefix), `loaded at every start`).toEqual([]);
    // What every mode needs is there from the start (the checks above would pass on an empty main.js otherwise).
    expect(among(start, 'src/db/generated/sqlite/')).not.toEqual([]);
    expect(among(start, 'node_modules/zod/')).not.toEqual([]);

    const slack = sourcesLoadedBy(key('main.js'), outputOf('src/adapters/slack/slack.adapter.ts'));
    expect(among(slack, 'node_modules/@slack/bolt/')).not.toEqual([]);
    for (const prefix of [
      ...onDemand,
      'node_modules/discord.js/',
      'node_modules/@discordjs/',
      'src/adapters/discord/',
    ]) {
      expect(among(slack, prefix), 'loaded in Slack mode').toEqual([]);
    }

    const discord = sourcesLoadedBy(key('main.js'), outputOf('src/adapters/discord/discord.adapter.ts'));
    expect(among(discord, 'node_modules/discord.js/')).not.toEqual([]);
    for (const prefix of [...onDemand, 'node_modules/@slack/', 'src/adapters/slack/']) {
      expect(among(discord, prefix), 'loaded in Discord mode').toEqual([]);
    }
  });

  it('GIVEN the output files THEN every character is ASCII, and the query compilers are .wasm files beside them', () => {
    for (const file of files) {
      const text = readFileSync(join(outdir, file), 'utf8');
      const at = text.search(/[\u0080-\uffff]/);
      expect(at, `${file}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}`).toBe(-1);
    }
    for (const kind of ['sqlite', 'postgresql']) {
      const wasm = join(outdir, `query_compiler_fast_bg.${kind}.wasm`);
      expect(existsSync(wasm)).toBe(true);
      // A WebAssembly binary starts with "\0asm".
      expect(readFileSync(wasm).subarray(0, 4).toString('latin1')).toBe('\0asm');
      const loader = files.find((file) => file.startsWith(`query_compiler_fast_bg.${kind}.wasm-base64`));
      expect(loader && statSync(join(outdir, loader)).size).toBeLessThan(1000);
    }
  });

  it('GIVEN the output THEN it holds no TypeScript loader or compiler, and beside it only the packages read from disk', () => {
    const all = bundled();
    for (const tool of ['tsx', 'typescript', 'esbuild', 'prisma', '@prisma/studio-core']) {
      expect(among(all, `node_modules/${tool}/`)).toEqual([]);
    }
    const beside = readdirSync(join(outdir, 'node_modules'), { recursive: true, encoding: 'utf8' });
    expect(beside).toEqual(
      expect.arrayContaining([
        'better-sqlite3/build/Release/better_sqlite3.node',
        '@prisma/schema-engine-wasm/schema_engine_bg.wasm',
        'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
        '@resvg/resvg-js/package.json',
      ]),
    );
    const packages = beside.filter((path) => path.endsWith('package.json') && !path.includes('/lib/'));
    expect(packages.sort()).toEqual(
      [
        '@prisma/schema-engine-wasm',
        '@resvg/resvg-js',
        '@resvg/resvg-js-linux-x64-gnu',
        'better-sqlite3',
        'bindings',
        'dejavu-fonts-ttf',
        'file-uri-to-path',
      ]
        .filter((name) => name !== '@resvg/resvg-js-linux-x64-gnu' || process.arch === 'x64')
        .map((name) => `${name}/package.json`)
        .sort(),
    );
  });

  it("GIVEN the source maps THEN they name Trilha's own sources only, and main.js's names src/main.ts", () => {
    const own = `${relative(outdir, join(root, 'src'))}/`;
    const maps = readdirSync(outdir).filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBe(files.length);
    const sources = maps.flatMap(
      (file) => (JSON.parse(readFileSync(join(outdir, file), 'utf8')) as { sources: string[] }).sources,
    );
    expect(sources.filter((source) => !source.startsWith(own))).toEqual([]);
    const mainMap = JSON.parse(readFileSync(join(outdir, 'main.js.map'), 'utf8')) as { sources: string[] };
    expect(mainMap.sources).toContain(`${own}main.ts`);
  });

  it('GIVEN DISCORD_SHARDS=2 THEN the built bot starts two shard processes from dist/, each answers its own server, and SIGTERM stops them', async () => {
    const token = 'MTExMTExMTExMTExMTExMTEx.GsEcRt.bundle-test-secret-token';
    // Discord's rule: a server belongs to shard (id >> 22) % count.
    const servers = [String(1000n << 22n), String(1001n << 22n)];
    const fake = await startFakeDiscord({
      token,
      guilds: servers.map((id, index) => ({
        id,
        name: `S${index}`,
        channels: [{ id: `33000000000000000${index}`, name: 'geral' }],
      })),
    });
    const data = mkdtempSync(join(tmpdir(), 'trilha-dist-data-'));
    const child = spawn(process.execPath, ['--enable-source-maps', join(outdir, 'main.js')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: `file:${join(data, 'trilha.db')}`,
        TRILHA_CONTENT_DIR: join(root, 'test', 'fixtures', 'content'),
        TRILHA_HTTP_PORT: '0',
        DISCORD_TOKEN: token,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_SHARDS: '2',
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 2400 && !out.includes('shard(s) running') && child.exitCode === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(out, err.slice(-2000)).toContain('discord: 2 shard(s) running');
      for (const [index, guildId] of servers.entries()) {
        const interaction = fake.slashCommand({
          guildId,
          channelId: `33000000000000000${index}`,
          name: 'trilha',
          subcommand: 'help',
          user: { id: '340000000000000001', username: 'ana' },
        });
        const [answer] = await fake.waitForResponse(interaction, { timeoutMs: 10_000 });
        expect(JSON.stringify(answer?.body)).toContain('/trilha perguntar');
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out + err).not.toContain(token);
    } finally {
      child.kill('SIGKILL');
      await fake.close();
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});
