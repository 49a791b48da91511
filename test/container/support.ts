/**
 * Docker for the container tests: the image they run (TRILHA_IMAGE, `trilha:local` by default, built from the
 * unmodified Dockerfile by .ci/run), whether an Engine answers, and `docker …` run without blocking the event loop
 * (a fake Slack in the same process must keep answering while a container talks to it).
 *
 * Without an Engine or the image the tests skip, saying so in one line; under CI=true that is an error instead
 * (CI builds the image, so a missing one means the run is broken).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';

export const image = process.env.TRILHA_IMAGE ?? 'trilha:local';

function missing(): string | null {
  const engine = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' });
  if (engine.status !== 0) return 'no Docker Engine answers (bash /work/shared/tools/docker-up.sh starts one)';
  const found = spawnSync('docker', ['image', 'inspect', image], { encoding: 'utf8' });
  if (found.status !== 0) return `the image ${image} is not built (docker build --network host -t ${image} .)`;
  return null;
}

/** Why the container tests cannot run here, or null when they can. */
export const unavailable = missing();
/** Under CI the image is expected: its absence fails the run. */
export const required = process.env.CI === 'true';
if (unavailable && !required) console.log(`container tests skipped: ${unavailable}`);

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `docker <args>`, with `input` on its stdin (closed after it), to its end. `env` adds variables to the docker
 * command's environment: `docker run -e NAME` passes a secret by name, so its value is on no command line.
 */
export function docker(args: readonly string[], input = '', env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** `docker <args>` that must succeed; its stdout, trimmed. */
export async function dockerOk(args: readonly string[], input = '', env: Record<string, string> = {}): Promise<string> {
  const ran = await docker(args, input, env);
  if (ran.code !== 0) throw new Error(`docker ${args.join(' ')} exited ${ran.code}: ${ran.stderr.trim()}`);
  return ran.stdout.trim();
}

/** A name no other run uses, for containers and volumes (removed by the tests that make them). */
export function uniqueName(kind: string): string {
  return `trilha-test-${kind}-${randomUUID().slice(0, 8)}`;
}

/** A TCP port free on 127.0.0.1 now (containers on the host network bind it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls `check` every 250 ms until it gives a value, failing after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
