import type { LearningStore } from '../core/ports/learning.port.ts';
import type { Db } from './prisma-client.ts';

export class PrismaLearningStore implements LearningStore {
  constructor(readonly db: Db) {}
}
