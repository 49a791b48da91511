import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/action-id.ts';
import { createTestEngine, type TestEngine, textOf } from '../support/engine.ts';

const ana = { id: 'U-ANA', name: 'Ana' };

describe('general commands and the dispatcher (SQLite)', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine('sqlite');
  });
  afterAll(() => engine.close());

  it('GIVEN no command THEN lists every command in pt-BR', async () => {
    const replies = await engine.say(ana, '');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.audience.kind).toBe('private');
    expect(textOf(replies)).toContain('/trilha perguntar');
    expect(textOf(replies)).toContain('/trilha ajuda');
  });

  it("GIVEN a member who chose no language THEN their client's locale decides, and their own choice wins over it", async () => {
    const bia = { id: 'U-BIA', name: 'Bia' };
    const ask = (localeHint: string) =>
      engine.app.dispatcher.command({
        ...engine.request(bia),
        user: { externalId: bia.id, displayName: bia.name, isAdmin: false, localeHint },
        text: 'help',
      });
    expect(textOf(await ask('en-US'))).toContain('/trilha ask');
    expect(textOf(await ask('pt-BR'))).toContain('/trilha perguntar');
    await engine.say(bia, 'idioma pt-BR');
    expect(textOf(await ask('en-GB'))).toContain('/trilha perguntar');
  });

  it('GIVEN help for a command by its English alias THEN explains it with examples', async () => {
    const text = textOf(await engine.say(ana, 'ajuda ASK'));
    expect(text).toContain('/trilha perguntar <pergunta>');
    expect(text).toContain('Exemplos:');
    expect(text).toContain('Também: ask');
  });

  it('GIVEN an unknown command THEN says so and lists the commands', async () => {
    const text = textOf(await engine.say(ana, 'voar alto'));
    expect(text).toContain('Não conheço o comando “voar”');
    expect(text).toContain('/trilha ajuda');
  });

  it('GIVEN ask without a question THEN answers with the command help', async () => {
    const text = textOf(await engine.say(ana, 'perguntar'));
    expect(text).toContain('Faltou dizer o quê.');
    expect(text).toContain('Uso: `/trilha perguntar <pergunta>`');
  });

  it('GIVEN a question without accents THEN answers with the best lesson and others', async () => {
    const text = textOf(await engine.say(ana, 'perguntar como apagar uma imagem'));
    expect(text).toContain('Sobre “como apagar uma imagem”');
    expect(text).toContain('Veja também:');
  });

  it('GIVEN a question that matches nothing THEN says so and suggests topics', async () => {
    const text = textOf(await engine.say(ana, 'ask xyzzy plugh'));
    expect(text).toContain('Não achei nenhuma lição');
  });

  it('GIVEN a tampered, an old-version and a garbage action id THEN each gets a clear answer', async () => {
    const good = encodeAction({ kind: 'command', command: 'help' });
    const tampered = good.replace('help', 'hel9');
    expect(textOf(await engine.click(ana, tampered))).toContain('chegou alterado');
    expect(textOf(await engine.click(ana, 't0|a|x|1|abc'))).toContain('versão antiga');
    expect(textOf(await engine.click(ana, 'not an id'))).toContain('Não reconheço este botão');
    expect(textOf(await engine.click(ana, good))).toContain('/trilha ajuda');
  });
});
