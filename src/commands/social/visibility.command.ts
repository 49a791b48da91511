import { z } from 'zod';
import { privately, text } from '../../core/message.ts';
import type { BoardVisibility } from '../../core/ports/social.port.ts';
import { anonymousAnimal } from '../../core/seasons.ts';
import { type CommandContext, defineCommand, keywords } from '../../runtime/command.ts';

const visibilityWord = keywords({
  shown: ['mostrar', 'visivel', 'aparecer', 'nome', 'publico', 'show', 'visible', 'public', 'name'],
  anonymous: ['anonimo', 'anonima', 'anon', 'anonymous', 'anonymously'],
  hidden: ['ocultar', 'oculto', 'oculta', 'esconder', 'sumir', 'hide', 'hidden', 'off'],
});

export default defineCommand({
  id: 'visibility',
  names: { 'pt-BR': 'visibilidade', en: 'visibility' },
  aliases: ['privacidade-ranking', 'ranking-privacy'],
  summary: {
    'pt-BR': 'Como você aparece nos rankings e recapitulações: com seu nome, anônimo(a) ou oculto(a).',
    en: 'How you appear on leaderboards and recaps: with your name, anonymous or hidden.',
  },
  usage: { 'pt-BR': '[mostrar|anonimo|ocultar]', en: '[show|anonymous|hidden]' },
  examples: {
    'pt-BR': ['visibilidade', 'visibilidade anonimo', 'visibilidade ocultar', 'visibilidade mostrar'],
    en: ['visibility', 'visibility anonymous', 'visibility hidden', 'visibility show'],
  },
  parse: (words) => ({
    visibility: words[0] === undefined ? undefined : visibilityWord(words[0]),
    extra: words.slice(1),
  }),
  args: z.object({
    visibility: z.enum(['shown', 'anonymous', 'hidden']).optional(),
    extra: z.array(z.string()).max(0),
  }),
  async handler(ctx, { visibility }) {
    const { social } = ctx.services.stores;
    const reply = (message: string) => [privately({ blocks: [text(message)] })];
    if (visibility === undefined) {
      const current = await social.boardVisibility(ctx.member.id);
      return reply(ctx.t('seasons.visibility.current', { state: visibilityState(ctx, ctx.member.id, current) }));
    }
    // Boards, recaps and the cohort average read the column; learning (XP, streaks, reviews) never does.
    await social.setBoardVisibility(ctx.member.id, visibility);
    if (visibility === 'anonymous') {
      return reply(ctx.t('seasons.visibility.set_anonymous', { name: anonymousName(ctx.t, ctx.member.id) }));
    }
    return reply(ctx.t(visibility === 'hidden' ? 'seasons.visibility.set_hidden' : 'seasons.visibility.set_shown'));
  },
});

/** The neutral name an anonymous member has on boards (`Anônimo 🦊`). */
export function anonymousName(t: CommandContext['t'], memberId: string): string {
  return t('seasons.anonymous', { animal: anonymousAnimal(memberId) });
}

/** "with your name", "anonymous, as Anonymous 🦊", "hidden: …" in the member's language. */
export function visibilityState(ctx: Pick<CommandContext, 't'>, memberId: string, visibility: BoardVisibility): string {
  return ctx.t('seasons.visibility.state', { visibility, name: anonymousName(ctx.t, memberId) });
}
