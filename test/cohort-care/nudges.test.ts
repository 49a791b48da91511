/**
 * Daily nudges on both databases: the `lembrete`/`nudge` settings, the nudge job run by a drop scheduler at the
 * member's local hour (never twice a day, even with two schedulers of one platform or a member linked on two
 * platforms; never with nothing to say, which claims nothing; never on hold), its buttons (today's quiz from a direct
 * message, stop in one click), and then end to end through the terminal in America/New_York across the
 * spring-forward change (Sunday 2026-03-08) with quiet hours that wrap midnight.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/core/action-id.ts';
import { type Message, plainText } from '../../src/core/message.ts';
import type { Platform } from '../../src/core/ports/members.port.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler } from '../../src/scheduler/drop-scheduler.ts';
import { NudgeJob } from '../../src/scheduler/nudges.ts';
import { availableKinds } from '../support/databases.ts';
import { buttonsOf, createTestEngine, type TestEngine, type TestUser, textOf } from '../support/engine.ts';
import {
  buttonNumber,
  directMessages,
  driveTerminal,
  firstAnswerButton,
  type TerminalDriver,
} from '../support/terminal-driver.ts';

const zone = 'America/New_York';
const ana: TestUser = { id: 'U-ANA', name: 'Ana' };
const bia: TestUser = { id: 'U-BIA', name: 'Bia' };
const caio: TestUser = { id: 'U-CAIO', name: 'Caio' };
const dora: TestUser = { id: 'U-DORA', name: 'Dora' };

interface Sent {
  readonly userRef: string;
  readonly message: Message;
  readonly via: string;
}

describe.each(availableKinds)('nudges (%s)', (kind) => {
  let engine: TestEngine;
  let sent: Sent[];

  /** A drop scheduler of `platform` (every platform when undefined) with the nudge job, recording direct messages. */
  const scheduler = (owner: string, platform?: Platform) =>
    new DropScheduler({
      services: engine.app.services,
      logger: silentLogger(),
      owner,
      ...(platform ? { platform } : {}),
      jobs: [new NudgeJob()],
      notifier: {
        post: async () => ({ postRef: `p-${Math.random()}`, threadRef: `t-${Math.random()}` }),
        direct: async (userRef, message) => {
          sent.push({ userRef, message, via: owner });
          return { postRef: `d-${sent.length}`, threadRef: `d-${sent.length}` };
        },
      },
    });
  const at = (iso: string) => {
    engine.clock.now = new Date(iso);
    return engine.clock.now;
  };
  const memberOf = (user: TestUser) => engine.app.db.member.findFirstOrThrow({ where: { displayName: user.name } });

  beforeEach(async () => {
    sent = [];
    // Friday 6 March 2026, 08:00 in New York (EST).
    engine = await createTestEngine(kind, { now: new Date('2026-03-06T13:00:00Z'), timeZone: zone });
    const workspace = await engine.app.dispatcher.workspace(engine.request(ana));
    await engine.app.services.stores.drops.ensureChannel({
      workspaceId: workspace.id,
      externalId: 'C-GENERAL',
      name: 'geral',
      trackId: 'docker',
      locale: 'pt-BR',
      timeZone: zone,
      startDate: '2026-03-06',
    });
  });
  afterEach(() => engine.close());

  it('GIVEN members with nudges on THEN each gets one at their hour when something waits, once a day in total', async () => {
    const morning = scheduler('replica-a');
    await morning.tick(at('2026-03-06T14:00:00Z')); // 09:00: the drop
    for (const user of [ana, bia, caio, dora]) await engine.say(user, 'lembrete 18');
    // Ana answers 1 of 3 questions; Caio all of them (nothing left today, no review due yet); Bia none (no cohort).
    const today = await engine.say(ana, 'hoje');
    const answers = buttonsOf(today).filter((button) => decodeAction(button.actionId).ok);
    const firstAnswer = answers.find((button) => button.label.startsWith('A)'));
    if (!firstAnswer) throw new Error('no answer button');
    await engine.click(ana, firstAnswer.actionId);
    const caioQuiz = buttonsOf(await engine.say(caio, 'hoje')).filter((button) => /^A\)/.test(button.label));
    for (const button of caioQuiz) await engine.click(caio, button.actionId);
    // Dora answers one, then goes on vacation from today.
    const doraQuiz = buttonsOf(await engine.say(dora, 'hoje')).filter((button) => /^A\)/.test(button.label));
    await engine.click(dora, doraQuiz[0]?.actionId ?? '');
    expect(textOf(await engine.say(dora, 'ferias 2026-03-06 2026-03-08'))).toContain('Férias marcadas');

    // 17:59: too early. Two replicas of the same platform tick at once from 18:00.
    const other = scheduler('replica-b');
    await Promise.all([morning.tick(at('2026-03-06T22:59:00Z')), other.tick(engine.clock.now)]);
    expect(sent).toEqual([]);
    for (const instant of ['2026-03-06T23:00:00Z', '2026-03-06T23:00:30Z', '2026-03-07T02:59:00Z']) {
      await Promise.all([morning.tick(at(instant)), other.tick(engine.clock.now)]);
    }
    expect(sent.map((nudge) => nudge.userRef)).toEqual([ana.id]);
    const text = plainText(sent[0]?.message as Message);
    expect(text).toContain('Hora de praticar');
    expect(text).toContain('O quiz de hoje em #geral espera por você (2 perguntas).');
    expect(text).toContain('Lembrete diário a partir das 18h');
    // Nothing to say or on hold: no nudge, and the day is not claimed (a quiz posted later could still be nudged).
    expect((await memberOf(caio)).lastNudgeDate).toBeNull();
    expect((await memberOf(bia)).lastNudgeDate).toBeNull();
    expect((await memberOf(dora)).lastNudgeDate).toBeNull();
    expect((await memberOf(ana)).lastNudgeDate).toBe('2026-03-06');

    // The "today's quiz" button works from a direct message (no channel): the lesson and the questions left.
    const buttons = buttonsOf([{ audience: { kind: 'private' }, message: sent[0]?.message as Message }]);
    expect(buttons.map((button) => button.label)).toEqual(['Quiz de #geral', 'Parar lembretes']);
    const quiz = await engine.click(ana, buttons[0]?.actionId ?? '', { channel: null });
    expect(textOf(quiz)).toContain('Pergunta 1 de 3');

    // Somebody else's stop button changes nothing; Ana's own stops her nudges in one click.
    expect(textOf(await engine.click(bia, buttons[1]?.actionId ?? '', { channel: null }))).toContain(
      'Este botão é de outra pessoa',
    );
    expect((await memberOf(ana)).nudgeHour).toBe(18);
    expect(textOf(await engine.click(ana, buttons[1]?.actionId ?? '', { channel: null }))).toContain(
      'Lembretes desligados',
    );
    expect((await memberOf(ana)).nudgeHour).toBeNull();
  });

  it('GIVEN a member linked on two platforms THEN the two schedulers send one nudge a day in total', async () => {
    const terminal = scheduler('terminal-1', 'terminal');
    await terminal.tick(at('2026-03-09T13:00:00Z')); // Monday 09:00 EDT: the drop
    await engine.say(ana, 'lembrete 18');
    const quiz = buttonsOf(await engine.say(ana, 'hoje')).filter((button) => /^A\)/.test(button.label));
    await engine.click(ana, quiz[0]?.actionId ?? '');
    // Ana's Discord account, linked to the same member.
    const member = await memberOf(ana);
    const guild = await engine.app.db.workspace.create({
      data: { platform: 'discord', externalId: 'G-1', name: 'Guild', timeZone: 'Europe/Lisbon' },
    });
    await engine.app.db.identity.create({
      data: {
        memberId: member.id,
        workspaceId: guild.id,
        platform: 'discord',
        externalId: '4242',
        linkedAt: new Date(),
      },
    });
    const discord = scheduler('discord-1', 'discord');
    for (const instant of [
      '2026-03-09T21:59:00Z',
      '2026-03-09T22:00:00Z',
      '2026-03-09T22:00:10Z',
      '2026-03-10T03:00:00Z',
    ]) {
      await Promise.all([terminal.tick(at(instant)), discord.tick(engine.clock.now)]);
    }
    expect(sent).toHaveLength(1);
    expect([ana.id, '4242']).toContain(sent[0]?.userRef);
    // The next day (Tuesday, 18:00 EDT: the member's zone comes from their first account, New York) one more.
    await terminal.tick(at('2026-03-10T13:00:00Z'));
    for (const instant of ['2026-03-10T22:00:00Z', '2026-03-10T22:30:00Z']) {
      await Promise.all([discord.tick(at(instant)), terminal.tick(engine.clock.now)]);
    }
    expect(sent).toHaveLength(2);
    expect((await memberOf(ana)).lastNudgeDate).toBe('2026-03-10');
  });

  it('GIVEN the nudge command THEN hours, quiet hours and off are set, shown and refused when malformed, in both languages', async () => {
    expect(textOf(await engine.say(ana, 'lembrete'))).toContain('Lembrete diário: desligado.');
    expect(textOf(await engine.say(ana, 'lembrete 18h'))).toContain(
      'mando um lembrete por mensagem direta a partir das 18h (fuso America/New_York)',
    );
    expect(textOf(await engine.say(ana, 'lembrete silencio 22-7'))).toContain('Horário de silêncio: 22:00-07:00');
    expect(textOf(await engine.say(ana, 'lembrete 23'))).toContain('das 23h à meia-noite é tudo horário de silêncio');
    const shown = textOf(await engine.say(ana, 'lembrete'));
    expect(shown).toContain('Lembrete diário: a partir das 23h (fuso America/New_York).');
    expect(shown).toContain('Horário de silêncio: 22:00-07:00.');
    expect(textOf(await engine.say(ana, 'progresso'))).toContain('*Lembrete:* a partir das 23h, silêncio 22:00-07:00');
    expect(textOf(await engine.say(ana, 'lembrete silencio nenhum'))).toContain('Horário de silêncio removido.');
    expect(textOf(await engine.say(ana, 'lembrete desligar'))).toContain('Lembretes desligados.');
    expect(await memberOf(ana)).toMatchObject({ nudgeHour: null, quietHours: null });
    for (const bad of [
      'lembrete 25',
      'lembrete 18:30',
      'lembrete silencio 22:00-22:00',
      'lembrete 18 off',
      'lembrete 7 8',
    ]) {
      expect(textOf(await engine.say(ana, bad)), bad).toContain('Não entendi');
    }
    await engine.say(bia, 'language en');
    expect(textOf(await engine.say(bia, 'nudge 7 quiet 22:00-07:00'))).toContain(
      'I will send you a direct message from 7:00',
    );
    expect(textOf(await engine.say(bia, 'reminder off'))).toContain('Nudges are off.');
    // Discord sends the options' values in order: `nudge <hour> <quiet>`.
    expect(textOf(await engine.say(bia, 'nudge 20 21:30-06:00'))).toContain('Quiet hours: 21:30-06:00');
    expect(await memberOf(bia)).toMatchObject({ nudgeHour: 20, quietHours: '21:30-06:00' });
  });
});

describe.each(availableKinds)('nudges end to end through the terminal (%s)', (kind) => {
  let engine: TestEngine;
  let terminal: TerminalDriver;

  beforeAll(async () => {
    // Friday 6 March 2026, 08:00 in New York: an hour before the first drop (09:00, Monday to Friday).
    engine = await createTestEngine(kind, { now: new Date('2026-03-06T13:00:00Z'), timeZone: zone });
    terminal = driveTerminal(engine);
    await terminal.ready;
  });
  afterAll(async () => {
    await terminal.end();
    await engine.close();
  });

  it('GIVEN a nudge at 18h THEN it comes at 18:00 before and after the DST change, after quiet hours, and stops in one click', async () => {
    expect(await terminal.send('lembrete 18')).toContain('a partir das 18h');
    const friday = await terminal.send('/tick 1h');
    await terminal.send(firstAnswerButton(friday)); // 1 of 3: joins #geral's cohort

    // Friday 18:00 EST: today's quiz still has 2 questions for me.
    const evening = await terminal.send('/tick 10h');
    expect(directMessages(evening)).toEqual(['Alex · sex., 06/03/2026, 18:00 (America/New_York)']);
    expect(evening).toContain('O quiz de hoje em #geral espera por você (2 perguntas).');

    // Over the weekend and the change to EDT, to Monday 19:00: at most one a day, always at 18:00 on the wall clock,
    // and Monday's (an unanswered quiz) among them.
    const weekend = await terminal.send('/tick 3d');
    const labels = directMessages(weekend);
    for (const label of labels) expect(label).toMatch(/, 18:00 \(America\/New_York\)$/);
    expect(new Set(labels.map((label) => label.slice(0, 20))).size).toBe(labels.length);
    expect(labels).toContain('Alex · seg., 09/03/2026, 18:00 (America/New_York)');

    // From 6h with quiet hours 22:00–10:00 (wrapping midnight): Tuesday's nudge waits until 10:00, after the drop.
    await terminal.send('lembrete 6');
    expect(await terminal.send('lembrete silencio 22:00-10:00')).toContain('Horário de silêncio: 22:00-10:00');
    const tuesday = await terminal.send('/tick 1d');
    expect(directMessages(tuesday)).toEqual(['Alex · ter., 10/03/2026, 10:00 (America/New_York)']);

    // One click on "Parar lembretes" in the direct message: no more nudges.
    expect(await terminal.send(buttonNumber(tuesday, 'Parar lembretes'))).toContain('Lembretes desligados');
    expect(directMessages(await terminal.send('/tick 2d'))).toEqual([]);
    expect(await terminal.send('progresso')).toContain('Lembrete: desligado');
  });
});
