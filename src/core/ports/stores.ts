import type { CareStore } from './care.port.ts';
import type { DropStore } from './drops.port.ts';
import type { LearningStore } from './learning.port.ts';
import type { LinkStore } from './links.port.ts';
import type { MemberExportStore } from './member-export.port.ts';
import type { MemberStore } from './members.port.ts';
import type { PacingStore } from './pacing.port.ts';
import type { ReportStore } from './reports.port.ts';
import type { SeasonStore } from './seasons.port.ts';
import type { SocialStore } from './social.port.ts';

/** Every store port the commands and the scheduler use; src/db/stores.ts builds the Prisma implementation. */
export interface Stores {
  readonly members: MemberStore;
  readonly learning: LearningStore;
  readonly social: SocialStore;
  readonly drops: DropStore;
  /** The facilitator report's and the cohort export's aggregates. */
  readonly reports: ReportStore;
  /** Holds, freezes as stored, streak days and nudges. */
  readonly care: CareStore;
  /** Weekly seasons: recap targets and claims, the weeks' ranked rows. */
  readonly seasons: SeasonStore;
  /** One member across platforms: link codes, linking and unlinking accounts. */
  readonly links: LinkStore;
  /** A cohort's channels and the lessons they posted (pausing a cohort, a late joiner's catch-up). */
  readonly pacing: PacingStore;
  /** A member's own exports: everything stored about them, their misses. */
  readonly exports: MemberExportStore;
}
