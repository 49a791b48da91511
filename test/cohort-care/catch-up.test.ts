/**
 * Late joiners and a facilitator's hand on the pace, on both databases.
 *
 * End to end through the terminal adapter: #geral drops at 09:00 in New York across the spring-forward change
 * (Sunday 2026-03-08) and into a second and third week; Lia joins late and catches up with `proxima`, told how far
 * behind she is, while the channel keeps its pace (the n-th drop is lesson n whatever she reads); the facilitator
 * pauses the cohort (no drops), a member cannot resume it, the facilitator resumes it (the next drop is the next
 * lesson: nothing skipped) and moves its start date (drops wait for it).
 *
 * Through the dispatcher: a cohort with two channels paused, resumed and started at once; the refusals (not an admin,
 * an unknown cohort, a cohort without a channel, a bad date); a late joiner's catch-up asked in a direct message.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Lesson } from '../../src/core/curriculum.ts';
import { availableKinds } from '../support/databases.ts';
import { createTestEngine, type TestEngine, type TestUser, textOf } from '../support/engine.ts';
import { driveTerminal, type TerminalDriver } from '../support/terminal-driver.ts';

const zone = 'America/New_York';

describe.each(availableKinds)('late joiners and the cohort pace, through the terminal (%s)', (kind) => {
  let engine: TestEngine;
  let terminal: TerminalDriver;
  let lessons: readonly Lesson[];

  beforeAll(async () => {
    // Monday 2 March 2026, 08:00 EST: an hour before #geral's first drop.
    engine = await createTestEngine(kind, { now: new Date('2026-03-02T13:00:00Z'), timeZone: zone });
    lessons = engine.app.services.curriculum.tracks[0]?.lessons ?? [];
    terminal = driveTerminal(engine);
    await terminal.ready;
  });
  afterAll(() => engine.close());

  const drops = () => engine.app.db.drop.findMany({ orderBy: { localDate: 'asc' } });
  const title = (index: number) => lessons[index]?.title['pt-BR'] ?? `lesson ${index}`;

  it('GIVEN a late joiner and a paused, resumed and restarted cohort THEN the channel keeps its own pace', async () => {
    // Week 1 and into week 2, across the change: Monday to Friday, then Monday 9 March at 09:00 EDT.
    await terminal.send('/tick 1h');
    const week = await terminal.send('/tick 1w');
    // A week of 168 hours across the change ends at 10:00 EDT.
    expect(week).toContain('O relógio avançou 1 semana. Agora: seg., 09/03/2026, 10:00 (America/New_York)');
    expect(week).toContain('#geral · seg., 09/03/2026, 09:00 (America/New_York)');
    const firstWeek = await drops();
    expect(firstWeek.map((drop) => [drop.localDate, drop.lessonId])).toEqual(
      ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09'].map((date, i) => [
        date,
        lessons[i]?.id,
      ]),
    );
    // 09:00 EST is 14:00Z before the change, 09:00 EDT is 13:00Z after it.
    expect(firstWeek.map((drop) => drop.postedAt?.toISOString().slice(11, 16))).toEqual([
      '14:00',
      '14:00',
      '14:00',
      '14:00',
      '14:00',
      '13:00',
    ]);

    // Lia joins on Monday: six lessons are out. `proxima` starts her at lesson 1 and says how many are left.
    await terminal.send('/as Lia');
    const first = await terminal.send('proxima');
    expect(first).toContain(title(0));
    expect(first).toContain('Recuperando o atraso: faltam 6 lições das que já saíram em #geral; esta é a primeira.');
    expect(first).toContain('O canal segue no ritmo dele; você segue no seu.');
    expect(await terminal.send('progresso')).toContain('Para pôr em dia: 5 lições já postadas em #geral');
    expect(await terminal.send('proxima')).toContain('faltam 5 lições');
    expect(await terminal.send('proxima')).toContain(title(2));

    // Tuesday: the channel posts lesson 7, not the lesson after Lia's: her reading does not move its pace.
    const tuesday = await terminal.send('/tick 1d');
    expect(tuesday).toContain(`──\n${title(6)}\n`);
    expect((await drops()).at(-1)).toMatchObject({ localDate: '2026-03-10', lessonId: lessons[6]?.id });
    expect(await terminal.send('proxima')).toContain('faltam 4 lições');

    // The facilitator pauses the cohort; Lia may not resume it.
    await terminal.send('/as Alex');
    const paused = await terminal.send('turma pausar geral');
    expect(paused).toContain('Turma `geral` pausada: #geral sem lições novas até `/trilha turma retomar geral`.');
    await terminal.send('/as Lia');
    expect(await terminal.send('turma retomar geral')).toContain('Só quem administra o espaço de trabalho');
    await terminal.send('/tick 1d');
    const pausedDays = await terminal.send('/tick 22h');
    expect(pausedDays).not.toMatch(/── #geral · (qua|qui)\./);
    expect(await drops()).toHaveLength(7);
    // Even paused, Lia goes on at her own pace.
    expect(await terminal.send('proxima')).toContain(title(4));

    // Resumed on Thursday before the drop time: Thursday posts lesson 8, the one after the last posted.
    await terminal.send('/as Alex');
    const resumed = await terminal.send('turma retomar geral');
    expect(resumed).toContain('Turma `geral` retomada: as lições continuam de onde pararam.');
    expect(resumed).toMatch(/#geral: lição 8 de \d+, quinta-feira, 12 de março/);
    const thursday = await terminal.send('/tick 2h');
    expect(thursday).toContain(`──\n${title(7)}\n`);
    expect((await drops()).map((drop) => drop.lessonId)).toEqual(lessons.slice(0, 8).map((lesson) => lesson.id));

    // Paused again and resumed on Friday after 09:00: Friday's drop (lesson 9) comes at once, late.
    await terminal.send('turma pausar geral');
    await terminal.send('/tick 1d');
    expect(await drops()).toHaveLength(8);
    expect(await terminal.send('turma retomar geral')).toContain('#geral: lição 9 de');
    const late = await terminal.send('/tick 1m');
    expect(late).toContain(`──\n${title(8)}\n`);
    expect((await drops()).at(-1)).toMatchObject({ localDate: '2026-03-13', lessonId: lessons[8]?.id });

    // A new start date holds the drops until then: nothing next week before Friday 20 March.
    const started = await terminal.send('turma inicio geral 2026-03-20');
    expect(started).toContain('Início da turma `geral`: 2026-03-20 em #geral.');
    expect(started).toMatch(/#geral: lição 10 de \d+, sexta-feira, 20 de março/);
    await terminal.send('/tick 1w');
    const after = await drops();
    expect(after.map((drop) => [drop.localDate, drop.lessonId]).slice(-2)).toEqual([
      ['2026-03-13', lessons[8]?.id],
      ['2026-03-20', lessons[9]?.id],
    ]);
    expect(await terminal.send('turma inicio geral ontem')).toContain('Use uma data no formato AAAA-MM-DD');

    expect(await terminal.send('/quit')).toContain('Até a próxima!');
  });
});

describe.each(availableKinds)('a cohort pace across channels (%s)', (kind) => {
  let engine: TestEngine;
  const admin: TestUser = { id: 'U-ADM', name: 'Fernanda', admin: true };
  const ana: TestUser = { id: 'U-ANA', name: 'Ana' };

  beforeEach(async () => {
    // Tuesday 3 March 2026, 10:00 EST.
    engine = await createTestEngine(kind, { now: new Date('2026-03-03T15:00:00Z'), timeZone: zone });
    const { db, services } = engine.app;
    const workspace = await services.stores.members.ensureWorkspace({
      platform: 'terminal',
      externalId: 'T-TEST',
      name: 'Test workspace',
      defaultLocale: 'pt-BR',
      timeZone: zone,
    });
    const cohort = await db.cohort.create({
      data: { workspaceId: workspace.id, slug: 'ops', name: 'Ops', timeZone: zone },
    });
    await db.cohort.create({ data: { workspaceId: workspace.id, slug: 'vazia', name: 'Vazia', timeZone: zone } });
    for (const [externalId, name] of [
      ['C-OPS', 'ops'],
      ['C-OPS-2', 'ops-noite'],
    ] as const) {
      await db.channel.create({
        data: {
          workspaceId: workspace.id,
          externalId,
          name,
          trackId: 'docker',
          cohortId: cohort.id,
          timeZone: zone,
          startDate: '2026-03-02',
        },
      });
    }
    const lessons = services.curriculum.track('docker')?.lessons ?? [];
    const channel = await db.channel.findFirstOrThrow({ where: { externalId: 'C-OPS' } });
    for (const [index, localDate] of ['2026-03-02', '2026-03-03'].entries()) {
      await db.drop.create({
        data: {
          channelId: channel.id,
          localDate,
          trackId: 'docker',
          lessonId: lessons[index]?.id ?? '',
          status: 'posted',
          claimedBy: 'test',
          postedAt: new Date(`${localDate}T14:00:00Z`),
        },
      });
    }
    const member = await services.stores.members.ensureMember(workspace, ana.id, ana.name);
    await db.cohortMember.create({ data: { cohortId: cohort.id, memberId: member.id } });
  });
  afterEach(() => engine.close());

  const channels = () => engine.app.db.channel.findMany({ orderBy: { name: 'asc' } });

  it('GIVEN a cohort with two channels THEN pause, resume and start change both, for admins only', async () => {
    expect(textOf(await engine.say(ana, 'turma pausar ops'))).toContain('Só quem administra');
    expect((await channels()).every((channel) => !channel.paused)).toBe(true);

    expect(textOf(await engine.say(admin, 'cohort pause ops'))).toContain(
      'Turma `ops` pausada: #ops, #ops-noite sem lições novas',
    );
    expect((await channels()).map((channel) => channel.paused)).toEqual([true, true]);
    const resumed = textOf(await engine.say(admin, 'turma retomar ops'));
    expect(resumed).toMatch(/#ops: lição 3 de \d+, quarta-feira, 4 de março/);
    // The second channel never dropped today: resumed after 09:00, today's comes at once.
    expect(resumed).toMatch(/#ops-noite: lição 1 de \d+, agora \(a de hoje, com atraso\)/);
    expect((await channels()).map((channel) => channel.paused)).toEqual([false, false]);

    expect(textOf(await engine.say(admin, 'turma inicio ops 2026-03-16'))).toContain(
      'Início da turma `ops`: 2026-03-16 em #ops, #ops-noite.',
    );
    expect((await channels()).map((channel) => channel.startDate)).toEqual(['2026-03-16', '2026-03-16']);
    expect(textOf(await engine.say(admin, 'turma inicio ops hoje'))).toContain('2026-03-03');

    expect(textOf(await engine.say(admin, 'turma pausar nenhuma'))).toContain('Não existe a turma “nenhuma”');
    expect(textOf(await engine.say(admin, 'turma pausar vazia'))).toContain('não recebe lições em nenhum canal');
    expect(textOf(await engine.say(admin, 'turma inicio ops 2026-02-30'))).toContain('AAAA-MM-DD');
    // A missing date answers with the command's help.
    expect(textOf(await engine.say(admin, 'turma inicio ops'))).toContain('Uso:');
  });

  it('GIVEN a late joiner in a direct message THEN next counts the lessons her cohort channels posted', async () => {
    const first = textOf(await engine.say(ana, 'proxima', { channel: null }));
    expect(first).toContain('faltam 2 lições das que já saíram em #ops; esta é a primeira.');
    const second = textOf(await engine.say(ana, 'next', { channel: null }));
    expect(second).toContain('falta só esta lição das que já saíram em #ops.');
    // Caught up: the next lesson is ahead of the channel, without a catch-up line; progress has none either.
    expect(textOf(await engine.say(ana, 'proxima', { channel: null }))).not.toContain('Recuperando o atraso');
    expect(textOf(await engine.say(ana, 'progresso', { channel: null }))).not.toContain('Para pôr em dia');
    // The channel's own count of drops is unchanged by her reading.
    expect(await engine.app.services.stores.drops.countPostedDrops((await channels())[0]?.id ?? '', 'docker')).toBe(2);
  });
});
