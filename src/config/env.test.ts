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

describe('Slack settings', () => {
  const bot = 'xoxb-1-secret-bot-token';
  it('GIVEN a Discord token THEN Discord is on with its optional ids and URL; a malformed token or id is refused without its value', () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcRt.some-secret-part';
    expect(parseConfig({}).discord).toBeNull();
    expect(
      parseConfig({ DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_GUILD_ID: '' }).discord,
    ).toEqual({ token, applicationId: '123456789012345678' });
    const badToken = captureError(() => parseConfig({ DISCORD_TOKEN: 'not a token' }));
    expect(badToken.message).toContain('DISCORD_TOKEN must be a bot token');
    expect(badToken.message).not.toContain('not a token');
    expect(captureError(() => parseConfig({ DISCORD_GUILD_ID: 'my-server' })).message).toContain('DISCORD_GUILD_ID');
    expect(parseConfig({ DISCORD_TOKEN: token, DISCORD_SHARDS: 'auto' }).discord?.shards).toBe('auto');
    expect(parseConfig({ DISCORD_TOKEN: token, DISCORD_SHARDS: '4' }).discord?.shards).toBe(4);
    expect(captureError(() => parseConfig({ DISCORD_SHARDS: 'many' })).message).toContain('DISCORD_SHARDS');
  });

  it('GIVEN a platform THEN the operations endpoints listen on 8080 unless set or off; the terminal alone has none', () => {
    const token = 'MTIz.GsEcRt.secret';
    expect(parseConfig({}).httpPort).toBeNull();
    expect(parseConfig({ TRILHA_HTTP_PORT: '9100' }).httpPort).toBe(9100);
    expect(parseConfig({ DISCORD_TOKEN: token }).httpPort).toBe(8080);
    expect(parseConfig({ DISCORD_TOKEN: token, TRILHA_HTTP_PORT: 'off' }).httpPort).toBeNull();
    expect(captureError(() => parseConfig({ TRILHA_HTTP_PORT: 'http' })).message).toContain(
      'TRILHA_HTTP_PORT must be a port number or off',
    );
  });

  it('GIVEN no address THEN both HTTP servers listen on loopback; an address or host name is taken, anything else refused', () => {
    const bot = 'xoxb-1-secret-bot-token';
    const slack = { SLACK_BOT_TOKEN: bot, SLACK_SIGNING_SECRET: 'shh' };
    expect(parseConfig(slack)).toMatchObject({ httpHost: '127.0.0.1', slack: { host: '127.0.0.1' } });
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'fe80::1', 'localhost', 'bot.internal']) {
      expect(parseConfig({ ...slack, TRILHA_HTTP_HOST: host, SLACK_HOST: host })).toMatchObject({
        httpHost: host,
        slack: { host },
      });
    }
    for (const [name, host] of [
      ['TRILHA_HTTP_HOST', 'http://0.0.0.0'],
      ['SLACK_HOST', '0.0.0.0:3000'],
      ['SLACK_HOST', 'bad host'],
      ['TRILHA_HTTP_HOST', '-x.example'],
    ] as const) {
      const error = captureError(() => parseConfig({ ...slack, [name]: host }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toBe(
        `Configuration error: ${name} must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name`,
      );
    }
  });

  it('GIVEN TRILHA_METRICS_TOKEN THEN /metrics is guarded by it; a short or spaced token is refused without its value', () => {
    expect(parseConfig({}).metricsToken).toBeNull();
    const token = 'a1b2c3d4e5f6a7b8c9d0';
    expect(parseConfig({ TRILHA_METRICS_TOKEN: token }).metricsToken).toBe(token);
    for (const weak of ['short-secret', 'has a space in the middle']) {
      const error = captureError(() => parseConfig({ TRILHA_METRICS_TOKEN: weak }));
      expect(error.message).toContain('TRILHA_METRICS_TOKEN must be at least 16 visible ASCII characters');
      expect(error.message).not.toContain(weak);
    }
  });

  it('GIVEN no Slack token THEN Slack is off (the terminal runs)', () => {
    expect(parseConfig({}).slack).toBeNull();
  });

  it('GIVEN a bot token and an app token THEN Socket Mode, with the defaults for the rest', () => {
    expect(parseConfig({ SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: 'xapp-1-A-2-secret' }).slack).toEqual({
      botToken: bot,
      appToken: 'xapp-1-A-2-secret',
      port: 3000,
      host: '127.0.0.1',
      path: '/slack/events',
      admins: [],
    });
  });

  it('GIVEN a bot token and a signing secret THEN HTTP mode on the port and path given, with extra admins', () => {
    const slack = parseConfig({
      SLACK_BOT_TOKEN: bot,
      SLACK_SIGNING_SECRET: 'shh',
      SLACK_PORT: '8080',
      SLACK_PATH: '/hooks/slack',
      SLACK_ADMINS: 'U1, U2',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
    }).slack;
    expect(slack).toMatchObject({ signingSecret: 'shh', port: 8080, path: '/hooks/slack', admins: ['U1', 'U2'] });
    expect(slack?.apiUrl).toBe('http://127.0.0.1:9999/api/');
  });

  it.each([
    [{ SLACK_BOT_TOKEN: bot }, 'neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode)'],
    [{ SLACK_APP_TOKEN: 'xapp-1-secret' }, 'SLACK_BOT_TOKEN is missing'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-secret', SLACK_APP_TOKEN: 'xapp-1-x' }, 'SLACK_BOT_TOKEN must be a bot token'],
    [{ SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: 'xoxb-wrong-secret' }, 'SLACK_APP_TOKEN must be an app-level token'],
    [{ SLACK_BOT_TOKEN: bot, SLACK_SIGNING_SECRET: 's', SLACK_PORT: 'http' }, 'SLACK_PORT must be a port number'],
  ])('GIVEN %j THEN one line names the problem and no secret', (env, expected) => {
    const error = captureError(() => parseConfig(env));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toContain(expected);
    expect(error.message).not.toMatch(/secret/);
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
    // The Docker Compose section documents what docker-compose.yml reads; the bot ignores those.
    const composeOnly = ['POSTGRES_USER', 'POSTGRES_DB', 'POSTGRES_PASSWORD'];
    const documented = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)]
      .map((match) => match[1] as string)
      .filter((name) => !composeOnly.includes(name));
    expect(documented.sort()).toEqual([...configVariables].sort());
    // The values written there are the defaults: parsing the file gives the same configuration as parsing nothing.
    const values = Object.fromEntries([...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(parseConfig(values)).toEqual(parseConfig({}));
  });
});
