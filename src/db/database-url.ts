import { isAbsolute, resolve } from 'node:path';
import type { DatabaseKind } from './schema-files.ts';

/** Where the data lives, as `DATABASE_URL` says. */
export type DatabaseTarget =
  | {
      kind: 'sqlite';
      url: string;
      /** Absolute path of the database file. */
      filePath: string;
      /** The path as DATABASE_URL gave it, for messages (`/srv/trilha/ask.db`, `./data/trilha.db`). */
      given?: string;
    }
  | { kind: 'postgresql'; url: string };

export const defaultDatabaseUrl = 'file:./data/trilha.db';

/**
 * `file:…` is SQLite (a path relative to the working directory), `postgres://…` or `postgresql://…` is PostgreSQL.
 * Returns an error message for anything else.
 */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseTarget | { error: string } {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/\?.*$/, '');
    if (path === '' || path === ':memory:') {
      return { error: 'a SQLite URL needs a file path, for example file:./data/trilha.db' };
    }
    const filePath = isAbsolute(path) ? path : resolve(cwd, path);
    return { kind: 'sqlite', url: `file:${filePath}`, filePath, given: path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      return { error: 'not a valid PostgreSQL URL (postgresql://user:password@host:5432/database)' };
    }
    return { kind: 'postgresql', url };
  }
  return {
    error:
      'must start with file: (SQLite, for example file:./data/trilha.db) or postgresql:// (PostgreSQL, for example postgresql://trilha:secret@localhost:5432/trilha)',
  };
}

/** The URL with its password replaced, safe for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

export function kindOf(target: DatabaseTarget): DatabaseKind {
  return target.kind;
}
