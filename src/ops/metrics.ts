/**
 * Trilha's Prometheus metrics: one `Metrics` object per process, made in the composition root and handed to whatever
 * counts (adapters, the answer path, the scheduler) and to the ops server, which serves `metrics()` on `/metrics`.
 *
 * - Each instance owns its own prom-client `Registry`, never the global default one, so tests (and several instances
 *   in one process) never collide with "metric already registered".
 * - The process metrics of prom-client's `collectDefaultMetrics` (CPU, memory, heap, event-loop lag, GC, handles)
 *   are registered in that registry under their standard names (`process_cpu_user_seconds_total`,
 *   `nodejs_eventloop_lag_seconds`, …), unprefixed, so the usual Node.js dashboards and alerts work as they are; the
 *   job and instance labels Prometheus adds say whose they are. Trilha's own metrics all start with `trilha_`.
 * - Label values are bounded. `platform`, `outcome` and `kind` are closed unions. `reason` and `code` are error
 *   codes (Slack's `not_in_channel`, Discord's `50013`, an HTTP status such as `429`, a fixed word such as `timeout`):
 *   never ids, user names, channel names nor message text. As a guard, a value that does not look like a code
 *   becomes `other`, and so does any value beyond the first `maxCodesPerLabel` distinct ones of a metric.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type Platform = 'slack' | 'discord' | 'terminal';
/**
 * What became of an answer click: `recorded` (scored: XP, streak and card updated; the core's `scored`),
 * `duplicate` (a second click or a retried delivery), `feedback_only` (after the quiz closed), `failed` (an error).
 */
export type AnswerOutcomeLabel = 'recorded' | 'duplicate' | 'feedback_only' | 'failed';
/** A slash command, a button click, or an autocomplete request (Discord). */
export type InteractionKind = 'command' | 'button' | 'autocomplete';
/** Trilha's HTTP servers: Slack's receiver (HTTP mode) and the operations endpoints. */
export type HttpServerLabel = 'slack' | 'ops';
/** A failure nothing handled (src/ops/process-policy.ts). */
export type ProcessErrorKind = 'unhandled_rejection' | 'uncaught_exception';

/** Prefix of Trilha's own metric names. */
export const metricPrefix = 'trilha_';

/** Distinct `reason`/`code` values kept per metric; later new ones are counted as `other`. */
export const maxCodesPerLabel = 50;

/**
 * Interaction buckets: chat acks must come within 3 s (Slack and Discord both drop the interaction after that), so
 * the buckets are fine below a second and end at the deadline.
 */
export const interactionBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3];

/** Scheduler tick buckets: a tick posts whole drops to every due channel, so it may take seconds. */
export const schedulerTickBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** An error code: letters, digits, `_`, `.`, `-`, at most 64 characters (e.g. `not_in_channel`, `50013`, `429`). */
const codePattern = /^[A-Za-z0-9_.-]{1,64}$/;

export interface MetricsOptions {
  /** Registers prom-client's process metrics (CPU, memory, event-loop lag, GC) too. Default true. */
  readonly defaultMetrics?: boolean;
}

export class Metrics {
  /** This instance's registry (not prom-client's global one). */
  readonly registry: Registry;
  readonly #answers: Counter<'platform' | 'outcome'>;
  readonly #dropsPosted: Counter<'platform'>;
  readonly #dropsFailed: Counter<'platform' | 'reason'>;
  readonly #interactions: Histogram<'platform' | 'kind'>;
  readonly #apiErrors: Counter<'platform' | 'code'>;
  readonly #httpRejected: Counter<'server' | 'reason'>;
  readonly #processErrors: Counter<'kind'>;
  readonly #schedulerLag: Gauge;
  readonly #schedulerTicks: Histogram;
  readonly #schedulerLastTick: Gauge;
  /** The `reason`/`code` values seen per metric, for the cardinality guard. */
  readonly #codes = new Map<string, Set<string>>();

  constructor(options: MetricsOptions = {}) {
    this.registry = new Registry();
    const registers = [this.registry];
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });

    this.#answers = new Counter({
      name: `${metricPrefix}answers_recorded_total`,
      help: 'Answer clicks by outcome: recorded (scored), duplicate, feedback_only (quiz closed) or failed.',
      labelNames: ['platform', 'outcome'],
      registers,
    });
    this.#dropsPosted = new Counter({
      name: `${metricPrefix}drops_posted_total`,
      help: 'Daily drops posted in full (the lesson and every question).',
      labelNames: ['platform'],
      registers,
    });
    this.#dropsFailed = new Counter({
      name: `${metricPrefix}drops_failed_total`,
      help: 'Failed attempts to post a daily drop (each is retried on a later tick), by error code.',
      labelNames: ['platform', 'reason'],
      registers,
    });
    this.#interactions = new Histogram({
      name: `${metricPrefix}interaction_duration_seconds`,
      help: 'Time from receiving a command, button click or autocomplete request to acknowledging it (deadline 3 s).',
      labelNames: ['platform', 'kind'],
      buckets: interactionBuckets,
      registers,
    });
    this.#apiErrors = new Counter({
      name: `${metricPrefix}platform_api_errors_total`,
      help: 'Errors returned by a chat platform API, by error code (e.g. not_in_channel, 50013, 429).',
      labelNames: ['platform', 'code'],
      registers,
    });
    this.#httpRejected = new Counter({
      name: `${metricPrefix}http_requests_rejected_total`,
      help:
        'HTTP requests refused before any work, by server (slack, ops) and reason (not_found, method_not_allowed, ' +
        'stale_timestamp, unsigned, bad_signature, too_large, malformed_body, replay, bad_request, timeout, unauthorized).',
      labelNames: ['server', 'reason'],
      registers,
    });
    this.#processErrors = new Counter({
      name: `${metricPrefix}process_errors_total`,
      help:
        'Failures nothing handled: unhandled_rejection (logged, the process keeps serving) or uncaught_exception ' +
        '(logged, then a clean shutdown with exit code 1).',
      labelNames: ['kind'],
      registers,
    });
    this.#schedulerLag = new Gauge({
      name: `${metricPrefix}scheduler_lag_seconds`,
      help:
        'At the last scheduler tick, the age of the oldest drop that was due but not yet posted (tick time minus ' +
        'the drop time); 0 when none was due.',
      registers,
    });
    this.#schedulerTicks = new Histogram({
      name: `${metricPrefix}scheduler_tick_duration_seconds`,
      help: 'Duration of one scheduler tick (posting the due drops and closing the due quizzes).',
      buckets: schedulerTickBuckets,
      registers,
    });
    this.#schedulerLastTick = new Gauge({
      name: `${metricPrefix}scheduler_last_tick_timestamp_seconds`,
      help: 'Unix time at which the last scheduler tick ended (a stalled scheduler stops moving it).',
      registers,
    });
  }

  /** The Content-Type of `metrics()` (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** One answer click and what became of it. */
  answer(platform: Platform, outcome: AnswerOutcomeLabel): void {
    this.#answers.inc({ platform, outcome });
  }

  /** A drop posted in full. */
  dropPosted(platform: Platform): void {
    this.#dropsPosted.inc({ platform });
  }

  /** A failed attempt to post a drop; `reason` is an error code (`not_in_channel`, `429`, `timeout`), never text. */
  dropFailed(platform: Platform, reason: string | number): void {
    this.#dropsFailed.inc({ platform, reason: this.#code('reason', reason) });
  }

  /** An interaction acknowledged `seconds` after it arrived. */
  interaction(platform: Platform, kind: InteractionKind, seconds: number): void {
    if (Number.isFinite(seconds)) this.#interactions.observe({ platform, kind }, Math.max(0, seconds));
  }

  /** Starts timing an interaction; call the result when it is acknowledged (it returns the seconds observed). */
  startInteraction(platform: Platform, kind: InteractionKind): () => number {
    return this.#interactions.startTimer({ platform, kind });
  }

  /** An error from a platform API; `code` is its error code (`not_in_channel`, `50013`, `429`), never text or ids. */
  apiError(platform: Platform, code: string | number): void {
    this.#apiErrors.inc({ platform, code: this.#code('code', code) });
  }

  /** An HTTP request refused before any work; `reason` is a fixed word (`not_found`, `bad_signature`, `replay`…). */
  httpRejected(server: HttpServerLabel, reason: string): void {
    this.#httpRejected.inc({ server, reason: this.#code('http_reason', reason) });
  }

  /** A rejection or exception nothing handled. */
  processError(kind: ProcessErrorKind): void {
    this.#processErrors.inc({ kind });
  }

  /**
   * One scheduler tick ended: it took `durationSeconds`, and `lagSeconds` is the age, at the tick's time, of the
   * oldest drop it found due but not yet posted (`now - dueDrop(…).at`, the largest over the channels; 0 when no drop
   * was due). A healthy scheduler keeps the lag below its tick interval (30 s); a drop that keeps failing or a
   * scheduler that falls behind makes it grow.
   */
  schedulerTick(durationSeconds: number, lagSeconds: number): void {
    if (Number.isFinite(durationSeconds)) this.#schedulerTicks.observe(Math.max(0, durationSeconds));
    if (Number.isFinite(lagSeconds)) this.#schedulerLag.set(Math.max(0, lagSeconds));
    this.#schedulerLastTick.set(Date.now() / 1000);
  }

  /** A bounded label value: a code as given, or `other` when it does not look like one or there are too many. */
  #code(metric: string, value: string | number): string {
    const code = String(value);
    if (!codePattern.test(code)) return 'other';
    let seen = this.#codes.get(metric);
    if (!seen) {
      seen = new Set();
      this.#codes.set(metric, seen);
    }
    if (seen.has(code)) return code;
    if (seen.size >= maxCodesPerLabel) return 'other';
    seen.add(code);
    return code;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The application's protections (docs/security.md): requests refused by a rate limit, wrong link codes tried.

type SecurityCounters = {
  readonly rateLimited: Counter<'platform' | 'limit'>;
  readonly linkCodesWrong: Counter<'platform'>;
};
const securityCounters = new WeakMap<Metrics, SecurityCounters>();

function securityOf(metrics: Metrics): SecurityCounters {
  let counters = securityCounters.get(metrics);
  if (!counters) {
    counters = {
      rateLimited: new Counter({
        name: `${metricPrefix}rate_limited_total`,
        help: 'Requests refused by a rate limit: `command` (commands per member per minute), `link_code` (wrong link codes).',
        labelNames: ['platform', 'limit'],
        registers: [metrics.registry],
      }),
      linkCodesWrong: new Counter({
        name: `${metricPrefix}link_codes_wrong_total`,
        help: 'Link codes tried that were unknown or expired.',
        labelNames: ['platform'],
        registers: [metrics.registry],
      }),
    };
    securityCounters.set(metrics, counters);
  }
  return counters;
}

/** A request refused by a rate limit. */
export function countRateLimited(metrics: Metrics, platform: Platform, limit: 'command' | 'link_code'): void {
  securityOf(metrics).rateLimited.inc({ platform, limit });
}

/** A wrong link code tried. */
export function countLinkCodeWrong(metrics: Metrics, platform: Platform): void {
  securityOf(metrics).linkCodesWrong.inc({ platform });
}
