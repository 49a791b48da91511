import { z } from 'zod';
import { privately, text } from '../../core/message.ts';
import { translator } from '../../i18n/translator.ts';
import { defineCommand, keywords } from '../../runtime/command.ts';

const choice = keywords({
  'pt-BR': ['pt', 'ptbr', 'pt_br', 'portugues', 'portuguese'],
  en: ['en-us', 'en_us', 'ingles', 'english'],
  default: ['padrao', 'reset', 'workspace'],
});

export default defineCommand({
  id: 'language',
  names: { 'pt-BR': 'idioma', en: 'language' },
  aliases: ['lingua', 'lang'],
  summary: {
    'pt-BR': 'Escolhe o idioma em que o Trilha fala com você (pt-BR ou en).',
    en: 'Chooses the language Trilha uses with you (pt-BR or en).',
  },
  usage: { 'pt-BR': '[pt-BR|en|padrao]', en: '[pt-BR|en|default]' },
  examples: { 'pt-BR': ['idioma en', 'idioma padrao'], en: ['language pt-BR', 'language default'] },
  parse: (words) => ({ choice: words[0] === undefined ? undefined : choice(words[0]), extra: words.slice(1) }),
  args: z.object({ choice: z.enum(['pt-BR', 'en', 'default']).optional(), extra: z.array(z.string()).max(0) }),
  async handler(ctx, { choice: chosen }) {
    if (chosen === undefined) {
      const message = ctx.t('social.language.current', {
        language: ctx.t('social.language.name', { locale: ctx.locale }),
        source: ctx.member.locale ? 'member' : 'workspace',
      });
      return [privately({ blocks: [text(message)] })];
    }
    const locale = chosen === 'default' ? null : chosen;
    await ctx.services.stores.social.setMemberLocale(ctx.member.id, locale);
    // The confirmation is already in the new language: the member sees the change take effect.
    const { t } = translator(locale ?? ctx.workspace.defaultLocale);
    const message =
      locale === null
        ? t('social.language.default', {
            language: t('social.language.name', { locale: ctx.workspace.defaultLocale }),
          })
        : t('social.language.set');
    return [privately({ blocks: [text(message)] })];
  },
});
