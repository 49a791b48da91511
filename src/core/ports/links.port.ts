/**
 * One member across platforms: one-time link codes, linking another account to the code's member (the member that
 * account had is merged into it: src/core/member-merge.ts says what survives), unlinking, and the member's accounts.
 * Implemented in src/db/links.repo.ts.
 */
import type { Locale } from '../locale.ts';
import type { Platform } from './members.port.ts';

/** A platform account, as the dispatcher knows the one acting: its workspace and its platform user id. */
export interface IdentityRef {
  readonly workspaceId: string;
  readonly externalId: string;
}

/** One account of a member, as the member may see it: the platform and the workspace's name, never ids. */
export interface LinkedIdentity {
  readonly platform: Platform;
  readonly workspaceName: string;
  /** When it was linked to this member; null for an account the member started with. */
  readonly linkedAt: Date | null;
  /** The account that asked. */
  readonly current: boolean;
}

export interface IssuedLinkCode {
  /** The code to show (`linkCodeAlphabet`, `linkCodeLength` symbols); only its hash is stored. */
  readonly code: string;
  readonly expiresAt: Date;
}

/** The account that asked for a code: where to tell it, and in which language. */
export interface CodeOwner {
  readonly platform: Platform;
  readonly externalId: string;
  /** The member's own language, else its workspace's. */
  readonly locale: Locale;
}

export type LinkResult =
  /** The account now belongs to the code's member; the member it had is merged into it and gone. */
  | {
      readonly status: 'linked';
      readonly memberId: string;
      readonly identities: readonly LinkedIdentity[];
      /** The merged member's totals, recomputed. */
      readonly totals: { readonly xp: number; readonly answered: number; readonly currentStreak: number };
      /** Answers that were the same answer on both sides (dropped) or a question already counted (kept, unscored). */
      readonly duplicates: number;
      /** The account that asked for the code, to be told its code was used (docs/security.md, "Rate limits"). */
      readonly codeOwner: CodeOwner;
    }
  /** No such code: mistyped, or used already. */
  | { readonly status: 'invalid' }
  | { readonly status: 'expired' }
  /** The account already belongs to the code's member. */
  | { readonly status: 'already_linked' }
  /** The code's member already has an account in this workspace (the code was used on the same side). */
  | { readonly status: 'same_workspace' };

export type UnlinkResult =
  /** The account has a fresh member of its own; everything earned stayed with the member it left. */
  | { readonly status: 'unlinked'; readonly memberId: string; readonly remaining: readonly LinkedIdentity[] }
  /** The account is its member's only one. */
  | { readonly status: 'not_linked' };

export interface LinkStore {
  /** A new code for the account's member, valid `ttlMs`; the member's earlier codes stop working. */
  issueCode(identity: IdentityRef, now: Date, ttlMs: number): Promise<IssuedLinkCode>;
  /**
   * Links the account to the member of `code` (as `normalizeLinkCode` gives it), in one transaction: the code is
   * used up (of two racing uses one wins; the other finds no code), and the account's member is merged into the
   * code's member. An expired code is removed and answers `expired`.
   */
  useCode(code: string, identity: IdentityRef, now: Date): Promise<LinkResult>;
  /** Gives the account a fresh member of its own; nothing already earned moves. */
  unlink(identity: IdentityRef): Promise<UnlinkResult>;
  /** The accounts of the account's member, the oldest first. */
  identities(identity: IdentityRef): Promise<LinkedIdentity[]>;
  /**
   * Records a try of a code by the account at `now` before the code is looked up (the link-code rate limit,
   * src/core/link-code.ts) and answers the instants of the account's other tries within `windowMs` (earlier wrong
   * codes, and tries in flight on other replicas). Rows older than the window are removed on the way.
   */
  recordLinkTry(identity: IdentityRef, now: Date, windowMs: number): Promise<{ id: string; earlier: Date[] }>;
  /** Forgets a try that was not a wrong code (the code linked, or the try was refused before any look-up). */
  forgetLinkTry(id: string): Promise<void>;
}
