/**
 * Who and where: the records the runtime resolves for every request before a command runs, and the store that finds
 * or creates them. Implemented in src/db/members.repo.ts.
 */
import type { Locale } from '../locale.ts';

export type Platform = 'slack' | 'discord' | 'terminal';

export interface WorkspaceRecord {
  readonly id: string;
  readonly platform: Platform;
  readonly externalId: string;
  readonly name: string;
  readonly defaultLocale: Locale;
  readonly timeZone: string;
}

export interface MemberRecord {
  readonly id: string;
  readonly displayName: string;
  /** The member's own choice; null = the workspace's default. */
  readonly locale: Locale | null;
  /** The member's own choice; null = the workspace's zone. */
  readonly timeZone: string | null;
}

/** A channel Trilha drops lessons in, with its schedule. */
export interface ChannelRecord {
  readonly id: string;
  readonly workspaceId: string;
  readonly externalId: string;
  readonly name: string;
  readonly trackId: string;
  readonly cohortId: string | null;
  readonly locale: Locale;
  /** `HH:MM`, local to `timeZone`. */
  readonly dropTime: string;
  readonly timeZone: string;
  /** ISO weekdays, 1 = Monday. */
  readonly weekdays: readonly number[];
  /** `YYYY-MM-DD`. */
  readonly startDate: string;
  readonly paused: boolean;
  /** Minutes after posting when the quiz closes; null = when the next drop is posted, at most 24 h. */
  readonly quizCloseMinutes: number | null;
  readonly trackCompletedAt: Date | null;
}

export interface WorkspaceInput {
  readonly platform: Platform;
  readonly externalId: string;
  readonly name: string;
  /** Used only when the workspace is created. */
  readonly defaultLocale: Locale;
  readonly timeZone: string;
}

export interface MemberStore {
  /** The workspace, created on first sight. */
  ensureWorkspace(input: WorkspaceInput): Promise<WorkspaceRecord>;
  /**
   * The member behind a platform account, created on first sight (with its identity). A changed display name is
   * updated. The name is stored neutralised (src/core/member-text.ts). Safe under concurrency: two first requests of
   * the same account make one member. An account whose member deleted their data (a tombstone) gets a new member only
   * when `options.deliberate` (a typed command), which removes the tombstone; otherwise `MemberDeletedError`.
   */
  ensureMember(
    workspace: WorkspaceRecord,
    externalUserId: string,
    displayName: string,
    options?: { readonly deliberate?: boolean },
  ): Promise<MemberRecord>;
  /** Whether the account's member deleted their data and no typed command has started a new one since. */
  isDeleted(workspaceId: string, externalUserId: string): Promise<boolean>;
  /** The drop channel with this platform id in the workspace, or null when it is not set up. */
  findChannel(workspaceId: string, externalChannelId: string): Promise<ChannelRecord | null>;
  /**
   * The workspace of a platform account's latest identity on that platform (external id and name), or null: how a
   * click in a direct message, which the platform sends without a workspace (a Discord DM has no guild), finds it.
   */
  workspaceOfUser(platform: Platform, externalUserId: string): Promise<{ externalId: string; name: string } | null>;
}
