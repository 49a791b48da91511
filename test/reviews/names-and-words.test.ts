/**
 * Point 8 of issue 16, through the terminal (the adapter where it was seen): the default admin has a real name, a
 * command word never collides with the default cohort's name (`ranking geral` is cohort `geral`'s board, the all-time
 * board is `ranking total`), and English reads as English ("2-day streak", "Carla's progress").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOwnerName, ownerNameFor } from '../../src/adapters/terminal/terminal.adapter.ts';
import leaderboard from '../../src/commands/social/leaderboard.command.ts';
import { translator } from '../../src/i18n/translator.ts';
import { nextMonday } from '../support/clock.ts';
import { createTestEngine, type TestEngine, textOf } from '../support/engine.ts';
import { driveTerminal, firstAnswerButton, type TerminalDriver } from '../support/terminal-driver.ts';

describe('the terminal’s default names and words (sqlite)', () => {
  let engine: TestEngine;
  let terminal: TerminalDriver;
  beforeAll(async () => {
    // A weekday after the channel's drop time (09:00 in its zone): the first drop is posted at start. The real now
    // failed from local midnight to 09:00 and on weekends (no drop yet to answer).
    engine = await createTestEngine('sqlite', { now: nextMonday('America/Sao_Paulo', 10) });
    terminal = driveTerminal(engine);
    await terminal.ready;
  });
  afterAll(async () => {
    await terminal?.end();
    await engine?.close();
  });

  it('GIVEN a new terminal session THEN its admin has a real name, and another member reaches them by it', async () => {
    expect(defaultOwnerName).toBe('Alex');
    expect(terminal.out).toContain(`como ${defaultOwnerName}.`);
    expect(await terminal.send('/who')).toContain(`Você é ${defaultOwnerName} (admin)`);
    expect(await terminal.send('/as Bia')).toContain('Agora você é Bia.');
    // Bia asking for "você" (you) gets herself or nobody, never the admin.
    expect(await terminal.send('progresso você')).not.toContain(`Progresso de ${defaultOwnerName}`);
    expect(await terminal.send(`progresso ${defaultOwnerName}`)).toContain(`Progresso de ${defaultOwnerName}`);
  });

  it('GIVEN the default cohort geral THEN `ranking geral` is its board and `ranking total` the all-time one', async () => {
    const today = await terminal.send('hoje');
    await terminal.send(firstAnswerButton(today));
    const byName = await terminal.send('ranking geral');
    expect(byName).toContain('Ranking da semana · geral');
    expect(byName).not.toContain('Ranking geral · geral');
    expect(await terminal.send('ranking total')).toContain('Ranking de todos os tempos · geral');
    // No period word is a cohort's name: `geral` goes to the cohort.
    expect(leaderboard.parse(['geral'], 'geral')).toMatchObject({ cohort: 'geral', period: undefined });
  });

  it('GIVEN logins THEN the admin is named from a person’s login, never from a system account', () => {
    expect(ownerNameFor('maria')).toBe('Maria');
    expect(ownerNameFor('joao.silva')).toBe('Joao');
    expect(ownerNameFor('root')).toBe(defaultOwnerName);
    expect(ownerNameFor('runner')).toBe(defaultOwnerName);
    expect(ownerNameFor('u12345')).toBe(defaultOwnerName);
    expect(ownerNameFor(undefined)).toBe(defaultOwnerName);
  });

  it('GIVEN English THEN plurals and possessives read as English', async () => {
    const { t } = translator('en');
    expect(t('learning.answer.streak', { days: 2 })).toBe('🔥 2-day streak!');
    expect(t('learning.xp.streak_bonus', { days: 4, xp: 4 })).toBe('4-day streak +4 XP');
    expect(t('social.progress.headline', { name: 'Carla' })).toBe("Carla's progress");
    const carla = { id: 'U-CARLA', name: 'Carla' };
    await engine.say(carla, 'language en', { channel: null });
    expect(textOf(await engine.say(carla, 'progress', { channel: null }))).toContain("Carla's progress");
  });
});
