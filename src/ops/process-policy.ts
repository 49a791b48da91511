/**
 * What the process does with a failure nothing handled (issue 21: a rejection nobody caught ended the bot, and
 * with it Slack, Discord and the operations endpoints). Installed once by the composition root (src/main.ts).
 *
 * - `unhandledRejection` — keep serving. A promise was rejected and nobody awaited it: the work it belonged to
 *   failed and is over, and no synchronous code was cut off halfway (a rejection arrives between turns of the event
 *   loop), so what other requests share is as consistent as after any handled error. Node's default (since v15) is to
 *   exit, which turns one bad request into an outage. Logged at error level, counted in
 *   `trilha_process_errors_total{kind="unhandled_rejection"}`.
 * - `uncaughtException` — exit cleanly with code 1. A throw unwound the stack out of a callback; Node's documentation
 *   says it is not safe to resume normal operation after it, since whatever it interrupted may be half-changed.
 *   Logged at fatal level, counted, then `onFatal` runs the same shutdown as SIGTERM (readiness 503, stop taking work,
 *   drain, close the database) and the process ends with 1 so the supervisor (Docker's `restart`, Kubernetes) starts
 *   a fresh one. A second one during that shutdown exits at once.
 *
 * Both log through the application's logger, which replaces every configured secret in each line: the error's
 * message and stack are shown, never a token. At most `maxLinesPerMinute` lines a minute (a rejection in a hot loop
 * must not flood the log); the counter counts them all.
 */
import type { Logger } from '../runtime/logger.ts';
import type { Metrics } from './metrics.ts';

export interface ProcessPolicyOptions {
  readonly logger: Logger;
  readonly metrics: Metrics | null;
  /** Starts the clean shutdown that ends with exit code 1. */
  readonly onFatal: (error: unknown) => void;
  /** Where the events come from: `process` (tests pass an emitter). */
  readonly target?: NodeJS.EventEmitter;
  /** The immediate exit for a second fatal error: `process.exit` (tests pass a recorder). */
  readonly exit?: (code: number) => void;
}

export const maxLinesPerMinute = 20;

/** Installs the policy; gives the function that removes it. */
export function installProcessPolicy(options: ProcessPolicyOptions): () => void {
  const { logger, metrics } = options;
  const target = options.target ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let windowStart = 0;
  let linesInWindow = 0;
  let suppressed = 0;
  const mayLog = (): boolean => {
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      if (suppressed > 0) logger.warn({ suppressed }, 'unhandled errors not logged in the last minute');
      windowStart = now;
      linesInWindow = 0;
      suppressed = 0;
    }
    if (linesInWindow < maxLinesPerMinute) {
      linesInWindow += 1;
      return true;
    }
    suppressed += 1;
    return false;
  };

  const onRejection = (reason: unknown) => {
    metrics?.processError('unhandled_rejection');
    if (mayLog()) logger.error({ err: reason }, 'unhandled promise rejection (the process keeps serving)');
  };
  let fatal = false;
  const onException = (error: unknown) => {
    metrics?.processError('uncaught_exception');
    logger.fatal({ err: error }, 'uncaught exception: shutting down, exit code 1');
    if (fatal) {
      exit(1);
      return;
    }
    fatal = true;
    try {
      options.onFatal(error);
    } catch {
      exit(1);
    }
  };
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}
