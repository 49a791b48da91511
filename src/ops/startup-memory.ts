/**
 * Hands back what start-up used and no longer needs, once, when the platforms are connected: one full, compacting
 * garbage collection that also shrinks V8's young generation (docs/production.md, "Start-up and memory").
 *
 * Why: start-up parses and validates the tracks, compiles the query compiler's WebAssembly and loads the platform's
 * library; what that leaves behind (parsed YAML, zod's intermediate objects, the WebAssembly bytes read from disk)
 * is garbage by the time the bot is connected, and the young generation has grown to its maximum. An idle bot
 * allocates too little for V8 to collect any of it (measured: the resident size stays flat for minutes), so without
 * this the idle process keeps 15 to 20 MB it does not use. The collection blocks the process once (measured in the
 * image: 0.14 to 0.35 s on a loaded 2-core machine; it logs its duration), after "Trilha is ready" and the platforms'
 * connection, before the first interaction is likely.
 *
 * Node has no API for it: V8's `gc` function is exposed to one new, throw-away context only (the flag is turned off
 * again at once, so no other code sees a global `gc`), and asked for its "last resort" collection (the one V8 runs
 * before giving up on memory: compacts the old generation, shrinks the young one, releases pooled pages). A plain
 * full collection frees the garbage but keeps the pages (measured: no smaller). V8 13 (Node 24, the image's) takes
 * that option; older V8s (Node 20, 22) are given none, a plain full collection (Node 20's V8 ignores the option and
 * then keeps objects a plain one frees).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

interface GcOptions {
  readonly type: 'major';
  readonly execution: 'sync';
  readonly flavor: 'last-resort';
}

/** Runs the collection; returns how long it took in milliseconds. */
export function releaseStartupMemory(): number {
  const started = performance.now();
  setFlagsFromString('--expose-gc');
  let gc: ((options?: GcOptions) => void) | undefined;
  try {
    gc = runInNewContext('gc') as (options?: GcOptions) => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  if (Number(process.versions.v8.split('.')[0]) >= 13) gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  else gc();
  return performance.now() - started;
}
