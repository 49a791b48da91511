import { z } from 'zod';
import { type LocalDate, localDateOf } from '../../core/calendar.ts';
import { currentHold } from '../../core/care.ts';
import { context, privately, safeText, text, truncate } from '../../core/message.ts';
import type { MemberCare } from '../../core/ports/care.port.ts';
import type { MemberRecord } from '../../core/ports/members.port.ts';
import { accuracy } from '../../core/scoring.ts';
import { everyDayCounts, freezeRules, type StreakAsOf, streakAsOf } from '../../core/streaks.ts';
import { type CommandContext, defineCommand, UserError } from '../../runtime/command.ts';
import { longDate } from '../care/care-format.ts';
import { catchUps, channelLabel } from '../learning/catch-up.ts';
import { nameOf } from './social-format.ts';
import { visibilityState } from './visibility.command.ts';

/** Slack `<@U123>` (or `<@U123|name>`), Discord `<@123>` / `<@!123>`: the platform's mention of a user. */
const mentionPattern = /^<@!?([A-Za-z0-9._-]{1,64})(?:\|[^>]*)?>$/;

export default defineCommand({
  id: 'progress',
  names: { 'pt-BR': 'progresso', en: 'progress' },
  aliases: ['estatisticas', 'stats'],
  summary: {
    'pt-BR': 'Seu XP, sequência, acertos, lições e revisões (ou os de outra pessoa do espaço de trabalho).',
    en: 'Your XP, streak, accuracy, lessons and reviews (or those of another member of the workspace).',
  },
  usage: { 'pt-BR': '[pessoa]', en: '[member]' },
  examples: { 'pt-BR': ['progresso', 'progresso @ana'], en: ['progress', 'progress @ana'] },
  parse: (_words, rest) => ({ member: rest || undefined }),
  args: z.object({ member: z.string().trim().min(1).max(80).optional() }),
  async handler(ctx, { member: typed }) {
    const target = typed ? await memberNamed(ctx, typed) : ctx.member;
    const { social } = ctx.services.stores;
    const snapshot = await social.progress(ctx.workspace.id, target.id, ctx.now);
    const stats = snapshot.stats ?? {
      xp: 0,
      answered: 0,
      correct: 0,
      firstTries: 0,
      firstTryCorrect: 0,
      currentStreak: 0,
      bestStreak: 0,
      lastActiveDate: null,
    };
    // The streak is shown as of today in the member's own zone, by the same rules as the answer path: it is 0 once
    // more drop days were missed (holds and days without a drop aside) than freezes can cover (docs/streaks.md).
    const today = localDateOf(ctx.now, target.timeZone ?? ctx.workspace.timeZone);
    const { care } = ctx.services.stores;
    const [kept, days] = await Promise.all([
      care.memberCare(target.id, today),
      stats.lastActiveDate ? care.streakDays(target.id, stats.lastActiveDate, today) : everyDayCounts,
    ]);
    const streak = streakAsOf(
      {
        current: stats.currentStreak,
        best: stats.bestStreak,
        lastActiveDate: stats.lastActiveDate,
        freezes: kept.freezes,
        freezesUsed: kept.freezesUsed,
      },
      today,
      days,
    );
    const current = streak.current;
    const { curriculum } = ctx.services;
    const channelTrack = ctx.channel ? curriculum.track(ctx.channel.trackId) : undefined;
    const tracks = channelTrack ? [channelTrack] : curriculum.tracks;
    const lines = [
      ctx.t('social.progress.xp', { xp: stats.xp }),
      ctx.t('social.progress.streak', { current, best: stats.bestStreak }),
      ...careLines(ctx, kept, streak, today, target.id === ctx.member.id),
      // Questions answered (first tries) and every answer that counted, each labelled (docs/scoring.md "Counts").
      ctx.t('social.progress.answers', {
        questions: stats.firstTries,
        accuracy: accuracy(stats.firstTryCorrect, stats.firstTries),
        answered: stats.answered,
      }),
      ...tracks.map((track) =>
        ctx.t('social.progress.lessons', {
          track: track.title[ctx.locale],
          seen: snapshot.lessonsSeenByTrack[track.id] ?? 0,
          total: track.lessons.length,
        }),
      ),
      // A late joiner's own catch-up: posted lessons not seen yet (the channel's pace does not change).
      ...(target.id === ctx.member.id ? await catchUps(ctx) : []).map((late) =>
        ctx.t('members.catchup.progress', { count: late.behind.length, channel: channelLabel(late.channel) }),
      ),
      ctx.t('social.progress.reviews', { count: snapshot.reviewsDue }),
      ...(snapshot.thisWeek.length === 0
        ? [ctx.t('social.progress.no_cohort')]
        : snapshot.thisWeek
            .slice(0, 10)
            .map((week) => ctx.t('social.progress.week', { cohort: week.cohort.slug, xp: week.xp }))),
    ];
    // How the member appears on boards: their own setting, shown to themselves only.
    if (target.id === ctx.member.id) {
      lines.push(
        ctx.t('seasons.progress.visibility', {
          state: visibilityState(ctx, target.id, snapshot.boardVisibility),
        }),
      );
    }
    const blocks = [text(truncate(lines.join('\n'), 2_900))];
    if ((snapshot.stats?.answered ?? 0) === 0 && target.id === ctx.member.id)
      blocks.push(context(ctx.t('social.progress.nothing_yet')));
    return [
      privately({
        headline: truncate(ctx.t('social.progress.headline', { name: nameOf(target.displayName) }), 150),
        blocks,
      }),
    ];
  },
});

/** Freezes for anyone; a member's own hold and nudge setting only for themselves (docs/streaks.md). */
function careLines(
  ctx: CommandContext,
  kept: MemberCare,
  streak: StreakAsOf,
  today: LocalDate,
  self: boolean,
): string[] {
  const lines = [
    ctx.t('care.progress.freezes', {
      freezes: streak.freezes,
      max: freezeRules.max,
      covering: streak.covering,
      every: freezeRules.every,
    }),
  ];
  if (!self) return lines;
  const hold = currentHold(kept.holds, today);
  if (hold) {
    const to = longDate(hold.endDate, ctx.locale);
    lines.push(
      hold.startDate <= today
        ? ctx.t('care.progress.hold_now', { to })
        : ctx.t('care.progress.hold_next', { from: longDate(hold.startDate, ctx.locale), to }),
    );
  }
  lines.push(
    kept.nudgeHour === null
      ? ctx.t('care.progress.nudge_off')
      : kept.quietHours
        ? ctx.t('care.progress.nudge_on_quiet', { hour: kept.nudgeHour, quiet: kept.quietHours })
        : ctx.t('care.progress.nudge_on', { hour: kept.nudgeHour }),
  );
  return lines;
}

/** Another member of the workspace, by mention (`<@U123>`), `@name` or display name; a clear UserError otherwise. */
async function memberNamed(ctx: CommandContext, typed: string): Promise<MemberRecord> {
  const { social } = ctx.services.stores;
  const mention = mentionPattern.exec(typed);
  if (mention?.[1]) {
    const member = await social.findMemberByExternalId(ctx.workspace.id, mention[1]);
    if (member) return member;
  } else {
    const name = typed.replace(/^@/, '').trim();
    const found = name ? await social.findMembersByName(ctx.workspace.id, name) : [];
    if (found.length > 1) {
      throw new UserError(ctx.t('social.progress.ambiguous_member', { name: safeText(truncate(name, 40)) }));
    }
    if (found[0]) return found[0];
    // `@U123` in the terminal, or a platform id typed as is.
    const byId = name ? await social.findMemberByExternalId(ctx.workspace.id, name) : null;
    if (byId) return byId;
  }
  throw new UserError(ctx.t('social.progress.unknown_member', { name: safeText(truncate(typed, 40)) }));
}
