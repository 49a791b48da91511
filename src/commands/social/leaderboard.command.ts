import { z } from 'zod';
import { type IsoWeek, isIsoWeek, isoWeekBounds, isoWeekOfInstant } from '../../core/calendar.ts';
import { context, privately, text, truncate } from '../../core/message.ts';
import type { BoardAverage, CohortRecord, LeaderboardEntry } from '../../core/ports/social.port.ts';
import { anonymousAnimal, previousWeek } from '../../core/seasons.ts';
import { type CommandContext, defineCommand, keywords, UserError } from '../../runtime/command.ts';
import { cohortNamed, nameOf, shortDate, slugList } from './social-format.ts';

/** How many lines from the top the board shows. */
export const leaderboardSize = 10;
const medals = ['🥇', '🥈', '🥉'] as const;
const periodWord = keywords({
  week: ['semana', 'semanal', 'week', 'weekly'],
  // Not `geral`: it is the name of many teams' main channel, so of their first cohort (the terminal's default one too),
  // and `ranking geral` must reach that cohort, not read as a period (issue 16, point 8).
  all: ['total', 'sempre', 'todos-os-tempos', 'all', 'alltime', 'all-time'],
  last: ['passada', 'anterior', 'semana-passada', 'ultima', 'last', 'previous', 'last-week', 'lastweek'],
});
/** An ISO week as typed: `2026-W47`, `2026-w47`. */
const weekPattern = /^\d{4}-[Ww]\d{2}$/;

export default defineCommand({
  id: 'leaderboard',
  names: { 'pt-BR': 'ranking', en: 'leaderboard' },
  aliases: ['top', 'placar', 'temporada', 'season'],
  summary: {
    'pt-BR':
      'O ranking da turma: da semana (padrão), de uma semana passada ou de todos os tempos. Pontos por acerto, não só rapidez.',
    en: 'The cohort’s leaderboard: this week’s (default), a past week’s or all-time. Points for accuracy, not just speed.',
  },
  usage: { 'pt-BR': '[semana|passada|2026-W47|total] [turma]', en: '[week|last|2026-W47|all] [cohort]' },
  examples: {
    'pt-BR': ['ranking', 'ranking semana passada', 'ranking 2026-W47 ops-2026', 'ranking total'],
    en: ['leaderboard', 'leaderboard last week', 'leaderboard 2026-W47 ops-2026', 'leaderboard all'],
  },
  parse: (words) => {
    let period: string | undefined;
    let week: string | undefined;
    let last = false;
    let cohort: string | undefined;
    const extra: string[] = [];
    for (const word of words) {
      const canonical = periodWord(word);
      if (weekPattern.test(word) && week === undefined) week = word.toUpperCase();
      else if (canonical === 'last' && !last) last = true;
      else if ((canonical === 'week' || canonical === 'all') && period === undefined) period = canonical;
      else if (cohort === undefined) cohort = word;
      else extra.push(word);
    }
    return { period, week, last, cohort, extra };
  },
  args: z
    .object({
      period: z.enum(['week', 'all']).default('week'),
      week: z.string().regex(weekPattern).optional(),
      last: z.boolean(),
      cohort: z.string().min(1).max(64).optional(),
      extra: z.array(z.string()).max(0),
    })
    // A past week belongs to the weekly board, one at a time.
    .refine((args) => !(args.period === 'all' && (args.week || args.last)) && !(args.week && args.last)),
  async handler(ctx, { period, week: typedWeek, last, cohort: typed }) {
    const cohort = typed ? await cohortNamed(ctx, typed) : await defaultCohort(ctx);
    const current = isoWeekOfInstant(ctx.now, cohort.timeZone);
    const week = typedWeek ? checkedWeek(ctx, typedWeek, current, cohort) : last ? previousWeek(current) : current;
    const past = period === 'week' && week !== current;
    const { social } = ctx.services.stores;
    const [board, visibility] = await Promise.all([
      social.leaderboard({
        workspaceId: ctx.workspace.id,
        cohortId: cohort.id,
        period,
        week,
        memberId: ctx.member.id,
        limit: leaderboardSize,
      }),
      social.boardVisibility(ctx.member.id),
    ]);
    const { first, last: sunday } = isoWeekBounds(week);
    const dates = { week, first: shortDate(first, ctx.locale), last: shortDate(sunday, ctx.locale) };
    const label =
      period === 'all'
        ? ctx.t('social.leaderboard.all_label')
        : ctx.t(past ? 'seasons.board.past_label' : 'social.leaderboard.week_label', {
            ...dates,
            timeZone: cohort.timeZone,
          });
    const blocks = [context(label)];
    if (board.top.length === 0) {
      blocks.push(text(past ? ctx.t('seasons.board.empty_past') : ctx.t('social.leaderboard.empty', { period })));
    } else {
      const lines = board.top.map((entry) => line(ctx, entry));
      // The cohort average beside the members, where it would rank (or under the last line shown).
      if (board.average) {
        const at = board.top.findIndex((entry) => entry.points < (board.average as BoardAverage).points);
        lines.splice(at === -1 ? lines.length : at, 0, averageLine(ctx, board.average));
      }
      // The member's own line, when they rank below the top.
      const outside = board.me && board.me.rank > board.top.length ? board.me : null;
      if (outside) lines.push('…', line(ctx, outside));
      blocks.push(text(truncate(lines.join('\n'), 2_900)));
      if (outside) {
        blocks.push(
          context(
            ctx.t('seasons.board.me_outside', {
              rank: outside.rank,
              total: board.total,
              points: outside.points,
              xp: outside.xp,
            }),
          ),
        );
      }
      blocks.push(context(ctx.t('social.leaderboard.total', { total: board.total })));
    }
    if (visibility === 'hidden') blocks.push(context(ctx.t('seasons.board.me_hidden')));
    else if (!board.me && board.top.length > 0) {
      blocks.push(
        context(past ? ctx.t('seasons.board.me_none_past') : ctx.t('social.leaderboard.me_none', { period })),
      );
    }
    blocks.push(context(ctx.t('seasons.board.explain')));
    const headline = past
      ? ctx.t('seasons.board.headline_past', { week, cohort: cohort.slug })
      : ctx.t(period === 'week' ? 'social.leaderboard.headline_week' : 'social.leaderboard.headline_all', {
          cohort: cohort.slug,
        });
    return [privately({ headline: truncate(headline, 150), blocks })];
  },
});

/** A typed week that exists and has begun in the cohort's zone; a UserError otherwise. */
function checkedWeek(ctx: CommandContext, week: string, current: IsoWeek, cohort: CohortRecord): IsoWeek {
  if (!isIsoWeek(week)) throw new UserError(ctx.t('seasons.board.bad_week', { week }));
  if (week > current) {
    throw new UserError(ctx.t('seasons.board.future_week', { week, current, timeZone: cohort.timeZone }));
  }
  return week;
}

/** A member's name on a board: their display name, or the neutral name of an anonymous member. */
export function boardName(
  t: CommandContext['t'],
  entry: Pick<LeaderboardEntry, 'memberId' | 'displayName' | 'visibility'>,
) {
  return entry.visibility === 'anonymous'
    ? t('seasons.anonymous', { animal: anonymousAnimal(entry.memberId) })
    : nameOf(entry.displayName);
}

function line(ctx: CommandContext, entry: LeaderboardEntry): string {
  const position = medals[entry.rank - 1] ?? `${entry.rank}.`;
  const values = { position, name: boardName(ctx.t, entry), points: entry.points, xp: entry.xp };
  return ctx.t(entry.memberId === ctx.member.id ? 'seasons.board.line_me' : 'seasons.board.line', values);
}

function averageLine(ctx: CommandContext, average: BoardAverage): string {
  return ctx.t('seasons.board.average', {
    points: average.points,
    hasAccuracy: average.accuracy === null ? 'no' : 'yes',
    accuracy: average.accuracy ?? 0,
  });
}

/** The channel's cohort, else the member's only cohort; otherwise the member is asked to choose. */
async function defaultCohort(ctx: CommandContext): Promise<CohortRecord> {
  const { social } = ctx.services.stores;
  if (ctx.channel?.cohortId) {
    const cohort = await social.findCohortById(ctx.workspace.id, ctx.channel.cohortId);
    if (cohort) return cohort;
  }
  const mine = await social.memberCohorts(ctx.workspace.id, ctx.member.id);
  if (mine.length === 1 && mine[0]) return mine[0];
  const all = mine.length > 1 ? mine : await social.listCohorts(ctx.workspace.id);
  if (all.length === 0) throw new UserError(ctx.t('social.leaderboard.no_cohorts'));
  throw new UserError(`${ctx.t('social.leaderboard.choose')} ${slugList(all)}`);
}
