/**
 * Answers, lesson progress and review cards over Prisma.
 *
 * `recordAnswer` queues the answer for the group-commit writer (src/db/answer-batch.ts, which says how a batch is
 * read, computed and written, and how it holds up against other processes). On SQLite the adapter serialises
 * interactive transactions with a mutex on its one connection, and another process holding the write lock surfaces
 * as `SQLITE_BUSY`, which withRetry retries; on PostgreSQL the batch's first statement locks its members' rows.
 */

import type { LocalDate } from '../core/calendar.ts';
import type {
  AnswerInput,
  AnswerOutcome,
  LearningStore,
  LessonProgressRecord,
  PostedDrop,
  PostedQuestionInfo,
  PreviousAttempt,
  StoredReviewCard,
} from '../core/ports/learning.port.ts';
import { type ReviewCardState, type ReviewDeck, ReviewScheduler } from '../core/review-scheduler.ts';
import { AnswerBatcher, cardStateOf, writeAnswerBatch } from './answer-batch.ts';
import { batchedLookup } from './batched-lookup.ts';
import { date, driverQuery, inDriverTransaction, int } from './driver-transaction.ts';
import { Prisma } from './generated/sqlite/client.ts';
import type { Db } from './prisma-client.ts';
import { isUniqueViolation, withRetry } from './retry.ts';
import type { DatabaseKind } from './schema-files.ts';

/**
 * A transaction waits for the SQLite mutex or a pooled PostgreSQL connection behind every other answer in flight;
 * Prisma's default 2 s wait would fail answers under a burst that the database handles fine, only later.
 */
const transactionOptions = { maxWait: 60_000, timeout: 60_000 } as const;

/** How many times a transaction that lost a unique-index race is run again (the next run sees the winner's rows). */
const uniqueRaceRuns = 4;

export interface LearningStoreOptions {
  /**
   * Which database `db` is. SQLite writes one answer batch at a time (one connection; a second transaction would
   * only wait); PostgreSQL two, leaving the rest of the pool to the look-ups that run beside them.
   */
  readonly kind?: DatabaseKind;
  readonly scheduler?: ReviewScheduler;
}

export class PrismaLearningStore implements LearningStore {
  readonly #scheduler: ReviewScheduler;
  readonly #batcher: AnswerBatcher;
  /** A posted question with its drop and the channel's cohort, by id (batched: every click asks). */
  readonly #postedQuestion;

  constructor(
    readonly db: Db,
    options: LearningStoreOptions = {},
  ) {
    const scheduler = options.scheduler ?? new ReviewScheduler();
    this.#scheduler = scheduler;
    this.#batcher = new AnswerBatcher({
      workers: options.kind === 'postgresql' ? 2 : 1,
      write: (inputs) =>
        withRetry('recordAnswers', () => inDriverTransaction(this.db, (tx) => writeAnswerBatch(tx, scheduler, inputs))),
      fallback: (input) => this.#recordOne(input),
    });
    // On the driver (one short join), not Prisma's engine: every click asks, and under a steady stream of clicks each
    // look-up batch holds only a few, where the engine's own work per query is most of its cost.
    this.#postedQuestion = batchedLookup(
      'findPostedQuestion',
      (ids) =>
        driverQuery<PostedRow>(
          db,
          Prisma.sql`SELECT pq."id", pq."trackId", pq."questionId", pq."position", pq."dropId", d."lessonId",
            d."channelId", c."cohortId", d."closesAt", d."closedAt"
          FROM "PostedQuestion" pq JOIN "Drop" d ON d."id" = pq."dropId" JOIN "Channel" c ON c."id" = d."channelId"
          WHERE pq."id" IN (${Prisma.join([...ids])})`,
        ),
      (row) => row.id,
    );
  }

  /** Queued and written with the answers around it in one transaction (src/db/answer-batch.ts). */
  recordAnswer(input: AnswerInput): Promise<AnswerOutcome> {
    return this.#batcher.submit(input);
  }

  /** Resolves once every answer submitted so far is written: call before closing the database. */
  drained(): Promise<void> {
    return this.#batcher.drained();
  }

  /**
   * One answer in its own transaction (a batch of one): the path a batch falls back to, answer by answer, when its
   * transaction fails, so a bad answer fails only itself. A unique violation here is a race lost to another process
   * (PostgreSQL: two first answers, or a feedback-only click and its twin); the transaction is run again and the new
   * run reads the winner's row, a duplicate.
   */
  async #recordOne(input: AnswerInput): Promise<AnswerOutcome> {
    for (let run = 1; ; run++) {
      try {
        const [outcome] = await withRetry('recordAnswer', () =>
          inDriverTransaction(this.db, (tx) => writeAnswerBatch(tx, this.#scheduler, [input])),
        );
        if (!outcome) throw new Error('an answer batch of one gave no outcome');
        return outcome;
      } catch (error) {
        if (!isUniqueViolation(error) || run >= uniqueRaceRuns) throw error;
      }
    }
  }

  findPostedQuestion(postedQuestionId: string): Promise<PostedQuestionInfo | null> {
    return this.#postedQuestion(postedQuestionId).then((row) => {
      if (!row) return null;
      return {
        id: row.id,
        trackId: row.trackId,
        questionId: row.questionId,
        position: int(row.position),
        dropId: row.dropId,
        lessonId: row.lessonId,
        channelId: row.channelId,
        cohortId: row.cohortId,
        closesAt: date(row.closesAt),
        closedAt: date(row.closedAt),
      };
    });
  }

  latestPostedDrop(channelId: string): Promise<PostedDrop | null> {
    return withRetry('latestPostedDrop', async () => {
      const row = await this.db.drop.findFirst({
        where: { channelId, status: { in: ['posted', 'closed'] } },
        orderBy: [{ localDate: 'desc' }],
        include: { questions: { orderBy: { position: 'asc' } } },
      });
      if (!row) return null;
      return {
        id: row.id,
        trackId: row.trackId,
        lessonId: row.lessonId,
        localDate: row.localDate,
        postedAt: row.postedAt,
        closesAt: row.closesAt,
        closedAt: row.closedAt,
        questions: row.questions.map((q) => ({ id: q.id, questionId: q.questionId, position: q.position })),
      };
    });
  }

  async markLessonSeen(input: { memberId: string; trackId: string; lessonId: string; now: Date }): Promise<boolean> {
    const { memberId, trackId, lessonId, now } = input;
    const key = { memberId_trackId_lessonId: { memberId, trackId, lessonId } };
    // Cheap read first: a lesson is seen once and asked for many times.
    const seen = await withRetry('lessonSeen', () =>
      this.db.lessonProgress.findFirst({ where: { memberId, trackId, lessonId } }),
    );
    if (seen) return false;
    for (let run = 1; ; run++) {
      try {
        return await withRetry('markLessonSeen', () =>
          this.db.$transaction(async (tx) => {
            // The member's stats row first, as the answer path takes it (src/db/answer-batch.ts): on PostgreSQL it
            // locks the member, so this and an answer batch never both count the same lesson as first seen.
            await tx.$executeRaw`
              INSERT INTO "MemberStats" ("memberId", "updatedAt") VALUES (${memberId}, ${now})
              ON CONFLICT ("memberId") DO UPDATE SET "updatedAt" = "MemberStats"."updatedAt"`;
            if (await tx.lessonProgress.findUnique({ where: key })) return false;
            await tx.lessonProgress.create({ data: { memberId, trackId, lessonId, seenAt: now } });
            await tx.memberStats.update({ where: { memberId }, data: { lessonsSeen: { increment: 1 } } });
            return true;
          }, transactionOptions),
        );
      } catch (error) {
        if (!isUniqueViolation(error) || run >= uniqueRaceRuns) throw error;
      }
    }
  }

  lessonProgress(memberId: string, trackId: string): Promise<LessonProgressRecord[]> {
    return withRetry('lessonProgress', async () => {
      const rows = await this.db.lessonProgress.findMany({ where: { memberId, trackId } });
      return rows.map((row) => ({ lessonId: row.lessonId, seenAt: row.seenAt, completedAt: row.completedAt }));
    });
  }

  answeredQuestionIds(memberId: string, trackId: string): Promise<Set<string>> {
    return withRetry('answeredQuestionIds', async () => {
      const rows = await this.db.attempt.findMany({
        where: { memberId, trackId },
        distinct: ['questionId'],
        select: { questionId: true },
      });
      return new Set(rows.map((row) => row.questionId));
    });
  }

  reviewCards(memberId: string, trackId: string): Promise<StoredReviewCard[]> {
    return withRetry('reviewCards', async () => {
      const rows = await this.db.reviewCard.findMany({ where: { memberId, trackId } });
      return rows.map((row) => ({ questionId: row.questionId, card: cardStateOf(row) }));
    });
  }

  reviewDeck(memberId: string, today: LocalDate): Promise<ReviewDeck> {
    return withRetry('reviewDeck', async () => {
      const [rows, reviewedToday] = await Promise.all([
        this.db.reviewCard.findMany({ where: { memberId } }),
        this.db.attempt.count({ where: { memberId, context: 'review', localDate: today } }),
      ]);
      const cards = rows.map((row) => ({ trackId: row.trackId, questionId: row.questionId, card: cardStateOf(row) }));
      return { cards, reviewedToday };
    });
  }

  reviewCard(memberId: string, trackId: string, questionId: string): Promise<ReviewCardState | null> {
    return withRetry('reviewCard', async () => {
      const row = await this.db.reviewCard.findFirst({ where: { memberId, trackId, questionId } });
      return row ? cardStateOf(row) : null;
    });
  }

  answerCount(postedQuestionId: string): Promise<number> {
    return withRetry('answerCount', () => this.db.attempt.count({ where: { postedQuestionId } }));
  }

  previousAttempt(memberId: string, dedupeKey: string): Promise<PreviousAttempt | null> {
    return withRetry('previousAttempt', async () => {
      const row = await this.db.attempt.findFirst({ where: { memberId, dedupeKey } });
      return row ? toPrevious(row) : null;
    });
  }
}

/** A posted question with its drop and the channel's cohort, as the driver returns it. */
interface PostedRow {
  readonly id: string;
  readonly trackId: string;
  readonly questionId: string;
  readonly position: unknown;
  readonly dropId: string;
  readonly lessonId: string;
  readonly channelId: string;
  readonly cohortId: string | null;
  readonly closesAt: unknown;
  readonly closedAt: unknown;
}

function toPrevious(row: {
  choice: number;
  correct: boolean;
  xp: number;
  scored: boolean;
  answeredAt: Date;
}): PreviousAttempt {
  return { choice: row.choice, correct: row.correct, xp: row.xp, scored: row.scored, answeredAt: row.answeredAt };
}
