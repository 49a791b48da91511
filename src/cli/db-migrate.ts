/** `npm run db:migrate`: applies the pending migrations to the database DATABASE_URL names, and nothing else. */
import { ConfigError, loadConfig } from '../config/env.ts';
import { redactDatabaseUrl } from '../db/database-url.ts';
import { migrateDatabase } from '../db/migrations.ts';

try {
  const { database } = loadConfig();
  const applied = await migrateDatabase(database);
  const where = database.kind === 'sqlite' ? database.filePath : redactDatabaseUrl(database.url);
  console.log(applied.length > 0 ? `${where}: applied ${applied.join(', ')}` : `${where}: migrations up to date`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `db:migrate failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
