import { z } from 'zod';
import { cancelledHold, checkHold, currentHold, holdLength, maxHoldDays } from '../../core/care.ts';
import { privately, type Reply, text } from '../../core/message.ts';
import { type CommandContext, defineCommand, keywords } from '../../runtime/command.ts';
import { longDate, todayOf } from './care-format.ts';

const action = keywords({ cancel: ['cancelar', 'cancel', 'encerrar', 'end', 'voltar', 'back'] });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const none = z.array(z.string()).max(0);

export default defineCommand({
  id: 'vacation',
  names: { 'pt-BR': 'ferias', en: 'vacation' },
  aliases: ['pausa-pessoal', 'hold', 'holiday'],
  summary: {
    'pt-BR': 'Pausa pessoal por alguns dias: a sequência não se perde, sem lembretes, e as revisões esperam.',
    en: 'A personal pause for some days: no streak loss, no nudges, and your reviews wait.',
  },
  usage: { 'pt-BR': '[primeiro-dia último-dia | cancelar]', en: '[first-day last-day | cancel]' },
  examples: {
    'pt-BR': ['ferias 2026-12-20 2027-01-05', 'ferias', 'ferias cancelar'],
    en: ['vacation 2026-12-20 2027-01-05', 'vacation', 'vacation cancel'],
  },
  parse: (words) => {
    const [first, second, ...rest] = words;
    if (first === undefined) return { action: 'show' };
    if (action(first) === 'cancel') return { action: 'cancel', extra: words.slice(1) };
    // One date alone is a one-day hold.
    return { action: 'set', from: first, to: second ?? first, extra: rest };
  },
  args: z.discriminatedUnion('action', [
    z.object({ action: z.literal('show') }),
    z.object({ action: z.literal('cancel'), extra: none }),
    z.object({ action: z.literal('set'), from: date, to: date, extra: none }),
  ]),
  async handler(ctx, args) {
    switch (args.action) {
      case 'show':
        return show(ctx);
      case 'cancel':
        return cancel(ctx);
      case 'set':
        return set(ctx, args.from, args.to);
    }
  },
});

const say = (message: string): Reply[] => [privately({ blocks: [text(message)] })];

async function show(ctx: CommandContext): Promise<Reply[]> {
  const today = todayOf(ctx);
  const { holds } = await ctx.services.stores.care.memberCare(ctx.member.id, today);
  const hold = currentHold(holds, today);
  if (!hold) return say(ctx.t('care.hold.none', { max: maxHoldDays }));
  const dates = { from: longDate(hold.startDate, ctx.locale), to: longDate(hold.endDate, ctx.locale) };
  return say(ctx.t(hold.startDate <= today ? 'care.hold.current' : 'care.hold.upcoming', dates));
}

async function set(ctx: CommandContext, from: string, to: string): Promise<Reply[]> {
  const today = todayOf(ctx);
  const checked = checkHold(from, to, today);
  if (!checked.ok) {
    return say(
      ctx.t('care.hold.problem', {
        problem: checked.problem,
        from,
        to,
        today: longDate(today, ctx.locale),
        max: maxHoldDays,
      }),
    );
  }
  const result = await ctx.services.stores.care.createHold({
    memberId: ctx.member.id,
    hold: checked.hold,
    today,
    timeZone: ctx.timeZone,
  });
  const dates = { from: longDate(result.hold.startDate, ctx.locale), to: longDate(result.hold.endDate, ctx.locale) };
  if (result.status === 'exists') return say(ctx.t('care.hold.exists', dates));
  return say(ctx.t('care.hold.set', { ...dates, days: holdLength(result.hold), moved: result.movedReviews }));
}

async function cancel(ctx: CommandContext): Promise<Reply[]> {
  const today = todayOf(ctx);
  const hold = await ctx.services.stores.care.cancelHold(ctx.member.id, today);
  if (!hold) return say(ctx.t('care.hold.nothing_to_cancel'));
  const change = cancelledHold(hold, today);
  if (change === 'delete' || change === 'keep') {
    return say(
      ctx.t('care.hold.cancelled', {
        from: longDate(hold.startDate, ctx.locale),
        to: longDate(hold.endDate, ctx.locale),
      }),
    );
  }
  return say(ctx.t('care.hold.ended', { end: longDate(change.endDate, ctx.locale) }));
}
