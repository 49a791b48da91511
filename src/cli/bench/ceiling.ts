/**
 * The ceiling beside every answer figure: what the hardware gives for the same work with no Trilha code in the way.
 * The rows one scored answer writes (its Attempt, the member's MemberStats, the cohort's WeeklyScore and CohortMember
 * standing, the ReviewCard, the LessonProgress) are written with the database driver directly (better-sqlite3;
 * pg), in the same tables with the same indexes (a database migrated as the bot's is), batched the same way as the
 * answer path batches them (group commit: the answers that arrive while a transaction is written go in the next one,
 * at most `maxAnswersPerBatch`, each transaction first reading the members' rows, then one multi-row write per
 * table), and written the answer path's way (the `Dialect` below: PostgreSQL's writes as unnest arrays, sent together
 * as one statement). On SQLite each statement's text is prepared once and kept, as a driver is best used (and as the
 * answer path does: src/db/sqlite-statements.ts); a full batch's statements have the same text every time. Same
 * shape as the closed loop: every member answers every question in turn, all members at once.
 *
 * It is a ceiling, not a model: no grading, no streak or FSRS arithmetic, no feedback text; the values written are
 * plausible, their cost is the point. Trilha's figure divided by this one is how far the code is from the hardware.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { maxAnswersPerBatch } from '../../db/answer-batch.ts';
import type { DatabaseTarget } from '../../db/database-url.ts';
import { sqliteBusyTimeoutMs } from '../../db/prisma-client.ts';
import { type LoadResult, quantile } from './answer-load.ts';

/** What the ceiling answers: the ids the bench's prepared drop left in the database. */
interface World {
  readonly memberIds: readonly string[];
  readonly cohortId: string;
  readonly trackId: string;
  readonly lessonId: string;
  readonly posted: readonly { readonly id: string; readonly questionId: string }[];
}

interface PendingAnswer {
  readonly memberId: string;
  readonly postedId: string;
  readonly questionId: string;
  readonly choice: number;
  readonly correct: boolean;
  readonly at: Date;
  readonly done: () => void;
  readonly failed: (error: unknown) => void;
}

/**
 * A SQL dialect's few differences: how a row's value is written, how a multi-row write and a list condition are
 * built. Each the way the answer path builds them (src/db/driver-transaction.ts): SQLite `VALUES (?, ?), …` and
 * `IN (?, …)`; PostgreSQL one array per column (`SELECT * FROM unnest($1::text[], …)`) and `= ANY($1::text[])`.
 */
interface Dialect {
  readonly bool: (value: boolean) => unknown;
  readonly date: (value: Date) => unknown;
  /** `head` (`INSERT INTO "T" (…)`), the rows (one value per column of `types`, PostgreSQL's types), `tail`. */
  readonly rows: (head: string, types: readonly string[], rows: readonly unknown[][], tail?: string) => Statement;
  /** `column` is one of `values`. */
  readonly oneOf: (column: string, values: readonly string[]) => Statement;
  /**
   * Writes that do not read one another, as the answer path sends them (`DriverTx.writeAll`): SQLite one after the
   * other; PostgreSQL as one statement, each a data-modifying `WITH` part.
   */
  readonly together: (writes: readonly Statement[]) => Statement[];
}

type Statement = [string, unknown[]];

const sqliteDialect: Dialect = {
  bool: (value) => (value ? 1 : 0),
  date: (value) => value.getTime(),
  rows: (head, types, rows, tail = '') => [
    `${head} VALUES ${rows.map(() => `(${types.map(() => '?').join(', ')})`).join(', ')} ${tail}`,
    rows.flat(),
  ],
  oneOf: (column, values) => [`${column} IN (${values.map(() => '?').join(', ')})`, [...values]],
  together: (writes) => [...writes],
};
const postgresDialect: Dialect = {
  bool: (value) => value,
  date: (value) => value,
  rows: (head, types, rows, tail = '') => [
    `${head} SELECT * FROM unnest(${types.map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) ${tail}`,
    types.map((_, column) => rows.map((row) => row[column])),
  ],
  oneOf: (column, values) => [`${column} = ANY($1::text[])`, [[...values]]],
  together: (writes) => {
    const args: unknown[] = [];
    const parts = writes.map(([sql, params], i) => {
      const offset = args.length;
      args.push(...params);
      return `w${i} AS (${sql.replace(/\$(\d+)/g, (_, n: string) => `$${offset + Number(n)}`)})`;
    });
    return [[`WITH ${parts.join(', ')} SELECT 1`, args]];
  },
};

const text = 'text';
const integer = 'integer';
const timestamp = 'timestamp(3)';

/** The statements of one batch: its reads, then one multi-row write per table. */
function batchStatements(world: World, batch: readonly PendingAnswer[], d: Dialect): Statement[] {
  const statements: Statement[] = [];
  const members = [...new Set(batch.map((answer) => answer.memberId))].sort();
  const [ofMembers, memberArgs] = d.oneOf('"memberId"', members);
  const week = isoWeek(batch[0]?.at ?? new Date());
  const localDate = (batch[0]?.at ?? new Date()).toISOString().slice(0, 10);
  // Reads, as the answer path makes them inside its transaction: the members' stats, their earlier attempts at
  // these questions (dedupe), their cards and lesson progress.
  statements.push([`SELECT * FROM "MemberStats" WHERE ${ofMembers}`, memberArgs]);
  statements.push([`SELECT "memberId", "postedQuestionId" FROM "Attempt" WHERE ${ofMembers}`, memberArgs]);
  statements.push([`SELECT * FROM "ReviewCard" WHERE ${ofMembers}`, memberArgs]);
  statements.push([`SELECT * FROM "LessonProgress" WHERE ${ofMembers}`, memberArgs]);
  // Writes: none reads another, so they go together (`together`).
  const firstWrite = statements.length;
  const attempts = batch.map((a) => [
    randomUUID(),
    a.memberId,
    world.trackId,
    a.questionId,
    a.postedId,
    'channel_quiz',
    `posted:${a.postedId}`,
    a.choice,
    d.bool(a.correct),
    d.bool(true),
    a.correct ? 10 : 0,
    d.date(a.at),
    localDate,
  ]);
  statements.push(
    d.rows(
      `INSERT INTO "Attempt" ("id", "memberId", "trackId", "questionId", "postedQuestionId", "context", "dedupeKey", "choice", "correct", "scored", "xp", "answeredAt", "localDate")`,
      [text, text, text, text, text, '"AttemptContext"', text, integer, 'boolean', 'boolean', integer, timestamp, text],
      attempts,
    ),
  );
  const perMember = new Map<string, { xp: number; answered: number; correct: number; at: Date }>();
  for (const a of batch) {
    const sum = perMember.get(a.memberId) ?? { xp: 0, answered: 0, correct: 0, at: a.at };
    sum.xp += a.correct ? 10 : 0;
    sum.answered += 1;
    sum.correct += a.correct ? 1 : 0;
    perMember.set(a.memberId, sum);
  }
  const sums = members.map((id) => [id, perMember.get(id)] as const);
  statements.push(
    d.rows(
      `INSERT INTO "MemberStats" ("memberId", "xp", "answered", "correct", "currentStreak", "bestStreak", "lastActiveDate", "firstTries", "firstTryCorrect", "updatedAt")`,
      [text, integer, integer, integer, integer, integer, text, integer, integer, timestamp],
      sums.map(([id, s]) => [
        id,
        s?.xp,
        s?.answered,
        s?.correct,
        1,
        1,
        localDate,
        s?.answered,
        s?.correct,
        d.date(s?.at as Date),
      ]),
      `ON CONFLICT ("memberId") DO UPDATE SET "xp" = "MemberStats"."xp" + excluded."xp", "answered" = "MemberStats"."answered" + excluded."answered", "correct" = "MemberStats"."correct" + excluded."correct", "currentStreak" = excluded."currentStreak", "bestStreak" = excluded."bestStreak", "lastActiveDate" = excluded."lastActiveDate", "firstTries" = "MemberStats"."firstTries" + excluded."firstTries", "firstTryCorrect" = "MemberStats"."firstTryCorrect" + excluded."firstTryCorrect", "updatedAt" = excluded."updatedAt"`,
    ),
  );
  statements.push(
    d.rows(
      `INSERT INTO "WeeklyScore" ("cohortId", "memberId", "week", "xp", "answered", "correct", "firstTries", "firstTryCorrect", "activeDays", "score", "scoreQuestions", "scoreDays", "listed")`,
      [
        text,
        text,
        text,
        integer,
        integer,
        integer,
        integer,
        integer,
        integer,
        'double precision',
        integer,
        integer,
        'boolean',
      ],
      sums.map(([id, s]) => [
        world.cohortId,
        id,
        week,
        s?.xp,
        s?.answered,
        s?.correct,
        s?.answered,
        s?.correct,
        1,
        (s?.correct ?? 0) * 100,
        world.posted.length,
        1,
        d.bool(true),
      ]),
      `ON CONFLICT ("cohortId", "week", "memberId") DO UPDATE SET "xp" = "WeeklyScore"."xp" + excluded."xp", "answered" = "WeeklyScore"."answered" + excluded."answered", "correct" = "WeeklyScore"."correct" + excluded."correct", "firstTries" = "WeeklyScore"."firstTries" + excluded."firstTries", "firstTryCorrect" = "WeeklyScore"."firstTryCorrect" + excluded."firstTryCorrect", "activeDays" = excluded."activeDays", "score" = excluded."score", "scoreQuestions" = excluded."scoreQuestions", "scoreDays" = excluded."scoreDays", "listed" = excluded."listed"`,
    ),
  );
  statements.push(
    d.rows(
      `INSERT INTO "CohortMember" ("cohortId", "memberId", "joinedAt", "score", "scoreQuestions", "listed", "xp", "answers", "firstTries", "firstTryCorrect")`,
      [text, text, timestamp, 'double precision', integer, 'boolean', integer, integer, integer, integer],
      sums.map(([id, s]) => [
        world.cohortId,
        id,
        d.date(s?.at as Date),
        (s?.correct ?? 0) * 100,
        world.posted.length,
        d.bool(true),
        s?.xp,
        s?.answered,
        s?.answered,
        s?.correct,
      ]),
      `ON CONFLICT ("cohortId", "memberId") DO UPDATE SET "score" = excluded."score", "scoreQuestions" = excluded."scoreQuestions", "listed" = excluded."listed", "xp" = "CohortMember"."xp" + excluded."xp", "answers" = "CohortMember"."answers" + excluded."answers", "firstTries" = "CohortMember"."firstTries" + excluded."firstTries", "firstTryCorrect" = "CohortMember"."firstTryCorrect" + excluded."firstTryCorrect"`,
    ),
  );
  const cards = batch.map((a) => [
    a.memberId,
    world.trackId,
    a.questionId,
    d.date(new Date(a.at.getTime() + 86_400_000)),
    2.5,
    5,
    1,
    0,
    1,
    a.correct ? 0 : 1,
    2,
    d.date(a.at),
  ]);
  statements.push(
    d.rows(
      `INSERT INTO "ReviewCard" ("memberId", "trackId", "questionId", "due", "stability", "difficulty", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview")`,
      [
        text,
        text,
        text,
        timestamp,
        'double precision',
        'double precision',
        integer,
        integer,
        integer,
        integer,
        integer,
        timestamp,
      ],
      cards,
      `ON CONFLICT ("memberId", "trackId", "questionId") DO UPDATE SET "due" = excluded."due", "stability" = excluded."stability", "difficulty" = excluded."difficulty", "scheduledDays" = excluded."scheduledDays", "reps" = excluded."reps", "lapses" = excluded."lapses", "state" = excluded."state", "lastReview" = excluded."lastReview"`,
    ),
  );
  statements.push(
    d.rows(
      `INSERT INTO "LessonProgress" ("memberId", "trackId", "lessonId", "seenAt")`,
      [text, text, text, timestamp],
      sums.map(([id, s]) => [id, world.trackId, world.lessonId, d.date(s?.at as Date)]),
      'ON CONFLICT ("memberId", "trackId", "lessonId") DO NOTHING',
    ),
  );
  return [...statements.slice(0, firstWrite), ...d.together(statements.slice(firstWrite))];
}

function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7));
  const yearStart = new Date(Date.UTC(day.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((day.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Group commit: answers queue while a batch is written; the writer takes up to `maxAnswersPerBatch` at a time. */
function groupCommit(write: (batch: readonly PendingAnswer[]) => Promise<void>) {
  const queue: PendingAnswer[] = [];
  let writing = false;
  const drain = async () => {
    if (writing) return;
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxAnswersPerBatch);
        try {
          await write(batch);
          for (const answer of batch) answer.done();
        } catch (error) {
          for (const answer of batch) answer.failed(error);
        }
      }
    } finally {
      writing = false;
    }
  };
  return (answer: Omit<PendingAnswer, 'done' | 'failed'>) =>
    new Promise<void>((done, failed) => {
      queue.push({ ...answer, done, failed });
      // The next turn, so the answers of this turn join the batch, as the answer path's queue does.
      setImmediate(() => void drain());
    });
}

/** Every member answers every posted question in turn, all members at once; latencies from submit to commit. */
async function closedLoop(
  world: World,
  submit: ReturnType<typeof groupCommit>,
): Promise<LoadResult & { readonly stored: number }> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    world.memberIds.map(async (memberId, member) => {
      for (const [question, posted] of world.posted.entries()) {
        const at = performance.now();
        try {
          await submit({
            memberId,
            postedId: posted.id,
            questionId: posted.questionId,
            choice: (member + question) % 2,
            correct: (member + question) % 3 !== 0,
            at: new Date(),
          });
        } catch {
          failures++;
        }
        latencies.push(performance.now() - at);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    answers: sorted.length,
    seconds,
    perSecond: sorted.length / seconds,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
    failures,
    stored: 0,
  };
}

const worldQueries = {
  members: `SELECT "id" FROM "Member" ORDER BY "id"`,
  cohort: `SELECT "id" FROM "Cohort" LIMIT 1`,
  drop: `SELECT "id", "trackId", "lessonId" FROM "Drop" LIMIT 1`,
  posted: (param: string) =>
    `SELECT "id", "questionId" FROM "PostedQuestion" WHERE "dropId" = ${param} ORDER BY "position"`,
};

/** The ceiling on SQLite: better-sqlite3 on the bot's own file (WAL, the same busy timeout), one connection. */
export async function sqliteCeiling(target: DatabaseTarget): Promise<LoadResult & { readonly stored: number }> {
  if (target.kind !== 'sqlite') throw new Error('sqliteCeiling needs a SQLite target');
  const db = new Database(target.filePath, { timeout: sqliteBusyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    const drop = db.prepare(worldQueries.drop).get() as { id: string; trackId: string; lessonId: string };
    const world: World = {
      memberIds: (db.prepare(worldQueries.members).all() as { id: string }[]).map((row) => row.id),
      cohortId: (db.prepare(worldQueries.cohort).get() as { id: string }).id,
      trackId: drop.trackId,
      lessonId: drop.lessonId,
      posted: db.prepare(worldQueries.posted('?')).all(drop.id) as { id: string; questionId: string }[],
    };
    const prepared = new Map<string, Database.Statement>();
    const submit = groupCommit(async (batch) => {
      db.transaction(() => {
        for (const [sql, params] of batchStatements(world, batch, sqliteDialect)) {
          let statement = prepared.get(sql);
          if (!statement) {
            statement = db.prepare(sql);
            prepared.set(sql, statement);
          }
          if (statement.reader) statement.all(...params);
          else statement.run(...params);
        }
      }).immediate();
    });
    const result = await closedLoop(world, submit);
    const stored = (db.prepare('SELECT count(*) AS n FROM "Attempt"').get() as { n: number }).n;
    return { ...result, stored };
  } finally {
    db.close();
  }
}

/** The ceiling on PostgreSQL: pg on the bot's own database, one connection, one transaction per batch. */
export async function postgresCeiling(target: DatabaseTarget): Promise<LoadResult & { readonly stored: number }> {
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    // As the answer path's batch runs (src/db/driver-transaction.ts): no JIT compiling of its statements.
    await client.query('SET jit = off');
    const drop = (await client.query(worldQueries.drop)).rows[0] as { id: string; trackId: string; lessonId: string };
    const world: World = {
      memberIds: (await client.query(worldQueries.members)).rows.map((row: { id: string }) => row.id),
      cohortId: (await client.query(worldQueries.cohort)).rows[0].id,
      trackId: drop.trackId,
      lessonId: drop.lessonId,
      posted: (await client.query(worldQueries.posted('$1'), [drop.id])).rows,
    };
    const submit = groupCommit(async (batch) => {
      await client.query('BEGIN');
      try {
        for (const [sql, params] of batchStatements(world, batch, postgresDialect)) await client.query(sql, params);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    });
    const result = await closedLoop(world, submit);
    const stored = Number((await client.query('SELECT count(*) AS n FROM "Attempt"')).rows[0].n);
    return { ...result, stored };
  } finally {
    await client.end();
  }
}
