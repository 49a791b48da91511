import { z } from 'zod';
import { isoWeekBounds, isoWeekOfInstant } from '../../core/calendar.ts';
import { context, privately, text, truncate } from '../../core/message.ts';
import type { CohortRecord, LeaderboardEntry } from '../../core/ports/social.port.ts';
import { type CommandContext, defineCommand, keywords, UserError } from '../../runtime/command.ts';
import { cohortNamed, nameOf, shortDate, slugList } from './social-format.ts';

/** How many lines from the top the board shows. */
export const leaderboardSize = 10;
const medals = ['🥇', '🥈', '🥉'] as const;
const periodWord = keywords({
  week: ['semana', 'semanal', 'week', 'weekly'],
  all: ['geral', 'total', 'sempre', 'all', 'alltime', 'all-time'],
});

export default defineCommand({
  id: 'leaderboard',
  names: { 'pt-BR': 'ranking', en: 'leaderboard' },
  aliases: ['top', 'placar'],
  summary: {
    'pt-BR': 'O ranking da turma: da semana (padrão) ou geral.',
    en: 'The cohort’s leaderboard: this week’s (default) or all-time.',
  },
  usage: { 'pt-BR': '[semana|geral] [turma]', en: '[week|all] [cohort]' },
  examples: {
    'pt-BR': ['ranking', 'ranking geral', 'ranking semana ops-2026'],
    en: ['leaderboard', 'leaderboard all', 'leaderboard week ops-2026'],
  },
  parse: (words) => {
    let period: string | undefined;
    let cohort: string | undefined;
    const extra: string[] = [];
    for (const word of words) {
      const canonical = periodWord(word);
      if ((canonical === 'week' || canonical === 'all') && period === undefined) period = canonical;
      else if (cohort === undefined) cohort = word;
      else extra.push(word);
    }
    return { period, cohort, extra };
  },
  args: z.object({
    period: z.enum(['week', 'all']).default('week'),
    cohort: z.string().min(1).max(64).optional(),
    extra: z.array(z.string()).max(0),
  }),
  async handler(ctx, { period, cohort: typed }) {
    const cohort = typed ? await cohortNamed(ctx, typed) : await defaultCohort(ctx);
    const week = isoWeekOfInstant(ctx.now, cohort.timeZone);
    const board = await ctx.services.stores.social.leaderboard({
      workspaceId: ctx.workspace.id,
      cohortId: cohort.id,
      period,
      week,
      memberId: ctx.member.id,
      limit: leaderboardSize,
    });
    const { first, last } = isoWeekBounds(week);
    const label =
      period === 'week'
        ? ctx.t('social.leaderboard.week_label', {
            week,
            first: shortDate(first, ctx.locale),
            last: shortDate(last, ctx.locale),
            timeZone: cohort.timeZone,
          })
        : ctx.t('social.leaderboard.all_label');
    const blocks = [context(label)];
    if (board.top.length === 0) {
      blocks.push(text(ctx.t('social.leaderboard.empty', { period })));
    } else {
      const lines = board.top.map((entry) => line(ctx, entry));
      // The member's own line, when they rank below the top.
      if (board.me && board.me.rank > board.top.length) {
        lines.push('…', line(ctx, board.me));
      }
      blocks.push(text(truncate(lines.join('\n'), 2_900)));
      if (board.me && board.me.rank > board.top.length) {
        blocks.push(
          context(ctx.t('social.leaderboard.me_outside', { rank: board.me.rank, total: board.total, xp: board.me.xp })),
        );
      }
      blocks.push(context(ctx.t('social.leaderboard.total', { total: board.total })));
    }
    if (!board.me && board.top.length > 0) blocks.push(context(ctx.t('social.leaderboard.me_none', { period })));
    const headline = ctx.t(period === 'week' ? 'social.leaderboard.headline_week' : 'social.leaderboard.headline_all', {
      cohort: cohort.slug,
    });
    return [privately({ headline: truncate(headline, 150), blocks })];
  },
});

function line(ctx: CommandContext, entry: LeaderboardEntry): string {
  const position = medals[entry.rank - 1] ?? `${entry.rank}.`;
  const values = { position, name: nameOf(entry.displayName), xp: entry.xp, correct: entry.correct };
  return ctx.t(entry.memberId === ctx.member.id ? 'social.leaderboard.line_me' : 'social.leaderboard.line', values);
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
