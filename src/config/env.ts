/**
 * Trilha's configuration: the environment (and an optional `.env` file), parsed once with zod at start-up. A wrong
 * or missing value stops the start with one line naming the variable and what it expects. Every variable is
 * documented, with its default, in .env.example.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { type DatabaseTarget, defaultDatabaseUrl, parseDatabaseUrl } from '../db/database-url.ts';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Where Trilha's HTTP servers listen unless told otherwise: this machine only (a container's image sets 0.0.0.0). */
export const loopback = '127.0.0.1';

/** An address to listen on: an IPv4 or IPv6 address (`0.0.0.0` and `::` for every interface) or a host name. */
function isListenHost(value: string): boolean {
  return (
    isIP(value) !== 0 ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value)
  );
}

const listenHost = z
  .string()
  .trim()
  .default(loopback)
  .refine(isListenHost, 'must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name');

/** Discord ids (users, servers, applications) are snowflakes: 64-bit numbers written in decimal. */
const snowflake = /^\d{17,20}$/;

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .default(defaultDatabaseUrl)
    .transform((url, ctx) => {
      const target = parseDatabaseUrl(url);
      if ('error' in target) {
        ctx.addIssue({ code: 'custom', message: target.error });
        return z.NEVER;
      }
      return target;
    }),
  TRILHA_CONTENT_DIR: z.string().trim().min(1).default('content'),
  TRILHA_LOCALE: z.enum(['pt-BR', 'en'], { error: 'must be pt-BR or en' }).default('pt-BR'),
  TRILHA_TIME_ZONE: z
    .string()
    .trim()
    .default('America/Sao_Paulo')
    .refine(isTimeZone, 'must be an IANA time zone such as America/Sao_Paulo or Europe/Lisbon'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  TRILHA_LOG_FILE: z.string().trim().optional(),
  TRILHA_HTTP_PORT: z
    .union([z.literal('off'), z.coerce.number().int().min(0).max(65_535)], {
      error: 'must be a port number or off',
    })
    .optional(),
  TRILHA_HTTP_HOST: listenHost,
  TRILHA_METRICS_TOKEN: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{16,}$/, 'must be at least 16 visible ASCII characters, no spaces (openssl rand -hex 32)')
    .optional(),
  SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional(),
  SLACK_APP_TOKEN: z.string().trim().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
  SLACK_SIGNING_SECRET: z.string().trim().min(1).optional(),
  SLACK_API_URL: z.url({ error: 'must be a URL such as http://127.0.0.1:3001/api/' }).optional(),
  SLACK_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65_535).default(3000),
  SLACK_HOST: listenHost,
  SLACK_PATH: z.string().trim().startsWith('/', 'must be a path such as /slack/events').default('/slack/events'),
  SLACK_ADMINS: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]+(\s*,\s*[A-Z0-9]+)*$/, 'must be Slack user ids separated by commas (U123,U456)')
    .optional(),
  DISCORD_TOKEN: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
      'must be a bot token: three parts separated by dots (Developer Portal → Bot → Reset Token)',
    )
    .optional(),
  DISCORD_APPLICATION_ID: z
    .string()
    .trim()
    .regex(snowflake, 'must be the application id (a number of 17 to 20 digits)')
    .optional(),
  DISCORD_GUILD_ID: z.string().trim().regex(snowflake, 'must be a server id (a number of 17 to 20 digits)').optional(),
  DISCORD_API_URL: z.url({ error: 'must be a URL such as http://127.0.0.1:3002/api' }).optional(),
  DISCORD_SHARDS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(10_000)], {
      error: 'must be auto or a number of shards',
    })
    .optional(),
});

/** Where /healthz, /readyz and /metrics listen when a platform runs and TRILHA_HTTP_PORT is not set. */
export const defaultHttpPort = 8080;

/** Every variable Trilha reads (each is documented in .env.example). */
export const configVariables = Object.keys(envSchema.shape);

export interface Config {
  readonly database: DatabaseTarget;
  readonly contentDir: string;
  readonly defaultLocale: 'pt-BR' | 'en';
  readonly defaultTimeZone: string;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Where log lines go instead of stderr (TRILHA_LOG_FILE); see runtime/logger.ts `logOutputFor`. */
  readonly logFile?: string;
  /** Slack, when SLACK_BOT_TOKEN is set: Socket Mode with SLACK_APP_TOKEN, else HTTP mode with SLACK_SIGNING_SECRET. */
  readonly slack: SlackConfig | null;
  /** Discord, when DISCORD_TOKEN is set. */
  readonly discord: DiscordConfig | null;
  /**
   * The port of /healthz, /readyz and /metrics: TRILHA_HTTP_PORT, else 8080 when a platform runs; null = no such
   * server (the terminal chat, unless a port is set; `off` everywhere).
   */
  readonly httpPort: number | null;
  /** The address of /healthz, /readyz and /metrics (TRILHA_HTTP_HOST, default 127.0.0.1). */
  readonly httpHost: string;
  /** When set, /metrics answers only `Authorization: Bearer <token>` (TRILHA_METRICS_TOKEN). */
  readonly metricsToken: string | null;
}

export interface DiscordConfig {
  readonly token: string;
  /** Needed by `npm run discord:register`; the running bot learns it from Discord. */
  readonly applicationId?: string;
  /** `discord:register` registers the commands in this server only (instant, for trying out); else globally. */
  readonly guildId?: string;
  readonly apiUrl?: string;
  /**
   * Run the bot as discord.js shards, one process each, under its ShardingManager: a number, or `auto` (Discord's
   * recommendation). Unset: one process, one shard (enough below 2,500 servers).
   */
  readonly shards?: number | 'auto';
}

export interface SlackConfig {
  readonly botToken: string;
  readonly appToken?: string;
  readonly signingSecret?: string;
  readonly apiUrl?: string;
  readonly port: number;
  /** HTTP mode: the address Slack's requests arrive on (SLACK_HOST, default 127.0.0.1). */
  readonly host: string;
  readonly path: string;
  readonly admins: readonly string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses `env`. Empty strings count as unset, so `KEY=` in a .env file means "use the default". Values never appear
 * in the error (they may be secrets): only the variable's name and what it expects.
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
    throw new ConfigError(`Configuration error: ${lines.join('; ')}`);
  }
  const values = result.data;
  let slack: SlackConfig | null = null;
  if (values.SLACK_BOT_TOKEN) {
    if (!values.SLACK_APP_TOKEN && !values.SLACK_SIGNING_SECRET) {
      throw new ConfigError(
        'Configuration error: SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is',
      );
    }
    slack = {
      botToken: values.SLACK_BOT_TOKEN,
      ...(values.SLACK_APP_TOKEN ? { appToken: values.SLACK_APP_TOKEN } : {}),
      ...(values.SLACK_SIGNING_SECRET ? { signingSecret: values.SLACK_SIGNING_SECRET } : {}),
      ...(values.SLACK_API_URL ? { apiUrl: values.SLACK_API_URL } : {}),
      port: values.SLACK_PORT,
      host: values.SLACK_HOST,
      path: values.SLACK_PATH,
      admins: values.SLACK_ADMINS ? values.SLACK_ADMINS.split(',').map((id) => id.trim()) : [],
    };
  } else if (values.SLACK_APP_TOKEN || values.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      'Configuration error: SLACK_BOT_TOKEN is missing (SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set)',
    );
  }
  const discord: DiscordConfig | null = values.DISCORD_TOKEN
    ? {
        token: values.DISCORD_TOKEN,
        ...(values.DISCORD_APPLICATION_ID ? { applicationId: values.DISCORD_APPLICATION_ID } : {}),
        ...(values.DISCORD_GUILD_ID ? { guildId: values.DISCORD_GUILD_ID } : {}),
        ...(values.DISCORD_API_URL ? { apiUrl: values.DISCORD_API_URL } : {}),
        ...(values.DISCORD_SHARDS !== undefined ? { shards: values.DISCORD_SHARDS } : {}),
      }
    : null;
  return {
    database: values.DATABASE_URL,
    contentDir: values.TRILHA_CONTENT_DIR,
    defaultLocale: values.TRILHA_LOCALE,
    defaultTimeZone: values.TRILHA_TIME_ZONE,
    logLevel: values.LOG_LEVEL,
    ...(values.TRILHA_LOG_FILE ? { logFile: values.TRILHA_LOG_FILE } : {}),
    slack,
    discord,
    httpPort:
      values.TRILHA_HTTP_PORT === 'off'
        ? null
        : (values.TRILHA_HTTP_PORT ?? (slack || discord ? defaultHttpPort : null)),
    httpHost: values.TRILHA_HTTP_HOST,
    metricsToken: values.TRILHA_METRICS_TOKEN ?? null,
  };
}

/** Loads `.env` from the working directory when it exists (variables already set win), then parses. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(env);
}
