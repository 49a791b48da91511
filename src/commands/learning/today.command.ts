import { z } from 'zod';
import { encodeAction } from '../../core/action-id.ts';
import { nextDrop } from '../../core/drop-schedule.ts';
import { privately, type Reply } from '../../core/message.ts';
import { isQuizClosed } from '../../core/ports/learning.port.ts';
import type { ChannelRecord } from '../../core/ports/members.port.ts';
import { type CommandContext, defineCommand } from '../../runtime/command.ts';
import { lessonMessage } from '../../runtime/views.ts';
import {
  commandButton,
  formatInstant,
  noticeWithButtons,
  questionReplies,
  type ServedQuestion,
} from './learning.shared.ts';

export default defineCommand({
  id: 'today',
  names: { 'pt-BR': 'hoje', en: 'today' },
  aliases: [],
  summary: {
    'pt-BR': 'Mostra só para você a lição de hoje deste canal e as perguntas do quiz.',
    en: "Shows you, privately, this channel's lesson of the day and its quiz questions.",
  },
  usage: { 'pt-BR': '', en: '' },
  examples: { 'pt-BR': ['hoje'], en: ['today'] },
  parse: () => ({}),
  args: z.object({}),
  handler: (ctx) => today(ctx),
});

async function today(ctx: CommandContext): Promise<Reply[]> {
  const { learning } = ctx.services.stores;
  const offerNext = [commandButton(ctx.t('learning.button.next'), 'next')];
  if (!ctx.channel) return [noticeWithButtons(ctx.t('learning.today.no_channel'), offerNext)];
  const drop = await learning.latestPostedDrop(ctx.channel.id);
  if (!drop) {
    // When the first lesson comes (a channel set up after its drop time, at night or on a weekend), unless paused.
    const first = nextDrop(ctx.channel, ctx.now);
    const text = first
      ? ctx.t('learning.today.no_drop_until', { when: formatInstant(first.at, ctx.locale, ctx.timeZone) })
      : ctx.t('learning.today.no_drop');
    return [noticeWithButtons(text, offerNext)];
  }
  const { curriculum } = ctx.services;
  const lesson = curriculum.lesson(drop.trackId, drop.lessonId);
  const track = curriculum.track(drop.trackId);
  if (!lesson || !track) return [noticeWithButtons(ctx.t('learning.today.lesson_gone'), offerNext)];

  await learning.markLessonSeen({ memberId: ctx.member.id, trackId: track.id, lessonId: lesson.id, now: ctx.now });
  const note = isQuizClosed(drop, ctx.now)
    ? ctx.t('learning.today.quiz_closed')
    : drop.closesAt
      ? ctx.t('learning.today.quiz_open', {
          when: formatInstant(quizEnd(ctx.channel, drop.closesAt, ctx.now), ctx.locale, ctx.timeZone),
        })
      : ctx.t('learning.today.quiz_open_no_end');
  const served: ServedQuestion[] = [];
  for (const posted of drop.questions) {
    const question = curriculum.question(drop.trackId, posted.questionId);
    // A question removed from the content since the drop was posted cannot be answered; it is left out.
    if (!question) continue;
    served.push({
      question,
      actionFor: (choice) => encodeAction({ kind: 'answer', postedQuestionId: posted.id, choice }),
      note,
    });
  }
  return [
    privately(lessonMessage(lesson, ctx.locale, ctx.t, { lessonCount: track.lessons.length })),
    ...questionReplies(ctx, served),
  ];
}

/**
 * When the quiz stops scoring. With a close delay set, its `closesAt`. By default the quiz closes when the next
 * lesson is posted and at the latest at `closesAt` (24 h), so the earlier of the two.
 */
function quizEnd(channel: ChannelRecord, closesAt: Date, now: Date): Date {
  if (channel.quizCloseMinutes !== null) return closesAt;
  const next = nextDrop(channel, now);
  return next && next.at.getTime() < closesAt.getTime() ? next.at : closesAt;
}
