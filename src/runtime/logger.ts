/**
 * Structured logs (pino: JSON lines, fast, with levels and redaction). Secrets never reach a log line, in two layers:
 * these paths are redacted in case an object carrying one is logged, and every secret the configuration holds (tokens,
 * the signing secret, the database password) is replaced by its value in each finished line, wherever it hides: a
 * library's error message, a URL, a nested object (`secrets`). A `context` function adds fields to every line, such
 * as the id of the interaction being handled (src/ops/log-context.ts).
 *
 * Where lines go (`logOutputFor`): the file TRILHA_LOG_FILE names, when set; else, in the interactive terminal chat,
 * `data/trilha.log`, so that no line lands in the middle of the conversation; else stderr: JSON lines for machines
 * (piped and scripted runs, platforms in production), readable coloured lines when a person watches stderr.
 */
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export const redactedPaths = [
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.password',
  'headers.authorization',
  'config.slack',
  'config.discord',
];

/** What replaces a secret or a redacted field. */
export const censor = '[redacted]';

/** Shorter values are not scrubbed: they would match ordinary text (a short password is weak anyway). */
const minSecretLength = 6;

export interface LoggerOptions {
  /** Values that must never appear in a line, whatever field or message carries them. */
  readonly secrets?: readonly string[];
  /** Fields for every line, read when the line is written (the interaction being handled). */
  readonly context?: () => Readonly<Record<string, unknown>> | undefined;
}

export function createLogger(level: string, destination?: DestinationStream, options: LoggerOptions = {}): Logger {
  const scrub = scrubber(options.secrets ?? []);
  const context = options.context;
  const settings = {
    level,
    redact: { paths: redactedPaths, censor },
    base: { app: 'trilha' },
    ...(context ? { mixin: () => ({ ...context() }) } : {}),
    ...(scrub ? { hooks: { streamWrite: scrub } } : {}),
  };
  return destination ? pino(settings, destination) : pino(settings);
}

/**
 * A function that replaces every secret in a finished line: as written, as it looks inside a JSON string (quotes and
 * backslashes escaped) and percent-encoded (inside a URL). Null when there is nothing to hide.
 */
export function scrubber(secrets: readonly string[]): ((line: string) => string) | null {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < minSecretLength) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  if (forms.size === 0) return null;
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (line) => ordered.reduce((text, form) => (text.includes(form) ? text.split(form).join(censor) : text), line);
}

/** The interactive terminal chat's log file when TRILHA_LOG_FILE is not set (relative to the working directory). */
export const chatLogFile = 'data/trilha.log';

export type LogOutput =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stderr'; readonly pretty: boolean };

export interface LogOutputChoice {
  /** TRILHA_LOG_FILE. */
  readonly logFile?: string | undefined;
  /** The terminal chat with a person typing (stdin a TTY, no script, no platform). */
  readonly interactiveChat: boolean;
  readonly stderrIsTTY: boolean;
}

export function logOutputFor(choice: LogOutputChoice): LogOutput {
  if (choice.logFile) return { kind: 'file', path: choice.logFile };
  if (choice.interactiveChat) return { kind: 'file', path: chatLogFile };
  return { kind: 'stderr', pretty: choice.stderrIsTTY };
}

/**
 * The stream for `output`: a file (appended to; its folder must exist: pino's own `mkdir` spins forever on a folder it
 * cannot make), or stderr as JSON or readable lines (pino-pretty, loaded only when a person watches stderr, so a
 * production start does not load it). Throws when the file cannot be opened.
 */
export async function logDestination(output: LogOutput): Promise<DestinationStream> {
  if (output.kind === 'file') return pino.destination({ dest: output.path, append: true, sync: true });
  if (!output.pretty) return process.stderr;
  const { default: pretty } = await import('pino-pretty');
  return pretty({ colorize: true, destination: 2, sync: true });
}

/** A logger that writes nothing (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
