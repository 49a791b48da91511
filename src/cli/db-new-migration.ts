/**
 * `npm run db:migration -- <name>`: after a change to prisma/models.prisma, regenerates the schema files and clients
 * and writes one new migration per database (prisma/sqlite/migrations and prisma/postgresql/migrations), each the
 * difference between what the committed migrations build and the new schema.
 *
 * It needs a PostgreSQL server for a scratch database (TEST_POSTGRES_URL, or DATABASE_URL when it is PostgreSQL),
 * as `prisma migrate dev` needs its shadow database.
 */
import { execFileSync } from 'node:child_process';
import { createMigrations } from '../db/migrations.ts';

const label = process.argv[2];
const postgresUrl =
  process.env.TEST_POSTGRES_URL ??
  (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined);

if (!label) {
  console.error('usage: npm run db:migration -- <snake_case_name>   (for example add_streak_freezes)');
  process.exit(2);
}
if (!postgresUrl) {
  console.error(
    'db:migration needs a PostgreSQL server for a scratch database: set TEST_POSTGRES_URL=postgresql://user@127.0.0.1:5432/postgres',
  );
  process.exit(2);
}

execFileSync(process.execPath, ['--import', 'tsx', new URL('./db-generate.ts', import.meta.url).pathname], {
  stdio: 'inherit',
});
try {
  for (const migration of await createMigrations(label, postgresUrl)) {
    console.log(
      migration.name
        ? `${migration.kind}: wrote prisma/${migration.kind}/migrations/${migration.name}/migration.sql`
        : `${migration.kind}: no change, no migration written`,
    );
  }
} catch (error) {
  console.error(`db:migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
