/**
 * SQLite under contention (soak, `npm run test:soak`; docs/decisions/0003-sqlite-writes-under-contention.md): two
 * bot processes answer the same 1,000 clicks on one SQLite file while a third connection holds the write lock, under
 * the busy timeout and past it. The world of bot processes and the recount are in test/support/crash-world.ts.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnswerLine, isAcknowledged } from '../support/answer-process.ts';
import {
  attemptsByPair,
  burst,
  burstSize,
  expectAcknowledgedStored,
  expectOneScoredPerStoredPair,
  expectTotalsMatchAttempts,
  finished,
  pairKey,
  prepareQuiz,
  processTimeout,
  startAnswerer,
  withDb,
} from '../support/crash-world.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

describe('SQLite under contention: two bot processes on one file and a third connection holding the write lock', () => {
  let database: TestDatabase;
  let filePath: string;
  beforeEach(async () => {
    database = await createTestDatabase('sqlite', { migrated: true });
    if (database.target.kind !== 'sqlite') throw new Error('unreachable');
    filePath = database.target.filePath;
  });
  afterEach(async () => {
    await database.drop();
  });

  it('GIVEN both processes answering the same 1,000 clicks and the write lock held for 2 s at the start and 1.5 s mid-burst (under the 10 s busy timeout) THEN writers wait, every click is acknowledged, each answer is scored by one process only and the totals equal a recount', {
    timeout: processTimeout,
  }, async () => {
    const { target } = database;
    const quiz = await prepareQuiz(target);
    const holder = new Database(filePath, { timeout: 10_000 });
    let acknowledged = 0;
    let secondHold: Promise<void> | undefined;
    const hold = (ms: number) => {
      holder.exec('BEGIN IMMEDIATE');
      return new Promise<number>((resolve) =>
        setTimeout(() => {
          holder.exec('COMMIT');
          resolve(Date.now());
        }, ms),
      );
    };
    const onAnswer = (line: AnswerLine) => {
      if (isAcknowledged(line) && ++acknowledged === burstSize) secondHold = hold(1_500).then(() => undefined);
    };
    const options = { wave: 25, pauseMs: 10, onAnswer };
    const a = startAnswerer(target, quiz, burst(0), options);
    const b = startAnswerer(target, quiz, burst(1).reverse(), options);
    try {
      await Promise.all([a.ready, b.ready]);
      const released = hold(2_000);
      a.go();
      b.go();
      const releasedAt = await released;
      const lines = [...(await finished(a)), ...(await finished(b))];
      await secondHold;

      expect(secondHold).toBeDefined();
      expect(lines).toHaveLength(2 * burstSize);
      expect(lines.filter((line) => !isAcknowledged(line))).toEqual([]);
      // Nothing could be written while the lock was held: the writers waited on the busy timeout, none failed; the
      // second hold shows as a pause of about its length between two replies.
      const times = lines.map((line) => line.at).sort((x, y) => x - y);
      expect(times[0]).toBeGreaterThanOrEqual(releasedAt - 50);
      expect(Math.max(...times.slice(1).map((time, i) => time - (times[i] as number)))).toBeGreaterThan(1_000);

      await withDb(target, async (db) => {
        const stored = await attemptsByPair(db, quiz);
        expect(stored.size).toBe(burstSize);
        expectAcknowledgedStored(lines, stored);
        expectOneScoredPerStoredPair(lines, stored);
        expect(lines.filter((line) => line.status === 'duplicate')).toHaveLength(burstSize);
        expect(await expectTotalsMatchAttempts(db, quiz)).toBe(burstSize);
      });
    } finally {
      a.kill();
      b.kill();
      holder.close();
    }
  });

  it('GIVEN a 250 ms busy timeout and the write lock held for 8 s mid-burst (past the timeout and every retry) THEN clicks in the lock get "try again" and record nothing, both processes keep writing after it, no acknowledged answer is lost and the totals equal a recount', {
    timeout: processTimeout,
  }, async () => {
    const { target } = database;
    const quiz = await prepareQuiz(target);
    const holder = new Database(filePath, { timeout: 10_000 });
    let acknowledged = 0;
    let lock: Promise<{ heldAt: number; releasedAt: number }> | undefined;
    const onAnswer = (line: AnswerLine) => {
      if (isAcknowledged(line) && ++acknowledged === 300) {
        holder.exec('BEGIN IMMEDIATE');
        const heldAt = Date.now();
        lock = new Promise((resolve) =>
          setTimeout(() => {
            holder.exec('COMMIT');
            resolve({ heldAt, releasedAt: Date.now() });
          }, 8_000),
        );
      }
    };
    const options = { wave: 25, pauseMs: 20, busyTimeoutMs: 250, onAnswer };
    const a = startAnswerer(target, quiz, burst(0), options);
    const b = startAnswerer(target, quiz, burst(1).reverse(), options);
    try {
      await Promise.all([a.ready, b.ready]);
      a.go();
      b.go();
      const linesA = await finished(a);
      const linesB = await finished(b);
      const { releasedAt } = await (lock ?? Promise.reject(new Error('the lock was never taken')));
      const lines = [...linesA, ...linesB];

      // The lock outlasted the busy timeout and the retries: some clicks were told to try again …
      const refused = lines.filter((line) => line.status === 'unavailable');
      expect(refused.length).toBeGreaterThan(0);
      expect(lines.filter((line) => line.status === 'other')).toEqual([]);
      // … because SQLite said busy (the adapter reports SQLITE_BUSY as a timeout, P1008), logged by the dispatcher …
      const logs = `${a.stderr()}\n${b.stderr()}`;
      expect(logs).toContain('database unavailable after retries');
      expect(logs).toMatch(/P1008|SocketTimeout|SQLITE_BUSY|database is locked/);
      // … and both processes went on writing afterwards: no transaction was left broken.
      for (const own of [linesA, linesB]) {
        expect(own.filter((line) => line.status === 'scored' && line.at > releasedAt).length).toBeGreaterThan(0);
      }

      await withDb(target, async (db) => {
        const stored = await attemptsByPair(db, quiz);
        expectAcknowledgedStored(lines, stored);
        expectOneScoredPerStoredPair(lines, stored);
        expect(await expectTotalsMatchAttempts(db, quiz)).toBe(stored.size);
        // The members told to try again do so: an answer the other process stored meanwhile is a duplicate, the
        // rest is scored now, once.
        const again = startAnswerer(
          target,
          quiz,
          refused.map((line) => [line.member, line.question, line.choice] as const),
          { wave: 100 },
        );
        await again.ready;
        again.go();
        const retried = await finished(again);
        expect(retried.map((line) => line.status)).toEqual(
          refused.map((line) => (stored.has(pairKey(line.member, line.question)) ? 'duplicate' : 'scored')),
        );
      });
      await withDb(target, async (db) => {
        expect((await attemptsByPair(db, quiz)).size).toBe(burstSize);
        expect(await expectTotalsMatchAttempts(db, quiz)).toBe(burstSize);
      });
    } finally {
      a.kill();
      b.kill();
      holder.close();
    }
  });
});
