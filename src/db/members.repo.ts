import { matchLocale } from '../core/locale.ts';
import type {
  ChannelRecord,
  MemberRecord,
  MemberStore,
  WorkspaceInput,
  WorkspaceRecord,
} from '../core/ports/members.port.ts';
import type { Db } from './prisma-client.ts';
import { withRetry } from './retry.ts';

type WorkspaceRow = Awaited<ReturnType<Db['workspace']['findFirstOrThrow']>>;
type MemberRow = Awaited<ReturnType<Db['member']['findFirstOrThrow']>>;
type ChannelRow = Awaited<ReturnType<Db['channel']['findFirstOrThrow']>>;

export class PrismaMemberStore implements MemberStore {
  constructor(private readonly db: Db) {}

  ensureWorkspace(input: WorkspaceInput): Promise<WorkspaceRecord> {
    return withRetry('ensureWorkspace', async () => {
      const where = { platform_externalId: { platform: input.platform, externalId: input.externalId } };
      // A read first: the workspace exists on every request but the first, and a read takes no write lock.
      const existing = await this.db.workspace.findUnique({ where });
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

  ensureMember(workspace: WorkspaceRecord, externalUserId: string, displayName: string): Promise<MemberRecord> {
    return withRetry('ensureMember', async () => {
      const where = { workspaceId_externalId: { workspaceId: workspace.id, externalId: externalUserId } };
      const found = await this.db.identity.findUnique({ where, include: { member: true } });
      if (found) {
        if (found.member.displayName === displayName || !displayName) return toMember(found.member);
        const member = await this.db.member.update({ where: { id: found.memberId }, data: { displayName } });
        return toMember(member);
      }
      try {
        const member = await this.db.member.create({
          data: {
            displayName: displayName || externalUserId,
            identities: {
              create: { workspaceId: workspace.id, platform: workspace.platform, externalId: externalUserId },
            },
          },
        });
        return toMember(member);
      } catch (error) {
        // Another request of the same account created it first: the identity's unique index rejected ours (and the
        // nested create rolled back our member row with it).
        const winner = await this.db.identity.findUnique({ where, include: { member: true } });
        if (winner) return toMember(winner.member);
        throw error;
      }
    });
  }

  findChannel(workspaceId: string, externalChannelId: string): Promise<ChannelRecord | null> {
    return withRetry('findChannel', async () => {
      const row = await this.db.channel.findUnique({
        where: { workspaceId_externalId: { workspaceId, externalId: externalChannelId } },
      });
      return row ? toChannel(row) : null;
    });
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
