/**
 * The world of the crash and contention tests (test/integration/crash-safety.test.ts and
 * sqlite-contention.soak.test.ts; docs/decisions/0003-sqlite-writes-under-contention.md).
 *
 * Real bot processes (test/support/answer-process.ts) answer a posted quiz through the dispatcher, as every adapter
 * does, and report each reply the moment the member would see it. An answer the member saw taken (its feedback, or
 * "you already chose …") is acknowledged and must be in the database whatever happens next. Afterwards the running
 * totals must equal a recount from the Attempt rows, written here from the rules (core/scoring.ts) rather than read
 * back from the code that keeps them.
 */

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { prepareDrop } from '../../src/cli/bench/answer-load.ts';
import { openBenchApp } from '../../src/cli/bench/bench-database.ts';
import type { Question } from '../../src/core/curriculum.ts';
import { XP_DIFFICULTY_BONUS, XP_RIGHT_ANSWER, XP_WRONG_ANSWER } from '../../src/core/scoring.ts';
import type { DatabaseTarget } from '../../src/db/database-url.ts';
import { type Db, openPrisma } from '../../src/db/prisma-client.ts';
import {
  type AnswerJob,
  type AnswerLine,
  answerLines,
  isAcknowledged,
  type OutputLine,
  parseLines,
} from './answer-process.ts';
import { dockerTrack, repoRoot } from './engine.ts';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const answerProcess = join(repoRoot, 'test', 'support', 'answer-process.ts');

/** 334 members × the 3 questions of the first lesson: the burst is the first 1,000 of those pairs. */
export const members = 334;
export const burstSize = 1_000;
/**
 * The tests with bot processes take 10–25 s alone on two cores; the margin is for a full parallel `vitest run`, where
 * the processes share those cores with every other test file.
 */
export const processTimeout = 120_000;
/** The ISO week and local date of a quiz's `now` (prepareDrop posts it on the run's own clock) in America/Sao_Paulo. */
function calendarOf(now: Date): { readonly week: string; readonly localDate: string } {
  const local = DateTime.fromJSDate(now, { zone: 'America/Sao_Paulo' });
  return { week: local.toISOWeekDate()?.slice(0, 8) ?? '', localDate: local.toISODate() ?? '' };
}

export interface Quiz {
  readonly postedQuestionIds: string[];
  readonly questions: readonly Question[];
  readonly now: Date;
}

/** A posted quiz with `members` known members on a migrated database, as the benchmark prepares it. */
export async function prepareQuiz(target: DatabaseTarget): Promise<Quiz> {
  const tracks = dockerTrack();
  const app = await openBenchApp(target, tracks);
  try {
    const fixture = await prepareDrop(app, members);
    const questions = tracks[0]?.lessons[0]?.questions ?? [];
    return { postedQuestionIds: [...fixture.postedQuestionIds], questions, now: fixture.now };
  } finally {
    await app.close();
  }
}

export type Pair = readonly [member: number, question: number, choice: number];

/** The burst in the order a quiz gets it: every member answers the first question, then the second, … */
export function burst(choiceShift = 0): Pair[] {
  return Array.from({ length: burstSize }, (_, i) => {
    const member = i % members;
    const question = Math.floor(i / members);
    return [member, question, (member + question + choiceShift) % 2] as const;
  });
}

export const pairKey = (member: number, question: number) => `${member}/${question}`;

export interface Answerer {
  /** Resolves when the process has opened the app and waits for "go". */
  readonly ready: Promise<void>;
  go(): void;
  kill(): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  lines(): OutputLine[];
  stderr(): string;
}

export function startAnswerer(
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
export async function finished(answerer: Answerer): Promise<AnswerLine[]> {
  const { code } = await answerer.exited;
  expect(code, answerer.stderr()).toBe(0);
  const lines = answerer.lines();
  expect(lines.at(-1)).toMatchObject({ event: 'done' });
  return answerLines(lines);
}

export interface StoredAttempt {
  readonly memberId: string;
  readonly questionId: string;
  readonly postedQuestionId: string | null;
  readonly choice: number;
  readonly correct: boolean;
  readonly scored: boolean;
  readonly xp: number;
}

/** Every attempt, keyed by member number and question position, checking that none is there twice. */
export async function attemptsByPair(db: Db, quiz: Quiz): Promise<Map<string, StoredAttempt>> {
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
export async function expectTotalsMatchAttempts(db: Db, quiz: Quiz): Promise<number> {
  const { week, localDate } = calendarOf(quiz.now);
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
    // docs/scoring.md, "When a lesson is done": seen, and at least half its questions (rounded up) answered.
    const done = answered.size >= Math.ceil(quiz.questions.length / 2);
    expect(row.completedAt !== null, `lesson completion of ${row.memberId}`).toBe(done);
  }
  const answeredQuestions = new Set(attempts.map((attempt) => `${attempt.memberId}/${attempt.questionId}`));
  for (const card of cards) {
    expect(answeredQuestions.has(`${card.memberId}/${card.questionId}`)).toBe(true);
    expect(card.reps).toBe(1);
  }
  return attempts.length;
}

/** Every acknowledged answer has its attempt, with the choice the member made (a duplicate: any earlier choice). */
export function expectAcknowledgedStored(
  lines: readonly AnswerLine[],
  stored: ReadonlyMap<string, StoredAttempt>,
): void {
  for (const line of lines.filter(isAcknowledged)) {
    const attempt = stored.get(pairKey(line.member, line.question));
    expect(attempt, `acknowledged answer ${pairKey(line.member, line.question)} is missing`).toBeDefined();
    if (line.status === 'scored') expect(attempt?.choice).toBe(line.choice);
  }
}

export async function withDb<T>(target: DatabaseTarget, body: (db: Db) => Promise<T>): Promise<T> {
  const db = await openPrisma(target);
  try {
    return await body(db);
  } finally {
    await db.$disconnect();
  }
}

/** Each pair answered by exactly one process as `scored`, with the stored choice; every other click a duplicate. */
export function expectOneScoredPerStoredPair(
  lines: readonly AnswerLine[],
  stored: ReadonlyMap<string, StoredAttempt>,
): void {
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
