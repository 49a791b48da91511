/**
 * vitest global setup: finds the PostgreSQL server the integration tests use and hands its URL to them.
 *
 * - TEST_POSTGRES_URL set (as .ci/run does): that server.
 * - Otherwise, when PostgreSQL's binaries are installed (Debian's `postgresql` package): a throwaway server in a
 *   temporary folder on 127.0.0.1, stopped and removed after the run, so `npm test` on a developer's machine tests
 *   PostgreSQL too.
 * - Neither: the PostgreSQL tests are skipped with a message, except under CI, where that is an error.
 */
import type { TestProject } from 'vitest/node';
import { startLocalPostgres } from '../../src/cli/local-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.TEST_POSTGRES_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return undefined;
  }
  const server = await startLocalPostgres();
  if (!server) {
    if (process.env.CI) {
      throw new Error('CI needs PostgreSQL for the integration tests: set TEST_POSTGRES_URL (bash .ci/run does)');
    }
    console.warn(
      'PostgreSQL is not installed: the PostgreSQL tests are skipped (apt-get install postgresql, or set TEST_POSTGRES_URL).',
    );
    project.provide('postgresUrl', null);
    return undefined;
  }
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
