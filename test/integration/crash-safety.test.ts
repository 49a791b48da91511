/**
 * Crash safety and SQLite under contention (operations issue; docs/decisions/0003-sqlite-writes-under-contention.md).
 *
 * Real bot processes (test/support/answer-process.ts) answer a posted quiz through the dispatcher, as every adapter
 * does, and report each reply the moment the member would see it. An answer the member saw taken (its feedback, or
 * "you already chose …") is acknowledged and must be in the database whatever happens next: the process killed with
 * SIGKILL in the middle of a burst, a second process writing to the same SQLite file, a third connection holding the
 * write lock. Afterwards the running totals must equal a recount from the Attempt rows, written here from the rules
 * (core/scoring.ts) rather than read back from the code that keeps them.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import { prepareDrop } from '../../src/cli/bench/answer-load.ts';
import type { Question } from '../../src/core/curriculum.ts';
import { XP_DIFFICULTY_BONUS, XP_RIGHT_ANSWER, XP_WRONG_ANSWER } from '../../src/core/scoring.ts';
import type { DatabaseTarget } from '../../src/db/database-url.ts';
import { PrismaClient as SqliteClient } from '../../src/db/generated/sqlite/client.ts';
import { migrateDatabase } from '../../src/db/migrations.ts';
import { type Db, openPrisma } from '../../src/db/prisma-client.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import {
  type AnswerJob,
  type AnswerLine,
  answerLines,
  isAcknowledged,
  type OutputLine,
  parseLines,
} from '../support/answer-process.ts';
import { availableKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { dockerTrack, repoRoot } from '../support/engine.ts';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const answerProcess = join(repoRoot, 'test', 'support', 'answer-process.ts');

/** 334 members × the 3 questions of the first lesson: the burst is the first 1,000 of those pairs. */
const members = 334;
const burstSize = 1_000;
/**
 * The tests with bot processes take 10–25 s alone on two cores; the margin is for a full parallel `vitest run`, where
 * the processes share those cores with every other test file.
 */
const processTimeout = 120_000;
/** The ISO week and local date of prepareDrop's `now` (2026-11-30 13:00 UTC) in America/Sao_Paulo. */
const week = '2026-W49';
const localDate = '2026-11-30';

interface Quiz {
  readonly postedQuestionIds: string[];
  readonly questions: readonly Question[];
  readonly now: Date;
}

/** A posted quiz with `members` known members on a migrated database, as the benchmark prepares it. */
async function prepareQuiz(target: DatabaseTarget): Promise<Quiz> {
  const tracks = dockerTrack();
  const app = await openApp({
    database: target,
    tracks,
    defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    logger: silentLogger(),
  });
  try {
    const fixture = await prepareDrop(app, members);
    const questions = tracks[0]?.lessons[0]?.questions ?? [];
    return { postedQuestionIds: [...fixture.postedQuestionIds], questions, now: fixture.now };
  } finally {
    await app.close();
  }
}

type Pair = readonly [member: number, question: number, choice: number];

/** The burst in the order a quiz gets it: every member answers the first question, then the second, … */
function burst(choiceShift = 0): Pair[] {
  return Array.from({ length: burstSize }, (_, i) => {
    const member = i % members;
    const question = Math.floor(i / members);
    return [member, question, (member + question + choiceShift) % 2] as const;
  });
}

const pairKey = (member: number, question: number) => `${member}/${question}`;

interface Answerer {
  /** Resolves when the process has opened the app and waits for "go". */
  readonly ready: Promise<void>;
  go(): void;
  kill(): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  lines(): OutputLine[];
  stderr(): string;
}

function startAnswerer(
  target: DatabaseTarget,
  quiz: Quiz,
  pairs: readonly Pair[],
  options: Partial<Pick<AnswerJob, 'wave' | 'intervalMs' | 'pauseMs' | 'busyTimeoutMs'>> & {
    onAnswer?: (line: AnswerLine) => void;
  } = {},
): Answerer {
  const job: AnswerJob = {
    contentDir: join(repoRoot, 'content'),
    postedQuestionIds: quiz.postedQuestionIds,
    pairs,
    now: quiz.now.toISOString(),
    wave: options.wave ?? 50,
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    ...(options.pauseMs === undefined ? {} : { pauseMs: options.pauseMs }),
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  };
  const child = spawn(process.execPath, ['--import', tsx, answerProcess], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: target.url, ANSWER_JOB: JSON.stringify(job) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let seen = 0;
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const lines = parseLines(out);
    for (const line of lines.slice(seen)) {
      if ('event' in line && line.event === 'ready') onReady();
      if ('status' in line) options.onAnswer?.(line);
    }
    seen = lines.length;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  // A process that dies before it is ready fails the test with its stderr instead of hanging it.
  const failedEarly = exited.then(({ code, signal }) => {
    throw new Error(`answer process ended before it was ready (${code ?? signal}): ${err}`);
  });
  return {
    ready: Promise.race([ready, failedEarly]),
    go: () => child.stdin.write('go\n'),
    kill: () => child.kill('SIGKILL'),
    exited,
    lines: () => parseLines(out),
    stderr: () => err,
  };
}

/** Waits for a process to finish on its own and returns its answer lines. */
async function finished(answerer: Answerer): Promise<AnswerLine[]> {
  const { code } = await answerer.exited;
  expect(code, answerer.stderr()).toBe(0);
  const lines = answerer.lines();
  expect(lines.at(-1)).toMatchObject({ event: 'done' });
  return answerLines(lines);
}

interface StoredAttempt {
  readonly memberId: string;
  readonly questionId: string;
  readonly postedQuestionId: string | null;
  readonly choice: number;
  readonly correct: boolean;
  readonly scored: boolean;
  readonly xp: number;
}

/** Every attempt, keyed by member number and question position, checking that none is there twice. */
async function attemptsByPair(db: Db, quiz: Quiz): Promise<Map<string, StoredAttempt>> {
  const identities = await db.identity.findMany({ select: { memberId: true, externalId: true } });
  const memberNumber = new Map(identities.map((row) => [row.memberId, Number(row.externalId.slice(1))]));
  const attempts = await db.attempt.findMany();
  const byPair = new Map<string, StoredAttempt>();
  for (const attempt of attempts) {
    const key = pairKey(
      memberNumber.get(attempt.memberId) ?? -1,
      quiz.postedQuestionIds.indexOf(attempt.postedQuestionId ?? ''),
    );
    expect(byPair.has(key), `attempt ${key} stored twice`).toBe(false);
    byPair.set(key, attempt);
  }
  return byPair;
}

/**
 * The running totals equal a recount from the attempts: MemberStats, WeeklyScore, LessonProgress, ReviewCard and
 * the cohort's members, and the XP itself equals what the rules give each attempt (right 10 + difficulty bonus,
 * wrong 2, plus 1 for the first answer of the member's day, which starts a streak of 1).
 */
async function expectTotalsMatchAttempts(db: Db, quiz: Quiz): Promise<number> {
  const attempts = await db.attempt.findMany();
  const byMember = new Map<string, typeof attempts>();
  for (const attempt of attempts) byMember.set(attempt.memberId, [...(byMember.get(attempt.memberId) ?? []), attempt]);
  const questionById = new Map(quiz.questions.map((question) => [question.id, question]));
  const recount = (own: typeof attempts) => ({
    xp: own.reduce((sum, attempt) => sum + attempt.xp, 0),
    answered: own.filter((attempt) => attempt.scored).length,
    correct: own.filter((attempt) => attempt.scored && attempt.correct).length,
  });

  const [stats, weekly, progress, cards, cohortMembers] = await Promise.all([
    db.memberStats.findMany(),
    db.weeklyScore.findMany(),
    db.lessonProgress.findMany(),
    db.reviewCard.findMany(),
    db.cohortMember.findMany(),
  ]);
  expect(stats.map((row) => row.memberId).sort()).toEqual([...byMember.keys()].sort());
  expect(weekly.map((row) => row.memberId).sort()).toEqual([...byMember.keys()].sort());
  expect(progress.map((row) => row.memberId).sort()).toEqual([...byMember.keys()].sort());
  expect(cohortMembers.map((row) => row.memberId).sort()).toEqual([...byMember.keys()].sort());
  expect(cards).toHaveLength(attempts.length);

  for (const row of stats) {
    const own = byMember.get(row.memberId) ?? [];
    const byRules =
      1 +
      own.reduce((sum, attempt) => {
        const question = questionById.get(attempt.questionId);
        if (!question) throw new Error(`no question ${attempt.questionId}`);
        expect(attempt.correct).toBe(attempt.choice === question.correctIndex);
        return sum + (attempt.correct ? XP_RIGHT_ANSWER + XP_DIFFICULTY_BONUS[question.difficulty] : XP_WRONG_ANSWER);
      }, 0);
    expect(row).toMatchObject({
      ...recount(own),
      xp: byRules,
      currentStreak: 1,
      bestStreak: 1,
      lastActiveDate: localDate,
      lessonsSeen: 1,
    });
  }
  for (const row of weekly) {
    expect(row).toMatchObject({ week, ...recount(byMember.get(row.memberId) ?? []) });
  }
  for (const row of progress) {
    const answered = new Set((byMember.get(row.memberId) ?? []).map((attempt) => attempt.questionId));
    expect(row.completedAt !== null, `lesson completion of ${row.memberId}`).toBe(answered.size === 3);
  }
  const answeredQuestions = new Set(attempts.map((attempt) => `${attempt.memberId}/${attempt.questionId}`));
  for (const card of cards) {
    expect(answeredQuestions.has(`${card.memberId}/${card.questionId}`)).toBe(true);
    expect(card.reps).toBe(1);
  }
  return attempts.length;
}

/** Every acknowledged answer has its attempt, with the choice the member made (a duplicate: any earlier choice). */
function expectAcknowledgedStored(lines: readonly AnswerLine[], stored: ReadonlyMap<string, StoredAttempt>): void {
  for (const line of lines.filter(isAcknowledged)) {
    const attempt = stored.get(pairKey(line.member, line.question));
    expect(attempt, `acknowledged answer ${pairKey(line.member, line.question)} is missing`).toBeDefined();
    if (line.status === 'scored') expect(attempt?.choice).toBe(line.choice);
  }
}

async function withDb<T>(target: DatabaseTarget, body: (db: Db) => Promise<T>): Promise<T> {
  const db = await openPrisma(target);
  try {
    return await body(db);
  } finally {
    await db.$disconnect();
  }
}

describe.each(availableKinds)('a bot process killed in the middle of a burst (%s)', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
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
    const first = startAnswerer(target, quiz, pairs, {
      wave: 10,
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

/** Each pair answered by exactly one process as `scored`, with the stored choice; every other click a duplicate. */
function expectOneScoredPerStoredPair(lines: readonly AnswerLine[], stored: ReadonlyMap<string, StoredAttempt>): void {
  const scored = new Map<string, AnswerLine[]>();
  for (const line of lines.filter((l) => l.status === 'scored')) {
    const key = pairKey(line.member, line.question);
    scored.set(key, [...(scored.get(key) ?? []), line]);
  }
  for (const [key, attempt] of stored) {
    expect(scored.get(key), `scored acknowledgements of ${key}`).toHaveLength(1);
    expect(scored.get(key)?.[0]?.choice).toBe(attempt.choice);
  }
  expect([...scored.keys()].every((key) => stored.has(key))).toBe(true);
}

describe('SQLite under contention: two bot processes on one file and a third connection holding the write lock', () => {
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
