/**
 * The terminal adapter driven line by line, for the end-to-end tests (test/adapters/terminal-e2e.test.ts and the
 * cohort-care tests): each `send` types one line and resolves once the session waits for the next (its `onIdle`
 * hook), never on a timer; and readers for the numbered buttons and direct messages it printed.
 */
import { PassThrough, Writable } from 'node:stream';
import {
  runTerminal,
  type TerminalOptions,
  type TerminalResult,
} from '../../src/adapters/terminal/terminal.adapter.ts';
import type { TestEngine } from './engine.ts';

export interface TerminalDriver {
  readonly ready: Promise<void>;
  /** Everything printed so far. */
  readonly out: string;
  /** Types one line and returns what the terminal printed for it. */
  send(line: string): Promise<string>;
  readonly done: Promise<TerminalResult>;
  /** Ends the input and waits for the session to end. */
  end(): Promise<TerminalResult>;
}

export interface DriveTerminalOptions {
  readonly filesDir?: string;
  /** The simulated workspace (the terminal's `local` by default): two drivers with different ones are two teams. */
  readonly workspace?: TerminalOptions['workspace'];
}

export function driveTerminal(engine: TestEngine, options: DriveTerminalOptions = {}): TerminalDriver {
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
    ...(options.workspace ? { workspace: options.workspace } : {}),
  });
  return {
    ready,
    done,
    get out() {
      return out;
    },
    async send(line) {
      const from = out.length;
      const idle = new Promise<void>((resolve) => waiters.push(resolve));
      input.write(`${line}\n`);
      await Promise.race([idle, done]);
      return out.slice(from);
    },
    end() {
      input.end();
      return done;
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

/** The number of the first option of the first question posted in `out` (a channel quiz of the day). */
export function firstAnswerButton(out: string): string {
  const post = out.split(/^Pergunta 1 de \d+$/m)[1] ?? out.split(/^Question 1 of \d+$/m)[1];
  const match = post ? /^ {2}\[(\d+)\] A\) /m.exec(post) : null;
  if (!match?.[1]) throw new Error(`no question posted in:\n${out.slice(-2000)}`);
  return match[1];
}

/** The number of the button labelled `label` (the last one printed with that label). */
export function buttonNumber(out: string, label: string): string {
  const matches = [...out.matchAll(/^ {2}\[(\d+)\] (.+)$/gm)].filter((match) => match[2] === label);
  const last = matches.at(-1)?.[1];
  if (!last) throw new Error(`no button “${label}” in:\n${out.slice(-2000)}`);
  return last;
}

/** The labels of the direct messages printed in `out` (`✉ Mensagem direta para … · <time>`). */
export function directMessages(out: string): string[] {
  return [...out.matchAll(/^── ✉ (?:Mensagem direta para|Direct message to) (.+) ──$/gm)].map(
    (match) => match[1] ?? '',
  );
}
