/**
 * Composition root: configuration → content → database. Until the learning engine and its terminal chat exist, the
 * start checks those three and reports what it found.
 */
import { relative } from 'node:path';
import { ConfigError, loadConfig } from './config/env.ts';
import { formatProblem, loadTracks } from './content/load-tracks.ts';
import { trackStats } from './content/track-stats.ts';
import { redactDatabaseUrl } from './db/database-url.ts';
import { migrateDatabase } from './db/migrations.ts';
import { openPrisma } from './db/prisma-client.ts';

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  const { tracks, problems } = loadTracks(config.contentDir);
  if (problems.length > 0) {
    console.error(`Content has ${problems.length} problem(s); fix them and start again:`);
    for (const problem of problems) console.error(`  ${formatProblem(problem)}`);
    return 1;
  }
  for (const track of tracks) {
    const stats = trackStats(track);
    console.log(`content: track "${track.id}" — ${stats.lessons} lessons, ${stats.questions} questions`);
  }

  const where =
    config.database.kind === 'sqlite'
      ? `SQLite at ${relative(process.cwd(), config.database.filePath) || config.database.filePath}`
      : `PostgreSQL at ${redactDatabaseUrl(config.database.url)}`;
  try {
    const applied = await migrateDatabase(config.database);
    console.log(
      `database: ${where} — ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'migrations up to date'}`,
    );
    const prisma = await openPrisma(config.database);
    try {
      const [members, channels, attempts] = await Promise.all([
        prisma.member.count(),
        prisma.channel.count(),
        prisma.attempt.count(),
      ]);
      console.log(`database: ${members} member(s), ${channels} channel(s), ${attempts} answer(s) recorded`);
    } finally {
      await prisma.$disconnect();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`database: cannot use ${where}: ${message.split('\n')[0]}`);
    return 1;
  }
  console.log(`Trilha is ready (locale ${config.defaultLocale}, time zone ${config.defaultTimeZone}).`);
  return 0;
}

process.exitCode = await main();
