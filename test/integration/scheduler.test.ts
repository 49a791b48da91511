/**
 * The drop scheduler over real databases: the engine's stores, a recording Notifier standing in for a platform, and
 * a clock the tests move by passing instants to `tick`.
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type App, openApp } from '../../src/app.ts';
import { loadTracks } from '../../src/content/load-tracks.ts';
import { decodeAction } from '../../src/core/action-id.ts';
import type { Track } from '../../src/core/curriculum.ts';
import type { Locale } from '../../src/core/locale.ts';
import { type Message, type Notifier, type PostRef, type PostTarget, plainText } from '../../src/core/message.ts';
import { isQuizClosed } from '../../src/core/ports/learning.port.ts';
import type { ChannelRecord } from '../../src/core/ports/members.port.ts';
import type { DatabaseKind } from '../../src/db/schema-files.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler, maxTries, staleClaimMs } from '../../src/scheduler/drop-scheduler.ts';
import { availableKinds, createTestDatabase } from '../support/databases.ts';
import { createTestEngine, dockerTrack, repoRoot, type TestEngine } from '../support/engine.ts';

const fixture = loadTracks(join(repoRoot, 'test', 'fixtures', 'content'));
const gitTrack = fixture.tracks.find((track) => track.id === 'git-basics') as Track;

interface Post {
  readonly target: PostTarget;
  readonly message: Message;
  readonly ref: PostRef;
}

/** A platform that records every post and gives back references; it can fail the first N posts that match. */
class RecordingNotifier implements Notifier {
  readonly posts: Post[] = [];
  calls = 0;
  constructor(
    private failuresLeft = 0,
    private readonly failIf: (target: PostTarget) => boolean = () => true,
  ) {}

  async post(target: PostTarget, message: Message): Promise<PostRef> {
    this.calls++;
    if (this.failuresLeft > 0 && this.failIf(target)) {
      this.failuresLeft--;
      throw new Error('platform down');
    }
    const id = `m${this.calls}`;
    const ref = { postRef: id, threadRef: target.threadOf ?? `thread-${id}` };
    this.posts.push({ target, message, ref });
    return ref;
  }

  readonly directs: { userRef: string; message: Message }[] = [];
  async direct(userRef: string, message: Message): Promise<PostRef> {
    this.directs.push({ userRef, message });
    return { postRef: `dm${this.directs.length}`, threadRef: `dm${this.directs.length}` };
  }

  /** Posts made in the channel itself (lessons, announcements). */
  channelPosts(channelRef?: string): Post[] {
    return this.posts.filter((post) => !post.target.threadOf && (!channelRef || post.target.channelRef === channelRef));
  }

  thread(postRef: string): Post[] {
    return this.posts.filter((post) => post.target.threadOf === postRef);
  }
}

/** The instant a wall clock in `zone` reads `time` on `date`. */
function at(date: string, time: string, zone: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone }).toJSDate();
}

const SP = 'America/Sao_Paulo';

async function makeChannel(
  app: App,
  options: {
    externalId?: string;
    trackId?: string;
    timeZone?: string;
    startDate: string;
    locale?: Locale;
    quizCloseMinutes?: number | null;
    weekdays?: number[];
  },
): Promise<ChannelRecord> {
  const { members, drops } = app.services.stores;
  const workspace = await members.ensureWorkspace({
    platform: 'terminal',
    externalId: 'T-TEST',
    name: 'Test workspace',
    defaultLocale: 'pt-BR',
    timeZone: SP,
  });
  const channel = await drops.ensureChannel({
    workspaceId: workspace.id,
    externalId: options.externalId ?? 'C-DROPS',
    name: 'aprendizado',
    trackId: options.trackId ?? gitTrack.id,
    locale: options.locale ?? 'pt-BR',
    timeZone: options.timeZone ?? SP,
    weekdays: options.weekdays,
    startDate: options.startDate,
  });
  if (options.quizCloseMinutes !== undefined) {
    return drops.updateChannel(channel.id, { quizCloseMinutes: options.quizCloseMinutes });
  }
  return channel;
}

function scheduler(app: App, notifier: Notifier, owner = 'test-process'): DropScheduler {
  return new DropScheduler({ services: app.services, notifier, logger: silentLogger(), owner });
}

const nothing = { posted: 0, closed: 0, failed: 0, announced: 0, jobPosts: 0 };

describe.each(availableKinds)('the drop scheduler (%s)', (kind: DatabaseKind) => {
  let engine: TestEngine | undefined;
  const extra: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of extra.splice(0)) await item.close();
    await engine?.close();
    engine = undefined;
  });

  async function start(tracks: readonly Track[] = [gitTrack]): Promise<App> {
    engine = await createTestEngine(kind, { tracks });
    return engine.app;
  }

  it('GIVEN a weekday channel in New York across the end of DST THEN posts one lesson per weekday at 09:00 local, in track order, none on the weekend', async () => {
    const docker = dockerTrack()[0] as Track;
    const app = await start([docker, gitTrack]);
    const zone = 'America/New_York';
    const channel = await makeChannel(app, {
      trackId: docker.id,
      timeZone: zone,
      startDate: '2026-10-29',
      locale: 'en',
    });
    const notifier = new RecordingNotifier();
    const drops = scheduler(app, notifier);
    const days = ['2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];
    const postedByDay: Record<string, number> = {};
    for (const day of days) {
      expect(await drops.tick(at(day, '08:59', zone))).toEqual(nothing);
      const due = await drops.tick(at(day, '09:00:30', zone));
      postedByDay[day] = due.posted;
      expect((await drops.tick(at(day, '15:00', zone))).posted).toBe(0);
    }
    expect(postedByDay).toEqual({
      '2026-10-29': 1,
      '2026-10-30': 1,
      '2026-10-31': 0,
      '2026-11-01': 0,
      '2026-11-02': 1,
      '2026-11-03': 1,
      '2026-11-04': 1,
    });

    const lessons = notifier.channelPosts(channel.externalId);
    expect(lessons.map((post) => post.message.headline)).toEqual(docker.lessons.slice(0, 5).map((l) => l.title.en));
    const rows = await app.db.drop.findMany({ where: { channelId: channel.id }, orderBy: { localDate: 'asc' } });
    expect(rows.map((row) => [row.localDate, row.lessonId, row.postedAt?.toISOString()])).toEqual([
      ['2026-10-29', docker.lessons[0]?.id, '2026-10-29T13:00:30.000Z'],
      ['2026-10-30', docker.lessons[1]?.id, '2026-10-30T13:00:30.000Z'],
      // After the clocks fell back, 09:00 in New York is 14:00 UTC.
      ['2026-11-02', docker.lessons[2]?.id, '2026-11-02T14:00:30.000Z'],
      ['2026-11-03', docker.lessons[3]?.id, '2026-11-03T14:00:30.000Z'],
      ['2026-11-04', docker.lessons[4]?.id, '2026-11-04T14:00:30.000Z'],
    ]);

    // Each lesson's questions are in its thread, in the channel's language, with buttons naming the posted questions.
    const first = lessons[0] as Post;
    // The thread holds the questions, then the quiz summary (Friday's drop closed Thursday's quiz).
    const thread = notifier.thread(first.ref.postRef);
    expect(thread.at(-1)?.message.headline).toBe(`Quiz results: ${docker.lessons[0]?.title.en}`);
    const questions = thread.slice(0, -1);
    expect(questions).toHaveLength(docker.lessons[0]?.questions.length ?? -1);
    expect(questions[0]?.message.headline).toBe(`Question 1 of ${questions.length}`);
    expect(questions[0]?.target.threadName).toBe(docker.lessons[0]?.title.en.slice(0, 100));
    const posted = await app.db.postedQuestion.findMany({
      where: { dropId: rows[0]?.id },
      orderBy: { position: 'asc' },
    });
    const buttons = questions[0]?.message.blocks.find((block) => block.kind === 'buttons');
    const decoded = buttons?.kind === 'buttons' ? buttons.buttons.map((button) => decodeAction(button.actionId)) : [];
    expect(decoded[1]).toEqual({ ok: true, action: { kind: 'answer', postedQuestionId: posted[0]?.id, choice: 1 } });
    expect(posted.map((row) => row.messageRef)).toEqual(questions.map((post) => post.ref.postRef));
    expect(rows[0]?.messageRef).toBe(first.ref.postRef);
  });

  it('GIVEN the scheduler was down for two drop days THEN posts only today’s drop, late and once, with the next lesson', async () => {
    const app = await start();
    await makeChannel(app, { startDate: '2026-11-30' });
    const notifier = new RecordingNotifier();
    const drops = scheduler(app, notifier);
    // Monday and Tuesday pass with no tick; Wednesday afternoon it comes back.
    expect((await drops.tick(at('2026-12-02', '15:00', SP))).posted).toBe(1);
    expect((await drops.tick(at('2026-12-02', '15:01', SP))).posted).toBe(0);
    expect((await drops.tick(at('2026-12-02', '23:59', SP))).posted).toBe(0);
    const [lesson] = notifier.channelPosts();
    expect(lesson?.message.headline).toBe(gitTrack.lessons[0]?.title['pt-BR']);
    expect(plainText(lesson?.message as Message)).toContain('Postada com atraso: o horário desta lição era 09:00.');
    expect((await drops.tick(at('2026-12-03', '09:00:10', SP))).posted).toBe(1);
    const rows = await app.db.drop.findMany({ orderBy: { localDate: 'asc' } });
    expect(rows.map((row) => [row.localDate, row.lessonId])).toEqual([
      ['2026-12-02', gitTrack.lessons[0]?.id],
      ['2026-12-03', gitTrack.lessons[1]?.id],
    ]);
    expect(plainText(notifier.channelPosts()[1]?.message as Message)).not.toContain('atraso');
  });

  it('GIVEN two schedulers in two processes on one database ticking at the same instants THEN each drop is posted exactly once and the end of the track announced once', async () => {
    const database = await createTestDatabase(kind, { migrated: true });
    const open = (migrate: boolean) =>
      openApp({
        database: database.target,
        tracks: [gitTrack],
        defaults: { locale: 'pt-BR', timeZone: SP },
        logger: silentLogger(),
        migrate,
      });
    const first = await open(true);
    const second = await open(false);
    if (kind === 'sqlite') {
      // Here both "processes" share this one thread, and better-sqlite3 waits out a lock synchronously: a write that
      // finds the other's lock would block the very thread that must release it, until the busy timeout (10 s) ends.
      // Separate processes never wait on themselves, so a short timeout keeps what they see: SQLITE_BUSY, then a retry.
      for (const app of [first, second]) await app.db.$queryRawUnsafe('PRAGMA busy_timeout = 50');
    }
    extra.push({
      async close() {
        await first.close();
        await second.close();
        await database.drop();
      },
    });
    await makeChannel(first, { startDate: '2026-11-30' });
    await makeChannel(second, { externalId: 'C-OTHER', startDate: '2026-11-30' });
    const notifier = new RecordingNotifier();
    const a = scheduler(first, notifier, 'process-a');
    const b = scheduler(second, notifier, 'process-b');
    const totals = { posted: 0, announced: 0, failed: 0 };
    for (const day of ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']) {
      for (const time of ['09:00:01', '09:00:02']) {
        const results = await Promise.all([a.tick(at(day, time, SP)), b.tick(at(day, time, SP))]);
        for (const result of results) {
          totals.posted += result.posted;
          totals.announced += result.announced;
          totals.failed += result.failed;
        }
      }
    }
    expect(totals).toEqual({ posted: 4, announced: 2, failed: 0 });
    for (const channelRef of ['C-DROPS', 'C-OTHER']) {
      const posts = notifier.channelPosts(channelRef);
      expect(posts.map((post) => post.message.headline)).toEqual([
        gitTrack.lessons[0]?.title['pt-BR'],
        gitTrack.lessons[1]?.title['pt-BR'],
        'Fim da trilha “Git básico”',
      ]);
      // Two questions and one summary in each lesson's thread.
      for (const lesson of posts.slice(0, 2)) expect(notifier.thread(lesson.ref.postRef)).toHaveLength(3);
    }
    expect(await first.db.postedQuestion.count()).toBe(8);
  });

  it('GIVEN 60 channels due at once and a slow platform THEN one tick posts them several at a time, each channel in order, and one tick closes all 60 quizzes (more than a page of 50)', async () => {
    const app = await start();
    for (let i = 0; i < 60; i++) {
      await makeChannel(app, { externalId: `C-${i}`, startDate: '2026-03-02', quizCloseMinutes: 60 });
    }
    let inFlight = 0;
    let most = 0;
    class SlowNotifier extends RecordingNotifier {
      override async post(target: PostTarget, message: Message): Promise<PostRef> {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return super.post(target, message);
      }
    }
    const notifier = new SlowNotifier();
    const drops = scheduler(app, notifier);
    expect(await drops.tick(at('2026-03-02', '09:01', SP))).toMatchObject({ posted: 60, failed: 0 });
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
    // Within each channel: the lesson first, then its questions in its thread.
    for (const lesson of notifier.channelPosts()) {
      const firstInThread = notifier.posts.findIndex((post) => post.target.threadOf === lesson.ref.postRef);
      expect(firstInThread).toBeGreaterThan(notifier.posts.indexOf(lesson));
    }
    expect(await drops.tick(at('2026-03-02', '10:02', SP))).toMatchObject({ posted: 0, closed: 60, failed: 0 });
    expect(await app.db.drop.count({ where: { status: 'closed' } })).toBe(60);
  });

  it('GIVEN the platform fails twice THEN the failure is recorded and a later tick posts the drop once', async () => {
    const app = await start();
    const channel = await makeChannel(app, { startDate: '2026-11-30' });
    const notifier = new RecordingNotifier(2);
    const drops = scheduler(app, notifier);
    const now = at('2026-11-30', '09:00:05', SP);
    expect(await drops.tick(now)).toEqual({ ...nothing, failed: 1 });
    const failed = await app.db.drop.findFirstOrThrow({ where: { channelId: channel.id } });
    expect([failed.status, failed.tries, failed.lastError]).toEqual(['claimed', 1, 'platform down']);
    expect(await drops.tick(new Date(now.getTime() + 30_000))).toEqual({ ...nothing, failed: 1 });
    expect(await drops.tick(new Date(now.getTime() + 60_000))).toEqual({ ...nothing, posted: 1 });
    expect(notifier.channelPosts()).toHaveLength(1);
    expect(notifier.thread(notifier.channelPosts()[0]?.ref.postRef ?? '')).toHaveLength(2);
    const posted = await app.db.drop.findFirstOrThrow({ where: { channelId: channel.id } });
    expect([posted.status, posted.lastError]).toEqual(['posted', 'platform down']);
    expect(await drops.tick(new Date(now.getTime() + 90_000))).toEqual(nothing);
  });

  it('GIVEN a question post fails after the lesson was posted THEN the retry posts only the missing question', async () => {
    const app = await start();
    await makeChannel(app, { startDate: '2026-11-30' });
    const notifier = new RecordingNotifier(1, (target) => target.threadOf !== undefined);
    const drops = scheduler(app, notifier);
    const now = at('2026-11-30', '09:00:05', SP);
    expect((await drops.tick(now)).failed).toBe(1);
    expect((await drops.tick(new Date(now.getTime() + 30_000))).posted).toBe(1);
    const lessons = notifier.channelPosts();
    expect(lessons).toHaveLength(1);
    const thread = notifier.thread(lessons[0]?.ref.postRef ?? '');
    expect(thread.map((post) => post.message.headline)).toEqual(['Pergunta 1 de 2', 'Pergunta 2 de 2']);
  });

  it('GIVEN the platform keeps failing THEN the drop is given up after the last try and one bad channel does not stop another', async () => {
    const app = await start();
    await makeChannel(app, { externalId: 'C-BAD', startDate: '2026-11-30' });
    await makeChannel(app, { externalId: 'C-GOOD', startDate: '2026-11-30' });
    const notifier = new RecordingNotifier(1_000, (target) => target.channelRef === 'C-BAD');
    const drops = scheduler(app, notifier);
    const start0 = at('2026-11-30', '09:00:05', SP).getTime();
    const first = await drops.tick(new Date(start0));
    expect([first.posted, first.failed]).toEqual([1, 1]);
    expect(notifier.channelPosts('C-GOOD')).toHaveLength(1);
    for (let i = 1; i < maxTries + 3; i++) await drops.tick(new Date(start0 + i * 30_000));
    const bad = await app.db.drop.findFirstOrThrow({ where: { channel: { externalId: 'C-BAD' } } });
    expect([bad.status, bad.tries]).toEqual(['claimed', maxTries]);
    // One try per tick until it gave up, then none.
    expect(notifier.calls - notifier.posts.length).toBe(maxTries);
  });

  it('GIVEN the questions keep failing after the lesson was posted THEN the given-up drop closes and scores nothing', async () => {
    const app = await start();
    await makeChannel(app, { startDate: '2026-11-30' });
    const notifier = new RecordingNotifier(1_000, (target) => target.threadOf !== undefined);
    const drops = scheduler(app, notifier);
    const start0 = at('2026-11-30', '09:00:05', SP).getTime();
    for (let i = 0; i < maxTries + 2; i++) await drops.tick(new Date(start0 + i * 30_000));
    const drop = await app.db.drop.findFirstOrThrow({ include: { questions: { orderBy: { position: 'asc' } } } });
    expect([drop.status, drop.tries]).toEqual(['claimed', maxTries]);
    expect(notifier.channelPosts()).toHaveLength(1); // the lesson reached the channel
    expect(drop.closedAt).toEqual(new Date(start0 + (maxTries - 1) * 30_000));
    const posted = await app.services.stores.learning.findPostedQuestion(drop.questions[0]?.id ?? '');
    expect(posted && isQuizClosed(posted, new Date(start0 + 3_600_000))).toBe(true);
  });

  it('GIVEN a claim left by a process that died THEN it is taken over only once it is stale', async () => {
    const app = await start();
    const channel = await makeChannel(app, { startDate: '2026-11-30' });
    const claimedAt = at('2026-11-30', '09:00:01', SP);
    await app.db.drop.create({
      data: {
        channelId: channel.id,
        localDate: '2026-11-30',
        trackId: gitTrack.id,
        lessonId: gitTrack.lessons[0]?.id ?? '',
        claimedBy: 'dead-process',
        claimedAt,
      },
    });
    const notifier = new RecordingNotifier();
    const drops = scheduler(app, notifier);
    expect(await drops.tick(new Date(claimedAt.getTime() + 60_000))).toEqual(nothing);
    expect(notifier.posts).toHaveLength(0);
    expect((await drops.tick(new Date(claimedAt.getTime() + staleClaimMs + 1_000))).posted).toBe(1);
    expect(notifier.channelPosts().map((post) => post.message.headline)).toEqual([gitTrack.lessons[0]?.title['pt-BR']]);
    expect((await app.db.drop.findFirstOrThrow()).status).toBe('posted');
  });

  it('GIVEN a quiz that closes 60 minutes after the drop and answers in the database THEN its summary counts them and it closes once', async () => {
    const app = await start();
    const channel = await makeChannel(app, { startDate: '2026-11-30', quizCloseMinutes: 60 });
    const notifier = new RecordingNotifier();
    const drops = scheduler(app, notifier);
    const postedAt = at('2026-11-30', '09:00:05', SP);
    expect((await drops.tick(postedAt)).posted).toBe(1);
    const questionNote = plainText(notifier.thread('m1')[0]?.message as Message);
    expect(questionNote).toContain('O quiz fecha em seg., 10:00 (America/Sao_Paulo)');

    const drop = await app.db.drop.findFirstOrThrow({ where: { channelId: channel.id } });
    expect(drop.closesAt?.getTime()).toBe(postedAt.getTime() + 60 * 60_000);
    const [q1, q2] = await app.db.postedQuestion.findMany({ where: { dropId: drop.id }, orderBy: { position: 'asc' } });
    const lesson = gitTrack.lessons[0];
    const right1 = lesson?.questions[0]?.correctIndex ?? 0;
    const right2 = lesson?.questions[1]?.correctIndex ?? 0;
    const member = (displayName: string) => app.db.member.create({ data: { displayName } });
    const [ana, bia, caio, dani] = await Promise.all(['Ana', 'Bia', 'Caio', 'Dani'].map(member));
    let minute = 0;
    const answer = (who: { id: string }, question: typeof q1, choice: number, right: number, scored = true) =>
      app.db.attempt.create({
        data: {
          memberId: who.id,
          trackId: gitTrack.id,
          questionId: question?.questionId ?? '',
          postedQuestionId: question?.id,
          context: 'channel_quiz',
          dedupeKey: `pq:${question?.id}`,
          choice,
          correct: choice === right,
          scored,
          xp: choice === right ? 10 : 0,
          answeredAt: new Date(postedAt.getTime() + ++minute * 60_000),
          localDate: '2026-11-30',
        },
      });
    await answer(caio as { id: string }, q1, right1, right1);
    await answer(ana as { id: string }, q1, right1, right1);
    await answer(bia as { id: string }, q1, 1 - right1, right1);
    await answer(ana as { id: string }, q2, right2, right2);
    await answer(bia as { id: string }, q2, 0, right2);
    // After the close: feedback only, not in the summary.
    await answer(dani as { id: string }, q2, right2, right2, false);

    expect((await drops.tick(new Date(postedAt.getTime() + 59 * 60_000))).closed).toBe(0);
    expect((await drops.tick(new Date(postedAt.getTime() + 61 * 60_000))).closed).toBe(1);
    expect((await drops.tick(new Date(postedAt.getTime() + 62 * 60_000))).closed).toBe(0);

    const summaries = notifier.thread('m1').slice(2);
    expect(summaries).toHaveLength(1);
    const summary = plainText(summaries[0]?.message as Message);
    expect(summaries[0]?.message.headline).toBe(`Resultado do quiz: ${lesson?.title['pt-BR']}`);
    // 5 scored answers, 3 right.
    expect(summary).toContain('3 participantes · 60% de respostas certas');
    const spread1 = right1 === 0 ? 'A: 2 · B: 1' : 'A: 1 · B: 2';
    expect(summary).toContain(`*Pergunta 1* · 67% acertaram · certa: ${String.fromCharCode(65 + right1)}`);
    expect(summary).toContain(`Respostas: ${spread1}`);
    expect(summary).toContain('Primeiros a acertar: Caio, Ana');
    expect(summary).toContain(`*Pergunta 2* · 50% acertaram · certa: ${String.fromCharCode(65 + right2)}`);
    const spread2 = [0, 1, 2].map((choice) => {
      const n = (choice === right2 ? 1 : 0) + (choice === 0 ? 1 : 0);
      return `${String.fromCharCode(65 + choice)}: ${n}`;
    });
    expect(summary).toContain(`Respostas: ${spread2.join(' · ')}`);
    expect(summary).toContain('Primeiros a acertar: Ana');
    expect(summary).not.toContain('Dani');
    const closed = await app.db.drop.findFirstOrThrow({ where: { id: drop.id } });
    expect(closed.status).toBe('closed');
    expect(closed.closedAt?.getTime()).toBe(postedAt.getTime() + 61 * 60_000);
  });

  it('GIVEN quizzes that close with the next drop THEN the next drop closes the open one and a Friday quiz closes 24 h later', async () => {
    const app = await start();
    const channel = await makeChannel(app, { startDate: '2026-12-03' });
    const notifier = new RecordingNotifier();
    const drops = scheduler(app, notifier);
    const thursday = at('2026-12-03', '09:00:05', SP);
    expect(await drops.tick(thursday)).toEqual({ ...nothing, posted: 1 });
    expect(plainText(notifier.thread('m1')[0]?.message as Message)).toContain('fecha quando a próxima lição chegar');
    const friday = at('2026-12-04', '09:00:05', SP);
    expect(await drops.tick(friday)).toEqual({ ...nothing, posted: 1, closed: 1 });
    const summary = notifier.thread('m1').at(-1);
    expect(plainText(summary?.message as Message)).toContain('Ninguém respondeu a este quiz.');
    const rows = await app.db.drop.findMany({ where: { channelId: channel.id }, orderBy: { localDate: 'asc' } });
    expect(rows.map((row) => [row.status, row.closedAt?.getTime() ?? null])).toEqual([
      ['closed', friday.getTime()],
      ['posted', null],
    ]);
    // No drop on Saturday: Friday's quiz closes at its 24 h mark.
    expect((await drops.tick(new Date(friday.getTime() + 24 * 3_600_000 - 1_000))).closed).toBe(0);
    expect((await drops.tick(new Date(friday.getTime() + 24 * 3_600_000))).closed).toBe(1);
  });

  it('GIVEN every lesson of the track was posted THEN the end is announced once, at the next drop time', async () => {
    const app = await start();
    const channel = await makeChannel(app, { startDate: '2026-11-30', locale: 'en' });
    const notifier = new RecordingNotifier();
    const drops = scheduler(app, notifier);
    expect((await drops.tick(at('2026-11-30', '09:01', SP))).posted).toBe(1);
    expect((await drops.tick(at('2026-12-01', '09:01', SP))).posted).toBe(1);
    expect(await drops.tick(at('2026-12-02', '08:59', SP))).toEqual(nothing);
    // Tuesday's quiz reaches its 24 h close at the same time.
    expect(await drops.tick(at('2026-12-02', '09:01', SP))).toEqual({ ...nothing, announced: 1, closed: 1 });
    expect(await drops.tick(at('2026-12-02', '09:02', SP))).toEqual(nothing);
    expect((await drops.tick(at('2026-12-03', '09:01', SP))).announced).toBe(0);
    const last = notifier.channelPosts().at(-1);
    expect(last?.message.headline).toBe('End of the track “Git basics”');
    expect(plainText(last?.message as Message)).toContain('all 2 lessons');
    expect(notifier.channelPosts()).toHaveLength(3);
    expect((await app.db.channel.findUniqueOrThrow({ where: { id: channel.id } })).trackCompletedAt).not.toBeNull();
    expect(await app.db.drop.count()).toBe(2);
  });

  it('GIVEN posts THEN each carries a stable key, marked as a retry only when an earlier try may have posted it', async () => {
    const app = await start();
    await makeChannel(app, { startDate: '2026-11-30', quizCloseMinutes: 60 });
    // The first question's post fails once: the next tick retries the drop (lesson already recorded).
    const notifier = new RecordingNotifier(1, (target) => target.key?.startsWith('question:') === true);
    const drops = scheduler(app, notifier);
    expect((await drops.tick(at('2026-11-30', '09:01', SP))).failed).toBe(1);
    expect((await drops.tick(at('2026-11-30', '09:02', SP))).posted).toBe(1);
    expect((await drops.tick(at('2026-11-30', '10:03', SP))).closed).toBe(1);
    const drop = await app.db.drop.findFirstOrThrow({ include: { questions: { orderBy: { position: 'asc' } } } });
    expect(notifier.posts.map((post) => [post.target.key, post.target.retry])).toEqual([
      [`drop:${drop.id}`, false],
      ...drop.questions.map((question) => [`question:${question.id}`, true]),
      // Closing is a step of its own: its first try is not a retry.
      [`summary:${drop.id}`, false],
    ]);
  });

  it('GIVEN a process that claimed a drop died just before local midnight THEN the drop is taken over and posted late the next day, before that day’s own drop', async () => {
    const app = await start();
    const channel = await makeChannel(app, { startDate: '2026-11-30' });
    const { drops: store } = app.services.stores;
    // Monday's drop (at 23:58 by the schedule) claimed by a process that died right away.
    await store.updateChannel(channel.id, { dropTime: '23:58' });
    const claim = await store.claimDrop({
      channelId: channel.id,
      localDate: '2026-11-30',
      trackId: gitTrack.id,
      lessonId: gitTrack.lessons[0]?.id ?? '',
      owner: 'dead-process',
      now: at('2026-11-30', '23:58', SP),
      staleAfterMs: 120_000,
      maxTries: 5,
    });
    expect(claim.kind).toBe('won');
    const notifier = new RecordingNotifier();
    const drops = scheduler(app, notifier);
    // After midnight: Monday's drop is no longer due by the schedule, but its stale claim is taken over.
    expect((await drops.tick(at('2026-12-01', '00:05', SP))).posted).toBe(1);
    expect(notifier.channelPosts().map((post) => post.message.headline)).toEqual([gitTrack.lessons[0]?.title['pt-BR']]);
    expect(notifier.posts[0]?.target.retry).toBe(true);
    expect(plainText(notifier.posts[0]?.message as Message)).toContain('23:58');
    // Tuesday's own drop brings the next lesson.
    expect((await drops.tick(at('2026-12-01', '23:59', SP))).posted).toBe(1);
    const rows = await app.db.drop.findMany({ orderBy: { localDate: 'asc' } });
    expect(rows.map((row) => [row.localDate, row.lessonId, row.status])).toEqual([
      ['2026-11-30', gitTrack.lessons[0]?.id, 'closed'],
      ['2026-12-01', gitTrack.lessons[1]?.id, 'posted'],
    ]);
  });

  it('GIVEN the process that claimed the end of the track died before announcing it THEN another takes it over once stale and announces it once', async () => {
    const app = await start();
    const channel = await makeChannel(app, { startDate: '2026-11-30', locale: 'en' });
    const notifier = new RecordingNotifier();
    const drops = scheduler(app, notifier);
    expect((await drops.tick(at('2026-11-30', '09:01', SP))).posted).toBe(1);
    expect((await drops.tick(at('2026-12-01', '09:01', SP))).posted).toBe(1);
    // Another process claims the end at Wednesday's drop time and dies.
    const { drops: store } = app.services.stores;
    expect(await store.claimTrackCompletion(channel.id, at('2026-12-02', '09:00:30', SP), 120_000)).toEqual({
      resumed: false,
    });
    expect((await drops.tick(at('2026-12-02', '09:01', SP))).announced).toBe(0);
    expect((await drops.tick(at('2026-12-02', '09:03', SP))).announced).toBe(1);
    const end = notifier.channelPosts().at(-1);
    expect(end?.message.headline).toBe('End of the track “Git basics”');
    expect(end?.target).toMatchObject({ key: `end:${channel.id}:${gitTrack.id}`, retry: true });
    expect((await drops.tick(at('2026-12-03', '09:01', SP))).announced).toBe(0);
    const row = await app.db.channel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(row.trackEndPostedAt?.getTime()).toBe(at('2026-12-02', '09:03', SP).getTime());
  });

  it('GIVEN a paused channel THEN nothing is posted until it resumes, and then only today’s drop', async () => {
    const app = await start();
    const channel = await makeChannel(app, { startDate: '2026-11-30' });
    await app.services.stores.drops.updateChannel(channel.id, { paused: true });
    const notifier = new RecordingNotifier();
    const drops = scheduler(app, notifier);
    for (const day of ['2026-11-30', '2026-12-01', '2026-12-02']) {
      expect(await drops.tick(at(day, '10:00', SP))).toEqual(nothing);
    }
    expect(notifier.posts).toHaveLength(0);
    await app.services.stores.drops.updateChannel(channel.id, { paused: false });
    expect((await drops.tick(at('2026-12-02', '10:01', SP))).posted).toBe(1);
    expect((await app.db.drop.findFirstOrThrow()).localDate).toBe('2026-12-02');
  });

  it('GIVEN the scheduler started on a timer THEN it ticks until stopped, and stop waits for the running tick', async () => {
    const app = await start();
    await makeChannel(app, { startDate: '2026-11-30' });
    const notifier = new RecordingNotifier();
    const drops = scheduler(app, notifier);
    let now = at('2026-11-30', '08:59', SP);
    drops.start(() => now, 5);
    now = at('2026-11-30', '09:00:10', SP);
    await vi.waitFor(() => expect(notifier.posts.length).toBe(3), { timeout: 10_000, interval: 10 });
    await drops.stop();
    // Were the timer still running, its next tick would post Tuesday's drop.
    now = at('2026-12-01', '09:00:10', SP);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(notifier.posts).toHaveLength(3);
    expect(await app.db.drop.count()).toBe(1);
  });
});
