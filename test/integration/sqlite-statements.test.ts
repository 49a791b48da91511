/**
 * The answer path's statements on SQLite run on better-sqlite3 directly (src/db/sqlite-statements.ts), beside
 * Prisma's own on the same connection: what one path writes, the other must read the same, byte for byte in the file
 * (SQL compares dates as text), and a multi-row write of any size, cut into chunks, must write exactly its rows.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { driverQuery, inDriverTransaction } from '../../src/db/driver-transaction.ts';
import { Prisma } from '../../src/db/generated/sqlite/client.ts';
import { type Db, openPrisma } from '../../src/db/prisma-client.ts';
import { chunkSizes, chunks, maxStatements, SqliteStatements } from '../../src/db/sqlite-statements.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

describe('chunks', () => {
  it('GIVEN any row count THEN the chunks cover every row once, in order, each of a fixed size, few of them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000 }), (rows) => {
        const cut = [...chunks(rows)];
        let next = 0;
        for (const [first, count] of cut) {
          expect(first).toBe(next);
          expect(chunkSizes).toContain(count);
          next += count;
        }
        expect(next).toBe(rows);
        // Largest first: at most one of each smaller size.
        expect(cut.length).toBeLessThanOrEqual(Math.floor(rows / chunkSizes[0]) + chunkSizes.length - 1);
      }),
    );
  });
});

describe('SqliteStatements', () => {
  it('GIVEN more texts than it keeps THEN it keeps at most its bound, and a statement in use is not prepared again', async () => {
    const database = await createTestDatabase('sqlite');
    if (database.target.kind !== 'sqlite') throw new Error('a SQLite test database');
    mkdirSync(dirname(database.target.filePath), { recursive: true });
    const handle = new Database(database.target.filePath);
    let prepared = 0;
    const prepare = handle.prepare.bind(handle);
    handle.prepare = ((sql: string) => {
      prepared++;
      return prepare(sql);
    }) as typeof handle.prepare;
    try {
      const statements = new SqliteStatements(handle);
      const hot = 'SELECT ? AS "n"';
      expect(statements.all(hot, [1])).toEqual([{ n: 1 }]);
      for (let i = 0; i < maxStatements * 2; i++) {
        expect(statements.all(`SELECT ${i} AS "n"`, [])).toEqual([{ n: i }]);
        expect(statements.all(hot, [i])).toEqual([{ n: i }]);
        expect(statements.size).toBeLessThanOrEqual(maxStatements);
      }
      // The hot text once, every other text once: nothing used since was dropped.
      expect(prepared).toBe(1 + maxStatements * 2);
    } finally {
      handle.close();
      await database.drop();
    }
  });
});

describe('statements on better-sqlite3 beside Prisma (SQLite)', () => {
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    database = await createTestDatabase('sqlite', { migrated: true });
    db = await openPrisma(database.target);
  });

  afterEach(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it('GIVEN a workspace and channel written directly and their twins written by Prisma THEN the file holds the same text and Prisma reads them the same', async () => {
    const createdAt = new Date(Date.now() - 123_456);
    const completedAt = new Date(createdAt.getTime() + 1);
    await inDriverTransaction(db, async (tx) => {
      await tx.executeValues(
        'INSERT INTO "Workspace" ("id", "platform", "externalId", "name", "createdAt")',
        ['text', 'text', 'text', 'text', 'timestamp(3)'],
        ['direct', 'slack', 'T1', 'Direct', createdAt],
      );
      await tx.executeValues(
        'INSERT INTO "Channel" ("id", "workspaceId", "externalId", "trackId", "startDate", "paused", "trackCompletedAt", "updatedAt")',
        ['text', 'text', 'text', 'text', 'text', 'boolean', 'timestamp(3)', 'timestamp(3)'],
        ['direct-channel', 'direct', 'C1', 'docker', '2026-01-01', true, completedAt, createdAt],
      );
    });
    await db.workspace.create({
      data: { id: 'prisma', platform: 'slack', externalId: 'T2', name: 'Prisma', createdAt },
    });
    await db.channel.create({
      data: {
        id: 'prisma-channel',
        workspaceId: 'prisma',
        externalId: 'C2',
        trackId: 'docker',
        startDate: '2026-01-01',
        paused: true,
        trackCompletedAt: completedAt,
        updatedAt: createdAt,
      },
    });

    const stored = await driverQuery<{ id: string; at: unknown; kind: string }>(
      db,
      Prisma.sql`SELECT "id", "createdAt" AS "at", typeof("createdAt") AS "kind" FROM "Workspace"
        UNION ALL SELECT "id", "trackCompletedAt" || '/' || "paused", typeof("trackCompletedAt") FROM "Channel"
        ORDER BY "id"`,
    );
    const byId = new Map(stored.map((row) => [row.id, row]));
    expect(byId.get('direct')).toEqual({ ...byId.get('prisma'), id: 'direct' });
    expect(byId.get('direct-channel')).toEqual({ ...byId.get('prisma-channel'), id: 'direct-channel' });

    const channels = await db.channel.findMany({ orderBy: { id: 'asc' } });
    expect(channels.map((c) => [c.paused, c.trackCompletedAt?.getTime()])).toEqual([
      [true, completedAt.getTime()],
      [true, completedAt.getTime()],
    ]);
    const workspaces = await db.workspace.findMany({ where: { createdAt } });
    expect(workspaces.map((w) => w.id).sort()).toEqual(['direct', 'prisma']);
  });

  it('GIVEN multi-row writes of many sizes in one transaction THEN each writes exactly its rows, and a later row meets an earlier one', async () => {
    await db.workspace.create({ data: { id: 'w', platform: 'slack', externalId: 'T', name: 'W' } });
    const sizes = [1, 3, 64, 255, 300, 513];
    const now = new Date();
    const ids: string[] = [];
    await inDriverTransaction(db, async (tx) => {
      for (const size of sizes) {
        const args: unknown[] = [];
        for (let i = 0; i < size; i++) {
          const id = `c${size}-${i}`;
          ids.push(id);
          args.push(id, 'w', id, 'docker', '2026-01-01', now);
        }
        // The last row repeats the first one's key: the upsert must meet it, as in one statement.
        args.push(`c${size}-0`, 'w', `c${size}-0`, 'docker', '2026-02-02', now);
        await tx.executeValues(
          'INSERT INTO "Channel" ("id", "workspaceId", "externalId", "trackId", "startDate", "updatedAt")',
          ['text', 'text', 'text', 'text', 'text', 'timestamp(3)'],
          args,
          'ON CONFLICT ("id") DO UPDATE SET "startDate" = excluded."startDate"',
        );
      }
      const found = await tx.query<{ id: string }>(
        Prisma.sql`SELECT "id" FROM "Channel" WHERE "id" ${tx.oneOf(ids)} ORDER BY "id"`,
      );
      expect(found.map((row) => row.id)).toEqual([...ids].sort());
    });
    const channels = await db.channel.findMany({ select: { id: true, startDate: true } });
    expect(channels).toHaveLength(ids.length);
    for (const size of sizes) {
      expect(channels.find((c) => c.id === `c${size}-0`)?.startDate).toBe('2026-02-02');
      expect(channels.find((c) => c.id === `c${size}-1`)?.startDate ?? '2026-01-01').toBe('2026-01-01');
    }
  });

  it('GIVEN a duplicate key written directly THEN the transaction fails with the unique-violation code and leaves nothing', async () => {
    const write = () =>
      inDriverTransaction(db, async (tx) => {
        await tx.executeValues(
          'INSERT INTO "Workspace" ("id", "platform", "externalId", "name")',
          ['text', 'text', 'text', 'text'],
          ['a', 'slack', 'T', 'A', 'b', 'slack', 'T', 'B'],
        );
      });
    await expect(write()).rejects.toMatchObject({ code: 'P2002' });
    expect(await db.workspace.count()).toBe(0);
  });
});
