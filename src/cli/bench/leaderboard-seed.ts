/**
 * Seeds a leaderboard benchmark: one workspace, one cohort, `members` members (each with an identity and a cohort
 * membership) and `attempts` scored attempts spread over them and over 20 ISO weeks, then the aggregates
 * (MemberStats, WeeklyScore) computed from those attempts, as the answer path would have kept them (each attempt is a
 * member's first try at its question; a week's active days are its answers, at most 5), and the cohort's two
 * channels with no drop yet (the bench posts them: `postBenchDrop`). Everything is generated inside the database (a
 * recursive CTE on SQLite, generate_series on PostgreSQL), so a million rows take seconds, not minutes.
 */
import { DateTime } from 'luxon';
import type { Db } from '../../db/prisma-client.ts';
import type { DatabaseKind } from '../../db/schema-files.ts';

export interface LeaderboardSeed {
  readonly workspaceId: string;
  readonly cohortId: string;
  /** The ISO week with the most recent scores: the last full week before the run's own (the run's clock). */
  readonly week: string;
  /** That week's Monday (an ISO date), where the bench dates its drops. */
  readonly monday: string;
  /** A member near the middle of the ranking (their own line is outside the top 10). */
  readonly memberId: string;
  /** The cohort's two channels (no drop yet), where the bench posts drops. */
  readonly channelId: string;
  readonly otherChannelId: string;
}

export const seedWeeks = 20;

/** The seed's weeks, oldest first, ending with the last full ISO week before the run's (the cohort's zone). */
function seedCalendar(): { weeks: string[]; monday: string; start: string } {
  const lastMonday = DateTime.now().setZone('America/Sao_Paulo').startOf('week').minus({ weeks: 1 });
  const mondays = Array.from({ length: seedWeeks }, (_, k) => lastMonday.minus({ weeks: seedWeeks - 1 - k }));
  return {
    weeks: mondays.map((monday) => monday.toFormat("kkkk-'W'WW")),
    monday: lastMonday.toISODate() as string,
    start: mondays[0]?.toISODate() as string,
  };
}

export async function seedLeaderboard(
  db: Db,
  kind: DatabaseKind,
  members: number,
  attempts: number,
): Promise<LeaderboardSeed> {
  const pg = kind === 'postgresql';
  const exec = (sql: string) => db.$executeRawUnsafe(sql);
  const series = (count: number) =>
    pg
      ? `generate_series(0, ${count - 1}) AS n(i)`
      : `(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${count - 1}) SELECT i FROM s) AS n`;
  const platform = pg ? `'terminal'::"Platform"` : `'terminal'`;
  const context = pg ? `'channel_quiz'::"AttemptContext"` : `'channel_quiz'`;
  const bool = (expr: string) => (pg ? `(${expr})` : `CASE WHEN ${expr} THEN 1 ELSE 0 END`);
  const sum = (column: string) => (pg ? `SUM(CASE WHEN ${column} THEN 1 ELSE 0 END)` : `SUM(${column})`);
  // Round r of member m is right when ((7r + 13m) mod 37) < (m mod 29) + 5: each member has their own rate, from
  // about 1 in 7 to 9 in 10, so scores spread while many members still tie (the tie-break is exercised).
  const correct = `(((i / ${members}) * 7 + (i % ${members}) * 13) % 37) < ((i % ${members}) % 29) + 5`;
  const calendar = seedCalendar();
  const week = (expr: string) => `CASE ${expr} ${calendar.weeks.map((w, k) => `WHEN ${k} THEN '${w}'`).join(' ')} END`;

  await exec(
    `INSERT INTO "Workspace" ("id", "platform", "externalId", "name") VALUES ('ws-bench', ${platform}, 'bench', 'Bench')`,
  );
  await exec(
    `INSERT INTO "Cohort" ("id", "workspaceId", "slug", "name", "timeZone") VALUES ('c-bench', 'ws-bench', 'bench', 'Bench', 'America/Sao_Paulo')`,
  );
  await exec(
    `INSERT INTO "Channel" ("id", "workspaceId", "externalId", "name", "trackId", "cohortId", "startDate", "updatedAt") VALUES ('ch-bench', 'ws-bench', 'C-BOARD', 'bench', 'docker', 'c-bench', '${calendar.start}', CURRENT_TIMESTAMP), ('ch-bench-2', 'ws-bench', 'C-BOARD-2', 'bench-2', 'docker', 'c-bench', '${calendar.start}', CURRENT_TIMESTAMP)`,
  );
  await exec(
    `INSERT INTO "Member" ("id", "displayName", "updatedAt") SELECT 'm' || i, 'Member ' || i, CURRENT_TIMESTAMP FROM ${series(members)}`,
  );
  await exec(
    `INSERT INTO "Identity" ("id", "memberId", "workspaceId", "platform", "externalId") SELECT 'i' || i, 'm' || i, 'ws-bench', ${platform}, 'U' || i FROM ${series(members)}`,
  );
  await exec(`INSERT INTO "CohortMember" ("cohortId", "memberId") SELECT 'c-bench', 'm' || i FROM ${series(members)}`);
  await exec(
    `INSERT INTO "Attempt" ("id", "memberId", "trackId", "questionId", "context", "dedupeKey", "choice", "correct", "scored", "xp", "localDate")
     SELECT 'a' || i, 'm' || (i % ${members}), 'docker', 'q' || (i / ${members}), ${context}, 'bench:' || i, i % 4,
            ${bool(correct)}, ${pg ? 'true' : '1'}, CASE WHEN ${correct} THEN 10 ELSE 2 END,
            ${week(`(i / ${members}) % ${seedWeeks}`)}
     FROM ${series(attempts)}`,
  );
  // The seeded localDate holds the attempt's ISO week (the aggregates below need only that).
  await exec(
    `INSERT INTO "MemberStats" ("memberId", "xp", "answered", "correct", "firstTries", "firstTryCorrect", "updatedAt")
     SELECT "memberId", SUM("xp"), COUNT(*), ${sum('"correct"')}, COUNT(*), ${sum('"correct"')}, CURRENT_TIMESTAMP
     FROM "Attempt" GROUP BY "memberId"`,
  );
  await exec(
    `INSERT INTO "WeeklyScore" ("cohortId", "week", "memberId", "xp", "answered", "correct", "firstTries",
       "firstTryCorrect", "activeDays")
     SELECT 'c-bench', "localDate", "memberId", SUM("xp"), COUNT(*), ${sum('"correct"')}, COUNT(*), ${sum('"correct"')},
       CASE WHEN COUNT(*) > 5 THEN 5 ELSE COUNT(*) END
     FROM "Attempt" GROUP BY "localDate", "memberId"`,
  );
  if (pg) await exec('ANALYZE');
  else await exec('ANALYZE');
  return {
    workspaceId: 'ws-bench',
    cohortId: 'c-bench',
    week: calendar.weeks.at(-1) as string,
    monday: calendar.monday,
    memberId: `m${Math.floor(members / 2)}`,
    channelId: 'ch-bench',
    otherChannelId: 'ch-bench-2',
  };
}

/**
 * Posts a drop of 3 questions dated `localDate` in the seeded channel, as the scheduler leaves it (posted, open a day;
 * src/scheduler/drop-scheduler.ts), and tells the boards as the scheduler does (`boardsMoved`): their rescoring
 * starts in the background.
 */
export async function postBenchDrop(
  db: Db,
  boards: { boardsMoved(cohortId: string, localDate: string): void },
  seed: LeaderboardSeed,
  localDate: string,
): Promise<void> {
  const now = new Date();
  await db.drop.create({
    data: {
      channelId: seed.channelId,
      localDate,
      trackId: 'docker',
      lessonId: `bench-${localDate}`,
      status: 'posted',
      claimedBy: 'bench',
      postedAt: now,
      closesAt: new Date(now.getTime() + 24 * 3_600_000),
      questions: {
        create: [0, 1, 2].map((position) => ({ trackId: 'docker', questionId: `q${position}`, position })),
      },
    },
  });
  boards.boardsMoved(seed.cohortId, localDate);
}
