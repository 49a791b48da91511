/**
 * The answer path's group commit (src/db/answer-batch.ts), on both databases: a burst written as one batch gives the
 * same outcomes and the same rows as the same answers written one at a time; an answer that cannot be written fails
 * alone; and a thousand first clicks through the dispatcher all get their feedback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import { prepareDrop } from '../../src/cli/bench/answer-load.ts';
import { encodeAction } from '../../src/core/action-id.ts';
import { plainText } from '../../src/core/message.ts';
import type { AnswerInput, AnswerOutcome } from '../../src/core/ports/learning.port.ts';
import { PrismaLearningStore } from '../../src/db/learning.repo.ts';
import { migrateDatabase } from '../../src/db/migrations.ts';
import { type Db, openPrisma } from '../../src/db/prisma-client.ts';
import { translator } from '../../src/i18n/translator.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { availableKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { dockerTrack } from '../support/engine.ts';
import { lessonId, now, questionIds, type QuizWorld as World, quizWorld as world } from '../support/quiz-world.ts';

/**
 * A mixed burst: quiz answers to every question by some members (with repeated clicks among them), a click after the
 * quiz closed, self-study answers, and review answers whose card state the earlier answers of the burst decide.
 */
function burst({ members, cohortId, postedIds }: World): AnswerInput[] {
  const base = {
    timeZone: 'America/Sao_Paulo',
    trackId: 'docker',
    lessonId,
    lessonQuestionIds: questionIds,
    difficulty: 'easy' as const,
    now,
  };
  const inputs: AnswerInput[] = [];
  members.forEach((memberId, m) => {
    questionIds.forEach((questionId, q) => {
      if ((m + q) % 4 === 3) return; // not everyone answers everything
      const quiz = {
        ...base,
        memberId,
        questionId,
        context: 'channel_quiz' as const,
        dedupeKey: `pq:${postedIds[q]}`,
        postedQuestionId: postedIds[q] ?? null,
        cohortId,
        scored: true,
        choice: (m + q) % 3,
        correct: (m + q) % 3 === 1,
      };
      inputs.push(quiz);
      if (m % 3 === 0) inputs.push({ ...quiz, choice: 2, correct: false }); // a second click: a duplicate
    });
    // A review of the first question right after the quiz answer: valid only while the card is at one review.
    inputs.push({
      ...base,
      memberId,
      questionId: questionIds[0] as string,
      context: 'review',
      dedupeKey: `review:docker/${questionIds[0]}:1`,
      expectedCardReps: 1,
      scored: true,
      choice: 1,
      correct: true,
      now: new Date(now.getTime() + 1000),
    });
    // The next day, a second review of it, wrong: a review not kept, and a second active day in the week.
    if (m % 3 === 1) {
      inputs.push({
        ...base,
        memberId,
        questionId: questionIds[0] as string,
        context: 'review',
        dedupeKey: `review:docker/${questionIds[0]}:2`,
        expectedCardReps: 2,
        scored: true,
        choice: 0,
        correct: false,
        now: new Date(now.getTime() + 86_400_000),
      });
    }
    // Self-study of a question already answered in the quiz: scored, but not a first try.
    if (m % 5 !== 0 && m % 2 === 1) {
      inputs.push({
        ...base,
        memberId,
        questionId: questionIds[2] as string,
        context: 'self_study',
        dedupeKey: `study:docker/${questionIds[2]}`,
        scored: true,
        choice: 1,
        correct: true,
        now: new Date(now.getTime() + 2000),
      });
    }
    if (m % 5 === 0) {
      inputs.push({
        ...base,
        memberId,
        questionId: questionIds[2] as string,
        context: 'self_study',
        dedupeKey: `study:docker/${questionIds[2]}`,
        scored: false, // feedback only
        choice: 0,
        correct: false,
      });
    }
  });
  return inputs;
}

/** Everything the answers wrote, without ids and in a stable order. */
async function snapshot(db: Db, { members, postedIds }: World) {
  const index = new Map(members.map((id, i) => [id, i]));
  const who = (memberId: string) => index.get(memberId);
  const key = (dedupeKey: string) => postedIds.reduce((k, id, position) => k.replace(id, `#${position}`), dedupeKey);
  const order = (rows: Record<string, unknown>[]) =>
    rows.map((row) => JSON.stringify(row)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const [attempts, stats, cards, lessons, weekly, cohortMembers] = await Promise.all([
    db.attempt.findMany(),
    db.memberStats.findMany(),
    db.reviewCard.findMany(),
    db.lessonProgress.findMany(),
    db.weeklyScore.findMany(),
    db.cohortMember.findMany(),
  ]);
  return {
    attempts: order(
      attempts.map(({ id: _id, postedQuestionId: _p, memberId, dedupeKey, ...rest }) => ({
        member: who(memberId),
        dedupeKey: key(dedupeKey),
        ...rest,
      })),
    ),
    stats: order(stats.map(({ memberId, updatedAt: _u, ...rest }) => ({ member: who(memberId), ...rest }))),
    cards: order(cards.map(({ memberId, ...rest }) => ({ member: who(memberId), ...rest }))),
    lessons: order(lessons.map(({ memberId, ...rest }) => ({ member: who(memberId), ...rest }))),
    weekly: order(weekly.map(({ memberId, cohortId: _c, ...rest }) => ({ member: who(memberId), ...rest }))),
    cohortMembers: cohortMembers.length,
  };
}

describe.each(availableKinds)('answers in batches (%s)', (kind) => {
  const databases: TestDatabase[] = [];
  const clients: Db[] = [];

  async function freshDb(): Promise<Db> {
    const database = await createTestDatabase(kind);
    databases.push(database);
    await migrateDatabase(database.target);
    const db = await openPrisma(database.target);
    clients.push(db);
    return db;
  }

  beforeEach(() => {
    databases.length = 0;
    clients.length = 0;
  });
  afterEach(async () => {
    for (const db of clients) await db.$disconnect();
    for (const database of databases) await database.drop();
  });

  it('GIVEN a mixed burst THEN one batch gives the outcomes and rows of the same answers recorded one at a time', async () => {
    const [oneByOne, together] = [await freshDb(), await freshDb()];
    const [worldA, worldB] = [await world(oneByOne, 12), await world(together, 12)];
    const inputsA = burst(worldA);
    const inputsB = burst(worldB);
    expect(inputsA.length).toBeGreaterThan(40);

    const storeA = new PrismaLearningStore(oneByOne, { kind });
    const sequential: AnswerOutcome[] = [];
    for (const input of inputsA) sequential.push(await storeA.recordAnswer(input));
    const storeB = new PrismaLearningStore(together, { kind });
    const batched = await Promise.all(inputsB.map((input) => storeB.recordAnswer(input)));

    // Every kind of outcome is in the burst, so the comparison covers them all.
    const statuses = new Set(batched.map((outcome) => outcome.status));
    expect(statuses).toEqual(new Set(['scored', 'duplicate', 'feedback_only']));
    expect(batched.some((o) => o.status === 'scored' && o.lessonCompleted)).toBe(true);
    expect(batched.some((o) => o.status === 'duplicate' && o.previous === null)).toBe(true);
    expect(batched).toEqual(sequential);
    expect(await snapshot(together, worldB)).toEqual(await snapshot(oneByOne, worldA));
  });

  it('GIVEN a mixed burst THEN first tries, reviews kept and active days are counted per member and per week', async () => {
    const db = await freshDb();
    const w = await world(db, 12);
    const inputs = burst(w);
    const store = new PrismaLearningStore(db, { kind });
    const outcomes = await Promise.all(inputs.map((input) => store.recordAnswer(input)));
    // What the counters must be, from the scored answers in arrival order.
    const expected = new Map<string, { f: number; fc: number; r: number; rk: number; days: Set<string> }>();
    const seen = new Set<string>();
    inputs.forEach((input, i) => {
      if (outcomes[i]?.status !== 'scored') return;
      const row = expected.get(input.memberId) ?? { f: 0, fc: 0, r: 0, rk: 0, days: new Set<string>() };
      const question = `${input.memberId}/${input.questionId}`;
      if (!seen.has(question)) {
        row.f += 1;
        row.fc += input.correct ? 1 : 0;
        seen.add(question);
      }
      if (input.context === 'review') {
        row.r += 1;
        row.rk += input.correct ? 1 : 0;
      }
      row.days.add(input.now.toLocaleDateString('en-CA', { timeZone: 'America/Sao_Paulo' }));
      expected.set(input.memberId, row);
    });
    expect([...expected.values()].some((row) => row.days.size === 2 && row.r === 2 && row.rk === 1)).toBe(true);
    const stats = await db.memberStats.findMany();
    // Some scored answers are neither a first try nor a review (self-study of a question met in the quiz).
    expect(stats.some((row) => row.answered > row.firstTries + row.reviews)).toBe(true);
    const weekly = await db.weeklyScore.findMany();
    expect(weekly.every((row) => row.week === '2026-W49')).toBe(true);
    for (const [memberId, want] of expected) {
      const counters = { firstTries: want.f, firstTryCorrect: want.fc, reviews: want.r, reviewsKept: want.rk };
      expect(stats.find((row) => row.memberId === memberId)).toMatchObject(counters);
      expect(weekly.find((row) => row.memberId === memberId)).toMatchObject({
        ...counters,
        activeDays: want.days.size,
      });
    }
  });

  it('GIVEN a batch with an answer that cannot be stored THEN that answer alone fails and the rest are recorded once', async () => {
    const db = await freshDb();
    const { members, cohortId, postedIds } = await world(db, 5);
    const store = new PrismaLearningStore(db, { kind });
    const answer = (memberId: string): AnswerInput => ({
      memberId,
      timeZone: 'America/Sao_Paulo',
      trackId: 'docker',
      lessonId,
      questionId: questionIds[0] as string,
      lessonQuestionIds: questionIds,
      difficulty: 'easy',
      context: 'channel_quiz',
      dedupeKey: `pq:${postedIds[0]}`,
      postedQuestionId: postedIds[0] ?? null,
      cohortId,
      scored: true,
      choice: 1,
      correct: true,
      now,
    });
    // A member deleted meanwhile (their "delete my data"): the batch's transaction fails on the foreign key.
    const results = await Promise.allSettled(
      [...members, 'no-such-member'].map((id) => store.recordAnswer(answer(id))),
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect(await db.attempt.count()).toBe(members.length);
    const stats = await db.memberStats.findMany();
    expect(stats.map((row) => row.answered)).toEqual(members.map(() => 1));
  });

  it('GIVEN a thousand first clicks through the dispatcher at once THEN every member gets feedback and it counts once', async () => {
    const database = await createTestDatabase(kind);
    databases.push(database);
    const app = await openApp({
      database: database.target,
      tracks: dockerTrack(),
      defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
      logger: silentLogger(),
    });
    try {
      const count = 1_000;
      const fixture = await prepareDrop(app, count);
      const postedQuestionId = fixture.postedQuestionIds[0] as string;
      const replies = await Promise.all(
        Array.from({ length: count }, (_, member) =>
          app.dispatcher.action(
            fixture.request(
              member,
              encodeAction({ kind: 'answer', postedQuestionId, choice: member % 2 }),
              fixture.now,
            ),
          ),
        ),
      );
      const failure = translator('pt-BR').t('common.unexpected_error');
      const texts = replies.map((reply) => reply.map((r) => plainText(r.message)).join('\n'));
      expect(texts.filter((text) => text.includes(failure))).toEqual([]);
      expect(texts.every((text) => text.includes('XP'))).toBe(true);
      expect(await app.db.attempt.count()).toBe(count);
      const totals = await app.db.memberStats.aggregate({ _sum: { answered: true } });
      expect(totals._sum.answered).toBe(count);
    } finally {
      await app.close();
    }
  });
});
