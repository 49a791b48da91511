/**
 * Two weeks of a cohort's life through the terminal, on SQLite and PostgreSQL, every rule checked after every day
 * (script.ts, cohort-life.ts; issue 16).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { availableKinds } from '../support/databases.ts';
import { createTestEngine, type TestEngine } from '../support/engine.ts';
import { CohortLife, nextMonday } from './cohort-life.ts';
import { expectFairBoards, playCohort, zone } from './script.ts';

describe.each(availableKinds)('two weeks of a cohort (%s)', (kind) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine(kind, { now: nextMonday(zone, 7), timeZone: zone });
  });
  afterAll(() => engine.close());

  it('GIVEN members on every path the bot suggests THEN XP and first tries once, boards equal a recount, equal results equal points, nothing ahead shown, reports and languages right', async () => {
    const life = new CohortLife(engine);
    const result = await playCohort(life, 2);
    await life.terminal.end();
    expectFairBoards(result);
  }, 240_000);
});
