/**
 * The weekly season recap: when a cohort's ISO week ends in the cohort's time zone, the recap of that week is posted
 * in the cohort's channel (its oldest drop channel on this scheduler's platform, in that channel's language): the top
 * members (as their board visibility allows), the cohort's average, the most-improved member, the hardest question of
 * the week and the accuracy chart. The new week's board starts from zero by itself (WeeklyScore is per week); past
 * seasons stay queryable (`ranking 2026-W47`).
 *
 * Exactly once across replicas and platforms: each recap is claimed through its Season row (SeasonStore), a dead
 * claimer's claim is taken over after `staleClaimMs`, a failed post is recorded (tries, last error) and retried on a
 * later tick, up to `maxTries`; the post carries the key `season:<cohort>:<week>` so a platform that can make posts
 * idempotent does. Only the week that just ended is considered (after downtime it is posted late; older missed weeks
 * are skipped, as drops are), and only a week with activity gets a recap.
 */
import { type IsoWeek, isoWeekBounds } from '../core/calendar.ts';
import { accuracySeries, buildCohortReport } from '../core/cohort-report.ts';
import type { Track } from '../core/curriculum.ts';
import type { Locale } from '../core/locale.ts';
import { type Attachment, context, type Message, safeText, text, truncate } from '../core/message.ts';
import type { QuestionWeekActivity } from '../core/ports/reports.port.ts';
import { type RecapTarget, seasonKey } from '../core/ports/seasons.port.ts';
import type { LeaderboardEntry } from '../core/ports/social.port.ts';
import {
  anonymousAnimal,
  hardestQuestion,
  lastEndedWeek,
  mostImproved,
  previousWeek,
  weekSpan,
} from '../core/seasons.ts';
import { translator } from '../i18n/translator.ts';
import { maxTries, staleClaimMs } from './drop-scheduler.ts';
import type { JobContext, ScheduledJob } from './job.ts';

/** How many members the recap names. */
export const recapTopSize = 3;
/** Weeks the recap's chart shows: the season's week and the ones before it. */
export const recapChartWeeks = 4;
/** A week without activity this long after its end is remembered as such (no new answer can land in it by then). */
const quietAfterMs = 10 * 60_000;

export class SeasonRecapJob implements ScheduledJob {
  readonly name = 'season-recaps';
  /** Seasons this process knows need nothing more (posted, given up, or without activity). */
  readonly #settled = new Set<string>();

  async run(ctx: JobContext): Promise<number> {
    const { seasons } = ctx.services.stores;
    const targets = (await seasons.recapTargets(ctx.platform)).filter(
      (target) => ctx.workspaceId === undefined || target.cohort.workspaceId === ctx.workspaceId,
    );
    const due = targets
      .map((target) => ({ target, week: lastEndedWeek(ctx.now, target.cohort.timeZone) }))
      .filter(({ target, week }) => !this.#settled.has(seasonKey(target.cohort.id, week)));
    if (due.length === 0) return 0;
    this.#forgetOlderThan(due.map(({ week }) => week));
    const settled = await seasons.settledSeasons(
      due.map(({ target, week }) => ({ cohortId: target.cohort.id, week })),
      maxTries,
    );
    let posted = 0;
    for (const { target, week } of due) {
      const key = seasonKey(target.cohort.id, week);
      try {
        if (settled.has(key)) {
          this.#settled.add(key);
          continue;
        }
        if (!(await seasons.hasActivity(target.cohort.id, week))) {
          if (ctx.now.getTime() - weekSpan(week, target.cohort.timeZone).end.getTime() > quietAfterMs) {
            this.#settled.add(key);
          }
          continue;
        }
        if (await this.#claimAndPost(ctx, target, week)) posted++;
      } catch (error) {
        ctx.logger.error({ err: error, cohortId: target.cohort.id, week }, 'season recap failed');
      }
    }
    return posted;
  }

  /** Keeps the memory to the weeks still asked about (the set would otherwise grow a few keys a week forever). */
  #forgetOlderThan(weeks: readonly IsoWeek[]): void {
    const oldest = [...weeks].sort()[0] ?? '';
    for (const key of this.#settled) if ((key.split(' ')[1] ?? '') < oldest) this.#settled.delete(key);
  }

  async #claimAndPost(ctx: JobContext, target: RecapTarget, week: IsoWeek): Promise<boolean> {
    const { seasons } = ctx.services.stores;
    const cohortId = target.cohort.id;
    const claim = await seasons.claimSeason({
      cohortId,
      week,
      owner: ctx.owner,
      now: ctx.now,
      staleAfterMs: staleClaimMs,
      maxTries,
    });
    if (claim.kind === 'given-up') this.#settled.add(seasonKey(cohortId, week));
    if (claim.kind !== 'won') return false;
    try {
      const message = await recapMessage(ctx, target, week);
      const ref = await ctx.notifier.post(
        {
          channelRef: target.channel.externalId,
          key: `season:${cohortId}:${week}`,
          retry: claim.resumed || claim.season.tries > 0,
        },
        message,
      );
      await seasons.markSeasonPosted({
        cohortId,
        week,
        owner: ctx.owner,
        channelId: target.channel.id,
        messageRef: ref.postRef,
        postedAt: ctx.now,
      });
      this.#settled.add(seasonKey(cohortId, week));
      ctx.logger.info({ cohortId, week, channel: target.channel.externalId }, 'season recap posted');
      return true;
    } catch (error) {
      const tries = await seasons.recordSeasonFailure(
        cohortId,
        week,
        ctx.owner,
        error instanceof Error ? error.message : String(error),
      );
      ctx.logger.error(
        { err: error, cohortId, week, tries, givingUp: tries >= maxTries },
        tries >= maxTries ? 'posting a season recap failed; giving up' : 'posting a season recap failed; retrying',
      );
      return false;
    }
  }
}

/** The recap of `week` for the cohort, in the channel's language. */
export async function recapMessage(ctx: JobContext, target: RecapTarget, week: IsoWeek): Promise<Message> {
  const { social, seasons, reports } = ctx.services.stores;
  const { cohort, channel } = target;
  const locale = channel.locale;
  const { t } = translator(locale);
  const scope = { workspaceId: cohort.workspaceId, cohortId: cohort.id, week };
  const before = previousWeek(week);
  const [board, rows, earlierRows, earlierPeriod, activity] = await Promise.all([
    social.leaderboard({ ...scope, period: 'week', memberId: '', limit: recapTopSize }),
    seasons.weekCounts(scope),
    seasons.weekCounts({ ...scope, week: before }),
    seasons.weekPeriod({ ...scope, week: before }),
    reports.questionActivity({
      workspaceId: cohort.workspaceId,
      cohortId: cohort.id,
      timeZone: cohort.timeZone,
      now: ctx.now,
    }),
  ]);
  const name = (entry: Pick<LeaderboardEntry, 'memberId' | 'displayName' | 'visibility'>) =>
    entry.visibility === 'anonymous'
      ? t('seasons.anonymous', { animal: anonymousAnimal(entry.memberId) })
      : safeText(truncate(entry.displayName, 40));

  const { first, last } = isoWeekBounds(week);
  const blocks = [
    context(
      t('seasons.recap.dates', {
        first: dayMonth(first, locale),
        last: dayMonth(last, locale),
        timeZone: cohort.timeZone,
      }),
    ),
  ];
  const medals = ['🥇', '🥈', '🥉'];
  const top = board.top.map((entry) =>
    t('seasons.recap.line', {
      position: medals[entry.rank - 1] ?? `${entry.rank}.`,
      name: name(entry),
      points: entry.points,
    }),
  );
  blocks.push(text([t('seasons.recap.top'), ...(top.length > 0 ? top : [t('seasons.recap.nobody_shown')])].join('\n')));
  const facts: string[] = [];
  if (board.average) {
    facts.push(
      t('seasons.recap.average', {
        hasAccuracy: board.average.accuracy === null ? 'no' : 'yes',
        accuracy: board.average.accuracy ?? 0,
        points: board.average.points,
        members: board.total,
      }),
    );
  }
  const improved = mostImproved({ rows, period: board.period }, { rows: earlierRows, period: earlierPeriod });
  const improvedRow = improved ? rows.find((row) => row.memberId === improved.memberId) : undefined;
  if (improved && improvedRow) {
    facts.push(
      t('seasons.recap.improved', { name: name(improvedRow), before: improved.before, after: improved.after }),
    );
  }
  const hardest = hardestQuestion(activity.filter((row) => row.week === week));
  const question = hardest ? ctx.services.curriculum.question(hardest.trackId, hardest.questionId) : undefined;
  const lesson = question && hardest ? ctx.services.curriculum.lesson(hardest.trackId, question.lessonId) : undefined;
  if (hardest && question && lesson) {
    facts.push(
      t('seasons.recap.hardest', {
        prompt: truncate(question.prompt[locale].replace(/\s+/g, ' '), 140),
        lesson: truncate(lesson.title[locale], 60),
        right: hardest.firstCorrect,
        total: hardest.members,
        rate: hardest.firstCorrect / hardest.members,
      }),
    );
  }
  if (facts.length > 0) blocks.push(text(facts.join('\n')));
  blocks.push(context(t('seasons.recap.fresh', { week })));
  const chart = await recapChart(ctx, target, week, activity, t).catch((error: unknown) => {
    // A recap without its chart is still a recap: the text goes out, the failure is logged.
    ctx.logger.warn({ err: error, cohortId: cohort.id, week }, 'season recap chart not rendered');
    return null;
  });
  return {
    headline: truncate(t('seasons.recap.headline', { week, cohort: cohort.slug }), 150),
    blocks,
    ...(chart ? { files: [chart] } : {}),
  };
}

/**
 * The accuracy chart of the recap: first-try accuracy per lesson of the channel's track, one series per week (the
 * season's week and the ones before it), as the facilitator report draws it (src/core/cohort-report.ts). Null when
 * the weeks have no first tries in that track.
 */
async function recapChart(
  ctx: JobContext,
  target: RecapTarget,
  week: IsoWeek,
  activity: readonly QuestionWeekActivity[],
  t: ReturnType<typeof translator>['t'],
): Promise<Attachment | null> {
  const { curriculum } = ctx.services;
  const track: Track | undefined = curriculum.track(target.channel.trackId);
  const weeks = new Set<IsoWeek>([week]);
  let earlier = week;
  while (weeks.size < recapChartWeeks) {
    earlier = previousWeek(earlier);
    weeks.add(earlier);
  }
  const shown = activity.filter((row) => weeks.has(row.week) && row.trackId === track?.id);
  if (!track || shown.length === 0) return null;
  const report = buildCohortReport({
    curriculum,
    tracks: [track.id],
    members: [],
    activity: shown,
    completion: [],
    dropped: [],
  });
  const answered = report.lessons.filter((line) => line.firstTry.of > 0);
  if (answered.length === 0) return null;
  const { categories, series } = accuracySeries(
    { ...report, lessons: answered },
    { current: t('seasons.recap.chart_y'), earlier: (w) => w },
    recapChartWeeks,
  );
  const cohort = target.cohort.slug;
  return ctx.services.charts.accuracyChart({
    title: t('seasons.recap.chart_title', { cohort }),
    categories,
    // The recap shows the weeks' first tries only (the report's "current accuracy" line is for facilitators).
    series: series.filter((s) => !s.reference),
    xTitle: t('seasons.recap.chart_x'),
    yTitle: t('seasons.recap.chart_y'),
    filename: `season-${cohort}-${week}.png`,
    alt: t('seasons.recap.chart_alt', { cohort }),
  });
}

/** A local date as a short day and month in the reader's language (`30/11`, `Nov 30`). */
function dayMonth(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}
