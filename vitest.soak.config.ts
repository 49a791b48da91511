/** `npm run test:soak`: the long runs of real processes (`*.soak.test.ts`), after `npm test` in CI (.ci/run). */
import { defineConfig } from 'vitest/config';
import { shared } from './vitest.config.ts';

export default defineConfig({
  test: { ...shared, include: ['test/**/*.soak.test.ts'], maxWorkers: 1 },
});
