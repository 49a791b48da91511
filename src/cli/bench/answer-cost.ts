/**
 * What one answer costs, for comparing two versions of the answer path on a shared machine (where answers per second
 * are noise): `npx tsx src/cli/bench/answer-cost.ts <sqlite|postgresql> [runs] [closed|open] [rate]`. Each run opens
 * a fresh database (PostgreSQL: a new database on BENCH_POSTGRES_URL or TEST_POSTGRES_URL), prepares the bench's drop
 * for 1,000 members and runs the closed loop (or the open loop at `rate` per second) after one unrecorded warm-up run
 * of 300 members, then prints per run:
 * - this process's CPU time per answer (`process.cpuUsage`: the engine and the load both) and, on PostgreSQL, the
 *   server's (its backends serving the run's database, from /proc);
 * - the batch transactions: how many, statements per transaction, batch sizes (answers per transaction: median, max)
 *   and the time from BEGIN to COMMIT (median);
 * - the look-ups outside the batch (statements per answer).
 * Counted by wrapping the driver adapter's methods and, on SQLite, the better-sqlite3 statements the answer path runs
 * directly (src/db/sqlite-statements.ts), in this process (measurement only). Interleave runs of the two
 * versions (A, B, A, B) and compare CPU per answer and statements, not answers per second.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import type { App } from '../../app.ts';
import { loadTracks } from '../../content/load-tracks.ts';
import { driverAdapter, sqliteStatements } from '../../db/prisma-client.ts';
import { closedLoop, openLoop, prepareDrop, quantile } from './answer-load.ts';
import { freshDatabase, openBenchApp } from './bench-database.ts';

const kind = process.argv[2] === 'postgresql' ? 'postgresql' : 'sqlite';
const runs = Number(process.argv[3] ?? 3);
const open = process.argv[4] === 'open';
const rate = Number(process.argv[5] ?? 2000);
const server = process.env.BENCH_POSTGRES_URL || process.env.TEST_POSTGRES_URL;
const tracks = loadTracks(resolve(process.env.TRILHA_CONTENT_DIR ?? 'content')).tracks;
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

async function run(members: number, record: boolean): Promise<void> {
  const database = await freshDatabase(kind, server ?? null);
  if (!database) throw new Error('set BENCH_POSTGRES_URL or TEST_POSTGRES_URL');
  const { target, drop } = database;
  const app = await openBenchApp(target, tracks);
  try {
    const fixture = await prepareDrop(app, members);
    const adapter = await driverAdapter(app.db);
    const sqlite = await sqliteStatements(app.db);
    const batches: { statements: number; answers: number; ms: number }[] = [];
    let lookups = 0;
    /** The batch whose transaction is open (SQLite: its statements run on better-sqlite3, not through the adapter). */
    let inBatch: (typeof batches)[number] | null = null;
    const startTransaction = adapter.startTransaction.bind(adapter);
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = (query: SqlQuery) => {
      lookups++;
      return queryRaw(query);
    };
    /** `bound`: how many arguments the statement binds (SQLite's chunks bind a range of the write's). */
    const countIn = (batch: (typeof batches)[number], sql: string, args: readonly unknown[], bound = args.length) => {
      batch.statements++;
      // The attempts' insert: one row per answer (PostgreSQL: one array per column; SQLite: one chunk of rows).
      if (sql.includes('INSERT INTO "Attempt"')) {
        batch.answers += Array.isArray(args[0]) ? args[0].length : bound / 13;
      }
    };
    if (sqlite) {
      // On SQLite the look-ups and the batches share one handle: a statement counts for the batch whose transaction
      // is open when it runs (a look-up that runs in between is counted with it; there are few, see the last column).
      const all = sqlite.all.bind(sqlite);
      const run = sqlite.run.bind(sqlite);
      const count = (sql: string, bound: number) => {
        if (!inBatch) lookups++;
        else countIn(inBatch, sql, [], bound);
      };
      sqlite.all = (sql, args, from = 0, to = args.length) => {
        count(sql, to - from);
        return all(sql, args, from, to);
      };
      sqlite.run = (sql, args, from = 0, to = args.length) => {
        count(sql, to - from);
        return run(sql, args, from, to);
      };
    }
    adapter.startTransaction = async (...args: Parameters<typeof startTransaction>): Promise<Transaction> => {
      const began = performance.now();
      const transaction = await startTransaction(...args);
      const batch = { statements: 0, answers: 0, ms: 0 };
      inBatch = batch;
      const count = (query: SqlQuery) => countIn(batch, query.sql, query.args);
      const executeRaw = transaction.executeRaw.bind(transaction);
      const txQueryRaw = transaction.queryRaw.bind(transaction);
      const commit = transaction.commit.bind(transaction);
      const rollback = transaction.rollback.bind(transaction);
      return Object.assign(transaction, {
        executeRaw: (query: SqlQuery) => {
          count(query);
          return executeRaw(query);
        },
        queryRaw: (query: SqlQuery) => {
          count(query);
          return txQueryRaw(query);
        },
        commit: () => {
          batch.ms = performance.now() - began;
          batches.push(batch);
          inBatch = null;
          return commit();
        },
        rollback: () => {
          inBatch = null;
          return rollback();
        },
      });
    };
    const serverBefore = await serverCpuMs(app.db);
    const cpu = process.cpuUsage();
    const result = open
      ? await openLoop(
          app,
          fixture,
          members,
          rate,
          fixture.postedQuestionIds.map((_, i) => i),
        )
      : await closedLoop(app, fixture, members);
    const used = process.cpuUsage(cpu);
    const serverAfter = await serverCpuMs(app.db);
    if (!record) return;
    const perAnswer = (us: number) => `${(us / result.answers).toFixed(0)} µs`;
    const serverUs = serverBefore === null || serverAfter === null ? null : (serverAfter - serverBefore) * 1000;
    console.log(
      [
        `${kind} ${open ? `open loop at ${rate}/s` : 'closed loop'}: ${result.perSecond.toFixed(0)} answers/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.failures} failed`,
        `process CPU ${perAnswer(used.user + used.system)}/answer${serverUs === null ? '' : `, server CPU ${perAnswer(serverUs)}/answer`}`,
        `${batches.length} batches: ${(batches.reduce((sum, b) => sum + b.statements, 0) / Math.max(1, batches.length)).toFixed(1)} statements each, answers median ${median(batches.map((b) => b.answers))} max ${Math.max(0, ...batches.map((b) => b.answers))}, BEGIN→COMMIT median ${median(batches.map((b) => b.ms)).toFixed(1)} ms`,
        `look-ups outside the batch: ${(lookups / result.answers).toFixed(3)} statements/answer`,
      ].join(' | '),
    );
  } finally {
    await app.close();
    await drop();
  }
}

/** CPU time (ms) of the PostgreSQL backends serving `db`'s database, from /proc; null on SQLite or elsewhere. */
async function serverCpuMs(db: App['db']): Promise<number | null> {
  if (kind !== 'postgresql') return null;
  const rows = await db.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
  let ms = 0;
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
    } catch {
      return null;
    }
  }
  return ms;
}

await run(300, false);
for (let i = 0; i < runs; i++) await run(1000, true);
