import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { releaseStartupMemory } from './startup-memory.ts';

/**
 * A WeakRef to an object nothing else holds, made in an earlier task: a WeakRef keeps its target alive until the end
 * of the task that made or read it, so the test must not read it before collecting.
 */
async function unreachable(): Promise<WeakRef<object>> {
  const ref = new WeakRef({ bytes: new Array(10_000).fill('start-up') });
  await new Promise((resolve) => setImmediate(resolve));
  return ref;
}

describe('releaseStartupMemory', () => {
  it('GIVEN garbage left by start-up THEN one call collects it', async () => {
    const ref = await unreachable();
    releaseStartupMemory();
    expect(ref.deref()).toBeUndefined();
  });

  it('GIVEN a call THEN no code sees a gc function afterwards, in this context or a new one', () => {
    releaseStartupMemory();
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
