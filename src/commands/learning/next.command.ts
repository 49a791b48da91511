import { z } from 'zod';
import { context, privately, type Reply } from '../../core/message.ts';
import { type CommandContext, defineCommand } from '../../runtime/command.ts';
import { lessonMessage } from '../../runtime/views.ts';
import { catchUps, channelLabel } from './catch-up.ts';
import {
  commandButton,
  nextUnseenLesson,
  noticeWithButtons,
  questionReplies,
  studyAction,
  trackFor,
} from './learning.shared.ts';

export default defineCommand({
  id: 'next',
  names: { 'pt-BR': 'proxima', en: 'next' },
  aliases: ['próxima', 'proximo', 'próximo'],
  summary: {
    'pt-BR': 'Sua próxima lição da trilha, no seu ritmo, com perguntas para responder.',
    en: 'Your next lesson of the track, at your own pace, with questions to answer.',
  },
  usage: { 'pt-BR': '[trilha]', en: '[track]' },
  examples: { 'pt-BR': ['proxima', 'proxima docker'], en: ['next', 'next docker'] },
  parse: (words) => ({ track: words[0] }),
  args: z.object({ track: z.string().max(60).optional() }),
  handler: (ctx, { track }) => next(ctx, track),
});

async function next(ctx: CommandContext, requested: string | undefined): Promise<Reply[]> {
  const track = trackFor(ctx, requested);
  const { learning } = ctx.services.stores;
  const memberId = ctx.member.id;
  const [progress, answered] = await Promise.all([
    learning.lessonProgress(memberId, track.id),
    learning.answeredQuestionIds(memberId, track.id),
  ]);
  const seen = new Set(progress.map((row) => row.lessonId));
  const lesson = nextUnseenLesson(track, seen);
  if (!lesson) {
    return [
      noticeWithButtons(
        ctx.t('learning.next.track_done', { count: track.lessons.length, track: track.title[ctx.locale] }),
        [commandButton(ctx.t('learning.button.review'), 'review')],
      ),
    ];
  }
  // A late joiner: how many lessons the channel already posted that they have not seen (this one among them).
  const [catchUp] = await catchUps(ctx, { track, seen });
  await learning.markLessonSeen({ memberId, trackId: track.id, lessonId: lesson.id, now: ctx.now });
  // Questions the member already answered (in a channel quiz, say) would score again as self-study: left out.
  const questions = lesson.questions.filter((question) => !answered.has(question.id));
  const message = lessonMessage(lesson, ctx.locale, ctx.t, { lessonCount: track.lessons.length, full: true });
  const view = privately(
    catchUp?.behind.includes(lesson.id)
      ? {
          ...message,
          blocks: [
            ...message.blocks,
            context(
              ctx.t('members.catchup.next', { count: catchUp.behind.length, channel: channelLabel(catchUp.channel) }),
            ),
          ],
        }
      : message,
  );
  if (questions.length === 0) {
    return [
      view,
      noticeWithButtons(ctx.t('learning.next.all_answered'), [commandButton(ctx.t('learning.button.next'), 'next')]),
    ];
  }
  return [
    view,
    ...questionReplies(
      ctx,
      questions.map((question) => ({ question, actionFor: studyAction(track.id, question.id) })),
    ),
  ];
}
