/**
 * Weekly seasons and fair leaderboards on both databases: the database ranks by the same fair score as
 * src/core/ranking.ts; answers through the engine over two weeks of a cohort in America/New_York across the
 * spring-forward change (Sunday 2026-03-08) give two recaps, each posted once by two schedulers ticking together, the
 * weekly board starts fresh and past seasons stay queryable; anonymous and hidden members; a failed or abandoned recap
 * is retried once; and the recap end to end through the terminal in Europe/Lisbon across 2026-03-29.
 */
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commandText } from '../../src/adapters/discord/commands.ts';
import { commands } from '../../src/commands/index.ts';
import { encodeAction } from '../../src/core/action-id.ts';
import { type Message, type Notifier, type PostRef, type PostTarget, plainText } from '../../src/core/message.ts';
import type { ChannelRecord, WorkspaceRecord } from '../../src/core/ports/members.port.ts';
import { rankingScore } from '../../src/core/ranking.ts';
import { anonymousAnimal } from '../../src/core/seasons.ts';
import type { DatabaseKind } from '../../src/db/schema-files.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler } from '../../src/scheduler/drop-scheduler.ts';
import { SeasonRecapJob } from '../../src/scheduler/season-recaps.ts';
import { availableKinds } from '../support/databases.ts';
import { buttonsOf, createTestEngine, type TestEngine, type TestUser, textOf } from '../support/engine.ts';
import { driveTerminal, firstAnswerButton, type TerminalDriver } from '../support/terminal-driver.ts';

const NY = 'America/New_York';
const ana: TestUser = { id: 'U-ANA', name: 'Ana' };
const bia: TestUser = { id: 'U-BIA', name: 'Bia' };
const caio: TestUser = { id: 'U-CAIO', name: 'Caio' };

/** The instant a wall clock in `zone` reads `time` on `date`. */
function at(date: string, time: string, zone: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone }).toJSDate();
}

interface Post {
  readonly target: PostTarget;
  readonly message: Message;
}

/** A platform that records every post; it can fail the first `failures` season recaps. */
class RecordingNotifier implements Notifier {
  readonly posts: Post[] = [];
  constructor(private failures = 0) {}

  async post(target: PostTarget, message: Message): Promise<PostRef> {
    if (target.key?.startsWith('season:') && this.failures > 0) {
      this.failures--;
      throw new Error('platform down');
    }
    this.posts.push({ target, message });
    const id = `m${this.posts.length}-${Math.random().toString(36).slice(2, 8)}`;
    return { postRef: id, threadRef: target.threadOf ?? id };
  }

  async direct(): Promise<PostRef> {
    return { postRef: 'dm', threadRef: 'dm' };
  }

  recaps(): Post[] {
    return this.posts.filter((post) => post.target.key?.startsWith('season:'));
  }
}

describe('Discord options of the season commands', () => {
  const command = (id: string) => commands.find((c) => c.id === id);
  const parsed = (id: string, options: { name: string; value: string }[]) => {
    const definition = command(id);
    if (!definition) throw new Error(`no command ${id}`);
    const [, ...words] = commandText(definition, options).split(' ');
    return definition.args.safeParse(definition.parse(words, words.join(' ')));
  };

  it('GIVEN a past season or a visibility chosen in Discord THEN the text the command reads parses to it', () => {
    expect(parsed('leaderboard', [{ name: 'season', value: '2026-W47' }])).toMatchObject({
      success: true,
      data: { period: 'week', week: '2026-W47', last: false },
    });
    expect(
      parsed('leaderboard', [
        { name: 'season', value: 'last' },
        { name: 'cohort', value: 'ops' },
      ]),
    ).toMatchObject({
      success: true,
      data: { last: true, cohort: 'ops' },
    });
    expect(
      parsed('leaderboard', [
        { name: 'period', value: 'all' },
        { name: 'season', value: 'last' },
      ]).success,
    ).toBe(false);
    for (const value of ['show', 'anonymous', 'hidden']) {
      const result = parsed('visibility', [{ name: 'visibility', value }]);
      expect(result).toMatchObject({ success: true, data: { visibility: value === 'show' ? 'shown' : value } });
    }
  });
});

describe.each(availableKinds)('seasons and fair leaderboards (%s)', (kind: DatabaseKind) => {
  let engine: TestEngine;
  let workspace: WorkspaceRecord;
  let channel: ChannelRecord;

  async function setUp(now: Date, timeZone = NY) {
    engine = await createTestEngine(kind, { now, timeZone });
    const { members, drops } = engine.app.services.stores;
    workspace = await members.ensureWorkspace({
      platform: 'terminal',
      externalId: 'T-TEST',
      name: 'Test workspace',
      defaultLocale: 'pt-BR',
      timeZone,
    });
    channel = await drops.ensureChannel({
      workspaceId: workspace.id,
      externalId: 'C-GENERAL',
      name: 'geral',
      trackId: 'docker',
      locale: 'pt-BR',
      timeZone,
      startDate: DateTime.fromJSDate(now, { zone: timeZone }).toISODate() as string,
    });
  }

  /** A scheduler of its own process (`owner`) posting through `notifier`, with a recap job of its own. */
  const scheduler = (notifier: Notifier, owner: string) =>
    new DropScheduler({
      services: engine.app.services,
      notifier,
      logger: silentLogger(),
      owner,
      platform: 'terminal',
      jobs: [new SeasonRecapJob()],
    });

  /** Answers the questions of the channel's drop of `date`: true right, false wrong, undefined skipped. */
  async function answerDrop(user: TestUser, date: string, pattern: readonly (boolean | undefined)[]) {
    const drop = await engine.app.db.drop.findFirstOrThrow({
      where: { channelId: channel.id, localDate: date },
      include: { questions: { orderBy: { position: 'asc' } } },
    });
    for (const [i, posted] of drop.questions.entries()) {
      const right = pattern[i];
      if (right === undefined) continue;
      const question = engine.app.services.curriculum.question(posted.trackId, posted.questionId);
      if (!question) throw new Error(`unknown question ${posted.questionId}`);
      const choice = right ? question.correctIndex : (question.correctIndex + 1) % question.options.length;
      const reply = textOf(
        await engine.click(user, encodeAction({ kind: 'answer', postedQuestionId: posted.id, choice })),
      );
      expect(reply).toMatch(right ? /✅/ : /❌/);
    }
  }

  const board = (user: TestUser, words: string) => engine.say(user, words).then(textOf);

  afterEach(() => engine?.close());

  it('GIVEN random weekly counts THEN the database ranks exactly as rankingScore does, with each member’s own rank', async () => {
    await setUp(at('2026-11-30', '12:00', NY));
    const week = '2026-W49';
    const cohortId = channel.cohortId as string;
    let seed = 7;
    const random = (max: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % (max + 1);
    };
    const rows = [];
    for (let i = 0; i < 40; i++) {
      const member = await engine.app.services.stores.members.ensureMember(workspace, `U-${i}`, `Pessoa ${i}`);
      await engine.app.db.cohortMember.create({ data: { cohortId, memberId: member.id } });
      const firstTries = random(12);
      const reviews = random(6);
      const row = {
        cohortId,
        week,
        memberId: member.id,
        xp: random(3) * 10, // few distinct values: ties on points are broken by XP, then by id
        answered: firstTries + reviews + random(2),
        correct: 0,
        firstTries,
        firstTryCorrect: random(firstTries),
        reviews,
        reviewsKept: random(reviews),
        activeDays: random(5),
      };
      if (i % 5 === 0)
        Object.assign(row, { firstTries: 4, firstTryCorrect: 3, reviews: 0, reviewsKept: 0, answered: 4 });
      await engine.app.db.weeklyScore.create({ data: row });
      rows.push(row);
    }
    const { social } = engine.app.services.stores;
    const query = { workspaceId: workspace.id, cohortId, period: 'week' as const, week, limit: 100 };
    const result = await social.leaderboard({ ...query, memberId: rows[0]?.memberId as string });
    // No drop in the week: the most active member's answers and days are the yardsticks.
    expect(result.period).toEqual({
      questions: Math.max(...rows.map((r) => r.answered - r.reviews)),
      days: Math.max(...rows.map((r) => r.activeDays)),
    });
    const expected = [...rows]
      .map((r) => ({ ...r, score: rankingScore(r, result.period).score }))
      .sort((a, b) => b.score - a.score || b.xp - a.xp || (a.memberId < b.memberId ? -1 : 1));
    expect(result.top.map((entry) => entry.memberId)).toEqual(expected.map((r) => r.memberId));
    expect(result.top.map((entry) => entry.points)).toEqual(expected.map((r) => rankingScore(r, result.period).points));
    expect(result.total).toBe(40);
    const mean = expected.reduce((sum, r) => sum + r.score, 0) / expected.length;
    expect(result.average?.points).toBe(Math.round(mean));
    for (const index of [0, 7, 23, 39]) {
      const mine = await social.leaderboard({ ...query, memberId: expected[index]?.memberId as string, limit: 3 });
      expect(mine.me?.rank).toBe(index + 1);
      expect(mine.top).toHaveLength(3);
    }
  });

  it('GIVEN two weeks of answers in New York across the DST change THEN two recaps, each once, a fresh board and queryable past seasons', async () => {
    await setUp(at('2026-03-02', '08:00', NY));
    const first = new RecordingNotifier();
    const second = new RecordingNotifier();
    const one = scheduler(first, 'process-1');
    const two = scheduler(second, 'process-2');
    const tickBoth = async (instant: Date) => {
      engine.clock.now = instant;
      await Promise.all([one.tick(instant), two.tick(instant)]);
    };
    const recaps = () => [...first.recaps(), ...second.recaps()];

    // Week 2026-W10 (Monday 2 to Sunday 8 March). Monday's drop: Ana all right, Bia only the third, Caio 1 of 2.
    await tickBoth(at('2026-03-02', '09:05', NY));
    await answerDrop(ana, '2026-03-02', [true, true, true]);
    await answerDrop(bia, '2026-03-02', [false, false, true]);
    await answerDrop(caio, '2026-03-02', [true, false]);
    // Bia prefers to be anonymous, Caio to be left out; learning is the same for both.
    expect(await board(bia, 'visibilidade anonimo')).toContain(`Anônimo ${anonymousAnimal(await memberId(bia))}`);
    // Command words in English, replies in the member's language.
    expect(await board(caio, 'visibility hidden')).toContain('você não aparece mais nos rankings');
    expect(await board(caio, 'visibilidade')).toContain('oculto(a)');
    // Tuesday: Ana again (a second active day).
    await tickBoth(at('2026-03-03', '09:05', NY));
    await answerDrop(ana, '2026-03-03', [true, false]);
    // Sunday 23:30, after the clocks sprang forward at 02:00: still week 10 in the cohort's zone.
    engine.clock.now = at('2026-03-08', '23:30', NY);
    const study = await engine.say(caio, 'quiz');
    const [option] = buttonsOf(study);
    await engine.click(caio, option?.actionId as string);
    const caioId = await memberId(caio);
    const caioWeek = await engine.app.db.weeklyScore.findMany({ where: { memberId: caioId } });
    expect(caioWeek.map((row) => row.week)).toEqual(['2026-W10']);
    expect(caioWeek[0]).toMatchObject({ firstTries: 3, activeDays: 2 });
    const anaWeek = await engine.app.db.weeklyScore.findFirstOrThrow({ where: { memberId: await memberId(ana) } });
    expect(anaWeek).toMatchObject({ firstTries: 5, firstTryCorrect: 4, activeDays: 2, reviews: 0 });

    // Ten minutes before the week ends (03:50 UTC, 23:50 EDT): no recap yet.
    await tickBoth(at('2026-03-08', '23:50', NY));
    expect(recaps()).toHaveLength(0);
    // 00:10 EDT on Monday is 04:10 UTC, still Sunday in EST: only the zone's rules say the week has ended.
    await tickBoth(new Date('2026-03-09T04:10:00Z'));
    await tickBoth(new Date('2026-03-09T04:11:00Z'));
    expect(recaps()).toHaveLength(1);
    const recap = recaps()[0] as Post;
    expect(recap.target).toMatchObject({ channelRef: 'C-GENERAL', key: `season:${channel.cohortId}:2026-W10` });
    const recapText = plainText(recap.message);
    expect(recapText).toContain('🏁 Fim da temporada 2026-W10 · geral');
    expect(recapText).toMatch(/🥇 Ana · \d+ pts/);
    expect(recapText).toContain(`🥈 Anônimo ${anonymousAnimal(await memberId(bia))}`);
    expect(recapText).not.toMatch(/Bia|Caio/);
    expect(recapText).toMatch(/Média da turma:\* \d+% de acerto de primeira · \d+ pts · 2 pessoas no ranking/);
    const secondQuestion = engine.app.services.curriculum.tracks[0]?.lessons[0]?.questions[1];
    const firstLesson = engine.app.services.curriculum.tracks[0]?.lessons[0];
    expect(recapText).toContain(
      `Pergunta mais difícil* (${firstLesson?.title['pt-BR']}): “${secondQuestion?.prompt['pt-BR'].slice(0, 40)}`,
    );
    expect(recapText).toContain('1 de 3 acertaram de primeira (33%)');
    expect(recapText).not.toContain('Quem mais evoluiu'); // a first season has nothing to improve on
    expect(recap.message.files?.[0]).toMatchObject({ filename: 'season-geral-2026-W10.png', mimeType: 'image/png' });
    const season = await engine.app.services.stores.seasons.findSeason(channel.cohortId as string, '2026-W10');
    expect(season).toMatchObject({ status: 'posted', channelId: channel.id, tries: 0 });
    expect(season?.messageRef).toBeTruthy();

    // The new week's board starts from zero; last week's is a past season.
    engine.clock.now = at('2026-03-09', '00:20', NY);
    expect(await board(ana, 'ranking')).toContain('Ninguém pontuou nesta semana ainda');
    for (const words of ['ranking semana passada', 'ranking 2026-W10', 'leaderboard last week']) {
      const past = await board(ana, words);
      expect(past, words).toContain('Temporada 2026-W10 · geral');
      expect(past, words).toContain('temporada encerrada');
      expect(past, words).toMatch(/🥇 \*Ana \(você\)\* · \d+ pts/);
      expect(past, words).not.toContain('Caio');
    }
    // Caio is hidden: not ranked, told so; his learning counted all the same.
    const hidden = await board(caio, 'ranking passada');
    expect(hidden).toContain('Você está oculto(a) nos rankings');
    expect(hidden).toContain('2 pessoas no ranking');
    expect((await engine.app.db.memberStats.findUniqueOrThrow({ where: { memberId: caioId } })).xp).toBeGreaterThan(0);
    expect(await board(ana, 'ranking 2026-W30')).toContain('A semana 2026-W30 ainda não');
    expect(await board(ana, 'ranking 2025-W53')).toContain('“2025-W53” não é uma semana que exista');

    // Week 2026-W11: Bia gets everything right, Ana everything wrong.
    await tickBoth(at('2026-03-09', '09:05', NY));
    await answerDrop(bia, '2026-03-09', [true, true, true]);
    await answerDrop(ana, '2026-03-09', [false, false, false]);
    const weekBoard = await board(ana, 'ranking');
    expect(weekBoard).toMatch(/🥇 Anônimo \S+ · \d+ pts[\s\S]*média da turma[\s\S]*🥈 \*Ana \(você\)\*/);
    await tickBoth(at('2026-03-16', '00:05', NY));
    expect(recaps()).toHaveLength(2);
    // Either scheduler may have won either week: the recap is found by its key, not by which notifier posted it.
    const eleven = plainText(
      (recaps().find((post) => post.target.key === `season:${channel.cohortId}:2026-W11`) as Post).message,
    );
    expect(eleven).toContain('Fim da temporada 2026-W11');
    expect(eleven).toMatch(
      new RegExp(`Quem mais evoluiu:\\* Anônimo ${anonymousAnimal(await memberId(bia))} \\(\\d+ → \\d+ pts\\)`),
    );
    // Past seasons stay as they were.
    expect(await board(ana, 'ranking 2026-W10')).toMatch(/🥇 \*Ana \(você\)\*/);
    expect(await engine.app.db.season.count({ where: { status: 'posted' } })).toBe(2);
  });

  it('GIVEN a recap whose post fails, or a claim left by a dead process THEN it is retried and posted once', async () => {
    await setUp(at('2026-03-02', '08:00', NY));
    const failing = new RecordingNotifier(1);
    const one = scheduler(failing, 'process-1');
    engine.clock.now = at('2026-03-02', '09:05', NY);
    await one.tick(engine.clock.now);
    await answerDrop(ana, '2026-03-02', [true]);
    const afterWeek = at('2026-03-09', '00:05', NY);
    await one.tick(afterWeek);
    const cohortId = channel.cohortId as string;
    const failed = await engine.app.services.stores.seasons.findSeason(cohortId, '2026-W10');
    expect(failed).toMatchObject({ status: 'claimed', tries: 1, lastError: 'platform down', claimedBy: '' });
    await one.tick(new Date(afterWeek.getTime() + 30_000));
    expect(failing.recaps()).toHaveLength(1);
    expect(failing.recaps()[0]?.target.retry).toBe(true);

    // Week 11's recap claimed by a process that died: another takes it over once the claim is stale.
    await one.tick(at('2026-03-09', '09:05', NY));
    engine.clock.now = at('2026-03-09', '09:10', NY);
    await answerDrop(ana, '2026-03-09', [true]);
    const end = at('2026-03-16', '00:01', NY);
    await engine.app.db.season.create({
      data: { cohortId, week: '2026-W11', claimedBy: 'dead-process', claimedAt: end },
    });
    const other = new RecordingNotifier();
    const two = scheduler(other, 'process-2');
    await two.tick(new Date(end.getTime() + 60_000));
    expect(other.recaps()).toHaveLength(0);
    await two.tick(new Date(end.getTime() + 5 * 60_000));
    expect(other.recaps()).toHaveLength(1);
    expect(other.recaps()[0]?.target).toMatchObject({ key: `season:${cohortId}:2026-W11`, retry: true });
    expect(await engine.app.services.stores.seasons.findSeason(cohortId, '2026-W11')).toMatchObject({
      status: 'posted',
    });
  });

  it('GIVEN a week without answers, or a cohort without a channel on the platform THEN no recap', async () => {
    await setUp(at('2026-03-02', '08:00', NY));
    const notifier = new RecordingNotifier();
    const one = scheduler(notifier, 'process-1');
    await one.tick(at('2026-03-02', '09:05', NY));
    await one.tick(at('2026-03-09', '00:30', NY));
    expect(notifier.recaps()).toHaveLength(0);
    expect(await engine.app.db.season.count()).toBe(0);
    // A Slack scheduler never posts the terminal cohort's recap.
    engine.clock.now = at('2026-03-09', '09:10', NY);
    await one.tick(engine.clock.now);
    await answerDrop(ana, '2026-03-09', [true]);
    const slack = new DropScheduler({
      services: engine.app.services,
      notifier,
      logger: silentLogger(),
      owner: 'slack-process',
      platform: 'slack',
      jobs: [new SeasonRecapJob()],
    });
    await slack.tick(at('2026-03-16', '00:30', NY));
    expect(notifier.recaps()).toHaveLength(0);
  });

  async function memberId(user: TestUser): Promise<string> {
    const identity = await engine.app.db.identity.findFirstOrThrow({ where: { externalId: user.id } });
    return identity.memberId;
  }
});

describe.each(availableKinds)('the season recap through the terminal (%s)', (kind: DatabaseKind) => {
  let engine: TestEngine;
  let terminal: TerminalDriver;

  beforeAll(async () => {
    // Monday 23 March 2026, 08:00 in Lisbon (WET, UTC+0): the clocks go forward on Sunday the 29th.
    engine = await createTestEngine(kind, {
      now: new Date('2026-03-23T08:00:00Z'),
      timeZone: 'Europe/Lisbon',
      locale: 'pt-BR',
    });
    terminal = driveTerminal(engine);
    await terminal.ready;
  });
  afterAll(() => engine.close());

  it('GIVEN answers in #geral and a /tick over the week’s end THEN the recap shows in #geral once, then the board is fresh', async () => {
    const monday = await terminal.send('/tick 1h');
    await terminal.send(firstAnswerButton(monday));
    await terminal.send('/as Bia');
    await terminal.send(firstAnswerButton(monday));
    expect(await terminal.send('visibilidade anonimo')).toContain('Anônimo');
    // To Monday the 30th, 08:00 WEST: every hour ticks, Monday 00:00 WEST is the end of week 13.
    const week = await terminal.send('/tick 1w');
    const recap = week.slice(week.indexOf('🏁'));
    expect(week).toMatch(
      /── #geral · seg\., 30\/03\/2026, 00:00 \(Europe\/Lisbon\) ──\n🏁 Fim da temporada 2026-W13 · geral/,
    );
    expect(recap).toMatch(/🥇 (Alex|Anônimo \S+) · \d+ pts/);
    expect(recap).not.toContain('Bia');
    expect(recap).toContain('Média da turma');
    // The chart, written by the terminal to its files folder (a name used before gets a counter).
    expect(recap).toMatch(/season-geral-2026-W13(-\d+)?\.png/);
    expect(week.match(/Fim da temporada/g)).toHaveLength(1);
    expect(await terminal.send('ranking')).toContain('Ninguém pontuou nesta semana ainda');
    expect(await terminal.send('ranking passada')).toContain('Temporada 2026-W13 · geral');
    expect((await terminal.send('/tick 2h')).includes('Fim da temporada')).toBe(false);
  });
});
