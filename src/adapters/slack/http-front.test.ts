import { describe, expect, it } from 'vitest';
import { ReplayGuard } from './http-front.ts';

describe('ReplayGuard', () => {
  const minute = 60_000;

  it('GIVEN a signature seen THEN it is a replay for 10 minutes (a timestamp is good 5 minutes either side), then forgotten', () => {
    const guard = new ReplayGuard();
    const t0 = 1_800_000_000_000;
    expect(guard.seen('v0=a', t0)).toBe(false);
    expect(guard.seen('v0=a', t0 + 1)).toBe(true);
    expect(guard.seen('v0=a', t0 + 10 * minute - 1)).toBe(true);
    expect(guard.seen('v0=b', t0 + 10 * minute - 1)).toBe(false);
    expect(guard.seen('v0=a', t0 + 10 * minute)).toBe(false);
  });

  it('GIVEN entries older than the window THEN they are dropped as new ones come: memory follows the traffic of 10 minutes', () => {
    const guard = new ReplayGuard();
    const t0 = 1_800_000_000_000;
    for (let i = 0; i < 1000; i++) guard.seen(`v0=${i}`, t0 + i * 1000);
    expect(guard.size).toBe(600);
  });

  it('GIVEN the cap reached THEN the oldest is forgotten, never more than the cap kept', () => {
    const guard = new ReplayGuard({ maxEntries: 3 });
    const t0 = 1_800_000_000_000;
    for (const key of ['a', 'b', 'c', 'd']) guard.seen(key, t0);
    expect(guard.size).toBe(3);
    expect(guard.seen('d', t0)).toBe(true);
    expect(guard.seen('a', t0)).toBe(false);
  });
});
