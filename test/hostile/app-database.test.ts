/**
 * A database that fails (finding 9, docs/security.md), through the terminal adapter: SQLite refusing writes (a
 * read-only connection, SQLITE_READONLY; a full database, SQLITE_FULL) answers "the database did not answer and
 * nothing was recorded" in the member's language, not the generic error, and a drop that cannot be stored is told to
 * its channel once; on PostgreSQL an administrator's shutdown of the connection inside a transaction (57P01, which
 * Prisma wraps with its own code: P2039 for a model query, P2010 for a raw one) is retried on a new connection.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, openApp } from '../../src/app.ts';
import { withRetry } from '../../src/db/retry.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/databases.ts';
import { dockerTrack, type TestEngine } from '../support/engine.ts';
import { driveTerminal, type TerminalDriver } from '../support/terminal-driver.ts';

const unavailable = 'O banco de dados não respondeu agora e nada foi registrado. Tente de novo em alguns segundos.';

async function world(kind: 'sqlite' | 'postgresql', now: Date) {
  const database = await createTestDatabase(kind);
  const app = await openApp({
    database: database.target,
    tracks: dockerTrack(),
    defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    logger: silentLogger(),
  });
  // The driver needs the app and where the clock starts.
  const terminal = driveTerminal({ app, clock: { now } } as unknown as TestEngine);
  await terminal.ready;
  return { database, app, terminal };
}

describe('a database that refuses writes (sqlite)', () => {
  let database: TestDatabase;
  let app: App;
  let terminal: TerminalDriver;

  beforeEach(async () => {
    // Monday 30 Nov 2026, 08:00 in São Paulo: an hour before #geral's first drop.
    ({ database, app, terminal } = await world('sqlite', new Date('2026-11-30T11:00:00Z')));
  });
  afterEach(async () => {
    await terminal.end();
    await app.close();
    await database.drop();
  });

  it('GIVEN a read-only database THEN a command says unavailable, and a due drop is told to #geral once', async () => {
    const cohorts = await app.db.cohort.count();
    await app.db.$executeRawUnsafe('PRAGMA query_only = ON');
    const answer = await terminal.send('turma criar ops Operações');
    expect(answer).toContain(unavailable);
    expect(answer).not.toContain('Algo deu errado');
    // The drop due at 09:00 cannot be stored: #geral is told, once that day, however often the scheduler tries.
    const first = await terminal.send('/tick 1h');
    expect(first).toContain('A lição de hoje não pôde ser registrada: o banco de dados do Trilha está só para leitura');
    const again = await terminal.send('/tick 2h');
    expect(again).not.toContain('não pôde ser registrada');
    await app.db.$executeRawUnsafe('PRAGMA query_only = OFF');
    expect(await app.db.cohort.count()).toBe(cohorts);
    expect(await terminal.send('turma criar ops Operações')).toContain('ops');
  });

  it('GIVEN a full database (SQLITE_FULL) THEN a command says unavailable in the member’s language', async () => {
    await terminal.send('idioma en');
    const [row] = (await app.db.$queryRawUnsafe('PRAGMA page_count')) as { page_count: bigint }[];
    const pages = row?.page_count ?? 0n;
    await app.db.$executeRawUnsafe(`PRAGMA max_page_count = ${Number(pages) + 2}`);
    const workspace = await app.db.workspace.findFirstOrThrow();
    // Fill the cohort table's pages, in shorter and shorter rows, until SQLite itself says it is full for each size.
    for (const size of [2000, 200, 20, 1]) {
      await expect(
        (async () => {
          for (let i = 0; i < 500; i++) {
            await app.db.$executeRawUnsafe(
              `INSERT INTO "Cohort" ("id", "workspaceId", "slug", "name", "timeZone", "createdAt") VALUES (hex(randomblob(16)), '${workspace.id}', hex(randomblob(6)), substr(hex(randomblob(${size})), 1, ${size}), 'UTC', 0)`,
            );
          }
        })(),
      ).rejects.toThrow(/full/);
    }
    const answer = await terminal.send('cohort create ops Operations');
    expect(answer).toContain(
      'The database did not answer just now and nothing was recorded. Try again in a few seconds.',
    );
    expect(answer).not.toContain('Something went wrong');
  });
});

describe.runIf(postgresUrl)('a connection shut down by an administrator (postgresql)', () => {
  let database: TestDatabase;
  let app: App;
  let terminal: TerminalDriver;

  beforeEach(async () => {
    ({ database, app, terminal } = await world('postgresql', new Date('2026-11-30T11:00:00Z')));
  });
  afterEach(async () => {
    await terminal.end();
    await app.close();
    await database.drop();
  });

  it('GIVEN 57P01 (administrator shutdown) inside a transaction THEN retried, and the command then answers for real', async () => {
    // The backend running the transaction is shut down by an administrator on the first try (the query fails with
    // 57P01, which Prisma wraps with its own code); the store retries on a new connection.
    let tries = 0;
    const result = await withRetry('hostile57P01', () =>
      app.db.$transaction(async (tx) => {
        tries += 1;
        if (tries === 1) await tx.$queryRawUnsafe('SELECT pg_terminate_backend(pg_backend_pid())');
        return tx.member.count();
      }),
    );
    expect(tries).toBe(2);
    expect(result).toBe(1);
    // The pool is healthy afterwards: a command through the terminal answers.
    expect(await terminal.send('idioma en')).toContain('English');
    expect((await app.db.member.findFirstOrThrow()).locale).toBe('en');
  });
});
