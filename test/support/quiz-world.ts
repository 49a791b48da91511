/**
 * A posted quiz straight in the database, for the answer-path integration tests: a workspace, its cohort, a channel,
 * a posted drop of the Docker track's first lesson with one posted question per question, and members.
 */
import type { Db } from '../../src/db/prisma-client.ts';

export const now = new Date('2026-11-30T12:00:00Z');
const day = 86_400_000;
export const lessonId = 'what-is-docker';
export const questionIds = [
  'what-is-docker.not-a-hypervisor',
  'what-is-docker.own-kernel',
  'what-is-docker.kernel-features',
];

export interface QuizWorld {
  readonly workspaceId: string;
  readonly members: string[];
  readonly cohortId: string;
  readonly postedIds: string[];
}

/** A workspace with a cohort, a channel, a posted drop of the first lesson and `count` members. */
export async function quizWorld(db: Db, count: number): Promise<QuizWorld> {
  const workspace = await db.workspace.create({ data: { platform: 'terminal', externalId: 'T1', name: 'W' } });
  const cohort = await db.cohort.create({
    data: { workspaceId: workspace.id, slug: 'geral', name: 'Geral', timeZone: 'America/Sao_Paulo' },
  });
  const channel = await db.channel.create({
    data: {
      workspaceId: workspace.id,
      externalId: 'C1',
      trackId: 'docker',
      cohortId: cohort.id,
      startDate: '2026-11-30',
    },
  });
  const drop = await db.drop.create({
    data: {
      channelId: channel.id,
      localDate: '2026-11-30',
      trackId: 'docker',
      lessonId,
      status: 'posted',
      claimedBy: 'test',
      closesAt: new Date(now.getTime() + day),
      questions: {
        create: questionIds.map((questionId, position) => ({ trackId: 'docker', questionId, position })),
      },
    },
    include: { questions: { orderBy: { position: 'asc' } } },
  });
  const members: string[] = [];
  for (let i = 0; i < count; i++) members.push((await db.member.create({ data: { displayName: `M${i}` } })).id);
  return { workspaceId: workspace.id, members, cohortId: cohort.id, postedIds: drop.questions.map((q) => q.id) };
}
