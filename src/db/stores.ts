import type { Stores } from '../core/ports/stores.ts';
import { PrismaCareStore } from './care.repo.ts';
import { PrismaDropStore } from './drops.repo.ts';
import { PrismaLearningStore } from './learning.repo.ts';
import { PrismaLinkStore } from './links.repo.ts';
import { PrismaMemberExportStore } from './member-export.repo.ts';
import { PrismaMemberStore } from './members.repo.ts';
import { PrismaPacingStore } from './pacing.repo.ts';
import type { Db } from './prisma-client.ts';
import { PrismaReportStore } from './reports.repo.ts';
import type { DatabaseKind } from './schema-files.ts';
import { PrismaSeasonStore } from './seasons.repo.ts';
import { PrismaSocialStore } from './social.repo.ts';

/** The Prisma implementation of every store port, over one client. */
export function createStores(
  db: Db,
  kind: DatabaseKind,
): Stores & { learning: PrismaLearningStore; social: PrismaSocialStore } {
  return {
    members: new PrismaMemberStore(db, { kind }),
    learning: new PrismaLearningStore(db, { kind }),
    social: new PrismaSocialStore(db, kind),
    drops: new PrismaDropStore(db),
    reports: new PrismaReportStore(db),
    care: new PrismaCareStore(db),
    links: new PrismaLinkStore(db),
    pacing: new PrismaPacingStore(db),
    exports: new PrismaMemberExportStore(db),
    seasons: new PrismaSeasonStore(db),
  };
}
