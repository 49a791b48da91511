/**
 * `npm run build`: what production runs, in dist/ (the image's `node --enable-source-maps dist/main.js`).
 *
 * esbuild bundles src/main.ts with the libraries it reaches into ES modules (no TypeScript loader at run time), with
 * linked source maps so stack traces name the .ts lines. The maps cover Trilha's own code only (paths into src/, no
 * copy of the sources): a library's frames read well as bundled JavaScript, and Node keeps every map it loads in
 * memory (with maps of every library, 50 MB more heap at idle). A bundle, not a
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
 *
 * Made for a quick start and a small idle process (docs/production.md, "Memory"): V8 parses each file it loads and
 * keeps its source for the life of the process, so the output has no comments or indentation (names stay: a library's
 * stack frame still names its function), licence notices go to a .LEGAL.txt beside each file, every character is
 * ASCII (one other would make V8 keep the whole file at two bytes a character), and Prisma's query compilers are read from
 * .wasm files instead of 4.4 MB Base64 modules. `--metafile <file>` writes esbuild's account of what each output file
 * holds and imports (test/ops/bundle.test.ts reads what each mode loads from it).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { chartFontFiles } from '../reports/charts.ts';

const root = join(import.meta.dirname, '..', '..');
const { values: flags, positionals } = parseArgs({ options: { metafile: { type: 'string' } }, allowPositionals: true });
/** dist/, or the folder given (`npm run build -- <folder>`; the tests build into a temporary one). */
const outdir = resolve(positionals[0] ?? join(root, 'dist'));
/** The digits of source maps' Base64 VLQ numbers. */
const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

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

/**
 * Characters beyond ASCII, as UTF-16 code units. Node decodes an ES module's file from UTF-8 into a one-byte string
 * only when every byte is ASCII; one other character and V8 keeps the whole source at two bytes a character.
 */
const beyondAscii = /[\u0080-\uffff]/g;

const sourceDirnames: Plugin = {
  name: 'source-dirnames',
  setup(context) {
    context.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const fromDist = `${relative(outdir, dirname(args.path)).split('\\').join('/')}/`;
      const folder = `decodeURIComponent(new URL(${JSON.stringify(fromDist)}, import.meta.url).pathname)`;
      // esbuild escapes such characters in strings but not in regular expressions (`/[–—]/`, `/não/`): written as
      // `\uXXXX`, which means the same in a string, a regular expression (with or without the u flag), an identifier
      // and a comment.
      const contents = readFileSync(args.path, 'utf8')
        .replaceAll('import.meta.dirname', folder)
        .replace(beyondAscii, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * Prisma's query compilers come as modules holding the WebAssembly in Base64 (4.4 MB of JavaScript each): V8 would
 * parse that source and keep it and the string in the heap for good (8.4 MB). Here the module's `wasm` is an object
 * whose `valueOf()` reads the binary from a file beside the bundle: the generated client's `Buffer.from(wasm,
 * 'base64')` takes an object's `valueOf()` (Node's documented rule) and copies the Buffer as it is, and nothing keeps
 * the bytes once the client has compiled them (it compiles each database's once per process).
 */
const wasmFromFiles: Plugin = {
  name: 'wasm-from-files',
  setup(context) {
    context.onLoad({ filter: /[\\/]query_compiler_\w+_bg\.\w+\.wasm-base64\.mjs$/ }, (args) => {
      const base64 = readFileSync(args.path, 'utf8').match(/"([A-Za-z0-9+/=]+)"/)?.[1];
      if (!base64) throw new Error(`no Base64 WebAssembly in ${args.path}`);
      const file = basename(args.path).replace(/\.wasm-base64\.mjs$/, '.wasm');
      mkdirSync(outdir, { recursive: true });
      writeFileSync(join(outdir, file), Buffer.from(base64, 'base64'));
      return {
        contents: `import { readFileSync } from 'node:fs';\nexport const wasm = { valueOf: () => readFileSync(new URL(${JSON.stringify(`./${file}`)}, import.meta.url)) };\n`,
        loader: 'js',
      };
    });
  },
};

/**
 * pino looks up its caller's file on every `pino()` call (to resolve a transport's relative path; Trilha uses no
 * transport) through `util.getCallSites()`, which, when node runs with `--enable-source-maps`, maps each frame through
 * the bundle's source map: that parses main.js's map at start (60,000 mapping entries, about 7 MB of heap for the life
 * of the process) though no stack trace was asked for. Here pino takes its other path, the one it uses on Node < 22.9
 * (`Error.prepareStackTrace` returning V8's call sites, unmapped file names): the map is parsed only when a stack trace
 * is first formatted. The build fails if pino's line changes, rather than losing this unseen.
 */
const pinoCallerUnmapped: Plugin = {
  name: 'pino-caller-unmapped',
  setup(context) {
    context.onLoad({ filter: /[\\/]pino[\\/]lib[\\/]caller\.js$/ }, (args) => {
      const line = 'const getCallSites = util.getCallSites ?? util.getCallSite';
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(line)) throw new Error(`pino's caller.js changed: no "${line}" in ${args.path}`);
      return { contents: source.replace(line, 'const getCallSites = undefined'), loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const started = performance.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'src', 'main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  sourcesContent: false,
  // No comments or indentation: V8 keeps each file's source in memory as long as the process runs, and parses it at
  // start. Names stay, so a library's stack frame still names its function; Trilha's frames map to src/ anyway.
  minifyWhitespace: true,
  // Licence notices in a .LEGAL.txt file beside each output file, not in the source V8 keeps.
  legalComments: 'linked',
  chunkNames: '[name]-[hash]',
  external: [...Object.keys(shipped), ...optional],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  plugins: [sourceDirnames, wasmFromFiles, pinoCallerUnmapped],
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

// A map names its sources relative to itself: Trilha's own are those under src/, not under node_modules/.
const fromOutput = relative(outdir, join(root, 'src')).split('\\').join('/');
const ownSources = { test: (source: string) => source.startsWith(`${fromOutput}/`) };
for (const file of Object.keys(result.metafile.outputs).filter((output) => output.endsWith('.map'))) {
  const path = resolve(root, file);
  writeFileSync(path, JSON.stringify(onlySources(JSON.parse(readFileSync(path, 'utf8')) as SourceMap, ownSources)));
}

// `--metafile <file>`: esbuild's account of which sources went into which output file and what each imports,
// statically or on demand (test/ops/bundle.test.ts reads what each mode loads from it). Not in dist/: nothing runs it.
if (flags.metafile) writeFileSync(resolve(flags.metafile), JSON.stringify(result.metafile));

const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
const files = Object.keys(result.metafile.outputs).length;
console.log(
  `${relative(root, outdir) || outdir}/: ${files} files, ${(bytes / 1e6).toFixed(1)} MB of JavaScript and source maps, ` +
    `${Object.keys(shipped).length} packages beside it, in ${Math.round(performance.now() - started)} ms`,
);

interface SourceMap {
  version: number;
  sources: string[];
  names: string[];
  mappings: string;
  sourcesContent?: string[];
}

/** One mappings segment's fields (Base64 VLQ, relative to the previous segment's), decoded. */
function decodeSegment(text: string): number[] {
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = base64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return fields;
}

function encodeSegment(fields: readonly number[]): string {
  let text = '';
  for (const field of fields) {
    let value = field < 0 ? (-field << 1) | 1 : field << 1;
    do {
      let digit = value & 31;
      value >>>= 5;
      if (value > 0) digit |= 32;
      text += base64[digit];
    } while (value > 0);
  }
  return text;
}

/**
 * The map with only the segments that point into the sources `keep` matches: the others are dropped (those columns
 * then map to the nearest kept segment's line or to nothing), and the sources and names left unused go too.
 */
function onlySources(map: SourceMap, keep: { test(source: string): boolean }): SourceMap {
  const kept = map.sources.map((source) => keep.test(source));
  const sources: string[] = [];
  const sourceIndex = new Map<number, number>();
  const names: string[] = [];
  const nameIndex = new Map<number, number>();
  // Absolute values while reading; relative to the previous written segment while writing.
  const read = { source: 0, line: 0, column: 0, name: 0 };
  const written = { source: 0, line: 0, column: 0, name: 0 };
  const lines = map.mappings.split(';').map((line) => {
    let generated = 0;
    let writtenColumn = 0;
    const out: string[] = [];
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const [column = 0, source, sourceLine = 0, sourceColumn = 0, name] = decodeSegment(segment);
      generated += column;
      if (source === undefined) continue;
      read.source += source;
      read.line += sourceLine;
      read.column += sourceColumn;
      if (name !== undefined) read.name += name;
      if (!kept[read.source]) continue;
      let newSource = sourceIndex.get(read.source);
      if (newSource === undefined) {
        newSource = sources.push(map.sources[read.source] ?? '') - 1;
        sourceIndex.set(read.source, newSource);
      }
      const fields = [
        generated - writtenColumn,
        newSource - written.source,
        read.line - written.line,
        read.column - written.column,
      ];
      writtenColumn = generated;
      written.source = newSource;
      written.line = read.line;
      written.column = read.column;
      if (name !== undefined) {
        let newName = nameIndex.get(read.name);
        if (newName === undefined) {
          newName = names.push(map.names[read.name] ?? '') - 1;
          nameIndex.set(read.name, newName);
        }
        fields.push(newName - written.name);
        written.name = newName;
      }
      out.push(encodeSegment(fields));
    }
    return out.join(',');
  });
  return { version: map.version, sources, names, mappings: lines.join(';') };
}
