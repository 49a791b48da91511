/**
 * The terminal adapter driven line by line for the cohort-care tests (as test/adapters/terminal-e2e.test.ts does):
 * each `send` types one line and resolves once the session waits for the next (its `onIdle` hook), never on a timer.
 */
import { PassThrough, Writable } from 'node:stream';
import { runTerminal, type TerminalResult } from '../../src/adapters/terminal/terminal.adapter.ts';
import type { TestEngine } from '../support/engine.ts';

export interface TerminalDriver {
  readonly ready: Promise<void>;
  /** Types one line and returns what the terminal printed for it. */
  send(line: string): Promise<string>;
  readonly done: Promise<TerminalResult>;
}

export function driveTerminal(engine: TestEngine, options: { readonly filesDir?: string } = {}): TerminalDriver {
  const input = new PassThrough();
  let out = '';
  const output = new Writable({
    write(chunk, _encoding, callback) {
      out += String(chunk);
      callback();
    },
  });
  const waiters: (() => void)[] = [];
  const ready = new Promise<void>((resolve) => waiters.push(resolve));
  const done = runTerminal({
    app: engine.app,
    input,
    output,
    interactive: false,
    now: engine.clock.now,
    onIdle: () => waiters.shift()?.(),
    ...(options.filesDir ? { filesDir: options.filesDir } : {}),
  });
  return {
    ready,
    done,
    async send(line) {
      const from = out.length;
      const idle = new Promise<void>((resolve) => waiters.push(resolve));
      input.write(`${line}\n`);
      await Promise.race([idle, done]);
      return out.slice(from);
    },
  };
}

/** The answer buttons of each question (`Pergunta k de n`) in `out`: number and letter, in question order. */
export function questionButtons(out: string): { number: number; letter: string }[][] {
  const posts = out.split(/^(?:Pergunta|Question) \d+ (?:de|of) \d+$/m).slice(1);
  return posts.map((post) =>
    [...(post.split('\n\n')[0] ?? '').matchAll(/^ {2}\[(\d+)\] ([A-D])\) /gm)].map((match) => ({
      number: Number(match[1]),
      letter: match[2] ?? '',
    })),
  );
}
