/**
 * Eight weeks of the scripted cohort (script.ts) on SQLite, every rule checked after every day. About two and a half
 * minutes on the project's 2-core machine, beyond the CI budget of the journeys, so it runs when asked:
 * `TRILHA_LONG_JOURNEY=1 npx vitest run test/journeys/eight-weeks.sqlite.test.ts`. The two-week journeys run always.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestEngine, type TestEngine } from '../support/engine.ts';
import { CohortLife, nextMonday } from './cohort-life.ts';
import { expectFairBoards, playCohort, zone } from './script.ts';

describe.runIf(process.env.TRILHA_LONG_JOURNEY === '1')('eight weeks of a cohort (sqlite)', () => {
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
  }, 900_000);
});
