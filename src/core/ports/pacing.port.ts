/**
 * A cohort's pace and a member's place in it: the channels that drop a cohort's lessons (a facilitator pauses,
 * resumes or sets the start of all of them at once), and the lessons those channels posted (a late joiner sees how
 * far behind they are). Implemented in src/db/pacing.repo.ts.
 */
import type { LocalDate } from '../calendar.ts';
import type { ChannelRecord } from './members.port.ts';

/** A lesson a channel posted, with the channel's local date of its first drop. */
export interface PostedLesson {
  readonly channelId: string;
  readonly trackId: string;
  readonly lessonId: string;
  readonly firstDate: LocalDate;
}

export interface PacingStore {
  /** The channels whose drops are the cohort's, by name. */
  cohortChannels(cohortId: string): Promise<ChannelRecord[]>;
  /** The workspace's channels of the cohorts the member belongs to, by name. */
  memberChannels(workspaceId: string, memberId: string): Promise<ChannelRecord[]>;
  /** The lessons posted (or closed) in these channels, one per channel and lesson, in drop order. */
  postedLessons(channelIds: readonly string[]): Promise<PostedLesson[]>;
}
