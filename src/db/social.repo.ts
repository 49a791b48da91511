import type { SocialStore } from '../core/ports/social.port.ts';
import type { Db } from './prisma-client.ts';

export class PrismaSocialStore implements SocialStore {
  constructor(readonly db: Db) {}
}
