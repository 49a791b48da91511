/**
 * Seasons over Prisma (src/core/ports/seasons.port.ts). The recap's claim follows the drops' rules
 * (src/db/drops.repo.ts): an INSERT guarded by the Season primary key (cohortId, week) decides who posts, and every
 * takeover and state change is an `updateMany` repeating the state it expects, so of two processes one wins.
 */
import type { IsoWeek } from '../core/calendar.ts';
import type { Platform } from '../core/ports/members.port.ts';
import type {
  ClaimSeasonInput,
  RankedWeekCounts,
  RecapTarget,
  SeasonClaim,
  SeasonRecord,
  SeasonStore,
} from '../core/ports/seasons.port.ts';
import { seasonKey } from '../core/ports/seasons.port.ts';
import type { RankingPeriod } from '../core/ranking.ts';
import { toChannel } from './members.repo.ts';
import type { Db } from './prisma-client.ts';
import { boardYardsticks, type RankedRow, rankedBoardSql } from './ranking-sql.ts';
import { isUniqueViolation, withRetry } from './retry.ts';

type SeasonRow = Awaited<ReturnType<Db['season']['findFirstOrThrow']>>;

/** A released claim: anyone may take it at once. */
const released = { claimedBy: '', claimedAt: new Date(0) };
/** Errors are stored for the operator: the start of the message is enough. */
const maxErrorLength = 500;

export class PrismaSeasonStore implements SeasonStore {
  constructor(readonly db: Db) {}

  recapTargets(platform?: Platform): Promise<RecapTarget[]> {
    return withRetry('recapTargets', async () => {
      const rows = await this.db.channel.findMany({
        where: { cohortId: { not: null }, ...(platform ? { workspace: { platform } } : {}) },
        include: { cohort: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      const targets = new Map<string, RecapTarget>();
      for (const row of rows) {
        if (!row.cohort || targets.has(row.cohort.id)) continue;
        const channel = toChannel(row);
        const { id, workspaceId, slug, name, timeZone } = row.cohort;
        targets.set(id, {
          cohort: { id, workspaceId, slug, name, timeZone },
          channel: { id: channel.id, externalId: channel.externalId, locale: channel.locale, trackId: channel.trackId },
        });
      }
      return [...targets.values()];
    });
  }

  settledSeasons(seasons: readonly { cohortId: string; week: IsoWeek }[], maxTries: number): Promise<Set<string>> {
    return withRetry('settledSeasons', async () => {
      if (seasons.length === 0) return new Set<string>();
      const rows = await this.db.season.findMany({
        where: {
          OR: seasons.map(({ cohortId, week }) => ({ cohortId, week })),
          AND: [{ OR: [{ status: 'posted' }, { tries: { gte: maxTries } }] }],
        },
        select: { cohortId: true, week: true },
      });
      return new Set(rows.map((row) => seasonKey(row.cohortId, row.week)));
    });
  }

  hasActivity(cohortId: string, week: IsoWeek): Promise<boolean> {
    return withRetry('hasActivity', async () => {
      const row = await this.db.weeklyScore.findFirst({
        where: { cohortId, week, answered: { gt: 0 } },
        select: { memberId: true },
      });
      return row !== null;
    });
  }

  claimSeason(input: ClaimSeasonInput): Promise<SeasonClaim> {
    return withRetry('claimSeason', async () => {
      const where = { cohortId_week: { cohortId: input.cohortId, week: input.week } };
      let existing = await this.db.season.findUnique({ where });
      if (!existing) {
        try {
          const row = await this.db.season.create({
            data: {
              cohortId: input.cohortId,
              week: input.week,
              status: 'claimed',
              claimedBy: input.owner,
              claimedAt: input.now,
            },
          });
          return { kind: 'won', season: toSeason(row), resumed: false };
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          existing = await this.db.season.findUnique({ where });
          if (!existing) throw error;
        }
      }
      if (existing.status !== 'claimed') return { kind: 'taken' };
      if (existing.tries >= input.maxTries) return { kind: 'given-up' };
      if (existing.claimedBy === input.owner) return { kind: 'won', season: toSeason(existing), resumed: true };
      if (existing.claimedAt.getTime() >= input.now.getTime() - input.staleAfterMs) return { kind: 'taken' };
      // Take over a dead or released claim: the update repeats the claim we saw, so one of two takers wins.
      const { count } = await this.db.season.updateMany({
        where: {
          cohortId: input.cohortId,
          week: input.week,
          status: 'claimed',
          claimedBy: existing.claimedBy,
          claimedAt: existing.claimedAt,
        },
        data: { claimedBy: input.owner, claimedAt: input.now },
      });
      if (count !== 1) return { kind: 'taken' };
      return {
        kind: 'won',
        season: toSeason({ ...existing, claimedBy: input.owner, claimedAt: input.now }),
        resumed: true,
      };
    });
  }

  markSeasonPosted(input: {
    cohortId: string;
    week: IsoWeek;
    owner: string;
    channelId: string;
    messageRef: string;
    postedAt: Date;
  }): Promise<boolean> {
    return withRetry('markSeasonPosted', async () => {
      const { count } = await this.db.season.updateMany({
        where: { cohortId: input.cohortId, week: input.week, status: 'claimed', claimedBy: input.owner },
        data: {
          status: 'posted',
          channelId: input.channelId,
          messageRef: input.messageRef,
          postedAt: input.postedAt,
          lastError: null,
          ...released,
        },
      });
      return count === 1;
    });
  }

  recordSeasonFailure(cohortId: string, week: IsoWeek, owner: string, error: string): Promise<number> {
    return withRetry('recordSeasonFailure', async () => {
      await this.db.season.updateMany({
        where: { cohortId, week, status: 'claimed', claimedBy: owner },
        data: { tries: { increment: 1 }, lastError: error.slice(0, maxErrorLength), ...released },
      });
      const row = await this.db.season.findUnique({
        where: { cohortId_week: { cohortId, week } },
        select: { tries: true },
      });
      return row?.tries ?? 0;
    });
  }

  findSeason(cohortId: string, week: IsoWeek): Promise<SeasonRecord | null> {
    return withRetry('findSeason', async () => {
      const row = await this.db.season.findUnique({ where: { cohortId_week: { cohortId, week } } });
      return row ? toSeason(row) : null;
    });
  }

  weekCounts(scope: { workspaceId: string; cohortId: string; week: IsoWeek }): Promise<RankedWeekCounts[]> {
    return withRetry('weekCounts', async () => {
      // The board's own rows (same filters: cohort members with an identity in the workspace, hidden left out); the
      // score column is not needed here, so any yardsticks do.
      const rows = await this.db.$queryRaw<RankedRow[]>`${rankedBoardSql(
        { ...scope, period: 'week' },
        { questions: 1, days: 1 },
      )} SELECT * FROM ranked`;
      return rows.map((row) => {
        const anonymous = row.visibility === 'anonymous';
        return {
          memberId: row.memberId,
          displayName: anonymous ? '' : row.displayName,
          visibility: anonymous ? 'anonymous' : 'shown',
          answered: Number(row.answered),
          firstTries: Number(row.firstTries),
          firstTryCorrect: Number(row.firstTryCorrect),
          reviews: Number(row.reviews),
          reviewsKept: Number(row.reviewsKept),
          activeDays: Number(row.activeDays),
        };
      });
    });
  }

  weekPeriod(scope: { workspaceId: string; cohortId: string; week: IsoWeek }): Promise<RankingPeriod> {
    return withRetry('weekPeriod', () => boardYardsticks(this.db, { ...scope, period: 'week' }));
  }
}

function toSeason(row: SeasonRow): SeasonRecord {
  return {
    cohortId: row.cohortId,
    week: row.week,
    status: row.status === 'posted' ? 'posted' : 'claimed',
    claimedBy: row.claimedBy,
    claimedAt: row.claimedAt,
    tries: row.tries,
    lastError: row.lastError,
    channelId: row.channelId,
    messageRef: row.messageRef,
    postedAt: row.postedAt,
  };
}
