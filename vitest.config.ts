import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/postgres-server.ts'],
    setupFiles: ['test/support/fail-on-console-error.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
