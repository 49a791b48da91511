/** The buttons of a nudge: stop the nudges in one click, and today's quiz of a channel shown in a direct message. */
import { privately, type Reply, text } from '../../core/message.ts';
import type { CommandContext } from '../../runtime/command.ts';
import type { ActionHandlers } from '../../runtime/dispatcher.ts';
import today from '../learning/today.command.ts';

const say = (message: string): Reply[] => [privately({ blocks: [text(message)] })];

export const stopNudges: NonNullable<ActionHandlers['stop-nudges']> = async (ctx, { memberId }) => {
  // The member behind the click, whichever of their linked accounts clicked; never somebody else's settings.
  if (memberId !== ctx.member.id) return say(ctx.t('care.nudge.not_yours'));
  await ctx.services.stores.care.setNudge(memberId, { nudgeHour: null });
  return say(ctx.t('care.nudge.stopped'));
};

/**
 * A nudge arrives in a direct message, where no drop channel is known: the button names the channel, and `today`
 * runs as if it had been typed there (private replies: the lesson and the quiz questions with their answer buttons).
 */
export const channelToday: NonNullable<ActionHandlers['channel-today']> = async (ctx, { channelId }) => {
  const channel = await ctx.services.stores.care.channel(channelId);
  if (!channel) return say(ctx.t('care.today.gone'));
  const inChannel: CommandContext = { ...ctx, channel };
  return today.handler(inChannel, {});
};
