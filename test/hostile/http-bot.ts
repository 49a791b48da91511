/**
 * The real bot for the hostile HTTP suites: `src/main.ts` started as an operator starts it (as
 * test/integration/start-slack.test.ts does), in Slack HTTP mode against a fake Slack, with its operations endpoints,
 * both on 127.0.0.1 and ports the system picks. Plus raw-socket helpers, so a request can be anything a client can
 * write (any method, any request-target, no Content-Length, a body sent slowly or never).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FakeSlack, formBody, signedRequest, slackSignature } from '../fakes/slack.ts';

const root = join(import.meta.dirname, '..', '..');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export const botToken = 'xoxb-1111-secret-bot-token';
export const signingSecret = 'hostile-suite-signing-secret-5e1f';

export interface RunningBot {
  readonly child: ChildProcessWithoutNullStreams;
  readonly slackPort: number;
  readonly opsPort: number;
  /** The Slack request URL (SLACK_PATH on the receiver's port). */
  readonly url: string;
  out(): string;
  err(): string;
  /** The process has not exited. */
  alive(): boolean;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** The exit code, once the process has ended by itself. */
  stopped(): Promise<number | null>;
}

export async function startBot(
  fake: FakeSlack,
  env: Readonly<Record<string, string>> = {},
  /** Modules loaded before the bot (`--import`), e.g. one that makes a failure on a signal. */
  preload: readonly string[] = [],
): Promise<RunningBot> {
  const cwd = mkdtempSync(join(tmpdir(), 'trilha-hostile-'));
  const imports = preload.flatMap((module) => ['--import', module]);
  const child = spawn(process.execPath, ['--import', tsx, ...imports, join(root, 'src', 'main.ts')], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      TRILHA_CONTENT_DIR: join(root, 'test', 'fixtures', 'content'),
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: fake.apiUrl,
      SLACK_PORT: '0',
      TRILHA_HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const deadline = Date.now() + 45_000;
  let slackPort: number | undefined;
  let opsPort: number | undefined;
  while (slackPort === undefined || opsPort === undefined) {
    if (exitCode !== undefined || Date.now() > deadline) {
      rmSync(cwd, { recursive: true, force: true });
      throw new Error(`the bot did not start (exit ${exitCode}):\n${out}\n${err}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    slackPort ??= portIn(out, /slack: listening on port (\d+)/);
    opsPort ??= portIn(out, /ops: .* on port (\d+)/);
  }
  return {
    child,
    slackPort,
    opsPort,
    url: `http://127.0.0.1:${slackPort}/slack/events`,
    out: () => out,
    err: () => err,
    alive: () => exitCode === undefined,
    stopped: () => exited,
    async stop() {
      if (exitCode === undefined) child.kill('SIGTERM');
      const code = await exited;
      rmSync(cwd, { recursive: true, force: true });
      return code;
    },
  };
}

function portIn(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** `/trilha <text>` signed as Slack signs it; gives the status and the response_url id its answer goes to. */
export async function signedCommand(
  bot: RunningBot,
  fake: FakeSlack,
  text: string,
): Promise<{ status: number; responseId: string }> {
  const payload = fake.slashCommand({ text, userId: 'U-ANA', channelId: 'C1' });
  const response = await signedRequest(bot.url, signingSecret, formBody(payload));
  return { status: response.status, responseId: String(payload.response_url).split('/').pop() ?? '' };
}

/** Waits until the fake Slack got `count` answers on the response_url `id` (or 10 s). */
export async function answersTo(fake: FakeSlack, id: string, count = 1): Promise<number> {
  for (let i = 0; i < 400 && fake.responses.filter((r) => r.id === id).length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return fake.responses.filter((r) => r.id === id).length;
}

/** The headers Slack would send with `body` now: a fresh timestamp and its signature. */
export function slackHeaders(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(signingSecret, timestamp, body),
  };
}

/** An HTTP/1.1 request written by hand: a request line, headers as given (no others), then the body. */
export function rawRequest(
  method: string,
  target: string,
  headers: Readonly<Record<string, string>>,
  body = '',
): string {
  const lines = [
    `${method} ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

export interface RawExchange {
  /** The status of the first response, or null when the connection closed (or `timeoutMs` passed) without one. */
  readonly status: number | null;
  readonly text: string;
}

/** Writes `text` on a fresh TCP connection; resolves with the first response's status once its head arrived. */
export function exchange(port: number, text: string, timeoutMs = 5_000): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      resolve({ status: match ? Number(match[1]) : null, text: received });
    };
    const timer = setTimeout(settle, timeoutMs);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) settle();
    });
    socket.on('close', settle);
    socket.on('error', settle);
    socket.write(text, 'latin1');
  });
}

/** Opens a connection and writes only `head` (a body promised but not sent yet); the caller trickles or ends it. */
export function openRaw(port: number, head: string): Promise<{ socket: Socket; response: Promise<RawExchange> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head, 'latin1');
      resolve({ socket, response });
    });
    let received = '';
    const response = new Promise<RawExchange>((done) => {
      const settle = () => {
        const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
        done({ status: match ? Number(match[1]) : null, text: received });
      };
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        if (received.includes('\r\n\r\n')) settle();
      });
      socket.on('close', settle);
    });
    socket.on('error', (error) => {
      if (!socket.writable) reject(error);
    });
  });
}

/** A sample of the ops endpoint's /metrics (Prometheus text), e.g. `process_resident_memory_bytes`. */
export async function metricValue(bot: RunningBot, name: string, labels = ''): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${bot.opsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}
