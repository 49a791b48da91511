/**
 * Trilha's commands as Discord application commands, built from the one command set (src/commands/) so the two can
 * never drift: `/trilha <subcommand>` with typed options for every command anyone may run, and one more top-level
 * command per admin-only command (`/trilha-canal`), because Discord's `default_member_permissions` applies to a whole
 * command, not to a subcommand: Manage Server is asked of the member by Discord itself and checked again at run time.
 *
 * Names and descriptions are English by default with pt-BR `name_localizations`/`description_localizations`
 * (Discord shows the member's client language). Where a value is one of a fixed few, the option has choices; lessons,
 * cohorts, time zones and setting values are autocompleted (`autocomplete.ts`).
 *
 * On the way back an interaction becomes the same text a member would type after `/trilha` in Slack or the terminal
 * (`commandText`): the subcommand's English name, then the option values in the order the command's parser reads
 * them, so the dispatcher and every command stay platform-neutral.
 */
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Curriculum } from '../../core/curriculum.ts';
import type { Locale, Localized } from '../../core/locale.ts';
import { truncate } from '../../core/message.ts';
import type { MessageKey } from '../../i18n/catalog.ts';
import { translator } from '../../i18n/translator.ts';
import type { CommandDefinition } from '../../runtime/command.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
type AnyCommand = CommandDefinition<any>;

/** The root command's name on Discord (the same in every language, as `/trilha` is on Slack). */
export const rootName = 'trilha';

/** Discord's limits for application commands (docs: application-commands, "Application Command Naming"). */
export const commandLimits = {
  name: 32,
  description: 100,
  options: 25,
  choices: 25,
  choiceName: 100,
  totalChars: 8000,
};

/** What fills an option's autocomplete list. */
export type Suggestions = 'lessons' | 'cohorts' | 'zones' | 'setting-value';

/** One option of a subcommand, in the order the command's parser reads its words. */
export interface OptionSpec {
  /** The option's English name (its key in an interaction). */
  readonly name: string;
  readonly ptName: string;
  readonly description: MessageKey;
  /** `user`: a member picker, sent on as a mention (`<@id>`), which the commands resolve. */
  readonly type?: 'string' | 'user';
  readonly required?: boolean;
  /** Fixed values: the English word the command's parser reads, and its label. `tracks`/`commands`: built. */
  readonly choices?: readonly { readonly value: string; readonly label: MessageKey }[] | 'tracks' | 'commands';
  readonly autocomplete?: Suggestions;
  readonly maxLength?: number;
}

const choice = (value: string, label: MessageKey) => ({ value, label });

/** The options of each command, by command id; a command not listed takes none. */
export const optionSpecs: Readonly<Record<string, readonly OptionSpec[]>> = {
  next: [{ name: 'track', ptName: 'trilha', description: 'discord.option.track', choices: 'tracks' }],
  ask: [
    {
      name: 'question',
      ptName: 'pergunta',
      description: 'discord.option.question',
      required: true,
      autocomplete: 'lessons',
      maxLength: 300,
    },
  ],
  progress: [{ name: 'member', ptName: 'pessoa', description: 'discord.option.member', type: 'user' }],
  leaderboard: [
    {
      name: 'period',
      ptName: 'periodo',
      description: 'discord.option.period',
      choices: [choice('week', 'discord.choice.week'), choice('all', 'discord.choice.all')],
    },
    { name: 'cohort', ptName: 'turma', description: 'discord.option.cohort', autocomplete: 'cohorts', maxLength: 64 },
    // A past season: an ISO week (`2026-W47`) or `last`; the parser reads the words in any order.
    { name: 'season', ptName: 'temporada', description: 'seasons.option.season', maxLength: 16 },
  ],
  visibility: [
    {
      name: 'visibility',
      ptName: 'visibilidade',
      description: 'seasons.option.visibility',
      choices: [
        choice('show', 'seasons.choice.shown'),
        choice('anonymous', 'seasons.choice.anonymous'),
        choice('hidden', 'seasons.choice.hidden'),
      ],
    },
  ],
  cohort: [
    {
      name: 'action',
      ptName: 'acao',
      description: 'discord.option.cohort_action',
      required: true,
      choices: [
        choice('list', 'discord.choice.list'),
        choice('join', 'discord.choice.join'),
        choice('leave', 'discord.choice.leave'),
        choice('create', 'discord.choice.create'),
        choice('pause', 'discord.choice.pause'),
        choice('resume', 'discord.choice.resume'),
        choice('start', 'discord.choice.start'),
      ],
    },
    {
      name: 'cohort',
      ptName: 'turma',
      description: 'discord.option.cohort_name',
      autocomplete: 'cohorts',
      maxLength: 64,
    },
    { name: 'title', ptName: 'titulo', description: 'discord.option.cohort_title', maxLength: 80 },
    { name: 'zone', ptName: 'fuso', description: 'discord.option.cohort_zone', autocomplete: 'zones', maxLength: 64 },
    { name: 'date', ptName: 'data', description: 'members.option.cohort_date', maxLength: 10 },
  ],
  language: [
    {
      name: 'language',
      ptName: 'idioma',
      description: 'discord.option.language',
      choices: [
        choice('pt-BR', 'discord.choice.pt-BR'),
        choice('en', 'discord.choice.en'),
        choice('default', 'discord.choice.default'),
      ],
    },
  ],
  timezone: [
    { name: 'zone', ptName: 'fuso', description: 'discord.option.zone', autocomplete: 'zones', maxLength: 64 },
  ],
  'my-data': [
    {
      name: 'action',
      ptName: 'acao',
      description: 'discord.option.data_action',
      choices: [
        choice('show', 'discord.choice.show'),
        choice('export', 'members.choice.export'),
        choice('anki', 'members.choice.anki'),
        choice('delete', 'discord.choice.delete'),
      ],
    },
  ],
  link: [{ name: 'code', ptName: 'codigo', description: 'members.option.link_code', maxLength: 20 }],
  vacation: [
    { name: 'from', ptName: 'inicio', description: 'care.option.hold_from', maxLength: 10 },
    { name: 'to', ptName: 'fim', description: 'care.option.hold_to', maxLength: 10 },
  ],
  nudge: [
    { name: 'hour', ptName: 'hora', description: 'care.option.nudge_hour', maxLength: 10 },
    { name: 'quiet', ptName: 'silencio', description: 'care.option.nudge_quiet', maxLength: 13 },
  ],
  help: [{ name: 'command', ptName: 'comando', description: 'discord.option.command', choices: 'commands' }],
  channel: [
    {
      name: 'setting',
      ptName: 'ajuste',
      description: 'discord.option.setting',
      choices: (
        ['show', 'track', 'time', 'zone', 'days', 'start', 'pause', 'resume', 'close', 'language'] as const
      ).map((value) => choice(value, `discord.choice.${value}`)),
    },
    {
      name: 'value',
      ptName: 'valor',
      description: 'discord.option.value',
      autocomplete: 'setting-value',
      maxLength: 200,
    },
  ],
  report: [
    {
      name: 'kind',
      ptName: 'tipo',
      description: 'reports.option.kind',
      choices: [choice('summary', 'reports.choice.summary'), choice('members', 'reports.choice.members')],
    },
    { name: 'cohort', ptName: 'turma', description: 'reports.option.cohort', autocomplete: 'cohorts', maxLength: 64 },
  ],
};

/** The top-level name of an admin-only command: `trilha-channel`, localized `trilha-canal`. */
export function adminCommandName(command: AnyCommand, locale: Locale): string {
  return `${rootName}-${command.names[locale]}`;
}

/**
 * The application commands to register: `/trilha` with a subcommand per command anyone may run, and one top-level
 * command per admin-only command, with Manage Server as its default permission.
 */
export function applicationCommands(
  commands: readonly AnyCommand[],
  curriculum: Curriculum,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const pt = translator('pt-BR').t;
  const en = translator('en').t;
  const open = commands.filter((command) => !command.adminOnly);
  const root: RESTPostAPIChatInputApplicationCommandsJSONBody = {
    type: ApplicationCommandType.ChatInput,
    name: rootName,
    description: description(en('discord.root.description')),
    description_localizations: { 'pt-BR': description(pt('discord.root.description')) },
    contexts: [InteractionContextType.Guild],
    options: open.map((command) => subcommand(command, commands, curriculum)),
  };
  const admin = commands
    .filter((command) => command.adminOnly)
    .map(
      (command): RESTPostAPIChatInputApplicationCommandsJSONBody => ({
        type: ApplicationCommandType.ChatInput,
        name: discordName(adminCommandName(command, 'en')),
        name_localizations: { 'pt-BR': discordName(adminCommandName(command, 'pt-BR')) },
        description: description(en('discord.admin.description')),
        description_localizations: { 'pt-BR': description(pt('discord.admin.description')) },
        // A bitfield serialized as a string, as Discord's application-commands docs say; the OpenAPI spec's `integer`
        // is wrong here (a permission bitfield outgrows 2^53).
        default_member_permissions: String(PermissionFlagsBits.ManageGuild),
        contexts: [InteractionContextType.Guild],
        options: options(command, commands, curriculum),
      }),
    );
  return [root, ...admin];
}

function subcommand(
  command: AnyCommand,
  commands: readonly AnyCommand[],
  curriculum: Curriculum,
): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: discordName(command.names.en),
    name_localizations: { 'pt-BR': discordName(command.names['pt-BR']) },
    description: description(command.summary.en),
    description_localizations: { 'pt-BR': description(command.summary['pt-BR']) },
    options: options(command, commands, curriculum),
  };
}

function options(
  command: AnyCommand,
  commands: readonly AnyCommand[],
  curriculum: Curriculum,
): APIApplicationCommandBasicOption[] {
  const pt = translator('pt-BR').t;
  const en = translator('en').t;
  return (optionSpecs[command.id] ?? []).map((spec): APIApplicationCommandBasicOption => {
    const base = {
      name: discordName(spec.name),
      name_localizations: { 'pt-BR': discordName(spec.ptName) },
      description: description(en(spec.description)),
      description_localizations: { 'pt-BR': description(pt(spec.description)) },
      required: spec.required ?? false,
    };
    if (spec.type === 'user') return { ...base, type: ApplicationCommandOptionType.User };
    const choices = choicesOf(spec, commands, curriculum);
    return {
      ...base,
      type: ApplicationCommandOptionType.String,
      ...(spec.maxLength ? { max_length: spec.maxLength } : {}),
      ...(choices
        ? { choices: choices.slice(0, commandLimits.choices) }
        : spec.autocomplete
          ? { autocomplete: true }
          : {}),
    };
  });
}

function choicesOf(
  spec: OptionSpec,
  commands: readonly AnyCommand[],
  curriculum: Curriculum,
): { name: string; name_localizations: { 'pt-BR': string }; value: string }[] | undefined {
  const named = (value: string, labels: Localized) => ({
    name: truncate(labels.en, commandLimits.choiceName),
    name_localizations: { 'pt-BR': truncate(labels['pt-BR'], commandLimits.choiceName) },
    value,
  });
  if (spec.choices === 'tracks') return curriculum.tracks.map((track) => named(track.id, track.title));
  if (spec.choices === 'commands') return commands.map((command) => named(command.names.en, command.names));
  if (!spec.choices) return undefined;
  const pt = translator('pt-BR').t;
  const en = translator('en').t;
  return spec.choices.map((c) => named(c.value, { 'pt-BR': pt(c.label), en: en(c.label) }));
}

/** Discord's names: lower case, no spaces, at most 32 characters; ours already are, this keeps them so. */
function discordName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-_'\p{L}\p{N}]/gu, '-')
    .slice(0, commandLimits.name);
}

function description(text: string): string {
  return truncate(text.replace(/[`*_]/g, ''), commandLimits.description);
}

/** One option as an interaction gives it: its name and value (a string, or a user id for a `user` option). */
export interface GivenOption {
  readonly name: string;
  readonly value: string | number | boolean | undefined;
}

/**
 * The command line a member would type for this interaction: the command's English name, then each given option's
 * value in the parser's order (a user as a mention). Unknown options are ignored: Discord sends only registered ones.
 */
export function commandText(command: AnyCommand, given: readonly GivenOption[]): string {
  const words = [command.names.en];
  for (const spec of optionSpecs[command.id] ?? []) {
    const value = given.find((option) => option.name === spec.name)?.value;
    if (value === undefined || value === '') continue;
    const word = String(value).replace(/\s+/g, ' ').trim();
    words.push(spec.type === 'user' ? `<@${word}>` : word);
  }
  return words.join(' ');
}

/** The command an interaction names: the subcommand of `/trilha`, or an admin command's own name. */
export function commandOf(
  commands: readonly AnyCommand[],
  commandName: string,
  subcommand: string | null,
): AnyCommand | undefined {
  if (commandName === rootName) {
    return subcommand ? commands.find((c) => !c.adminOnly && discordName(c.names.en) === subcommand) : undefined;
  }
  return commands.find((c) => c.adminOnly && discordName(adminCommandName(c, 'en')) === commandName);
}
