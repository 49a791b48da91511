import type { DropStore } from '../core/ports/drops.port.ts';
import type { Db } from './prisma-client.ts';

export class PrismaDropStore implements DropStore {
  constructor(readonly db: Db) {}
}
