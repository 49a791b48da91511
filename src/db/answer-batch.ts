/**
 * The answer path as group commit: answers that arrive while a transaction is being written wait for the next one,
 * and each transaction records a whole batch with a fixed number of statements (reads for every answer at once,
 * then one multi-row write per table), however many answers it carries. One answer alone costs what it did before;
 * a burst of a thousand costs a few transactions instead of a thousand. The outcome of each answer is exactly what
 * it would have been had the answers run one by one in arrival order: the batch is computed in that order, in
 * memory, from rows read inside the transaction.
 *
 * Written here rather than taken from a library: batching has to happen inside the one transaction that reads and
 * writes the rows (the dedupe check, the streak and the card all depend on earlier answers of the same batch), which
 * a generic batching helper (DataLoader and the like, built for reads) does not model.
 *
 * Concurrency with other processes on the same database:
 * - The first statement upserts the MemberStats row of every member with a scored answer in the batch, in member
 *   order, and returns the rows (RETURNING: as locked, the latest committed version on PostgreSQL). On PostgreSQL
 *   that takes each member's row lock until commit, in one order for every transaction (so two batches cannot
 *   deadlock), and every read below runs after it (READ COMMITTED: a fresh snapshot per statement), so it sees
 *   whatever another replica committed for these members. On SQLite it takes the write lock at once, so
 *   a second process waits on the busy timeout instead of failing its commit later.
 * - Every row the batch writes belongs to one of those members, so the member locks cover them all. What is not
 *   covered (a feedback-only answer racing its twin on another replica) ends in a unique-index violation: the
 *   caller then runs the batch's answers one by one on the single-answer path, which sees the winner's rows.
 */

import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { daysBetween, isoWeekOfInstant, localDateOf, localDayStart } from '../core/calendar.ts';
import { lessonDone } from '../core/cohort-report.ts';
import type { AnswerInput, AnswerOutcome, PreviousAttempt } from '../core/ports/learning.port.ts';
import { parseReviewCardState, type ReviewCardState, type ReviewScheduler } from '../core/review-scheduler.ts';
import { xpForAnswer } from '../core/scoring.ts';
import { emptyStreak, type HoldPeriod, recordActivity, type StreakState } from '../core/streaks.ts';
import { invalidate, rebuildWeeks, syncAllTime, weeklyScoreUpdate } from './board-standings.ts';
import { streakDaysOf } from './care.repo.ts';
import { argumentFree, bool, type DriverTx, date, int, type ValuesWrite } from './driver-transaction.ts';
import { Prisma } from './generated/sqlite/client.ts';
import { GroupCommit, type GroupCommitOptions } from './group-commit.ts';
import type { Db } from './prisma-client.ts';

interface AttemptRow {
  readonly memberId: string;
  readonly trackId: string;
  readonly questionId: string;
  readonly postedQuestionId: string | null;
  readonly context: string;
  readonly dedupeKey: string;
  readonly choice: number;
  readonly correct: boolean;
  readonly scored: boolean;
  readonly xp: number;
  readonly answeredAt: Date;
  readonly localDate: string;
}

/**
 * Answers per transaction at most. Bounded so every statement stays far below SQLite's 32,766 bound parameters
 * (the widest, MemberStats, takes 15 per row) and one transaction stays short.
 */
export const maxAnswersPerBatch = 512;

/** A map key of two or three ids (a separator no id holds). Fixed arity: called a few times per answer. */
const key = (a: string, b: string, c?: string) => (c === undefined ? `${a}\u0000${b}` : `${a}\u0000${b}\u0000${c}`);

interface LessonState {
  readonly memberId: string;
  readonly trackId: string;
  readonly lessonId: string;
  seenAt: Date;
  completedAt: Date | null;
  /** Not in the database yet. */
  created: boolean;
  /** Completed by this batch. */
  completed: boolean;
}

interface StatsDelta extends MasteryDelta {
  xp: number;
  answered: number;
  correct: number;
  lessonsSeen: number;
  streak: StreakState;
  updatedAt: Date;
}

/**
 * Records `inputs` in arrival order inside `tx`; the outcomes are in the same order. Every statement is SQL on the
 * driver adapter's transaction (src/db/driver-transaction.ts says why), the same text on SQLite and PostgreSQL.
 */
export async function writeAnswerBatch(
  tx: DriverTx,
  scheduler: ReviewScheduler,
  inputs: readonly AnswerInput[],
): Promise<AnswerOutcome[]> {
  if (inputs.length === 0) return [];
  const localDates = inputs.map((input) => localDateOf(input.now, input.timeZone));
  const members = sorted(inputs.map((input) => input.memberId));
  const scoredMembers = sorted(inputs.filter((input) => input.scored).map((input) => input.memberId));
  const tracks = sorted(inputs.map((input) => input.trackId));
  const firstNow = inputs[0]?.now ?? new Date();

  // 1. Lock (PostgreSQL) or create the stats row of every member who scores, in member order, and read them in the
  // same statement: the upsert's RETURNING gives each row as it stands once locked (on PostgreSQL the latest committed
  // version, which the conflict update works on whatever the statement's snapshot).
  const statsRows =
    scoredMembers.length > 0
      ? await tx.queryValues<{
          memberId: string;
          currentStreak: unknown;
          bestStreak: unknown;
          lastActiveDate: string | null;
          freezes: unknown;
          freezesUsed: unknown;
        }>(
          'INSERT INTO "MemberStats" ("memberId", "updatedAt")',
          ['text', 'timestamp(3)'],
          scoredMembers.flatMap((memberId) => [memberId, firstNow]),
          `ON CONFLICT ("memberId") DO UPDATE SET "updatedAt" = "MemberStats"."updatedAt"
          RETURNING "memberId", "currentStreak", "bestStreak", "lastActiveDate", "freezes", "freezesUsed"`,
        )
      : [];
  const streaks = new Map<string, StreakState>(
    statsRows.map((row) => [
      row.memberId,
      {
        current: int(row.currentStreak),
        best: int(row.bestStreak),
        lastActiveDate: row.lastActiveDate,
        freezes: int(row.freezes),
        freezesUsed: int(row.freezesUsed),
      },
    ]),
  );

  // 2. Earlier attempts: the dedupe keys of the batch, and the attempts on the batch's lessons (completion).
  const lessonQuestions = sorted(inputs.flatMap((input) => [...input.lessonQuestionIds, input.questionId]));
  const attemptRows = await tx.$queryRaw<{
    memberId: string;
    trackId: string;
    questionId: string;
    dedupeKey: string;
    choice: unknown;
    correct: unknown;
    xp: unknown;
    scored: unknown;
    answeredAt: unknown;
    context: string;
  }>`SELECT "memberId", "trackId", "questionId", "dedupeKey", "choice", "correct", "xp", "scored", "answeredAt",
      "context" FROM "Attempt" WHERE "memberId" ${tx.oneOf(members)}
      AND ("dedupeKey" ${tx.oneOf(sorted(inputs.map((input) => input.dedupeKey)))}
        OR ("trackId" ${tx.oneOf(tracks)} AND "questionId" ${tx.oneOf(lessonQuestions)}))`;
  const attempts = attemptRows.map((row) => ({
    ...row,
    choice: int(row.choice),
    correct: bool(row.correct),
    xp: int(row.xp),
    scored: bool(row.scored),
    answeredAt: date(row.answeredAt) as Date,
  }));
  const previous = new Map<string, PreviousAttempt>();
  const answered = new Set<string>();
  /** Questions a member already has a scored answer to, in any context: the next one is not a first try. */
  const scoredBefore = new Set<string>();
  /**
   * Questions that already scored in a channel quiz: the same question in another channel's quiz (a linked member's
   * Slack and Discord channels, two channels on one track) gives feedback only, so it counts once (member-merge.ts).
   */
  const quizCounted = new Set<string>();
  /** When each question was answered before (scored, not a review): a question counts once a week for coverage. */
  const answeredAt = new Map<string, Date[]>();
  for (const row of attempts) {
    previous.set(key(row.memberId, row.dedupeKey), toPrevious(row));
    answered.add(key(row.memberId, row.trackId, row.questionId));
    if (row.scored) scoredBefore.add(key(row.memberId, row.trackId, row.questionId));
    if (row.scored && row.context !== 'review') {
      listOf(answeredAt, key(row.memberId, row.trackId, row.questionId)).push(row.answeredAt);
    }
    if (row.scored && row.context === 'channel_quiz') quizCounted.add(key(row.memberId, row.trackId, row.questionId));
  }

  // 3. Review cards, lesson progress and cohort memberships of the members who score.
  const scoring = inputs.filter((input) => input.scored);
  const cards = new Map<string, ReviewCardState>();
  const lessons = new Map<string, LessonState>();
  const cohortsOf = new Map<string, Set<string>>();
  const cohortZones = new Map<string, string>();
  const lastScoredAt = new Map<string, number>();
  /** Streak days (docs/streaks.md): each cohort's drop days inside the batch's streak gaps, each member's holds. */
  let dropDays = new Map<string, Set<string>>();
  const holdsOf = new Map<string, HoldPeriod[]>();
  if (scoring.length > 0) {
    const inScored = tx.oneOf(scoredMembers);
    const inTracks = tx.oneOf(tracks);
    // The review cards and the lesson progress in one statement (one round trip): a card's row has its question in
    // `id` and its due and last review in `at` and `until`; a lesson's has the lesson, seen and completed there. The
    // cards' branch comes first, so PostgreSQL types the columns from it.
    const cardAndLessonRows = await tx.$queryRaw<Record<keyof CardRow | 'kind' | 'id' | 'at' | 'until', unknown>>`
      SELECT 'card' AS "kind", "memberId", "trackId", "questionId" AS "id", "due" AS "at", "lastReview" AS "until",
          "stability", "difficulty", "scheduledDays", "learningSteps", "reps", "lapses", "state"
        FROM "ReviewCard" WHERE "memberId" ${inScored} AND "trackId" ${inTracks}
          AND "questionId" ${tx.oneOf(sorted(scoring.map((input) => input.questionId)))}
      UNION ALL SELECT 'lesson', "memberId", "trackId", "lessonId", "seenAt", "completedAt", NULL, NULL, NULL, NULL,
          NULL, NULL, NULL
        FROM "LessonProgress" WHERE "memberId" ${inScored} AND "trackId" ${inTracks}
          AND "lessonId" ${tx.oneOf(sorted(scoring.map((input) => input.lessonId)))}`;
    // In one statement (one round trip): the latest scored answer of each member (an answer on a later local day, in
    // a cohort's zone, is a new active day), the members' cohorts and the cohorts their channel quizzes are in, each
    // with its time zone (a cohort deleted meanwhile has no row: nothing to score in). The latest answer is read from
    // the newest down the (memberId, answeredAt) index, stopping at the first scored one: a GROUP BY with MAX reads
    // every attempt of the batch's members (SQLite: ~100 ms for 500 members with 1,000 attempts each, one synchronous
    // statement that holds up every other request on the event loop). Its branch comes first, so PostgreSQL types the
    // `latest` column from it.
    const quizCohorts = sorted(
      scoring.flatMap((input) => (input.context === 'channel_quiz' && input.cohortId ? [input.cohortId] : [])),
    );
    const cohortRows = await tx.$queryRaw<{
      memberId: string | null;
      cohortId: string | null;
      timeZone: string | null;
      latest: Date | string | null;
    }>`
      SELECT s."memberId", NULL AS "cohortId", NULL AS "timeZone", (SELECT a."answeredAt" FROM "Attempt" a
          WHERE a."memberId" = s."memberId" AND a."scored" = ${true} ORDER BY a."answeredAt" DESC LIMIT 1) AS "latest"
        FROM "MemberStats" s WHERE s."memberId" ${inScored}
      UNION ALL SELECT cm."memberId", c."id", c."timeZone", NULL FROM "CohortMember" cm
        JOIN "Cohort" c ON c."id" = cm."cohortId" WHERE cm."memberId" ${inScored}
      ${quizCohorts.length > 0 ? Prisma.sql`UNION ALL SELECT NULL, "id", "timeZone", NULL FROM "Cohort" WHERE "id" ${tx.oneOf(quizCohorts)}` : Prisma.empty}`;
    for (const row of cardAndLessonRows) {
      const memberId = row.memberId as string;
      const trackId = row.trackId as string;
      const id = row.id as string;
      if (row.kind === 'lesson') {
        lessons.set(key(memberId, trackId, id), {
          memberId,
          trackId,
          lessonId: id,
          seenAt: date(row.at) as Date,
          completedAt: date(row.until),
          created: false,
          completed: false,
        });
        continue;
      }
      const card = cardStateOf({
        memberId,
        trackId,
        questionId: id,
        due: date(row.at) as Date,
        stability: Number(row.stability),
        difficulty: Number(row.difficulty),
        scheduledDays: int(row.scheduledDays),
        learningSteps: int(row.learningSteps),
        reps: int(row.reps),
        lapses: int(row.lapses),
        state: int(row.state),
        lastReview: date(row.until),
      });
      cards.set(key(memberId, trackId, id), card);
    }
    const cohortIds = new Set(quizCohorts);
    for (const row of cohortRows) {
      if (row.cohortId === null) {
        if (row.memberId !== null && row.latest) lastScoredAt.set(row.memberId, new Date(row.latest).getTime());
        continue;
      }
      if (row.memberId !== null) {
        setOf(cohortsOf, row.memberId).add(row.cohortId);
        cohortIds.add(row.cohortId);
      }
      cohortZones.set(row.cohortId, row.timeZone as string);
    }
    // Only a gap of two days or more has days that could be missed; most batches have none and read nothing here.
    const gap = streakGap(
      [...streaks.values()],
      inputs.flatMap((input, i) => (input.scored ? [localDates[i] as string] : [])),
    );
    if (gap) {
      dropDays = await cohortDropDays(tx, sorted([...cohortIds]), gap.after, gap.before);
      const holdRows = await tx.$queryRaw<{ memberId: string; startDate: string; endDate: string }>`
        SELECT "memberId", "startDate", "endDate" FROM "Hold"
        WHERE "memberId" ${inScored} AND "endDate" > ${gap.after} AND "startDate" < ${gap.before}`;
      for (const row of holdRows) holdsOf.set(row.memberId, [...(holdsOf.get(row.memberId) ?? []), row]);
    }
  }

  // 4. Every answer in arrival order, against the state the earlier ones left.
  const outcomes: AnswerOutcome[] = [];
  const newAttempts: AttemptRow[] = [];
  const cardWrites = new Map<string, { memberId: string; trackId: string; questionId: string }>();
  const statsDeltas = new Map<string, StatsDelta>();
  /** `rebuild`: the member had scored answers before joining, which the cohort's weeks must count (see step 5). */
  const joins: { cohortId: string; memberId: string; joinedAt: Date; rebuild: boolean }[] = [];
  const weekly = new Map<string, WeeklyDelta>();

  inputs.forEach((input, index) => {
    const localDate = localDates[index] as string;
    const { memberId, trackId, questionId, now } = input;
    const dedupe = key(memberId, input.dedupeKey);
    const earlier = previous.get(dedupe);
    if (earlier) {
      outcomes.push({ status: 'duplicate', previous: earlier });
      return;
    }
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
    const countedElsewhere =
      input.scored && input.context === 'channel_quiz' && quizCounted.has(key(memberId, trackId, questionId));
    if (!input.scored || countedElsewhere) {
      newAttempts.push({ ...attempt, scored: false, xp: 0 });
      previous.set(dedupe, { choice: input.choice, correct: input.correct, xp: 0, scored: false, answeredAt: now });
      answered.add(key(memberId, trackId, questionId));
      outcomes.push(
        countedElsewhere ? { status: 'feedback_only', reason: 'counted_elsewhere' } : { status: 'feedback_only' },
      );
      return;
    }

    const cardKey = key(memberId, trackId, questionId);
    const stored = cards.get(cardKey);
    if (input.expectedCardReps !== undefined && (stored?.reps ?? 0) !== input.expectedCardReps) {
      // A review button served before the card moved on: answered in another serving or context already.
      outcomes.push({ status: 'duplicate', previous: null });
      return;
    }

    // The member's drop days: their cohorts' channels and the channel answered in (its cohort, joined below).
    const streakCohorts = new Set(setOf(cohortsOf, memberId));
    if (input.context === 'channel_quiz' && input.cohortId) streakCohorts.add(input.cohortId);
    const streak = recordActivity(
      streaks.get(memberId) ?? emptyStreak,
      localDate,
      streakDaysOf(streakCohorts, dropDays, holdsOf.get(memberId) ?? []),
    );
    streaks.set(memberId, streak.state);
    // XP for an answer once per member and question, ever: a non-review answer to a question already scored in any
    // context is practice (docs/scoring.md).
    const practice = input.context !== 'review' && scoredBefore.has(key(memberId, trackId, questionId));
    const award = xpForAnswer({
      context: input.context,
      correct: input.correct,
      difficulty: input.difficulty,
      firstAnswer: true,
      practice,
      quizClosed: false,
      streakExtendedTo: streak.extended ? streak.state.current : null,
    });
    newAttempts.push({ ...attempt, scored: true, xp: award.xp });
    const mastery = masteryOf(input, !scoredBefore.has(key(memberId, trackId, questionId)));
    const earlierAnswers = input.context === 'review' ? [] : listOf(answeredAt, key(memberId, trackId, questionId));
    scoredBefore.add(key(memberId, trackId, questionId));
    if (input.context === 'channel_quiz') quizCounted.add(key(memberId, trackId, questionId));
    const lastAt = lastScoredAt.get(memberId);
    lastScoredAt.set(memberId, Math.max(lastAt ?? now.getTime(), now.getTime()));
    previous.set(dedupe, {
      choice: input.choice,
      correct: input.correct,
      xp: award.xp,
      scored: true,
      answeredAt: now,
    });
    answered.add(cardKey);

    const card = scheduler.review(stored ?? scheduler.newCard(now), input.correct, now);
    cards.set(cardKey, card);
    cardWrites.set(cardKey, { memberId, trackId, questionId });

    const lessonKey = key(memberId, trackId, input.lessonId);
    let lesson = lessons.get(lessonKey);
    let firstSeen = false;
    if (!lesson) {
      lesson = {
        memberId,
        trackId,
        lessonId: input.lessonId,
        seenAt: now,
        completedAt: null,
        created: true,
        completed: false,
      };
      lessons.set(lessonKey, lesson);
      firstSeen = true;
    }
    let lessonCompleted = false;
    // Done once the stated share of the lesson's questions has an attempt (this one included; docs/scoring.md).
    const lessonIds = new Set([...input.lessonQuestionIds, questionId]);
    if (
      lesson.completedAt === null &&
      lessonDone([...lessonIds].filter((id) => answered.has(key(memberId, trackId, id))).length, lessonIds.size)
    ) {
      lesson.completedAt = now;
      lesson.completed = true;
      lessonCompleted = true;
    }

    const delta = statsDeltas.get(memberId) ?? {
      xp: 0,
      answered: 0,
      correct: 0,
      lessonsSeen: 0,
      ...noMastery(),
      streak: streak.state,
      updatedAt: now,
    };
    delta.xp += award.xp;
    delta.answered += 1;
    delta.correct += input.correct ? 1 : 0;
    delta.lessonsSeen += firstSeen ? 1 : 0;
    addMastery(delta, mastery);
    delta.streak = streak.state;
    delta.updatedAt = now;
    statsDeltas.set(memberId, delta);

    const memberCohorts = setOf(cohortsOf, memberId);
    if (input.context === 'channel_quiz' && input.cohortId && !memberCohorts.has(input.cohortId)) {
      memberCohorts.add(input.cohortId);
      joins.push({ cohortId: input.cohortId, memberId, joinedAt: now, rebuild: lastAt !== undefined });
    }
    for (const cohortId of memberCohorts) {
      const zone = cohortZones.get(cohortId);
      if (zone === undefined) continue; // a cohort deleted meanwhile: nothing to score in
      const week = isoWeekOfInstant(now, zone);
      const weekKey = key(cohortId, week, memberId);
      const row = weekly.get(weekKey) ?? {
        cohortId,
        week,
        memberId,
        xp: 0,
        answered: 0,
        correct: 0,
        ...noMastery(),
        activeDays: 0,
      };
      row.xp += award.xp;
      // A question counts once a week (coverage): practice of a question already answered this week adds nothing.
      const counted = !earlierAnswers.some((at) => isoWeekOfInstant(at, zone) === week);
      row.answered += counted ? 1 : 0;
      row.correct += counted && input.correct ? 1 : 0;
      addMastery(row, mastery);
      // A new active day in this cohort when the member's previous scored answer came before this local day began.
      if (lastAt === undefined || lastAt < localDayStart(now, zone)) row.activeDays += 1;
      weekly.set(weekKey, row);
    }

    earlierAnswers.push(now);
    outcomes.push({
      status: 'scored',
      practice,
      xp: award.xp,
      breakdown: award.breakdown,
      streak: {
        ...streak.state,
        extended: streak.extended,
        freezesSpent: streak.freezesSpent,
        freezeEarned: streak.freezeEarned,
      },
      card,
      lessonCompleted,
    });
  });

  // 5. One multi-row statement per table, rows in key order (one lock order for every transaction). The attempts,
  // cards, lesson progress and stats do not read one another: they go together (`writeAll`: one round trip on
  // PostgreSQL), with the weekly scores, after the joins (see below). The rest read what these wrote (a rebuild
  // reads the attempts, the all-time sync the stats).
  const writes: ValuesWrite[] = [];
  const write = (head: string, types: readonly string[], args: readonly unknown[], tail?: string) =>
    writes.push({ head, types, args, ...(tail === undefined ? {} : { tail }) });
  if (newAttempts.length > 0) {
    // Plain SQL rather than createMany: a third of the whole batch's time went to the ORM call alone. The id is a
    // UUIDv7, as the schema's @default(uuid(7)) would make it.
    const ids = attemptIds(newAttempts.length);
    const args: unknown[] = [];
    for (const [i, a] of newAttempts.entries())
      args.push(
        ids[i],
        a.memberId,
        a.trackId,
        a.questionId,
        a.postedQuestionId,
        a.context,
        a.dedupeKey,
        a.choice,
        a.correct,
        a.scored,
        a.xp,
        a.answeredAt,
        a.localDate,
      );
    write(
      `INSERT INTO "Attempt" ("id", "memberId", "trackId", "questionId", "postedQuestionId", "context", "dedupeKey",
        "choice", "correct", "scored", "xp", "answeredAt", "localDate")`,
      attemptTypes,
      args,
    );
  }

  const cardRows = [...cardWrites.entries()].sort(([a], [b]) => compare(a, b));
  if (cardRows.length > 0) {
    const args: unknown[] = [];
    for (const [cardKey, { memberId, trackId, questionId }] of cardRows) {
      const card = cards.get(cardKey) as ReviewCardState;
      args.push(
        memberId,
        trackId,
        questionId,
        card.due,
        card.stability,
        card.difficulty,
        card.scheduledDays,
        card.learningSteps,
        card.reps,
        card.lapses,
        card.state,
        card.lastReview,
      );
    }
    write(
      `INSERT INTO "ReviewCard" ("memberId", "trackId", "questionId", "due", "stability", "difficulty", "scheduledDays",
        "learningSteps", "reps", "lapses", "state", "lastReview")`,
      cardTypes,
      args,
      `ON CONFLICT ("memberId", "trackId", "questionId") DO UPDATE SET "due" = excluded."due",
        "stability" = excluded."stability", "difficulty" = excluded."difficulty",
        "scheduledDays" = excluded."scheduledDays", "learningSteps" = excluded."learningSteps", "reps" = excluded."reps",
        "lapses" = excluded."lapses", "state" = excluded."state", "lastReview" = excluded."lastReview"`,
    );
  }

  const changedLessons = [...lessons.entries()]
    .filter(([, lesson]) => lesson.created || lesson.completed)
    .sort(([a], [b]) => compare(a, b))
    .map(([, lesson]) => lesson);
  const seenOnly = changedLessons.filter((lesson) => lesson.completedAt === null);
  const completed = changedLessons.filter((lesson) => lesson.completedAt !== null);
  if (seenOnly.length > 0) {
    write(
      'INSERT INTO "LessonProgress" ("memberId", "trackId", "lessonId", "seenAt")',
      ['text', 'text', 'text', 'timestamp(3)'],
      seenOnly.flatMap((l) => [l.memberId, l.trackId, l.lessonId, l.seenAt]),
      'ON CONFLICT ("memberId", "trackId", "lessonId") DO NOTHING',
    );
  }
  if (completed.length > 0) {
    write(
      'INSERT INTO "LessonProgress" ("memberId", "trackId", "lessonId", "seenAt", "completedAt")',
      ['text', 'text', 'text', 'timestamp(3)', 'timestamp(3)'],
      completed.flatMap((l) => [l.memberId, l.trackId, l.lessonId, l.seenAt, l.completedAt]),
      `ON CONFLICT ("memberId", "trackId", "lessonId") DO UPDATE
        SET "completedAt" = COALESCE("LessonProgress"."completedAt", excluded."completedAt")`,
    );
  }

  const deltas = [...statsDeltas.entries()].sort(([a], [b]) => compare(a, b));
  if (deltas.length > 0) {
    const args: unknown[] = [];
    for (const [memberId, d] of deltas)
      args.push(
        memberId,
        d.xp,
        d.answered,
        d.correct,
        d.streak.current,
        d.streak.best,
        d.streak.lastActiveDate,
        d.lessonsSeen,
        d.updatedAt,
        d.firstTries,
        d.firstTryCorrect,
        d.reviews,
        d.reviewsKept,
        d.streak.freezes,
        d.streak.freezesUsed,
      );
    write(
      `INSERT INTO "MemberStats" ("memberId", "xp", "answered", "correct", "currentStreak", "bestStreak",
        "lastActiveDate", "lessonsSeen", "updatedAt", "firstTries", "firstTryCorrect", "reviews", "reviewsKept",
        "freezes", "freezesUsed")`,
      statsTypes,
      args,
      `ON CONFLICT ("memberId") DO UPDATE SET "xp" = "MemberStats"."xp" + excluded."xp",
        "answered" = "MemberStats"."answered" + excluded."answered",
        "correct" = "MemberStats"."correct" + excluded."correct", "currentStreak" = excluded."currentStreak",
        "bestStreak" = excluded."bestStreak", "lastActiveDate" = excluded."lastActiveDate",
        "lessonsSeen" = "MemberStats"."lessonsSeen" + excluded."lessonsSeen", "updatedAt" = excluded."updatedAt",
        "firstTries" = "MemberStats"."firstTries" + excluded."firstTries",
        "firstTryCorrect" = "MemberStats"."firstTryCorrect" + excluded."firstTryCorrect",
        "reviews" = "MemberStats"."reviews" + excluded."reviews",
        "reviewsKept" = "MemberStats"."reviewsKept" + excluded."reviewsKept",
        "freezes" = excluded."freezes", "freezesUsed" = excluded."freezesUsed"`,
    );
  }

  if (joins.length > 0) {
    const rows = sortedBy(joins, (j) => key(j.memberId, j.cohortId));
    await tx.executeValues(
      'INSERT INTO "CohortMember" ("cohortId", "memberId", "joinedAt")',
      ['text', 'text', 'timestamp(3)'],
      rows.flatMap((j) => [j.cohortId, j.memberId, j.joinedAt]),
      'ON CONFLICT ("cohortId", "memberId") DO NOTHING',
    );
    // A member back in a cohort has earlier weekly rows there, not ranked while they were out: scored again (one
    // statement per cohort; a batch's joins are usually all of one channel's cohort).
    for (const cohortId of new Set(rows.map((j) => j.cohortId))) {
      await invalidate(
        tx.asClient,
        rows.filter((j) => j.cohortId === cohortId).map((j) => j.memberId),
        cohortId,
      );
    }
  }

  const weeks = sortedBy(weekly.values(), (w) => key(w.memberId, w.cohortId, w.week));
  if (weeks.length > 0) {
    const args: unknown[] = [];
    for (const w of weeks)
      args.push(
        w.cohortId,
        w.week,
        w.memberId,
        w.xp,
        w.answered,
        w.correct,
        w.firstTries,
        w.firstTryCorrect,
        w.reviews,
        w.reviewsKept,
        w.activeDays,
      );
    weeklyConflict ??= argumentFree(Prisma.sql`
      ON CONFLICT ("cohortId", "week", "memberId") DO UPDATE SET "xp" = "WeeklyScore"."xp" + excluded."xp",
        "answered" = "WeeklyScore"."answered" + excluded."answered",
        "correct" = "WeeklyScore"."correct" + excluded."correct",
        "firstTries" = "WeeklyScore"."firstTries" + excluded."firstTries",
        "firstTryCorrect" = "WeeklyScore"."firstTryCorrect" + excluded."firstTryCorrect",
        "reviews" = "WeeklyScore"."reviews" + excluded."reviews",
        "reviewsKept" = "WeeklyScore"."reviewsKept" + excluded."reviewsKept",
        "activeDays" = "WeeklyScore"."activeDays" + excluded."activeDays", ${weeklyScoreUpdate()}`);
    write(
      `INSERT INTO "WeeklyScore" ("cohortId", "week", "memberId", "xp", "answered", "correct", "firstTries",
        "firstTryCorrect", "reviews", "reviewsKept", "activeDays")`,
      ['text', 'text', 'text', 'integer', 'integer', 'integer', 'integer', 'integer', 'integer', 'integer', 'integer'],
      args,
      weeklyConflict,
    );
  }
  // The joins above go first: the weekly rows of a member back in a cohort are marked to rescore, then counted.
  await tx.writeAll(writes);

  // A member who joins a cohort brings what they did before (self-study, catch-up): their weeks there are counted
  // again from their attempts (this batch's included), so a first try counts for the cohort's board in the week it
  // happened, whatever the context. A member whose first scored answer ever is the one that joins brings nothing:
  // every scored answer of theirs is in the weekly rows above already, as a rebuild would count it, and the rebuild
  // (three statements per member) is skipped. That is every member on a cohort's first drop.
  for (const join of joins) {
    const zone = cohortZones.get(join.cohortId);
    if (join.rebuild && zone !== undefined) await rebuildWeeks(tx.asClient, join.memberId, join.cohortId, zone);
  }
  // The all-time board's rows of these members take their new totals (src/db/board-standings.ts).
  if (deltas.length > 0) await syncAllTime(tx.asClient, tx.oneOf(deltas.map(([memberId]) => memberId)));

  return outcomes;
}

/** The UUIDv7 clock of `attemptIds`: the last millisecond used and its sequence. */
const idClock = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/**
 * `count` UUIDv7 ids (the schema's `@default(uuid(7))`), increasing as uuid's own v7 makes them (a millisecond
 * timestamp, then a sequence that starts at random each millisecond and counts up within it), from one random fill
 * for the whole batch instead of one call to the system's generator per id.
 */
function attemptIds(count: number): string[] {
  const random = randomFillSync(new Uint8Array(16 * count));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = random.subarray(16 * i, 16 * i + 16);
    const now = Date.now();
    if (now > idClock.msecs) {
      idClock.msecs = now;
      idClock.seq =
        (((bytes[6] as number) & 0x7f) << 24) |
        ((bytes[7] as number) << 16) |
        ((bytes[8] as number) << 8) |
        (bytes[9] as number);
    } else {
      idClock.seq = (idClock.seq + 1) | 0;
      if (idClock.seq === 0) idClock.msecs++;
    }
    ids.push(uuidv7({ random: bytes, msecs: idClock.msecs, seq: idClock.seq }));
  }
  return ids;
}

/** The PostgreSQL element types of the multi-row writes' columns (`DriverTx.executeValues`). */
const attemptTypes = [
  'text',
  'text',
  'text',
  'text',
  'text',
  '"AttemptContext"',
  'text',
  'integer',
  'boolean',
  'boolean',
  'integer',
  'timestamp(3)',
  'text',
];
const cardTypes = [
  'text',
  'text',
  'text',
  'timestamp(3)',
  'double precision',
  'double precision',
  'integer',
  'integer',
  'integer',
  'integer',
  'integer',
  'timestamp(3)',
];
const statsTypes = [
  'text',
  'integer',
  'integer',
  'integer',
  'integer',
  'integer',
  'text',
  'integer',
  'timestamp(3)',
  'integer',
  'integer',
  'integer',
  'integer',
  'integer',
  'integer',
];

/** The weekly upsert's conflict clause (its score expression has no arguments), built once. */
let weeklyConflict: string | undefined;

/** Queues answers and writes them in batches of at most `maxAnswersPerBatch` (src/db/group-commit.ts). */
export class AnswerBatcher extends GroupCommit<AnswerInput, AnswerOutcome> {
  constructor(options: Omit<GroupCommitOptions<AnswerInput, AnswerOutcome>, 'maxBatch'>) {
    super({ ...options, maxBatch: maxAnswersPerBatch });
  }
}

type CardRow = Awaited<ReturnType<Db['reviewCard']['findFirstOrThrow']>>;

/**
 * Each cohort's drop days (posted or closed drops of its channels) strictly between `after` and `before`: a cohort
 * with a channel has a set, maybe empty (care.repo.ts's `cohortDropDays`, as one statement on the driver).
 */
async function cohortDropDays(
  tx: DriverTx,
  cohortIds: readonly string[],
  after: string,
  before: string,
): Promise<Map<string, Set<string>>> {
  const days = new Map<string, Set<string>>();
  if (cohortIds.length === 0) return days;
  const rows = await tx.$queryRaw<{ cohortId: string; localDate: string | null }>`
    SELECT c."cohortId", d."localDate" FROM "Channel" c
    LEFT JOIN "Drop" d ON d."channelId" = c."id" AND d."localDate" > ${after} AND d."localDate" < ${before}
      AND d."status" IN ('posted', 'closed')
    WHERE c."cohortId" ${tx.oneOf(cohortIds)}`;
  for (const row of rows) {
    const set = setOf(days, row.cohortId);
    if (row.localDate !== null) set.add(row.localDate);
  }
  return days;
}

/** A ReviewCard row as the scheduler's card state (validated). */
export function cardStateOf(row: CardRow): ReviewCardState {
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

function toPrevious(row: PreviousAttempt): PreviousAttempt {
  return { choice: row.choice, correct: row.correct, xp: row.xp, scored: row.scored, answeredAt: row.answeredAt };
}

/**
 * The local dates whose days could be missed in this batch's streaks: after the earliest stored last active day (or
 * answer date) and before the latest answer date. Null when they are less than two days apart: no day lies between.
 */
function streakGap(
  stored: readonly StreakState[],
  answerDates: readonly string[],
): { after: string; before: string } | null {
  const dates = [...answerDates, ...stored.flatMap((state) => (state.lastActiveDate ? [state.lastActiveDate] : []))];
  if (dates.length === 0) return null;
  // `YYYY-MM-DD` strings sort as dates.
  const after = dates.sort()[0] as string;
  const before = [...answerDates].sort().at(-1) ?? after;
  return daysBetween(after, before) >= 2 ? { after, before } : null;
}

function sorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compare);
}

/** `items` in the code-unit order of their keys, each key made once (not twice per comparison). */
function sortedBy<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  return [...items]
    .map((item) => ({ at: keyOf(item), item }))
    .sort((a, b) => compare(a.at, b.at))
    .map(({ item }) => item);
}

/** Code-unit order, the same in every locale (localeCompare is not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listOf<T>(map: Map<string, T[]>, at: string): T[] {
  let list = map.get(at);
  if (!list) {
    list = [];
    map.set(at, list);
  }
  return list;
}

function setOf(map: Map<string, Set<string>>, memberId: string): Set<string> {
  let set = map.get(memberId);
  if (!set) {
    set = new Set();
    map.set(memberId, set);
  }
  return set;
}

/** The ranking's counters of one answer or of a total (MemberStats, WeeklyScore): first tries and reviews. */
interface MasteryDelta {
  firstTries: number;
  firstTryCorrect: number;
  reviews: number;
  reviewsKept: number;
}

interface WeeklyDelta extends MasteryDelta {
  readonly cohortId: string;
  readonly week: string;
  readonly memberId: string;
  xp: number;
  answered: number;
  correct: number;
  /** 1 when this batch counted a new local day (cohort's zone) for the member in the cohort. */
  activeDays: number;
}

const noMastery = (): MasteryDelta => ({ firstTries: 0, firstTryCorrect: 0, reviews: 0, reviewsKept: 0 });

/** A scored answer's counters: a first try (the member's first scored answer to the question), a review kept. */
function masteryOf(input: AnswerInput, firstTry: boolean): MasteryDelta {
  const review = input.context === 'review';
  return {
    firstTries: firstTry ? 1 : 0,
    firstTryCorrect: firstTry && input.correct ? 1 : 0,
    reviews: review ? 1 : 0,
    reviewsKept: review && input.correct ? 1 : 0,
  };
}

function addMastery(total: MasteryDelta, add: MasteryDelta): void {
  total.firstTries += add.firstTries;
  total.firstTryCorrect += add.firstTryCorrect;
  total.reviews += add.reviews;
  total.reviewsKept += add.reviewsKept;
}
