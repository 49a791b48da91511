import { v7 as uuidv7 } from 'uuid';
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
import { nextSlice } from '../ops/loop-slices.ts';
import { accountKey } from './account-key.ts';
import { batchedLookup, compositeKey, groupKeys, maxLookupBatch } from './batched-lookup.ts';
import { bool, date, driverQuery, inDriverTransaction, int } from './driver-transaction.ts';
import { Prisma } from './generated/sqlite/client.ts';
import { GroupCommit } from './group-commit.ts';
import type { Db } from './prisma-client.ts';
import { withRetry } from './retry.ts';
import type { DatabaseKind } from './schema-files.ts';

type WorkspaceRow = Awaited<ReturnType<Db['workspace']['findFirstOrThrow']>>;
type MemberRow = Awaited<ReturnType<Db['member']['findFirstOrThrow']>>;
type ChannelRow = Awaited<ReturnType<Db['channel']['findFirstOrThrow']>>;
/** What `toChannel` reads of a Channel row. */
type ChannelFields = Pick<
  ChannelRow,
  | 'id'
  | 'workspaceId'
  | 'externalId'
  | 'name'
  | 'trackId'
  | 'cohortId'
  | 'locale'
  | 'dropTime'
  | 'timeZone'
  | 'weekdays'
  | 'startDate'
  | 'paused'
  | 'quizCloseMinutes'
  | 'trackCompletedAt'
>;

/** A platform account met for the first time. */
interface NewAccount {
  readonly workspace: WorkspaceRecord;
  readonly externalUserId: string;
  readonly displayName: string;
}

/** What `toMember` reads of a member row. */
type MemberColumns = Pick<MemberRow, 'id' | 'displayName' | 'locale' | 'timeZone'>;

export class PrismaMemberStore implements MemberStore {
  /** The identity of a platform account with its member, by workspace id and external user id (batched). */
  readonly #identity;
  /** A channel by workspace id and external channel id (batched). */
  readonly #channel;
  /** Accounts never seen before, created in batches (group commit). */
  readonly #newMembers: GroupCommit<NewAccount, MemberRecord>;
  /** The tombstone of a deleted member's account, by account key (batched: every first contact asks). */
  readonly #tombstone;

  constructor(
    private readonly db: Db,
    options: { readonly kind?: DatabaseKind } = {},
  ) {
    this.#newMembers = new GroupCommit({
      workers: options.kind === 'postgresql' ? 2 : 1,
      maxBatch: maxLookupBatch,
      write: (accounts) => withRetry('createMembers', () => this.#createMembers(accounts)),
      fallback: async (account) => toMember(await this.#createOne(account)),
    });
    this.#identity = batchedLookup(
      'findIdentity',
      async (keys) => {
        const groups = [...groupKeys(keys)];
        // On the driver (one join), not Prisma's engine: every click asks, and under a steady stream of clicks each
        // batch holds only a few, where the engine's own work per query (two here: identity, then member) is most of
        // the cost.
        const found = await Promise.all(
          groups.map(async ([workspaceId, externalIds]) => {
            const rows = await driverQuery<{
              workspaceId: string;
              externalId: string;
              memberId: string;
              displayName: string;
              locale: string | null;
              timeZone: string | null;
            }>(
              db,
              Prisma.sql`SELECT i."workspaceId", i."externalId", i."memberId", m."displayName", m."locale", m."timeZone"
                FROM "Identity" i JOIN "Member" m ON m."id" = i."memberId"
                WHERE i."workspaceId" = ${workspaceId} AND i."externalId" IN (${Prisma.join(externalIds)})`,
            );
            return rows.map(({ memberId, displayName, locale, timeZone, ...identity }) => ({
              ...identity,
              memberId,
              member: { id: memberId, displayName, locale, timeZone },
            }));
          }),
        );
        return found.flat();
      },
      (row) => compositeKey(row.workspaceId, row.externalId),
    );
    this.#tombstone = batchedLookup(
      'findTombstone',
      (accounts) => db.tombstone.findMany({ where: { account: { in: [...accounts] } } }),
      (row) => row.account,
    );
    this.#channel = batchedLookup(
      'findChannel',
      async (keys) => {
        const groups = [...groupKeys(keys)];
        // On the driver, as the identity above.
        const found = await Promise.all(
          groups.map(async ([workspaceId, externalIds]) => {
            const rows = await driverQuery<Record<keyof ChannelFields, unknown>>(
              db,
              Prisma.sql`SELECT "id", "workspaceId", "externalId", "name", "trackId", "cohortId", "locale", "dropTime",
                  "timeZone", "weekdays", "startDate", "paused", "quizCloseMinutes", "trackCompletedAt"
                FROM "Channel" WHERE "workspaceId" = ${workspaceId} AND "externalId" IN (${Prisma.join(externalIds)})`,
            );
            return rows.map(
              (row): ChannelFields => ({
                ...(row as ChannelFields),
                paused: bool(row.paused),
                quizCloseMinutes: row.quizCloseMinutes === null ? null : int(row.quizCloseMinutes),
                trackCompletedAt: date(row.trackCompletedAt),
              }),
            );
          }),
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

  async ensureMember(
    workspace: WorkspaceRecord,
    externalUserId: string,
    typedName: string,
    options: { readonly deliberate?: boolean } = {},
  ): Promise<MemberRecord> {
    // What other members will see: control, direction and zero-width characters removed (src/core/member-text.ts).
    // A known member under the same name, every click but the first: the batched look-up (which retries on its own)
    // is all it takes. A stored name is neutral already, so the same name typed again needs no second pass.
    // Anything else runs again under withRetry below.
    const known = await this.#identity(compositeKey(workspace.id, externalUserId));
    // One look-up answers a whole burst: each click goes on in a share of a turn (src/ops/loop-slices.ts).
    await nextSlice();
    if (known && known.member.displayName === typedName) return toMember(known.member);
    const displayName = neutralizeName(typedName, '');
    if (known && (known.member.displayName === displayName || !displayName)) return toMember(known.member);
    let lookedUp = true;
    return withRetry('ensureMember', async () => {
      // The look-up above on the first try; a retry reads again.
      const found = lookedUp ? known : await this.#identity(compositeKey(workspace.id, externalUserId));
      lookedUp = false;
      if (found) {
        if (found.member.displayName === displayName || !displayName) return toMember(found.member);
        const member = await this.db.member.update({ where: { id: found.memberId }, data: { displayName } });
        return toMember(member);
      }
      // First sight, or the account of a member who deleted their data: only a typed command starts a new member.
      const account = accountKey(workspace.id, externalUserId);
      const tombstone = await this.#tombstone(account);
      await nextSlice();
      if (tombstone && !options.deliberate) throw new MemberDeletedError();
      if (tombstone) return toMember(await this.#createOne({ workspace, externalUserId, displayName }, account));
      // First contact: created with the other new accounts of the burst, in one transaction (group commit).
      return this.#newMembers.submit({ workspace, externalUserId, displayName });
    });
  }

  /**
   * The members of a batch of accounts never seen before, in one transaction of three statements whatever its size:
   * those another request or replica created meanwhile are read back, the rest created (member and identity rows,
   * two multi-row inserts). Written on the driver (src/db/driver-transaction.ts), not through Prisma's query engine:
   * on SQLite the transaction holds the event loop from start to end, and through Prisma a batch of 300 new members
   * held it some 300 ms, the clicks behind it unacknowledged (docs/first-contact.md). A unique violation (a replica
   * created one between the read and the insert) fails the batch, whose accounts then run one by one through
   * `#createOne`, which reads the winner's row.
   */
  #createMembers(accounts: readonly NewAccount[]): Promise<MemberRecord[]> {
    return inDriverTransaction(this.db, async (tx) => {
      const keyOf = (account: NewAccount) => compositeKey(account.workspace.id, account.externalUserId);
      const existing = new Map<string, MemberRecord>();
      for (const [workspaceId, externalIds] of groupKeys([...new Set(accounts.map(keyOf))])) {
        const rows = await tx.query<MemberColumns & { externalId: string }>(
          Prisma.sql`SELECT i."externalId", m."id", m."displayName", m."locale", m."timeZone"
            FROM "Identity" i JOIN "Member" m ON m."id" = i."memberId"
            WHERE i."workspaceId" = ${workspaceId} AND i."externalId" ${tx.oneOf(externalIds)}`,
        );
        for (const row of rows) existing.set(compositeKey(workspaceId, row.externalId), toMember(row));
      }
      const created = new Map<string, { account: NewAccount; member: MemberRecord }>();
      for (const account of accounts) {
        const key = keyOf(account);
        if (existing.has(key) || created.has(key)) continue;
        const displayName = account.displayName || neutralizeName(account.externalUserId, '?');
        created.set(key, { account, member: { id: uuidv7(), displayName, locale: null, timeZone: null } });
      }
      if (created.size > 0) {
        const now = new Date();
        const rows = [...created.values()];
        await tx.executeValues(
          'INSERT INTO "Member" ("id", "displayName", "createdAt", "updatedAt")',
          ['text', 'text', 'timestamp(3)', 'timestamp(3)'],
          rows.flatMap(({ member }) => [member.id, member.displayName, now, now]),
        );
        await tx.executeValues(
          'INSERT INTO "Identity" ("id", "memberId", "workspaceId", "platform", "externalId", "createdAt")',
          ['text', 'text', 'text', '"Platform"', 'text', 'timestamp(3)'],
          rows.flatMap(({ account, member }) => [
            uuidv7(),
            member.id,
            account.workspace.id,
            account.workspace.platform,
            account.externalUserId,
            now,
          ]),
        );
        for (const [key, { member }] of created) existing.set(key, member);
      }
      return accounts.map((account) => existing.get(keyOf(account)) as MemberRecord);
    });
  }

  /**
   * One new account in its own transaction: the path a failed batch falls back to, account by account, and the
   * deliberate return of a deleted member (`tombstoneOf`: its tombstone goes in the same transaction).
   */
  async #createOne({ workspace, externalUserId, displayName }: NewAccount, tombstoneOf?: string): Promise<MemberRow> {
    return withRetry('ensureMember', async () => {
      try {
        const data = {
          displayName: displayName || neutralizeName(externalUserId, '?'),
          identities: {
            create: { workspaceId: workspace.id, platform: workspace.platform, externalId: externalUserId },
          },
        };
        return tombstoneOf
          ? await this.db.$transaction(async (tx) => {
              await tx.tombstone.deleteMany({ where: { account: tombstoneOf } });
              return tx.member.create({ data });
            })
          : await this.db.member.create({ data });
      } catch (error) {
        // Another request of the same account created it first: the identity's unique index rejected ours (and the
        // nested create rolled back our member row with it).
        const winner = await this.db.identity.findFirst({
          where: { workspaceId: workspace.id, externalId: externalUserId },
          include: { member: true },
        });
        if (winner) return winner.member;
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

export function toMember(row: MemberColumns): MemberRecord {
  return {
    id: row.id,
    displayName: row.displayName,
    locale: row.locale === null ? null : matchLocale(row.locale),
    timeZone: row.timeZone,
  };
}

export function toChannel(row: ChannelFields): ChannelRecord {
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
