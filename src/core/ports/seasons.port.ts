/**
 * Weekly seasons: where each cohort's recap goes, the claim that lets one process post it, and the week's rows the
 * recap reads. Implemented in src/db/seasons.repo.ts.
 *
 * A recap is claimed through its Season row (one per cohort and ISO week), as drops are: the first insert wins, a
 * claim whose owner died is taken over once stale, a failed post is recorded (tries, last error) and retried, and a
 * season that failed `maxTries` times is given up. So several replicas, or the schedulers of two platforms of one
 * process, post each recap once.
 */
import type { IsoWeek } from '../calendar.ts';
import type { Locale } from '../locale.ts';
import type { RankingPeriod } from '../ranking.ts';
import type { WeekCounts } from '../seasons.ts';
import type { Platform } from './members.port.ts';
import type { BoardVisibility, CohortRecord } from './social.port.ts';

/** A cohort and the channel its recap goes to. */
export interface RecapTarget {
  readonly cohort: CohortRecord;
  readonly channel: {
    readonly id: string;
    /** The platform's channel id (Slack `C…`, a Discord snowflake, a terminal room). */
    readonly externalId: string;
    /** The language of the channel's drops: the recap's language. */
    readonly locale: Locale;
    readonly trackId: string;
  };
}

export interface SeasonRecord {
  readonly cohortId: string;
  readonly week: IsoWeek;
  readonly status: 'claimed' | 'posted';
  readonly claimedBy: string;
  readonly claimedAt: Date;
  readonly tries: number;
  readonly lastError: string | null;
  readonly channelId: string | null;
  readonly messageRef: string | null;
  readonly postedAt: Date | null;
}

export type SeasonClaim =
  /** This process posts the recap; `resumed`: an earlier try (a dead claimer's or a failed one) may have posted it. */
  | { readonly kind: 'won'; readonly season: SeasonRecord; readonly resumed: boolean }
  /** Another process holds a fresh claim, or the recap is posted. */
  | { readonly kind: 'taken' }
  /** Posting failed `maxTries` times: the season goes without a recap. */
  | { readonly kind: 'given-up' };

export interface ClaimSeasonInput {
  readonly cohortId: string;
  readonly week: IsoWeek;
  readonly owner: string;
  readonly now: Date;
  readonly staleAfterMs: number;
  readonly maxTries: number;
}

/** A ranked member's counts in a week, with how they appear (hidden members are never returned). */
export interface RankedWeekCounts extends WeekCounts {
  /** Empty for an anonymous member. */
  readonly displayName: string;
  readonly visibility: Exclude<BoardVisibility, 'hidden'>;
}

export interface SeasonStore {
  /**
   * Every cohort with a drop channel in a workspace of `platform` (all platforms when absent), each with one channel
   * (its oldest): where its recaps go. A cohort without such a channel gets no recap from that platform.
   */
  recapTargets(platform?: Platform): Promise<RecapTarget[]>;
  /** Of these seasons, the ones settled: posted, or given up after `maxTries` failures (keys `cohortId week`). */
  settledSeasons(seasons: readonly { cohortId: string; week: IsoWeek }[], maxTries: number): Promise<Set<string>>;
  /** Whether any member scored in the cohort that week. */
  hasActivity(cohortId: string, week: IsoWeek): Promise<boolean>;
  claimSeason(input: ClaimSeasonInput): Promise<SeasonClaim>;
  /** Records the posted recap; false when the claim was lost meanwhile. */
  markSeasonPosted(input: {
    cohortId: string;
    week: IsoWeek;
    owner: string;
    channelId: string;
    messageRef: string;
    postedAt: Date;
  }): Promise<boolean>;
  /** Records a failed try and releases the claim; returns the tries so far. */
  recordSeasonFailure(cohortId: string, week: IsoWeek, owner: string, error: string): Promise<number>;
  findSeason(cohortId: string, week: IsoWeek): Promise<SeasonRecord | null>;
  /** Every member the week's board ranks (hidden members left out), with their counts. */
  weekCounts(scope: { workspaceId: string; cohortId: string; week: IsoWeek }): Promise<RankedWeekCounts[]>;
  /** The week's yardsticks (docs/ranking.md): the questions and drop days the cohort's channels posted. */
  weekPeriod(scope: { workspaceId: string; cohortId: string; week: IsoWeek }): Promise<RankingPeriod>;
}

/** The key of a season in sets and logs. */
export const seasonKey = (cohortId: string, week: IsoWeek) => `${cohortId} ${week}`;
