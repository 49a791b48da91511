import { describe, expect, it } from 'vitest';
import { Metrics, maxCodesPerLabel } from './metrics.ts';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition (label values here are plain codes, so no unescaping is needed). */
function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)) {
      labels[pair[1] as string] = pair[2] as string;
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

async function sample(
  metrics: Metrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const found = parseSamples(await metrics.metrics()).filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

describe('Metrics', () => {
  it('GIVEN each recording method called THEN every trilha_ metric has the right labels and values', async () => {
    const metrics = new Metrics();
    metrics.answer('slack', 'recorded');
    metrics.answer('slack', 'recorded');
    metrics.answer('discord', 'duplicate');
    metrics.dropPosted('slack');
    metrics.dropFailed('slack', 'not_in_channel');
    metrics.dropFailed('discord', 50013);
    metrics.interaction('slack', 'command', 0.04);
    metrics.interaction('discord', 'autocomplete', 3.5);
    metrics.apiError('slack', 'ratelimited');
    metrics.apiError('discord', 429);
    metrics.schedulerTick(0.3, 42);
    metrics.httpRejected('slack', 'replay');
    metrics.httpRejected('slack', 'replay');
    metrics.httpRejected('ops', 'not found with spaces');
    metrics.processError('unhandled_rejection');

    expect(await sample(metrics, 'trilha_answers_recorded_total', { platform: 'slack', outcome: 'recorded' })).toBe(2);
    expect(await sample(metrics, 'trilha_answers_recorded_total', { platform: 'discord', outcome: 'duplicate' })).toBe(
      1,
    );
    expect(await sample(metrics, 'trilha_drops_posted_total', { platform: 'slack' })).toBe(1);
    expect(await sample(metrics, 'trilha_http_requests_rejected_total', { server: 'slack', reason: 'replay' })).toBe(2);
    expect(await sample(metrics, 'trilha_http_requests_rejected_total', { server: 'ops', reason: 'other' })).toBe(1);
    expect(await sample(metrics, 'trilha_process_errors_total', { kind: 'unhandled_rejection' })).toBe(1);
    expect(await sample(metrics, 'trilha_drops_failed_total', { platform: 'slack', reason: 'not_in_channel' })).toBe(1);
    expect(await sample(metrics, 'trilha_drops_failed_total', { platform: 'discord', reason: '50013' })).toBe(1);
    expect(await sample(metrics, 'trilha_platform_api_errors_total', { platform: 'slack', code: 'ratelimited' })).toBe(
      1,
    );
    expect(await sample(metrics, 'trilha_platform_api_errors_total', { platform: 'discord', code: '429' })).toBe(1);

    const command = { platform: 'slack', kind: 'command' };
    expect(await sample(metrics, 'trilha_interaction_duration_seconds_count', command)).toBe(1);
    expect(await sample(metrics, 'trilha_interaction_duration_seconds_sum', command)).toBeCloseTo(0.04);
    expect(await sample(metrics, 'trilha_interaction_duration_seconds_bucket', { ...command, le: '0.025' })).toBe(0);
    expect(await sample(metrics, 'trilha_interaction_duration_seconds_bucket', { ...command, le: '0.05' })).toBe(1);
    // Past the 3 s deadline: only in +Inf.
    const late = { platform: 'discord', kind: 'autocomplete' };
    expect(await sample(metrics, 'trilha_interaction_duration_seconds_bucket', { ...late, le: '3' })).toBe(0);
    expect(await sample(metrics, 'trilha_interaction_duration_seconds_bucket', { ...late, le: '+Inf' })).toBe(1);

    expect(await sample(metrics, 'trilha_scheduler_lag_seconds')).toBe(42);
    expect(await sample(metrics, 'trilha_scheduler_tick_duration_seconds_count')).toBe(1);
    expect(await sample(metrics, 'trilha_scheduler_tick_duration_seconds_sum')).toBeCloseTo(0.3);
    const lastTick = (await sample(metrics, 'trilha_scheduler_last_tick_timestamp_seconds')) ?? 0;
    expect(Math.abs(lastTick - Date.now() / 1000)).toBeLessThan(60);
  });

  it('GIVEN a Metrics THEN the default process metrics are in its exposition with their standard names', async () => {
    const text = await new Metrics().metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('GIVEN defaultMetrics false THEN only the trilha_ metrics are exposed', async () => {
    const names = new Set(parseSamples(await new Metrics({ defaultMetrics: false }).metrics()).map((s) => s.name));
    for (const name of names) expect(name).toMatch(/^trilha_/);
  });

  it('GIVEN two Metrics instances THEN both register without "already registered" and count apart', async () => {
    const first = new Metrics();
    const second = new Metrics();
    first.dropPosted('slack');
    second.dropPosted('slack');
    second.dropPosted('slack');
    expect(await sample(first, 'trilha_drops_posted_total', { platform: 'slack' })).toBe(1);
    expect(await sample(second, 'trilha_drops_posted_total', { platform: 'slack' })).toBe(2);
    expect(first.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('GIVEN startInteraction THEN the function it returns observes the elapsed time once', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const done = metrics.startInteraction('terminal', 'button');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = done();
    expect(seconds).toBeGreaterThanOrEqual(0.015);
    const labels = { platform: 'terminal', kind: 'button' };
    expect(await sample(metrics, 'trilha_interaction_duration_seconds_count', labels)).toBe(1);
    expect(await sample(metrics, 'trilha_interaction_duration_seconds_sum', labels)).toBeCloseTo(seconds, 5);
  });

  it('GIVEN codes that are free text or too many distinct ones THEN they are counted as other', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.apiError('slack', 'channel C123 not found: xoxb-secret');
    metrics.dropFailed('slack', '');
    for (let i = 0; i < maxCodesPerLabel + 5; i++) metrics.apiError('discord', `code_${i}`);
    metrics.apiError('discord', 'code_0');

    const text = await metrics.metrics();
    expect(text).not.toContain('xoxb');
    expect(text).not.toContain('C123');
    const codes = parseSamples(text)
      .filter((s) => s.name === 'trilha_platform_api_errors_total')
      .map((s) => s.labels.code);
    expect(await sample(metrics, 'trilha_platform_api_errors_total', { platform: 'slack', code: 'other' })).toBe(1);
    expect(await sample(metrics, 'trilha_drops_failed_total', { platform: 'slack', reason: 'other' })).toBe(1);
    // The first codes keep their names (and keep counting); the ones past the cap share `other`.
    expect(await sample(metrics, 'trilha_platform_api_errors_total', { platform: 'discord', code: 'code_0' })).toBe(2);
    expect(await sample(metrics, 'trilha_platform_api_errors_total', { platform: 'discord', code: 'other' })).toBe(5);
    expect(new Set(codes).size).toBeLessThanOrEqual(maxCodesPerLabel + 1);
  });

  it('GIVEN negative or non-finite durations THEN they are clamped to 0 or ignored', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.schedulerTick(Number.NaN, -5);
    metrics.interaction('slack', 'button', Number.POSITIVE_INFINITY);
    expect(await sample(metrics, 'trilha_scheduler_lag_seconds')).toBe(0);
    expect(await sample(metrics, 'trilha_scheduler_tick_duration_seconds_count')).toBe(0);
    expect(await sample(metrics, 'trilha_interaction_duration_seconds_count', { platform: 'slack' })).toBeUndefined();
  });
});
