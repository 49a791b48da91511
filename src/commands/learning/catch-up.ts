/**
 * A late joiner's catch-up: the lessons already posted in the member's channels that they have not seen (opened with
 * `today` or `next`, or answered). `next` walks them in track order at the member's own pace and says how many are
 * left; `progress` shows the count. Nothing here touches a channel: its drops keep their own pace (the n-th drop
 * posts lesson n whatever members read meanwhile).
 */
import type { Track } from '../../core/curriculum.ts';
import { safeText } from '../../core/message.ts';
import type { ChannelRecord } from '../../core/ports/members.port.ts';
import type { CommandContext } from '../../runtime/command.ts';

export interface CatchUp {
  readonly track: Track;
  /** The channel whose pace the member follows (the one typed in, else the one of theirs that posted most). */
  readonly channel: ChannelRecord;
  /** The posted lessons not seen yet, in track order. */
  readonly behind: readonly string[];
}

/**
 * The member's catch-up in each track of their channels: the channel the command came from when it is a drop
 * channel, else the channels of their cohorts. `seen` gives the lessons already seen in a track (read when absent).
 */
export async function catchUps(
  ctx: CommandContext,
  options: { readonly track?: Track; readonly seen?: ReadonlySet<string> } = {},
): Promise<CatchUp[]> {
  const { pacing, learning } = ctx.services.stores;
  let channels: ChannelRecord[] = ctx.channel
    ? [ctx.channel]
    : await pacing.memberChannels(ctx.workspace.id, ctx.member.id);
  if (options.track) channels = channels.filter((channel) => channel.trackId === options.track?.id);
  if (channels.length === 0) return [];
  const posted = await pacing.postedLessons(channels.map((channel) => channel.id));
  const result: CatchUp[] = [];
  for (const trackId of new Set(channels.map((channel) => channel.trackId))) {
    const track = ctx.services.curriculum.track(trackId);
    if (!track) continue;
    const inTrack = posted.filter((lesson) => lesson.trackId === trackId);
    const postedIds = new Set(inTrack.map((lesson) => lesson.lessonId));
    const seen =
      options.track?.id === trackId && options.seen
        ? options.seen
        : new Set((await learning.lessonProgress(ctx.member.id, trackId)).map((row) => row.lessonId));
    const behind = track.lessons.filter((lesson) => postedIds.has(lesson.id) && !seen.has(lesson.id));
    if (behind.length === 0) continue;
    const counts = new Map<string, number>();
    for (const lesson of inTrack) counts.set(lesson.channelId, (counts.get(lesson.channelId) ?? 0) + 1);
    const ofTrack = channels.filter((channel) => channel.trackId === trackId);
    const channel = ofTrack.reduce((best, candidate) =>
      (counts.get(candidate.id) ?? 0) > (counts.get(best.id) ?? 0) ? candidate : best,
    );
    result.push({ track, channel, behind: behind.map((lesson) => lesson.id) });
  }
  return result;
}

/** `#geral`: how a channel is named in catch-up lines. */
export function channelLabel(channel: ChannelRecord): string {
  return `#${safeText(channel.name || channel.externalId)}`;
}
