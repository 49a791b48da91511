import { z } from 'zod';
import type { Question } from '../../core/curriculum.ts';
import type { Reply } from '../../core/message.ts';
import { type CommandContext, defineCommand } from '../../runtime/command.ts';
import { commandButton, noticeWithButtons, questionReplies, studyAction, trackFor } from './learning.shared.ts';

/** A quiz is short: a chat is not an exam. */
const quizSize = 3;

export default defineCommand({
  id: 'quiz',
  names: { 'pt-BR': 'quiz', en: 'quiz' },
  aliases: ['teste'],
  summary: {
    'pt-BR': 'Até 3 perguntas que você ainda não respondeu, das lições que já viu.',
    en: 'Up to 3 questions you have not answered yet, from the lessons you have seen.',
  },
  usage: { 'pt-BR': '', en: '' },
  examples: { 'pt-BR': ['quiz'], en: ['quiz'] },
  parse: () => ({}),
  args: z.object({}),
  handler: (ctx) => quiz(ctx),
});

async function quiz(ctx: CommandContext): Promise<Reply[]> {
  const track = trackFor(ctx);
  const { learning } = ctx.services.stores;
  const [progress, answered] = await Promise.all([
    learning.lessonProgress(ctx.member.id, track.id),
    learning.answeredQuestionIds(ctx.member.id, track.id),
  ]);
  const seen = new Set(progress.map((row) => row.lessonId));
  const fresh = (question: Question) => !answered.has(question.id);
  // Only lessons the member has seen (opened with `today` or `next`, or answered): never a lesson ahead, so a channel's
  // drop to come is never given away (docs/scoring.md "Self-study").
  const questions = track.lessons
    .filter((lesson) => seen.has(lesson.id))
    .flatMap((lesson) => lesson.questions.filter(fresh))
    .slice(0, quizSize);
  if (questions.length === 0) {
    // Lessons not seen yet are opened with `next` (their text first), never quizzed from here.
    if (track.lessons.some((lesson) => !seen.has(lesson.id))) {
      return [
        noticeWithButtons(ctx.t('learning.quiz.nothing_seen'), [
          commandButton(ctx.t('learning.button.next'), 'next'),
          commandButton(ctx.t('learning.button.review'), 'review'),
        ]),
      ];
    }
    return [
      noticeWithButtons(ctx.t('learning.quiz.nothing'), [commandButton(ctx.t('learning.button.review'), 'review')]),
    ];
  }
  return [
    ...questionReplies(
      ctx,
      questions.map((question) => ({ question, actionFor: studyAction(track.id, question.id) })),
    ),
  ];
}
