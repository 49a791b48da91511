/**
 * The logger never writes a secret: redacted fields, and every configured secret scrubbed from the finished line
 * wherever it hides (a message, an error, a URL, JSON escapes); context fields on every line. Lines never go to the
 * interactive terminal chat's screen (the e2e check is test/integration/start-chat.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { censor, chatLogFile, createLogger, logOutputFor, scrubber } from './logger.ts';

function capture(options: Parameters<typeof createLogger>[2] = {}) {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) }, options);
  return { logger, text: () => lines.join('') };
}

describe('createLogger', () => {
  const botToken = 'xoxb-1111-2222-secret-bot-token';
  const discordToken = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcRt.secret-discord-part';
  const password = 'p@ss:w/rd"quoted\\';

  it('GIVEN secrets fed through every kind of field THEN none appears in the output, each shows as redacted', () => {
    const { logger, text } = capture({ secrets: [botToken, discordToken, password] });
    logger.info({ detail: `Authorization: Bot ${discordToken}` }, `connecting with ${botToken}`);
    logger.error({ err: new Error(`login failed for ${discordToken}`) }, 'discord login failed');
    logger.warn({ nested: { deeper: [{ value: botToken }] } }, 'nested');
    logger.info({ url: `postgresql://trilha:${encodeURIComponent(password)}@db:5432/trilha` }, 'database');
    logger.info({ raw: password }, 'a password with quotes and a backslash, JSON-escaped in the line');
    logger.info({ token: 'short', headers: { authorization: 'Bot abc' } }, 'redacted paths');
    const output = text();
    for (const secret of [
      botToken,
      discordToken,
      password,
      encodeURIComponent(password),
      'secret-bot',
      'secret-discord',
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toContain(JSON.stringify(password).slice(1, -1));
    expect(output.split(censor).length - 1).toBeGreaterThanOrEqual(8);
    expect(output).not.toContain('Bot abc');
    // The rest of each line is intact.
    expect(output).toContain('discord login failed');
    expect(output).toContain('connecting with');
  });

  it('GIVEN no secrets, or only very short ones THEN lines are written as they are', () => {
    expect(scrubber([])).toBeNull();
    expect(scrubber(['abc'])).toBeNull();
    const { logger, text } = capture({ secrets: ['abc'] });
    logger.info('abc stays');
    expect(text()).toContain('abc stays');
  });

  it('GIVEN a context THEN its fields are on every line written while it holds', () => {
    let fields: Record<string, string> | undefined = { interaction: '123', platform: 'discord' };
    const { logger, text } = capture({ context: () => fields });
    logger.info('inside');
    fields = undefined;
    logger.info('outside');
    const [inside, outside] = text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(inside).toMatchObject({ interaction: '123', platform: 'discord', msg: 'inside' });
    expect(outside.interaction).toBeUndefined();
  });
});

describe('logOutputFor', () => {
  it('GIVEN the interactive terminal chat THEN lines go to data/trilha.log, or to TRILHA_LOG_FILE when set', () => {
    expect(logOutputFor({ interactiveChat: true, stderrIsTTY: true })).toEqual({ kind: 'file', path: chatLogFile });
    expect(chatLogFile).toBe('data/trilha.log');
    expect(logOutputFor({ logFile: '/var/log/trilha.log', interactiveChat: true, stderrIsTTY: true })).toEqual({
      kind: 'file',
      path: '/var/log/trilha.log',
    });
  });

  it('GIVEN a piped or scripted run, or a platform THEN JSON lines on stderr, readable ones when stderr is a terminal, the file when TRILHA_LOG_FILE is set', () => {
    expect(logOutputFor({ interactiveChat: false, stderrIsTTY: false })).toEqual({ kind: 'stderr', pretty: false });
    expect(logOutputFor({ interactiveChat: false, stderrIsTTY: true })).toEqual({ kind: 'stderr', pretty: true });
    expect(logOutputFor({ logFile: 'x.log', interactiveChat: false, stderrIsTTY: false })).toEqual({
      kind: 'file',
      path: 'x.log',
    });
  });
});
