/** The tool that writes the next migration (`npm run db:migration`) on a copy of prisma/, both databases. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigrations, pendingSchemaChange } from '../../src/db/migrations.ts';
import { hasStatements } from '../../src/db/schema-engine.ts';
import {
  databaseKinds,
  migrationsDir,
  modelsPath,
  prismaDir,
  renderSchema,
  schemaPath,
} from '../../src/db/schema-files.ts';
import { postgresUrl } from '../support/databases.ts';

describe.skipIf(!postgresUrl)('db:migration', () => {
  let root: string;
  beforeEach(() => {
    root = join(mkdtempSync(join(tmpdir(), 'trilha-prisma-')), 'prisma');
    cpSync(prismaDir, root, { recursive: true });
  });
  afterEach(() => rmSync(join(root, '..'), { recursive: true, force: true }));

  it('GIVEN an unchanged schema THEN no migration is written', async () => {
    const created = await createMigrations('nothing', postgresUrl ?? '', new Date(), root);
    expect(created.map((migration) => migration.name)).toEqual([null, null]);
  });

  it('GIVEN a new field in the models THEN one migration per database adds it, and the migrations match the schema again', async () => {
    const models = readFileSync(modelsPath, 'utf8').replace(
      '  lessonsSeen    Int      @default(0)\n',
      '  lessonsSeen    Int      @default(0)\n  freezesHeld    Int      @default(0)\n',
    );
    for (const kind of databaseKinds) writeFileSync(schemaPath(kind, root), renderSchema(kind, models));

    const created = await createMigrations(
      'add_streak_freezes',
      postgresUrl ?? '',
      new Date('2030-01-02T03:04:05Z'),
      root,
    );

    for (const kind of databaseKinds) {
      const migration = created.find((candidate) => candidate.kind === kind);
      expect(migration?.name).toBe('20300102030405_add_streak_freezes');
      expect(readdirSync(migrationsDir(kind, root))).toContain('20300102030405_add_streak_freezes');
      expect(migration?.sql).toContain('freezesHeld');
      const pending = await pendingSchemaChange(kind, postgresUrl ?? undefined, root);
      expect(hasStatements(pending), pending).toBe(false);
    }
  });

  it('GIVEN a name that is not snake_case THEN it is refused before anything is written', async () => {
    await expect(createMigrations('Add Freezes', postgresUrl ?? '', new Date(), root)).rejects.toThrow(/snake_case/);
  });
});
