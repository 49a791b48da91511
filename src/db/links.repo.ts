/**
 * One member across platforms over Prisma (src/core/ports/links.port.ts): link codes, linking an account to a code's
 * member, unlinking. Linking is one transaction:
 * 1. The code is read; expired → removed, `expired`; the account already the code's member's, or the code's member
 *    already in the account's workspace → said so, nothing used.
 * 2. The code is used up with a conditional delete: of two racing uses one deletes the row and the other deletes
 *    nothing (PostgreSQL makes the second wait on the row and re-check it; SQLite runs one transaction at a time).
 * 3. Both members' MemberStats rows are locked in id order (the answer path's first statement, src/db/answer-batch.ts),
 *    so no answer of either member is written meanwhile; then both members are read and merged as
 *    src/core/member-merge.ts plans it: attempts deduplicated, cards, lessons, cohorts and holds moved, weekly scores
 *    and totals recomputed from the surviving attempts, the account's old member deleted.
 * Only a SHA-256 hash of each code is stored: a copy of the database gives no usable code.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LocalDate } from '../core/calendar.ts';
import { linkCodeFromBytes, linkCodeLength } from '../core/link-code.ts';
import { matchLocale } from '../core/locale.ts';
import {
  earlier,
  laterCard,
  type MergeAttempt,
  planAttempts,
  replayStreak,
  totalsOf,
  weeklyTotalsOf,
} from '../core/member-merge.ts';
import type {
  IdentityRef,
  IssuedLinkCode,
  LinkedIdentity,
  LinkResult,
  LinkStore,
  UnlinkResult,
} from '../core/ports/links.port.ts';
import { accountKey } from './account-key.ts';
import { invalidate, lockMembers } from './board-standings.ts';
import { cohortDropDays, streakDaysOf } from './care.repo.ts';
import type { Db } from './prisma-client.ts';
import { isUniqueViolation, withRetry } from './retry.ts';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** A merge reads and rewrites two members' whole histories: more time than Prisma's 5 s default may be needed. */
const transactionOptions = { maxWait: 60_000, timeout: 60_000 } as const;
/** Ids per `IN (…)`: far below both databases' parameter limits. */
const chunkSize = 500;

/** The stored form of a code. */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** Thrown inside a link transaction when a member changed under it (another link won): the transaction runs again. */
class MembersMoved extends Error {}

export class PrismaLinkStore implements LinkStore {
  constructor(readonly db: Db) {}

  async issueCode(identity: IdentityRef, now: Date, ttlMs: number): Promise<IssuedLinkCode> {
    // A fresh code colliding with a live one (2^40 codes) would break the primary key: another code is drawn.
    for (let run = 1; ; run++) {
      try {
        return await withRetry('issueLinkCode', () =>
          this.db.$transaction(async (tx) => {
            const mine = await identityOf(tx, identity);
            // A member has one code at a time; codes past their time are of no use to anyone and go too.
            await tx.linkCode.deleteMany({
              where: { OR: [{ memberId: mine.memberId }, { expiresAt: { lte: now } }] },
            });
            const code = linkCodeFromBytes(randomBytes(linkCodeLength));
            const expiresAt = new Date(now.getTime() + ttlMs);
            await tx.linkCode.create({
              data: {
                code: hashLinkCode(code),
                memberId: mine.memberId,
                identityId: mine.id,
                expiresAt,
                createdAt: now,
              },
            });
            return { code, expiresAt };
          }),
        );
      } catch (error) {
        if (!isUniqueViolation(error) || run >= 3) throw error;
      }
    }
  }

  async useCode(code: string, identity: IdentityRef, now: Date): Promise<LinkResult> {
    for (let run = 1; ; run++) {
      try {
        return await withRetry('useLinkCode', () =>
          this.db.$transaction((tx) => this.#use(tx, hashLinkCode(code), identity, now), transactionOptions),
        );
      } catch (error) {
        if (!(error instanceof MembersMoved) || run >= 3) throw error;
      }
    }
  }

  async #use(tx: Tx, hash: string, identity: IdentityRef, now: Date): Promise<LinkResult> {
    const row = await tx.linkCode.findFirst({ where: { code: hash } });
    if (!row) return { status: 'invalid' };
    if (row.expiresAt.getTime() <= now.getTime()) {
      await tx.linkCode.deleteMany({ where: { code: hash } });
      return { status: 'expired' };
    }
    const mine = await identityOf(tx, identity);
    const target = row.memberId;
    const source = mine.memberId;
    if (source === target) return { status: 'already_linked' };
    const [targetSides, sourceSides] = await Promise.all([
      tx.identity.findMany({ where: { memberId: target }, select: { workspaceId: true } }),
      tx.identity.findMany({ where: { memberId: source }, select: { workspaceId: true } }),
    ]);
    const targetWorkspaces = new Set(targetSides.map((side) => side.workspaceId));
    if (sourceSides.some((side) => targetWorkspaces.has(side.workspaceId))) return { status: 'same_workspace' };

    // Used up here: of two racing uses, only one deletes the row.
    const used = await tx.linkCode.deleteMany({ where: { code: hash, expiresAt: { gt: now } } });
    if (used.count === 0) {
      const again = await identityOf(tx, identity);
      return again.memberId === target ? { status: 'already_linked' } : { status: 'invalid' };
    }
    await lockMembers(tx, [source, target], now);
    // Read again under the locks: a link of either member that committed meanwhile moved its rows.
    const [stillMine, alive] = await Promise.all([
      identityOf(tx, identity),
      tx.member.count({ where: { id: { in: [source, target] } } }),
    ]);
    if (stillMine.memberId !== source || alive !== 2) throw new MembersMoved();

    const owner = await tx.identity.findFirst({
      where: { id: row.identityId },
      select: { platform: true, externalId: true, workspace: { select: { defaultLocale: true } } },
    });
    const merged = await mergeMembers(tx, source, target, now);
    // The merged member's board rows are scored and listed again (src/db/board-standings.ts).
    await invalidate(tx, [target]);
    const targetRow = await tx.member.findFirst({ where: { id: target }, select: { locale: true } });
    return {
      status: 'linked',
      memberId: target,
      identities: await identitiesOf(tx, target, identity),
      totals: merged.totals,
      duplicates: merged.duplicates,
      codeOwner: {
        platform: owner?.platform ?? 'terminal',
        externalId: owner?.externalId ?? '',
        locale: matchLocale(targetRow?.locale ?? owner?.workspace.defaultLocale ?? 'pt-BR'),
      },
    };
  }

  unlink(identity: IdentityRef): Promise<UnlinkResult> {
    return withRetry('unlink', () =>
      this.db.$transaction(async (tx) => {
        const mine = await identityOf(tx, identity);
        // The member's locks: its stats row (as every change to whether it is ranked takes, src/db/board-standings.ts)
        // and its row (a no-op update): two accounts of one member unlinking at once cannot both leave and strand its
        // progress with no account at all.
        await lockMembers(tx, [mine.memberId], new Date());
        await tx.$executeRaw`UPDATE "Member" SET "updatedAt" = "updatedAt" WHERE "id" = ${mine.memberId}`;
        const accounts = await tx.identity.count({ where: { memberId: mine.memberId } });
        if (accounts <= 1) return { status: 'not_linked' } as const;
        const member = await tx.member.findFirstOrThrow({ where: { id: mine.memberId } });
        // Preferences come along (name, language, zone, how boards show them); nothing earned does.
        const fresh = await tx.member.create({
          data: {
            displayName: member.displayName,
            locale: member.locale,
            timeZone: member.timeZone,
            boardVisibility: member.boardVisibility,
          },
        });
        await tx.identity.update({ where: { id: mine.id }, data: { memberId: fresh.id, linkedAt: null } });
        // A code this account asked for would link the other side back to the member it just left.
        await tx.linkCode.deleteMany({ where: { identityId: mine.id } });
        // Without an account in this workspace the member leaves its cohorts' boards here.
        await invalidate(tx, [member.id]);
        return {
          status: 'unlinked',
          memberId: fresh.id,
          remaining: await identitiesOf(tx, member.id, identity),
        } as const;
      }),
    );
  }

  recordLinkTry(identity: IdentityRef, now: Date, windowMs: number): Promise<{ id: string; earlier: Date[] }> {
    const account = accountKey(identity.workspaceId, identity.externalId);
    const since = new Date(now.getTime() - windowMs);
    return withRetry('recordLinkTry', async () => {
      // Inserted before counting: of several tries racing on two replicas each sees the others, so no more than the
      // limit ever reach the look-up.
      const row = await this.db.linkFailure.create({ data: { account, at: now }, select: { id: true } });
      const [earlier] = await Promise.all([
        this.db.linkFailure.findMany({
          where: { account, at: { gt: since }, id: { not: row.id } },
          select: { at: true },
        }),
        this.db.linkFailure.deleteMany({ where: { at: { lte: since } } }),
      ]);
      return { id: row.id, earlier: earlier.map((failure) => failure.at) };
    });
  }

  forgetLinkTry(id: string): Promise<void> {
    return withRetry('forgetLinkTry', async () => {
      await this.db.linkFailure.deleteMany({ where: { id } });
    });
  }

  identities(identity: IdentityRef): Promise<LinkedIdentity[]> {
    return withRetry('linkedIdentities', async () => {
      const mine = await identityOf(this.db, identity);
      return identitiesOf(this.db, mine.memberId, identity);
    });
  }
}

async function identityOf(db: Pick<Tx, 'identity'>, identity: IdentityRef): Promise<{ id: string; memberId: string }> {
  const row = await db.identity.findFirst({
    where: { workspaceId: identity.workspaceId, externalId: identity.externalId },
    select: { id: true, memberId: true },
  });
  // The dispatcher made the account's member before any command ran; only a deletion racing this request gets here.
  if (!row) throw new Error(`no identity ${identity.externalId} in workspace ${identity.workspaceId}`);
  return row;
}

async function identitiesOf(
  db: Pick<Tx, 'identity'>,
  memberId: string,
  current: IdentityRef,
): Promise<LinkedIdentity[]> {
  const rows = await db.identity.findMany({
    where: { memberId },
    include: { workspace: { select: { name: true } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((row) => ({
    platform: row.platform,
    workspaceName: row.workspace.name,
    linkedAt: row.linkedAt,
    current: row.workspaceId === current.workspaceId && row.externalId === current.externalId,
  }));
}

async function inChunks(ids: readonly string[], run: (chunk: string[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < ids.length; i += chunkSize) await run(ids.slice(i, i + chunkSize));
}

const key = (...parts: string[]) => parts.join('\u0000');

/** Merges `source` into `target` (both locked) and deletes `source`; the totals come from what survives. */
async function mergeMembers(
  tx: Tx,
  source: string,
  target: string,
  now: Date,
): Promise<{ totals: { xp: number; answered: number; currentStreak: number }; duplicates: number }> {
  const both = { memberId: { in: [source, target] } };
  const [attemptRows, cards, progress, memberships, weekly, stats, members] = await Promise.all([
    tx.attempt.findMany({
      where: both,
      select: {
        id: true,
        memberId: true,
        trackId: true,
        questionId: true,
        postedQuestionId: true,
        context: true,
        dedupeKey: true,
        correct: true,
        scored: true,
        xp: true,
        answeredAt: true,
        localDate: true,
      },
    }),
    tx.reviewCard.findMany({ where: both }),
    tx.lessonProgress.findMany({ where: both }),
    tx.cohortMember.findMany({ where: both }),
    tx.weeklyScore.findMany({ where: both, select: { cohortId: true, week: true } }),
    tx.memberStats.findMany({ where: both, select: { bestStreak: true } }),
    tx.member.findMany({ where: { id: { in: [source, target] } } }),
  ]);

  // Attempts: repeats dropped, a question counted twice in channel quizzes kept once scored, the rest moved.
  const owner = new Map(attemptRows.map((row) => [row.id, row.memberId]));
  const plan = planAttempts(attemptRows as MergeAttempt[]);
  await inChunks(plan.dropped, (ids) => tx.attempt.deleteMany({ where: { id: { in: ids } } }));
  const moving = plan.kept.filter((attempt) => owner.get(attempt.id) === source).map((attempt) => attempt.id);
  await inChunks(moving, (ids) => tx.attempt.updateMany({ where: { id: { in: ids } }, data: { memberId: target } }));
  await inChunks(plan.unscored, (ids) =>
    tx.attempt.updateMany({ where: { id: { in: ids } }, data: { scored: false, xp: 0 } }),
  );

  // Review cards: per question the one reviewed last goes on (the target's on a full tie).
  const ordered = [...cards].sort((a, b) => Number(a.memberId === source) - Number(b.memberId === source));
  const winners = new Map<string, (typeof cards)[number]>();
  for (const card of ordered) {
    const question = key(card.trackId, card.questionId);
    const other = winners.get(question);
    winners.set(question, other ? laterCard(other, card) : card);
  }
  for (const card of cards) {
    if (winners.get(key(card.trackId, card.questionId)) === card) continue;
    await tx.reviewCard.delete({
      where: {
        memberId_trackId_questionId: { memberId: card.memberId, trackId: card.trackId, questionId: card.questionId },
      },
    });
  }
  await tx.reviewCard.updateMany({ where: { memberId: source }, data: { memberId: target } });

  // Lessons: one row per lesson, seen and completed at the earlier of the two.
  const targetLessons = new Map(
    progress.filter((row) => row.memberId === target).map((row) => [key(row.trackId, row.lessonId), row]),
  );
  for (const row of progress.filter((candidate) => candidate.memberId === source)) {
    const kept = targetLessons.get(key(row.trackId, row.lessonId));
    if (!kept) continue;
    const seenAt = earlier(kept.seenAt, row.seenAt) as Date;
    const completedAt = earlier(kept.completedAt, row.completedAt);
    if (seenAt !== kept.seenAt || completedAt !== kept.completedAt) {
      await tx.lessonProgress.update({
        where: { memberId_trackId_lessonId: { memberId: target, trackId: row.trackId, lessonId: row.lessonId } },
        data: { seenAt, completedAt },
      });
    }
    await tx.lessonProgress.delete({
      where: { memberId_trackId_lessonId: { memberId: source, trackId: row.trackId, lessonId: row.lessonId } },
    });
  }
  await tx.lessonProgress.updateMany({ where: { memberId: source }, data: { memberId: target } });

  // Cohorts: the union, joined at the earlier date.
  const targetCohorts = new Map(memberships.filter((row) => row.memberId === target).map((row) => [row.cohortId, row]));
  for (const row of memberships.filter((candidate) => candidate.memberId === source)) {
    const kept = targetCohorts.get(row.cohortId);
    if (!kept) continue;
    if (row.joinedAt.getTime() < kept.joinedAt.getTime()) {
      await tx.cohortMember.update({
        where: { cohortId_memberId: { cohortId: row.cohortId, memberId: target } },
        data: { joinedAt: row.joinedAt },
      });
    }
    await tx.cohortMember.delete({ where: { cohortId_memberId: { cohortId: row.cohortId, memberId: source } } });
  }
  await tx.cohortMember.updateMany({ where: { memberId: source }, data: { memberId: target } });

  // Accounts, holds; the source's codes are of no use any more.
  await tx.identity.updateMany({ where: { memberId: source }, data: { memberId: target, linkedAt: now } });
  await tx.hold.updateMany({ where: { memberId: source }, data: { memberId: target } });
  await tx.linkCode.deleteMany({ where: { memberId: source } });

  // Weekly scores: every (cohort, week) either member had, recomputed from the surviving attempts.
  const wanted = [...new Map(weekly.map((row) => [key(row.cohortId, row.week), row])).values()];
  await tx.weeklyScore.deleteMany({ where: both });
  const zones = await tx.cohort.findMany({
    where: { id: { in: [...new Set(wanted.map((row) => row.cohortId))] } },
    select: { id: true, timeZone: true },
  });
  const rows = weeklyTotalsOf(plan.kept, wanted, new Map(zones.map((row) => [row.id, row.timeZone])));
  const weeklyRows = rows.filter((row) => row.answered > 0).map((row) => ({ ...row, memberId: target }));
  if (weeklyRows.length > 0) await tx.weeklyScore.createMany({ data: weeklyRows });

  // Totals and the streak, from the surviving scored attempts (the streak by the answer path's own rule).
  const totals = totalsOf(plan.kept);
  const dates = plan.kept.filter((attempt) => attempt.scored).map((attempt) => attempt.localDate as LocalDate);
  const [cohortRows, holds, lessonsSeen] = await Promise.all([
    tx.cohortMember.findMany({ where: { memberId: target }, select: { cohortId: true } }),
    tx.hold.findMany({ where: { memberId: target }, select: { startDate: true, endDate: true } }),
    tx.lessonProgress.count({ where: { memberId: target } }),
  ]);
  const cohortIds = cohortRows.map((row) => row.cohortId);
  const sortedDates = [...new Set(dates)].sort();
  const first = sortedDates[0];
  const last = sortedDates.at(-1);
  const dropDays =
    first && last && first !== last ? await cohortDropDays(tx, cohortIds, first, last) : new Map<string, Set<string>>();
  const streak = replayStreak(sortedDates, streakDaysOf(cohortIds, dropDays, holds));
  // A best streak is earned: the merge never lowers it.
  const best = Math.max(streak.best, ...stats.map((row) => row.bestStreak));
  const values = {
    xp: totals.xp,
    answered: totals.answered,
    correct: totals.correct,
    firstTries: totals.firstTries,
    firstTryCorrect: totals.firstTryCorrect,
    reviews: totals.reviews,
    reviewsKept: totals.reviewsKept,
    currentStreak: streak.current,
    bestStreak: best,
    lastActiveDate: streak.lastActiveDate,
    freezes: streak.freezes,
    freezesUsed: streak.freezesUsed,
    lessonsSeen,
  };
  if (Object.values(values).every((value) => value === 0 || value === null)) {
    // Nothing answered or seen on either side: no stats row, as for any member before their first answer (the lock
    // above may have made an empty one).
    await tx.memberStats.deleteMany({ where: { memberId: target } });
  } else {
    await tx.memberStats.upsert({
      where: { memberId: target },
      create: { memberId: target, ...values },
      update: values,
    });
  }

  // The member: the code owner's settings win; what it left unset comes from the other side.
  const targetRow = members.find((row) => row.id === target);
  const sourceRow = members.find((row) => row.id === source);
  if (targetRow && sourceRow) {
    const lastNudge = [targetRow.lastNudgeDate, sourceRow.lastNudgeDate].filter((d): d is string => d !== null).sort();
    await tx.member.update({
      where: { id: target },
      data: {
        locale: targetRow.locale ?? sourceRow.locale,
        timeZone: targetRow.timeZone ?? sourceRow.timeZone,
        lastNudgeDate: lastNudge.at(-1) ?? null,
      },
    });
  }
  await tx.member.delete({ where: { id: source } });

  return {
    totals: { xp: totals.xp, answered: totals.answered, currentStreak: streak.current },
    duplicates: plan.dropped.length + plan.unscored.length,
  };
}
