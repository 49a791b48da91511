/** Two weeks of a cohort's life through the terminal on PostgreSQL (two-weeks.sqlite.test.ts, script.ts). */
import { describe } from 'vitest';
import { availableKinds } from '../support/databases.ts';
import { twoWeeks } from './script.ts';

describe.runIf(availableKinds.includes('postgresql'))('two weeks of a cohort (postgresql)', () =>
  twoWeeks('postgresql'),
);
