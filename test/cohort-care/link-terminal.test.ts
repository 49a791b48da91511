/**
 * Linking end to end through the terminal adapter, on both databases: two terminal sessions on one engine, the
 * default workspace (A, `local`) and `equipe-b` (B), are two teams, each with its own #geral and drop. Ana answers the
 * first quiz in both (one question in both), and everything after is typed: `vincular` in A prints a code, a code
 * used in A itself, a wrong code and a used one are refused clearly, `vincular CODE` in B links; then `progresso`
 * shows the same shared totals on both sides with the common question counted once, an answer in B to a question A
 * already scored gives no XP, the code reply reads in English after `idioma en`, and `desvincular` in B gives B a
 * fresh member while A keeps everything earned; at the week's end each team's recap shows in its own terminal.
 * Checked on what the terminals print and on the rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalWorkspaceNamed } from '../../src/adapters/terminal/terminal.adapter.ts';
import type { Lesson, Question } from '../../src/core/curriculum.ts';
import { availableKinds } from '../support/databases.ts';
import { createTestEngine, type TestEngine } from '../support/engine.ts';
import { driveTerminal, questionButtons, type TerminalDriver } from '../support/terminal-driver.ts';

const teamB = terminalWorkspaceNamed('equipe-b');
/** The code as the terminal prints it (the renderer drops the bold markers). */
const codePattern = /(?:Seu código|Your code): ([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}),/;
/** A lesson post in #geral (not its thread): `── #geral · <time> ──`. */
const lessonPost = /^── #geral · [^“\n]+ ──$/gm;

const letterOf = (index: number) => String.fromCharCode(65 + index);

function buttonFor(buttons: { number: number; letter: string }[] | undefined, choice: number): string {
  const button = buttons?.find((candidate) => candidate.letter === letterOf(choice));
  if (!button) throw new Error(`no button ${letterOf(choice)} in ${JSON.stringify(buttons)}`);
  return String(button.number);
}

function codeFrom(out: string): string {
  const match = codePattern.exec(out);
  if (!match?.[1]) throw new Error(`no code in:\n${out}`);
  return match[1];
}

/** The progress lines both sides must agree on: XP and answers with accuracy. */
function totalsOf(out: string): string[] {
  return out.split('\n').filter((line) => /^(XP|Perguntas respondidas|Questions answered):/.test(line));
}

describe.each(availableKinds)('linking two terminal workspaces, end to end (%s)', (kind) => {
  let engine: TestEngine;
  let a: TerminalDriver;
  let b: TerminalDriver;
  let lesson: Lesson;

  beforeAll(async () => {
    // Monday 30 Nov 2026, 08:00 in São Paulo: an hour before the first drop in both workspaces.
    engine = await createTestEngine(kind, { now: new Date('2026-11-30T11:00:00Z') });
    lesson = engine.app.services.curriculum.tracks[0]?.lessons[0] as Lesson;
    a = driveTerminal(engine);
    await a.ready;
    b = driveTerminal(engine, { workspace: teamB });
    await b.ready;
  });
  afterAll(async () => {
    await a.end();
    await b.end();
    await engine.close();
  });

  /** The member behind a terminal account (workspace external id and user id). */
  const memberOf = async (workspace: string, externalId: string) =>
    (
      await engine.app.db.identity.findFirstOrThrow({
        where: { externalId, workspace: { platform: 'terminal', externalId: workspace } },
      })
    ).memberId;
  const statsOf = (memberId: string) => engine.app.db.memberStats.findUnique({ where: { memberId } });

  it('GIVEN Ana in two terminal workspaces THEN vincular links them, each question counts once, desvincular splits nothing', async () => {
    const questions = lesson.questions;
    const [q1, q2, q3] = questions as [Question, Question, Question];
    expect(questions.length).toBeGreaterThanOrEqual(3);
    const wrongOf = (q: Question) => (q.correctIndex + 1) % q.options.length;

    // Two teams: B says which workspace it is, and each scheduler posts only its own #geral.
    expect(b.out).toContain('Espaço de trabalho: equipe-b.');
    expect(a.out).not.toContain('Espaço de trabalho');
    const workspaces = await engine.app.db.workspace.findMany({
      where: { platform: 'terminal' },
      orderBy: { name: 'asc' },
    });
    expect(workspaces.map((row) => [row.externalId, row.name])).toEqual([
      ['local', 'Terminal'],
      ['equipe-b', 'equipe-b'],
    ]);
    expect(await engine.app.db.channel.count({ where: { externalId: 'geral' } })).toBe(2);

    // A at 09:00: its drop only. Ana answers the first question right and the second wrong.
    const dropA = await a.send('/tick 1h');
    expect(dropA.match(lessonPost)).toHaveLength(1);
    expect(b.out.match(lessonPost)).toBeNull();
    const quizA = questionButtons(dropA);
    await a.send('/as Ana');
    expect(await a.send(buttonFor(quizA[0], q1.correctIndex))).toContain('✅');
    expect(await a.send(buttonFor(quizA[1], wrongOf(q2)))).toContain('❌');

    // B, an hour later on its own clock: its own drop (posted at 09:00 on the way); the same Ana, another account,
    // answers the first question again and the third, both right.
    const dropB = await b.send('/tick 2h');
    expect(dropB.match(lessonPost)).toHaveLength(1);
    expect(dropB).toContain('── #geral · seg., 30/11/2026, 09:00 (America/Sao_Paulo) ──');
    expect(a.out.match(lessonPost)).toHaveLength(1);
    const quizB = questionButtons(dropB);
    await b.send('/as Ana');
    expect(await b.send(buttonFor(quizB[0], q1.correctIndex))).toContain('✅');
    expect(await b.send(buttonFor(quizB[2], q3.correctIndex))).toContain('✅');

    const anaA = await memberOf('local', 'local:ana');
    const anaB = await memberOf('equipe-b', 'equipe-b:ana');
    expect(anaB).not.toBe(anaA);
    const beforeA = await statsOf(anaA);
    const beforeB = await statsOf(anaB);
    expect(beforeA).toMatchObject({ answered: 2, correct: 1 });
    expect(beforeB).toMatchObject({ answered: 2, correct: 2 });

    // A at 09:00: a code, and the accounts as they are.
    const issued = await a.send('vincular');
    expect(issued).toContain('válido por 10 minutos (até 09:10)');
    expect(issued).toContain('Suas contas: Terminal (Terminal, esta).');
    const stale = codeFrom(issued);
    // Used in the workspace that issued it (Bia in A): refused.
    await a.send('/as Bia');
    expect(await a.send(`vincular ${stale}`)).toContain('Use este código na sua outra plataforma');
    await a.send('/as Ana');
    // Each session has its own clock: at B's 10:00 the code of A's 09:00 has expired, and says so once.
    expect(await b.send(`vincular ${stale}`)).toContain('Este código expirou');
    expect(await b.send(`vincular ${stale}`)).toContain('Código não reconhecido');

    // A at 10:00 too: a fresh code. A wrong one in B is refused.
    await a.send('/tick 1h');
    const code = codeFrom(await a.send('vincular'));
    expect(await b.send('vincular ZZZZ-ZZZZ')).toContain('Código não reconhecido');

    // B links, typing the code in lower case.
    const linked = await b.send(`vincular ${code.toLowerCase()}`);
    expect(linked).toContain('Pronto, contas ligadas: Terminal (Terminal), Terminal (equipe-b, esta).');
    expect(linked).toContain('1 resposta dada dos dois lados contou uma vez só.');
    expect(await memberOf('equipe-b', 'equipe-b:ana')).toBe(anaA);
    expect(await engine.app.db.member.count({ where: { id: anaB } })).toBe(0);
    // The code is used up.
    expect(await b.send(`vincular ${code}`)).toContain('Código não reconhecido');
    expect(await engine.app.db.linkCode.count()).toBe(0);

    // The rows: each question scored once (B's repeat of the first kept, unscored), totals recomputed, not summed.
    const { db } = engine.app;
    const attempts = await db.attempt.findMany({ where: { memberId: anaA }, orderBy: { answeredAt: 'asc' } });
    expect(attempts).toHaveLength(4);
    const scored = attempts.filter((attempt) => attempt.scored);
    expect(scored.map((attempt) => attempt.questionId).sort()).toEqual([q1.id, q2.id, q3.id].sort());
    expect(attempts.filter((attempt) => !attempt.scored).map((attempt) => attempt.questionId)).toEqual([q1.id]);
    const xp = scored.reduce((sum, attempt) => sum + attempt.xp, 0);
    const shared = await statsOf(anaA);
    expect(shared).toMatchObject({ xp, answered: 3, correct: 2, currentStreak: 1 });
    expect(shared?.xp).toBeLessThan((beforeA?.xp ?? 0) + (beforeB?.xp ?? 0));
    expect(linked).toContain(`agora são um só (${xp} XP, 3 respostas)`);

    // Both terminals show the same shared totals.
    const progressA = await a.send('progresso');
    const progressB = await b.send('progresso');
    expect(totalsOf(progressA)).toEqual([
      `XP: ${xp}`,
      'Perguntas respondidas: 3 · 67% certas de primeira · Respostas que contaram: 3 (com práticas e revisões)',
    ]);
    expect(totalsOf(progressB)).toEqual(totalsOf(progressA));

    // Linked, B's answer to a question A already scored gives feedback and no XP.
    const elsewhere = await b.send(buttonFor(quizB[1], q2.correctIndex));
    expect(elsewhere).toContain('já contou no quiz de outro canal');
    expect(await statsOf(anaA)).toMatchObject({ xp, answered: 3, correct: 2 });
    expect(await db.attempt.count({ where: { memberId: anaA, scored: true } })).toBe(3);

    // The code reply in English: B's other member (you) asks for one after `idioma en`.
    await b.send('/as você');
    await b.send('idioma en');
    const english = await b.send('link');
    expect(english).toMatch(codePattern);
    expect(english).toContain('valid for 10 minutes');
    expect(english).toContain('Your accounts: Terminal (equipe-b, this one).');
    await b.send('/as Ana');

    // B unlinks: a fresh member for B's account; A keeps everything, B's answers included.
    const unlinked = await b.send('desvincular');
    expect(unlinked).toContain('esta conta (Terminal) foi desligada e começa do zero');
    expect(unlinked).toContain('ficou com Terminal (Terminal)');
    const fresh = await memberOf('equipe-b', 'equipe-b:ana');
    expect(fresh).not.toBe(anaA);
    expect(await memberOf('local', 'local:ana')).toBe(anaA);
    expect(await db.attempt.count({ where: { memberId: fresh } })).toBe(0);
    expect(await statsOf(fresh)).toBeNull();
    expect(await db.attempt.count({ where: { memberId: anaA } })).toBe(5);
    expect(await statsOf(anaA)).toMatchObject({ xp, answered: 3, correct: 2 });
    expect(await db.identity.count({ where: { memberId: anaA } })).toBe(1);
    expect(await b.send('progresso')).toContain('Nenhuma resposta ainda.');
    expect(totalsOf(await a.send('progresso'))).toEqual(totalsOf(progressA));
    // A alone now: nothing to unlink.
    expect(await a.send('desvincular')).toContain('não está ligada a nenhuma outra');

    // The week goes by: each team's Monday quiz closes, and its season recap shows, in its own terminal, once.
    const results = `Resultado do quiz: ${lesson.title['pt-BR']}`;
    const weekA = await a.send('/tick 1w');
    expect(weekA.split(results)).toHaveLength(2);
    expect(weekA.match(/Fim da temporada 2026-W49/g)).toHaveLength(1);
    expect(b.out).not.toContain(results);
    expect(b.out).not.toContain('Fim da temporada');
    const weekB = await b.send('/tick 1w');
    expect(weekB.split(results)).toHaveLength(2);
    expect(weekB.match(/Fim da temporada 2026-W49/g)).toHaveLength(1);
    expect(await db.season.count({ where: { week: '2026-W49', status: 'posted' } })).toBe(2);
  });
});
