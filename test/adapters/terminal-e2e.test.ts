/**
 * End to end through the terminal adapter on both databases: two members live a week of drops in #geral, clicking
 * buttons by the numbers the terminal shows, then use review, ask, progress, the leaderboard and their data. Every
 * line goes through the real dispatcher, scheduler and stores; the test waits for the adapter to be idle (its
 * `onIdle` hook) after each line, never for a timer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lesson } from '../../src/core/curriculum.ts';
import { availableKinds } from '../support/databases.ts';
import { createTestEngine, type TestEngine } from '../support/engine.ts';
import { driveTerminal, questionButtons, type TerminalDriver } from '../support/terminal-driver.ts';

const letterOf = (index: number) => String.fromCharCode(65 + index);

function buttonFor(buttons: { number: number; letter: string }[] | undefined, choice: number): string {
  const button = buttons?.find((candidate) => candidate.letter === letterOf(choice));
  if (!button) throw new Error(`no button ${letterOf(choice)} in ${JSON.stringify(buttons)}`);
  return String(button.number);
}

describe.each(availableKinds)('the terminal, end to end (%s)', (kind) => {
  let engine: TestEngine;
  let terminal: TerminalDriver;
  let lessons: readonly Lesson[];

  beforeAll(async () => {
    // Monday 30 Nov 2026, 08:00 in São Paulo: an hour before the first drop (09:00, Monday to Friday).
    engine = await createTestEngine(kind, { now: new Date('2026-11-30T11:00:00Z') });
    lessons = engine.app.services.curriculum.tracks[0]?.lessons ?? [];
    terminal = driveTerminal(engine);
    await terminal.ready;
  });
  afterAll(() => engine.close());

  const memberNamed = (displayName: string) => engine.app.db.member.findFirst({ where: { displayName } });

  it('GIVEN a week of drops, two members and a full tour of the commands THEN every step shows and counts once', async () => {
    expect(terminal.out).toContain('Trilha no terminal: você está em #geral como Alex.');
    expect(terminal.out).not.toContain('── #geral ·');

    // Monday 09:00: the first lesson and its quiz in the thread.
    const monday = await terminal.send('/tick 1h');
    const first = lessons[0] as Lesson;
    expect(monday).toContain(`── #geral · seg., 30/11/2026, 09:00 (America/Sao_Paulo) ──\n${first.title['pt-BR']}`);
    expect(monday).toContain(`── #geral · na conversa de “${first.title['pt-BR']}” · seg., 30/11/2026, 09:00`);
    const quiz = questionButtons(monday);
    expect(quiz).toHaveLength(first.questions.length);
    const [q1, q2] = first.questions;
    if (!q1 || !q2) throw new Error('the first lesson has fewer than 2 questions');
    const wrongOf = (q: typeof q1) => (q.correctIndex + 1) % q.options.length;

    // You: right, then wrong, then a second click on the first question (another option) changes nothing.
    expect(await terminal.send(buttonFor(quiz[0], q1.correctIndex))).toContain('✅');
    expect(await terminal.send(buttonFor(quiz[1], wrongOf(q2)))).toContain('❌');
    const again = await terminal.send(buttonFor(quiz[0], wrongOf(q1)));
    expect(again).toContain('── 🔒 Só você vê isto ──');
    expect(again).toContain('já respondeu');
    const you = await memberNamed('Alex');
    expect(await engine.app.db.attempt.count({ where: { memberId: you?.id } })).toBe(2);

    // Bia joins and answers both right; a number never shown is refused.
    expect(await terminal.send('/as Bia')).toContain('Agora você é Bia.');
    expect(await terminal.send(buttonFor(quiz[0], q1.correctIndex))).toContain('✅');
    expect(await terminal.send(buttonFor(quiz[1], q2.correctIndex))).toContain('✅');
    expect(await terminal.send('999')).toMatch(/Não há botão \[999\]: os botões mostrados vão de \[1\] a \[\d+\]\./);

    // A week later: Tuesday to Friday and next Monday each drop the next lesson; the weekend drops nothing.
    const week = await terminal.send('/tick 1w');
    const titles = lessons.slice(1, 6).map((lesson) => lesson.title['pt-BR']);
    const at = titles.map((title) => week.indexOf(`──\n${title}\n`));
    expect(at.every((index) => index >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(week).not.toMatch(/── #geral · (sáb|dom)\./);
    expect(week).toContain(`Resultado do quiz: ${first.title['pt-BR']}`);
    expect(week).toContain('O relógio avançou 1 semana. Agora: seg., 07/12/2026, 09:00 (America/Sao_Paulo)');
    const drops = await engine.app.db.drop.findMany({ orderBy: { localDate: 'asc' } });
    expect(drops.map((drop) => [drop.localDate, drop.lessonId])).toEqual(
      ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07'].map((date, i) => [
        date,
        lessons[i]?.id,
      ]),
    );

    // Bia answers Monday's closed quiz late (feedback, no points) and today's first question wrong.
    const q3 = first.questions[2];
    if (q3) {
      await terminal.send(buttonFor(quiz[2], q3.correctIndex));
      const bia = await memberNamed('Bia');
      const late = await engine.app.db.attempt.findFirst({ where: { memberId: bia?.id, questionId: q3.id } });
      expect(late?.scored).toBe(false);
    }
    const today = questionButtons(week.slice(week.lastIndexOf(`──\n${titles[4]}\n`)));
    const todayQ1 = lessons[5]?.questions[0];
    if (!todayQ1) throw new Error('lesson 6 has no question');
    expect(await terminal.send(buttonFor(today[0], wrongOf(todayQ1)))).toContain('❌');

    // Review: the question Bia missed comes back, answered by its number.
    const review = await terminal.send('revisar');
    expect(review).toContain('── 🔒 Só você vê isto ──');
    const reviewButtons = [...review.matchAll(/^ {2}\[(\d+)\] ([A-D])\) /gm)];
    expect(reviewButtons.length).toBeGreaterThan(0);
    await terminal.send(reviewButtons[0]?.[1] ?? '');
    const bia = await memberNamed('Bia');
    expect(await engine.app.db.attempt.count({ where: { memberId: bia?.id, context: 'review' } })).toBe(1);

    // Ask, progress and the leaderboard.
    expect(await terminal.send('perguntar como apagar uma imagem')).toContain('Sobre “como apagar uma imagem”');
    const stats = await engine.app.db.memberStats.findUnique({ where: { memberId: bia?.id ?? '' } });
    const progress = await terminal.send('progresso');
    expect(progress).toContain('Progresso de Bia');
    expect(progress).toContain(`XP: ${stats?.xp}`);
    const board = await terminal.send('ranking total');
    expect(board).toMatch(/🥇 Bia \(você\) · \d+ pts · \d+ XP/);
    expect(board).toMatch(/🥈 Alex · \d+ pts · \d+ XP/);

    // You see your data, ask to delete it, and confirm with the danger button.
    await terminal.send('/as Alex');
    const data = await terminal.send('meus-dados');
    expect(data).toContain('Seus dados no Trilha');
    expect(data).toContain('`local-owner`');
    const confirm = await terminal.send('meus-dados apagar');
    const button = /^ {2}\[(\d+)\] Apagar meus dados$/m.exec(confirm);
    expect(button).not.toBeNull();
    await terminal.send(button?.[1] ?? '');
    // Terminal controls afterwards do not bring the deleted member back.
    expect(await terminal.send('/now')).toContain('Agora: seg., 07/12/2026');
    expect(await memberNamed('Alex')).toBeNull();
    expect(await engine.app.db.attempt.count({ where: { memberId: you?.id } })).toBe(0);
    expect(await memberNamed('Bia')).not.toBeNull();

    expect(await terminal.send('/quit')).toContain('Até a próxima!');
    expect(await terminal.done).toMatchObject({ reason: 'quit' });
  });
});
