/**
 * The facilitator report and the cohort export on both databases: a cohort in America/New_York answers four drops
 * across two ISO weeks and the spring-forward change (Sunday 2026-03-08), with a late joiner catching up at her own
 * pace around midnight of the change, a review that fixes a first-try miss, a member hidden from boards and one
 * anonymous. Every expected figure is computed in the test from the answers it gave (first and latest per member and
 * question), not read back from the report's own queries. Then the same report end to end through the terminal.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandOf, commandText, optionSpecs } from '../../src/adapters/discord/commands.ts';
import { runTerminal, type TerminalResult } from '../../src/adapters/terminal/terminal.adapter.ts';
import { reportMessage, reportMessageBudget } from '../../src/commands/facilitator/report-files.ts';
import { commands } from '../../src/commands/index.ts';
import { decodeAction, encodeAction } from '../../src/core/action-id.ts';
import { buildCohortReport } from '../../src/core/cohort-report.ts';
import type { Lesson } from '../../src/core/curriculum.ts';
import { Curriculum } from '../../src/core/curriculum.ts';
import { type Attachment, plainText, type Reply } from '../../src/core/message.ts';
import { anonymousAnimal } from '../../src/core/seasons.ts';
import { translator } from '../../src/i18n/translator.ts';
import type { CommandContext } from '../../src/runtime/command.ts';
import { availableKinds } from '../support/databases.ts';
import { buttonsOf, createTestEngine, dockerTrack, type TestEngine, type TestUser, textOf } from '../support/engine.ts';
import { createPostedDrop } from '../support/posted-drop.ts';

const zone = 'America/New_York';
const channel = 'C-OPS';
const admin: TestUser = { id: 'U-ADM', name: 'Fernanda Facilitadora', admin: true };
const ana: TestUser = { id: 'U-ANA', name: 'Ana' };
const bia: TestUser = { id: 'U-BIA', name: 'Bia' };
const caio: TestUser = { id: 'U-CAIO', name: 'Caio' };
const dani: TestUser = { id: 'U-DANI', name: 'Daniela Escondida' };
const eva: TestUser = { id: 'U-EVA', name: 'Eva Anônima' };
const fabi: TestUser = { id: 'U-FABI', name: 'Fabi' };

interface Answer {
  readonly member: string;
  readonly questionId: string;
  readonly at: Date;
  readonly correct: boolean;
}

/** The CSV rows as objects keyed by the header (csv-parse strips the byte order mark). */
function csvRows(file: Attachment | undefined): Record<string, string>[] {
  if (!file) throw new Error('no CSV file');
  return parse(Buffer.from(file.data), { columns: true, bom: true, skip_empty_lines: true });
}

function filesOf(replies: readonly Reply[]): Attachment[] {
  return replies.flatMap((reply) => reply.message.files ?? []);
}

describe.each(availableKinds)('facilitator report (%s)', (kind) => {
  let engine: TestEngine;
  let lessons: readonly Lesson[];
  const answers: Answer[] = [];
  const posted = new Map<string, string>(); // questionId → postedQuestionId

  const lesson = (index: number) => {
    const found = lessons[index];
    if (!found) throw new Error(`no lesson ${index}`);
    return found;
  };
  const choiceFor = (questionId: string, right: boolean) => {
    const question = engine.app.services.curriculum.question('docker', questionId);
    if (!question) throw new Error(questionId);
    return right ? question.correctIndex : (question.correctIndex + 1) % question.options.length;
  };
  const at = (iso: string) => {
    engine.clock.now = new Date(iso);
  };
  const record = (user: TestUser, questionId: string, correct: boolean) =>
    answers.push({ member: user.id, questionId, at: engine.clock.now, correct });

  /** A member clicks an option of a channel quiz question. */
  async function quiz(user: TestUser, questionId: string, right: boolean) {
    const postedQuestionId = posted.get(questionId);
    if (!postedQuestionId) throw new Error(`not posted: ${questionId}`);
    const replies = await engine.click(
      user,
      encodeAction({ kind: 'answer', postedQuestionId, choice: choiceFor(questionId, right) }),
      { channel },
    );
    expect(textOf(replies)).toContain(right ? '✅' : '❌');
    record(user, questionId, right);
  }

  /** A member answers a question at their own pace (catching up). */
  async function study(user: TestUser, questionId: string, right: boolean) {
    await engine.click(
      user,
      encodeAction({ kind: 'study', trackId: 'docker', questionId, choice: choiceFor(questionId, right) }),
      { channel },
    );
    record(user, questionId, right);
  }

  /** A member opens a review and answers the question served for `questionId`. */
  async function review(user: TestUser, questionId: string, right: boolean) {
    const served = buttonsOf(await engine.say(user, 'revisar', { channel }));
    const choice = choiceFor(questionId, right);
    const button = served.find((candidate) => {
      const decoded = decodeAction(candidate.actionId);
      return decoded.ok && decoded.action.kind === 'review' && decoded.action.questionId === questionId
        ? decoded.action.choice === choice
        : false;
    });
    if (!button) throw new Error(`${questionId} was not served for review`);
    expect(textOf(await engine.click(user, button.actionId, { channel }))).toContain(right ? '✅' : '❌');
    record(user, questionId, right);
  }

  /** A drop of the channel, posted at `postedAt` and closing a day later, with one posted question per question. */
  async function drop(localDate: string, index: number, postedAt: string) {
    const ids = await createPostedDrop(engine.app, {
      channelExternalId: channel,
      localDate,
      trackId: 'docker',
      lesson: lesson(index),
      postedAt,
    });
    for (const [questionId, id] of ids) posted.set(questionId, id);
  }

  beforeAll(async () => {
    // Monday 2 March 2026, 08:00 in New York (EST, UTC−5).
    engine = await createTestEngine(kind, { now: new Date('2026-03-02T13:00:00Z'), timeZone: zone });
    lessons = engine.app.services.curriculum.track('docker')?.lessons ?? [];
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
    await db.channel.create({
      data: {
        workspaceId: workspace.id,
        externalId: channel,
        name: 'ops',
        trackId: 'docker',
        cohortId: cohort.id,
        timeZone: zone,
        startDate: '2026-03-02',
      },
    });
    const [l0, l1, l2, l3] = [0, 1, 2, 3].map((i) => lesson(i).questions.map((q) => q.id));
    if (!l0 || !l1 || !l2 || !l3) throw new Error('the track has fewer than 4 lessons');

    // Week 2026-W10 (EST). Monday: lesson 1.
    await drop('2026-03-02', 0, '2026-03-02T14:00:00Z');
    at('2026-03-02T15:00:00Z');
    for (const id of l0) await quiz(ana, id, true);
    for (const [i, id] of l0.entries()) await quiz(bia, id, i !== 0);
    for (const [i, id] of l0.entries()) await quiz(caio, id, i !== 0);
    for (const id of l0) await quiz(dani, id, true);
    for (const [i, id] of l0.entries()) await quiz(eva, id, i === 0);
    // Tuesday: lesson 2 (Caio stops here).
    await drop('2026-03-03', 1, '2026-03-03T14:00:00Z');
    at('2026-03-03T15:00:00Z');
    for (const user of [ana, bia, dani, eva]) for (const id of l1) await quiz(user, id, true);
    // Wednesday: lesson 3 (Daniela stops here).
    await drop('2026-03-04', 2, '2026-03-04T14:00:00Z');
    at('2026-03-04T15:00:00Z');
    for (const user of [ana, bia, eva]) for (const id of l2) await quiz(user, id, true);
    // Daniela hides from boards, Eva shows as anonymous (their own choices; learning unaffected).
    await db.member.updateMany({ where: { displayName: dani.name }, data: { boardVisibility: 'hidden' } });
    await db.member.updateMany({ where: { displayName: eva.name }, data: { boardVisibility: 'anonymous' } });

    // Fabi joins late and catches up on lesson 1 at her own pace around the change's first midnight: Sunday 23:30
    // EDT (03:30Z, still W10), then Monday 00:30 EDT (04:30Z: W11, though it would still be Sunday at EST's offset).
    at('2026-03-09T03:00:00Z');
    expect(textOf(await engine.say(fabi, 'turma entrar ops', { channel }))).toContain('ops');
    at('2026-03-09T03:30:00Z');
    await study(fabi, l0[1] as string, true);
    at('2026-03-09T04:30:00Z');
    await study(fabi, l0[0] as string, false);

    // Week 2026-W11 (EDT, UTC−4). Monday 09:00 EDT: lesson 4, answered by Ana.
    await drop('2026-03-09', 3, '2026-03-09T13:00:00Z');
    at('2026-03-09T14:00:00Z');
    for (const id of l3) await quiz(ana, id, true);
    // Tuesday: Bia reviews the question she missed on the first try, and gets it right.
    at('2026-03-10T15:00:00Z');
    await review(bia, l0[0] as string, true);
    // The report is asked for on Tuesday afternoon, after every quiz closed.
    at('2026-03-10T16:00:00Z');
  });
  afterAll(() => engine.close());

  it('GIVEN a member who is not an admin THEN the report and the export are refused', async () => {
    for (const text of ['relatorio', 'relatorio membros', 'report members ops']) {
      const replies = await engine.say(ana, text, { channel });
      expect(textOf(replies)).toContain('Só administradores podem usar `relatorio`.');
      expect(filesOf(replies)).toHaveLength(0);
    }
  });

  it('GIVEN answers across two weeks and a DST change THEN each question’s participation, first-try and current accuracy match the answers given, in a CSV that parses', async () => {
    const replies = await engine.say(admin, 'relatorio', { channel });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.audience).toEqual({ kind: 'private' });
    const files = filesOf(replies);
    expect(files.map((file) => [file.filename, file.mimeType])).toEqual([
      ['relatorio-ops-2026-03-10.csv', 'text/csv'],
      ['relatorio-ops-2026-03-10.png', 'image/png'],
    ]);
    const csv = files[0];
    // UTF-8 with a byte order mark, then the header.
    expect([...(csv?.data.slice(0, 3) ?? [])]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(csv);

    // Expected, from the answers themselves: each member's first and latest answer per question.
    const firstAndLast = new Map<string, { first: Answer; last: Answer }>();
    for (const answer of answers) {
      const key = `${answer.member} ${answer.questionId}`;
      const known = firstAndLast.get(key);
      firstAndLast.set(key, { first: known?.first ?? answer, last: answer });
    }
    const members = 6; // Ana, Bia, Caio, Daniela, Eva, Fabi (the facilitator never joined)
    const reported = lessons.slice(0, 4).flatMap((l) => l.questions);
    expect(rows.map((row) => row['id da pergunta'])).toEqual(reported.map((q) => q.id));
    for (const question of reported) {
      const pairs = [...firstAndLast.values()].filter(({ first }) => first.questionId === question.id);
      const row = rows.find((candidate) => candidate['id da pergunta'] === question.id);
      const firstRight = pairs.filter(({ first }) => first.correct).length;
      const nowRight = pairs.filter(({ last }) => last.correct).length;
      expect(row, question.id).toMatchObject({
        trilha: 'docker',
        'pessoas na turma': String(members),
        responderam: String(pairs.length),
        participação: (pairs.length / members).toFixed(3),
        'certas de primeira': String(firstRight),
        'acerto de primeira': pairs.length ? (firstRight / pairs.length).toFixed(3) : '',
        'certas agora': String(nowRight),
        'acerto agora': pairs.length ? (nowRight / pairs.length).toFixed(3) : '',
        'publicada no canal': 'sim',
        enunciado: question.prompt['pt-BR'].replace(/\s+/g, ' ').trim(),
      });
    }
    // Bia: wrong at first, right in review → first try 0, current 1, on lesson 1's first question.
    const q1 = rows.find((row) => row['id da pergunta'] === lesson(0).questions[0]?.id);
    expect(q1).toMatchObject({ responderam: '6', 'certas de primeira': '3', 'certas agora': '4' });
    expect(q1?.lição).toBe('1');
    expect(q1?.pergunta).toBe('1.1');
  });

  it('GIVEN the spring-forward week THEN first tries fall in the ISO week of New York’s wall clock', async () => {
    const report = await engine.app.services.stores.reports.questionActivity({
      workspaceId: (await engine.app.db.workspace.findFirstOrThrow()).id,
      cohortId: (await engine.app.db.cohort.findFirstOrThrow({ where: { slug: 'ops' } })).id,
      timeZone: zone,
      now: engine.clock.now,
    });
    const [q1, q2] = lesson(0).questions.map((q) => q.id);
    const weeksOf = (id: string | undefined) =>
      report
        .filter((row) => row.questionId === id)
        .map(({ week, members, firstCorrect }) => [week, members, firstCorrect]);
    // Fabi's miss at Monday 00:30 EDT is in W11; her right answer at Sunday 23:30 EDT stays in W10.
    expect(weeksOf(q1)).toEqual([
      ['2026-W10', 5, 3],
      ['2026-W11', 1, 0],
    ]);
    expect(weeksOf(q2)).toEqual([['2026-W10', 6, 5]]);
    // Lesson 4, dropped on Monday of W11.
    expect(
      new Set(report.filter((row) => lesson(3).questions.some((q) => q.id === row.questionId)).map((r) => r.week)),
    ).toEqual(new Set(['2026-W11']));
  });

  it('GIVEN the report in chat THEN a compact table per lesson, the most missed questions and who fell behind, with hidden members never named', async () => {
    const replies = await engine.say(admin, 'relatorio ops', { channel });
    const message = replies[0]?.message;
    if (!message) throw new Error('no report');
    expect(message.headline).toBe('Relatório da turma ops');
    const code = message.blocks.find((block) => block.kind === 'code');
    if (code?.kind !== 'code') throw new Error('no table');
    const table = code.source.split('\n');
    expect(table).toHaveLength(5); // header + 4 lessons
    expect(table[0]).toMatch(/Lição\s+Fez\s+1ª\s+Agora$/);
    // Lesson 1: all 6 did it (Fabi answered two of its three questions: at least half, docs/scoring.md); 12 of 17
    // right first, 13 now.
    expect(table[1]).toMatch(/^1 .+ 6\/6\s+71%\s+76%$/);
    expect(table[4]).toMatch(/^4 .+ 1\/6\s+100%\s+100%$/);
    expect(Math.max(...table.map((line) => line.length))).toBeLessThanOrEqual(60);
    const shown = plainText(message);
    expect(shown.length).toBeLessThan(1_900); // one Discord message, one Slack section's worth
    expect(shown).toContain('6 pessoas · 4 lições publicadas · semanas no fuso America/New_York');
    // The most missed: lesson 1's first question (3 of 6 first), then the others missed by Eva and Caio/Bia.
    expect(shown).toContain('*Mais erradas de primeira*');
    expect(shown).toMatch(/- `1\.1` .+ · 1ª: 3 de 6 · agora: 4 de 6/);
    // Fell behind (2+ of the 4 closed lessons): Caio (3), Fabi (3: lesson 1 done with two of three answers), the
    // earlier last activity first; Daniela hides: counted, not named.
    expect(shown).toContain('*Ficaram para trás* (2 ou mais das 4 lições com quiz encerrado)');
    expect(shown).toMatch(/- Caio: 3 lições para trás · última atividade: .+\n- Fabi: 3 lições para trás/);
    expect(shown).toContain('+ 1 pessoa que se oculta dos rankings (não nomeada)');
    expect(shown).not.toContain('Daniela');
    expect(shown).not.toContain('Bia:');
    // The chart: a PNG of sensible size, not blank.
    const png = filesOf(replies).find((file) => file.mimeType === 'image/png');
    if (!png) throw new Error('no chart');
    expect(png.data.byteLength).toBeGreaterThan(5_000);
    expect(png.data.byteLength).toBeLessThan(500_000);
    const decoded = PNG.sync.read(Buffer.from(png.data));
    expect([decoded.width, decoded.height]).toEqual([1000, 500]);
    let ink = 0;
    for (let i = 0; i < decoded.data.length; i += 4) if ((decoded.data[i] ?? 255) < 200) ink++;
    expect(ink).toBeGreaterThan(2_000);
    expect(png.title).toContain('ops');
    // Another file never names the hidden member either.
    for (const file of filesOf(replies)) expect(Buffer.from(file.data).toString('utf8')).not.toContain('Daniela');
  });

  it('GIVEN the English speaker THEN the same report in English', async () => {
    const english: TestUser = { id: 'U-ENG', name: 'Erin', admin: true };
    await engine.say(english, 'language en');
    const replies = await engine.say(english, 'report ops', { channel });
    const message = replies[0]?.message;
    expect(message?.headline).toBe('Cohort report · ops');
    expect(plainText(message ?? { blocks: [] })).toMatch(/Lesson\s+Done\s+1st\s+Now/);
    expect(filesOf(replies).map((file) => file.filename)).toEqual([
      'report-ops-2026-03-10.csv',
      'report-ops-2026-03-10.png',
    ]);
    expect(Object.keys(csvRows(filesOf(replies)[0])[0] ?? {})).toContain('first-try accuracy');
  });

  it('GIVEN the cohort export THEN one CSV row per visible member with progress computed from their answers; hidden left out, anonymous numbered', async () => {
    const replies = await engine.say(admin, 'relatorio membros', { channel });
    expect(textOf(replies)).toContain('5 pessoas no CSV anexo, uma por linha.');
    expect(textOf(replies)).toContain('1 pessoa que se oculta dos rankings ficou de fora');
    const files = filesOf(replies);
    expect(files.map((file) => file.filename)).toEqual(['turma-ops-2026-03-10.csv']);
    const rows = csvRows(files[0]);
    const members = await engine.app.db.member.findMany({ include: { identities: true } });
    const idOf = (user: TestUser) => members.find((m) => m.identities.some((i) => i.externalId === user.id))?.id ?? '';
    // Eva is anonymous: named as on the leaderboards, “Anônimo” and her animal.
    const evaLabel = `Anônimo ${anonymousAnimal(idOf(eva))}`;
    expect(rows.map((row) => row.nome)).toEqual(['Ana', 'Bia', 'Caio', 'Fabi', evaLabel]);
    for (const row of rows) {
      const user = [ana, bia, caio, eva, fabi].find((u) => u.name === row.nome || (row.nome === evaLabel && u === eva));
      if (!user) throw new Error(String(row.nome));
      const mine = answers.filter((answer) => answer.member === user.id);
      const questions = new Map<string, Answer>();
      for (const answer of mine) if (!questions.has(answer.questionId)) questions.set(answer.questionId, answer);
      const firsts = [...questions.values()];
      const stats = await engine.app.db.memberStats.findFirst({ where: { memberId: idOf(user) } });
      expect(row, user.name).toMatchObject({
        respostas: String(mine.length),
        certas: String(mine.filter((answer) => answer.correct).length),
        'perguntas respondidas': String(firsts.length),
        'certas de primeira': String(firsts.filter((answer) => answer.correct).length),
        'acerto de primeira': (firsts.filter((answer) => answer.correct).length / firsts.length).toFixed(3),
        XP: String(stats?.xp ?? 0),
      });
    }
    const byName = (name: string) => rows.find((row) => row.nome === name);
    expect(byName('Bia')).toMatchObject({ revisões: '1', 'revisões lembradas': '1', 'lições para trás': '1' });
    expect(byName('Caio')).toMatchObject({ 'lições concluídas': '1', 'lições para trás': '3' });
    // Two of lesson 1's three questions: done (at least half), so one lesson fewer behind.
    expect(byName('Fabi')).toMatchObject({ 'lições concluídas': '1', 'lições para trás': '3' });
    // The cohort's local date of joining (the database stamps CohortMember.joinedAt with its own clock).
    for (const row of rows) expect(row['entrou em']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(byName('Ana')).toMatchObject({ 'lições vistas': '4', 'lições concluídas': '4', 'lições para trás': '0' });
    expect(Buffer.from(files[0]?.data ?? []).toString('utf8')).not.toContain('Daniela');
  });

  it('GIVEN no cohort named and several cohorts outside a drop channel THEN the admin is asked to choose; an unknown cohort is named', async () => {
    const { db } = engine.app;
    const workspace = await db.workspace.findFirstOrThrow({ where: { externalId: 'T-TEST' } });
    await db.cohort.create({ data: { workspaceId: workspace.id, slug: 'dados', name: 'Dados', timeZone: zone } });
    expect(textOf(await engine.say(admin, 'relatorio', { channel: null }))).toContain('De qual turma?');
    expect(textOf(await engine.say(admin, 'relatorio nada', { channel }))).toContain('Não existe a turma “nada”');
    expect(textOf(await engine.say(admin, 'relatorio dados', { channel }))).toContain(
      'A turma `dados` ainda não tem ninguém.',
    );
    // A cohort with a new member and a posted lesson but no answer yet: the table with dashes and the CSV, no chart.
    const dados = await db.cohort.findFirstOrThrow({ where: { slug: 'dados' } });
    const gil: TestUser = { id: 'U-GIL', name: 'Gil' };
    expect(textOf(await engine.say(gil, 'turma entrar dados', { channel: null }))).toContain('dados');
    const channelRow = await db.channel.create({
      data: {
        workspaceId: workspace.id,
        externalId: 'C-DADOS',
        trackId: 'docker',
        cohortId: dados.id,
        startDate: '2026-03-10',
      },
    });
    await db.drop.create({
      data: {
        channelId: channelRow.id,
        localDate: '2026-03-10',
        trackId: 'docker',
        lessonId: lesson(0).id,
        status: 'posted',
        claimedBy: 'test',
        postedAt: engine.clock.now,
        closesAt: new Date(engine.clock.now.getTime() + 3600_000),
      },
    });
    const quiet = await engine.say(admin, 'relatorio', { channel: 'C-DADOS' });
    expect(textOf(quiet)).toContain('Relatório da turma dados');
    expect(textOf(quiet)).toMatch(/1 .+ 0\/1\s+—\s+—/);
    expect(textOf(quiet)).toContain('O gráfico vem quando houver respostas.');
    expect(filesOf(quiet).map((file) => file.mimeType)).toEqual(['text/csv']);
  });
});

describe.each(availableKinds)('facilitator report through the terminal (%s)', (kind) => {
  it('GIVEN a drop answered in the terminal THEN the admin’s report shows the table and a member’s is refused', async () => {
    // Monday 2 March 2026, 08:30 in New York: the first drop is at 09:00.
    const engine: TestEngine = await createTestEngine(kind, {
      now: new Date('2026-03-02T13:30:00Z'),
      timeZone: zone,
    });
    try {
      const input = new PassThrough();
      let out = '';
      const output = new Writable({
        write(chunk, _encoding, callback) {
          out += String(chunk);
          callback();
        },
      });
      const waiters: (() => void)[] = [];
      const ready = new Promise<void>((resolve) => waiters.push(resolve));
      const filesDir = mkdtempSync(join(tmpdir(), 'trilha-report-files-'));
      const done: Promise<TerminalResult> = runTerminal({
        app: engine.app,
        input,
        output,
        interactive: false,
        now: engine.clock.now,
        filesDir,
        onIdle: () => waiters.shift()?.(),
      });
      const send = async (line: string) => {
        const from = out.length;
        const idle = new Promise<void>((resolve) => waiters.push(resolve));
        input.write(`${line}\n`);
        await Promise.race([idle, done]);
        return out.slice(from);
      };
      await ready;
      const first = engine.app.services.curriculum.track('docker')?.lessons[0];
      if (!first) throw new Error('no lesson');
      const posts = await send('/tick 1h');
      const numbers = [...posts.matchAll(/^ {2}\[(\d+)\] ([A-D])\) /gm)].map((match) => ({
        number: match[1] ?? '',
        letter: match[2] ?? '',
      }));
      // The first question's buttons come first; answer it right.
      const question = first.questions[0];
      if (!question) throw new Error('no question');
      const right = numbers.find((button) => button.letter === String.fromCharCode(65 + question.correctIndex));
      expect(await send(right?.number ?? '')).toContain('✅');

      const report = await send('relatorio');
      expect(report).toContain('Relatório da turma');
      expect(report).toMatch(/Lição\s+Fez\s+1ª\s+Agora/);
      expect(report).toMatch(/ {4}1 .+0\/1\s+100%\s+100%/);
      expect(report).toContain('1 pessoa · 1 lição publicada · semanas no fuso America/New_York');
      // The terminal's file API: each file written to the folder, its path shown.
      const csvPath = join(filesDir, 'relatorio-geral-2026-03-02.csv');
      const pngPath = join(filesDir, 'relatorio-geral-2026-03-02.png');
      expect(report).toContain(`salvo em ${csvPath}`);
      expect(report).toContain(`salvo em ${pngPath}`);
      const rows = parse(readFileSync(csvPath), { columns: true, bom: true }) as Record<string, string>[];
      expect(rows[0]).toMatchObject({ 'id da pergunta': question.id, responderam: '1', 'certas de primeira': '1' });
      expect(PNG.sync.read(readFileSync(pngPath)).width).toBe(1000);
      const exported = await send('relatorio membros');
      expect(exported).toContain('1 pessoa no CSV anexo.');
      const members = parse(readFileSync(join(filesDir, 'turma-geral-2026-03-02.csv')), { columns: true, bom: true });
      expect(members).toMatchObject([{ nome: 'Alex', respostas: '1', certas: '1', 'lições para trás': '0' }]);

      expect(await send('/as Bia')).toContain('Bia');
      expect(await send('relatorio')).toContain('Só administradores podem usar `relatorio`.');
      input.end();
      await done;
      rmSync(filesDir, { recursive: true, force: true });
    } finally {
      await engine.close();
    }
  });
});

describe('the report on Discord', () => {
  it('GIVEN /trilha-report with its options THEN the text a member would type, which the command reads back', () => {
    const report = commandOf(commands, 'trilha-report', null);
    if (!report) throw new Error('no /trilha-report');
    expect(report.id).toBe('report');
    expect(optionSpecs.report?.map((spec) => spec.name)).toEqual(['kind', 'cohort']);
    const typed = commandText(report, [
      { name: 'cohort', value: 'ops' },
      { name: 'kind', value: 'members' },
    ]);
    expect(typed).toBe('report members ops');
    expect(report.args.parse(report.parse(typed.split(' ').slice(1), ''))).toEqual({
      kind: 'members',
      cohort: 'ops',
      extra: [],
    });
    expect(report.args.parse(report.parse(['summary'], ''))).toEqual({ kind: 'summary', extra: [] });
    expect(report.args.parse(report.parse(['csv', 'ops'], ''))).toMatchObject({ kind: 'members', cohort: 'ops' });
    expect(report.args.safeParse(report.parse(['ops', 'extra'], '')).success).toBe(false);
  });
});

describe('the report message at its largest', () => {
  it('GIVEN the whole track answered, 40 members behind with long names and long prompts THEN one message within the budget, in both languages', () => {
    const curriculum = new Curriculum(dockerTrack());
    const track = curriculum.tracks[0];
    if (!track) throw new Error('no track');
    const members = Array.from({ length: 40 }, (_, i) => ({
      memberId: `m${String(i).padStart(2, '0')}`,
      displayName: `Maria Aparecida dos Santos Oliveira ${i}`,
      visibility: i % 5 === 0 ? ('anonymous' as const) : ('shown' as const),
      joinedAt: new Date('2026-03-01T00:00:00Z'),
      lessonsSeen: 1,
      lessonsCompleted: 1,
      closedDropsCompleted: i % 3,
      xp: 10,
      currentStreak: 0,
      bestStreak: 1,
      lastActiveDate: '2026-03-02',
    }));
    const report = buildCohortReport({
      curriculum,
      tracks: [track.id],
      members,
      activity: track.lessons.flatMap((lesson) =>
        lesson.questions.map((question) => ({
          trackId: track.id,
          questionId: question.id,
          week: '2026-W10',
          members: 40,
          firstCorrect: 10,
          currentCorrect: 20,
        })),
      ),
      completion: [],
      dropped: track.lessons.map((lesson) => ({
        trackId: track.id,
        lessonId: lesson.id,
        firstDate: '2026-03-02',
        closed: true,
      })),
    });
    const cohort = { id: 'c', workspaceId: 'w', slug: 'uma-turma-de-nome-longo-2026', name: 'x', timeZone: zone };
    for (const locale of ['pt-BR', 'en'] as const) {
      const ctx = { t: translator(locale).t, locale } as unknown as CommandContext;
      const message = reportMessage(ctx, cohort, report);
      const shown = plainText(message);
      expect(shown.length, locale).toBeLessThanOrEqual(reportMessageBudget);
      const table = message.blocks.find((block) => block.kind === 'code');
      // The latest lessons still make the table (the rest are counted and in the CSV).
      expect(table?.kind === 'code' && table.source.split('\n').length).toBeGreaterThanOrEqual(6);
      expect(shown).toContain(locale === 'en' ? 'earlier lessons in the CSV' : 'lições anteriores no CSV');
      expect(shown).toContain(locale === 'en' ? 'in the cohort CSV' : 'no CSV da turma');
    }
  });
});
