/**
 * A fresh database for one measurement, and how to drop it: a SQLite file in a temporary folder, or a new database on
 * the PostgreSQL server given (null when none is); and Trilha opened on it as every bench and load process runs it
 * (`openBenchApp`). Shared by `npm run bench` (bench.ts), answer-cost.ts, replica-process.ts and the crash test's
 * world.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type App, openApp } from '../../app.ts';
import type { Track } from '../../core/curriculum.ts';
import type { DatabaseTarget } from '../../db/database-url.ts';
import type { DatabaseKind } from '../../db/schema-files.ts';
import { silentLogger } from '../../runtime/logger.ts';

/**
 * Trilha on `target` as the benches run it: a new workspace's defaults (pt-BR, São Paulo), no logs. `migrate: false`
 * for a process that joins a database another one migrated (a replica).
 */
export function openBenchApp(
  target: DatabaseTarget,
  tracks: readonly Track[],
  options: { readonly migrate?: boolean } = {},
): Promise<App> {
  return openApp({
    database: target,
    tracks,
    defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    logger: silentLogger(),
    ...options,
  });
}

export interface BenchDatabase {
  readonly target: DatabaseTarget;
  readonly drop: () => Promise<void>;
}

export async function freshDatabase(kind: DatabaseKind, postgresServer: string | null): Promise<BenchDatabase | null> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'trilha-bench-'));
    const filePath = join(dir, 'bench.db');
    return {
      target: { kind, url: `file:${filePath}`, filePath },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!postgresServer) return null;
  const name = `trilha_bench_${randomUUID().replaceAll('-', '')}`;
  await postgresAdmin(postgresServer, `CREATE DATABASE "${name}"`);
  const url = new URL(postgresServer);
  url.pathname = `/${name}`;
  return {
    target: { kind, url: url.toString() },
    drop: () => postgresAdmin(postgresServer, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function postgresAdmin(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
