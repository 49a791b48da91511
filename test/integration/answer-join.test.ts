/**
 * Joining a cohort through the answer path (src/db/answer-batch.ts): a member who scored before (self-study) brings
 * those answers into the cohort's week when their first quiz answer there joins them; a member whose first scored
 * answer is the joining one is counted by the weekly upsert alone (the batch skips the rebuild). Both the same
 * whether the answers come one by one or in one batch, on both databases.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerInput } from '../../src/core/ports/learning.port.ts';
import { PrismaLearningStore } from '../../src/db/learning.repo.ts';
import { type Db, openPrisma } from '../../src/db/prisma-client.ts';
import { availableKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { lessonId, now, type QuizWorld, questionIds, quizWorld } from '../support/quiz-world.ts';

const base = {
  timeZone: 'America/Sao_Paulo',
  trackId: 'docker',
  lessonId,
  lessonQuestionIds: questionIds,
  difficulty: 'easy' as const,
};

/** Member 0 self-studies the third question first; member 1 does not. Then both answer the quiz's first question. */
function answers({ members, cohortId, postedIds }: QuizWorld): AnswerInput[] {
  const [studied, fresh] = members as [string, string];
  const quiz = (memberId: string): AnswerInput => ({
    ...base,
    memberId,
    questionId: questionIds[0] as string,
    context: 'channel_quiz',
    dedupeKey: `pq:${postedIds[0]}`,
    postedQuestionId: postedIds[0] ?? null,
    cohortId,
    scored: true,
    choice: 1,
    correct: true,
    now: new Date(now.getTime() + 60_000),
  });
  return [
    {
      ...base,
      memberId: studied,
      questionId: questionIds[2] as string,
      context: 'self_study',
      dedupeKey: `study:docker/${questionIds[2]}`,
      scored: true,
      choice: 1,
      correct: true,
      now,
    },
    quiz(studied),
    quiz(fresh),
  ];
}

/** The cohort's weekly rows by member index, without ids. */
async function weeks(db: Db, { members }: QuizWorld) {
  const rows = await db.weeklyScore.findMany({ orderBy: { memberId: 'asc' } });
  return rows.map(({ memberId, cohortId: _c, ...rest }) => ({ member: members.indexOf(memberId), ...rest }));
}

describe.each(availableKinds)('joining a cohort by answering (%s)', (kind) => {
  const databases: TestDatabase[] = [];
  const clients: Db[] = [];
  afterEach(async () => {
    for (const db of clients.splice(0)) await db.$disconnect();
    for (const database of databases.splice(0)) await database.drop();
  });

  async function freshWorld(): Promise<{ db: Db; world: QuizWorld; store: PrismaLearningStore }> {
    const database = await createTestDatabase(kind, { migrated: true });
    databases.push(database);
    const db = await openPrisma(database.target);
    clients.push(db);
    const world = await quizWorld(db, 2);
    return { db, world, store: new PrismaLearningStore(db, { kind }) };
  }

  it('GIVEN a member who self-studied before joining THEN the cohort week counts the self-study, one by one or batched', async () => {
    const oneByOne = await freshWorld();
    for (const input of answers(oneByOne.world)) await oneByOne.store.recordAnswer(input);
    const batched = await freshWorld();
    await Promise.all(answers(batched.world).map((input) => batched.store.recordAnswer(input)));

    const expected = await weeks(oneByOne.db, oneByOne.world);
    // The member who studied first: two first tries in the week (the self-study and the quiz answer), both right.
    expect(expected.find((row) => row.member === 0)).toMatchObject({
      answered: 2,
      correct: 2,
      firstTries: 2,
      firstTryCorrect: 2,
      activeDays: 1,
    });
    // The member whose quiz answer was their first: one.
    expect(expected.find((row) => row.member === 1)).toMatchObject({ answered: 1, firstTries: 1, activeDays: 1 });
    expect(await weeks(batched.db, batched.world)).toEqual(expected);
    expect(await batched.db.cohortMember.count()).toBe(2);
  });
});
