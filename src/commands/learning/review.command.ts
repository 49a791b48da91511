/**
 * `revisar` / `review`: today's spaced review, one question per message (docs/reviews.md). The queue is
 * `todaysReviews` (src/core/review-scheduler.ts), the same function the daily nudge counts with: the due cards of
 * questions the member answered, at most `reviewsPerDay` a local day, the most forgotten first. Each question comes
 * with a button that opens the lesson behind it; answering it offers the next one until today's are done.
 */
import { z } from 'zod';
import type { Action } from '../../core/action-id.ts';
import { encodeAction } from '../../core/action-id.ts';
import { localDateOf } from '../../core/calendar.ts';
import { type Message, privately, type Reply, text } from '../../core/message.ts';
import { reviewsPerDay, todaysReviews } from '../../core/review-scheduler.ts';
import { type CommandContext, defineCommand } from '../../runtime/command.ts';
import { lessonMessage, questionMessage } from '../../runtime/views.ts';
import { commandButton, formatInstant, noticeWithButtons } from './learning.shared.ts';

export default defineCommand({
  id: 'review',
  names: { 'pt-BR': 'revisar', en: 'review' },
  aliases: ['revisao', 'revisão'],
  summary: {
    'pt-BR': 'Revisão espaçada: as perguntas que você respondeu e está perto de esquecer, uma por vez.',
    en: 'Spaced review: the questions you answered and are about to forget, one at a time.',
  },
  usage: { 'pt-BR': '', en: '' },
  examples: { 'pt-BR': ['revisar'], en: ['review'] },
  parse: () => ({}),
  args: z.object({}),
  handler: (ctx) => review(ctx),
});

/** Today's review queue of the member in `ctx`, and how many reviews they answered today. */
export async function reviewsToday(ctx: CommandContext) {
  const { curriculum } = ctx.services;
  const deck = await ctx.services.stores.learning.reviewDeck(ctx.member.id, localDateOf(ctx.now, ctx.timeZone));
  // Cards of questions removed from the content cannot be served; they are left out.
  const exists = (trackId: string, questionId: string) => curriculum.question(trackId, questionId) !== undefined;
  return { deck, queue: todaysReviews(deck, ctx.now, exists, ctx.services.reviews) };
}

/** How many reviews `revisar` would serve `memberId` now (their local date `today`): what progress shows. */
export async function reviewsLeftToday(ctx: CommandContext, memberId: string, today: string): Promise<number> {
  const { curriculum } = ctx.services;
  const deck = await ctx.services.stores.learning.reviewDeck(memberId, today);
  const exists = (trackId: string, questionId: string) => curriculum.question(trackId, questionId) !== undefined;
  return todaysReviews(deck, ctx.now, exists, ctx.services.reviews).length;
}

async function review(ctx: CommandContext): Promise<Reply[]> {
  const { curriculum } = ctx.services;
  const { deck, queue } = await reviewsToday(ctx);
  const first = queue[0];
  const question = first ? curriculum.question(first.trackId, first.questionId) : undefined;
  if (!first || !question) {
    if (deck.cards.length === 0) {
      return [
        noticeWithButtons(ctx.t('learning.review.nothing_yet'), [commandButton(ctx.t('learning.button.next'), 'next')]),
      ];
    }
    const dueNow = deck.cards.some(({ card }) => card.due.getTime() <= ctx.now.getTime());
    if (dueNow && deck.reviewedToday >= reviewsPerDay) {
      return [noticeWithButtons(ctx.t('learning.review.day_done', { count: deck.reviewedToday }), [])];
    }
    const nextDue = deck.cards
      .map(({ card }) => card.due)
      .filter((due) => due.getTime() > ctx.now.getTime())
      .reduce<Date | null>((soonest, due) => (!soonest || due < soonest ? due : soonest), null);
    const body = nextDue
      ? ctx.t('learning.review.nothing_due', { when: formatInstant(nextDue, ctx.locale, ctx.timeZone) })
      : ctx.t('learning.review.nothing_now');
    return [noticeWithButtons(body, [], ctx.t('learning.review.headline'))];
  }
  const card = deck.cards.find((c) => c.trackId === first.trackId && c.questionId === first.questionId);
  const reps = card?.card.reps ?? 0;
  const position = deck.reviewedToday + 1;
  const message = questionMessage(question, ctx.locale, ctx.t, {
    position,
    total: deck.reviewedToday + queue.length,
    actionFor: (choice) =>
      encodeAction({ kind: 'review', trackId: first.trackId, questionId: first.questionId, reps, choice }),
  });
  const withLesson: Message = {
    ...message,
    headline: ctx.t('learning.review.position', { position, total: deck.reviewedToday + queue.length }),
    blocks: [...message.blocks, lessonButton(ctx, first.trackId, question.lessonId)],
  };
  return [privately(withLesson)];
}

/** The "open the lesson" button under a review question and its feedback. */
export function lessonButton(ctx: CommandContext, trackId: string, lessonId: string) {
  return {
    kind: 'buttons' as const,
    buttons: [
      { label: ctx.t('learning.button.lesson'), actionId: encodeAction({ kind: 'lesson', trackId, lessonId }) },
    ],
  };
}

/**
 * The lesson behind a review card, in full. Shown only to a member who saw the lesson or answered one of its
 * questions: a lesson not yet dropped never leaks through a crafted button.
 */
export async function openLessonAction(
  ctx: CommandContext,
  action: Extract<Action, { kind: 'lesson' }>,
): Promise<Reply[]> {
  const { curriculum } = ctx.services;
  const track = curriculum.track(action.trackId);
  const lesson = curriculum.lesson(action.trackId, action.lessonId);
  if (!track || !lesson) return [privately({ blocks: [text(ctx.t('learning.review.lesson_gone'))] })];
  const { learning } = ctx.services.stores;
  const [progress, answered] = await Promise.all([
    learning.lessonProgress(ctx.member.id, track.id),
    learning.answeredQuestionIds(ctx.member.id, track.id),
  ]);
  const known = progress.some((row) => row.lessonId === lesson.id) || lesson.questions.some((q) => answered.has(q.id));
  if (!known) return [privately({ blocks: [text(ctx.t('learning.review.lesson_unseen'))] })];
  return [
    privately(
      lessonMessage(lesson, ctx.locale, ctx.t, { lessonCount: track.lessons.length, full: true }) satisfies Message,
    ),
  ];
}
