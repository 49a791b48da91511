/**
 * Command exercises in the terminal, end to end on both databases: the exercise is shown with its button, a typed
 * `docker …` line (or the line after clicking the button) is graded by parsing, the verdict is one attempt that
 * scores, makes a review card and is reviewed like any other question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableKinds } from '../support/databases.ts';
import { createTestEngine, type TestEngine } from '../support/engine.ts';
import { buttonNumber, driveTerminal, type TerminalDriver } from '../support/terminal-driver.ts';
import { pruneExercise, tracksWithExercises } from './exercise-tracks.ts';

describe.each(availableKinds)('command exercises in the terminal (%s)', (kind) => {
  let engine: TestEngine;
  let terminal: TerminalDriver;

  beforeAll(async () => {
    // Monday 30 Nov 2026, 00:00 in São Paulo: hours before the first channel drop, so only what is asked shows.
    engine = await createTestEngine(kind, { tracks: tracksWithExercises(), now: new Date('2026-11-30T03:00:00Z') });
    terminal = driveTerminal(engine);
    await terminal.ready;
  });
  afterAll(() => engine.close());

  const attempts = async (displayName: string) => {
    const member = await engine.app.db.member.findFirst({ where: { displayName } });
    return engine.app.db.attempt.findMany({
      where: { memberId: member?.id, questionId: pruneExercise.id },
      orderBy: { answeredAt: 'asc' },
    });
  };

  it('GIVEN an exercise THEN a typed docker line is graded by parsing, counted once and reviewed later', async () => {
    const lesson = await terminal.send('proxima');
    expect(lesson).toContain('Remova de uma vez todos os contêineres parados.');
    expect(lesson).toContain('⌨️ Digitar o comando');
    expect(lesson).toContain('digite a linha que começa com `docker`');

    // Another kind of object: wrong, with the reason and the accepted commands.
    const wrong = await terminal.send('docker image prune');
    expect(wrong).toContain('❌');
    expect(wrong).toContain('`docker image prune` trabalha com imagens, não com contêineres.');
    expect(wrong).toContain('Respostas aceitas: `docker container prune` · `docker container prune --force`');
    expect((await attempts('você')).map((row) => [row.correct, row.choice])).toEqual([[false, 1]]);

    // The button again, then the right command: already answered, nothing changes.
    const button = buttonNumber(lesson, '⌨️ Digitar o comando');
    expect(await terminal.send(button)).toContain('Digite o comando na próxima linha');
    expect(await terminal.send('docker container prune')).toContain(
      'Você já respondeu este exercício e errou. Nada mudou.',
    );
    expect(await attempts('você')).toHaveLength(1);

    // A day later the card is due: the review serves the exercise and a right answer (other spelling) counts.
    await terminal.send('/tick 1d');
    const review = await terminal.send('revisar');
    expect(review).toContain('Remova de uma vez todos os contêineres parados.');
    const right = await terminal.send('docker container prune --force');
    expect(right).toContain('✅');
    expect((await attempts('você')).map((row) => [row.context, row.correct, row.choice])).toEqual([
      ['self_study', false, 1],
      ['review', true, 0],
    ]);
  });

  it('GIVEN the button clicked THEN the next line is the answer, whatever it is, and /cancelar records nothing', async () => {
    await terminal.send('/as Ana');
    const lesson = await terminal.send('proxima');
    const button = buttonNumber(lesson, '⌨️ Digitar o comando');
    await terminal.send(button);
    expect(await terminal.send('/cancelar')).toContain('nada foi registrado');
    expect(await attempts('Ana')).toHaveLength(0);

    await terminal.send(button);
    const answer = await terminal.send('podman ps');
    expect(answer).toContain('`podman` não é o Docker');
    await terminal.send('/as Bia');
    const bia = await terminal.send('proxima');
    await terminal.send(buttonNumber(bia, '⌨️ Digitar o comando'));
    const right = await terminal.send('docker   container prune -f');
    expect(right).toContain('✅');
    expect(right).toContain('XP');
    expect((await attempts('Ana')).map((row) => row.correct)).toEqual([false]);
    expect((await attempts('Bia')).map((row) => row.correct)).toEqual([true]);
  });
});
