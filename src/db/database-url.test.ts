import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactDatabaseUrl } from './database-url.ts';

describe('parseDatabaseUrl', () => {
  it('GIVEN a relative SQLite path THEN it resolves against the working directory, and keeps the path as given', () => {
    expect(parseDatabaseUrl('file:./data/trilha.db', '/srv/trilha')).toEqual({
      kind: 'sqlite',
      url: 'file:/srv/trilha/data/trilha.db',
      filePath: '/srv/trilha/data/trilha.db',
      given: './data/trilha.db',
    });
  });

  it('GIVEN an absolute SQLite path with parameters THEN the parameters are dropped from the path', () => {
    expect(parseDatabaseUrl('file:/var/lib/trilha.db?connection_limit=1', '/x')).toMatchObject({
      filePath: '/var/lib/trilha.db',
      given: '/var/lib/trilha.db',
    });
  });

  it('GIVEN an in-memory SQLite URL THEN it is refused (progress must survive a restart)', () => {
    expect(parseDatabaseUrl('file::memory:')).toHaveProperty('error');
  });

  it('GIVEN an unknown scheme THEN it is refused', () => {
    expect(parseDatabaseUrl('mongodb://db/trilha')).toHaveProperty('error');
  });
});

describe('redactDatabaseUrl', () => {
  it('GIVEN a PostgreSQL URL with a password THEN the password is hidden', () => {
    expect(redactDatabaseUrl('postgresql://trilha:s3cr3t@db:5432/trilha')).toBe(
      'postgresql://trilha:***@db:5432/trilha',
    );
  });
  it('GIVEN a URL without a password THEN it is unchanged', () => {
    expect(redactDatabaseUrl('postgresql://db/trilha')).toBe('postgresql://db/trilha');
  });
});
