/**
 * Crash safety (operations issue; docs/decisions/0003-sqlite-writes-under-contention.md): a bot process killed with
 * SIGKILL in the middle of a burst of answers loses no acknowledged answer and leaves whole totals, and SQLite in WAL
 * mode lets a write commit while another connection reads. The world of bot processes and the recount are in
 * test/support/crash-world.ts; two processes on one SQLite file with the write lock held are the soak
 * sqlite-contention.soak.test.ts (`npm run test:soak`).
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrismaClient as SqliteClient } from '../../src/db/generated/sqlite/client.ts';
import { migrateDatabase } from '../../src/db/migrations.ts';
import { openPrisma } from '../../src/db/prisma-client.ts';
import { answerLines, isAcknowledged } from '../support/answer-process.ts';
import {
  attemptsByPair,
  burst,
  burstSize,
  expectAcknowledgedStored,
  expectTotalsMatchAttempts,
  finished,
  pairKey,
  prepareQuiz,
  processTimeout,
  startAnswerer,
  withDb,
} from '../support/crash-world.ts';
import { availableKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';

describe.each(availableKinds)('a bot process killed in the middle of a burst (%s)', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind, { migrated: true });
  });
  afterEach(async () => {
    await database.drop();
  });

  it(`GIVEN ${burstSize} answers in waves and SIGKILL after a random number of acknowledgements THEN every acknowledged answer is stored, and after a restart none is doubled and the totals equal a recount`, {
    timeout: processTimeout,
  }, async () => {
    const { target } = database;
    const quiz = await prepareQuiz(target);
    const pairs = burst();
    const killAfter = 100 + Math.floor(Math.random() * 700);
    let acknowledged = 0;
    // Clicks arrive at 10,000 a second, faster than one process answers them (about 4,000 a second on SQLite,
    // BENCHMARKS.md): answers are always in flight when the kill comes, however fast the answer path gets.
    const first = startAnswerer(target, quiz, pairs, {
      wave: 50,
      intervalMs: 5,
      onAnswer: (line) => {
        if (isAcknowledged(line) && ++acknowledged === killAfter) first.kill();
      },
    });
    await first.ready;
    first.go();
    const killed = await first.exited;
    const context = `killed after ${killAfter} acknowledgements`;
    expect(killed.signal, context).toBe('SIGKILL');
    const beforeCrash = answerLines(first.lines());
    expect(
      first.lines().some((line) => 'event' in line && line.event === 'done'),
      context,
    ).toBe(false);
    expect(
      beforeCrash.every((line) => line.status === 'scored'),
      context,
    ).toBe(true);
    expect(beforeCrash.length, context).toBeGreaterThanOrEqual(killAfter);
    expect(beforeCrash.length, context).toBeLessThan(burstSize);
    // Killed with answers in flight: handed to the dispatcher, not acknowledged.
    const sent = Math.max(...first.lines().map((line) => ('event' in line && line.event === 'sent' ? line.sent : 0)));
    expect(sent, context).toBeGreaterThan(beforeCrash.length);

    // Right after the crash, before any restart: every acknowledged answer is there, and the totals are whole
    // (a transaction the kill cut short left nothing behind).
    const afterCrash = await withDb(target, async (db) => {
      const stored = await attemptsByPair(db, quiz);
      expectAcknowledgedStored(beforeCrash, stored);
      expect(await expectTotalsMatchAttempts(db, quiz)).toBe(stored.size);
      return stored;
    });
    expect(afterCrash.size, context).toBeGreaterThanOrEqual(beforeCrash.length);

    // The restarted bot gets every click again (members click again; platforms redeliver): what was stored is a
    // duplicate, the rest is scored now.
    const second = startAnswerer(target, quiz, pairs, { wave: 100 });
    await second.ready;
    second.go();
    const afterRestart = await finished(second);
    expect(afterRestart).toHaveLength(burstSize);
    for (const line of afterRestart) {
      const wasStored = afterCrash.has(pairKey(line.member, line.question));
      expect(line.status, pairKey(line.member, line.question)).toBe(wasStored ? 'duplicate' : 'scored');
    }

    await withDb(target, async (db) => {
      const stored = await attemptsByPair(db, quiz);
      expect(stored.size).toBe(burstSize);
      expectAcknowledgedStored([...beforeCrash, ...afterRestart], stored);
      expect(await expectTotalsMatchAttempts(db, quiz)).toBe(burstSize);
    });
  });
});

describe('SQLite in WAL mode', () => {
  let database: TestDatabase;
  let filePath: string;
  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    if (database.target.kind !== 'sqlite') throw new Error('unreachable');
    filePath = database.target.filePath;
  });
  afterEach(async () => {
    await database.drop();
  });

  it('GIVEN a connection holding a read transaction while a write transaction commits THEN in WAL (what openPrisma sets) the commit goes through; in rollback-journal mode the same COMMIT fails busy, the trigger of prisma/orm#29933', async () => {
    const { target } = database;
    if (target.kind !== 'sqlite') throw new Error('unreachable');
    await migrateDatabase(target);
    const reader = new Database(filePath);
    const readWhile = async (body: () => Promise<unknown>) => {
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) FROM "Member"').get();
      try {
        return await body();
      } finally {
        reader.exec('COMMIT');
      }
    };
    try {
      const wal = await openPrisma(target);
      try {
        await readWhile(() =>
          wal.$transaction((tx) => tx.member.create({ data: { displayName: 'wal' } }), { maxWait: 2_000 }),
        );
        await wal.member.create({ data: { displayName: 'after' } });
      } finally {
        await wal.$disconnect();
      }
      expect(reader.prepare('SELECT "displayName" AS name FROM "Member" ORDER BY 1').pluck().all()).toEqual([
        'after',
        'wal',
      ]);

      // The same with the journal SQLite uses by default (and the upstream report uses): COMMIT needs every reader
      // gone, waits the busy timeout, and fails.
      expect(reader.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
      const journal = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: filePath, timeout: 100 }) });
      try {
        await expect(
          readWhile(() =>
            journal.$transaction((tx) => tx.member.create({ data: { displayName: 'journal' } }), { maxWait: 2_000 }),
          ),
        ).rejects.toMatchObject({ cause: { originalCode: 'SQLITE_BUSY' } });
      } finally {
        await journal.$disconnect();
      }
    } finally {
      reader.close();
    }
  });
});
