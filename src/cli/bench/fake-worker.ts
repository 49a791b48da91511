/**
 * A platform fake started in a worker thread (the click and budget benchmarks: `slack-fake-worker.ts`,
 * `discord-fake-worker.ts`, `budget-fake-worker.ts`), so the platform's side of a burst does not share the bot's event
 * loop; and a way to ask it something and wait for the answer of that kind. A worker does not inherit tsx's loader on
 * Node 20: a small script registers it, then loads the TypeScript.
 */
import { performance } from 'node:perf_hooks';
import { type MessagePort, parentPort, Worker } from 'node:worker_threads';

export interface FakeWorker<Request, Reply extends { readonly type: string }> {
  /** The first message of that kind the worker sends after this call. */
  next<T extends Reply['type']>(type: T): Promise<Extract<Reply, { type: T }>>;
  ask<T extends Reply['type']>(request: Request, answer: T): Promise<Extract<Reply, { type: T }>>;
}

export function fakeWorker<Request, Reply extends { readonly type: string }>(
  entry: URL,
  workerData: unknown,
): FakeWorker<Request, Reply> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`,
    { eval: true, workerData },
  );
  const next = <T extends Reply['type']>(type: T) =>
    new Promise<Extract<Reply, { type: T }>>((resolve, reject) => {
      const onMessage = (message: Reply) => {
        if (message.type !== type) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(message as Extract<Reply, { type: T }>);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  return {
    next,
    ask: (request, answer) => {
      const reply = next(answer);
      worker.postMessage(request);
      return reply;
    },
  };
}

/**
 * What a burst cost the bot, from now until `per` is called: the process's CPU time (the bot's thread and the fake's)
 * and the time the bot's event loop was busy (its own thread only: its CPU on a quiet machine), each per click.
 */
export function burstUsage(): { per(clicks: number): { cpuMsPerClick: number; loopMsPerClick: number } } {
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  return {
    per(clicks) {
      const used = process.cpuUsage(cpu);
      return {
        cpuMsPerClick: (used.user + used.system) / 1000 / clicks,
        loopMsPerClick: performance.eventLoopUtilization(loop).active / clicks,
      };
    },
  };
}

/** The worker's side: its port to the bench and a typed way to reply on it. */
export function benchPort<Reply>(worker: string): {
  readonly port: MessagePort;
  readonly reply: (message: Reply) => void;
} {
  const port = parentPort;
  if (!port) throw new Error(`${worker} runs in a worker thread`);
  return { port, reply: (message) => port.postMessage(message) };
}

/** Calls `click(i)` for each of `count` clicks, spread evenly over `spreadMs` from now; resolves after the last. */
export async function paced(count: number, spreadMs: number, click: (i: number) => void): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * spreadMs) / count - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    click(i);
  }
}
