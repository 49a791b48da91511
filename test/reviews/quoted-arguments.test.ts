/**
 * Point 8 of issue 16: quoted arguments work in every command that takes text. Two workspaces on two databases run
 * the same script, one with every argument quoted (straight or typographic quotes), one without: the replies are the
 * same, none says it did not understand, and a quoted name with spaces stays one argument (`turma criar "ops" "Time
 * de Ops"`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine, type TestEngine, textOf } from '../support/engine.ts';

const ana = { id: 'U-ANA', name: 'Ana Souza', admin: true };

/** Each command that takes text, with its arguments. */
const script: readonly (readonly [string, readonly string[]])[] = [
  ['perguntar', ['como apagar uma imagem']],
  ['ajuda', ['ranking']],
  ['proxima', ['docker']],
  ['turma', ['criar', 'ops', 'Time de Ops']],
  ['turma', ['entrar', 'ops']],
  ['ranking', ['semana', 'ops']],
  ['progresso', ['Ana Souza']],
  ['lembrete', ['18']],
  ['lembrete', ['silencio', '22:00-07:00']],
  ['ferias', ['2026-12-20', '2026-12-22']],
  ['ferias', ['cancelar']],
  ['fuso', ['America/Sao_Paulo']],
  ['idioma', ['pt-BR']],
  ['vincular', ['ABCD-2345']],
  ['visibilidade', ['anonimo']],
  ['relatorio', ['resumo', 'ops']],
  ['canal', ['hora', '08:30']],
  ['turma', ['sair', 'ops']],
];

/** The anonymous animal comes from the member's id, which differs between the two databases. */
const comparable = (text: string) => text.replace(/Anônimo \S+/gu, 'Anônimo');

const quoteStyles = [(w: string) => `"${w}"`, (w: string) => `“${w}”`, (w: string) => `'${w}'`];

describe('quoted arguments in every command that takes text (sqlite)', () => {
  let plain: TestEngine;
  let quoted: TestEngine;
  beforeAll(async () => {
    [plain, quoted] = await Promise.all([createTestEngine('sqlite'), createTestEngine('sqlite')]);
  });
  afterAll(async () => {
    await Promise.all([plain?.close(), quoted?.close()]);
  });

  it('GIVEN each command with its arguments quoted THEN it answers as with the arguments typed plainly', async () => {
    for (const [index, [command, args]] of script.entries()) {
      const quote = quoteStyles[index % quoteStyles.length] as (w: string) => string;
      const withQuotes = `${command} ${args.map(quote).join(' ')}`;
      const without = `${command} ${args.join(' ')}`;
      const a = comparable(textOf(await quoted.say(ana, withQuotes, { channel: null })));
      const b = comparable(textOf(await plain.say(ana, without, { channel: null })));
      expect(a, withQuotes).toBe(b);
      expect(a, withQuotes).not.toContain('Não entendi');
      expect(a, withQuotes).not.toContain('não serve como nome curto');
    }
    const cohort = await quoted.app.db.cohort.findFirst({ where: { slug: 'ops' } });
    expect(cohort?.name).toBe('Time de Ops');
  });
});
