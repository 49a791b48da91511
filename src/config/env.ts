/**
 * Trilha's configuration: the environment (and an optional `.env` file), parsed once with zod at start-up. A wrong
 * or missing value stops the start with one line naming the variable and what it expects. Every variable is
 * documented, with its default, in .env.example.
 */
import { existsSync } from 'node:fs';
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
  SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional(),
  SLACK_APP_TOKEN: z.string().trim().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
  SLACK_SIGNING_SECRET: z.string().trim().min(1).optional(),
  SLACK_API_URL: z.url({ error: 'must be a URL such as http://127.0.0.1:3001/api/' }).optional(),
  SLACK_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65_535).default(3000),
  SLACK_PATH: z.string().trim().startsWith('/', 'must be a path such as /slack/events').default('/slack/events'),
  SLACK_ADMINS: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]+(\s*,\s*[A-Z0-9]+)*$/, 'must be Slack user ids separated by commas (U123,U456)')
    .optional(),
});

/** Every variable Trilha reads (each is documented in .env.example). */
export const configVariables = Object.keys(envSchema.shape);

export interface Config {
  readonly database: DatabaseTarget;
  readonly contentDir: string;
  readonly defaultLocale: 'pt-BR' | 'en';
  readonly defaultTimeZone: string;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Slack, when SLACK_BOT_TOKEN is set: Socket Mode with SLACK_APP_TOKEN, else HTTP mode with SLACK_SIGNING_SECRET. */
  readonly slack: SlackConfig | null;
}

export interface SlackConfig {
  readonly botToken: string;
  readonly appToken?: string;
  readonly signingSecret?: string;
  readonly apiUrl?: string;
  readonly port: number;
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
      path: values.SLACK_PATH,
      admins: values.SLACK_ADMINS ? values.SLACK_ADMINS.split(',').map((id) => id.trim()) : [],
    };
  } else if (values.SLACK_APP_TOKEN || values.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      'Configuration error: SLACK_BOT_TOKEN is missing (SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set)',
    );
  }
  return {
    database: values.DATABASE_URL,
    contentDir: values.TRILHA_CONTENT_DIR,
    defaultLocale: values.TRILHA_LOCALE,
    defaultTimeZone: values.TRILHA_TIME_ZONE,
    logLevel: values.LOG_LEVEL,
    slack,
  };
}

/** Loads `.env` from the working directory when it exists (variables already set win), then parses. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(env);
}
