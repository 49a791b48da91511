/**
 * Composition root: configuration → content → database (migrated) → engine → an adapter. With SLACK_BOT_TOKEN set,
 * the Slack adapter and the drop scheduler run until SIGINT or SIGTERM; otherwise `npm start` opens the terminal chat:
 * a prompt on a TTY, script mode for `--script <file>` or piped stdin (how end-to-end runs drive it).
 *
 * Logs are JSON lines on stderr, so stdout carries only the chat.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { relative } from 'node:path';
import { startSlack } from './adapters/slack/slack.adapter.ts';
import { runTerminal } from './adapters/terminal/terminal.adapter.ts';
import { parseTerminalArgs } from './adapters/terminal/terminal-args.ts';
import { openApp } from './app.ts';
import { ConfigError, loadConfig } from './config/env.ts';
import { formatProblem, loadTracks } from './content/load-tracks.ts';
import { trackStats } from './content/track-stats.ts';
import { redactDatabaseUrl } from './db/database-url.ts';
import { migrateDatabase } from './db/migrations.ts';
import { translator } from './i18n/translator.ts';
import { createLogger, type Logger } from './runtime/logger.ts';
import { DropScheduler } from './scheduler/drop-scheduler.ts';

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
  const { t } = translator(config.defaultLocale);

  const parsed = parseTerminalArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(t(parsed.error, parsed.values));
    return 1;
  }
  const { script, now } = parsed.args;
  if (script !== undefined) {
    try {
      await access(script);
    } catch {
      console.error(t('terminal.args.no_script', { file: script }));
      return 1;
    }
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

  const logger = createLogger(config.logLevel, process.stderr);
  const where =
    config.database.kind === 'sqlite'
      ? `SQLite at ${relative(process.cwd(), config.database.filePath) || config.database.filePath}`
      : `PostgreSQL at ${redactDatabaseUrl(config.database.url)}`;
  let app: Awaited<ReturnType<typeof openApp>> | undefined;
  try {
    const applied = await migrateDatabase(config.database);
    console.log(
      `database: ${where} — ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'migrations up to date'}`,
    );
    app = await openApp({
      database: config.database,
      tracks,
      defaults: { locale: config.defaultLocale, timeZone: config.defaultTimeZone },
      logger,
      migrate: false,
    });
    const [members, channels, attempts] = await Promise.all([
      app.db.member.count(),
      app.db.channel.count(),
      app.db.attempt.count(),
    ]);
    console.log(`database: ${members} member(s), ${channels} channel(s), ${attempts} answer(s) recorded`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`database: cannot use ${where}: ${message.split('\n')[0]}`);
    await app?.close();
    return 1;
  }
  console.log(`Trilha is ready (locale ${config.defaultLocale}, time zone ${config.defaultTimeZone}).`);

  if (config.slack) return runSlack(app, config.slack, logger);

  const interactive = script === undefined && process.stdin.isTTY === true;
  const input = script !== undefined ? createReadStream(script, { encoding: 'utf8' }) : process.stdin;
  try {
    await runTerminal({
      app,
      input,
      output: process.stdout,
      interactive,
      ...(now !== undefined && { now }),
      color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    });
  } finally {
    await app.close();
    // After /quit the rest of piped stdin is not read; let go of it so the process can end.
    if (input !== process.stdin) input.destroy();
    else process.stdin.pause();
  }
  return 0;
}

process.exitCode = await main();

/** Slack and the scheduler until SIGINT or SIGTERM; then both stop and the database closes. */
async function runSlack(
  app: Awaited<ReturnType<typeof openApp>>,
  slack: NonNullable<ReturnType<typeof loadConfig>['slack']>,
  logger: Logger,
): Promise<number> {
  let runtime: Awaited<ReturnType<typeof startSlack>>;
  try {
    runtime = await startSlack({
      app,
      botToken: slack.botToken,
      ...(slack.appToken ? { appToken: slack.appToken } : {}),
      ...(slack.signingSecret ? { signingSecret: slack.signingSecret } : {}),
      ...(slack.apiUrl ? { apiUrl: slack.apiUrl } : {}),
      port: slack.port,
      path: slack.path,
      admins: slack.admins,
      logger,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`slack: cannot connect: ${message.split('\n')[0]}`);
    await app.close();
    return 1;
  }
  const scheduler = new DropScheduler({
    services: app.services,
    notifier: runtime.notifier,
    logger,
    owner: `${hostname()}:${process.pid}`,
  });
  scheduler.start(() => new Date());
  console.log(
    runtime.port === null ? 'slack: connected (Socket Mode)' : `slack: listening on port ${runtime.port} (HTTP mode)`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await scheduler.stop();
  await runtime.stop();
  await app.close();
  return 0;
}
