/**
 * `npm test`: every `*.test.ts` except the soaks (`*.soak.test.ts`: long runs of real processes, `npm run test:soak`,
 * vitest.soak.config.ts). Two workers at least: most of a test's time is spent waiting on a database or a child
 * process, so a second worker uses the time the first waits, also on two cores (vitest's default there is one).
 *
 * The files that take longest start first (`longestFirst`), the others follow in vitest's order. Without it, a fresh
 * clone (no timings of an earlier run) starts the largest files first, and a long test in a small file (the 1 KB
 * eight-week journey, about 27 s) runs last while the other worker has nothing left: the run waits on one worker.
 */
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The longest files of `npm test` on a quiet machine (vitest's per-file times), longest first. */
const longestFirst = [
  'test/integration/start-discord.test.ts',
  'test/integration/answer-batch.test.ts',
  'test/ops/bundle.test.ts',
  'test/budgets/slack-budgets.test.ts',
  'test/cohort-care/streaks.test.ts',
  'test/integration/crash-safety.test.ts',
  'test/budgets/discord-budgets.test.ts',
  'test/integration/start.test.ts',
  'test/commands/social.test.ts',
  'test/integration/first-contact.test.ts',
  'test/hostile/http-memory.test.ts',
  'test/journeys/random-life.test.ts',
  'test/reviews/review-queue-bound.test.ts',
  'test/journeys/two-weeks.postgresql.test.ts',
  'test/integration/scheduler.test.ts',
  'test/adapters/slack.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = longestFirst.indexOf(relative(file.project.config.root, file.moduleId).replaceAll('\\', '/'));
      return at === -1 ? longestFirst.length : at;
    };
    // Array.prototype.sort is stable: the unlisted files keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export const shared = {
  globalSetup: ['test/support/postgres-server.ts'],
  setupFiles: ['test/support/fail-on-console-error.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    ...shared,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.soak.test.ts'],
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Each worker keeps the modules it imported from one file to the next instead of importing the whole app again
    // per file (62 s of imports in a run became 13 s; the run 329 s → 196 s on 2 cores). The tests share no module
    // state: each builds its own engine, database, fakes and clock (test/support), and restores what it changes.
    isolate: false,
    sequence: { sequencer: LongestFirst },
  },
});
