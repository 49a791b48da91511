/**
 * `npm test`: every `*.test.ts` except the soaks (`*.soak.test.ts`: long runs of real processes, `npm run test:soak`,
 * vitest.soak.config.ts). Two workers at least: most of a test's time is spent waiting on a database or a child
 * process, so a second worker uses the time the first waits, also on two cores (vitest's default there is one).
 */
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

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
  },
});
