/**
 * `npm test`: the type check, Biome and the content check run while vitest runs, instead of before it. Vitest's
 * workers spend most of their time waiting on databases, child processes and sockets, so the checks (about 25 s of
 * CPU, tsc most of it) fit in their waits: on a 2-core machine the whole run takes about as long as vitest alone.
 *
 * Vitest keeps the terminal (its live report) and the CPU first (the checks run at a lower priority); each check's
 * output is kept and printed after vitest ends, with its verdict and time. The run fails when any of the four fails. Arguments go to vitest (`npm test -- test/adapters`).
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';

interface Check {
  readonly name: string;
  readonly args: readonly string[];
}

/** The package.json scripts run beside vitest, in the order their reports are printed. */
const checks: readonly Check[] = [
  { name: 'typecheck', args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', args: ['run', '--silent', 'lint'] },
  { name: 'content:check', args: ['run', '--silent', 'content:check'] },
];

interface Outcome {
  readonly name: string;
  readonly code: number;
  readonly seconds: number;
  readonly output: string;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(name: string, command: string, args: readonly string[], keepOutput: boolean): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: keepOutput ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      shell: process.platform === 'win32',
    });
    // The checks yield the CPU to vitest, whose tests have deadlines (a burst of clicks acknowledged in time).
    if (keepOutput && child.pid !== undefined) {
      try {
        setPriority(child.pid, 10);
      } catch {
        // Not allowed here: the checks run at vitest's priority, which only costs time.
      }
    }
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = (code: number) =>
      resolve({
        name,
        code,
        seconds: (performance.now() - started) / 1000,
        output: Buffer.concat(chunks).toString('utf8'),
      });
    child.on('error', (error) => {
      chunks.push(Buffer.from(`${error.message}\n`));
      done(1);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

const checking = Promise.all(checks.map((check) => run(check.name, npm, check.args, true)));
const vitest = await run(
  'vitest',
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)],
  false,
);
const outcomes = await checking;

for (const outcome of outcomes) {
  const verdict = outcome.code === 0 ? 'ok' : `failed (exit ${outcome.code})`;
  process.stdout.write(`\n> ${outcome.name}: ${verdict}, ${outcome.seconds.toFixed(1)} s\n`);
  const output = outcome.output.trimEnd();
  if (output !== '') process.stdout.write(`${output}\n`);
}
const failed = [...outcomes, vitest].filter((outcome) => outcome.code !== 0).map((outcome) => outcome.name);
if (failed.length > 0) process.stdout.write(`\nnpm test failed: ${failed.join(', ')}\n`);
process.exitCode = failed.length > 0 ? 1 : 0;
