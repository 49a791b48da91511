import { describe, expect, it } from 'vitest';
import { nextSlice } from './loop-slices.ts';

/** Keeps the thread busy for `ms`, as a continuation that renders and posts does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spinning
  }
}

describe('shares of the event loop', () => {
  it('GIVEN a hundred continuations of 1 ms each THEN they run in arrival order and a timer due meanwhile runs between them', async () => {
    const order: string[] = [];
    const work = Array.from({ length: 100 }, async (_, i) => {
      await nextSlice();
      busy(1);
      order.push(`w${i}`);
    });
    // Due at once: with every continuation run back to back it would come after all hundred (100 ms of work).
    setTimeout(() => order.push('timer'), 0);
    await Promise.all(work);
    const works = order.filter((entry) => entry !== 'timer');
    expect(works).toEqual(Array.from({ length: 100 }, (_, i) => `w${i}`));
    expect(order.indexOf('timer')).toBeGreaterThan(-1);
    expect(order.indexOf('timer')).toBeLessThan(99);
  });

  it('GIVEN one waiter alone THEN it goes on', async () => {
    await expect(nextSlice()).resolves.toBeUndefined();
  });
});
