import { z } from 'zod';
import { localDateOf } from '../../core/calendar.ts';
import { context, privately, safeText, text, truncate } from '../../core/message.ts';
import type { MemberRecord } from '../../core/ports/members.port.ts';
import { accuracy } from '../../core/scoring.ts';
import { currentStreakAsOf } from '../../core/streaks.ts';
import { type CommandContext, defineCommand, UserError } from '../../runtime/command.ts';
import { nameOf } from './social-format.ts';

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
      currentStreak: 0,
      bestStreak: 0,
      lastActiveDate: null,
    };
    // The streak is shown as of today in the member's own zone: it is 0 once a whole local day was missed.
    const today = localDateOf(ctx.now, target.timeZone ?? ctx.workspace.timeZone);
    const current = currentStreakAsOf(
      { current: stats.currentStreak, best: stats.bestStreak, lastActiveDate: stats.lastActiveDate },
      today,
    );
    const { curriculum } = ctx.services;
    const channelTrack = ctx.channel ? curriculum.track(ctx.channel.trackId) : undefined;
    const tracks = channelTrack ? [channelTrack] : curriculum.tracks;
    const lines = [
      ctx.t('social.progress.xp', { xp: stats.xp }),
      ctx.t('social.progress.streak', { current, best: stats.bestStreak }),
      ctx.t('social.progress.answers', { answered: stats.answered, accuracy: accuracy(stats.correct, stats.answered) }),
      ...tracks.map((track) =>
        ctx.t('social.progress.lessons', {
          track: track.title[ctx.locale],
          seen: snapshot.lessonsSeenByTrack[track.id] ?? 0,
          total: track.lessons.length,
        }),
      ),
      ctx.t('social.progress.reviews', { count: snapshot.reviewsDue }),
      ...(snapshot.thisWeek.length === 0
        ? [ctx.t('social.progress.no_cohort')]
        : snapshot.thisWeek
            .slice(0, 10)
            .map((week) => ctx.t('social.progress.week', { cohort: week.cohort.slug, xp: week.xp }))),
    ];
    const blocks = [text(truncate(lines.join('\n'), 2_900))];
    if (!snapshot.stats && target.id === ctx.member.id) blocks.push(context(ctx.t('social.progress.nothing_yet')));
    return [
      privately({
        headline: truncate(ctx.t('social.progress.headline', { name: nameOf(target.displayName) }), 150),
        blocks,
      }),
    ];
  },
});

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
