/**
 * The drop store on Prisma. Every step that must happen once is decided by the database, never by a read followed by
 * a write: a new drop is an INSERT guarded by the unique (channelId, localDate) index, and every claim, takeover and
 * state change is an `updateMany` whose `where` repeats the state it expects (status, claim owner, claim time,
 * closedAt…); the one process whose update counts 1 row won. So two processes ticking one database never post or
 * close the same drop twice.
 *
 * A claim is released (claimedBy '' and claimedAt at the epoch) after a failed try and after posting, so the next
 * step (a retry, the close) can be claimed at once; a claim that is neither released nor finished within the stale
 * timeout belongs to a process that died and is taken over.
 */
import type { LocalDate } from '../core/calendar.ts';
import type {
  ChannelSettingsUpdate,
  ClaimDropInput,
  DropClaim,
  DropRecord,
  DropStore,
  EnsureChannelInput,
  PostedQuestionRecord,
  QuestionSummary,
  QuizSummary,
  QuizToClose,
} from '../core/ports/drops.port.ts';
import type { ChannelRecord, Platform } from '../core/ports/members.port.ts';
import { toChannel } from './members.repo.ts';
import type { Db } from './prisma-client.ts';
import { isUniqueViolation, withRetry } from './retry.ts';

type DropRow = Awaited<ReturnType<Db['drop']['findFirstOrThrow']>>;
type PostedQuestionRow = Awaited<ReturnType<Db['postedQuestion']['findFirstOrThrow']>>;

/** A released claim: anyone may take it at once. */
const released = { claimedBy: '', claimedAt: new Date(0) };
/** Errors are stored for the operator, not as a log: the start of the message is enough. */
const maxErrorLength = 500;

export class PrismaDropStore implements DropStore {
  constructor(readonly db: Db) {}

  ensureChannel(input: EnsureChannelInput): Promise<ChannelRecord> {
    return withRetry('ensureChannel', async () => {
      const where = { workspaceId_externalId: { workspaceId: input.workspaceId, externalId: input.externalId } };
      const existing = await this.db.channel.findUnique({ where });
      if (existing) return toChannel(existing);
      const base = cohortSlug(input.name, input.externalId);
      // The channel and its cohort are created in one nested write (one transaction): a lost race on the channel
      // leaves no orphan cohort. A cohort slug already taken (a named cohort, another channel of the same name) makes
      // the next try use `<slug>-2`, `<slug>-3`…
      for (let attempt = 0; attempt < 20; attempt++) {
        const slug = await this.#freeSlug(input.workspaceId, base);
        try {
          const row = await this.db.channel.create({
            data: {
              workspace: { connect: { id: input.workspaceId } },
              externalId: input.externalId,
              name: input.name,
              trackId: input.trackId,
              locale: input.locale,
              timeZone: input.timeZone,
              dropTime: input.dropTime ?? '09:00',
              weekdays: (input.weekdays ?? [1, 2, 3, 4, 5]).join(','),
              startDate: input.startDate,
              cohort: {
                create: {
                  workspace: { connect: { id: input.workspaceId } },
                  slug,
                  name: input.name ? `#${input.name}` : slug,
                  timeZone: input.timeZone,
                },
              },
            },
          });
          return toChannel(row);
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          const winner = await this.db.channel.findUnique({ where });
          if (winner) return toChannel(winner);
          // The slug was taken between our look and our write: look again.
        }
      }
      throw new Error(`no free cohort slug for channel ${input.externalId}`);
    });
  }

  async #freeSlug(workspaceId: string, base: string): Promise<string> {
    const taken = new Set(
      (
        await this.db.cohort.findMany({ where: { workspaceId, slug: { startsWith: base } }, select: { slug: true } })
      ).map((row) => row.slug),
    );
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  updateChannel(channelId: string, changes: ChannelSettingsUpdate): Promise<ChannelRecord> {
    return withRetry('updateChannel', async () => {
      const current = await this.db.channel.findUniqueOrThrow({ where: { id: channelId } });
      const trackChanged = changes.trackId !== undefined && changes.trackId !== current.trackId;
      const row = await this.db.channel.update({
        where: { id: channelId },
        data: {
          trackId: changes.trackId,
          dropTime: changes.dropTime,
          timeZone: changes.timeZone,
          weekdays: changes.weekdays?.join(','),
          startDate: changes.startDate,
          paused: changes.paused,
          quizCloseMinutes: changes.quizCloseMinutes,
          locale: changes.locale,
          // A new track starts over (drops are counted per track), so its end is announced again in its time.
          ...(trackChanged ? { trackCompletedAt: null, trackEndPostedAt: null } : {}),
        },
      });
      // The channel's cohort keeps its weeks in the channel's zone: when the channel moves, a cohort that only this
      // channel uses and that was on the old zone moves with it (weeks from now on; past weeks keep their rows).
      if (changes.timeZone !== undefined && changes.timeZone !== current.timeZone && current.cohortId) {
        await this.db.cohort.updateMany({
          where: { id: current.cohortId, timeZone: current.timeZone, channels: { every: { id: channelId } } },
          data: { timeZone: changes.timeZone },
        });
      }
      return toChannel(row);
    });
  }

  channelsToConsider(platform?: Platform): Promise<ChannelRecord[]> {
    return withRetry('channelsToConsider', async () => {
      const rows = await this.db.channel.findMany({
        where: { paused: false, trackEndPostedAt: null, ...(platform ? { workspace: { platform } } : {}) },
        orderBy: { id: 'asc' },
      });
      return rows.map(toChannel);
    });
  }

  lastDropDate(channelId: string): Promise<LocalDate | null> {
    return withRetry('lastDropDate', async () => {
      const row = await this.db.drop.findFirst({
        where: { channelId, status: { in: ['posted', 'closed'] } },
        orderBy: { localDate: 'desc' },
        select: { localDate: true },
      });
      return row?.localDate ?? null;
    });
  }

  countPostedDrops(channelId: string, trackId: string): Promise<number> {
    return withRetry('countPostedDrops', () =>
      this.db.drop.count({ where: { channelId, trackId, status: { in: ['posted', 'closed'] } } }),
    );
  }

  claimDrop(input: ClaimDropInput): Promise<DropClaim> {
    return withRetry('claimDrop', async () => {
      const where = { channelId_localDate: { channelId: input.channelId, localDate: input.localDate } };
      let existing = await this.db.drop.findUnique({ where });
      if (!existing) {
        try {
          const row = await this.db.drop.create({
            data: {
              channelId: input.channelId,
              localDate: input.localDate,
              trackId: input.trackId,
              lessonId: input.lessonId,
              status: 'claimed',
              claimedBy: input.owner,
              claimedAt: input.now,
            },
          });
          return { kind: 'won', drop: toDrop(row), resumed: false };
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          existing = await this.db.drop.findUnique({ where });
          if (!existing) throw error;
        }
      }
      if (existing.status !== 'claimed') return { kind: 'taken' };
      if (existing.tries >= input.maxTries) return { kind: 'given-up', drop: toDrop(existing) };
      // Our own claim (a retried write that did succeed): ticks of one scheduler never overlap, so it is ours to post.
      if (existing.claimedBy === input.owner) return { kind: 'won', drop: toDrop(existing), resumed: true };
      const staleBefore = new Date(input.now.getTime() - input.staleAfterMs);
      if (existing.claimedAt.getTime() >= staleBefore.getTime()) return { kind: 'taken' };
      // Take over: the update repeats the claim we saw, so of two processes taking over the same claim one wins.
      const { count } = await this.db.drop.updateMany({
        where: {
          id: existing.id,
          status: 'claimed',
          claimedBy: existing.claimedBy,
          claimedAt: existing.claimedAt,
        },
        data: { claimedBy: input.owner, claimedAt: input.now },
      });
      if (count !== 1) return { kind: 'taken' };
      return {
        kind: 'won',
        drop: toDrop({ ...existing, claimedBy: input.owner, claimedAt: input.now }),
        resumed: true,
      };
    });
  }

  ensurePostedQuestions(
    dropId: string,
    questions: readonly { readonly trackId: string; readonly questionId: string }[],
  ): Promise<PostedQuestionRecord[]> {
    return withRetry('ensurePostedQuestions', async () => {
      const existing = await this.db.postedQuestion.findMany({ where: { dropId } });
      const have = new Set(existing.map((row) => row.questionId));
      const missing = questions
        .map((question, position) => ({ ...question, position }))
        .filter((question) => !have.has(question.questionId));
      if (missing.length > 0) {
        try {
          await this.db.$transaction(
            missing.map((question) =>
              this.db.postedQuestion.create({
                data: {
                  dropId,
                  trackId: question.trackId,
                  questionId: question.questionId,
                  position: question.position,
                },
              }),
            ),
          );
        } catch (error) {
          // Only the claim's owner gets here, but a taken-over claim may have raced us: the rows exist either way.
          if (!isUniqueViolation(error)) throw error;
        }
      }
      const rows = await this.db.postedQuestion.findMany({ where: { dropId }, orderBy: { position: 'asc' } });
      return rows.map(toPostedQuestion);
    });
  }

  recordLessonPost(dropId: string, refs: { readonly messageRef: string; readonly threadRef: string }): Promise<void> {
    return withRetry('recordLessonPost', async () => {
      await this.db.drop.update({
        where: { id: dropId },
        data: { messageRef: refs.messageRef, threadRef: refs.threadRef },
      });
    });
  }

  recordQuestionPost(postedQuestionId: string, messageRef: string): Promise<void> {
    return withRetry('recordQuestionPost', async () => {
      await this.db.postedQuestion.update({ where: { id: postedQuestionId }, data: { messageRef } });
    });
  }

  markPosted(dropId: string, owner: string, input: { readonly postedAt: Date; readonly closesAt: Date }) {
    return withRetry('markPosted', async () => {
      const { count } = await this.db.drop.updateMany({
        where: { id: dropId, status: 'claimed', claimedBy: owner },
        // Tries count the current step: closing starts afresh (lastError stays for the operator).
        data: { status: 'posted', postedAt: input.postedAt, closesAt: input.closesAt, tries: 0, ...released },
      });
      return count === 1;
    });
  }

  closeEarlierDrops(channelId: string, localDate: LocalDate, now: Date): Promise<number> {
    return withRetry('closeEarlierDrops', async () => {
      const { count } = await this.db.drop.updateMany({
        where: { channelId, status: 'posted', localDate: { lt: localDate }, closesAt: { gt: now } },
        data: { closesAt: now },
      });
      return count;
    });
  }

  quizzesToClose(
    now: Date,
    { limit = 50, platform }: { readonly limit?: number; readonly platform?: Platform } = {},
  ): Promise<QuizToClose[]> {
    return withRetry('quizzesToClose', async () => {
      const rows = await this.db.drop.findMany({
        where: {
          status: 'posted',
          closedAt: null,
          closesAt: { lte: now },
          ...(platform ? { channel: { workspace: { platform } } } : {}),
        },
        orderBy: { closesAt: 'asc' },
        take: limit,
        include: { channel: true },
      });
      return rows.map(({ channel, ...drop }) => ({ drop: toDrop(drop), channel: toChannel(channel) }));
    });
  }

  claimClose(dropId: string, owner: string, now: Date, staleAfterMs: number): Promise<boolean> {
    return withRetry('claimClose', async () => {
      const { count } = await this.db.drop.updateMany({
        where: {
          id: dropId,
          status: 'posted',
          closedAt: null,
          claimedAt: { lt: new Date(now.getTime() - staleAfterMs) },
        },
        data: { claimedBy: owner, claimedAt: now },
      });
      return count === 1;
    });
  }

  markClosed(dropId: string, owner: string, now: Date): Promise<boolean> {
    return withRetry('markClosed', async () => {
      const { count } = await this.db.drop.updateMany({
        where: { id: dropId, status: 'posted', closedAt: null, claimedBy: owner },
        data: { status: 'closed', closedAt: now, ...released },
      });
      return count === 1;
    });
  }

  quizSummary(dropId: string): Promise<QuizSummary> {
    return withRetry('quizSummary', async () => {
      const questions = await this.db.postedQuestion.findMany({ where: { dropId }, orderBy: { position: 'asc' } });
      const ids = questions.map((question) => question.id);
      // Only scored answers count: those given while the quiz was open.
      const scored = { postedQuestionId: { in: ids }, scored: true };
      const [spread, participants, firsts] = await Promise.all([
        this.db.attempt.groupBy({
          by: ['postedQuestionId', 'choice', 'correct'],
          where: scored,
          _count: { _all: true },
        }),
        this.db.attempt.findMany({ where: scored, distinct: ['memberId'], select: { memberId: true } }),
        Promise.all(
          ids.map((id) =>
            this.db.attempt.findMany({
              where: { postedQuestionId: id, scored: true, correct: true },
              orderBy: [{ answeredAt: 'asc' }, { id: 'asc' }],
              take: 3,
              select: { member: { select: { displayName: true } } },
            }),
          ),
        ),
      ]);
      const perQuestion: QuestionSummary[] = questions.map((question, index) => {
        const rows = spread.filter((row) => row.postedQuestionId === question.id);
        const choices: number[] = [];
        let answered = 0;
        let correct = 0;
        for (const row of rows) {
          const n = row._count._all;
          choices[row.choice] = (choices[row.choice] ?? 0) + n;
          answered += n;
          if (row.correct) correct += n;
        }
        return {
          postedQuestionId: question.id,
          questionId: question.questionId,
          position: question.position,
          answered,
          correct,
          choices: Array.from(choices, (n) => n ?? 0),
          firstCorrect: (firsts[index] ?? []).map((row) => row.member.displayName),
        };
      });
      return {
        participants: participants.length,
        answered: perQuestion.reduce((sum, question) => sum + question.answered, 0),
        correct: perQuestion.reduce((sum, question) => sum + question.correct, 0),
        questions: perQuestion,
      };
    });
  }

  recordFailure(dropId: string, owner: string, error: string): Promise<number> {
    return withRetry('recordFailure', async () => {
      // Only the claim's owner records (a claim taken over meanwhile belongs to someone else now).
      await this.db.drop.updateMany({
        where: { id: dropId, claimedBy: owner },
        data: { tries: { increment: 1 }, lastError: error.slice(0, maxErrorLength), ...released },
      });
      const row = await this.db.drop.findUniqueOrThrow({ where: { id: dropId }, select: { tries: true } });
      return row.tries;
    });
  }

  closeGivenUp(dropId: string, now: Date): Promise<void> {
    return withRetry('closeGivenUp', async () => {
      await this.db.drop.updateMany({
        where: { id: dropId, status: 'claimed', closedAt: null },
        data: { closesAt: now, closedAt: now },
      });
    });
  }

  claimTrackCompletion(
    channelId: string,
    now: Date,
    staleAfterMs: number,
  ): Promise<{ readonly resumed: boolean } | null> {
    return withRetry('claimTrackCompletion', async () => {
      const fresh = await this.db.channel.updateMany({
        where: { id: channelId, trackCompletedAt: null, trackEndPostedAt: null },
        data: { trackCompletedAt: now },
      });
      if (fresh.count === 1) return { resumed: false };
      // A claim whose process died before posting: taken over once it is stale (one of two racing takers wins).
      const stale = await this.db.channel.updateMany({
        where: {
          id: channelId,
          trackEndPostedAt: null,
          trackCompletedAt: { lt: new Date(now.getTime() - staleAfterMs) },
        },
        data: { trackCompletedAt: now },
      });
      return stale.count === 1 ? { resumed: true } : null;
    });
  }

  markTrackEndPosted(channelId: string, now: Date): Promise<void> {
    return withRetry('markTrackEndPosted', async () => {
      await this.db.channel.updateMany({ where: { id: channelId }, data: { trackEndPostedAt: now } });
    });
  }

  claimedDropsBefore(channelId: string, before: LocalDate, maxTries: number): Promise<DropRecord[]> {
    return withRetry('claimedDropsBefore', async () => {
      const rows = await this.db.drop.findMany({
        where: { channelId, status: 'claimed', localDate: { lt: before }, tries: { lt: maxTries } },
        orderBy: { localDate: 'asc' },
      });
      return rows.map(toDrop);
    });
  }

  releaseTrackCompletion(channelId: string, claimedAt: Date): Promise<void> {
    return withRetry('releaseTrackCompletion', async () => {
      await this.db.channel.updateMany({
        where: { id: channelId, trackCompletedAt: claimedAt },
        data: { trackCompletedAt: null },
      });
    });
  }
}

/** A cohort slug from a channel name: lower-case ASCII words joined by `-` (`#Time de Dados` → `time-de-dados`). */
export function cohortSlug(name: string, externalId: string): string {
  const slug = (value: string) =>
    value
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/g, '');
  return slug(name) || slug(`canal-${externalId}`) || 'canal';
}

function toDrop(row: DropRow): DropRecord {
  return {
    id: row.id,
    channelId: row.channelId,
    localDate: row.localDate,
    trackId: row.trackId,
    lessonId: row.lessonId,
    status: row.status,
    claimedBy: row.claimedBy,
    claimedAt: row.claimedAt,
    tries: row.tries,
    lastError: row.lastError,
    postedAt: row.postedAt,
    messageRef: row.messageRef,
    threadRef: row.threadRef,
    closesAt: row.closesAt,
    closedAt: row.closedAt,
  };
}

function toPostedQuestion(row: PostedQuestionRow): PostedQuestionRecord {
  return {
    id: row.id,
    dropId: row.dropId,
    trackId: row.trackId,
    questionId: row.questionId,
    position: row.position,
    messageRef: row.messageRef,
  };
}
