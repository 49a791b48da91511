import { z } from 'zod';
import { encodeAction } from '../../core/action-id.ts';
import { context, privately, type Reply, safeText, text, truncate } from '../../core/message.ts';
import type { MemberData } from '../../core/ports/social.port.ts';
import { type CommandContext, defineCommand, keywords } from '../../runtime/command.ts';
import type { ActionHandlers } from '../../runtime/dispatcher.ts';
import { maxButtonLabel } from '../../runtime/views.ts';
import { exportAnki, exportJson } from './my-data-export.ts';
import { dateTime } from './social-format.ts';
import { visibilityState } from './visibility.command.ts';

/** How many of the latest answers and weekly scores are listed (the counts cover all of them). */
const recentShown = 5;
const action = keywords({
  show: ['ver', 'mostrar', 'show', 'view'],
  delete: ['apagar', 'excluir', 'deletar', 'remover', 'erase', 'remove'],
  export: ['exportar', 'baixar', 'json', 'download'],
  anki: ['erros', 'misses', 'csv'],
});

export default defineCommand({
  id: 'my-data',
  names: { 'pt-BR': 'meus-dados', en: 'my-data' },
  aliases: ['meusdados', 'mydata', 'dados', 'privacidade', 'privacy'],
  summary: {
    'pt-BR': 'Mostra, exporta (JSON; seus erros para o Anki) ou apaga o que o Trilha guarda sobre você (LGPD).',
    en: 'Shows, exports (JSON; your misses for Anki) or deletes what Trilha stores about you (GDPR).',
  },
  usage: { 'pt-BR': '[exportar | anki | apagar]', en: '[export | anki | delete]' },
  examples: {
    'pt-BR': ['meus-dados', 'meus-dados exportar', 'meus-dados anki', 'meus-dados apagar'],
    en: ['my-data', 'my-data export', 'my-data anki', 'my-data delete'],
  },
  parse: (words) => ({ action: words[0] === undefined ? 'show' : action(words[0]), extra: words.slice(1) }),
  args: z.object({ action: z.enum(['show', 'delete', 'export', 'anki']), extra: z.array(z.string()).max(0) }),
  async handler(ctx, args) {
    if (args.action === 'delete') return confirmDeletion(ctx);
    if (args.action === 'export') return exportJson(ctx);
    if (args.action === 'anki') return exportAnki(ctx);
    const data = await ctx.services.stores.social.memberData(ctx.member.id, recentShown);
    if (!data) return [privately({ blocks: [text(ctx.t('social.mydata.already_gone'))] })];
    return [privately({ headline: ctx.t('social.mydata.headline'), blocks: dataBlocks(ctx, data) })];
  },
});

function confirmDeletion(ctx: CommandContext): Reply[] {
  return [
    privately({
      headline: ctx.t('social.mydata.confirm_headline'),
      blocks: [
        text(ctx.t('social.mydata.confirm')),
        {
          kind: 'buttons',
          buttons: [
            {
              label: truncate(ctx.t('social.mydata.confirm_button'), maxButtonLabel),
              actionId: encodeAction({ kind: 'delete-my-data', memberId: ctx.member.id }),
              style: 'danger',
            },
          ],
        },
      ],
    }),
  ];
}

function dataBlocks(ctx: CommandContext, data: MemberData) {
  const { t, locale, timeZone } = ctx;
  const when = (instant: Date) => dateTime(instant, locale, timeZone);
  const none = t('social.mydata.none');
  const profile = t('social.mydata.profile', {
    name: safeText(truncate(data.member.displayName, 80)),
    id: data.member.id,
    locale: data.member.locale ?? t('social.mydata.default'),
    timeZone: data.member.timeZone ?? t('social.mydata.default'),
    since: when(data.member.createdAt),
  });
  const identities = t('social.mydata.identities', {
    list:
      data.identities
        .map((identity) =>
          t('social.mydata.identity', {
            platform: identity.platform,
            externalId: safeText(identity.externalId),
            workspace: safeText(identity.workspaceName),
          }),
        )
        .join('; ') || none,
  });
  const cohorts = t('social.mydata.cohorts', {
    list: data.cohorts.map((cohort) => `\`${cohort.slug}\``).join(', ') || none,
  });
  const stats = data.stats
    ? t('social.mydata.stats', {
        xp: data.stats.xp,
        answered: data.stats.answered,
        correct: data.stats.correct,
        current: data.stats.currentStreak,
        best: data.stats.bestStreak,
        last: data.stats.lastActiveDate ?? none,
        lessons: data.stats.lessonsSeen,
      })
    : t('social.mydata.stats_none');
  const weekly = [
    t('social.mydata.weekly', { count: data.weeklyScores.length }),
    ...data.weeklyScores.slice(0, recentShown).map((row) =>
      t('social.mydata.weekly_line', {
        week: row.week,
        cohort: row.cohortSlug,
        xp: row.xp,
        answered: row.answered,
        correct: row.correct,
      }),
    ),
  ];
  const attempts = [t('social.mydata.attempts', { count: data.attemptCount })];
  if (data.recentAttempts.length > 0) {
    attempts.push(
      t('social.mydata.recent'),
      ...data.recentAttempts.map((attempt) =>
        t('social.mydata.attempt_line', {
          when: when(attempt.answeredAt),
          question: `${attempt.trackId}/${attempt.questionId}`,
          context: attempt.context,
          correct: attempt.correct ? 'yes' : 'no',
          xp: attempt.xp,
        }),
      ),
    );
  }
  const learning = [
    t('social.mydata.reviews', { count: data.reviewCardCount }),
    t('social.mydata.lessons', { seen: data.lessonsSeen, completed: data.lessonsCompleted }),
  ];
  return [
    text(t('social.mydata.intro')),
    text(
      truncate(
        [
          profile,
          identities,
          cohorts,
          t('seasons.mydata.visibility', {
            state: visibilityState(ctx, data.member.id, data.member.boardVisibility),
          }),
        ].join('\n'),
        2_900,
      ),
    ),
    text(truncate([stats, ...weekly].join('\n'), 2_900)),
    text(truncate([...attempts, ...learning].join('\n'), 2_900)),
    context(t('members.export.hint')),
    context(t('social.mydata.delete_hint')),
  ];
}

/** The danger button's action: only the member it was made for may use it; then everything about them goes. */
export const deleteMyData: NonNullable<ActionHandlers['delete-my-data']> = async (ctx, { memberId }) => {
  const { social } = ctx.services.stores;
  const say = (message: string) => [privately({ blocks: [text(message)] })];
  if (memberId !== ctx.member.id) {
    // A second click after a deletion comes from the member's fresh record (the dispatcher creates one for every
    // request), so an id that no longer exists is "already deleted", not somebody else's button.
    const owner = await social.memberData(memberId, 0);
    return say(ctx.t(owner ? 'social.mydata.not_yours' : 'social.mydata.already_gone'));
  }
  const { deleted } = await social.deleteMember(memberId, ctx.now);
  return say(ctx.t(deleted ? 'social.mydata.deleted' : 'social.mydata.already_gone'));
};
