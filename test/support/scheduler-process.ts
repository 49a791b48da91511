/**
 * A bot process for the replica test (test/integration/replicas.soak.test.ts). Run as its own process
 * (`node --import tsx scheduler-process.ts`), it opens the app on DATABASE_URL as `npm start` does, without migrating
 * (the parent migrated and seeded the database) and with the tracks the parent loaded (SCHEDULER_TRACKS, a JSON file:
 * a process starts faster than when it parses the content again). It runs a DropScheduler named SCHEDULER_OWNER whose
 * Notifier is a platform that writes every post to a file of this process's own (SCHEDULER_POSTS: one JSON line per
 * post, written with `writeSync` before `post` returns, so a post survives SIGKILL as a message that reached the chat
 * would) and gives back references unique across processes (owner and a counter). Like Slack (message metadata
 * looked up on a retry) and Discord (`nonce` with `enforce_nonce`), the platform makes keyed posts idempotent: a post
 * whose `PostTarget.key` it already received, from any process, creates nothing and gives back the first post's
 * reference (one file per key in SCHEDULER_KEYS, created atomically with its reference in it).
 *
 * The parent drives a virtual clock through stdin, one command a line; it prints `ready` once the app is open:
 * - `tick <ISO instant>`: `scheduler.tick(instant)`, then prints `done <ISO instant> <TickResult as JSON>`;
 * - `arm <kind>`: SIGKILL itself right after the next post of that kind (`lesson`, `question`, `summary`) reached
 *   the platform, before the scheduler can store its reference (the window between a post and its record);
 *   `arm announce`: right after winning the claim on the end of a track, before posting the announcement;
 * - `disarm <kind>`: forget that armed crash;
 * - `quit` (or the end of stdin): close the app and exit 0.
 *
 * Besides posts, the file gets a line when a store call that follows a post returns (a lesson's or a question's
 * reference stored, a quiz marked closed) and when the end of a track is claimed, so the parent can tell a post whose
 * record was written from one whose process died in between. The app's warnings and errors go to stderr.
 *
 * Imported by the test for its line types; it runs only when started as a process.
 */
import { createHash } from 'node:crypto';
import { linkSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { openApp } from '../../src/app.ts';
import { decodeAction } from '../../src/core/action-id.ts';
import type { Track } from '../../src/core/curriculum.ts';
import { locales } from '../../src/core/locale.ts';
import { type Message, type Notifier, type PostRef, type PostTarget, truncate } from '../../src/core/message.ts';
import type { DropStore } from '../../src/core/ports/drops.port.ts';
import { parseDatabaseUrl } from '../../src/db/database-url.ts';
import { translator } from '../../src/i18n/translator.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { DropScheduler } from '../../src/scheduler/drop-scheduler.ts';

export type PostKind = 'lesson' | 'question' | 'summary' | 'announcement';
export type CrashPoint = 'lesson' | 'question' | 'summary' | 'announce';

/** One post as the platform received it. */
export interface PostLine {
  readonly e: 'post';
  readonly owner: string;
  readonly kind: PostKind;
  /** The reference this platform gave back (unique across processes: owner and a counter). */
  readonly ref: string;
  readonly channel: string;
  readonly threadOf?: string;
  /** Questions: the posted question its answer buttons name. */
  readonly postedQuestionId?: string;
  readonly headline: string;
  /** The virtual instant of the tick that posted it (ISO). */
  readonly tick: string;
  /** True when the process kills itself right after this line (an armed crash). */
  readonly crash?: true;
}

/** A store call that follows a post returned: the post's record is in the database. */
export type RecordLine =
  | { readonly e: 'recorded'; readonly owner: string; readonly what: 'lesson' | 'question'; readonly ref: string }
  | { readonly e: 'closed'; readonly owner: string; readonly dropId: string; readonly ok: boolean }
  | { readonly e: 'end-claimed'; readonly owner: string; readonly channelId: string; readonly tick: string };

/** A keyed post the platform had already received (from this or another process): nothing new was posted. */
export interface DedupedLine {
  readonly e: 'deduped';
  readonly owner: string;
  readonly kind: PostKind;
  readonly key: string;
  /** The reference of the first post with that key, given back again. */
  readonly ref: string;
  /** Whether the scheduler said an earlier try may have posted it (`PostTarget.retry`). */
  readonly retry: boolean;
  readonly tick: string;
}

export type FileLine = PostLine | RecordLine | DedupedLine;

/** The complete lines of a posts file (a line cut by SIGKILL cannot happen with one `writeSync`, but is ignored). */
export function parsePostsFile(text: string): FileLine[] {
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as FileLine);
}

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL sent to oneself is delivered before kill() returns; this only satisfies the type checker.
  throw new Error('unreachable');
}

async function main(): Promise<void> {
  const owner = process.env.SCHEDULER_OWNER ?? '';
  const postsFile = process.env.SCHEDULER_POSTS ?? '';
  const keysDir = process.env.SCHEDULER_KEYS ?? '';
  const tracksFile = process.env.SCHEDULER_TRACKS ?? '';
  if (!owner || !postsFile || !tracksFile || !keysDir)
    throw new Error('SCHEDULER_OWNER, SCHEDULER_POSTS, SCHEDULER_TRACKS and SCHEDULER_KEYS are required');
  const target = parseDatabaseUrl(process.env.DATABASE_URL ?? '');
  if ('error' in target) throw new Error(target.error);
  const tracks = JSON.parse(readFileSync(tracksFile, 'utf8')) as Track[];
  const app = await openApp({
    database: target,
    tracks,
    defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    logger: createLogger('warn', pino.destination({ dest: 2, sync: true })),
    migrate: false,
  });

  const fd = openSync(postsFile, 'a');
  const write = (line: FileLine) => writeSync(fd, `${JSON.stringify(line)}\n`);
  const armed = new Set<CrashPoint>();
  let tick = '';

  // End-of-track announcements are the channel posts whose headline is a track's end (as the scheduler words it).
  const announcements = new Set(
    tracks.flatMap((track) =>
      locales.map((locale) =>
        truncate(translator(locale).t('channels.track_complete.headline', { track: track.title[locale] }), 150),
      ),
    ),
  );
  const kindOf = (to: PostTarget, message: Message): { kind: PostKind; postedQuestionId?: string } => {
    if (!to.threadOf) return { kind: announcements.has(message.headline ?? '') ? 'announcement' : 'lesson' };
    for (const block of message.blocks) {
      if (block.kind !== 'buttons') continue;
      const decoded = decodeAction(block.buttons[0]?.actionId ?? '');
      if (decoded.ok && decoded.action.kind === 'answer') {
        return { kind: 'question', postedQuestionId: decoded.action.postedQuestionId };
      }
    }
    return { kind: 'summary' };
  };

  let posts = 0;
  /** The reference already posted under `key`, or null after storing `ref` as its post (atomically, across processes). */
  const claimKey = (key: string, ref: string): string | null => {
    const path = join(keysDir, createHash('sha256').update(key).digest('hex'));
    const temp = `${path}.${owner.replace(/[^\w-]/g, '_')}.${posts}`;
    writeFileSync(temp, ref);
    try {
      linkSync(temp, path);
      return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return readFileSync(path, 'utf8');
    } finally {
      unlinkSync(temp);
    }
  };
  const notifier: Notifier = {
    async post(to: PostTarget, message: Message): Promise<PostRef> {
      posts++;
      const { kind, postedQuestionId } = kindOf(to, message);
      let ref = `${owner}#${posts}`;
      const earlier = to.key ? claimKey(to.key, ref) : null;
      if (earlier !== null) {
        ref = earlier;
        write({ e: 'deduped', owner, kind, key: to.key ?? '', ref, retry: to.retry === true, tick });
        return { postRef: ref, threadRef: to.threadOf ?? `thread:${ref}` };
      }
      const crash = kind !== 'announcement' && armed.has(kind);
      write({
        e: 'post',
        owner,
        kind,
        ref,
        channel: to.channelRef,
        ...(to.threadOf ? { threadOf: to.threadOf } : {}),
        ...(postedQuestionId ? { postedQuestionId } : {}),
        headline: message.headline ?? '',
        tick,
        ...(crash ? { crash: true as const } : {}),
      });
      // The post reached the platform; the process dies before the scheduler stores anything about it.
      if (crash) die();
      return { postRef: ref, threadRef: to.threadOf ?? `thread:${ref}` };
    },
    async direct(): Promise<PostRef> {
      throw new Error('the replica test sends no direct messages');
    },
  };

  const base = app.services.stores.drops;
  const overrides: Partial<DropStore> = {
    async recordLessonPost(dropId, refs) {
      await base.recordLessonPost(dropId, refs);
      write({ e: 'recorded', owner, what: 'lesson', ref: refs.messageRef });
    },
    async recordQuestionPost(postedQuestionId, messageRef) {
      await base.recordQuestionPost(postedQuestionId, messageRef);
      write({ e: 'recorded', owner, what: 'question', ref: messageRef });
    },
    async markClosed(dropId, claimOwner, now) {
      const ok = await base.markClosed(dropId, claimOwner, now);
      write({ e: 'closed', owner, dropId, ok });
      return ok;
    },
    async claimTrackCompletion(channelId, now, staleAfterMs) {
      const won = await base.claimTrackCompletion(channelId, now, staleAfterMs);
      if (won) {
        write({ e: 'end-claimed', owner, channelId, tick });
        if (armed.has('announce')) die();
      }
      return won;
    },
  };
  const drops = new Proxy(base, {
    get(store, key) {
      const own = Reflect.get(overrides, key);
      if (own !== undefined) return own;
      const value = Reflect.get(store, key, store);
      return typeof value === 'function' ? value.bind(store) : value;
    },
  });
  const scheduler = new DropScheduler({
    services: { ...app.services, stores: { ...app.services.stores, drops } },
    notifier,
    logger: app.logger,
    owner,
  });

  const say = (line: string) => process.stdout.write(`${line}\n`);
  let finished = false;
  const quit = async () => {
    if (finished) return;
    finished = true;
    await scheduler.stop();
    await app.close();
    process.exit(0);
  };
  const input = createInterface({ input: process.stdin });
  // Commands run strictly one after another, in the order they came.
  let queue: Promise<void> = Promise.resolve();
  input.on('line', (line) => {
    queue = queue.then(async () => {
      const [command = '', argument = ''] = line.trim().split(' ');
      if (command === 'tick') {
        tick = argument;
        const result = await scheduler.tick(new Date(argument));
        say(`done ${argument} ${JSON.stringify(result)}`);
      } else if (command === 'arm') {
        armed.add(argument as CrashPoint);
      } else if (command === 'disarm') {
        armed.delete(argument as CrashPoint);
      } else if (command === 'quit') {
        await quit();
      }
    });
  });
  input.on('close', () => {
    queue = queue.then(quit);
  });
  say('ready');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
