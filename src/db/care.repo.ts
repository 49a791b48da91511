/**
 * Member care over Prisma: holds (and the review cards a hold moves), the days a streak is judged on, nudge settings,
 * who may get a nudge and what is waiting for them, and the once-a-day nudge claim. The rules are the core's
 * (src/core/care.ts, src/core/streaks.ts); this file reads and writes rows.
 *
 * The nudge claim is one conditional update (`lastNudgeDate` unset or earlier than the member's today → today): of
 * two replicas, or the Slack and the Discord scheduler of one linked member, exactly one sees a changed row.
 */

import { addDays, type LocalDate, localDateOf } from '../core/calendar.ts';
import { cancelledHold, currentHold, holdInstants, movedDue } from '../core/care.ts';
import { matchLocale } from '../core/locale.ts';
import type {
  CareStore,
  CreateHoldResult,
  HoldRecord,
  MemberCare,
  NudgeCandidate,
  NudgeSettings,
  NudgeTodo,
} from '../core/ports/care.port.ts';
import type { ChannelRecord, Platform } from '../core/ports/members.port.ts';
import { type HoldPeriod, onHold, type StreakDays } from '../core/streaks.ts';
import { invalidate, lockMembers } from './board-standings.ts';
import { toChannel } from './members.repo.ts';
import type { Db } from './prisma-client.ts';
import { withRetry } from './retry.ts';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/**
 * Per cohort, the local dates in (`after`, `before`) with a drop posted in one of its channels; a cohort without a
 * channel is absent from the map (its members' days all count). Shared with the answer path (answer-batch.ts), which
 * runs it inside its transaction.
 */
export async function cohortDropDays(
  db: Pick<Tx, 'channel'>,
  cohortIds: readonly string[],
  after: LocalDate,
  before: LocalDate,
): Promise<Map<string, Set<LocalDate>>> {
  const days = new Map<string, Set<LocalDate>>();
  if (cohortIds.length === 0) return days;
  const channels = await db.channel.findMany({
    where: { cohortId: { in: [...cohortIds] } },
    select: {
      cohortId: true,
      drops: {
        where: { localDate: { gt: after, lt: before }, status: { in: ['posted', 'closed'] } },
        select: { localDate: true },
      },
    },
  });
  for (const channel of channels) {
    if (channel.cohortId === null) continue;
    const set = days.get(channel.cohortId) ?? new Set<LocalDate>();
    for (const drop of channel.drops) set.add(drop.localDate);
    days.set(channel.cohortId, set);
  }
  return days;
}

/** A member's streak days from their cohorts' drop days (`cohortDropDays`) and holds. */
export function streakDaysOf(
  cohortIds: Iterable<string>,
  dropDays: ReadonlyMap<string, ReadonlySet<LocalDate>>,
  holds: readonly HoldPeriod[],
): StreakDays {
  let days: Set<LocalDate> | null = null;
  for (const cohortId of cohortIds) {
    const cohortDays = dropDays.get(cohortId);
    if (!cohortDays) continue;
    days ??= new Set();
    for (const day of cohortDays) days.add(day);
  }
  return { dropDays: days, holds };
}

export class PrismaCareStore implements CareStore {
  constructor(readonly db: Db) {}

  memberCare(memberId: string, today: LocalDate): Promise<MemberCare> {
    return withRetry('memberCare', async () => {
      const [member, stats, holds] = await Promise.all([
        this.db.member.findFirst({ where: { id: memberId }, select: { nudgeHour: true, quietHours: true } }),
        this.db.memberStats.findFirst({ where: { memberId }, select: { freezes: true, freezesUsed: true } }),
        this.db.hold.findMany({ where: { memberId, endDate: { gte: today } }, orderBy: { startDate: 'asc' } }),
      ]);
      return {
        nudgeHour: member?.nudgeHour ?? null,
        quietHours: member?.quietHours ?? null,
        freezes: stats?.freezes ?? 0,
        freezesUsed: stats?.freezesUsed ?? 0,
        holds: holds.map(toHold),
      };
    });
  }

  streakDays(memberId: string, after: LocalDate, before: LocalDate): Promise<StreakDays> {
    return withRetry('streakDays', async () => {
      const [memberships, holds] = await Promise.all([
        this.db.cohortMember.findMany({ where: { memberId }, select: { cohortId: true } }),
        this.db.hold.findMany({ where: { memberId, endDate: { gt: after }, startDate: { lt: before } } }),
      ]);
      const cohortIds = memberships.map((row) => row.cohortId);
      const dropDays = await cohortDropDays(this.db, cohortIds, after, before);
      return streakDaysOf(cohortIds, dropDays, holds.map(toHold));
    });
  }

  createHold(input: {
    readonly memberId: string;
    readonly hold: HoldPeriod;
    readonly today: LocalDate;
    readonly timeZone: string;
  }): Promise<CreateHoldResult> {
    const { memberId, hold, today, timeZone } = input;
    return withRetry('createHold', () =>
      this.db.$transaction(async (tx): Promise<CreateHoldResult> => {
        // Locks the member's row (PostgreSQL) so two holds asked for at once cannot both move the reviews.
        await tx.$executeRaw`UPDATE "Member" SET "lastNudgeDate" = "lastNudgeDate" WHERE "id" = ${memberId}`;
        const ahead = await tx.hold.findMany({ where: { memberId, endDate: { gte: today } } });
        const existing = currentHold(ahead.map(toHold), today);
        if (existing) return { status: 'exists', hold: existing };
        const created = await tx.hold.create({ data: { memberId, startDate: hold.startDate, endDate: hold.endDate } });
        // Held drop days leave the member's yardsticks (docs/ranking.md "Holds"): their board rows are scored again.
        await lockMembers(tx, [memberId], new Date());
        await invalidate(tx, [memberId]);
        const { from, until } = holdInstants(hold, timeZone);
        const cards = await tx.reviewCard.findMany({
          where: { memberId, due: { gte: from, lt: until } },
          select: { trackId: true, questionId: true, due: true },
        });
        // One update per card: each moves by whole local days (DST-safe), which one SQL expression cannot say on
        // both databases. A member has at most a few hundred cards, and a hold is set rarely.
        for (const card of cards) {
          await tx.reviewCard.update({
            where: { memberId_trackId_questionId: { memberId, trackId: card.trackId, questionId: card.questionId } },
            data: { due: movedDue(card.due, hold, timeZone) },
          });
        }
        return { status: 'created', hold: toHold(created), movedReviews: cards.length };
      }),
    );
  }

  cancelHold(memberId: string, today: LocalDate): Promise<HoldRecord | null> {
    return withRetry('cancelHold', () =>
      this.db.$transaction(async (tx) => {
        const ahead = await tx.hold.findMany({ where: { memberId, endDate: { gte: today } } });
        const hold = currentHold(ahead.map(toHold), today);
        if (!hold) return null;
        const change = cancelledHold(hold, today);
        if (change === 'delete') await tx.hold.deleteMany({ where: { id: hold.id } });
        else if (change !== 'keep') await tx.hold.updateMany({ where: { id: hold.id }, data: change });
        await lockMembers(tx, [memberId], new Date());
        await invalidate(tx, [memberId]);
        return hold;
      }),
    );
  }

  setNudge(memberId: string, changes: Partial<NudgeSettings>): Promise<NudgeSettings> {
    return withRetry('setNudge', async () => {
      const data = {
        ...(changes.nudgeHour !== undefined ? { nudgeHour: changes.nudgeHour } : {}),
        ...(changes.quietHours !== undefined ? { quietHours: changes.quietHours } : {}),
      };
      const row = await this.db.member.update({
        where: { id: memberId },
        data,
        select: { nudgeHour: true, quietHours: true },
      });
      return { nudgeHour: row.nudgeHour, quietHours: row.quietHours };
    });
  }

  nudgeCandidates(platform: Platform | undefined): Promise<NudgeCandidate[]> {
    return withRetry('nudgeCandidates', async () => {
      const rows = await this.db.member.findMany({
        where: { nudgeHour: { not: null }, identities: { some: platform ? { platform } : {} } },
        select: {
          id: true,
          locale: true,
          timeZone: true,
          nudgeHour: true,
          quietHours: true,
          lastNudgeDate: true,
          identities: {
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            select: {
              platform: true,
              externalId: true,
              workspaceId: true,
              workspace: { select: { defaultLocale: true, timeZone: true } },
            },
          },
        },
        orderBy: { id: 'asc' },
      });
      return rows.flatMap((row): NudgeCandidate[] => {
        // The member's first identity gives the zone and language they did not choose, the same on every platform,
        // so the Slack and the Discord scheduler of a linked member agree on their local date (one claim a day).
        const first = row.identities[0];
        const address = row.identities.find((identity) => !platform || identity.platform === platform);
        if (!first || !address || row.nudgeHour === null) return [];
        return [
          {
            memberId: row.id,
            userRef: address.externalId,
            workspaceId: address.workspaceId,
            locale: matchLocale(row.locale ?? first.workspace.defaultLocale),
            timeZone: row.timeZone ?? first.workspace.timeZone,
            nudgeHour: row.nudgeHour,
            quietHours: row.quietHours,
            lastNudgeDate: row.lastNudgeDate,
          },
        ];
      });
    });
  }

  nudgeTodo(
    members: readonly { readonly memberId: string; readonly today: LocalDate }[],
    now: Date,
  ): Promise<Map<string, NudgeTodo>> {
    return withRetry('nudgeTodo', async () => {
      const todo = new Map<string, NudgeTodo>();
      if (members.length === 0) return todo;
      const ids = [...new Set(members.map((member) => member.memberId))];
      const todays = members.map((member) => member.today).sort();
      const utcToday = localDateOf(now, 'UTC');
      const [holds, due, memberships] = await Promise.all([
        this.db.hold.findMany({
          where: {
            memberId: { in: ids },
            startDate: { lte: todays.at(-1) as string },
            endDate: { gte: todays[0] as string },
          },
        }),
        this.db.reviewCard.groupBy({
          by: ['memberId'],
          where: { memberId: { in: ids }, due: { lte: now } },
          _count: { _all: true },
        }),
        this.db.cohortMember.findMany({ where: { memberId: { in: ids } }, select: { memberId: true, cohortId: true } }),
      ]);
      const cohortIds = [...new Set(memberships.map((row) => row.cohortId))];
      // Today's drops: a channel's today is within a day of UTC's, and checked exactly below in its own zone.
      const drops =
        cohortIds.length === 0
          ? []
          : await this.db.drop.findMany({
              where: {
                status: 'posted',
                channel: { cohortId: { in: cohortIds } },
                localDate: { in: [addDays(utcToday, -1), utcToday, addDays(utcToday, 1)] },
                OR: [{ closesAt: null }, { closesAt: { gt: now } }],
              },
              select: {
                localDate: true,
                channel: { select: { id: true, name: true, externalId: true, timeZone: true, cohortId: true } },
                questions: { select: { id: true } },
              },
            });
      const todayDrops = drops.filter((drop) => drop.localDate === localDateOf(now, drop.channel.timeZone));
      const postedIds = todayDrops.flatMap((drop) => drop.questions.map((question) => question.id));
      const answered =
        postedIds.length === 0
          ? []
          : await this.db.attempt.findMany({
              where: { memberId: { in: ids }, postedQuestionId: { in: postedIds } },
              select: { memberId: true, postedQuestionId: true },
            });
      const answeredSet = new Set(answered.map((row) => `${row.memberId}\u0000${row.postedQuestionId}`));
      const dueCount = new Map(due.map((row) => [row.memberId, row._count._all]));
      for (const { memberId, today } of members) {
        const cohorts = new Set(memberships.filter((row) => row.memberId === memberId).map((row) => row.cohortId));
        const quizzes = todayDrops
          .filter((drop) => drop.channel.cohortId !== null && cohorts.has(drop.channel.cohortId))
          .map((drop) => ({
            channelId: drop.channel.id,
            channelName: drop.channel.name || drop.channel.externalId,
            unanswered: drop.questions.filter((question) => !answeredSet.has(`${memberId}\u0000${question.id}`)).length,
          }))
          .filter((quiz) => quiz.unanswered > 0);
        todo.set(memberId, {
          onHold: onHold(
            today,
            holds.filter((hold) => hold.memberId === memberId),
          ),
          reviewsDue: dueCount.get(memberId) ?? 0,
          quizzes,
        });
      }
      return todo;
    });
  }

  claimNudge(memberId: string, today: LocalDate): Promise<boolean> {
    return withRetry('claimNudge', async () => {
      const { count } = await this.db.member.updateMany({
        where: {
          id: memberId,
          nudgeHour: { not: null },
          OR: [{ lastNudgeDate: null }, { lastNudgeDate: { lt: today } }],
        },
        data: { lastNudgeDate: today },
      });
      return count === 1;
    });
  }

  channel(channelId: string): Promise<ChannelRecord | null> {
    return withRetry('channel', async () => {
      const row = await this.db.channel.findFirst({ where: { id: channelId } });
      return row ? toChannel(row) : null;
    });
  }
}

function toHold(row: { id: string; startDate: string; endDate: string }): HoldRecord {
  return { id: row.id, startDate: row.startDate, endDate: row.endDate };
}
