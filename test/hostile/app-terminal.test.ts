/**
 * Hostile input through the terminal adapter (test/support/terminal-driver.ts), on SQLite and PostgreSQL
 * (docs/security.md): `/as` names in any script stay different people (finding 8) and control characters never reach
 * the screen (finding 11); a deletion stays deleted, a replayed confirm click re-creates nobody, the cohort the member
 * named loses the name, the member's files go, and a later typed command starts a new member (finding 6); wrong link
 * codes are limited to 5 in 10 minutes, stored hashed, a locked account's right code is not even looked up, and the
 * code's owner is told once when it is used (finding 5).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memberFilesFolder, terminalWorkspaceNamed } from '../../src/adapters/terminal/terminal.adapter.ts';
import { availableKinds } from '../support/databases.ts';
import { createTestEngine, type TestEngine } from '../support/engine.ts';
import { driveTerminal, type TerminalDriver } from '../support/terminal-driver.ts';

const codePattern = /(?:Seu código|Your code): ([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}),/;

describe.each(availableKinds)('hostile input through the terminal (%s)', (kind) => {
  let engine: TestEngine;
  let terminal: TerminalDriver;
  let filesDir: string;

  beforeEach(async () => {
    // Monday 30 Nov 2026, 08:00 in São Paulo.
    engine = await createTestEngine(kind, { now: new Date('2026-11-30T11:00:00Z') });
    filesDir = mkdtempSync(join(tmpdir(), 'trilha-hostile-'));
    terminal = driveTerminal(engine, { filesDir });
    await terminal.ready;
  });
  afterEach(async () => {
    await terminal.end();
    await engine.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  const identities = () => engine.app.db.identity.findMany({ select: { externalId: true, memberId: true } });

  it('GIVEN names in other scripts, emoji and punctuation THEN each is its own member; case and width fold; control characters never print', async () => {
    const names = ['Иван', 'Петр', '😀', '🔥', 'Ana!', 'Ana?', 'José', 'Jose', '👩‍💻', '👩💻'];
    for (const name of names) expect(await terminal.send(`/as ${name}`)).toContain(`Agora você é ${name}`);
    const people = (await identities()).filter((row) => row.externalId !== 'local-owner');
    expect(people).toHaveLength(names.length);
    expect(new Set(people.map((row) => row.memberId)).size).toBe(names.length);
    // Case and compatibility forms are one person: ИВАН is Иван, full-width Ａｎａ! is Ana!.
    await terminal.send('/as ИВАН');
    await terminal.send('/as Ａｎａ!');
    expect(await identities()).toHaveLength(names.length + 1);

    // An OSC title sequence and a bell, a clear-screen CSI, a right-to-left override and zero-width characters.
    const hostile = 'Eve\x1b]0;pwn\x07\x1b[2J\u202Egnp.exe\u200B\u2066x\u0000';
    const out = await terminal.send(`/as ${hostile}`);
    expect(out).toContain('Agora você é Eve]0;pwn[2Jgnp.exex');
    await terminal.send('/quem');
    const stored = await engine.app.db.member.findMany({ select: { displayName: true } });
    expect(stored.map((row) => row.displayName)).toContain('Eve]0;pwn[2Jgnp.exex');
    // Nothing the session printed can drive the terminal (colour is off: no escape at all).
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(terminal.out).not.toMatch(/[\x00-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/);
    // A name of invisible characters only is no name.
    expect(await terminal.send('/as \u200B\u202E\u2066')).toContain('Use um nome de 1 a 40 caracteres');
  });

  it('GIVEN a deletion THEN the confirm clicked again re-creates nobody, the cohort name and the files go, and a typed command starts afresh', async () => {
    await terminal.send('/as Bia');
    expect(await terminal.send('turma criar time-bia Time da Bia')).toContain('Time da Bia');
    const exported = await terminal.send('meus-dados exportar');
    const folder = join(filesDir, memberFilesFolder('local:bia'));
    expect(exported).toContain(folder);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const bia = await engine.app.db.identity.findFirstOrThrow({ where: { externalId: 'local:bia' } });

    const confirm = await terminal.send('meus-dados apagar');
    const button = /^ {2}\[(\d+)\] Apagar meus dados$/m.exec(confirm)?.[1] ?? '';
    expect(await terminal.send(button)).toContain('apagamos tudo');
    expect(existsSync(folder)).toBe(false);
    expect((await engine.app.db.cohort.findFirstOrThrow({ where: { slug: 'time-bia' } })).name).toBe('time-bia');
    const tombstones = await engine.app.db.tombstone.findMany();
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]?.account).toMatch(/^[0-9a-f]{64}$/);

    // The same click again (a double click, a retried delivery): answered, nobody re-created.
    for (let i = 0; i < 3; i++) expect(await terminal.send(button)).toContain('Esses dados já foram apagados');
    expect(await engine.app.db.identity.count({ where: { externalId: 'local:bia' } })).toBe(0);
    expect(await engine.app.db.member.count({ where: { id: bia.memberId } })).toBe(0);
    // Terminal controls do not bring her back either.
    await terminal.send('/as Bia');
    expect(await engine.app.db.identity.count({ where: { externalId: 'local:bia' } })).toBe(0);

    // A typed command is a deliberate use: a new member, with nothing of the old one.
    expect(await terminal.send('progresso')).toContain('Progresso de Bia');
    const fresh = await engine.app.db.identity.findFirstOrThrow({ where: { externalId: 'local:bia' } });
    expect(fresh.memberId).not.toBe(bia.memberId);
    expect(await engine.app.db.tombstone.count()).toBe(0);
    expect(await engine.app.db.cohortMember.count({ where: { memberId: fresh.memberId } })).toBe(0);
  });

  it('GIVEN wrong link codes THEN 5 in 10 minutes, then a wait in the member’s language, and a locked account’s right code is not looked up', async () => {
    const owner = driveTerminal(engine, { workspace: terminalWorkspaceNamed('equipe-b') });
    await owner.ready;
    try {
      // The owner's code is made 5 minutes into the run, so it is still valid when Eve's wait is over.
      await owner.send('/tick 5m');
      const code = codePattern.exec(await owner.send('vincular'))?.[1] ?? '';
      expect(code).not.toBe('');
      await terminal.send('/as Eve');
      const wrong = ['ZZZZ-ZZZ2', 'ZZZZ-ZZZ3', 'ZZZZ-ZZZ4', 'ZZZZ-ZZZ5', 'ZZZZ-ZZZ6'].filter((guess) => guess !== code);
      const answers: string[] = [];
      for (const guess of wrong.slice(0, 5)) answers.push(await terminal.send(`vincular ${guess}`));
      for (const answer of answers) expect(answer).toContain('Código não reconhecido');
      expect(answers[2]).toContain('Restam 2 tentativas antes de uma pausa');
      expect(answers[4]).toContain('Mais um código errado e você terá de esperar');
      // Stored hashed: no code and no account id in the rows.
      const failures = await engine.app.db.linkFailure.findMany();
      expect(failures).toHaveLength(5);
      expect(failures.every((row) => /^[0-9a-f]{64}$/.test(row.account))).toBe(true);

      // Locked: even the right code is refused without a look-up, and the wait is said.
      const locked = await terminal.send(`vincular ${code}`);
      expect(locked).toContain('Muitos códigos errados: 5 em 10 minutos');
      expect(locked).toContain('cerca de 10 minutos');
      expect(await engine.app.db.linkCode.count()).toBe(1);
      // In English for an English member.
      await terminal.send('idioma en');
      expect(await terminal.send('link ZZZZ-ZZZ7')).toContain('Too many wrong codes: 5 in 10 minutes');
      await terminal.send('idioma pt-BR');

      // Ten minutes later the window has passed: the code is looked up again (and linked).
      await terminal.send('/tick 10m');
      expect(await terminal.send(`vincular ${code}`)).toContain('Pronto, contas ligadas');
      expect(await engine.app.db.linkCode.count()).toBe(0);
      // The code's owner is told, once, in their own session.
      const notice = 'Seu código de vínculo foi usado agora por uma conta do Terminal (Terminal)';
      expect(owner.out.split(notice)).toHaveLength(2);
    } finally {
      await owner.end();
    }
  });
});
