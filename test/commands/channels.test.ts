import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTracks } from '../../src/content/load-tracks.ts';
import type { Track } from '../../src/core/curriculum.ts';
import type { DatabaseKind } from '../../src/db/schema-files.ts';
import { availableKinds } from '../support/databases.ts';
import { createTestEngine, dockerTrack, repoRoot, type TestEngine, type TestUser, textOf } from '../support/engine.ts';

const gitTrack = loadTracks(join(repoRoot, 'test', 'fixtures', 'content')).tracks[0] as Track;

const admin: TestUser = { id: 'U-ADMIN', name: 'Alice', admin: true };
const adminEn: TestUser = { id: 'U-ADMIN-EN', name: 'Eve', admin: true };
const member: TestUser = { id: 'U-MEMBER', name: 'Bruno' };

describe.each(availableKinds)('the channel command (%s)', (kind: DatabaseKind) => {
  let engine: TestEngine;
  // Each test works in its own channel of one workspace; the clock is Monday 2026-11-30, 09:00 in São Paulo.
  beforeAll(async () => {
    engine = await createTestEngine(kind, { tracks: [...dockerTrack(), gitTrack] });
    await engine.say(adminEn, 'ajuda');
    await engine.app.db.member.updateMany({
      where: { identities: { some: { externalId: adminEn.id } } },
      data: { locale: 'en' },
    });
  });
  afterAll(() => engine.close());

  const channelRow = (externalId: string) =>
    engine.app.db.channel.findFirst({ where: { externalId }, include: { cohort: true } });
  const say = async (user: TestUser, text: string, channel: string | null) => {
    const replies = await engine.say(user, text, { channel });
    for (const reply of replies) expect(reply.audience.kind).toBe('private');
    return textOf(replies);
  };

  it('GIVEN a channel that is not set up and no argument THEN explains how to set it up and creates nothing', async () => {
    const text = await say(admin, 'canal', 'C-NEW');
    expect(text).toContain('Este canal ainda não recebe lições');
    expect(text).toContain('“Trilha Docker” de segunda a sexta às 09:00 (America/Sao_Paulo), em português');
    expect(await channelRow('C-NEW')).toBeNull();
    expect(await say(adminEn, 'channel', 'C-NEW')).toContain('This channel does not receive lessons yet');
  });

  it('GIVEN a first setting THEN sets the channel up with the defaults and its default cohort', async () => {
    const text = await say(admin, 'canal horario 10:30', 'C-SETUP');
    expect(text).toContain('Canal configurado');
    expect(text).toContain('Horário das lições agora: 10:30.');
    expect(text).toContain('*Trilha:* Trilha Docker (`docker`) · 0 de 58 lições postadas');
    expect(text).toContain('*Horário:* 10:30 (America/Sao_Paulo)');
    expect(text).toContain('*Dias:* seg., ter., qua., qui., sex.');
    expect(text).toContain('*Início:* 2026-11-30');
    expect(text).toContain('*Fechamento do quiz:* com a próxima lição');
    expect(text).toContain('*Idioma das lições:* português');
    expect(text).toContain('Próxima lição: segunda-feira, 30 de novembro às 10:30 (America/Sao_Paulo)');
    const row = await channelRow('C-SETUP');
    expect(row).toMatchObject({
      trackId: 'docker',
      dropTime: '10:30',
      timeZone: 'America/Sao_Paulo',
      weekdays: '1,2,3,4,5',
      startDate: '2026-11-30',
      locale: 'pt-BR',
      paused: false,
      quizCloseMinutes: null,
    });
    // The engine's channel is named "geral".
    expect(row?.cohort).toMatchObject({ slug: 'geral', name: '#geral', timeZone: 'America/Sao_Paulo' });
    // A second channel with the same name gets its own cohort.
    await say(admin, 'canal pausar', 'C-SETUP-2');
    expect((await channelRow('C-SETUP-2'))?.cohort?.slug).toBe('geral-2');
  });

  it('GIVEN two admins setting up the same channel at once THEN there is one channel and one cohort', async () => {
    await Promise.all([say(admin, 'canal horario 08:00', 'C-RACE'), say(adminEn, 'channel time 08:00', 'C-RACE')]);
    expect(await engine.app.db.channel.count({ where: { externalId: 'C-RACE' } })).toBe(1);
    const row = await channelRow('C-RACE');
    expect(await engine.app.db.cohort.count({ where: { channels: { some: { id: row?.id } } } })).toBe(1);
    expect(await engine.app.db.cohort.count({ where: { slug: { startsWith: 'geral' } } })).toBe(
      await engine.app.db.channel.count(),
    );
  });

  it('GIVEN each setting in pt-BR THEN each is saved and confirmed', async () => {
    const where = 'C-PT';
    const steps: [string, string, Record<string, unknown>][] = [
      ['canal trilha git-basics', 'Trilha agora: Git básico.', { trackId: 'git-basics' }],
      ['canal horário 9:15', 'Horário das lições agora: 09:15.', { dropTime: '09:15' }],
      ['canal fuso america/new_york', 'Fuso horário agora: America/New_York.', { timeZone: 'America/New_York' }],
      ['canal dias seg, qua, sex', 'Dias das lições agora: seg., qua., sex.', { weekdays: '1,3,5' }],
      ['canal dias sex-seg', 'Dias das lições agora: seg., sex., sáb., dom.', { weekdays: '1,5,6,7' }],
      [
        'canal dias todos',
        'Dias das lições agora: seg., ter., qua., qui., sex., sáb., dom.',
        { weekdays: '1,2,3,4,5,6,7' },
      ],
      ['canal dias dias-uteis', 'Dias das lições agora: seg., ter., qua., qui., sex.', { weekdays: '1,2,3,4,5' }],
      ['canal dias 2-4', 'Dias das lições agora: ter., qua., qui.', { weekdays: '2,3,4' }],
      ['canal início 2026-12-07', 'As lições começam em 2026-12-07.', { startDate: '2026-12-07' }],
      ['canal pausar', 'Lições pausadas neste canal.', { paused: true }],
      ['canal retomar', 'Lições retomadas neste canal.', { paused: false }],
      ['canal fechar 45', 'O quiz agora fecha 45 min depois de cada lição.', { quizCloseMinutes: 45 }],
      ['canal fechar auto', 'O quiz agora fecha quando a próxima lição chegar', { quizCloseMinutes: null }],
      ['canal idioma en', 'As lições agora saem em inglês.', { locale: 'en' }],
      ['canal idioma pt-BR', 'As lições agora saem em português.', { locale: 'pt-BR' }],
    ];
    for (const [command, confirmation, stored] of steps) {
      expect(await say(admin, command, where), command).toContain(confirmation);
      expect(await channelRow(where), command).toMatchObject(stored);
    }
    await say(admin, 'canal pausar', where);
    const shown = await say(admin, 'canal', where);
    expect(shown).toContain('*Trilha:* Git básico (`git-basics`) · 0 de 2 lições postadas');
    expect(shown).toContain('*Horário:* 09:15 (America/New_York)');
    expect(shown).toContain('Pausado: nenhuma lição até `/trilha canal retomar`.');
    await say(admin, 'canal retomar', where);
    // Days are Tuesday to Thursday from Monday 2026-12-07 on.
    expect(await say(admin, 'canal', where)).toContain(
      'Próxima lição: terça-feira, 8 de dezembro às 09:15 (America/New_York)',
    );
  });

  it("GIVEN a channel moved to another zone THEN its own cohort's weeks move with it, and a shared cohort's do not", async () => {
    await say(admin, 'canal pausar', 'C-MOVE');
    expect((await channelRow('C-MOVE'))?.cohort?.timeZone).toBe('America/Sao_Paulo');
    await say(admin, 'canal fuso Europe/Lisbon', 'C-MOVE');
    expect((await channelRow('C-MOVE'))?.cohort?.timeZone).toBe('Europe/Lisbon');
    // A cohort that another channel also uses keeps its zone: moving one channel must not move the other's weeks.
    await say(admin, 'canal pausar', 'C-SHARE');
    const moved = await channelRow('C-MOVE');
    await engine.app.db.channel.update({
      where: { id: (await channelRow('C-SHARE'))?.id ?? '' },
      data: { cohortId: moved?.cohortId ?? null },
    });
    await say(admin, 'canal fuso Asia/Tokyo', 'C-MOVE');
    expect((await channelRow('C-MOVE'))?.timeZone).toBe('Asia/Tokyo');
    expect((await channelRow('C-MOVE'))?.cohort?.timeZone).toBe('Europe/Lisbon');
  });

  it('GIVEN each setting in English THEN each is saved and confirmed in English', async () => {
    const where = 'C-EN';
    const steps: [string, string, Record<string, unknown>][] = [
      ['channel track docker', 'Track now: Docker path.', { trackId: 'docker' }],
      ['channel time 7:05', 'Lesson time now: 07:05.', { dropTime: '07:05' }],
      ['channel zone Europe/Lisbon', 'Time zone now: Europe/Lisbon.', { timeZone: 'Europe/Lisbon' }],
      ['channel days mon,wed', 'Lesson days now: Mon, Wed', { weekdays: '1,3' }],
      ['channel days weekend', 'Lesson days now: Sat, Sun', { weekdays: '6,7' }],
      ['channel days every-day', 'Lesson days now: Mon, Tue, Wed, Thu, Fri, Sat, Sun', { weekdays: '1,2,3,4,5,6,7' }],
      ['channel days weekdays', 'Lesson days now: Mon, Tue, Wed, Thu, Fri', { weekdays: '1,2,3,4,5' }],
      ['channel start 2026-12-07', 'Lessons start on 2026-12-07.', { startDate: '2026-12-07' }],
      ['channel pause', 'Lessons paused in this channel.', { paused: true }],
      ['channel resume', 'Lessons resumed in this channel.', { paused: false }],
      ['channel close 30', 'The quiz now closes 30 min after each lesson.', { quizCloseMinutes: 30 }],
      ['channel close auto', 'The quiz now closes when the next lesson arrives', { quizCloseMinutes: null }],
      ['channel language en', 'Lessons are now posted in English.', { locale: 'en' }],
    ];
    for (const [command, confirmation, stored] of steps) {
      expect(await say(adminEn, command, where), command).toContain(confirmation);
      expect(await channelRow(where), command).toMatchObject(stored);
    }
    const shown = await say(adminEn, 'channel', where);
    expect(shown).toContain('*Track:* Docker path (`docker`) · 0 of 58 lessons posted');
    expect(shown).toContain('*Language of the lessons:* English');
    expect(shown).toContain('Next lesson: Monday, December 7 at 07:05 AM (Europe/Lisbon)');
  });

  it('GIVEN invalid values THEN answers with the reason and the command help, and changes nothing', async () => {
    const where = 'C-BAD';
    await say(admin, 'canal horario 09:00', where);
    const before = await channelRow(where);
    const cases: [TestUser, string, string][] = [
      [admin, 'canal horario 25:00', 'O horário deve ser escrito HH:MM'],
      [admin, 'canal fuso Marte/Olimpo', 'O fuso deve ser um nome de fuso IANA'],
      [admin, 'canal dias seg,xyz', 'Os dias são seg, ter, qua'],
      [admin, 'canal dias 8', 'Os dias são seg, ter, qua'],
      [admin, 'canal dias seg,seg', 'Cada dia só pode aparecer uma vez.'],
      [admin, 'canal inicio 2026-02-30', 'A data de início deve ser uma data real'],
      [admin, 'canal fechar 0', 'O fechamento é um número de minutos'],
      [admin, 'canal fechar logo', 'O fechamento é um número de minutos'],
      [admin, 'canal idioma fr', 'Os idiomas são `pt-BR`'],
      [
        admin,
        'canal trilha kubernetes',
        'Não conheço a trilha “kubernetes”. Trilhas disponíveis: `docker`, `git-basics`.',
      ],
      [admin, 'canal voar alto', 'Não entendi “voar alto”.'],
      [admin, 'canal pausar agora', 'Não entendi “pausar agora”.'],
      [admin, 'canal horario', 'Não entendi “horario”.'],
      [adminEn, 'channel time 9am', 'The time must be written HH:MM'],
      [adminEn, 'channel days funday', 'Days are mon, tue, wed'],
      [adminEn, 'channel zone Mars/Olympus', 'The time zone must be an IANA time zone name'],
      [adminEn, 'channel close never', 'The close delay is a number of minutes'],
    ];
    for (const [user, command, reason] of cases) {
      const text = await say(user, command, where);
      expect(text, command).toContain(reason);
      expect(text, command).toContain(user === admin ? 'Uso: `/trilha canal' : 'Usage: `/trilha channel');
    }
    expect(await channelRow(where)).toEqual(before);
    // A bad first setting does not set a channel up.
    expect(await say(admin, 'canal horario 24:61', 'C-BAD-NEW')).toContain('O horário deve ser escrito HH:MM');
    expect(await channelRow('C-BAD-NEW')).toBeNull();
  });

  it('GIVEN a member who is not an admin THEN is refused and nothing changes', async () => {
    expect(await say(member, 'canal horario 10:00', 'C-MEMBER')).toContain('Só administradores podem usar `canal`');
    expect(await say(member, 'canal', 'C-MEMBER')).toContain('Só administradores podem usar `canal`');
    expect(await channelRow('C-MEMBER')).toBeNull();
  });

  it('GIVEN a direct message THEN asks to use the command in the channel', async () => {
    expect(await say(admin, 'canal horario 10:00', null)).toContain('dentro do canal que vai receber as lições');
    expect(await say(admin, 'canal', null)).toContain('dentro do canal que vai receber as lições');
    expect(await say(adminEn, 'channel', null)).toContain('inside the channel that will receive the lessons');
  });
});
