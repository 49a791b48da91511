/**
 * One member across Slack and Discord, on both databases: a Slack workspace and a Discord server on one database,
 * each with a channel of the Docker track and its cohort, and Ana acting from both. The link flow with the clock
 * moved (a code dies after 10 minutes), a wrong code, a code used on the same side, a used code, two racing uses;
 * the merge of two histories (each question counted once, totals and weekly scores recomputed, not summed); after
 * linking, answers from either platform count once per question, and streak, reviews and lessons are shared;
 * unlinking leaves everything with the linked member.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/action-id.ts';
import type { Lesson } from '../../src/core/curriculum.ts';
import { availableKinds } from '../support/databases.ts';
import { buttonsOf, createTestEngine, type TestEngine, type TestUser, textOf, type Where } from '../support/engine.ts';
import { createSide } from '../support/platform-side.ts';
import { createPostedDrop } from '../support/posted-drop.ts';

const slack: Where = { platform: 'slack', workspace: 'T-SLACK', channel: 'C-OPS' };
const discord: Where = { platform: 'discord', workspace: 'G-DISCORD', channel: 'D-OPS' };
const other: Where = { platform: 'discord', workspace: 'G-OTHER', channel: null };
const anaSlack: TestUser = { id: 'U-ANA', name: 'Ana' };
const anaDiscord: TestUser = { id: '1001', name: 'ana.discord' };
const anaOther: TestUser = { id: '2002', name: 'ana.other' };
const bia: TestUser = { id: 'U-BIA', name: 'Bia' };
const codePattern = /\*([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\*/;

describe.each(availableKinds)('one member across Slack and Discord (%s)', (kind) => {
  let engine: TestEngine;
  let lessons: readonly Lesson[];
  /** Posted question ids by side and question id. */
  const posted = new Map<string, string>();

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
  const memberOf = async (where: Where, user: TestUser) => {
    const identity = await engine.app.db.identity.findFirst({
      where: { externalId: user.id, workspace: { externalId: where.workspace as string } },
    });
    if (!identity) throw new Error(`no identity ${user.id}`);
    return identity.memberId;
  };
  const statsOf = (memberId: string) => engine.app.db.memberStats.findFirst({ where: { memberId } });

  /** A posted drop of lesson `index` in the side's channel, open for a day. */
  async function drop(where: Where, localDate: string, index: number, postedAt: string) {
    const ids = await createPostedDrop(engine.app, {
      channelExternalId: where.channel as string,
      localDate,
      trackId: 'docker',
      lesson: lesson(index),
      postedAt,
    });
    for (const [questionId, id] of ids) posted.set(`${where.channel}/${questionId}`, id);
  }

  const quiz = async (where: Where, user: TestUser, questionId: string, right: boolean) => {
    const postedQuestionId = posted.get(`${where.channel}/${questionId}`);
    if (!postedQuestionId) throw new Error(`not posted: ${questionId}`);
    return textOf(
      await engine.click(
        user,
        encodeAction({ kind: 'answer', postedQuestionId, choice: choiceFor(questionId, right) }),
        where,
      ),
    );
  };
  const study = async (where: Where, user: TestUser, questionId: string, right: boolean) =>
    textOf(
      await engine.click(
        user,
        encodeAction({ kind: 'study', trackId: 'docker', questionId, choice: choiceFor(questionId, right) }),
        where,
      ),
    );
  const codeFrom = (text: string) => {
    const match = codePattern.exec(text);
    if (!match?.[1]) throw new Error(`no code in: ${text}`);
    return match[1];
  };

  beforeEach(async () => {
    // Monday 30 Nov 2026, 12:00 in São Paulo.
    engine = await createTestEngine(kind, { now: new Date('2026-11-30T15:00:00Z') });
    lessons = engine.app.services.curriculum.track('docker')?.lessons ?? [];
    posted.clear();
    await createSide(engine.app, slack, 'ops');
    await createSide(engine.app, discord, 'ops-discord');
    await drop(slack, '2026-11-30', 0, '2026-11-30T12:00:00Z');
    await drop(discord, '2026-11-30', 0, '2026-11-30T12:00:00Z');
  });
  afterEach(() => engine.close());

  it('GIVEN a code THEN wrong, same-side, expired and used codes are refused clearly, and a fresh one links', async () => {
    const [q1] = lesson(0).questions;
    if (!q1) throw new Error('lesson without questions');
    await quiz(slack, anaSlack, q1.id, true);

    const issued = textOf(await engine.say(anaSlack, 'vincular', slack));
    expect(issued).toContain('válido por 10 minutos');
    expect(issued).toContain('Suas contas: Slack (T-SLACK, esta).');
    const first = codeFrom(issued);

    // A mistyped code (or one that was never made), with no look-up for an impossible one.
    expect(textOf(await engine.say(anaDiscord, 'vincular ZZZZ-ZZZZ', discord))).toContain('Código não reconhecido');
    expect(textOf(await engine.say(anaDiscord, 'vincular 0000', discord))).toContain('Código não reconhecido');
    // Ana on the side the code came from, and Bia in the same Slack workspace.
    expect(textOf(await engine.say(anaSlack, `vincular ${first}`, slack))).toContain('já é a mesma pessoa');
    expect(textOf(await engine.say(bia, `vincular ${first.toLowerCase()}`, slack))).toContain(
      'Use este código na sua outra plataforma',
    );

    // Ten minutes later the code is dead: said once, then gone.
    engine.clock.advance(10 * 60_000);
    expect(textOf(await engine.say(anaDiscord, `vincular ${first}`, discord))).toContain('Este código expirou');
    expect(textOf(await engine.say(anaDiscord, `vincular ${first}`, discord))).toContain('Código não reconhecido');

    // A new code replaces the old one; used on Discord within its time it links.
    const second = codeFrom(textOf(await engine.say(anaSlack, 'link', slack)));
    const third = codeFrom(textOf(await engine.say(anaSlack, 'link', slack)));
    expect(await engine.app.db.linkCode.count()).toBe(1);
    expect(textOf(await engine.say(anaDiscord, `vincular ${second}`, discord))).toContain('Código não reconhecido');
    engine.clock.advance(9 * 60_000);
    const linked = textOf(await engine.say(anaDiscord, `vincular ${third}`, discord));
    expect(linked).toContain('Pronto, contas ligadas: Slack (T-SLACK), Discord (G-DISCORD, esta).');
    expect(await memberOf(discord, anaDiscord)).toBe(await memberOf(slack, anaSlack));
    // Used once: a second use finds nothing.
    expect(textOf(await engine.say(anaDiscord, `vincular ${third}`, discord))).toContain('Código não reconhecido');
    expect(await engine.app.db.linkCode.count()).toBe(0);
    // The code itself is never stored, only its hash.
    const stored = await engine.app.db.linkCode.findMany();
    expect(stored.every((row) => row.code.length === 64)).toBe(true);

    // `link` now lists both accounts, by platform and workspace name only.
    const listed = textOf(await engine.say(anaDiscord, 'link', discord));
    expect(listed).toContain('Suas contas: Slack (T-SLACK), Discord (G-DISCORD, esta).');
    expect(listed).not.toContain(anaSlack.id);
    expect(listed).toContain('/trilha desvincular');
  });

  it('GIVEN two histories THEN the merge counts each question once and recomputes totals and weekly scores', async () => {
    const [q1, q2] = lesson(0).questions;
    const [s1] = lesson(1).questions;
    if (!q1 || !q2 || !s1) throw new Error('lessons too short');
    // Slack: both quiz questions (one wrong), and self-study of lesson 2's first question, wrong.
    at('2026-11-30T15:00:00Z');
    await quiz(slack, anaSlack, q1.id, true);
    await quiz(slack, anaSlack, q2.id, false);
    await study(slack, anaSlack, s1.id, false);
    // Discord, later: the same quiz questions in its own channel (right), and the same self-study question (right).
    at('2026-11-30T16:00:00Z');
    await quiz(discord, anaDiscord, q1.id, true);
    await quiz(discord, anaDiscord, q2.id, true);
    await study(discord, anaDiscord, s1.id, true);
    const slackMember = await memberOf(slack, anaSlack);
    const discordMember = await memberOf(discord, anaDiscord);
    const before = await statsOf(slackMember);
    expect(before?.answered).toBe(3);

    at('2026-11-30T17:00:00Z');
    const code = codeFrom(textOf(await engine.say(anaSlack, 'vincular', slack)));
    const linked = textOf(await engine.say(anaDiscord, `vincular ${code}`, discord));
    expect(linked).toContain('3 respostas dadas dos dois lados contaram uma vez só.');

    const { db } = engine.app;
    expect(await db.member.count({ where: { id: discordMember } })).toBe(0);
    const attempts = await db.attempt.findMany({ where: { memberId: slackMember }, orderBy: { answeredAt: 'asc' } });
    // Kept: the four quiz answers (Discord's unscored) and Slack's earlier self-study answer; Discord's study dropped.
    expect(attempts).toHaveLength(5);
    expect(attempts.filter((a) => a.scored).map((a) => a.dedupeKey.split(':')[0])).toEqual(['pq', 'pq', 'study']);
    expect(attempts.filter((a) => !a.scored)).toHaveLength(2);
    const expectedXp = attempts.filter((a) => a.scored).reduce((sum, a) => sum + a.xp, 0);
    const stats = await statsOf(slackMember);
    expect(stats).toMatchObject({
      xp: expectedXp,
      answered: 3,
      correct: 1,
      firstTries: 3,
      firstTryCorrect: 1,
      currentStreak: 1,
      lastActiveDate: '2026-11-30',
      lessonsSeen: 2,
    });
    expect(await db.memberStats.count({ where: { memberId: discordMember } })).toBe(0);
    // Weekly scores: one row per cohort the two had, recomputed (not the sum of both rows).
    const weekly = await db.weeklyScore.findMany({ where: { memberId: slackMember }, orderBy: { cohortId: 'asc' } });
    expect(weekly).toHaveLength(2);
    for (const row of weekly) expect(row).toMatchObject({ week: '2026-W49', xp: expectedXp, answered: 3, correct: 1 });
    expect(await db.cohortMember.count({ where: { memberId: slackMember } })).toBe(2);
    // One card per question and one row per lesson.
    expect(await db.reviewCard.count({ where: { memberId: slackMember } })).toBe(3);
    expect(await db.lessonProgress.count({ where: { memberId: slackMember } })).toBe(2);
    const identities = await db.identity.findMany({ where: { memberId: slackMember }, orderBy: { createdAt: 'asc' } });
    expect(identities.map((row) => [row.platform, row.linkedAt !== null])).toEqual([
      ['slack', false],
      ['discord', true],
    ]);
  });

  it('GIVEN linked accounts THEN an answer from either platform counts once per question and the rest is shared', async () => {
    const code = codeFrom(textOf(await engine.say(anaSlack, 'vincular', slack)));
    await engine.say(anaDiscord, `vincular ${code}`, discord);
    const member = await memberOf(slack, anaSlack);
    const [q1, q2] = lesson(0).questions;
    if (!q1 || !q2) throw new Error('lesson too short');

    // The same question in both channels' quizzes: the first scores, the second gives feedback only.
    expect(await quiz(slack, anaSlack, q1.id, true)).toContain('✅');
    const afterSlack = await statsOf(member);
    const twice = await quiz(discord, anaDiscord, q1.id, true);
    expect(twice).toContain('✅');
    expect(twice).toContain('já contou no quiz de outro canal');
    expect(await statsOf(member)).toMatchObject({ xp: afterSlack?.xp, answered: 1 });
    // A second click there is a plain duplicate.
    expect(await quiz(discord, anaDiscord, q1.id, false)).toContain('já respondeu');
    // Discord first this time: Slack's answer to the same question does not score.
    await quiz(discord, anaDiscord, q2.id, false);
    await quiz(slack, anaSlack, q2.id, true);
    const stats = await statsOf(member);
    expect(stats).toMatchObject({ answered: 2, correct: 1, currentStreak: 1 });
    // The weekly score of each cohort has each question once, and both have both: a first try counts for every
    // cohort the member belongs to in the week it happened (docs/ranking.md), so Discord's cohort, joined with q2's
    // answer, counts q1 (answered on Slack before) as well.
    const weekly = await engine.app.db.weeklyScore.findMany({
      where: { memberId: member },
      include: { cohort: { select: { slug: true } } },
      orderBy: { cohort: { slug: 'asc' } },
    });
    expect(weekly.map((row) => [row.cohort.slug, row.xp, row.answered, row.correct])).toEqual([
      ['ops', stats?.xp, 2, 1],
      ['ops-discord', stats?.xp, 2, 1],
    ]);

    // Self-study keys are the member's: a question studied on Slack is already answered on Discord.
    const [s1] = lesson(1).questions;
    if (!s1) throw new Error('lesson too short');
    await study(slack, anaSlack, s1.id, true);
    expect(await study(discord, anaDiscord, s1.id, false)).toContain('já respondeu');

    // The next day's answer on Discord extends the one streak; reviews are one queue.
    at('2026-12-01T15:00:00Z');
    await drop(discord, '2026-12-01', 2, '2026-12-01T12:00:00Z');
    const [t1] = lesson(2).questions;
    if (!t1) throw new Error('lesson too short');
    await quiz(discord, anaDiscord, t1.id, true);
    expect(await statsOf(member)).toMatchObject({ currentStreak: 2, answered: 4 });
    at('2026-12-20T15:00:00Z');
    const reviewIds = buttonsOf(await engine.say(anaDiscord, 'revisar', discord)).map((b) => b.actionId);
    expect(reviewIds.length).toBeGreaterThan(0);
    const progress = textOf(await engine.say(anaSlack, 'progresso', slack));
    expect(progress).toContain(`*XP:* ${(await statsOf(member))?.xp}`);
  });

  it('GIVEN two accounts racing to use one code THEN exactly one links', async () => {
    const code = codeFrom(textOf(await engine.say(anaSlack, 'vincular', slack)));
    // Both accounts exist before the race.
    await engine.say(anaDiscord, 'progresso', discord);
    await engine.say(anaOther, 'progresso', other);
    const results = await Promise.all([
      engine.say(anaDiscord, `vincular ${code}`, discord),
      engine.say(anaOther, `vincular ${code}`, other),
    ]);
    const texts = results.map(textOf);
    expect(texts.filter((text) => text.includes('contas ligadas'))).toHaveLength(1);
    expect(texts.filter((text) => text.includes('Código não reconhecido'))).toHaveLength(1);
    const member = await memberOf(slack, anaSlack);
    expect(await engine.app.db.identity.count({ where: { memberId: member } })).toBe(2);
    expect(await engine.app.db.linkCode.count()).toBe(0);
  });

  it('GIVEN a linked account THEN unlinking gives it a fresh member and splits nothing already earned', async () => {
    const [q1] = lesson(0).questions;
    if (!q1) throw new Error('lesson without questions');
    await quiz(discord, anaDiscord, q1.id, true);
    expect(textOf(await engine.say(anaDiscord, 'desvincular', discord))).toContain('não está ligada a nenhuma outra');
    const code = codeFrom(textOf(await engine.say(anaSlack, 'vincular', slack)));
    await engine.say(anaDiscord, `vincular ${code}`, discord);
    const member = await memberOf(slack, anaSlack);
    const earned = await statsOf(member);
    expect(earned?.answered).toBe(1);

    const unlinked = textOf(await engine.say(anaDiscord, 'link off', discord));
    expect(unlinked).toContain('esta conta (Discord) foi desligada e começa do zero');
    expect(unlinked).toContain('ficou com Slack (T-SLACK)');
    const fresh = await memberOf(discord, anaDiscord);
    expect(fresh).not.toBe(member);
    const { db } = engine.app;
    expect(await db.attempt.count({ where: { memberId: fresh } })).toBe(0);
    expect(await db.memberStats.count({ where: { memberId: fresh } })).toBe(0);
    expect(await statsOf(member)).toMatchObject({ xp: earned?.xp, answered: 1 });
    expect(await db.attempt.count({ where: { memberId: member } })).toBe(1);
    expect(await db.identity.count({ where: { memberId: member } })).toBe(1);
    // Unlinked, the Discord account scores on its own again.
    expect(await quiz(discord, anaDiscord, q1.id, true)).not.toContain('já contou');
    expect(await statsOf(fresh)).toMatchObject({ answered: 1 });
  });
});
