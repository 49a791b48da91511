import { z } from 'zod';
import { formatQuietHours, nudgeNeverComes, parseNudgeHour, parseQuietHours } from '../../core/care.ts';
import { context, privately, type Reply, text } from '../../core/message.ts';
import type { NudgeSettings } from '../../core/ports/care.port.ts';
import { type CommandContext, defineCommand, keywords } from '../../runtime/command.ts';
import { todayOf } from './care-format.ts';

const word = keywords({
  off: ['desligar', 'parar', 'desativar', 'off', 'stop', 'disable'],
  quiet: ['silencio', 'quiet', 'silent', 'nao-perturbe'],
  none: ['nenhum', 'sem', 'none', 'clear'],
});

/** What was typed: an hour (or off), quiet hours (or none to clear them); nothing = show the settings. */
interface NudgeWords {
  hour?: number | string;
  off: boolean;
  /** `HH:MM-HH:MM`, null to clear, or what was typed when it is not a range (zod rejects it). */
  quiet?: string | null;
  unknown: string[];
}

export default defineCommand({
  id: 'nudge',
  names: { 'pt-BR': 'lembrete', en: 'nudge' },
  aliases: ['lembretes', 'nudges', 'reminder', 'reminders'],
  summary: {
    'pt-BR': 'Lembrete diário por mensagem direta quando há revisões ou quiz do dia esperando (opcional).',
    en: 'An opt-in daily direct message when reviews or today’s quiz are waiting for you.',
  },
  usage: {
    'pt-BR': '[hora | desligar] [silencio HH:MM-HH:MM | silencio nenhum]',
    en: '[hour | off] [quiet HH:MM-HH:MM | quiet none]',
  },
  examples: {
    'pt-BR': ['lembrete 18', 'lembrete silencio 22:00-07:00', 'lembrete desligar', 'lembrete'],
    en: ['nudge 18', 'nudge quiet 22:00-07:00', 'nudge off', 'nudge'],
  },
  parse: (words): NudgeWords => {
    const parsed: NudgeWords = { off: false, unknown: [] };
    for (let i = 0; i < words.length; i++) {
      const typed = words[i] ?? '';
      const canonical = word(typed);
      if (canonical === 'off') parsed.off = true;
      else if (canonical === 'none') parsed.quiet = null;
      else if (canonical === 'quiet') {
        const next = words[++i];
        parsed.quiet = next === undefined ? '' : word(next) === 'none' ? null : quietOf(next);
      } else if (typed.includes('-') || typed.includes('–')) parsed.quiet = quietOf(typed);
      else if (parsed.hour === undefined) parsed.hour = parseNudgeHour(typed) ?? typed;
      else parsed.unknown.push(typed);
    }
    return parsed;
  },
  args: z
    .object({
      hour: z.number().int().min(0).max(23).optional(),
      off: z.boolean(),
      quiet: z
        .string()
        .refine((value) => parseQuietHours(value) !== null)
        .nullable()
        .optional(),
      unknown: z.array(z.string()).max(0),
    })
    .refine((args) => !(args.off && args.hour !== undefined)),
  async handler(ctx, args) {
    const { care } = ctx.services.stores;
    const changes: { -readonly [K in keyof NudgeSettings]?: NudgeSettings[K] } = {};
    if (args.off) changes.nudgeHour = null;
    else if (args.hour !== undefined) changes.nudgeHour = args.hour;
    if (args.quiet !== undefined) changes.quietHours = args.quiet;
    if (Object.keys(changes).length === 0) {
      const settings = await care.memberCare(ctx.member.id, todayOf(ctx));
      return reply(ctx, status(ctx, settings));
    }
    const settings = await care.setNudge(ctx.member.id, changes);
    const lines: string[] = [];
    if (changes.nudgeHour === null) lines.push(ctx.t('care.nudge.off'));
    else if (changes.nudgeHour !== undefined) {
      lines.push(ctx.t('care.nudge.on', { hour: changes.nudgeHour, zone: ctx.timeZone }));
    }
    if (changes.quietHours !== undefined) {
      lines.push(
        changes.quietHours === null
          ? ctx.t('care.nudge.quiet_cleared')
          : ctx.t('care.nudge.quiet_set', { quiet: changes.quietHours, zone: ctx.timeZone }),
      );
    }
    const quiet = settings.quietHours ? parseQuietHours(settings.quietHours) : null;
    if (settings.nudgeHour !== null && nudgeNeverComes(settings.nudgeHour, quiet)) {
      lines.push(ctx.t('care.nudge.never', { hour: settings.nudgeHour, quiet: settings.quietHours ?? '' }));
    }
    return reply(ctx, lines);
  },
});

/** `22-7`, `22h-7h`, `22:00–07:00` as the stored `HH:MM-HH:MM`; what was typed when it is not a range. */
function quietOf(typed: string): string {
  const quiet = parseQuietHours(typed);
  return quiet ? formatQuietHours(quiet) : typed;
}

function status(ctx: CommandContext, settings: NudgeSettings): string[] {
  return [
    settings.nudgeHour === null
      ? ctx.t('care.nudge.status_off')
      : ctx.t('care.nudge.status_on', { hour: settings.nudgeHour, zone: ctx.timeZone }),
    settings.quietHours
      ? ctx.t('care.nudge.status_quiet', { quiet: settings.quietHours })
      : ctx.t('care.nudge.status_no_quiet'),
  ];
}

function reply(ctx: CommandContext, lines: readonly string[]): Reply[] {
  return [privately({ blocks: [text(lines.join('\n')), context(ctx.t('care.nudge.help'))] })];
}
