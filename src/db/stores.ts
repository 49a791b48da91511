import type { Stores } from '../core/ports/stores.ts';
import { PrismaDropStore } from './drops.repo.ts';
import { PrismaLearningStore } from './learning.repo.ts';
import { PrismaMemberStore } from './members.repo.ts';
import type { Db } from './prisma-client.ts';
import type { DatabaseKind } from './schema-files.ts';
import { PrismaSocialStore } from './social.repo.ts';

/** The Prisma implementation of every store port, over one client. */
export function createStores(db: Db, kind: DatabaseKind): Stores & { learning: PrismaLearningStore } {
  return {
    members: new PrismaMemberStore(db),
    learning: new PrismaLearningStore(db, { kind }),
    social: new PrismaSocialStore(db),
    drops: new PrismaDropStore(db),
  };
}
