/**
 * Channel settings, drops, posted questions and quiz closing: implemented in src/db/drops.repo.ts.
 *
 * Every step of the scheduler that must happen once (post a drop, close a quiz, announce the end of a track) is a
 * claim here, decided by the database (the one-drop-per-channel-per-local-date index and conditional updates), so
 * several processes ticking the same database never post or close twice.
 */
import type { LocalDate } from '../calendar.ts';
import type { Locale } from '../locale.ts';
import type { ChannelRecord, Platform } from './members.port.ts';

export type DropStatus = 'claimed' | 'posted' | 'closed';

export interface DropRecord {
  readonly id: string;
  readonly channelId: string;
  readonly localDate: LocalDate;
  readonly trackId: string;
  readonly lessonId: string;
  readonly status: DropStatus;
  readonly claimedBy: string;
  readonly claimedAt: Date;
  /** Failed tries of the current step (posting, then closing) and the last error. */
  readonly tries: number;
  readonly lastError: string | null;
  readonly postedAt: Date | null;
  /** The lesson post (set as soon as it is posted, so a retry never posts it twice). */
  readonly messageRef: string | null;
  readonly threadRef: string | null;
  readonly closesAt: Date | null;
  readonly closedAt: Date | null;
}

export interface PostedQuestionRecord {
  readonly id: string;
  readonly dropId: string;
  readonly trackId: string;
  readonly questionId: string;
  /** 0-based place in the thread. */
  readonly position: number;
  readonly messageRef: string | null;
}

export interface EnsureChannelInput {
  readonly workspaceId: string;
  readonly externalId: string;
  readonly name: string;
  readonly trackId: string;
  readonly locale: Locale;
  readonly timeZone: string;
  /** `HH:MM`; default 09:00. */
  readonly dropTime?: string;
  /** ISO weekdays; default Monday to Friday. */
  readonly weekdays?: readonly number[];
  readonly startDate: LocalDate;
}

/** The settings an admin can change; absent fields stay as they are. */
export interface ChannelSettingsUpdate {
  readonly trackId?: string;
  readonly dropTime?: string;
  readonly timeZone?: string;
  readonly weekdays?: readonly number[];
  readonly startDate?: LocalDate;
  readonly paused?: boolean;
  /** null = close with the next drop (at most 24 h). */
  readonly quizCloseMinutes?: number | null;
  readonly locale?: Locale;
}

/** What claiming today's drop gave: the drop to post, or why not. */
export type DropClaim =
  | {
      readonly kind: 'won';
      readonly drop: DropRecord;
      /**
       * The drop row existed before this claim (this process's own earlier claim, or a stale one taken over): an
       * earlier try may have posted some of it, so its posts are retries (`PostTarget.retry`).
       */
      readonly resumed: boolean;
    }
  /** Another process holds a fresh claim, or the drop is already posted. */
  | { readonly kind: 'taken' }
  /** Posting failed `maxTries` times: the drop is given up for that day. */
  | { readonly kind: 'given-up'; readonly drop: DropRecord };

export interface ClaimDropInput {
  readonly channelId: string;
  readonly localDate: LocalDate;
  readonly trackId: string;
  /** The lesson this drop posts when it is new (a taken-over claim keeps the lesson it was claimed with). */
  readonly lessonId: string;
  readonly owner: string;
  readonly now: Date;
  /** A claim older than this, never posted, is taken over (its owner died). */
  readonly staleAfterMs: number;
  /** After this many failed tries the drop is given up. */
  readonly maxTries: number;
}

/** A quiz whose close delay has passed, with what the summary needs. */
export interface QuizToClose {
  readonly drop: DropRecord;
  readonly channel: ChannelRecord;
}

export interface QuestionSummary {
  readonly postedQuestionId: string;
  readonly questionId: string;
  readonly position: number;
  /** Scored answers (given while the quiz was open). */
  readonly answered: number;
  readonly correct: number;
  /** How many chose each option, by option index (content order). */
  readonly choices: readonly number[];
  /** Display names of the first members (at most 3) who got it right, in answer order. */
  readonly firstCorrect: readonly string[];
}

export interface QuizSummary {
  /** Distinct members who answered at least one question while the quiz was open. */
  readonly participants: number;
  readonly answered: number;
  readonly correct: number;
  readonly questions: readonly QuestionSummary[];
}

export interface DropStore {
  /**
   * The channel, created with its default cohort when missing (idempotent, race-safe); the existing channel unchanged
   * otherwise.
   */
  ensureChannel(input: EnsureChannelInput): Promise<ChannelRecord>;
  /** Changes a channel's settings; a new track also clears `trackCompletedAt` (the new track starts at lesson 1). */
  updateChannel(channelId: string, changes: ChannelSettingsUpdate): Promise<ChannelRecord>;
  /**
   * Channels that may have a drop to post: not paused and their track not announced as complete; only those of
   * `platform`'s workspaces when given (each platform's scheduler posts through its own notifier).
   */
  channelsToConsider(platform?: Platform): Promise<ChannelRecord[]>;
  /** The local date of the channel's last posted (or closed) drop, or null before the first. */
  lastDropDate(channelId: string): Promise<LocalDate | null>;
  /** How many drops of `trackId` the channel has posted: the index of the next lesson. */
  countPostedDrops(channelId: string, trackId: string): Promise<number>;
  /**
   * Claims the channel's drop of `localDate`: creates it (the unique (channel, local date) index lets one process
   * win), or takes over a claim that is stale or was released after a failure. Never a posted drop.
   */
  claimDrop(input: ClaimDropInput): Promise<DropClaim>;
  /**
   * The posted-question rows of a drop, created in order when missing (their ids go into the answer buttons before
   * anything is posted). Idempotent: a retry gets the same rows.
   */
  ensurePostedQuestions(
    dropId: string,
    questions: readonly { readonly trackId: string; readonly questionId: string }[],
  ): Promise<PostedQuestionRecord[]>;
  /** Stores the lesson post's references as soon as it is posted. */
  recordLessonPost(dropId: string, refs: { readonly messageRef: string; readonly threadRef: string }): Promise<void>;
  /** Stores a question post's reference. */
  recordQuestionPost(postedQuestionId: string, messageRef: string): Promise<void>;
  /**
   * Marks a claimed drop posted (only the claim's owner can); the claim is released so closing can be claimed.
   * False when the claim was lost meanwhile.
   */
  markPosted(
    dropId: string,
    owner: string,
    input: { readonly postedAt: Date; readonly closesAt: Date },
  ): Promise<boolean>;
  /** Pulls the close of the channel's open quizzes dated before `localDate` to `now` (the next drop closes them). */
  closeEarlierDrops(channelId: string, localDate: LocalDate, now: Date): Promise<number>;
  /** Posted quizzes whose close time has come, oldest first; only in `platform`'s workspaces when given. */
  quizzesToClose(
    now: Date,
    options?: { readonly limit?: number; readonly platform?: Platform },
  ): Promise<QuizToClose[]>;
  /** Claims the closing of a posted quiz (one process wins); stale close claims are taken over. */
  claimClose(dropId: string, owner: string, now: Date, staleAfterMs: number): Promise<boolean>;
  /** Marks a quiz closed (only the close claim's owner can). */
  markClosed(dropId: string, owner: string, now: Date): Promise<boolean>;
  /** Participants, right answers, the spread over options and the first right answers, per question. */
  quizSummary(dropId: string): Promise<QuizSummary>;
  /**
   * Records a failed try (posting or closing) and releases the claim so a later tick retries at once. Returns the
   * number of tries so far.
   */
  recordFailure(dropId: string, owner: string, error: string): Promise<number>;
  /**
   * Closes a drop given up after its last failed try: whatever of its quiz reached the channel (a lesson posted, a
   * question or two) stops scoring now instead of staying open for good.
   */
  closeGivenUp(dropId: string, now: Date): Promise<void>;
  /**
   * Claims the end-of-track announcement: sets `trackCompletedAt` when it is unset, or older than `staleAfterMs` while
   * the announcement is still not posted (its claimer died). `null` for a loser; for the one winner, whether the
   * claim was taken over (an earlier claimer may have posted it: a retry).
   */
  claimTrackCompletion(
    channelId: string,
    now: Date,
    staleAfterMs: number,
  ): Promise<{ readonly resumed: boolean } | null>;
  /** Records the announcement as posted (or given up): the channel is done with its track. */
  markTrackEndPosted(channelId: string, now: Date): Promise<void>;
  /** Gives the announcement back after a failed post, so a later tick retries it. */
  releaseTrackCompletion(channelId: string, claimedAt: Date): Promise<void>;
  /**
   * The channel's drops of local dates before `before` still only claimed (their claimer died before posting them
   * and no later tick had the day due any more), not given up, oldest first.
   */
  claimedDropsBefore(channelId: string, before: LocalDate, maxTries: number): Promise<DropRecord[]>;
}
