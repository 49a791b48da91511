/**
 * A member's own exports on both databases: the JSON file of everything stored about them (parsed, checked against
 * the database row by row), the Anki CSV of their misses (parsed with csv-parse into front/back pairs, in their
 * language, with Anki's file headers), and the deletion that also takes their holds and link codes while the
 * cohort's seasons stay. Then the same exports end to end through the terminal adapter, read back from its files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memberFilesFolder } from '../../src/adapters/terminal/terminal.adapter.ts';
import { encodeAction } from '../../src/core/action-id.ts';
import type { Attachment, Reply } from '../../src/core/message.ts';
import { availableKinds } from '../support/databases.ts';
import { buttonsOf, createTestEngine, type TestEngine, type TestUser, textOf } from '../support/engine.ts';
import { driveTerminal, questionButtons, type TerminalDriver } from '../support/terminal-driver.ts';

const ana: TestUser = { id: 'U-ANA', name: 'Ana' };
const channel = 'C-OPS';

function filesOf(replies: readonly Reply[]): Attachment[] {
  return replies.flatMap((reply) => reply.message.files ?? []);
}

/** Anki's header lines (`#key:value`) and the CSV records under them. */
function readAnki(csv: string): { headers: string[]; rows: string[][] } {
  const headers = csv.split('\n').filter((line) => line.startsWith('#'));
  const rows: string[][] = parse(csv, { comment: '#', comment_no_infix: true, skip_empty_lines: true });
  return { headers, rows };
}

describe.each(availableKinds)('a member’s exports (%s)', (kind) => {
  let engine: TestEngine;

  const question = (id: string) => {
    const found = engine.app.services.curriculum.question('docker', id);
    if (!found) throw new Error(id);
    return found;
  };
  const wrong = (id: string) => (question(id).correctIndex + 1) % question(id).options.length;

  beforeEach(async () => {
    engine = await createTestEngine(kind, { now: new Date('2026-11-30T15:00:00Z') });
    const { db, services } = engine.app;
    const workspace = await services.stores.members.ensureWorkspace({
      platform: 'terminal',
      externalId: 'T-TEST',
      name: 'Test workspace',
      defaultLocale: 'pt-BR',
      timeZone: 'America/Sao_Paulo',
    });
    const cohort = await db.cohort.create({
      data: { workspaceId: workspace.id, slug: 'ops', name: 'Ops', timeZone: 'America/Sao_Paulo' },
    });
    const row = await db.channel.create({
      data: {
        workspaceId: workspace.id,
        externalId: channel,
        name: 'ops',
        trackId: 'docker',
        cohortId: cohort.id,
        startDate: '2026-11-30',
      },
    });
    const lesson = services.curriculum.track('docker')?.lessons[0];
    if (!lesson) throw new Error('no lesson');
    await db.drop.create({
      data: {
        channelId: row.id,
        localDate: '2026-11-30',
        trackId: 'docker',
        lessonId: lesson.id,
        status: 'posted',
        claimedBy: 'test',
        postedAt: new Date('2026-11-30T12:00:00Z'),
        closesAt: new Date('2026-12-01T12:00:00Z'),
        questions: {
          create: lesson.questions.map((q, position) => ({ trackId: 'docker', questionId: q.id, position })),
        },
      },
    });
  });
  afterEach(() => engine.close());

  /** Ana answers the channel quiz (first question wrong, the rest right) and studies lesson 2's first question wrong. */
  async function answerSome() {
    const { db, services } = engine.app;
    const pqs = await db.postedQuestion.findMany({ orderBy: { position: 'asc' } });
    for (const [i, pq] of pqs.entries()) {
      const choice = i === 0 ? wrong(pq.questionId) : question(pq.questionId).correctIndex;
      await engine.click(ana, encodeAction({ kind: 'answer', postedQuestionId: pq.id, choice }), { channel });
    }
    const studied = services.curriculum.track('docker')?.lessons[1]?.questions[0];
    if (!studied) throw new Error('no lesson 2');
    await engine.click(
      ana,
      encodeAction({ kind: 'study', trackId: 'docker', questionId: studied.id, choice: wrong(studied.id) }),
      { channel },
    );
    return { missed: [pqs[0]?.questionId as string, studied.id] };
  }

  it('GIVEN a member with history THEN the JSON export parses and holds everything stored about them', async () => {
    await answerSome();
    // A review ten days later, a vacation hold ahead and a pending link code.
    engine.clock.advance(10 * 24 * 3600_000);
    const review = buttonsOf(await engine.say(ana, 'revisar', { channel }));
    expect(review.length).toBeGreaterThan(0);
    await engine.click(ana, review[0]?.actionId ?? '', { channel });
    const { db } = engine.app;
    const member = await db.member.findFirstOrThrow({ where: { displayName: 'Ana' } });
    await db.hold.create({ data: { memberId: member.id, startDate: '2026-12-24', endDate: '2027-01-02' } });
    await engine.say(ana, 'vincular', { channel });

    const replies = await engine.say(ana, 'meus-dados exportar', { channel });
    expect(textOf(replies)).toContain('Tudo o que o Trilha guarda sobre você, em JSON');
    const [file] = filesOf(replies);
    expect(file).toMatchObject({ filename: 'trilha-meus-dados-2026-12-10.json', mimeType: 'application/json' });
    const data = JSON.parse(Buffer.from(file?.data ?? new Uint8Array()).toString('utf8'));

    expect(data.version).toBe(1);
    expect(data.exportedAt).toBe(engine.clock.now.toISOString());
    expect(data.member).toMatchObject({ id: member.id, displayName: 'Ana', boardVisibility: 'shown' });
    expect(data.identities).toEqual([
      expect.objectContaining({ platform: 'terminal', workspace: 'Test workspace', userId: 'U-ANA', linkedAt: null }),
    ]);
    const attempts = await db.attempt.findMany({ where: { memberId: member.id }, orderBy: { answeredAt: 'asc' } });
    expect(data.attempts).toHaveLength(attempts.length);
    expect(data.attempts.map((a: { questionId: string; context: string }) => [a.questionId, a.context])).toEqual(
      attempts.map((a) => [a.questionId, a.context]),
    );
    expect(data.attempts[0]).toMatchObject({ channel: 'ops', scored: true, localDate: '2026-11-30' });
    expect(data.attempts.some((a: { context: string }) => a.context === 'review')).toBe(true);
    const stats = await db.memberStats.findFirstOrThrow({ where: { memberId: member.id } });
    expect(data.stats).toMatchObject({ xp: stats.xp, answered: stats.answered, reviews: stats.reviews });
    expect(data.reviewCards).toHaveLength(await db.reviewCard.count({ where: { memberId: member.id } }));
    expect(data.lessonProgress).toHaveLength(2);
    expect(data.cohorts).toEqual([expect.objectContaining({ slug: 'ops', workspace: 'Test workspace' })]);
    expect(data.weeklyScores.map((w: { cohort: string; week: string }) => [w.cohort, w.week])).toEqual([
      ['ops', '2026-W49'],
      ['ops', '2026-W50'],
    ]);
    expect(data.holds).toEqual([expect.objectContaining({ startDate: '2026-12-24', endDate: '2027-01-02' })]);
    expect(data.linkCodes).toHaveLength(1);
    expect(Object.keys(data.linkCodes[0])).toEqual(['createdAt', 'expiresAt']);
  });

  it('GIVEN misses THEN the Anki CSV has one front/back note per missed question, in the member’s language', async () => {
    expect(textOf(await engine.say(ana, 'meus-dados anki', { channel }))).toContain('Você ainda não errou nenhuma');
    const { missed } = await answerSome();

    const replies = await engine.say(ana, 'meus-dados anki', { channel });
    expect(textOf(replies)).toContain('2 perguntas que você errou, prontas para o Anki');
    const [file] = filesOf(replies);
    expect(file).toMatchObject({ filename: 'trilha-anki-erros-2026-11-30.csv', mimeType: 'text/csv' });
    const { headers, rows } = readAnki(Buffer.from(file?.data ?? new Uint8Array()).toString('utf8'));
    expect(headers).toEqual(['#separator:Comma', '#html:true', '#tags:trilha', '#columns:Frente,Verso']);
    expect(rows).toHaveLength(2);
    for (const [index, id] of missed.entries()) {
      const q = question(id);
      const [front, back] = rows[index] ?? [];
      expect(rows[index]).toHaveLength(2);
      expect(front).toContain('A) ');
      expect(front).toContain('<br><br>');
      expect(front?.split('<br>').filter((line) => /^[A-D]\) /.test(line))).toHaveLength(q.options.length);
      expect(back).toContain(`Resposta: ${String.fromCharCode(65 + q.correctIndex)}) `);
    }

    // In English once the member chooses it.
    await engine.say(ana, 'idioma en', { channel });
    const english = filesOf(await engine.say(ana, 'my-data anki', { channel }))[0];
    expect(english?.filename).toBe('trilha-anki-misses-2026-11-30.csv');
    const read = readAnki(Buffer.from(english?.data ?? new Uint8Array()).toString('utf8'));
    expect(read.headers).toContain('#columns:Front,Back');
    const first = question(missed[0] as string);
    // The content's Markdown subset as Anki's HTML: code spans and bold (this prompt has `**not**`).
    const prompt = first.prompt.en
      .replaceAll('"', '&quot;')
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>');
    expect(read.rows[0]?.[0]).toBe(
      `${prompt}<br><br>${first.options.map((option, i) => `${String.fromCharCode(65 + i)}) ${option.text.en}`).join('<br>')}`,
    );
    expect(read.rows[0]?.[1]).toContain(`Answer: ${String.fromCharCode(65 + first.correctIndex)}) `);
  });

  it('GIVEN a deletion THEN holds and link codes go with the member and the cohort’s seasons stay', async () => {
    await answerSome();
    const { db } = engine.app;
    const member = await db.member.findFirstOrThrow({ where: { displayName: 'Ana' } });
    await db.hold.create({ data: { memberId: member.id, startDate: '2026-12-24', endDate: '2027-01-02' } });
    await engine.say(ana, 'vincular', { channel });
    const cohort = await db.cohort.findFirstOrThrow({ where: { slug: 'ops' } });
    await db.season.create({ data: { cohortId: cohort.id, week: '2026-W48', claimedBy: 'test', status: 'posted' } });

    const confirm = buttonsOf(await engine.say(ana, 'meus-dados apagar', { channel }));
    expect(textOf(await engine.click(ana, confirm[0]?.actionId ?? '', { channel }))).toContain('apagamos tudo');
    expect(await db.member.count({ where: { id: member.id } })).toBe(0);
    expect(await db.hold.count()).toBe(0);
    expect(await db.linkCode.count()).toBe(0);
    expect(await db.season.count({ where: { cohortId: cohort.id } })).toBe(1);
  });
});

describe.each(availableKinds)('exports through the terminal (%s)', (kind) => {
  let engine: TestEngine;
  let terminal: TerminalDriver;
  let filesDir: string;

  beforeAll(async () => {
    // Monday 30 Nov 2026, 08:00 in São Paulo.
    engine = await createTestEngine(kind, { now: new Date('2026-11-30T11:00:00Z') });
    filesDir = mkdtempSync(join(tmpdir(), 'trilha-exports-'));
    terminal = driveTerminal(engine, { filesDir });
    await terminal.ready;
  });
  afterAll(async () => {
    await engine.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('GIVEN a member who missed a question THEN both files are written and read back', async () => {
    const drop = await terminal.send('/tick 1h');
    const lesson = engine.app.services.curriculum.tracks[0]?.lessons[0];
    const q1 = lesson?.questions[0];
    if (!lesson || !q1) throw new Error('no lesson');
    const wrongLetter = String.fromCharCode(65 + ((q1.correctIndex + 1) % q1.options.length));
    const button = questionButtons(drop)[0]?.find((candidate) => candidate.letter === wrongLetter);
    expect(await terminal.send(String(button?.number))).toContain('❌');

    const json = await terminal.send('meus-dados exportar');
    expect(json).toMatch(/📎 Seus dados no Trilha \(JSON\) \(\d+(\.\d)? (B|KB)\) salvo em /);
    const anki = await terminal.send('meus-dados anki');
    expect(anki).toContain('1 pergunta que você errou');
    // A member's own files are written in their folder (removed with their data: test/hostile/app-deletion.test.ts).
    const folder = join(filesDir, memberFilesFolder('local-owner'));
    const files = readdirSync(folder).sort();
    expect(files).toEqual(['trilha-anki-erros-2026-11-30.csv', 'trilha-meus-dados-2026-11-30.json']);
    const data = JSON.parse(readFileSync(join(folder, files[1] as string), 'utf8'));
    expect(data).toMatchObject({ version: 1, member: { displayName: 'Alex' } });
    expect(data.attempts).toEqual([expect.objectContaining({ questionId: q1.id, correct: false, channel: 'geral' })]);
    const { rows } = readAnki(readFileSync(join(folder, files[0] as string), 'utf8'));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[1]).toContain(`Resposta: ${String.fromCharCode(65 + q1.correctIndex)}) `);
    expect(await terminal.send('/quit')).toContain('Até a próxima!');
  });
});
