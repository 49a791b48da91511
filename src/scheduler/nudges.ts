/**
 * The daily nudge (opt-in): a direct message to a member when reviews are due or today's channel quiz is waiting,
 * from the local hour they picked, never in their quiet hours, never on hold, at most once a day, and only when there
 * is something to say. Each platform's scheduler runs this job with its own notifier and considers the members it can
 * reach there; the claim in the database (`CareStore.claimNudge`) is what makes it once a day in total, across
 * replicas and across the two platforms of a linked member. The claim comes right before sending, after the member
 * was found to have something waiting, so a day with nothing to say claims nothing.
 *
 * The reviews a nudge counts are `todaysReviews` (src/core/review-scheduler.ts), the queue `revisar` serves at that
 * moment: the number in the message is what the member finds behind its button. Reviews alone bring a nudge only on
 * the member's drop days (a day one of their cohorts' channels has a drop scheduled; every day for a member without
 * one): a weekend off the course is not a day to be reminded of it (docs/reviews.md).
 *
 * A message that fails to send keeps its claim: a closed direct-message channel would fail again on every tick, and
 * a member is better missing one nudge than receiving several.
 */
import { encodeAction } from '../core/action-id.ts';
import { type LocalDate, localDateOf } from '../core/calendar.ts';
import { nudgeDue } from '../core/care.ts';
import { isDropDay } from '../core/drop-schedule.ts';
import { type Button, context, type Message, safeText, text, truncate } from '../core/message.ts';
import type { NudgeCandidate, NudgeTodo } from '../core/ports/care.port.ts';
import { todaysReviews } from '../core/review-scheduler.ts';
import { translator } from '../i18n/translator.ts';
import type { JobContext, ScheduledJob } from './job.ts';

/** Direct messages sent at once (a pool, so a thousand members with the same hour are not sent one by one). */
const sendConcurrency = 8;
/** At most this many "today's quiz" buttons (a member in several cohorts). */
const maxQuizButtons = 2;

export class NudgeJob implements ScheduledJob {
  readonly name = 'nudges';

  async run(ctx: JobContext): Promise<number> {
    const { care } = ctx.services.stores;
    // A scheduler that reaches one workspace (a terminal session) nudges only the members addressed there.
    const candidates = (await care.nudgeCandidates(ctx.platform)).filter(
      (member) => ctx.workspaceId === undefined || member.workspaceId === ctx.workspaceId,
    );
    const due = candidates.flatMap((member) => {
      const { due: isDue, today } = nudgeDue(member, ctx.now);
      return isDue ? [{ member, today }] : [];
    });
    if (due.length === 0) return 0;
    const stored = await care.nudgeTodo(
      due.map(({ member, today }) => ({ memberId: member.memberId, today })),
      ctx.now,
    );
    const todo = new Map<string, NudgeTodo>();
    for (const { member, today } of due) {
      const waiting = stored.get(member.memberId);
      if (!waiting || waiting.onHold) continue;
      todo.set(member.memberId, { ...waiting, reviewsDue: await reviewsToNudge(ctx, member, today) });
    }
    const toSend = due.filter(({ member }) => {
      const waiting = todo.get(member.memberId);
      return waiting !== undefined && !waiting.onHold && (waiting.reviewsDue > 0 || waiting.quizzes.length > 0);
    });
    let sent = 0;
    let next = 0;
    const worker = async () => {
      while (next < toSend.length) {
        const { member, today } = toSend[next++] as (typeof toSend)[number];
        try {
          if (!(await care.claimNudge(member.memberId, today))) continue;
          await ctx.notifier.direct(member.userRef, nudgeMessage(member, todo.get(member.memberId) as NudgeTodo));
          sent += 1;
        } catch (error) {
          ctx.logger.warn({ err: error, memberId: member.memberId }, 'nudge not sent');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(sendConcurrency, toSend.length) }, worker));
    return sent;
  }
}

/**
 * How many reviews the nudge announces: today's queue as `revisar` serves it, or 0 on a day that is not a drop day
 * for the member (no channel of their cohorts has a drop scheduled on its local date; a member without such a
 * channel has every day).
 */
async function reviewsToNudge(ctx: JobContext, member: NudgeCandidate, today: LocalDate): Promise<number> {
  const { stores, curriculum, reviews } = ctx.services;
  const channels = (await stores.pacing.memberChannels(member.workspaceId, member.memberId)).filter(
    (channel) => channel.trackCompletedAt === null,
  );
  if (channels.length > 0 && !channels.some((channel) => isDropDay(channel, localDateOf(ctx.now, channel.timeZone)))) {
    return 0;
  }
  const deck = await stores.learning.reviewDeck(member.memberId, today);
  const exists = (trackId: string, questionId: string) => curriculum.question(trackId, questionId) !== undefined;
  return todaysReviews(deck, ctx.now, exists, reviews).length;
}

/** The nudge: what is waiting, and buttons to review, open today's quiz, or stop the nudges (one click). */
export function nudgeMessage(member: NudgeCandidate, waiting: NudgeTodo): Message {
  const { t } = translator(member.locale);
  const lines: string[] = [];
  if (waiting.reviewsDue > 0) lines.push(t('care.nudge.reviews', { count: waiting.reviewsDue }));
  const quizzes = waiting.quizzes.slice(0, maxQuizButtons);
  for (const quiz of quizzes) {
    lines.push(t('care.nudge.quiz', { channel: channelName(quiz.channelName), count: quiz.unanswered }));
  }
  const buttons: Button[] = [
    ...quizzes.map((quiz, i) => ({
      label: t('care.nudge.button.today', { channel: channelName(quiz.channelName) }),
      actionId: encodeAction({ kind: 'channel-today', channelId: quiz.channelId }),
      ...(i === 0 ? { style: 'primary' as const } : {}),
    })),
    ...(waiting.reviewsDue > 0
      ? [
          {
            label: t('care.nudge.button.review'),
            actionId: encodeAction({ kind: 'command', command: 'review' }),
            ...(quizzes.length === 0 ? { style: 'primary' as const } : {}),
          },
        ]
      : []),
    {
      label: t('care.nudge.button.stop'),
      actionId: encodeAction({ kind: 'stop-nudges', memberId: member.memberId }),
    },
  ];
  return {
    headline: t('care.nudge.headline'),
    blocks: [
      text(lines.join('\n')),
      { kind: 'buttons', buttons },
      context(t('care.nudge.footer', { hour: member.nudgeHour })),
    ],
  };
}

/** A channel's name as members typed it, safe in a message and short enough for a button. */
function channelName(name: string): string {
  return safeText(truncate(name.replace(/^#/, ''), 30));
}
