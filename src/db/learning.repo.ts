/**
 * Answers, lesson progress and review cards over Prisma.
 *
 * `recordAnswer` queues the answer for the group-commit writer (src/db/answer-batch.ts, which says how a batch is
 * read, computed and written, and how it holds up against other processes). What follows is the single-answer
 * transaction that a batch falls back to, answer by answer, when the batch's transaction fails. Concurrency, per
 * database:
 * - SQLite (better-sqlite3 adapter): one connection, and the adapter serialises interactive transactions with a
 *   mutex, so in one process they never interleave; another process holding the write lock surfaces as
 *   `SQLITE_BUSY`, which withRetry retries. A transaction that rolls back on that single connection would also roll
 *   back any plain query that ran on it meanwhile, so the answer path avoids rolling back on purpose: it reads the
 *   dedupe key first instead of counting on the unique index to throw.
 * - PostgreSQL (READ COMMITTED): the first write to MemberStats is an increment, which locks the member's row until
 *   commit, so the streak read from that row is the latest and concurrent answers of one member queue there instead
 *   of losing an update. Totals are atomic increments. A unique violation (two first answers racing for the same
 *   attempt, stats or card row) aborts the transaction; it is run again, and the second run sees the winner's rows
 *   (the attempt: a duplicate).
 */
import { isoWeekOfInstant, localDateOf } from '../core/calendar.ts';
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
import { parseReviewCardState, type ReviewCardState, ReviewScheduler } from '../core/review-scheduler.ts';
import { xpForAnswer } from '../core/scoring.ts';
import { recordActivity } from '../core/streaks.ts';
import { AnswerBatcher, writeAnswerBatch } from './answer-batch.ts';
import { batchedLookup } from './batched-lookup.ts';
import { Prisma } from './generated/sqlite/client.ts';
import type { Db } from './prisma-client.ts';
import { withRetry } from './retry.ts';
import type { DatabaseKind } from './schema-files.ts';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
type CardRow = Awaited<ReturnType<Db['reviewCard']['findFirstOrThrow']>>;

/**
 * Trilha's review parameters: no short-term (minute-long) learning steps. A chat bot that posts once a day should
 * not bring a right answer back in 10 minutes; with short-term steps off, FSRS schedules in whole days from the
 * first answer.
 */
export const trilhaReviewParameters = Object.freeze({ enable_short_term: false });

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
    const scheduler = options.scheduler ?? new ReviewScheduler(trilhaReviewParameters);
    this.#scheduler = scheduler;
    this.#batcher = new AnswerBatcher({
      workers: options.kind === 'postgresql' ? 2 : 1,
      write: (inputs) =>
        withRetry('recordAnswers', () =>
          this.db.$transaction((tx) => writeAnswerBatch(tx, scheduler, inputs), transactionOptions),
        ),
      fallback: (input) => this.#recordOne(input),
    });
    this.#postedQuestion = batchedLookup(
      'findPostedQuestion',
      (ids) =>
        db.postedQuestion.findMany({
          where: { id: { in: [...ids] } },
          include: { drop: { include: { channel: { select: { cohortId: true } } } } },
        }),
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

  /** One answer in its own transaction: the path a batch falls back to when its transaction fails. */
  async #recordOne(input: AnswerInput): Promise<AnswerOutcome> {
    const localDate = localDateOf(input.now, input.timeZone);
    for (let run = 1; ; run++) {
      try {
        return await withRetry('recordAnswer', () =>
          this.db.$transaction((tx) => this.#answer(tx, input, localDate), transactionOptions),
        );
      } catch (error) {
        if (!isUniqueViolation(error) || run >= uniqueRaceRuns) throw error;
      }
    }
  }

  async #answer(tx: Tx, input: AnswerInput, localDate: string): Promise<AnswerOutcome> {
    const { memberId, trackId, questionId, now } = input;
    const previous = await tx.attempt.findUnique({
      where: { memberId_dedupeKey: { memberId, dedupeKey: input.dedupeKey } },
    });
    if (previous) return { status: 'duplicate', previous: toPrevious(previous) };

    const attempt = {
      memberId,
      trackId,
      questionId,
      postedQuestionId: input.postedQuestionId ?? null,
      context: input.context,
      dedupeKey: input.dedupeKey,
      choice: input.choice,
      correct: input.correct,
      answeredAt: now,
      localDate,
    };
    if (!input.scored) {
      await tx.attempt.create({ data: { ...attempt, scored: false, xp: 0 } });
      return { status: 'feedback_only' };
    }

    const cardKey = { memberId_trackId_questionId: { memberId, trackId, questionId } };
    const cardRow = await tx.reviewCard.findUnique({ where: cardKey });
    if (input.expectedCardReps !== undefined && (cardRow?.reps ?? 0) !== input.expectedCardReps) {
      // A review button served before the card moved on: answered in another serving or context already.
      return { status: 'duplicate', previous: null };
    }

    const correct = input.correct ? 1 : 0;
    // The increment takes the member's row lock (PostgreSQL) before the streak is read from the same row.
    const stats = await tx.memberStats.upsert({
      where: { memberId },
      create: { memberId, answered: 1, correct },
      update: { answered: { increment: 1 }, correct: { increment: correct } },
    });
    const streak = recordActivity(
      { current: stats.currentStreak, best: stats.bestStreak, lastActiveDate: stats.lastActiveDate },
      localDate,
    );
    const award = xpForAnswer({
      context: input.context,
      correct: input.correct,
      difficulty: input.difficulty,
      firstAnswer: true,
      quizClosed: false,
      streakExtendedTo: streak.extended ? streak.state.current : null,
    });
    await tx.attempt.create({ data: { ...attempt, scored: true, xp: award.xp } });

    const card = this.#scheduler.review(
      cardRow ? toCardState(cardRow) : this.#scheduler.newCard(now),
      input.correct,
      now,
    );
    // The writes below are plain SQL that both databases read the same way (ON CONFLICT is SQLite's and
    // PostgreSQL's upsert): one statement each, about a quarter of the cost of the ORM call on this hot path.
    await tx.$executeRaw`
      INSERT INTO "ReviewCard" ("memberId", "trackId", "questionId", "due", "stability", "difficulty", "scheduledDays",
        "learningSteps", "reps", "lapses", "state", "lastReview")
      VALUES (${memberId}, ${trackId}, ${questionId}, ${card.due}, ${card.stability}, ${card.difficulty},
        ${card.scheduledDays}, ${card.learningSteps}, ${card.reps}, ${card.lapses}, ${card.state}, ${card.lastReview})
      ON CONFLICT ("memberId", "trackId", "questionId") DO UPDATE SET "due" = excluded."due",
        "stability" = excluded."stability", "difficulty" = excluded."difficulty",
        "scheduledDays" = excluded."scheduledDays", "learningSteps" = excluded."learningSteps", "reps" = excluded."reps",
        "lapses" = excluded."lapses", "state" = excluded."state", "lastReview" = excluded."lastReview"`;

    const { lessonId } = input;
    const firstSeen = await tx.$executeRaw`
      INSERT INTO "LessonProgress" ("memberId", "trackId", "lessonId", "seenAt") VALUES (${memberId}, ${trackId},
        ${lessonId}, ${now})
      ON CONFLICT ("memberId", "trackId", "lessonId") DO NOTHING`;
    const lessonQuestionIds = [...new Set([...input.lessonQuestionIds, questionId])];
    // Completed once every question of the lesson has an attempt (this one included, inserted above).
    const completed = await tx.$executeRaw`
      UPDATE "LessonProgress" SET "completedAt" = ${now}
      WHERE "memberId" = ${memberId} AND "trackId" = ${trackId} AND "lessonId" = ${lessonId} AND "completedAt" IS NULL
        AND (SELECT COUNT(DISTINCT "questionId") FROM "Attempt" WHERE "memberId" = ${memberId}
          AND "trackId" = ${trackId} AND "questionId" IN (${Prisma.join(lessonQuestionIds)})) = ${lessonQuestionIds.length}`;

    await tx.$executeRaw`
      UPDATE "MemberStats" SET "xp" = "xp" + ${award.xp}, "currentStreak" = ${streak.state.current},
        "bestStreak" = ${streak.state.best}, "lastActiveDate" = ${streak.state.lastActiveDate},
        "lessonsSeen" = "lessonsSeen" + ${firstSeen > 0 ? 1 : 0}, "updatedAt" = ${now}
      WHERE "memberId" = ${memberId}`;

    if (input.context === 'channel_quiz' && input.cohortId) {
      await tx.$executeRaw`
        INSERT INTO "CohortMember" ("cohortId", "memberId", "joinedAt") VALUES (${input.cohortId}, ${memberId}, ${now})
        ON CONFLICT ("cohortId", "memberId") DO NOTHING`;
    }
    const cohorts = await tx.cohortMember.findMany({
      where: { memberId },
      select: { cohortId: true, cohort: { select: { timeZone: true } } },
      // One lock order for every transaction (PostgreSQL deadlocks otherwise could pair two answers of one member).
      orderBy: { cohortId: 'asc' },
    });
    for (const { cohortId, cohort } of cohorts) {
      const week = isoWeekOfInstant(now, cohort.timeZone);
      await tx.$executeRaw`
        INSERT INTO "WeeklyScore" ("cohortId", "week", "memberId", "xp", "answered", "correct")
        VALUES (${cohortId}, ${week}, ${memberId}, ${award.xp}, 1, ${correct})
        ON CONFLICT ("cohortId", "week", "memberId") DO UPDATE SET "xp" = "WeeklyScore"."xp" + excluded."xp",
          "answered" = "WeeklyScore"."answered" + 1, "correct" = "WeeklyScore"."correct" + excluded."correct"`;
    }
    const lessonCompleted = completed > 0;

    return {
      status: 'scored',
      xp: award.xp,
      breakdown: award.breakdown,
      streak: { ...streak.state, extended: streak.extended },
      card,
      lessonCompleted,
    };
  }

  findPostedQuestion(postedQuestionId: string): Promise<PostedQuestionInfo | null> {
    return this.#postedQuestion(postedQuestionId).then((row) => {
      if (!row) return null;
      return {
        id: row.id,
        trackId: row.trackId,
        questionId: row.questionId,
        position: row.position,
        dropId: row.dropId,
        lessonId: row.drop.lessonId,
        channelId: row.drop.channelId,
        cohortId: row.drop.channel.cohortId,
        closesAt: row.drop.closesAt,
        closedAt: row.drop.closedAt,
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
      return rows.map((row) => ({ questionId: row.questionId, card: toCardState(row) }));
    });
  }

  reviewCard(memberId: string, trackId: string, questionId: string): Promise<ReviewCardState | null> {
    return withRetry('reviewCard', async () => {
      const row = await this.db.reviewCard.findFirst({ where: { memberId, trackId, questionId } });
      return row ? toCardState(row) : null;
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

function toPrevious(row: {
  choice: number;
  correct: boolean;
  xp: number;
  scored: boolean;
  answeredAt: Date;
}): PreviousAttempt {
  return { choice: row.choice, correct: row.correct, xp: row.xp, scored: row.scored, answeredAt: row.answeredAt };
}

function toCardState(row: CardRow): ReviewCardState {
  return parseReviewCardState({
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    scheduledDays: row.scheduledDays,
    learningSteps: row.learningSteps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    lastReview: row.lastReview,
  });
}

/** A unique-index violation (Prisma P2002), anywhere in the cause chain. */
function isUniqueViolation(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const record = current as { code?: unknown; cause?: unknown };
    if (record.code === 'P2002' || record.code === '23505' || record.code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
    current = record.cause;
  }
  return false;
}
