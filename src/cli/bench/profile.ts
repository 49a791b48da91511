/**
 * Where an answer's time goes: a V8 CPU profile of the SQLite answer path (the same sampling profiler as
 * `node --cpu-prof`, started through `node:inspector` around the measured run only, so start-up and seeding are not
 * in it), summarised as self time per layer with each layer's top functions. The raw profile is written next to
 * the system's temporary files (`.cpuprofile`: open it in Chrome DevTools or speedscope) and its path printed.
 *
 * Layers, by the source file of each sampled function: adapter (src/adapters), dispatcher (src/runtime), command
 * (src/commands, src/core, src/i18n), repositories (src/db, Trilha's own), Prisma (the generated client, @prisma
 * packages and the query compiler's WebAssembly), driver (better-sqlite3's JavaScript, Prisma's adapter for it and
 * src/db/sqlite-statements.ts, the answer path's statements on it), SQLite (native code entered from the driver), Node.js (node: internals), garbage collector, other libraries.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface LayerRow {
  readonly layer: string;
  readonly selfMs: number;
  readonly share: number;
  /** The layer's functions with the most self time: `name (file:line) ms`. */
  readonly top: readonly string[];
}

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  readonly layers: readonly LayerRow[];
}

/** Runs `body` under the CPU profiler (sampling every 100 µs) and summarises the profile by layer. */
export async function profileOf(name: string, body: () => Promise<unknown>): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const outcome = await body().then(
      () => null,
      (error: unknown) => ({ error }),
    );
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    await session.post('Profiler.disable');
    if (outcome) throw outcome.error;
    const file = join(tmpdir(), `trilha-${name}-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return summarise(profile, file);
  } finally {
    session.disconnect();
  }
}

const layerOfUrl = (url: string): string | null => {
  if (url === '') return null;
  if (url.startsWith('wasm://')) return 'Prisma';
  if (url.startsWith('node:')) return 'Node.js';
  if (url.includes('/src/db/generated/') || url.includes('/@prisma/client/')) return 'Prisma';
  if (
    url.includes('/@prisma/adapter-better-sqlite3/') ||
    url.includes('/better-sqlite3/') ||
    url.endsWith('/src/db/sqlite-statements.ts')
  )
    return 'driver';
  if (url.includes('/@prisma/')) return 'Prisma';
  if (url.includes('/src/adapters/')) return 'adapter';
  if (url.includes('/src/runtime/')) return 'dispatcher';
  if (url.includes('/src/commands/') || url.includes('/src/core/') || url.includes('/src/i18n/')) return 'command';
  if (url.includes('/src/db/')) return 'repositories';
  if (url.includes('/node_modules/')) return 'other libraries';
  return 'other';
};

/** Self time per node from the samples, then per layer; a native frame takes the layer of its JavaScript caller. */
function summarise(profile: CpuProfile, file: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // Each sample's time is the delta to the next one.
    const id = samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? 0));
  }
  const layerOf = (id: number): string => {
    const node = byId.get(id);
    if (!node) return 'other';
    const { functionName, url } = node.callFrame;
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8 (program)';
    const own = layerOfUrl(url);
    if (own) return own;
    // Native code: SQLite when entered from the driver, else the caller's layer.
    const caller = parent.get(id);
    if (caller === undefined) return 'other';
    const callerLayer = layerOf(caller);
    return callerLayer === 'driver' ? 'SQLite (native)' : callerLayer;
  };
  const layers = new Map<string, { us: number; functions: Map<string, number> }>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || us === 0) continue;
    const layer = layerOf(id);
    if (layer === 'idle') continue;
    totalUs += us;
    const entry = layers.get(layer) ?? { us: 0, functions: new Map<string, number>() };
    entry.us += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${lineNumber + 1}` : 'native';
    const label = `${functionName || '(anonymous)'} (${where})`;
    entry.functions.set(label, (entry.functions.get(label) ?? 0) + us);
    layers.set(layer, entry);
  }
  const rows = [...layers.entries()]
    .map(([layer, { us, functions }]) => ({
      layer,
      selfMs: us / 1000,
      share: totalUs > 0 ? us / totalUs : 0,
      top: [...functions.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([label, fus]) => `${label} ${(fus / 1000).toFixed(0)} ms`),
    }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { file, totalMs: totalUs / 1000, layers: rows };
}
