/**
 * The engine on a real database, driven the way an adapter drives it: `say` sends what a member typed after
 * `/trilha`, `click` sends a button's action id, and both return the replies. The clock is a value the test moves.
 * This is the contract-test driver for commands (STYLE: "FakeAdapter").
 */
import { join } from 'node:path';
import { type App, openApp } from '../../src/app.ts';
import { loadTracks } from '../../src/content/load-tracks.ts';
import type { Track } from '../../src/core/curriculum.ts';
import type { Locale } from '../../src/core/locale.ts';
import type { Reply } from '../../src/core/message.ts';
import type { Platform } from '../../src/core/ports/members.port.ts';
import type { DatabaseKind } from '../../src/db/schema-files.ts';
import type { Request } from '../../src/runtime/command.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createTestDatabase } from './databases.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');

let dockerTracks: Track[] | undefined;
/** The real Docker track (loaded once per test file). */
export function dockerTrack(): Track[] {
  if (!dockerTracks) {
    const { tracks, problems } = loadTracks(join(repoRoot, 'content'));
    if (problems.length > 0) throw new Error(`content problems: ${problems.length}`);
    dockerTracks = tracks;
  }
  return dockerTracks;
}

export interface TestUser {
  readonly id: string;
  readonly name: string;
  readonly admin?: boolean;
}

export interface TestEngine {
  readonly app: App;
  /** The test's clock: every request carries `clock.now`. */
  readonly clock: { now: Date; advance(ms: number): void };
  say(user: TestUser, text: string, where?: Where): Promise<Reply[]>;
  click(user: TestUser, actionId: string, where?: Where): Promise<Reply[]>;
  request(user: TestUser, where?: Where): Request;
  close(): Promise<void>;
}

/**
 * Where a request comes from: the channel (null = a direct message), and, for a test that acts on several platforms
 * on one database (a Slack and a Discord account of one member), the platform and workspace (the engine's own by
 * default: `terminal` and the `workspace` option).
 */
export interface Where {
  readonly channel?: string | null;
  readonly platform?: Platform;
  readonly workspace?: string;
}

export interface TestEngineOptions {
  readonly tracks?: readonly Track[];
  readonly now?: Date;
  readonly locale?: Locale;
  readonly timeZone?: string;
  readonly workspace?: string;
}

export async function createTestEngine(kind: DatabaseKind, options: TestEngineOptions = {}): Promise<TestEngine> {
  const database = await createTestDatabase(kind, { migrated: true });
  const app = await openApp({
    database: database.target,
    tracks: options.tracks ?? dockerTrack(),
    defaults: { locale: options.locale ?? 'pt-BR', timeZone: options.timeZone ?? 'America/Sao_Paulo' },
    logger: silentLogger(),
  });
  const clock = {
    now: options.now ?? new Date('2026-11-30T12:00:00Z'),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const workspace = options.workspace ?? 'T-TEST';
  const request = (user: TestUser, where: Where = {}): Request => ({
    platform: where.platform ?? 'terminal',
    workspace: { externalId: where.workspace ?? workspace, name: where.workspace ?? 'Test workspace' },
    user: { externalId: user.id, displayName: user.name, isAdmin: user.admin ?? false },
    channel: where.channel === null ? null : { externalId: where.channel ?? 'C-GENERAL', name: 'geral' },
    now: clock.now,
  });
  return {
    app,
    clock,
    request,
    say: (user, text, where) => app.dispatcher.command({ ...request(user, where), text }),
    click: (user, actionId, where) => app.dispatcher.action({ ...request(user, where), actionId }),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** Every button's action id in the replies, in order. */
export function buttonsOf(replies: readonly Reply[]): { label: string; actionId: string }[] {
  return replies.flatMap((reply) =>
    reply.message.blocks.flatMap((block) => (block.kind === 'buttons' ? [...block.buttons] : [])),
  );
}

/** All the text of the replies, for assertions. */
export function textOf(replies: readonly Reply[]): string {
  return replies
    .map((reply) =>
      [
        reply.message.headline ?? '',
        ...reply.message.blocks.map((block) =>
          block.kind === 'buttons'
            ? block.buttons.map((button) => `[${button.label}]`).join(' ')
            : block.kind === 'code'
              ? block.source
              : block.text,
        ),
      ].join('\n'),
    )
    .join('\n---\n');
}
