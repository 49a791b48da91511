/**
 * The terminal adapter: the renderer on its own, then whole sessions over injected streams with the real engine on
 * a real SQLite database. A session ends when its input ends, so tests await the adapter's promise, never a timer.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stripAnsi, TerminalRenderer } from '../../src/adapters/terminal/render.ts';
import {
  memberFilesFolder,
  parseDuration,
  runTerminal,
  type TerminalOptions,
  type TerminalResult,
  terminalWorkspace,
  terminalWorkspaceNamed,
} from '../../src/adapters/terminal/terminal.adapter.ts';
import { parseTerminalArgs } from '../../src/adapters/terminal/terminal-args.ts';
import { safeText } from '../../src/core/message.ts';
import { translator } from '../../src/i18n/translator.ts';
import { createTestEngine, type TestEngine } from '../support/engine.ts';

describe('terminal renderer', () => {
  it('GIVEN colour off THEN the Markdown subset is plain text: markers dropped, code kept in backticks, bullets', () => {
    const renderer = new TerminalRenderer({ color: false });
    const out = renderer.message({
      headline: 'Lição *um*',
      blocks: [
        { kind: 'text', text: 'Isto é *negrito*, _itálico_ e `docker run`.\n- primeiro\n- segundo' },
        { kind: 'context', text: 'Lição 1 de 48' },
      ],
    });
    expect(out).toBe('Lição um\nIsto é negrito, itálico e `docker run`.\n  • primeiro\n  • segundo\nLição 1 de 48\n\n');
    expect(out).not.toContain('\x1b[');
  });

  it('GIVEN colour on THEN bold, italic, code and context get ANSI styles that strip back to the plain text', () => {
    const renderer = new TerminalRenderer({ color: true });
    const out = renderer.message({
      headline: 'Título',
      blocks: [
        { kind: 'text', text: '*forte* e _leve_ com `code`' },
        { kind: 'context', text: 'dica' },
      ],
    });
    expect(out).toContain('\x1b[1mTítulo\x1b[22m');
    expect(out).toContain('\x1b[1mforte\x1b[22m');
    expect(out).toContain('\x1b[3mleve\x1b[23m');
    expect(out).toContain('\x1b[36mcode\x1b[39m');
    expect(out).toContain('\x1b[2mdica\x1b[22m');
    expect(stripAnsi(out)).toBe('Título\nforte e leve com code\ndica\n\n');
  });

  it('GIVEN text a member typed (escaped with safeText) THEN it shows exactly as typed, never as formatting', () => {
    const renderer = new TerminalRenderer({ color: true });
    const typed = '*not bold* _x_ `y` [z] a\\b';
    const out = renderer.message({ blocks: [{ kind: 'text', text: `Você disse: ${safeText(typed)}` }] });
    expect(out).toBe(`Você disse: ${typed}\n\n`);
  });

  it('GIVEN snake_case words and arithmetic THEN markers inside words are left alone', () => {
    const renderer = new TerminalRenderer({ color: false });
    expect(renderer.inline('use meus_dados_agora e 2*3*4', true)).toBe('use meus_dados_agora e 2*3*4');
    expect(renderer.inline('*sem fim', true)).toBe('*sem fim');
    expect(renderer.inline('o Docker **não é** isso', true)).toBe('o Docker não é isso');
  });

  it('GIVEN code blocks THEN every line is indented', () => {
    const renderer = new TerminalRenderer({ color: false });
    const out = renderer.message({ blocks: [{ kind: 'code', lang: 'bash', source: 'docker ps\ndocker images' }] });
    expect(out).toBe('    docker ps\n    docker images\n\n');
  });

  it('GIVEN buttons in several messages THEN numbers keep increasing and every number maps to its action id', () => {
    const renderer = new TerminalRenderer({ color: false });
    const first = renderer.message({
      blocks: [
        {
          kind: 'buttons',
          buttons: [
            { label: 'A) um', actionId: 'id-a' },
            { label: 'B) dois', actionId: 'id-b' },
          ],
        },
      ],
    });
    const second = renderer.message({
      blocks: [{ kind: 'buttons', buttons: [{ label: 'Apagar', actionId: 'id-del', style: 'danger' }] }],
    });
    expect(first).toBe('  [1] A) um\n  [2] B) dois\n\n');
    expect(second).toBe('  [3] Apagar\n\n');
    expect([1, 2, 3, 4].map((n) => renderer.actionFor(n))).toEqual(['id-a', 'id-b', 'id-del', undefined]);
    expect(renderer.lastButton).toBe(3);
  });

  it('GIVEN a label THEN it heads the message', () => {
    const renderer = new TerminalRenderer({ color: false });
    expect(renderer.message({ blocks: [{ kind: 'text', text: 'oi' }] }, '🔒 Só você vê isto')).toBe(
      '── 🔒 Só você vê isto ──\noi\n\n',
    );
  });
});

describe('terminal options and durations', () => {
  it('GIVEN /tick amounts THEN minutes, hours, days and weeks parse, anything else is rejected', () => {
    expect(parseDuration('90m')?.ms).toBe(90 * 60_000);
    expect(parseDuration('2h')?.ms).toBe(2 * 3_600_000);
    expect(parseDuration('1D')?.ms).toBe(86_400_000);
    expect(parseDuration('1w')?.ms).toBe(7 * 86_400_000);
    for (const bad of ['', 'abc', '0d', '-1d', '1y', '1.5h', '1d2h']) expect(parseDuration(bad)).toBeNull();
  });

  it('GIVEN --script and --now THEN both are read; a bad instant or an unknown option is an error', () => {
    expect(parseTerminalArgs(['--script', 'a.txt', '--now=2026-12-01T09:00:00-03:00'])).toEqual({
      ok: true,
      args: { script: 'a.txt', now: new Date('2026-12-01T12:00:00Z') },
    });
    expect(parseTerminalArgs([])).toEqual({ ok: true, args: {} });
    expect(parseTerminalArgs(['--now', 'tomorrow'])).toMatchObject({ ok: false, error: 'terminal.args.bad_now' });
    expect(parseTerminalArgs(['--now', '2026-12-01T09:00'])).toMatchObject({ ok: false });
    expect(parseTerminalArgs(['--script'])).toMatchObject({ ok: false, error: 'terminal.args.missing_value' });
    expect(parseTerminalArgs(['--verbose'])).toMatchObject({ ok: false, error: 'terminal.args.unknown' });
  });

  it('GIVEN --workspace THEN a short slug is read (lower-cased), anything else is an error saying what fits', () => {
    expect(parseTerminalArgs(['--workspace', 'equipe-b', '--script', 'a.txt'])).toEqual({
      ok: true,
      args: { workspace: 'equipe-b', script: 'a.txt' },
    });
    expect(parseTerminalArgs(['--workspace=Equipe-B'])).toEqual({ ok: true, args: { workspace: 'equipe-b' } });
    expect(parseTerminalArgs(['--workspace', 'a'])).toEqual({ ok: true, args: { workspace: 'a' } });
    expect(parseTerminalArgs(['--workspace', 'x'.repeat(32)])).toMatchObject({ ok: true });
    for (const bad of ['equipe b', '-b', 'b-', 'açaí', 'x'.repeat(33), 'a:b', 'a_b', '../b']) {
      expect(parseTerminalArgs(['--workspace', bad]), bad).toEqual({
        ok: false,
        error: 'terminal.args.bad_workspace',
        values: { name: bad },
      });
    }
    expect(parseTerminalArgs(['--workspace'])).toMatchObject({ ok: false, error: 'terminal.args.missing_value' });
    expect(parseTerminalArgs(['--workspace='])).toMatchObject({ ok: false, error: 'terminal.args.missing_value' });
    expect(translator('pt-BR').t('terminal.args.bad_workspace', { name: 'a b' })).toContain('como equipe-b');
    expect(translator('en').t('terminal.args.bad_workspace', { name: 'a b' })).toContain('like team-b (got “a b”)');
    expect(translator('en').t('terminal.args.unknown', { option: '-v' })).toContain('--workspace NAME');
    // `local` is the default workspace itself, not a new one named `local`.
    expect(terminalWorkspaceNamed('local')).toBe(terminalWorkspace);
    expect(terminalWorkspaceNamed('equipe-b')).toEqual({ externalId: 'equipe-b', name: 'equipe-b' });
  });
});

/** Runs a whole script (lines joined with newlines, then the end of input) and returns the output and the result. */
async function runScript(
  engine: TestEngine,
  lines: readonly string[],
  options: Partial<TerminalOptions> = {},
): Promise<{ out: string; result: TerminalResult }> {
  const input = new PassThrough();
  let out = '';
  const output = new Writable({
    write(chunk, _encoding, callback) {
      out += String(chunk);
      callback();
    },
  });
  input.end(`${lines.join('\n')}\n`);
  const result = await runTerminal({
    app: engine.app,
    input,
    output,
    interactive: false,
    now: engine.clock.now,
    ...options,
  });
  return { out, result };
}

describe('terminal adapter in script mode (SQLite)', () => {
  let engine: TestEngine;
  beforeEach(async () => {
    // Monday 30 Nov 2026, 08:00 in São Paulo: before the first drop (09:00).
    engine = await createTestEngine('sqlite', { now: new Date('2026-11-30T11:00:00Z') });
  });
  afterEach(() => engine.close());

  it('GIVEN ajuda with and without /trilha THEN both list the Trilha commands, and each line is echoed in order', async () => {
    const { out, result } = await runScript(engine, ['ajuda', '/trilha ajuda perguntar']);
    expect(result).toEqual({ reason: 'end', lines: 2 });
    expect(out).toContain('Trilha no terminal: você está em #geral como Alex.');
    const help = out.indexOf('Alex › ajuda\n');
    const detail = out.indexOf('Alex › /trilha ajuda perguntar\n');
    expect(help).toBeGreaterThan(0);
    expect(detail).toBeGreaterThan(help);
    expect(out.slice(help, detail)).toContain('── 🔒 Só você vê isto ──');
    expect(out.slice(help, detail)).toContain('/trilha perguntar');
    expect(out.slice(detail)).toContain('Uso: `/trilha perguntar <pergunta>`');
  });

  it('GIVEN blank lines and comments THEN they are skipped; /quit ends and later lines never run', async () => {
    const { out, result } = await runScript(engine, ['', '# a comment', '/now', '/quit', 'ajuda']);
    expect(result).toEqual({ reason: 'quit', lines: 2 });
    expect(out).not.toContain('a comment');
    expect(out).toContain('Agora: seg., 30/11/2026, 08:00 (America/Sao_Paulo)');
    expect(out).toContain('Até a próxima!');
    expect(out).not.toContain('Alex › ajuda');
  });

  it('GIVEN /help THEN the terminal controls are explained in the member language, also after idioma en', async () => {
    const { out } = await runScript(engine, ['/help', 'idioma en', '/help']);
    const [pt, en] = out.split('Alex › idioma en');
    expect(pt).toContain('Controles do terminal');
    expect(pt).toContain('/tick 1d');
    expect(en).toContain('Terminal controls');
    expect(en).toContain('`/as NAME`');
  });

  it('GIVEN /as THEN a new member acts (an admin only when asked), /who says who, and replies are theirs', async () => {
    const { out } = await runScript(engine, ['/who', '/as Bia', '/who', '/as Caio admin', '/as Alex', '/who']);
    expect(out).toContain('Você é Alex (admin), em #geral. Nesta sessão: Alex.');
    expect(out).toContain('Agora você é Bia.');
    expect(out).toContain('Bia › /who');
    expect(out).toContain('Você é Bia, em #geral. Nesta sessão: Alex, Bia.');
    expect(out).toContain('Agora você é Caio (admin).');
    expect(out).toContain('Você é Alex (admin), em #geral. Nesta sessão: Alex, Bia, Caio.');
    const names = (await engine.app.db.member.findMany({ orderBy: { displayName: 'asc' } })).map((m) => m.displayName);
    expect(names).toEqual(['Alex', 'Bia', 'Caio']);
  });

  it('GIVEN bad terminal input THEN each gets a clear message and the session goes on', async () => {
    const { out, result } = await runScript(engine, ['/tick abc', '/tick 9w', '/voar', '7', '/click', '/as', 'ajuda']);
    expect(out).toContain('Não entendi “abc”. Use um número seguido de m (minutos)');
    expect(out).toContain('Dá para avançar no máximo 8 semanas de uma vez.');
    expect(out).toContain('Não conheço o controle “/voar”.');
    expect(out).toContain('Não há botão [7]: nenhum botão foi mostrado ainda.');
    expect(out).toContain('Diga qual botão: `/click N`.');
    expect(out).toContain('Diga quem: `/as NOME`');
    expect(out).toContain('/trilha perguntar');
    expect(result.lines).toBe(7);
  });

  it('GIVEN /tick THEN the clock moves by the amount and /now shows it', async () => {
    const { out } = await runScript(engine, ['/tick 90m', '/tick 2h', '/now']);
    expect(out).toContain('O relógio avançou 90 minutos. Agora: seg., 30/11/2026, 09:30 (America/Sao_Paulo)');
    expect(out).toContain('O relógio avançou 2 horas. Agora: seg., 30/11/2026, 11:30 (America/Sao_Paulo)');
    expect(out).toContain('Agora: seg., 30/11/2026, 11:30');
  });

  it('GIVEN the first start THEN #geral exists with the first track and its default cohort; a restart reuses it', async () => {
    await runScript(engine, ['/now']);
    await runScript(engine, ['/now']);
    const channels = await engine.app.db.channel.findMany();
    expect(channels).toHaveLength(1);
    expect(channels[0]).toMatchObject({ externalId: 'geral', name: 'geral', trackId: 'docker' });
    expect(channels[0]?.cohortId).not.toBeNull();
    expect(await engine.app.db.cohort.count()).toBe(1);
    expect(await engine.app.db.workspace.count({ where: { platform: 'terminal', externalId: 'local' } })).toBe(1);
  });

  it('GIVEN another workspace THEN the session has its own #geral, cohort and members, with ids of that workspace', async () => {
    await runScript(engine, ['/as Bia']);
    const { out } = await runScript(engine, ['/as Bia', '/who'], { workspace: terminalWorkspaceNamed('equipe-b') });
    expect(out).toContain('Espaço de trabalho: equipe-b.');
    expect(out).toContain('Você é Bia, em #geral. Nesta sessão: Alex, Bia.');
    const { db } = engine.app;
    const workspaces = await db.workspace.findMany({ where: { platform: 'terminal' }, orderBy: { externalId: 'asc' } });
    expect(workspaces.map((row) => [row.externalId, row.name])).toEqual([
      ['equipe-b', 'equipe-b'],
      ['local', 'Terminal'],
    ]);
    expect(await db.channel.count({ where: { externalId: 'geral' } })).toBe(2);
    expect(await db.cohort.count()).toBe(2);
    const identities = await db.identity.findMany();
    expect(identities.map((row) => row.externalId).sort()).toEqual([
      'equipe-b-owner',
      'equipe-b:bia',
      'local-owner',
      'local:bia',
    ]);
    expect(new Set(identities.map((row) => row.memberId)).size).toBe(4);
  });

  it('GIVEN the drop time passes THEN the drop and its quiz questions are printed in #geral and its thread', async () => {
    const track = engine.app.services.curriculum.tracks[0];
    const lesson = track?.lessons[0];
    const { out } = await runScript(engine, ['/tick 2h']);
    const post = out.indexOf('── #geral · seg., 30/11/2026, 09:00 (America/Sao_Paulo) ──');
    expect(post).toBeGreaterThan(0);
    expect(out.slice(post)).toContain(lesson?.title['pt-BR']);
    expect(out).toContain(
      `── #geral · na conversa de “${lesson?.title['pt-BR']}” · seg., 30/11/2026, 09:00 (America/Sao_Paulo) ──`,
    );
    expect(out).toMatch(/\[1\] A\) /);
  });

  it('GIVEN a button shown THEN its number (or /click N) clicks it, and a number never shown is refused', async () => {
    const { out } = await runScript(engine, ['/tick 2h', '1', '/click 1', '999']);
    const after = out.slice(out.indexOf('Alex › 1\n'));
    expect(after).toContain('── 🔒 Só você vê isto ──');
    expect(out).toMatch(/Não há botão \[999\]: os botões mostrados vão de \[1\] a \[\d+\]\./);
    expect(await engine.app.db.attempt.count()).toBe(1);
  });

  it('GIVEN the scheduler fails THEN the terminal says so, logs it, and commands keep working', async () => {
    const { out, result } = await runScript(engine, ['ajuda'], {
      scheduler: () => ({
        tick: () => Promise.reject(new Error('disk on fire')),
      }),
    });
    expect(out).toContain('O agendador falhou agora (veja o log); os comandos continuam funcionando.');
    expect(out).toContain('/trilha perguntar');
    expect(result.reason).toBe('end');
  });

  it('GIVEN a post with files and a direct message THEN the files are written to the files folder (names never overwritten) and their paths shown', async () => {
    const filesDir = mkdtempSync(join(tmpdir(), 'trilha-terminal-files-'));
    try {
      const csv = new TextEncoder().encode('a,b\n1,2\n');
      let ticks = 0;
      const { out } = await runScript(engine, ['/as Ana', 'ajuda'], {
        filesDir,
        scheduler: (notifier) => ({
          // Ticks at start and before each line: the posts go out before `ajuda`, once Ana is known.
          tick: async () => {
            if (++ticks !== 3) return {};
            await notifier.post(
              { channelRef: 'geral' },
              {
                blocks: [{ kind: 'text', text: 'Relatório' }],
                files: [{ filename: 'report.csv', mimeType: 'text/csv', data: csv }],
              },
            );
            await notifier.direct('local:ana', {
              blocks: [{ kind: 'text', text: 'Lembrete' }],
              files: [{ filename: 'report.csv', mimeType: 'text/csv', data: csv, title: 'Seu relatório' }],
            });
            return {};
          },
        }),
      });
      expect(out).toContain(`📎 report.csv (8 B) salvo em ${join(filesDir, 'report.csv')}`);
      expect(out).toContain('✉ Mensagem direta para Ana');
      // A direct message's file is the member's: in their own folder (removed with their data), owner-only.
      const anaFolder = join(filesDir, memberFilesFolder('local:ana'));
      expect(out).toContain(`📎 Seu relatório (8 B) salvo em ${join(anaFolder, 'report.csv')}`);
      expect(readFileSync(join(filesDir, 'report.csv'), 'utf8')).toBe('a,b\n1,2\n');
      expect(readdirSync(filesDir).sort()).toEqual([memberFilesFolder('local:ana'), 'report.csv']);
      expect(statSync(join(anaFolder, 'report.csv')).mode & 0o777).toBe(0o600);
      expect(statSync(anaFolder).mode & 0o777).toBe(0o700);
    } finally {
      rmSync(filesDir, { recursive: true, force: true });
    }
  });

  it('GIVEN colour on THEN the same session is styled and strips back to the plain text', async () => {
    const plain = await runScript(engine, ['ajuda']);
    const colour = await runScript(engine, ['ajuda'], { color: true });
    expect(colour.out).toContain('\x1b[');
    expect(stripAnsi(colour.out).replaceAll('`', '')).toBe(plain.out.replaceAll('`', ''));
  });
});
