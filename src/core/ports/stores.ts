import type { DropStore } from './drops.port.ts';
import type { LearningStore } from './learning.port.ts';
import type { MemberStore } from './members.port.ts';
import type { SocialStore } from './social.port.ts';

/** Every store port the commands and the scheduler use; src/db/stores.ts builds the Prisma implementation. */
export interface Stores {
  readonly members: MemberStore;
  readonly learning: LearningStore;
  readonly social: SocialStore;
  readonly drops: DropStore;
}
