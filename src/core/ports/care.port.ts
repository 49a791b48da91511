/**
 * Member care: vacation holds, streak freezes as stored, the days a streak is judged on, and daily nudges (settings,
 * who may get one, what there is to say, the once-a-day claim). Implemented in src/db/care.repo.ts; the rules are
 * pure functions in src/core/care.ts and src/core/streaks.ts (docs/streaks.md).
 */
import type { LocalDate } from '../calendar.ts';
import type { Locale } from '../locale.ts';
import type { HoldPeriod, StreakDays } from '../streaks.ts';
import type { ChannelRecord, Platform } from './members.port.ts';

export interface HoldRecord extends HoldPeriod {
  readonly id: string;
}

export interface NudgeSettings {
  /** The local hour (0–23) after which the daily nudge may come; null = no nudges. */
  readonly nudgeHour: number | null;
  /** `HH:MM-HH:MM` in the member's zone, or null. */
  readonly quietHours: string | null;
}

/** What `progress` and the care commands show about a member. */
export interface MemberCare extends NudgeSettings {
  /** Freezes held and used, as stored (the next answer spends what the days missed since need). */
  readonly freezes: number;
  readonly freezesUsed: number;
  /** The member's holds that end on `today` or later, by start date. */
  readonly holds: readonly HoldRecord[];
}

export type CreateHoldResult =
  | { readonly status: 'created'; readonly hold: HoldRecord; readonly movedReviews: number }
  /** The member has a hold in progress or ahead already (one at a time). */
  | { readonly status: 'exists'; readonly hold: HoldRecord };

/** A member who opted in to nudges and can be reached on the scheduler's platform. */
export interface NudgeCandidate {
  readonly memberId: string;
  /** The member's user id on the platform (the direct message's address), and its workspace. */
  readonly userRef: string;
  readonly workspaceId: string;
  /** The member's language, else their workspace's. */
  readonly locale: Locale;
  /** The member's zone, else their workspace's. */
  readonly timeZone: string;
  readonly nudgeHour: number;
  readonly quietHours: string | null;
  readonly lastNudgeDate: LocalDate | null;
}

/** What a nudge could say to a member now. */
export interface NudgeTodo {
  /** A hold covers the member's today: no nudge. */
  readonly onHold: boolean;
  /** Review cards due now. */
  readonly reviewsDue: number;
  /** Today's open channel quizzes (a channel of one of the member's cohorts) with questions the member has not answered. */
  readonly quizzes: readonly {
    readonly channelId: string;
    readonly channelName: string;
    readonly unanswered: number;
  }[];
}

export interface CareStore {
  /** Freezes, nudge settings and the holds ending on `today` or later. */
  memberCare(memberId: string, today: LocalDate): Promise<MemberCare>;
  /**
   * What a streak gap is judged on, for the days strictly between `after` and `before`: the local dates with a drop in
   * a channel of one of the member's cohorts (null when none of them has a channel: every day counts), and the
   * member's holds overlapping the gap. The answer path reads the same inside its transaction.
   */
  streakDays(memberId: string, after: LocalDate, before: LocalDate): Promise<StreakDays>;
  /**
   * Creates a hold (validated by the caller: `checkHold`) and moves the member's review cards due inside it by the
   * hold's length (`movedDue`, in `timeZone`), in one transaction; `exists` when one is in progress or ahead.
   */
  createHold(input: {
    readonly memberId: string;
    readonly hold: HoldPeriod;
    readonly today: LocalDate;
    readonly timeZone: string;
  }): Promise<CreateHoldResult>;
  /**
   * Ends the hold in progress or ahead (`cancelledHold`: a future one is deleted, one in progress ends yesterday);
   * the reviews it moved stay where they are. The hold as it was, or null when there was none.
   */
  cancelHold(memberId: string, today: LocalDate): Promise<HoldRecord | null>;
  /** Changes the given nudge settings; the others stay. */
  setNudge(memberId: string, changes: Partial<NudgeSettings>): Promise<NudgeSettings>;
  /** Members with a nudge hour and an identity on `platform` (any platform when undefined), one line per member. */
  nudgeCandidates(platform: Platform | undefined): Promise<NudgeCandidate[]>;
  /** For each member (with their local date `today`), whether they are on hold and what is waiting for them at `now`. */
  nudgeTodo(
    members: readonly { readonly memberId: string; readonly today: LocalDate }[],
    now: Date,
  ): Promise<Map<string, NudgeTodo>>;
  /**
   * Claims the member's nudge of `today` (their local date): sets `lastNudgeDate` when it is unset or earlier and
   * nudges are still on. True for the one caller that won (another replica, the other platform's scheduler lose).
   */
  claimNudge(memberId: string, today: LocalDate): Promise<boolean>;
  /** A channel by its id (the "today's quiz" button of a nudge names one), or null. */
  channel(channelId: string): Promise<ChannelRecord | null>;
}
