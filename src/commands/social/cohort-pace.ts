/**
 * A facilitator's hand on a cohort's pace (`turma pausar|retomar <turma>`, `turma inicio <turma> AAAA-MM-DD`;
 * admins only): the change goes to every channel that drops the cohort's lessons, through the drop store, so the
 * scheduler honours it exactly as a channel paused or started on its own (`canal pausar`). Resuming continues where
 * the drops stopped: the next drop posts the lesson after the last one posted (today's, late, when the cohort is
 * resumed after today's drop time, as after any downtime), and the paused days were never drop days for anyone's
 * streak.
 */
import { DateTime } from 'luxon';
import { isLocalDate, type LocalDate, localDateOf } from '../../core/calendar.ts';
import { dueDrop, nextDrop } from '../../core/drop-schedule.ts';
import { privately, type Reply, text, truncate } from '../../core/message.ts';
import type { ChannelRecord } from '../../core/ports/members.port.ts';
import type { CohortRecord } from '../../core/ports/social.port.ts';
import { type CommandContext, fold } from '../../runtime/command.ts';
import { channelLabel } from '../learning/catch-up.ts';
import { cohortNamed } from './social-format.ts';

const todayWords = new Set(['hoje', 'today']);

/** Pauses or resumes every channel of the cohort. */
export async function setCohortPaused(ctx: CommandContext, typed: string, paused: boolean): Promise<Reply[]> {
  const found = await cohortChannels(ctx, typed);
  if ('reply' in found) return found.reply;
  const { cohort, channels } = found;
  const updated: ChannelRecord[] = [];
  for (const channel of channels) updated.push(await ctx.services.stores.drops.updateChannel(channel.id, { paused }));
  if (paused) {
    return say(ctx.t('members.pace.paused', { slug: cohort.slug, channels: updated.map(channelLabel).join(', ') }));
  }
  return say([ctx.t('members.pace.resumed', { slug: cohort.slug }), ...(await paceLines(ctx, updated))].join('\n'));
}

/** Sets the first drop date of every channel of the cohort (`hoje`/`today`: each channel's own today). */
export async function setCohortStart(ctx: CommandContext, typed: string, value: string): Promise<Reply[]> {
  const today = todayWords.has(fold(value));
  if (!today && !isLocalDate(value)) return say(ctx.t('members.pace.bad_date', { slug: fold(typed).slice(0, 32) }));
  const found = await cohortChannels(ctx, typed);
  if ('reply' in found) return found.reply;
  const { cohort, channels } = found;
  const updated: ChannelRecord[] = [];
  for (const channel of channels) {
    const startDate: LocalDate = today ? localDateOf(ctx.now, channel.timeZone) : value;
    updated.push(await ctx.services.stores.drops.updateChannel(channel.id, { startDate }));
  }
  const dates = [...new Set(updated.map((channel) => channel.startDate))].join(', ');
  return say(
    [
      ctx.t('members.pace.started', { slug: cohort.slug, date: dates, channels: updated.map(channelLabel).join(', ') }),
      ...(await paceLines(ctx, updated)),
    ].join('\n'),
  );
}

/** The cohort and its channels, or the reply that says why not (not an admin, no such cohort, no channel). */
async function cohortChannels(
  ctx: CommandContext,
  typed: string,
): Promise<{ cohort: CohortRecord; channels: ChannelRecord[] } | { reply: Reply[] }> {
  if (!ctx.request.user.isAdmin) return { reply: say(ctx.t('members.pace.admin_only')) };
  const cohort = await cohortNamed(ctx, typed);
  const channels = await ctx.services.stores.pacing.cohortChannels(cohort.id);
  if (channels.length === 0) return { reply: say(ctx.t('members.pace.no_channels', { slug: cohort.slug })) };
  return { cohort, channels };
}

/** Per channel: the next lesson and when it comes, the end of its track, or paused. */
async function paceLines(ctx: CommandContext, channels: readonly ChannelRecord[]): Promise<string[]> {
  const lines: string[] = [];
  for (const channel of channels.slice(0, 10)) {
    const label = channelLabel(channel);
    const track = ctx.services.curriculum.track(channel.trackId);
    const posted = await ctx.services.stores.drops.countPostedDrops(channel.id, channel.trackId);
    const count = track?.lessons.length ?? 0;
    if (channel.trackCompletedAt || posted >= count) {
      lines.push(ctx.t('members.pace.channel_done', { channel: label }));
      continue;
    }
    // Today's drop time already passed with nothing posted (resumed after it): the scheduler posts it now, late.
    const dueNow = dueDrop(channel, ctx.now, await ctx.services.stores.drops.lastDropDate(channel.id));
    if (dueNow) {
      lines.push(ctx.t('members.pace.channel_now', { channel: label, number: posted + 1, count }));
      continue;
    }
    const next = nextDrop(channel, ctx.now);
    if (!next) {
      lines.push(ctx.t('members.pace.channel_paused', { channel: label }));
      continue;
    }
    const when = DateTime.fromJSDate(next.at, { zone: channel.timeZone })
      .setLocale(ctx.locale)
      .toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
    lines.push(
      ctx.t('members.pace.channel_next', {
        channel: label,
        number: posted + 1,
        count,
        when: `${when} (${channel.timeZone})`,
      }),
    );
  }
  return lines;
}

function say(message: string): Reply[] {
  return [privately({ blocks: [text(truncate(message, 2_900))] })];
}
