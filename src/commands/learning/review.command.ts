import { z } from 'zod';
import { encodeAction } from '../../core/action-id.ts';
import type { Reply } from '../../core/message.ts';
import { pickReviewQueue } from '../../core/review-scheduler.ts';
import { type CommandContext, defineCommand } from '../../runtime/command.ts';
import { commandButton, formatInstant, noticeWithButtons, questionReplies, trackFor } from './learning.shared.ts';

/** A review session is a few minutes, a daily habit. */
const reviewSize = 5;

export default defineCommand({
  id: 'review',
  names: { 'pt-BR': 'revisar', en: 'review' },
  aliases: ['revisao', 'revisão'],
  summary: {
    'pt-BR': 'Revisão espaçada: as perguntas que você está perto de esquecer.',
    en: 'Spaced review: the questions you are about to forget.',
  },
  usage: { 'pt-BR': '', en: '' },
  examples: { 'pt-BR': ['revisar'], en: ['review'] },
  parse: () => ({}),
  args: z.object({}),
  handler: (ctx) => review(ctx),
});

async function review(ctx: CommandContext): Promise<Reply[]> {
  const track = trackFor(ctx);
  const { learning } = ctx.services.stores;
  const { curriculum } = ctx.services;
  const [progress, stored] = await Promise.all([
    learning.lessonProgress(ctx.member.id, track.id),
    learning.reviewCards(ctx.member.id, track.id),
  ]);
  // Cards of questions removed from the content cannot be served; they are left out.
  const cards = stored.filter(({ questionId }) => curriculum.question(track.id, questionId));
  const seen = new Set(progress.map((row) => row.lessonId));
  const seenQuestionIds = track.lessons
    .filter((lesson) => seen.has(lesson.id))
    .flatMap((lesson) => lesson.questions.map((question) => question.id));
  const queue = pickReviewQueue({ cards, seenQuestionIds, now: ctx.now, limit: reviewSize }, ctx.services.reviews);
  if (queue.length === 0) {
    const nextDue = cards.reduce<Date | null>(
      (soonest, { card }) => (!soonest || card.due < soonest ? card.due : soonest),
      null,
    );
    if (!nextDue) {
      return [
        noticeWithButtons(ctx.t('learning.review.nothing_yet'), [commandButton(ctx.t('learning.button.next'), 'next')]),
      ];
    }
    return [
      noticeWithButtons(
        ctx.t('learning.review.nothing_due', { when: formatInstant(nextDue, ctx.locale, ctx.timeZone) }),
        [],
        ctx.t('learning.review.headline'),
      ),
    ];
  }
  const repsOf = new Map(cards.map(({ questionId, card }) => [questionId, card.reps]));
  const served = queue.flatMap(({ questionId }) => {
    const question = curriculum.question(track.id, questionId);
    if (!question) return [];
    const reps = repsOf.get(questionId) ?? 0;
    return [
      {
        question,
        actionFor: (choice: number) => encodeAction({ kind: 'review', trackId: track.id, questionId, reps, choice }),
      },
    ];
  });
  return questionReplies(ctx, served);
}
