/**
 * `npm run build`: what production runs, in dist/ (the image's `node --enable-source-maps dist/main.js`).
 *
 * esbuild bundles src/main.ts with the libraries it reaches into ES modules (no TypeScript loader at run time), with
 * linked source maps (paths into src/, no copy of the sources) so stack traces name the .ts lines. A bundle, not a
 * file-per-file `tsc` emit, because a bundle keeps only the code that is reached: ECharts' 60 MB package becomes the
 * line chart and the SVG renderer, Prisma's runtime keeps its SQLite and PostgreSQL query compilers, and none of
 * node_modules has to ship. Code splitting keeps every dynamic `import()` a separate file, loaded when first used (a
 * platform's library, the chart renderer, the query compiler of the database in use).
 *
 * What a bundle cannot hold ships next to it, in dist/node_modules (the packages below, marked external, only the
 * files they read): better-sqlite3's native module, resvg's, the WebAssembly schema engine that applies migrations,
 * the two DejaVu fonts of the charts. The tracks (content/) and migrations (prisma/) are read from the working
 * directory's folders, as under `npm start`.
 *
 * Two adjustments for the bundle: every file shares one `require` (CommonJS libraries in an ES module bundle need
 * it), and a source file's `import.meta.dirname` keeps meaning its folder in src/ (schema-files.ts finds prisma/ by
 * it), since all output files sit directly in dist/.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { chartFontFiles } from '../reports/charts.ts';

const root = join(import.meta.dirname, '..', '..');
const outdir = join(root, 'dist');

/** The packages that ship as files next to the bundle, and which of their files (all of them when not listed). */
const shipped: Record<string, readonly string[] | 'all'> = {
  'better-sqlite3': ['package.json', 'LICENSE', 'lib', 'build/Release/better_sqlite3.node'],
  bindings: 'all',
  'file-uri-to-path': 'all',
  '@resvg/resvg-js': 'all',
  ...Object.fromEntries(resvgBinaries().map((name) => [name, 'all'])),
  'dejavu-fonts-ttf': [
    'package.json',
    'LICENSE',
    ...chartFontFiles.map((file) => relative(packageDir('dejavu-fonts-ttf'), file)),
  ],
  '@prisma/schema-engine-wasm': ['package.json', 'schema_engine_bg.js', 'schema_engine_bg.wasm'],
};

/** Optional packages some libraries try to load and do without (not installed). */
const optional = ['pg-native', 'zlib-sync', 'bufferutil', 'utf-8-validate', '@discordjs/voice'];

function packageDir(name: string): string {
  return join(root, 'node_modules', name);
}

/** resvg's prebuilt binaries for this platform (its optional dependencies, one per platform). */
function resvgBinaries(): string[] {
  return readdirSync(join(root, 'node_modules', '@resvg'))
    .filter((name) => name.startsWith('resvg-js-'))
    .map((name) => `@resvg/${name}`);
}

const sourceDirnames: Plugin = {
  name: 'source-dirnames',
  setup(context) {
    context.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.dirname')) return undefined;
      const fromDist = `${relative(outdir, dirname(args.path)).split('\\').join('/')}/`;
      const folder = `decodeURIComponent(new URL(${JSON.stringify(fromDist)}, import.meta.url).pathname)`;
      return { contents: source.replaceAll('import.meta.dirname', folder), loader: 'ts' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const started = performance.now();
const result = await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  sourcesContent: false,
  chunkNames: '[name]-[hash]',
  external: [...Object.keys(shipped), ...optional],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  plugins: [sourceDirnames],
  metafile: true,
  logLevel: 'warning',
});

for (const [name, files] of Object.entries(shipped)) {
  const from = packageDir(name);
  const to = join(outdir, 'node_modules', name);
  mkdirSync(to, { recursive: true });
  for (const file of files === 'all' ? ['.'] : files) {
    if (!existsSync(join(from, file))) continue;
    cpSync(join(from, file), join(to, file), { recursive: true, dereference: true });
  }
}

// The bundle is ES modules; dist/ says so itself, so it runs wherever it is copied without the project's package.json.
writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);

const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
const files = Object.keys(result.metafile.outputs).length;
console.log(
  `dist/: ${files} files, ${(bytes / 1e6).toFixed(1)} MB of JavaScript and source maps, ` +
    `${Object.keys(shipped).length} packages beside it, in ${Math.round(performance.now() - started)} ms`,
);
