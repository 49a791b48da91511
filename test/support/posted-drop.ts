/**
 * A drop inserted as the scheduler would have left it after posting (status posted, open for a day, one posted
 * question per question of the lesson), for tests that need a channel quiz to answer without running the scheduler.
 */
import type { App } from '../../src/app.ts';
import type { Lesson } from '../../src/core/curriculum.ts';

/** Inserts the drop of `lesson` on `localDate` in the channel `channelExternalId`; gives back question id → posted id. */
export async function createPostedDrop(
  app: App,
  input: { channelExternalId: string; localDate: string; trackId: string; lesson: Lesson; postedAt: string },
): Promise<Map<string, string>> {
  const { db } = app;
  const channel = await db.channel.findFirstOrThrow({ where: { externalId: input.channelExternalId } });
  const posting = new Date(input.postedAt);
  const row = await db.drop.create({
    data: {
      channelId: channel.id,
      localDate: input.localDate,
      trackId: input.trackId,
      lessonId: input.lesson.id,
      status: 'posted',
      claimedBy: 'test',
      postedAt: posting,
      closesAt: new Date(posting.getTime() + 24 * 3600_000),
      questions: {
        create: input.lesson.questions.map((question, position) => ({
          trackId: input.trackId,
          questionId: question.id,
          position,
        })),
      },
    },
    include: { questions: true },
  });
  return new Map(row.questions.map((question) => [question.questionId, question.id]));
}
