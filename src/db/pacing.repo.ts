/**
 * A cohort's channels and the lessons they posted, over Prisma (src/core/ports/pacing.port.ts). Pausing a cohort
 * changes its channels through the drop store's `updateChannel`, so the scheduler sees it as it sees a channel paused
 * one by one.
 */
import type { ChannelRecord } from '../core/ports/members.port.ts';
import type { PacingStore, PostedLesson } from '../core/ports/pacing.port.ts';
import { toChannel } from './members.repo.ts';
import type { Db } from './prisma-client.ts';
import { withRetry } from './retry.ts';

export class PrismaPacingStore implements PacingStore {
  constructor(readonly db: Db) {}

  cohortChannels(cohortId: string): Promise<ChannelRecord[]> {
    return withRetry('cohortChannels', async () => {
      const rows = await this.db.channel.findMany({ where: { cohortId }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
      return rows.map(toChannel);
    });
  }

  memberChannels(workspaceId: string, memberId: string): Promise<ChannelRecord[]> {
    return withRetry('memberChannels', async () => {
      const rows = await this.db.channel.findMany({
        where: { workspaceId, cohort: { members: { some: { memberId } } } },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toChannel);
    });
  }

  postedLessons(channelIds: readonly string[]): Promise<PostedLesson[]> {
    return withRetry('postedLessons', async () => {
      if (channelIds.length === 0) return [];
      const rows = await this.db.drop.findMany({
        where: { channelId: { in: [...channelIds] }, status: { in: ['posted', 'closed'] } },
        select: { channelId: true, trackId: true, lessonId: true, localDate: true },
        orderBy: [{ localDate: 'asc' }, { id: 'asc' }],
      });
      const seen = new Set<string>();
      const lessons: PostedLesson[] = [];
      for (const row of rows) {
        const key = `${row.channelId}\u0000${row.trackId}\u0000${row.lessonId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        lessons.push({
          channelId: row.channelId,
          trackId: row.trackId,
          lessonId: row.lessonId,
          firstDate: row.localDate,
        });
      }
      return lessons;
    });
  }
}
