import { describe, expect, it } from 'vitest';
import { silentLogger } from '../runtime/logger.ts';
import { LiveAnswerCounts, maxFailures } from './live-counts.ts';

/** Resolves once `check` holds, polling every 2 ms (at most 2 s). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('LiveAnswerCounts', () => {
  it('GIVEN clicks during an edit THEN one edit in flight at a time, and the last count is written', async () => {
    let answers = 1;
    let inFlight = 0;
    let most = 0;
    const written: number[] = [];
    let release: () => void = () => undefined;
    const counts = new LiveAnswerCounts<string>({
      count: async () => answers,
      apply: async (target, readCount) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        const count = await readCount();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        written.push(count);
        inFlight -= 1;
        return target;
      },
      logger: silentLogger(),
      platform: 'test',
      intervalMs: 5,
    });
    counts.touch('m', 'q', 'message');
    await until(() => inFlight === 1);
    for (let i = 0; i < 50; i += 1) {
      answers += 1;
      counts.touch('m', 'q', 'message');
    }
    release();
    await until(() => written.length === 1 && inFlight === 1);
    release();
    await until(() => written.at(-1) === 51);
    expect(most).toBe(1);
    expect(written).toEqual([1, 51]);
    counts.stop();
  });

  it('GIVEN an edit fails THEN it is tried again after the window, at most maxFailures times in a row', async () => {
    let tries = 0;
    const counts = new LiveAnswerCounts<string>({
      count: async () => 7,
      apply: async (_target, readCount) => {
        tries += 1;
        await readCount();
        throw new Error('ratelimited');
      },
      logger: silentLogger(),
      platform: 'test',
      intervalMs: 2,
    });
    counts.touch('m', 'q', 'message');
    await until(() => tries === maxFailures);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(tries).toBe(maxFailures);
    counts.stop();
  });
});
