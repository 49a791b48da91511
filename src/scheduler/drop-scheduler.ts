/**
 * The daily-drop scheduler: on every tick it posts each channel's due drop (the lesson, then its questions in the
 * lesson's thread), announces the end of a track once, and closes the quizzes whose time has come with a summary.
 *
 * What makes it safe to run in several processes on one database, and after downtime:
 * - Which drop is due comes from core/drop-schedule's `dueDrop`: only today's (in the channel's zone), posted late
 *   once after downtime; earlier missed days are skipped.
 * - Posting is claimed first (DropStore.claimDrop: the unique (channel, local date) index, then conditional updates),
 *   and closing too (claimClose): one process wins each. A claim whose owner died is taken over after
 *   `staleClaimMs` (2 minutes: far longer than posting a drop takes, short enough that a crash delays a drop little).
 * - The posted-question rows are created before anything is posted (their ids are in the answer buttons), and every
 *   post's reference is stored as soon as it is made, so a retry posts only what is missing: a drop is never posted
 *   twice nor lost.
 * - A failed post (the platform is down, the bot was removed from the channel) is recorded on the drop (tries,
 *   lastError), logged, and retried on the next tick; after `maxTries` (5) failures the drop is given up for that day
 *   and closed, so whatever of it reached the channel stops scoring (a closing is then done without its summary). One failing channel never stops the others, and a tick never throws.
 */
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { encodeAction } from '../core/action-id.ts';
import { localDateOf } from '../core/calendar.ts';
import type { Lesson, Track } from '../core/curriculum.ts';
import { type DueDrop, dropInstant, dueDrop, lessonIndexFor } from '../core/drop-schedule.ts';
import type { Locale } from '../core/locale.ts';
import { context, type Message, type Notifier, safeText, text, truncate } from '../core/message.ts';
import type { DropRecord, QuizSummary, QuizToClose } from '../core/ports/drops.port.ts';
import type { ChannelRecord, Platform } from '../core/ports/members.port.ts';
import { StoreUnavailableError } from '../core/ports/store-errors.ts';
import { translator } from '../i18n/translator.ts';
import type { Services } from '../runtime/command.ts';
import type { Logger } from '../runtime/logger.ts';
import { errorCode } from '../runtime/telemetry.ts';
import { lessonMessage, letter, questionMessage } from '../runtime/views.ts';
import type { ScheduledJob } from './job.ts';

/** A claim not finished within this time belongs to a process that died, and is taken over. */
export const staleClaimMs = 2 * 60_000;
/** Failed tries of one step (posting a drop, posting a summary, announcing a track's end) before giving up. */
export const maxTries = 5;
/** A quiz that closes "with the next drop" closes at the latest this long after it was posted. */
export const maxQuizOpenMs = 24 * 60 * 60_000;
/** Platforms cap thread names (Discord: 100 characters). */
const maxThreadName = 100;

export interface DropSchedulerDeps {
  readonly services: Services;
  readonly notifier: Notifier;
  readonly logger: Logger;
  /** This process's name in claims (host and pid, say): must differ between processes. */
  readonly owner: string;
  /**
   * Only the channels of this platform's workspaces, which `notifier` can reach; every channel when absent (one
   * platform per database, as in tests). Each platform of a process runs its own scheduler.
   */
  readonly platform?: Platform;
  /**
   * Only the channels and cohorts of this workspace (of `platform`), for a notifier that reaches one workspace: a
   * terminal session, where two sessions on one database with different workspaces are two teams and each prints
   * only its own channel. Every workspace of `platform` when absent.
   */
  readonly workspaceId?: string;
  /**
   * How many channels are worked on at once in a tick (default `defaultChannelConcurrency`). Each channel's own steps
   * stay in order; channels are independent (each claim is its own), so a thousand channels due at 09:00 are not
   * posted one after the other. The platform's client still keeps its rate limits.
   */
  readonly channelConcurrency?: number;
  /** Run at the end of every tick, one after another, with this scheduler's notifier (`job.ts`). */
  readonly jobs?: readonly ScheduledJob[];
}

/** Quizzes listed per page when closing, and at most how many pages one tick closes. */
const closePage = 50;
const maxCloseRounds = 40;

/** Channels worked on at once by default: enough to keep a platform's HTTP client busy, few enough for SQLite. */
export const defaultChannelConcurrency = 8;

/** The scheduler's counters, reported per tick through `services.telemetry`. */
interface TickTelemetry {
  /** How late the oldest due drop found this tick was, in seconds. */
  lagSeconds: number;
}

export interface TickResult {
  /** Drops posted (lesson and every question). */
  posted: number;
  /** Quizzes closed. */
  closed: number;
  /** Steps that failed this tick (each is retried on a later tick). */
  failed: number;
  /** End-of-track announcements posted. */
  announced: number;
  /** Things the jobs posted (season recaps, nudges). */
  jobPosts: number;
}

export class DropScheduler {
  readonly #deps: DropSchedulerDeps;
  /** Ticks of one scheduler run one after another: each waits for the previous one. */
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #stopped = true;
  /** Failed end-of-track announcements per channel (the channel row has no counter for them). */
  readonly #announceFailures = new Map<string, number>();
  /** Channel days whose drop could not be stored and whose channel was told so (once per day per process). */
  readonly #toldUnstored = new Set<string>();

  constructor(deps: DropSchedulerDeps) {
    this.#deps = deps;
  }

  /** Posts the drops due and closes the quizzes due as of `now`. Never throws: failures are counted and logged. */
  tick(now: Date): Promise<TickResult> {
    const run = this.#queue.then(() => this.#tick(now));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Ticks now and then every `intervalMs`, each tick after the previous one ended; the timer keeps no process alive. */
  start(clock: () => Date, intervalMs = 30_000): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const loop = async () => {
      this.#timer = null;
      if (this.#stopped) return;
      await this.tick(clock());
      if (this.#stopped) return;
      this.#timer = setTimeout(loop, intervalMs);
      this.#timer.unref();
    };
    this.#timer = setTimeout(loop, 0);
    this.#timer.unref();
  }

  /** Runs `work` on every item with at most `channelConcurrency` at once, taking the items in order. */
  async #inPool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    };
    const size = Math.max(1, Math.min(this.#deps.channelConcurrency ?? defaultChannelConcurrency, items.length));
    await Promise.all(Array.from({ length: size }, worker));
  }

  /** Whether this scheduler's notifier reaches the channel (its workspace, when the scheduler serves one). */
  #reaches(channel: ChannelRecord): boolean {
    return this.#deps.workspaceId === undefined || channel.workspaceId === this.#deps.workspaceId;
  }

  /** The platform for counters: the one this scheduler serves (a scheduler without one serves a single platform). */
  #platformOf(): Platform {
    return this.#deps.platform ?? 'terminal';
  }

  /** Stops the timer and waits for a running tick to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#queue;
  }

  async #tick(now: Date): Promise<TickResult> {
    const started = performance.now();
    const stats: TickTelemetry = { lagSeconds: 0 };
    const result = await this.#tickChannels(now, stats);
    await this.#runJobs(now, result);
    this.#deps.services.telemetry?.schedulerTick((performance.now() - started) / 1000, stats.lagSeconds);
    return result;
  }

  async #runJobs(now: Date, result: TickResult): Promise<void> {
    const { jobs = [], logger, notifier, owner, platform, workspaceId, services } = this.#deps;
    for (const job of jobs) {
      try {
        result.jobPosts += await job.run({ now, platform, workspaceId, notifier, owner, services, logger });
      } catch (error) {
        result.failed++;
        logger.error({ err: error, job: job.name }, 'a scheduled job failed');
      }
    }
  }

  async #tickChannels(now: Date, stats: TickTelemetry): Promise<TickResult> {
    const { logger, services } = this.#deps;
    const result: TickResult = { posted: 0, closed: 0, failed: 0, announced: 0, jobPosts: 0 };
    try {
      const channels = (await services.stores.drops.channelsToConsider(this.#deps.platform)).filter((channel) =>
        this.#reaches(channel),
      );
      await this.#inPool(channels, async (channel) => {
        try {
          await this.#channelTick(channel, now, result, stats);
        } catch (error) {
          result.failed++;
          logger.error({ err: error, channel: channel.externalId }, 'drop tick failed for a channel');
        }
      });
    } catch (error) {
      result.failed++;
      logger.error({ err: error }, 'could not list the drop channels');
    }
    try {
      // Pages of due quizzes until none is left (a page whose closes all failed ends the round: they wait for the
      // next tick), so a thousand quizzes closing at once do not take twenty ticks.
      const tried = new Set<string>();
      for (let round = 0; round < maxCloseRounds; round++) {
        const due = await services.stores.drops.quizzesToClose(now, {
          ...platformFilter(this.#deps.platform),
          limit: closePage,
        });
        const closedBefore = result.closed;
        // A quiz tried once this tick (and failed) waits for the next tick, as every failed step does.
        // Another workspace's quiz is left to the scheduler whose notifier reaches it.
        const fresh = due.filter((quiz) => this.#reaches(quiz.channel) && !tried.has(quiz.drop.id));
        for (const quiz of fresh) tried.add(quiz.drop.id);
        await this.#inPool(fresh, async (quiz) => {
          try {
            await this.#close(quiz, now, result);
          } catch (error) {
            result.failed++;
            logger.error({ err: error, dropId: quiz.drop.id }, 'closing a quiz failed');
          }
        });
        if (due.length < closePage || fresh.length === 0 || result.closed === closedBefore) break;
      }
    } catch (error) {
      result.failed++;
      logger.error({ err: error }, 'could not list the quizzes to close');
    }
    return result;
  }

  async #channelTick(channel: ChannelRecord, now: Date, result: TickResult, stats: TickTelemetry): Promise<void> {
    const { services, logger } = this.#deps;
    const { drops } = services.stores;
    const track = services.curriculum.track(channel.trackId);
    if (!track) {
      logger.warn({ channel: channel.externalId, trackId: channel.trackId }, 'channel names an unknown track');
      return;
    }
    // A drop of an earlier day still only claimed: its process died before posting it and its day has ended, so no
    // tick has it due any more. It is posted late (taken over once stale) before anything newer, and while one is
    // still held the channel waits: today's drop would otherwise take the same lesson.
    const today = localDateOf(now, channel.timeZone);
    for (const earlier of await drops.claimedDropsBefore(channel.id, today, maxTries)) {
      const due: DueDrop = { localDate: earlier.localDate, at: dropInstant(channel, earlier.localDate), late: true };
      if (!(await this.#claimAndPost(channel, due, earlier.trackId, earlier.lessonId, now, result))) return;
    }
    const due = dueDrop(channel, now, await drops.lastDropDate(channel.id));
    if (!due) return;
    stats.lagSeconds = Math.max(stats.lagSeconds, (now.getTime() - due.at.getTime()) / 1000);
    const index = lessonIndexFor(await drops.countPostedDrops(channel.id, track.id), track.lessons.length);
    if (index === 'track-complete') {
      // Read again: another process may have posted today's drop (the last lesson) between the two reads above; the
      // end is announced on the next drop day, not in the last lesson's own tick.
      const last = await drops.lastDropDate(channel.id);
      if (last !== null && last >= due.localDate) return;
      await this.#announceEnd(channel, track, now, result);
      return;
    }
    await this.#claimAndPost(channel, due, track.id, track.lessons[index]?.id ?? '', now, result);
  }

  /** Claims the drop of `due.localDate` and posts it; true when it is posted (by this call or already). */
  async #claimAndPost(
    channel: ChannelRecord,
    due: DueDrop,
    trackId: string,
    lessonId: string,
    now: Date,
    result: TickResult,
  ): Promise<boolean> {
    const { services, logger, owner } = this.#deps;
    const { drops } = services.stores;
    const claim = await drops
      .claimDrop({
        channelId: channel.id,
        localDate: due.localDate,
        trackId,
        lessonId,
        owner,
        now,
        staleAfterMs: staleClaimMs,
        maxTries,
      })
      .catch(async (error: unknown) => {
        await this.#tellUnstored(channel, due.localDate, error);
        throw error;
      });
    if (claim.kind === 'given-up') return true;
    if (claim.kind !== 'won') return false;
    const { drop } = claim;
    try {
      // A taken-over claim keeps the lesson it was claimed with.
      const lesson = services.curriculum.lesson(drop.trackId, drop.lessonId);
      const lessonTrack = services.curriculum.track(drop.trackId);
      if (!lesson || !lessonTrack) throw new Error(`the drop names an unknown lesson ${drop.trackId}/${drop.lessonId}`);
      if (await this.#post(channel, drop, lesson, lessonTrack, due, now, claim.resumed)) {
        result.posted++;
        services.telemetry?.dropPosted(this.#platformOf());
        logger.info({ channel: channel.externalId, localDate: drop.localDate, lessonId: drop.lessonId }, 'drop posted');
        return true;
      }
      return false;
    } catch (error) {
      result.failed++;
      services.telemetry?.dropFailed(this.#platformOf(), errorCode(error));
      const message = error instanceof Error ? error.message : String(error);
      const tries = await drops.recordFailure(drop.id, owner, message);
      if (tries >= maxTries) await drops.closeGivenUp(drop.id, now);
      logger.error(
        { err: error, channel: channel.externalId, dropId: drop.id, tries, givingUp: tries >= maxTries },
        tries >= maxTries ? 'posting a drop failed; giving up for today' : 'posting a drop failed; retrying next tick',
      );
      return false;
    }
  }

  /**
   * A due drop the database would not store (disk full, a read-only file, no answer after the retries): the channel
   * is told once that day, in its language, so its admins learn it from the chat and not only from the log
   * (docs/security.md, "Database failures"). Once per process: the database that would remember it is the one
   * failing, so two replicas may each tell it once.
   */
  async #tellUnstored(channel: ChannelRecord, localDate: string, error: unknown): Promise<void> {
    if (!(error instanceof StoreUnavailableError)) return;
    const key = `${channel.id}\u0000${localDate}`;
    if (this.#toldUnstored.has(key)) return;
    this.#toldUnstored.add(key);
    const { t } = translator(channel.locale);
    try {
      await this.#deps.notifier.post(
        { channelRef: channel.externalId },
        { blocks: [text(t('security.drop.unavailable', { reason: error.reason }))] },
      );
    } catch (postError) {
      this.#deps.logger.warn(
        { err: postError, channel: channel.externalId },
        'could not tell the channel its drop failed',
      );
    }
  }

  /** Posts what of the drop is not posted yet, then marks it posted. False when the claim was lost meanwhile. */
  async #post(
    channel: ChannelRecord,
    drop: DropRecord,
    lesson: Lesson,
    track: Track,
    due: DueDrop,
    now: Date,
    resumed: boolean,
  ): Promise<boolean> {
    const { services, notifier, owner, logger } = this.#deps;
    const { drops } = services.stores;
    const locale = channel.locale;
    const { t } = translator(locale);
    const questions = await drops.ensurePostedQuestions(
      drop.id,
      lesson.questions.map((question) => ({ trackId: drop.trackId, questionId: question.id })),
    );
    const closesAt = new Date(
      now.getTime() + (channel.quizCloseMinutes === null ? maxQuizOpenMs : channel.quizCloseMinutes * 60_000),
    );

    let postRef = drop.messageRef;
    if (!postRef) {
      const view = lessonMessage(lesson, locale, t, { lessonCount: track.lessons.length });
      const lines = [context(t('channels.drop.intro'))];
      if (due.late)
        lines.push(context(t('channels.drop.late', { time: formatTime(due.at, channel.timeZone, locale) })));
      // Keyed: a platform that can make the post idempotent does, so a retry after a crash between this post and
      // its record below does not post the lesson twice (`PostTarget.key`).
      const posted = await notifier.post(
        { channelRef: channel.externalId, key: `drop:${drop.id}`, retry: resumed || drop.tries > 0 },
        { ...view, blocks: [...view.blocks, ...lines] },
      );
      await drops.recordLessonPost(drop.id, { messageRef: posted.postRef, threadRef: posted.threadRef });
      postRef = posted.postRef;
    }

    const note =
      channel.quizCloseMinutes === null
        ? t('channels.drop.closes_next')
        : t('channels.drop.closes_at', { when: formatWhen(closesAt, channel.timeZone, locale) });
    const threadName = truncate(lesson.title[locale], maxThreadName);
    for (const posted of questions) {
      if (posted.messageRef) continue;
      const question = services.curriculum.question(posted.trackId, posted.questionId);
      if (!question) throw new Error(`the drop names an unknown question ${posted.trackId}/${posted.questionId}`);
      const message = questionMessage(question, locale, t, {
        position: posted.position + 1,
        total: questions.length,
        actionFor: (choice) => encodeAction({ kind: 'answer', postedQuestionId: posted.id, choice }),
        note,
      });
      const ref = await notifier.post(
        {
          channelRef: channel.externalId,
          threadOf: postRef,
          threadName,
          key: `question:${posted.id}`,
          retry: resumed || drop.tries > 0,
        },
        message,
      );
      await drops.recordQuestionPost(posted.id, ref.postRef);
    }

    // "Close with the next drop": this drop is the next one for every quiz of the channel still open.
    if (channel.quizCloseMinutes === null) await drops.closeEarlierDrops(channel.id, drop.localDate, now);
    const marked = await drops.markPosted(drop.id, owner, { postedAt: now, closesAt });
    if (!marked) logger.warn({ dropId: drop.id }, 'the drop claim was taken over while posting');
    // Its week's and the all-time board have new yardsticks: rescored in the background, not by their first reader.
    else if (channel.cohortId) services.stores.social.boardsMoved(channel.cohortId, drop.localDate);
    return marked;
  }

  async #announceEnd(channel: ChannelRecord, track: Track, now: Date, result: TickResult): Promise<void> {
    const { services, notifier, logger } = this.#deps;
    const { drops } = services.stores;
    const claim = await drops.claimTrackCompletion(channel.id, now, staleClaimMs);
    if (!claim) return;
    const { t } = translator(channel.locale);
    try {
      await notifier.post(
        { channelRef: channel.externalId, key: `end:${channel.id}:${track.id}`, retry: claim.resumed },
        {
          headline: truncate(t('channels.track_complete.headline', { track: track.title[channel.locale] }), 150),
          blocks: [text(t('channels.track_complete.text', { count: track.lessons.length }))],
        },
      );
      await drops.markTrackEndPosted(channel.id, now);
      this.#announceFailures.delete(channel.id);
      result.announced++;
    } catch (error) {
      result.failed++;
      const failures = (this.#announceFailures.get(channel.id) ?? 0) + 1;
      this.#announceFailures.set(channel.id, failures);
      // Given back so a later tick retries, until it failed `maxTries` times: then it is given up (marked done).
      if (failures < maxTries) await drops.releaseTrackCompletion(channel.id, now);
      else await drops.markTrackEndPosted(channel.id, now);
      logger.error({ err: error, channel: channel.externalId, failures }, 'announcing the end of the track failed');
    }
  }

  async #close({ drop, channel }: QuizToClose, now: Date, result: TickResult): Promise<void> {
    const { services, notifier, owner, logger } = this.#deps;
    const { drops } = services.stores;
    if (!(await drops.claimClose(drop.id, owner, now, staleClaimMs))) return;
    if (drop.tries >= maxTries || !drop.messageRef) {
      // The quiz is closed for scoring at closesAt anyway; only its summary is given up.
      logger.warn({ dropId: drop.id, tries: drop.tries }, 'closing a quiz without its summary');
      if (await drops.markClosed(drop.id, owner, now)) result.closed++;
      return;
    }
    try {
      const summary = await drops.quizSummary(drop.id);
      const lesson = services.curriculum.lesson(drop.trackId, drop.lessonId);
      const threadName = truncate(lesson?.title[channel.locale] ?? drop.lessonId, maxThreadName);
      await notifier.post(
        {
          channelRef: channel.externalId,
          threadOf: drop.messageRef,
          threadName,
          key: `summary:${drop.id}`,
          // A close claim taken over (not the release mark a posted drop carries) or a failed earlier try.
          retry: drop.tries > 0 || drop.claimedAt.getTime() !== 0,
        },
        this.#summaryMessage(summary, drop, channel.locale, lesson),
      );
      if (await drops.markClosed(drop.id, owner, now)) {
        result.closed++;
        logger.info(
          { channel: channel.externalId, dropId: drop.id, participants: summary.participants },
          'quiz closed',
        );
      }
    } catch (error) {
      result.failed++;
      const tries = await drops.recordFailure(drop.id, owner, error instanceof Error ? error.message : String(error));
      logger.error({ err: error, dropId: drop.id, tries }, 'posting a quiz summary failed; retrying next tick');
    }
  }

  #summaryMessage(summary: QuizSummary, drop: DropRecord, locale: Locale, lesson: Lesson | undefined): Message {
    const { t } = translator(locale);
    const { curriculum } = this.#deps.services;
    const blocks = [
      text(
        summary.participants === 0
          ? t('channels.summary.nobody')
          : t('channels.summary.totals', {
              participants: summary.participants,
              percent: percent(summary.correct, summary.answered),
            }),
      ),
    ];
    for (const item of summary.questions) {
      const question = curriculum.question(drop.trackId, item.questionId);
      const optionCount = Math.max(question?.options.length ?? 0, item.choices.length);
      const spread = Array.from(
        { length: optionCount },
        (_, choice) => `${letter(choice)}: ${item.choices[choice] ?? 0}`,
      );
      // Unanswered is its own state (docs/scoring.md): no accuracy without answers, and nobody "got it wrong".
      const unanswered = item.answered === 0;
      const lines = [
        t(unanswered ? 'channels.summary.question_unanswered' : 'channels.summary.question', {
          position: item.position + 1,
          percent: percent(item.correct, item.answered),
          right: question ? letter(question.correctIndex) : '?',
        }),
      ];
      // The prompt is curriculum text, already in the message model's Markdown subset (validated, at most 300 chars).
      if (question) lines.push(question.prompt[locale]);
      lines.push(t('channels.summary.spread', { spread: spread.join(' · ') }));
      if (!unanswered) {
        lines.push(
          item.firstCorrect.length > 0
            ? t('channels.summary.first', {
                names: item.firstCorrect.map((name) => safeText(truncate(name, 40))).join(', '),
              })
            : t('channels.summary.first_none'),
        );
      }
      blocks.push(text(lines.join('\n')));
    }
    blocks.push(context(t('channels.summary.closed')));
    return {
      headline: truncate(t('channels.summary.headline', { lesson: lesson?.title[locale] ?? drop.lessonId }), 150),
      blocks,
    };
  }
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part * 100) / whole);
}

/** `09:00` in the channel's zone. */
function formatTime(at: Date, zone: string, locale: Locale): string {
  return DateTime.fromJSDate(at, { zone }).setLocale(locale).toLocaleString(DateTime.TIME_SIMPLE);
}

/** `ter., 10:00 (America/Sao_Paulo)`: a weekday and a time in the channel's zone and language. */
function formatWhen(at: Date, zone: string, locale: Locale): string {
  const local = DateTime.fromJSDate(at, { zone }).setLocale(locale);
  return `${local.toLocaleString({ weekday: 'short', hour: '2-digit', minute: '2-digit' })} (${zone})`;
}

function platformFilter(platform: Platform | undefined): { platform?: Platform } {
  return platform ? { platform } : {};
}
