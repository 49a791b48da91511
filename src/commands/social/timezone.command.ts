import { z } from 'zod';
import { isTimeZone } from '../../core/calendar.ts';
import { privately, safeText, text, truncate } from '../../core/message.ts';
import { defineCommand, keywords } from '../../runtime/command.ts';
import { canonicalZone } from './cohort.command.ts';
import { clockTime } from './social-format.ts';

const defaultWord = keywords({ default: ['padrao', 'reset', 'workspace'] });

export default defineCommand({
  id: 'timezone',
  names: { 'pt-BR': 'fuso', en: 'timezone' },
  aliases: ['fuso-horario', 'tz', 'time-zone'],
  summary: {
    'pt-BR': 'Escolhe o seu fuso horário (as sequências contam os dias nele).',
    en: 'Chooses your time zone (streaks count days in it).',
  },
  usage: { 'pt-BR': '[fuso IANA|padrao]', en: '[IANA zone|default]' },
  examples: { 'pt-BR': ['fuso America/Manaus', 'fuso padrao'], en: ['timezone Europe/Lisbon', 'timezone default'] },
  parse: (words) => ({ zone: words[0] === undefined ? undefined : defaultWord(words[0]), extra: words.slice(1) }),
  args: z.object({ zone: z.string().min(1).max(64).optional(), extra: z.array(z.string()).max(0) }),
  async handler(ctx, { zone }) {
    const reply = (message: string) => [privately({ blocks: [text(message)] })];
    if (zone === undefined) {
      return reply(
        ctx.t('social.timezone.current', { zone: ctx.timeZone, source: ctx.member.timeZone ? 'member' : 'workspace' }),
      );
    }
    const { social } = ctx.services.stores;
    if (zone === 'default') {
      await social.setMemberTimeZone(ctx.member.id, null);
      const workspaceZone = ctx.workspace.timeZone;
      return reply(
        ctx.t('social.timezone.default', { zone: workspaceZone, time: clockTime(ctx.now, ctx.locale, workspaceZone) }),
      );
    }
    if (!isTimeZone(zone)) return reply(ctx.t('social.timezone.invalid', { zone: safeText(truncate(zone, 64)) }));
    const canonical = canonicalZone(zone);
    await social.setMemberTimeZone(ctx.member.id, canonical);
    return reply(ctx.t('social.timezone.set', { zone: canonical, time: clockTime(ctx.now, ctx.locale, canonical) }));
  },
});
