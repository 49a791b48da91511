/**
 * What `npm run build` emits (src/cli/build.ts), built into a temporary folder: the image's dist/.
 * - A mode loads what it needs when it needs it: the files main.js imports statically (what every start loads)
 *   hold no platform library, no chart library, no PostgreSQL client and no pretty printer; each is in a file
 *   loaded by a dynamic import. esbuild names each bundled module in a `// path` comment, which is what is read here.
 * - No TypeScript loader or compiler is in it, and beside it only the packages the bundle loads from disk.
 * - Its source maps cover Trilha's own sources only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

/** The output files main.js reaches through static imports (itself included). */
function staticallyLoaded(outdir: string, entry = 'main.js'): string[] {
  const seen = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(outdir, file), 'utf8');
    for (const match of text.matchAll(/^import\s+(?:[^;"]*?\s+from\s+)?"\.\/([^"]+\.js)";/gm)) {
      if (match[1]) pending.push(match[1]);
    }
  }
  return [...seen];
}

/** Libraries (and generated code) a start must not load until a mode asks for them. */
const loadedWhenNeeded = [
  'node_modules/@slack/bolt/',
  'node_modules/discord.js/',
  'node_modules/echarts/',
  'node_modules/pg/',
  'node_modules/@prisma/adapter-pg/',
  'node_modules/pino-pretty/',
  'src/db/generated/postgresql/',
  'src/adapters/slack/',
  'src/adapters/discord/',
];

describe('npm run build', () => {
  let outdir: string;
  let files: string[];
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'trilha-dist-'));
    const built = spawnSync(process.execPath, [tsx, join(root, 'src', 'cli', 'build.ts'), outdir], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
    files = readdirSync(outdir).filter((file) => file.endsWith('.js'));
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const modulesIn = (names: readonly string[]) =>
    names.map((file) => readFileSync(join(outdir, file), 'utf8')).join('\n');

  it('GIVEN the files every start loads THEN no platform, chart or PostgreSQL library is among them; each is in a lazily loaded file', () => {
    const atStart = modulesIn(staticallyLoaded(outdir));
    const later = modulesIn(files);
    for (const module of loadedWhenNeeded) {
      expect(later, `${module} is bundled`).toContain(`// ${module}`);
      expect(atStart, `${module} is loaded at start`).not.toContain(`// ${module}`);
    }
    // What every mode needs is there from the start (the check above would pass on an empty main.js otherwise).
    expect(atStart).toContain('// src/db/generated/sqlite/');
    expect(atStart).toContain('// node_modules/zod/');
  });

  it('GIVEN the output THEN it holds no TypeScript loader or compiler, and beside it only the packages read from disk', () => {
    const all = modulesIn(files);
    for (const tool of ['tsx', 'typescript', 'esbuild', 'prisma', '@prisma/studio-core']) {
      expect(all).not.toContain(`// node_modules/${tool}/`);
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
});
