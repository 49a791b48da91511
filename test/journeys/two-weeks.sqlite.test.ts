/**
 * Two weeks of a cohort's life through the terminal on SQLite, every rule checked after every day (script.ts,
 * cohort-life.ts; issue 16). The same on PostgreSQL: two-weeks.postgresql.test.ts (a file each, so they run side by
 * side).
 */
import { describe } from 'vitest';
import { twoWeeks } from './script.ts';

describe('two weeks of a cohort (sqlite)', () => twoWeeks('sqlite'));
