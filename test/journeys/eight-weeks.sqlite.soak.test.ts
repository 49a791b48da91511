/**
 * Eight weeks of the scripted cohort (script.ts) on SQLite, every rule checked after every day: about 30 s on the
 * project's 2-core machine, so it runs with `npm run test:soak` (CI runs it after `npm test`); `npm test` plays the
 * same script for two weeks on both databases (two-weeks.*.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextMonday } from '../support/clock.ts';
import { createTestEngine, type TestEngine } from '../support/engine.ts';
import { CohortLife } from './cohort-life.ts';
import { expectFairBoards, playCohort, zone } from './script.ts';

describe('eight weeks of a cohort (sqlite)', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine('sqlite', { now: nextMonday(zone, 7), timeZone: zone });
  });
  afterAll(() => engine.close());

  it('GIVEN eight weeks of members on every path THEN every rule holds after every day', async () => {
    const life = new CohortLife(engine);
    const result = await playCohort(life, 8);
    await life.terminal.end();
    expectFairBoards(result);
    // Forty weekday drops played, eight weekly boards read.
    expect(await engine.app.db.drop.count({ where: { postedAt: { not: null } } })).toBe(40);
    expect(result.weeks).toHaveLength(8);
  }, 900_000);
});
