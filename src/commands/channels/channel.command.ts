/**
 * `canal` / `channel` (admins): shows or changes the daily-drop settings of the channel where it is typed. The first
 * setting typed in a channel Trilha does not know sets it up with sensible defaults (the first track, 09:00 in the
 * workspace's zone, Monday to Friday, starting today, in the workspace's language) and creates its default cohort.
 * Replies are private, as Slack apps answer settings commands: the channel is not spammed with configuration.
 */
import { DateTime, Info } from 'luxon';
import { z } from 'zod';
import { localDateOf } from '../../core/calendar.ts';
import { type DropSchedule, dropScheduleMessages, dropScheduleSchema, nextDrop } from '../../core/drop-schedule.ts';
import type { Locale } from '../../core/locale.ts';
import {
  type Block,
  context,
  type Message,
  privately,
  type Reply,
  safeText,
  text,
  truncate,
} from '../../core/message.ts';
import type { ChannelSettingsUpdate } from '../../core/ports/drops.port.ts';
import type { ChannelRecord } from '../../core/ports/members.port.ts';
import type { MessageKey } from '../../i18n/catalog.ts';
import { type CommandContext, defineCommand, fold, keywords, UserError } from '../../runtime/command.ts';
import { commandHelp } from '../../runtime/help.ts';

const settings = ['show', 'track', 'time', 'zone', 'days', 'start', 'pause', 'resume', 'close', 'language'] as const;
type Setting = (typeof settings)[number];
const withoutValue: readonly Setting[] = ['show', 'pause', 'resume'];

const settingWord = keywords({
  show: ['mostrar', 'ver', 'status'],
  track: ['trilha', 'curso'],
  time: ['horario', 'hora', 'hour'],
  zone: ['fuso', 'fuso-horario', 'timezone', 'tz'],
  days: ['dias', 'dia', 'weekdays', 'day'],
  start: ['inicio', 'comeco', 'começo', 'start-date'],
  pause: ['pausar', 'pausa', 'parar', 'stop'],
  resume: ['retomar', 'continuar', 'ativar', 'unpause'],
  close: ['fechar', 'fechamento', 'close-after'],
  language: ['idioma', 'lingua', 'lang', 'locale'],
});

/** A week at most: a quiz open longer than that would overlap a whole week of drops. */
const maxCloseMinutes = 7 * 24 * 60;

const dayWords: Record<string, number> = {
  seg: 1,
  segunda: 1,
  'segunda-feira': 1,
  mon: 1,
  monday: 1,
  ter: 2,
  terca: 2,
  'terca-feira': 2,
  tue: 2,
  tues: 2,
  tuesday: 2,
  qua: 3,
  quarta: 3,
  'quarta-feira': 3,
  wed: 3,
  wednesday: 3,
  qui: 4,
  quinta: 4,
  'quinta-feira': 4,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  sex: 5,
  sexta: 5,
  'sexta-feira': 5,
  fri: 5,
  friday: 5,
  sab: 6,
  sabado: 6,
  sat: 6,
  saturday: 6,
  dom: 7,
  domingo: 7,
  sun: 7,
  sunday: 7,
};

const dayGroups: Record<string, readonly number[]> = {
  'dias-uteis': [1, 2, 3, 4, 5],
  uteis: [1, 2, 3, 4, 5],
  weekdays: [1, 2, 3, 4, 5],
  'week-days': [1, 2, 3, 4, 5],
  workdays: [1, 2, 3, 4, 5],
  todos: [1, 2, 3, 4, 5, 6, 7],
  'todos-os-dias': [1, 2, 3, 4, 5, 6, 7],
  'todo-dia': [1, 2, 3, 4, 5, 6, 7],
  'every-day': [1, 2, 3, 4, 5, 6, 7],
  everyday: [1, 2, 3, 4, 5, 6, 7],
  daily: [1, 2, 3, 4, 5, 6, 7],
  'fim-de-semana': [6, 7],
  weekend: [6, 7],
};

const languageWords = keywords<Locale>({
  'pt-BR': ['pt', 'pt-br', 'pt_br', 'portugues', 'portuguese'],
  en: ['en-us', 'en-gb', 'english', 'ingles'],
});

const autoWords = new Set(['auto', 'automatico', 'proxima', 'next', 'padrao', 'default']);
const todayWords = new Set(['hoje', 'today']);

/** One change and how to confirm it, or the message key of what is wrong with the value. */
type Change =
  | { readonly ok: true; readonly update: ChannelSettingsUpdate; readonly saved: string }
  | { readonly ok: false; readonly error: string };

const command = defineCommand({
  id: 'channel',
  names: { 'pt-BR': 'canal', en: 'channel' },
  aliases: ['canais', 'channels'],
  summary: {
    'pt-BR': 'Mostra ou muda as lições diárias deste canal: trilha, horário, fuso, dias, fechamento do quiz.',
    en: "Shows or changes this channel's daily lessons: track, time, zone, days, quiz close.",
  },
  usage: {
    'pt-BR':
      '[trilha <id> | horario HH:MM | fuso <zona> | dias <lista> | inicio AAAA-MM-DD | pausar | retomar | fechar <minutos>|auto | idioma pt-BR|en]',
    en: '[track <id> | time HH:MM | zone <zone> | days <list> | start YYYY-MM-DD | pause | resume | close <minutes>|auto | language pt-BR|en]',
  },
  examples: {
    'pt-BR': ['canal', 'canal horario 09:30', 'canal dias seg,qua,sex', 'canal fuso America/Recife', 'canal fechar 60'],
    en: ['channel', 'channel time 09:30', 'channel days mon,wed,fri', 'channel zone Europe/Lisbon', 'channel close 60'],
  },
  adminOnly: true,
  parse: (words) =>
    words.length === 0
      ? { setting: 'show', value: '' }
      : { setting: settingWord(words[0]), value: words.slice(1).join(' ') },
  args: z
    .object({ setting: z.enum(settings), value: z.string().trim().max(200) })
    .refine((args) => withoutValue.includes(args.setting) === (args.value === ''), {
      error: 'this setting takes a value, or none',
    }),
  async handler(ctx, { setting, value }) {
    const where = ctx.request.channel;
    if (!where) throw new UserError(ctx.t('channels.command.dm'));
    const tracks = ctx.services.curriculum.tracks;
    const firstTrack = tracks[0];
    if (!firstTrack) throw new UserError(ctx.t('channels.error.no_tracks'));
    const { drops } = ctx.services.stores;

    if (setting === 'show') {
      if (ctx.channel) return [privately(await settingsView(ctx, ctx.channel))];
      return [
        privately({
          headline: ctx.t('channels.command.not_set_up_headline'),
          blocks: [
            text(
              ctx.t('channels.command.not_set_up', {
                track: firstTrack.title[ctx.locale],
                zone: ctx.workspace.timeZone,
                language: ctx.t(`channels.language.${ctx.workspace.defaultLocale}`),
              }),
            ),
            context(ctx.t('channels.settings.how')),
          ],
        }),
      ];
    }

    const defaultZone = ctx.channel?.timeZone ?? ctx.workspace.timeZone;
    const change = changeFor(ctx, setting, value, defaultZone);
    if (!change.ok) return [withHelp(ctx, change.error)];

    // The whole schedule is checked as it would be stored, with core/drop-schedule's own rules and messages.
    const base: DropSchedule = ctx.channel ?? {
      dropTime: '09:00',
      timeZone: ctx.workspace.timeZone,
      weekdays: [1, 2, 3, 4, 5],
      startDate: localDateOf(ctx.now, change.update.timeZone ?? ctx.workspace.timeZone),
      paused: false,
    };
    const checked = dropScheduleSchema.safeParse({
      dropTime: change.update.dropTime ?? base.dropTime,
      timeZone: change.update.timeZone ?? base.timeZone,
      weekdays: change.update.weekdays ?? base.weekdays,
      startDate: change.update.startDate ?? base.startDate,
      paused: change.update.paused ?? base.paused,
    });
    if (!checked.success) {
      const messages = checked.error.issues.map((issue) => scheduleMessage(ctx, issue.message));
      return [withHelp(ctx, [...new Set(messages)].join('\n'))];
    }

    let channel = ctx.channel;
    const blocks: Block[] = [];
    if (!channel) {
      channel = await drops.ensureChannel({
        workspaceId: ctx.workspace.id,
        externalId: where.externalId,
        name: where.name,
        trackId: change.update.trackId ?? firstTrack.id,
        locale: change.update.locale ?? ctx.workspace.defaultLocale,
        timeZone: checked.data.timeZone,
        dropTime: checked.data.dropTime,
        weekdays: checked.data.weekdays,
        startDate: checked.data.startDate,
      });
      blocks.push(text(ctx.t('channels.saved.set_up')));
    }
    channel = await drops.updateChannel(channel.id, change.update);
    blocks.push(text(change.saved));
    const view = await settingsView(ctx, channel);
    return [privately({ headline: view.headline, blocks: [...blocks, ...view.blocks] })];
  },
});

export default command;

function changeFor(ctx: CommandContext, setting: Exclude<Setting, 'show'>, value: string, zone: string): Change {
  const { t } = ctx;
  switch (setting) {
    case 'track': {
      const track = ctx.services.curriculum.tracks.find((candidate) => fold(candidate.id) === fold(value));
      if (!track) {
        return {
          ok: false,
          error: t('channels.error.track', {
            typed: safeText(truncate(value, 40)),
            tracks: ctx.services.curriculum.tracks.map((candidate) => `\`${candidate.id}\``).join(', '),
          }),
        };
      }
      return {
        ok: true,
        update: { trackId: track.id },
        saved: t('channels.saved.track', { track: track.title[ctx.locale] }),
      };
    }
    case 'time': {
      // 9:30 and 9h30 are how people write times; the schedule stores HH:MM.
      const match = /^(\d{1,2})[:h](\d{2})$/i.exec(value) ?? /^(\d{1,2})h$/i.exec(value);
      const dropTime = match ? `${match[1]?.padStart(2, '0')}:${match[2] ?? '00'}` : value;
      return { ok: true, update: { dropTime }, saved: t('channels.saved.time', { time: dropTime }) };
    }
    case 'zone': {
      const timeZone = canonicalZone(value);
      return { ok: true, update: { timeZone }, saved: t('channels.saved.zone', { zone: timeZone }) };
    }
    case 'days': {
      const days = parseDays(value);
      if (days === null) return { ok: false, error: t('channels.error.weekday') };
      const weekdays = [...days].sort((a, b) => a - b);
      return {
        ok: true,
        update: { weekdays },
        saved: t('channels.saved.days', { days: dayNames(weekdays, ctx.locale) }),
      };
    }
    case 'start': {
      const startDate = todayWords.has(fold(value)) ? localDateOf(ctx.now, zone) : value;
      return { ok: true, update: { startDate }, saved: t('channels.saved.start', { date: startDate }) };
    }
    case 'pause':
      return { ok: true, update: { paused: true }, saved: t('channels.saved.pause') };
    case 'resume':
      return { ok: true, update: { paused: false }, saved: t('channels.saved.resume') };
    case 'close': {
      if (autoWords.has(fold(value))) {
        return { ok: true, update: { quizCloseMinutes: null }, saved: t('channels.saved.close_auto') };
      }
      const minutes = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
      if (!(minutes >= 1 && minutes <= maxCloseMinutes)) return { ok: false, error: t('channels.error.close') };
      return {
        ok: true,
        update: { quizCloseMinutes: minutes },
        saved: t('channels.saved.close_minutes', { minutes }),
      };
    }
    case 'language': {
      const locale = languageWords(value);
      if (locale !== 'pt-BR' && locale !== 'en') return { ok: false, error: t('channels.error.language') };
      return {
        ok: true,
        update: { locale },
        saved: t('channels.saved.language', { language: t(`channels.language.${locale}`) }),
      };
    }
  }
}

/**
 * Weekdays from what an admin typed: names or numbers separated by commas or spaces (`seg,qua,sex`, `1 3 5`), ranges
 * (`seg-sex`, `1-5`, `sex-seg` wraps around the week), or a group (`dias-uteis`, `todos`, `weekend`). Repeated days
 * are kept, so the schedule's own check can say so; null when a word is not a day.
 */
export function parseDays(value: string): number[] | null {
  const folded = fold(value);
  const group = dayGroups[folded.replace(/\s+/g, '-')];
  if (group) return [...group];
  const days: number[] = [];
  for (const word of folded.split(/[\s,;]+/).filter(Boolean)) {
    const range = /^([a-z0-9]+)-([a-z0-9]+)$/.exec(word);
    const single = dayGroups[word] ?? (dayOf(word) === null ? null : [dayOf(word) as number]);
    if (single) {
      days.push(...single);
    } else if (range) {
      const from = dayOf(range[1] ?? '');
      const to = dayOf(range[2] ?? '');
      if (from === null || to === null) return null;
      for (let day = from, n = 0; n < 7; n++, day = (day % 7) + 1) {
        days.push(day);
        if (day === to) break;
      }
    } else {
      return null;
    }
  }
  return days;
}

/** A day name, or a number (out-of-range numbers are kept for the schedule's check to name). */
function dayOf(word: string): number | null {
  if (/^\d{1,2}$/.test(word)) return Number(word);
  return dayWords[word] ?? null;
}

/** The zone's canonical spelling (`america/sao_paulo` → `America/Sao_Paulo`); unknown zones are left as typed. */
function canonicalZone(value: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return value;
  }
}

function dayNames(weekdays: readonly number[], locale: Locale): string {
  const names = Info.weekdays('short', { locale });
  return [...weekdays]
    .sort((a, b) => a - b)
    .map((day) => names[day - 1] ?? String(day))
    .join(', ');
}

/** The member's message for one of core/drop-schedule's schedule messages (matched by value, translated by key). */
function scheduleMessage(ctx: CommandContext, message: string): string {
  const entry = Object.entries(dropScheduleMessages).find(([, english]) => english === message);
  return entry ? ctx.t(`channels.error.${entry[0]}` as MessageKey) : ctx.t('channels.error.weekday');
}

function withHelp(ctx: CommandContext, problem: string): Reply {
  const help = commandHelp(command, ctx.locale, ctx.t);
  return privately({ headline: help.headline, blocks: [text(problem), ...help.blocks] });
}

async function settingsView(ctx: CommandContext, channel: ChannelRecord): Promise<Message> {
  const { t, locale } = ctx;
  const track = ctx.services.curriculum.track(channel.trackId);
  const posted = await ctx.services.stores.drops.countPostedDrops(channel.id, channel.trackId);
  const lines = [
    t('channels.settings.track', {
      track: track?.title[locale] ?? channel.trackId,
      id: channel.trackId,
      posted,
      count: track?.lessons.length ?? 0,
    }),
    t('channels.settings.time', { time: channel.dropTime, zone: channel.timeZone }),
    t('channels.settings.days', { days: dayNames(channel.weekdays, locale) }),
    t('channels.settings.start', { date: channel.startDate }),
    channel.quizCloseMinutes === null
      ? t('channels.settings.close_auto')
      : t('channels.settings.close_minutes', { minutes: channel.quizCloseMinutes }),
    t('channels.settings.language', { language: t(`channels.language.${channel.locale}`) }),
  ];
  let status: string;
  if (channel.trackCompletedAt || (track && posted >= track.lessons.length)) {
    status = t('channels.settings.complete');
  } else if (channel.paused) {
    status = t('channels.settings.paused');
  } else {
    const next = nextDrop(channel, ctx.now);
    status = next ? t('channels.settings.next', { when: formatWhen(next.at, channel.timeZone, locale) }) : '';
  }
  const blocks: Block[] = [text(lines.join('\n'))];
  if (status) blocks.push(text(status));
  blocks.push(context(t('channels.settings.how')));
  return { headline: t('channels.settings.headline'), blocks };
}

/** `terça-feira, 1 de dezembro às 09:00 (America/Sao_Paulo)`: in the channel's zone, in the member's language. */
function formatWhen(at: Date, zone: string, locale: Locale): string {
  const local = DateTime.fromJSDate(at, { zone }).setLocale(locale);
  return `${local.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' })} (${zone})`;
}
