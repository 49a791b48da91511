/**
 * What the engine reports as it works, for operators: answers by outcome, drops posted and failed, scheduler ticks.
 * The composition root hands in an implementation backed by Prometheus metrics (src/ops/metrics.ts); tests and the
 * terminal chat leave it out. Calls are fire-and-forget counters and must never throw.
 */
import type { Platform } from '../core/ports/members.port.ts';

export type AnswerTelemetryOutcome = 'scored' | 'feedback_only' | 'duplicate' | 'failed';

export interface Telemetry {
  answer(platform: Platform, outcome: AnswerTelemetryOutcome): void;
  dropPosted(platform: Platform): void;
  /** `reason`: the platform's error code when it gave one (`not_in_channel`, `50013`), else `error`. */
  dropFailed(platform: Platform, reason: string): void;
  /** One scheduler tick: how long it took, and how late the oldest due drop it found was (0 when none was due). */
  schedulerTick(seconds: number, lagSeconds: number): void;
  /** A request refused by a rate limit (docs/security.md): too many commands, or too many wrong link codes. */
  rateLimited?(platform: Platform, limit: RateLimitKind): void;
  /** A wrong (unknown or expired) link code tried. */
  linkCodeWrong?(platform: Platform): void;
}

export type RateLimitKind = 'command' | 'link_code';

/** The error code a platform error carries, for a bounded metric label: Slack's `data.error`, Discord's `code`. */
export function errorCode(error: unknown): string {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (typeof data?.error === 'string') return data.error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? String(status) : 'error';
}
