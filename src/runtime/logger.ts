/**
 * Structured logs (pino: JSON lines, fast, with levels and redaction). Secrets never reach a log line: the config
 * keeps tokens out of anything it prints, and these paths are redacted in case an object carrying one is logged.
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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { app: 'trilha' } };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
