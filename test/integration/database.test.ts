import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/db/generated/sqlite/client.ts';
import { migrateDatabase, pendingSchemaChange } from '../../src/db/migrations.ts';
import { type Db, openPrisma, sqliteMaxVariables } from '../../src/db/prisma-client.ts';
import { diffDatabaseToSchema, hasStatements, readMigrationList } from '../../src/db/schema-engine.ts';
import { databaseKinds, renderSchema, schemaPath } from '../../src/db/schema-files.ts';
import { availableKinds, createTestDatabase, postgresUrl, type TestDatabase } from '../support/databases.ts';

describe('schema files', () => {
  it.each(databaseKinds)(
    'GIVEN models.prisma THEN prisma/%s/schema.prisma is its rendering (run npm run db:generate)',
    (kind) => {
      expect(readFileSync(schemaPath(kind), 'utf8')).toBe(renderSchema(kind));
    },
  );

  it('GIVEN both migration folders THEN they hold the same migrations, one lock file each', () => {
    const names = (kind: (typeof databaseKinds)[number]) =>
      readMigrationList(kind).migrationDirectories.map((directory) => directory.path);
    expect(names('sqlite').length).toBeGreaterThan(0);
    expect(names('postgresql')).toEqual(names('sqlite'));
    for (const kind of databaseKinds) {
      expect(readMigrationList(kind).lockfile.content).toContain(`provider = "${kind}"`);
    }
  });
});

describe.each(availableKinds)('%s database', (kind) => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await database.drop();
  });

  it('GIVEN an empty database WHEN migrated twice THEN the first run applies every migration and the second none', async () => {
    const all = readMigrationList(kind).migrationDirectories.map((directory) => directory.path);
    expect(await migrateDatabase(database.target)).toEqual(all);
    expect(await migrateDatabase(database.target)).toEqual([]);
  });

  it('GIVEN a database used before and open in another process WHEN a second process starts THEN its migration step passes', async () => {
    await migrateDatabase(database.target);
    const earlier = await openPrisma(database.target);
    await earlier.$disconnect();
    // The running process: its connection stays open while the next one starts (a restart, a second replica).
    const running = await openPrisma(database.target);
    try {
      await running.$queryRawUnsafe('SELECT 1');
      expect(await migrateDatabase(database.target)).toEqual([]);
    } finally {
      await running.$disconnect();
    }
  });

  it('GIVEN one migration recorded as not applied THEN the schema engine runs for it (and fails here: its tables exist), so the shortcut skipped nothing', async () => {
    const all = readMigrationList(kind).migrationDirectories.map((directory) => directory.path);
    await migrateDatabase(database.target);
    const prisma = await openPrisma(database.target);
    try {
      // The last migration forgotten: the shortcut must not skip it.
      await prisma.$executeRawUnsafe(`DELETE FROM _prisma_migrations WHERE migration_name = '${all.at(-1)}'`);
    } finally {
      await prisma.$disconnect();
    }
    await expect(migrateDatabase(database.target)).rejects.toThrow();
  });

  it('GIVEN a migrated database THEN the schema engine finds no difference from the Prisma schema', async () => {
    await migrateDatabase(database.target);
    const diff = await diffDatabaseToSchema(kind, database.target.url);
    expect(hasStatements(diff), diff).toBe(false);
  });

  it('GIVEN a database that lacks a table THEN the same diff is not empty (the check can fail)', async () => {
    await migrateDatabase(database.target);
    const prisma = await openPrisma(database.target);
    try {
      await prisma.$executeRawUnsafe('DROP TABLE "LessonProgress"');
    } finally {
      await prisma.$disconnect();
    }
    const diff = await diffDatabaseToSchema(kind, database.target.url);
    expect(diff).toContain('LessonProgress');
  });

  describe('uniqueness rules', () => {
    let prisma: Db;

    beforeEach(async () => {
      await migrateDatabase(database.target);
      prisma = await openPrisma(database.target);
    });
    afterEach(async () => {
      await prisma.$disconnect();
    });

    async function seed() {
      const workspace = await prisma.workspace.create({ data: { platform: 'slack', externalId: 'T1', name: 'Acme' } });
      const member = await prisma.member.create({
        data: {
          displayName: 'Ana',
          identities: { create: { workspaceId: workspace.id, platform: 'slack', externalId: 'U1' } },
        },
      });
      const channel = await prisma.channel.create({
        data: { workspaceId: workspace.id, externalId: 'C1', trackId: 'docker', startDate: '2026-11-30' },
      });
      const drop = await prisma.drop.create({
        data: {
          channelId: channel.id,
          localDate: '2026-11-30',
          trackId: 'docker',
          lessonId: 'what-is-docker',
          claimedBy: 'p1',
        },
      });
      const posted = await prisma.postedQuestion.create({
        data: { dropId: drop.id, trackId: 'docker', questionId: 'what-is-docker.hypervisor', position: 0 },
      });
      return { workspace, member, channel, drop, posted };
    }

    it('GIVEN an answer to a posted question WHEN the same member answers it again THEN the database rejects it', async () => {
      const { member, posted } = await seed();
      const answer = {
        memberId: member.id,
        trackId: 'docker',
        questionId: posted.questionId,
        postedQuestionId: posted.id,
        context: 'channel_quiz' as const,
        choice: 1,
        correct: true,
        localDate: '2026-11-30',
      };
      await prisma.attempt.create({ data: { ...answer, dedupeKey: `pq:${posted.id}` } });
      await expect(
        prisma.attempt.create({ data: { ...answer, choice: 2, dedupeKey: 'other-key' } }),
      ).rejects.toMatchObject({
        code: 'P2002',
      });
      expect(await prisma.attempt.count()).toBe(1);
    });

    it('GIVEN a self-study answer WHEN the same dedupe key comes again THEN the database rejects it', async () => {
      const { member } = await seed();
      const answer = {
        memberId: member.id,
        trackId: 'docker',
        questionId: 'shared-kernel.macos-vm',
        context: 'self_study' as const,
        dedupeKey: 'session-1:shared-kernel.macos-vm',
        choice: 0,
        correct: false,
        localDate: '2026-11-30',
      };
      await prisma.attempt.create({ data: answer });
      await expect(prisma.attempt.create({ data: answer })).rejects.toMatchObject({ code: 'P2002' });
      // Another session may ask the same question again: a new key is a new answer.
      await prisma.attempt.create({ data: { ...answer, dedupeKey: 'session-2:shared-kernel.macos-vm' } });
      expect(await prisma.attempt.count()).toBe(2);
    });

    it('GIVEN a drop for a channel and date WHEN a second drop claims the same slot THEN the database rejects it', async () => {
      const { channel } = await seed();
      await expect(
        prisma.drop.create({
          data: {
            channelId: channel.id,
            localDate: '2026-11-30',
            trackId: 'docker',
            lessonId: 'shared-kernel',
            claimedBy: 'p2',
          },
        }),
      ).rejects.toMatchObject({ code: 'P2002' });
      // The next local date is a different slot.
      await prisma.drop.create({
        data: {
          channelId: channel.id,
          localDate: '2026-12-01',
          trackId: 'docker',
          lessonId: 'shared-kernel',
          claimedBy: 'p2',
        },
      });
      expect(await prisma.drop.count()).toBe(2);
    });

    it('GIVEN a platform identity WHEN a second member claims it THEN the database rejects it', async () => {
      const { workspace } = await seed();
      await expect(
        prisma.member.create({
          data: {
            displayName: 'Ana again',
            identities: { create: { workspaceId: workspace.id, platform: 'slack', externalId: 'U1' } },
          },
        }),
      ).rejects.toMatchObject({ code: 'P2002' });
      expect(await prisma.identity.count()).toBe(1);
    });
  });
});

describe('SQLite specifics', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    await database.drop();
  });

  it('GIVEN a SQLite path in a missing folder THEN the folder is created and the journal is WAL with a busy timeout', async () => {
    if (database.target.kind !== 'sqlite') throw new Error('unreachable');
    await migrateDatabase(database.target);
    expect(existsSync(database.target.filePath)).toBe(true);
    const prisma = await openPrisma(database.target);
    try {
      const [journal] = await prisma.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      const [busy] = await prisma.$queryRawUnsafe<{ timeout: bigint | number }[]>('PRAGMA busy_timeout');
      expect(journal?.journal_mode).toBe('wal');
      expect(Number(busy?.timeout)).toBeGreaterThanOrEqual(5000);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('GIVEN a transaction open on the one SQLite connection WHEN a plain write runs meanwhile and the transaction rolls back THEN the plain write is kept', async () => {
    if (database.target.kind !== 'sqlite') throw new Error('unreachable');
    await migrateDatabase(database.target);
    const prisma = await openPrisma(database.target);
    try {
      const before = await prisma.member.create({ data: { displayName: 'before' } });
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const transaction = prisma.$transaction(async (tx) => {
        await tx.member.create({ data: { displayName: 'inside, rolled back' } });
        await held;
        throw new Error('rolled back on purpose');
      });
      // Issued while the transaction is open (a single-statement write: no transaction of its own): it must not
      // become part of it.
      const plain = Promise.all([
        prisma.member.create({ data: { displayName: 'created outside, kept' } }),
        prisma.member.updateMany({ where: { id: before.id }, data: { displayName: 'renamed outside, kept' } }),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      await expect(transaction).rejects.toThrow('rolled back on purpose');
      await plain;
      const names = (await prisma.member.findMany()).map((member) => member.displayName);
      expect(names.sort()).toEqual(['created outside, kept', 'renamed outside, kept']);
    } finally {
      await prisma.$disconnect();
    }
  });

  it(`GIVEN the SQLite that better-sqlite3 ships THEN a statement takes ${sqliteMaxVariables} parameters, the limit Prisma is told`, async () => {
    if (database.target.kind !== 'sqlite') throw new Error('unreachable');
    await migrateDatabase(database.target);
    const prisma = await openPrisma(database.target);
    try {
      const inList = (count: number) =>
        Prisma.sql`SELECT COUNT(*) AS n FROM "Member" WHERE "id" IN (${Prisma.join(Array.from({ length: count }, (_, i) => `m${i}`))})`;
      const [row] = await prisma.$queryRaw<{ n: bigint | number }[]>(inList(sqliteMaxVariables));
      expect(Number(row?.n)).toBe(0);
      await expect(prisma.$queryRaw(inList(sqliteMaxVariables + 1))).rejects.toThrow(/too many SQL variables/);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('committed migrations', () => {
  it.each(availableKinds)(
    'GIVEN the %s migrations THEN they build exactly the current schema (no pending change)',
    async (kind) => {
      const sql = await pendingSchemaChange(kind, postgresUrl ?? undefined);
      expect(hasStatements(sql), `run npm run db:migration -- <name>:\n${sql}`).toBe(false);
    },
  );
});
