/**
 * A member's own exports (LGPD art. 18 / GDPR art. 20 portability): everything stored about them as one document,
 * and the questions they missed. Implemented in src/db/member-export.repo.ts; the JSON file's shape is documented in
 * docs/exports.md and versioned by `memberExportVersion` (a change that removes or renames a field raises it).
 */
import type { LocalDate } from '../calendar.ts';
import type { AnswerContext } from '../scoring.ts';
import type { Platform } from './members.port.ts';

/** The version of the export's shape. */
export const memberExportVersion = 1;

/** Everything stored about a member. Instants are `Date`s here and ISO 8601 UTC strings in the file. */
export interface MemberExport {
  readonly member: {
    readonly id: string;
    readonly displayName: string;
    readonly locale: string | null;
    readonly timeZone: string | null;
    readonly boardVisibility: string;
    readonly nudgeHour: number | null;
    readonly quietHours: string | null;
    readonly lastNudgeDate: LocalDate | null;
    readonly createdAt: Date;
    readonly updatedAt: Date;
  };
  readonly identities: readonly {
    readonly platform: Platform;
    readonly workspace: string;
    /** The member's own user id on that platform. */
    readonly userId: string;
    readonly createdAt: Date;
    readonly linkedAt: Date | null;
  }[];
  readonly stats: {
    readonly xp: number;
    readonly answered: number;
    readonly correct: number;
    readonly currentStreak: number;
    readonly bestStreak: number;
    readonly lastActiveDate: LocalDate | null;
    readonly lessonsSeen: number;
    readonly firstTries: number;
    readonly firstTryCorrect: number;
    readonly reviews: number;
    readonly reviewsKept: number;
    readonly freezes: number;
    readonly freezesUsed: number;
  } | null;
  readonly attempts: readonly {
    readonly trackId: string;
    readonly questionId: string;
    readonly context: AnswerContext;
    readonly choice: number;
    readonly correct: boolean;
    readonly scored: boolean;
    readonly xp: number;
    readonly answeredAt: Date;
    readonly localDate: LocalDate;
    /** The channel of a channel-quiz answer, when its drop still exists. */
    readonly channel: string | null;
  }[];
  readonly reviewCards: readonly {
    readonly trackId: string;
    readonly questionId: string;
    readonly due: Date;
    readonly stability: number;
    readonly difficulty: number;
    readonly scheduledDays: number;
    readonly learningSteps: number;
    readonly reps: number;
    readonly lapses: number;
    readonly state: number;
    readonly lastReview: Date | null;
  }[];
  readonly lessonProgress: readonly {
    readonly trackId: string;
    readonly lessonId: string;
    readonly seenAt: Date;
    readonly completedAt: Date | null;
  }[];
  readonly cohorts: readonly {
    readonly slug: string;
    readonly name: string;
    readonly workspace: string;
    readonly joinedAt: Date;
  }[];
  readonly weeklyScores: readonly {
    readonly cohort: string;
    readonly week: string;
    readonly xp: number;
    readonly answered: number;
    readonly correct: number;
    readonly firstTries: number;
    readonly firstTryCorrect: number;
    readonly reviews: number;
    readonly reviewsKept: number;
    readonly activeDays: number;
  }[];
  readonly holds: readonly {
    readonly startDate: LocalDate;
    readonly endDate: LocalDate;
    readonly createdAt: Date;
  }[];
  /** Link codes still stored (only a hash of each code is kept, so the code itself is not in the export). */
  readonly linkCodes: readonly { readonly createdAt: Date; readonly expiresAt: Date }[];
}

/** A question the member answered wrong at least once. */
export interface MissedQuestion {
  readonly trackId: string;
  readonly questionId: string;
  /** Wrong answers to it, in every context. */
  readonly misses: number;
  readonly lastMissedAt: Date;
  /** Whether the member's latest answer to it is right (remembered in a review, say). */
  readonly latestCorrect: boolean;
}

export interface MemberExportStore {
  /** Everything stored about the member, or null when the member no longer exists. */
  exportMember(memberId: string): Promise<MemberExport | null>;
  /** The questions the member ever answered wrong. */
  missedQuestions(memberId: string): Promise<MissedQuestion[]>;
}
