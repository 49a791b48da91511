import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, parseConfig } from './env.ts';

describe('parseConfig', () => {
  it('GIVEN no variables THEN every default applies: SQLite in ./data, pt-BR, São Paulo', () => {
    const config = parseConfig({});
    expect(config.database).toMatchObject({ kind: 'sqlite' });
    expect(config.database.kind === 'sqlite' && config.database.filePath).toMatch(/data\/trilha\.db$/);
    expect(config).toMatchObject({
      contentDir: 'content',
      defaultLocale: 'pt-BR',
      defaultTimeZone: 'America/Sao_Paulo',
      logLevel: 'info',
    });
  });

  it('GIVEN empty values THEN they count as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', TRILHA_LOCALE: ' ' }).defaultLocale).toBe('pt-BR');
  });

  it('GIVEN a PostgreSQL URL THEN the database is PostgreSQL', () => {
    expect(parseConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/trilha' }).database).toEqual({
      kind: 'postgresql',
      url: 'postgresql://u:p@db:5432/trilha',
    });
    expect(parseConfig({ DATABASE_URL: 'postgres://db/trilha' }).database.kind).toBe('postgresql');
  });

  it.each([
    ['DATABASE_URL', 'mysql://root:hunter2@db/trilha', 'must start with file:'],
    ['DATABASE_URL', 'file:', 'needs a file path'],
    ['TRILHA_LOCALE', 'fr', 'must be pt-BR or en'],
    ['TRILHA_TIME_ZONE', 'Mars/Olympus', 'IANA time zone'],
    ['LOG_LEVEL', 'loud', 'must be one of'],
  ])('GIVEN %s=%s THEN one line names the variable and what it expects', (name, value, expected) => {
    const error = captureError(() => parseConfig({ [name]: value }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toContain(name);
    expect(error.message).toContain(expected);
  });

  it('GIVEN a refused URL with a password THEN the message never prints the value', () => {
    const error = captureError(() => parseConfig({ DATABASE_URL: 'mysql://root:hunter2@db/trilha' }));
    expect(error.message).not.toContain('hunter2');
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('.env.example', () => {
  it('GIVEN the configuration schema THEN .env.example documents every variable with its default, and nothing else', () => {
    const example = readFileSync(join(import.meta.dirname, '..', '..', '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...configVariables].sort());
    // The values written there are the defaults: parsing the file gives the same configuration as parsing nothing.
    const values = Object.fromEntries([...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(parseConfig(values)).toEqual(parseConfig({}));
  });
});
