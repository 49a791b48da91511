/**
 * The answer path under a burst, on both databases: many members answering the same posted question at once, plus
 * repeated clicks of one member, through the store's `recordAnswer` (as the benchmark calls it). Every answer must
 * count exactly once, and the running totals must equal a recount from the attempts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrismaLearningStore } from '../../src/db/learning.repo.ts';
import { migrateDatabase } from '../../src/db/migrations.ts';
import { type Db, openPrisma } from '../../src/db/prisma-client.ts';
import { availableKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { now, questionIds, quizWorld } from '../support/quiz-world.ts';

const members = 200;
const duplicateClicks = 50;

describe.each(availableKinds)('answers at once (%s)', (kind) => {
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    await migrateDatabase(database.target);
    db = await openPrisma(database.target);
  });
  afterEach(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it(`GIVEN ${members} members and ${duplicateClicks} duplicate clicks on one posted question THEN exactly ${members} scored attempts and totals equal a recount`, async () => {
    const { workspaceId, members: ids, cohortId, postedIds } = await quizWorld(db, members);
    // A second cohort some members already belong to, in another zone: WeeklyScore gets a row in each.
    const night = await db.cohort.create({
      data: { workspaceId, slug: 'noite', name: 'Noite', timeZone: 'Asia/Tokyo' },
    });
    for (const [i, memberId] of ids.entries()) {
      if (i % 4 === 0) await db.cohortMember.create({ data: { cohortId: night.id, memberId } });
    }
    const cohort = { id: cohortId };
    const posted = { id: postedIds[0] as string };

    const store = new PrismaLearningStore(db);
    const answer = (memberId: string, choice: number) =>
      store.recordAnswer({
        memberId,
        timeZone: 'America/Sao_Paulo',
        trackId: 'docker',
        lessonId: 'what-is-docker',
        questionId: questionIds[0] as string,
        lessonQuestionIds: questionIds,
        difficulty: 'easy',
        context: 'channel_quiz',
        dedupeKey: `pq:${posted.id}`,
        postedQuestionId: posted.id,
        cohortId: cohort.id,
        scored: true,
        choice,
        correct: choice === 1,
        now,
      });
    const clicker = ids[7] as string;
    const outcomes = await Promise.all([
      ...ids.map((memberId, i) => answer(memberId, i % 3)),
      ...Array.from({ length: duplicateClicks }, (_, i) => answer(clicker, i % 4)),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === 'scored')).toHaveLength(members);
    expect(outcomes.filter((outcome) => outcome.status === 'duplicate')).toHaveLength(duplicateClicks);
    for (const outcome of outcomes) {
      if (outcome.status === 'duplicate') expect(outcome.previous?.choice).toBe(7 % 3);
    }
    const attempts = await db.attempt.findMany({ where: { postedQuestionId: posted.id } });
    expect(attempts).toHaveLength(members);
    expect(attempts.every((attempt) => attempt.scored)).toBe(true);

    // MemberStats equals a recount from the attempts.
    const stats = await db.memberStats.findMany();
    expect(stats).toHaveLength(members);
    for (const row of stats) {
      const own = attempts.filter((attempt) => attempt.memberId === row.memberId);
      expect(row).toMatchObject({
        xp: own.reduce((sum, attempt) => sum + attempt.xp, 0),
        answered: own.length,
        correct: own.filter((attempt) => attempt.correct).length,
        currentStreak: 1,
        lessonsSeen: 1,
      });
    }
    // Every member joined the channel's cohort; WeeklyScore per cohort equals a recount of its members' attempts.
    expect(await db.cohortMember.count({ where: { cohortId: cohort.id } })).toBe(members);
    for (const [cohortId, week, size] of [
      [cohort.id, '2026-W49', members],
      [night.id, '2026-W49', members / 4],
    ] as const) {
      const scores = await db.weeklyScore.findMany({ where: { cohortId } });
      expect(scores).toHaveLength(size);
      for (const score of scores) {
        const own = attempts.filter((attempt) => attempt.memberId === score.memberId);
        expect(score).toMatchObject({
          week,
          xp: own.reduce((sum, attempt) => sum + attempt.xp, 0),
          answered: own.length,
          correct: own.filter((attempt) => attempt.correct).length,
        });
      }
    }
    expect(await db.reviewCard.count()).toBe(members);
    const totals = await db.weeklyScore.aggregate({ where: { cohortId: cohort.id }, _sum: { xp: true } });
    expect(totals._sum.xp).toBe(attempts.reduce((sum, attempt) => sum + attempt.xp, 0));
  });
});
