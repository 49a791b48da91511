import { matchLocale } from '../core/locale.ts';
import { neutralizeName } from '../core/member-text.ts';
import type {
  ChannelRecord,
  MemberRecord,
  MemberStore,
  Platform,
  WorkspaceInput,
  WorkspaceRecord,
} from '../core/ports/members.port.ts';
import { MemberDeletedError } from '../core/ports/store-errors.ts';
import { accountKey } from './account-key.ts';
import { batchedLookup, compositeKey, groupKeys } from './batched-lookup.ts';
import type { Db } from './prisma-client.ts';
import { withRetry } from './retry.ts';

type WorkspaceRow = Awaited<ReturnType<Db['workspace']['findFirstOrThrow']>>;
type MemberRow = Awaited<ReturnType<Db['member']['findFirstOrThrow']>>;
type ChannelRow = Awaited<ReturnType<Db['channel']['findFirstOrThrow']>>;

export class PrismaMemberStore implements MemberStore {
  /** The identity of a platform account with its member, by workspace id and external user id (batched). */
  readonly #identity;
  /** A channel by workspace id and external channel id (batched). */
  readonly #channel;

  constructor(private readonly db: Db) {
    this.#identity = batchedLookup(
      'findIdentity',
      async (keys) => {
        const groups = [...groupKeys(keys)];
        const found = await Promise.all(
          groups.map(([workspaceId, externalIds]) =>
            db.identity.findMany({
              where: { workspaceId, externalId: { in: externalIds } },
              include: { member: true },
            }),
          ),
        );
        return found.flat();
      },
      (row) => compositeKey(row.workspaceId, row.externalId),
    );
    this.#channel = batchedLookup(
      'findChannel',
      async (keys) => {
        const groups = [...groupKeys(keys)];
        const found = await Promise.all(
          groups.map(([workspaceId, externalIds]) =>
            db.channel.findMany({ where: { workspaceId, externalId: { in: externalIds } } }),
          ),
        );
        return found.flat();
      },
      (row) => compositeKey(row.workspaceId, row.externalId),
    );
  }

  ensureWorkspace(input: WorkspaceInput): Promise<WorkspaceRecord> {
    return withRetry('ensureWorkspace', async () => {
      const where = { platform_externalId: { platform: input.platform, externalId: input.externalId } };
      // A read first: the workspace exists on every request but the first, and a read takes no write lock.
      // findFirst, not findUnique: see src/db/prisma-client.ts and src/db/batched-lookup.ts (unbounded findUnique batching, prisma/orm#23957).
      const existing = await this.db.workspace.findFirst({
        where: { platform: input.platform, externalId: input.externalId },
      });
      if (existing) return toWorkspace(existing);
      const row = await this.db.workspace.upsert({
        where,
        create: {
          platform: input.platform,
          externalId: input.externalId,
          name: input.name,
          defaultLocale: input.defaultLocale,
          timeZone: input.timeZone,
        },
        update: {},
      });
      return toWorkspace(row);
    });
  }

  ensureMember(
    workspace: WorkspaceRecord,
    externalUserId: string,
    typedName: string,
    options: { readonly deliberate?: boolean } = {},
  ): Promise<MemberRecord> {
    // What other members will see: control, direction and zero-width characters removed (src/core/member-text.ts).
    const displayName = neutralizeName(typedName, '');
    return withRetry('ensureMember', async () => {
      const where = { workspaceId: workspace.id, externalId: externalUserId };
      const found = await this.#identity(compositeKey(workspace.id, externalUserId));
      if (found) {
        if (found.member.displayName === displayName || !displayName) return toMember(found.member);
        const member = await this.db.member.update({ where: { id: found.memberId }, data: { displayName } });
        return toMember(member);
      }
      // First sight, or the account of a member who deleted their data: only a typed command starts a new member.
      const account = accountKey(workspace.id, externalUserId);
      const tombstone = await this.db.tombstone.findFirst({ where: { account } });
      if (tombstone && !options.deliberate) throw new MemberDeletedError();
      try {
        const data = {
          displayName: displayName || neutralizeName(externalUserId, '?'),
          identities: {
            create: { workspaceId: workspace.id, platform: workspace.platform, externalId: externalUserId },
          },
        };
        // The tombstone goes with the new member's creation, in one transaction; a first sight needs no transaction.
        const member = tombstone
          ? await this.db.$transaction(async (tx) => {
              await tx.tombstone.deleteMany({ where: { account } });
              return tx.member.create({ data });
            })
          : await this.db.member.create({ data });
        return toMember(member);
      } catch (error) {
        // Another request of the same account created it first: the identity's unique index rejected ours (and the
        // nested create rolled back our member row with it).
        const winner = await this.db.identity.findFirst({ where, include: { member: true } });
        if (winner) return toMember(winner.member);
        throw error;
      }
    });
  }

  isDeleted(workspaceId: string, externalUserId: string): Promise<boolean> {
    return withRetry('isDeleted', async () => {
      const account = accountKey(workspaceId, externalUserId);
      return (await this.db.tombstone.count({ where: { account } })) > 0;
    });
  }

  workspaceOfUser(platform: Platform, externalUserId: string): Promise<{ externalId: string; name: string } | null> {
    return withRetry('workspaceOfUser', async () => {
      const identity = await this.db.identity.findFirst({
        where: { platform, externalId: externalUserId },
        orderBy: { createdAt: 'desc' },
        include: { workspace: true },
      });
      return identity ? { externalId: identity.workspace.externalId, name: identity.workspace.name } : null;
    });
  }

  async findChannel(workspaceId: string, externalChannelId: string): Promise<ChannelRecord | null> {
    const row = await this.#channel(compositeKey(workspaceId, externalChannelId));
    return row ? toChannel(row) : null;
  }
}

export function toWorkspace(row: WorkspaceRow): WorkspaceRecord {
  return {
    id: row.id,
    platform: row.platform,
    externalId: row.externalId,
    name: row.name,
    defaultLocale: matchLocale(row.defaultLocale),
    timeZone: row.timeZone,
  };
}

export function toMember(row: MemberRow): MemberRecord {
  return {
    id: row.id,
    displayName: row.displayName,
    locale: row.locale === null ? null : matchLocale(row.locale),
    timeZone: row.timeZone,
  };
}

export function toChannel(row: ChannelRow): ChannelRecord {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    externalId: row.externalId,
    name: row.name,
    trackId: row.trackId,
    cohortId: row.cohortId,
    locale: matchLocale(row.locale),
    dropTime: row.dropTime,
    timeZone: row.timeZone,
    weekdays: row.weekdays
      .split(',')
      .filter(Boolean)
      .map((day) => Number(day)),
    startDate: row.startDate,
    paused: row.paused,
    quizCloseMinutes: row.quizCloseMinutes,
    trackCompletedAt: row.trackCompletedAt,
  };
}
