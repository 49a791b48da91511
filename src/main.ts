/**
 * Composition root: configuration → content → database (migrated) → engine → the adapters. With SLACK_BOT_TOKEN or
 * DISCORD_TOKEN set, those platforms (both, when both are set) and a drop scheduler per platform run until SIGINT or
 * SIGTERM; otherwise `npm start` opens the terminal chat:
 * a prompt on a TTY, script mode for `--script <file>` or piped stdin (how end-to-end runs drive it), in the
 * workspace `--workspace <name>` names (the default one otherwise).
 *
 * Logs are JSON lines on stderr, so stdout carries only the chat; in the interactive chat they go to a file
 * (runtime/logger.ts `logOutputFor`). The banner names paths as the user gave them. A rejection nothing handled is
 * logged and the process keeps serving; an uncaught exception is logged and ends the process cleanly with exit code
 * 1, for the supervisor to restart it (why: src/ops/process-policy.ts).
 */
import { createReadStream, mkdirSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  computerLogin,
  ownerNameFor,
  runTerminal,
  terminalWorkspaceNamed,
} from './adapters/terminal/terminal.adapter.ts';
import { parseTerminalArgs } from './adapters/terminal/terminal-args.ts';
import { type App, openApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config/env.ts';
import { formatProblem, loadTracks } from './content/load-tracks.ts';
import { trackStats } from './content/track-stats.ts';
import type { Notifier } from './core/message.ts';
import type { Platform } from './core/ports/members.port.ts';
import { redactDatabaseUrl } from './db/database-url.ts';
import { migrateDatabase } from './db/migrations.ts';
import { translator } from './i18n/translator.ts';
import { currentLogContext } from './ops/log-context.ts';
import { countLinkCodeWrong, countRateLimited, Metrics } from './ops/metrics.ts';
import { type OpsServer, startOpsServer } from './ops/ops-server.ts';
import { installProcessPolicy } from './ops/process-policy.ts';
import { releaseStartupMemory } from './ops/startup-memory.ts';
import { createLogger, type Logger, logDestination, logOutputFor } from './runtime/logger.ts';
import type { Telemetry } from './runtime/telemetry.ts';
import { DropScheduler } from './scheduler/drop-scheduler.ts';

/** Longest a shutdown may take: SIGTERM is followed by SIGKILL after 10 s (Docker's and Kubernetes' default). */
const shutdownBudgetMs = 9_000;
/** Of that, how long interactions in flight may take to finish. */
const drainMs = 5_000;

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
  const { script, now, workspace } = parsed.args;
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

  const interactiveChat = !config.slack && !config.discord && script === undefined && process.stdin.isTTY === true;
  const logOutput = logOutputFor({ logFile: config.logFile, interactiveChat, stderrIsTTY: process.stderr.isTTY });
  let destination: Awaited<ReturnType<typeof logDestination>>;
  try {
    if (logOutput.kind === 'file') mkdirSync(dirname(logOutput.path), { recursive: true });
    destination = await logDestination(logOutput);
  } catch (error) {
    console.error(
      `logs: cannot write ${logOutput.kind === 'file' ? logOutput.path : 'stderr'} (TRILHA_LOG_FILE): ${error}`,
    );
    return 1;
  }
  if (logOutput.kind === 'file') console.log(`logs: ${logOutput.path}`);
  const logger = createLogger(config.logLevel, destination, {
    secrets: secretsOf(config),
    context: currentLogContext,
  });
  const shard = shardOfThisProcess();
  if (config.discord?.shards !== undefined && shard === null) return runShardManager(config.discord, logger);
  if (shard !== null) config = shardConfig(config, shard);
  // Metrics exist when the operations endpoints are served (TRILHA_HTTP_PORT; on by default with a platform).
  const metrics = config.httpPort === null ? null : new Metrics();
  installProcessPolicy({ logger, metrics, onFatal });
  const where =
    config.database.kind === 'sqlite'
      ? `SQLite at ${config.database.given ?? config.database.filePath}`
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
      ...(metrics ? { telemetry: telemetryOf(metrics) } : {}),
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

  if (config.slack || config.discord) return runPlatforms(app, config, logger, metrics);

  const ops =
    metrics && config.httpPort !== null
      ? await startOps(app, opsAddress(config, config.httpPort), metrics, logger, {})
      : null;

  const interactive = script === undefined && process.stdin.isTTY === true;
  const input = script !== undefined ? createReadStream(script, { encoding: 'utf8' }) : process.stdin;
  try {
    await runTerminal({
      app,
      input,
      output: process.stdout,
      interactive,
      ...(now !== undefined && { now }),
      ...(workspace !== undefined && { workspace: terminalWorkspaceNamed(workspace) }),
      color: process.stdout.isTTY === true && !process.env.NO_COLOR,
      filesDir: resolve('data', 'files'),
      ownerName: ownerNameFor(computerLogin()),
    });
  } finally {
    await ops?.close();
    await app.close();
    // After /quit the rest of piped stdin is not read; let go of it so the process can end.
    if (input !== process.stdin) input.destroy();
    else process.stdin.pause();
  }
  return 0;
}

/** Set while the platforms run: starts their shutdown as a signal does ('fatal' after an uncaught exception). */
let stopRequest: ((reason: string) => void) | null = null;
let fatalSeen = false;

/** After an uncaught exception: the platforms' clean shutdown when they run (exit code 1 even if a signal began it). */
function onFatal(): void {
  fatalSeen = true;
  if (stopRequest) stopRequest('fatal');
  else process.exit(1);
}

const exitCode = await main();
process.exitCode = fatalSeen ? 1 : exitCode;

/** A platform's part in a shutdown, in the order they were started (stopped in reverse). */
interface Running {
  readonly name: string;
  stop(): Promise<void>;
}

/**
 * Every configured platform, each with its own drop scheduler (a scheduler posts only in its platform's channels),
 * and the operations endpoints, until SIGINT or SIGTERM. Then, in order: readiness turns 503 (a load balancer stops
 * sending), the schedulers stop (a running tick finishes), each platform stops taking interactions and lets those in
 * flight finish before disconnecting, the answer batches reach the database and it closes, the endpoints close.
 */
async function runPlatforms(app: App, config: Config, logger: Logger, metrics: Metrics | null): Promise<number> {
  const running: Running[] = [];
  const stopAll = async () => {
    for (const part of [...running].reverse()) {
      await part.stop().catch((error: unknown) => logger.error({ err: error, part: part.name }, 'stop failed'));
    }
    await app.close();
  };
  const schedule = (platform: Platform, notifier: Notifier) => {
    const scheduler = new DropScheduler({
      services: app.services,
      notifier,
      logger,
      owner: `${hostname()}:${process.pid}`,
      platform,
      jobs: app.jobs,
    });
    scheduler.start(() => new Date());
    // Registered after the platform, so stopped before it: no drop is posted through a closing connection.
    running.push({ name: `${platform} scheduler`, stop: () => scheduler.stop() });
  };
  const checks: Record<string, () => Promise<boolean>> = {};
  try {
    // Each platform's library is loaded only when that platform is configured: the terminal chat starts without them.
    if (config.slack) {
      const slack = config.slack;
      const { startSlack } = await import('./adapters/slack/slack.adapter.ts');
      const runtime = await startSlack({
        app,
        botToken: slack.botToken,
        ...(slack.appToken ? { appToken: slack.appToken } : {}),
        ...(slack.signingSecret ? { signingSecret: slack.signingSecret } : {}),
        ...(slack.apiUrl ? { apiUrl: slack.apiUrl } : {}),
        port: slack.port,
        host: slack.host,
        path: slack.path,
        admins: slack.admins,
        logger,
        ...(metrics
          ? {
              onInteraction: (kind, seconds) => metrics.interaction('slack', kind, seconds),
              onApiError: (code) => metrics.apiError('slack', code),
              onRejected: (reason) => metrics.httpRejected('slack', reason),
            }
          : {}),
      }).catch((error: unknown) => {
        throw new Error(`slack: cannot connect: ${firstLine(error)}`);
      });
      running.push({ name: 'slack', stop: () => runtime.stop(drainMs) });
      checks.slack = async () => runtime.connected();
      schedule('slack', runtime.notifier);
      app.dispatcher.notifyThrough('slack', runtime.notifier);
      console.log(
        runtime.port === null
          ? 'slack: connected (Socket Mode)'
          : `slack: listening on port ${runtime.port} of ${slack.host} (HTTP mode)`,
      );
    }
    if (config.discord) {
      const discord = config.discord;
      const { startDiscord } = await import('./adapters/discord/discord.adapter.ts');
      const runtime = await startDiscord({
        app,
        token: discord.token,
        ...(discord.apiUrl ? { apiUrl: discord.apiUrl } : {}),
        logger,
        ...(metrics
          ? {
              onInteraction: (kind, seconds) => metrics.interaction('discord', kind, seconds),
              onApiError: (code) => metrics.apiError('discord', code),
            }
          : {}),
      }).catch((error: unknown) => {
        throw new Error(`discord: cannot connect: ${firstLine(error)}`);
      });
      running.push({ name: 'discord', stop: () => runtime.stop(drainMs) });
      checks.discord = async () => runtime.connected();
      schedule('discord', runtime.notifier);
      app.dispatcher.notifyThrough('discord', runtime.notifier);
      console.log(
        `discord: connected as ${runtime.client.user?.username ?? '?'} (${runtime.client.guilds.cache.size} server(s))`,
      );
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    await stopAll();
    return 1;
  }
  let ops: OpsServer | null = null;
  if (metrics && config.httpPort !== null) {
    try {
      ops = await startOps(app, opsAddress(config, config.httpPort), metrics, logger, checks);
    } catch (error) {
      console.error(`ops: cannot listen on port ${config.httpPort}: ${firstLine(error)}`);
      await stopAll();
      return 1;
    }
  }
  const stopped = new Promise<string>((resolve) => {
    stopRequest = resolve;
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // Everything is connected: what start-up left behind is collected once (src/ops/startup-memory.ts).
  logger.info({ ms: Math.round(releaseStartupMemory()) }, 'start-up memory released');
  const signal = await stopped;
  logger.info({ signal }, 'shutting down');
  // Whatever hangs, the process ends inside the budget, and says so.
  const watchdog = setTimeout(() => {
    logger.error({ budgetMs: shutdownBudgetMs }, 'shutdown took too long; exiting');
    process.exit(1);
  }, shutdownBudgetMs);
  watchdog.unref();
  ops?.setDraining();
  await stopAll();
  await ops?.close();
  clearTimeout(watchdog);
  return signal === 'fatal' ? 1 : 0;
}

interface OpsAddress {
  readonly port: number;
  readonly host: string;
  readonly metricsToken: string | null;
}

function opsAddress(config: Config, port: number): OpsAddress {
  return { port, host: config.httpHost, metricsToken: config.metricsToken };
}

/** /healthz, /readyz (the database answers, each platform is connected) and /metrics on `port`. */
async function startOps(
  app: App,
  address: OpsAddress,
  metrics: Metrics,
  logger: Logger,
  checks: Record<string, () => Promise<boolean>>,
): Promise<OpsServer> {
  const ops = await startOpsServer({
    ...address,
    metrics,
    logger,
    checks: { database: () => app.ping(), ...checks },
  });
  const guarded = address.metricsToken ? ' (bearer token)' : '';
  console.log(`ops: /healthz, /readyz and /metrics${guarded} on port ${ops.port} of ${address.host}`);
  return ops;
}

/** The engine's counters as Prometheus metrics. */
function telemetryOf(metrics: Metrics): Telemetry {
  return {
    answer: (platform, outcome) => metrics.answer(platform, outcome === 'scored' ? 'recorded' : outcome),
    dropPosted: (platform) => metrics.dropPosted(platform),
    dropFailed: (platform, reason) => metrics.dropFailed(platform, reason),
    schedulerTick: (seconds, lag) => metrics.schedulerTick(seconds, lag),
    rateLimited: (platform, limit) => countRateLimited(metrics, platform, limit),
    linkCodeWrong: (platform) => countLinkCodeWrong(metrics, platform),
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** This process's shard id when discord.js's ShardingManager started it (it sets SHARDING_MANAGER and SHARDS). */
function shardOfThisProcess(): number | null {
  if (!process.env.SHARDING_MANAGER || process.env.SHARDS === undefined) return null;
  const id = Number(process.env.SHARDS);
  return Number.isInteger(id) ? id : null;
}

/**
 * A shard's share of the configuration: Discord for its shard (discord.js reads SHARDS and SHARD_COUNT itself), Slack
 * only in shard 0, and the operations endpoints on the configured port plus the shard id, so shards on one machine do
 * not collide.
 */
function shardConfig(config: Config, shard: number): Config {
  const httpPort = config.httpPort === null || config.httpPort === 0 ? config.httpPort : config.httpPort + shard;
  return { ...config, slack: shard === 0 ? config.slack : null, httpPort };
}

/**
 * DISCORD_SHARDS set: this process only runs discord.js's ShardingManager, which starts one process per shard on this
 * same entry point (each then runs the bot for its shard, with the database and its own scheduler: drops are claimed
 * through the database, so shards cooperate as replicas do) and starts a shard again when it dies. SIGTERM or SIGINT
 * stops the shards (each shuts down gracefully) and then the manager.
 */
async function runShardManager(discord: NonNullable<Config['discord']>, logger: Logger): Promise<number> {
  // discord.js is CommonJS: Node also offers its exports by name, the bundle (dist/) only as the default export.
  const discordJs = await import('discord.js');
  const { ShardingManager } = (discordJs as { default?: typeof discordJs }).default ?? discordJs;
  const manager = new ShardingManager(fileURLToPath(import.meta.url), {
    token: discord.token,
    totalShards: discord.shards ?? 'auto',
    mode: 'process',
    respawn: true,
    // Each shard runs this same entry point: the compiled one with this process's flags (the image's source maps), the
    // TypeScript one through tsx, found from here (not from the working directory).
    execArgv: import.meta.url.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : process.execArgv,
    shardArgs: process.argv.slice(2),
  });
  manager.on('shardCreate', (created) => {
    console.log(`discord: shard ${created.id} of ${manager.totalShards} starting`);
    created.on('death', () => logger.warn({ shard: created.id }, 'discord shard process ended'));
  });
  try {
    await manager.spawn({ timeout: 60_000 });
  } catch (error) {
    console.error(`discord: shards could not start: ${firstLine(error)}`);
    await stopShards(manager);
    return 1;
  }
  console.log(`discord: ${manager.shards.size} shard(s) running`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await stopShards(manager);
  return 0;
}

/** Stops every shard process with SIGTERM (no respawn) and waits for each to end, at most the shutdown budget. */
async function stopShards(manager: import('discord.js').ShardingManager): Promise<void> {
  manager.respawn = false;
  await Promise.all(
    manager.shards.map(
      (shard) =>
        new Promise<void>((resolve) => {
          const child = shard.process;
          if (!child || child.exitCode !== null) {
            resolve();
            return;
          }
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, shutdownBudgetMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Every secret the configuration holds: the logger replaces each wherever it would appear. */
function secretsOf(config: Config): string[] {
  const secrets = [
    config.slack?.botToken,
    config.slack?.appToken,
    config.slack?.signingSecret,
    config.discord?.token,
    config.metricsToken,
    config.database.kind === 'postgresql' ? databasePassword(config.database.url) : undefined,
  ];
  return secrets.filter((secret): secret is string => typeof secret === 'string' && secret !== '');
}

function databasePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
