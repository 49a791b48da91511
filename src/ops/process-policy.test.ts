import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.ts';
import { Metrics } from './metrics.ts';
import { installProcessPolicy, maxLinesPerMinute } from './process-policy.ts';

const secret = 'xoxb-1234567890-SECRET-BOT-TOKEN';

function world() {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) }, { secrets: [secret] });
  const metrics = new Metrics({ defaultMetrics: false });
  const target = new EventEmitter();
  const fatal: unknown[] = [];
  const exits: number[] = [];
  const uninstall = installProcessPolicy({
    logger,
    metrics,
    target,
    onFatal: (error) => fatal.push(error),
    exit: (code) => exits.push(code),
  });
  const counted = async (kind: string) =>
    Number(
      new RegExp(`trilha_process_errors_total\\{kind="${kind}"\\} (\\d+)`).exec(await metrics.metrics())?.[1] ?? 0,
    );
  return { lines, target, fatal, exits, uninstall, counted };
}

describe('process policy', () => {
  it('GIVEN a rejection nobody handled THEN it is logged without the secret it carries, counted, and nothing stops', async () => {
    const { lines, target, fatal, exits, counted } = world();
    target.emit('unhandledRejection', new Error(`Slack refused token ${secret}`), Promise.resolve());
    expect(await counted('unhandled_rejection')).toBe(1);
    expect(fatal).toEqual([]);
    expect(exits).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('unhandled promise rejection');
    expect(lines[0]).toContain('Slack refused token');
    expect(lines[0]).not.toContain(secret);
  });

  it('GIVEN an uncaught exception THEN it is logged and counted and the clean shutdown starts; a second exits at once with 1', async () => {
    const { lines, target, fatal, exits, counted } = world();
    const error = new TypeError('Cannot read properties of null');
    target.emit('uncaughtException', error);
    expect(fatal).toEqual([error]);
    expect(exits).toEqual([]);
    expect(await counted('uncaught_exception')).toBe(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 60, msg: expect.stringContaining('exit code 1') });
    target.emit('uncaughtException', new Error('again'));
    expect(exits).toEqual([1]);
    expect(fatal).toHaveLength(1);
  });

  it('GIVEN a flood of rejections THEN every one is counted but at most the per-minute lines are logged', async () => {
    const { lines, target, counted } = world();
    for (let i = 0; i < 500; i++) target.emit('unhandledRejection', new Error(`n${i}`), Promise.resolve());
    expect(await counted('unhandled_rejection')).toBe(500);
    expect(lines).toHaveLength(maxLinesPerMinute);
  });

  it('GIVEN the policy removed THEN the emitter has no listener of it left', () => {
    const { target, uninstall } = world();
    expect(target.listenerCount('unhandledRejection')).toBe(1);
    uninstall();
    expect(target.listenerCount('unhandledRejection') + target.listenerCount('uncaughtException')).toBe(0);
  });
});
