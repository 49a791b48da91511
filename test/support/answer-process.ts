/**
 * A bot process for the crash and contention tests (test/integration/crash-safety.test.ts, sqlite-contention.soak.test.ts). Run as its own process
 * (`node --import tsx answer-process.ts`, DATABASE_URL and ANSWER_JOB in its environment), it opens the app as
 * `npm start` does, without migrating (the parent prepared the database with `prepareDrop`), waits for one line on
 * stdin (the parent's "go"), then clicks quiz answers through `app.dispatcher.action`, the one way in every adapter
 * calls, in waves of concurrent clicks. As soon as the dispatcher resolves, it writes one JSON line per click to
 * stdout saying what the member saw: `scored` (the feedback of their answer) or `duplicate` ("you already chose …")
 * are acknowledgements; `unavailable` ("try again", nothing recorded) and `other` are not. A `sent` line before each
 * wave counts the clicks handed to the dispatcher. Writes to a pipe are synchronous on Linux, so a line written before
 * SIGKILL reaches the parent. The app's error logs go to stderr.
 *
 * Imported by the test for its types and `parseLines`; it runs only when started as a process.
 */
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { openApp } from '../../src/app.ts';
import { loadTracks } from '../../src/content/load-tracks.ts';
import { encodeAction } from '../../src/core/action-id.ts';
import { plainText, type Reply } from '../../src/core/message.ts';
import { parseDatabaseUrl } from '../../src/db/database-url.ts';
import { translator } from '../../src/i18n/translator.ts';
import { createLogger } from '../../src/runtime/logger.ts';

/** What one process answers. `pairs` are `[member, question position, choice]`; member `n` is `U<n>` (prepareDrop). */
export interface AnswerJob {
  readonly contentDir: string;
  readonly postedQuestionIds: readonly string[];
  readonly pairs: readonly (readonly [member: number, question: number, choice: number])[];
  /** The clicks' `now` (ISO), inside the drop's open quiz. */
  readonly now: string;
  /** Clicks sent together. */
  readonly wave: number;
  /**
   * Set: a wave starts every `intervalMs` whether or not the earlier ones have their replies (clicks arrive as they
   * do on a platform; answers are being read, written and acknowledged at every moment). Unset: each wave waits for
   * the previous one's replies, then `pauseMs`.
   */
  readonly intervalMs?: number;
  readonly pauseMs?: number;
  /** SQLite only: a shorter busy timeout than the app's 10 s, to make a held lock fail writes within a test. */
  readonly busyTimeoutMs?: number;
}

export type AnswerStatus = 'scored' | 'duplicate' | 'unavailable' | 'other';

export interface AnswerLine {
  readonly member: number;
  readonly question: number;
  readonly choice: number;
  readonly status: AnswerStatus;
  /** Epoch ms when the reply came back. */
  readonly at: number;
  readonly text?: string;
}

export type OutputLine =
  | AnswerLine
  | { readonly event: 'ready' | 'done'; readonly at: number }
  /** `sent` clicks were handed to the dispatcher so far. */
  | { readonly event: 'sent'; readonly sent: number; readonly at: number };

export const isAcknowledged = (line: AnswerLine) => line.status === 'scored' || line.status === 'duplicate';

/** The complete lines of a process's stdout (a line cut by SIGKILL was never seen, so it does not count). */
export function parseLines(stdout: string): OutputLine[] {
  return stdout
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as OutputLine);
}

export const answerLines = (lines: readonly OutputLine[]): AnswerLine[] =>
  lines.filter((line): line is AnswerLine => 'status' in line);

const { t } = translator('pt-BR');
const failures = [t('common.database_unavailable'), t('common.unexpected_error')];
const headlines = new Set([t('learning.answer.right'), t('learning.answer.wrong')]);
const closed = t('learning.answer.closed');
const alreadyChose = t('learning.answer.already_chose', { choice: '\u0000' }).split('\u0000')[0] as string;

/** What the member saw in the replies of one click. */
export function statusOf(replies: readonly Reply[]): AnswerStatus {
  const [reply] = replies;
  if (!reply || replies.length !== 1) return 'other';
  const text = plainText(reply.message);
  if (failures.some((failure) => text.includes(failure))) return 'unavailable';
  if (reply.message.headline && headlines.has(reply.message.headline) && !text.includes(closed)) return 'scored';
  if (text.startsWith(alreadyChose)) return 'duplicate';
  return 'other';
}

function write(line: OutputLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.ANSWER_JOB ?? '') as AnswerJob;
  const target = parseDatabaseUrl(process.env.DATABASE_URL ?? '');
  if ('error' in target) throw new Error(target.error);
  const { tracks, problems } = loadTracks(job.contentDir);
  if (problems.length > 0) throw new Error(`content problems: ${problems.length}`);
  const app = await openApp({
    database: target,
    tracks,
    defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    logger: createLogger('error', pino.destination({ dest: 2, sync: true })),
    migrate: false,
  });
  if (job.busyTimeoutMs !== undefined && target.kind === 'sqlite') {
    await app.db.$queryRawUnsafe(`PRAGMA busy_timeout = ${Math.trunc(job.busyTimeoutMs)}`);
  }
  write({ event: 'ready', at: Date.now() });
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

  const now = new Date(job.now);
  // The request prepareDrop's fixture makes (src/cli/bench/answer-load.ts): the terminal workspace `bench`.
  const click = async ([member, question, choice]: readonly [number, number, number]) => {
    const postedQuestionId = job.postedQuestionIds[question] as string;
    const replies = await app.dispatcher.action({
      platform: 'terminal',
      workspace: { externalId: 'bench', name: 'Bench' },
      user: { externalId: `U${member}`, displayName: `Member ${member}`, isAdmin: false },
      channel: { externalId: 'C-BENCH', name: 'geral' },
      now,
      actionId: encodeAction({ kind: 'answer', postedQuestionId, choice }),
    });
    const status = statusOf(replies);
    write({
      member,
      question,
      choice,
      status,
      at: Date.now(),
      ...(status === 'other' ? { text: replies.map((reply) => plainText(reply.message)).join('\n---\n') } : {}),
    });
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const waves: Promise<unknown>[] = [];
  for (let start = 0; start < job.pairs.length; start += job.wave) {
    const slice = job.pairs.slice(start, start + job.wave);
    write({ event: 'sent', sent: start + slice.length, at: Date.now() });
    const replies = Promise.all(slice.map(click));
    if (job.intervalMs === undefined) {
      await replies;
      if (job.pauseMs) await sleep(job.pauseMs);
    } else {
      waves.push(replies);
      await sleep(job.intervalMs);
    }
  }
  await Promise.all(waves);
  await app.close();
  write({ event: 'done', at: Date.now() });
  process.stdin.destroy();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
