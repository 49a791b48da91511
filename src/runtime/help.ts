import type { Locale } from '../core/locale.ts';
import { context, type Message, text } from '../core/message.ts';
import type { Translator } from '../i18n/translator.ts';
import { type CommandDefinition, fold } from './command.ts';

/** The root command on every platform: `/trilha hoje`. */
export const rootCommand = '/trilha';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
type AnyCommand = CommandDefinition<any>;

/** The command a word names: its name in either language or an alias, ignoring case and accents. */
export function findCommand(commands: readonly AnyCommand[], word: string): AnyCommand | undefined {
  const wanted = fold(word.replace(/^\//, ''));
  return commands.find(
    (command) =>
      fold(command.id) === wanted ||
      Object.values(command.names).some((name) => fold(name) === wanted) ||
      command.aliases.some((alias) => fold(alias) === wanted),
  );
}

/** Every command, one line each, in the member's language. */
export function helpList(commands: readonly AnyCommand[], locale: Locale, t: Translator['t']): Message {
  const lines = commands.map((command) => `- \`${usageLine(command, locale)}\`: ${command.summary[locale]}`);
  return {
    headline: t('common.help.headline'),
    blocks: [
      text(t('common.help.intro', { root: rootCommand })),
      text(lines.join('\n')),
      context(t('common.help.more', { root: rootCommand })),
    ],
  };
}

/** One command: what it does, how to call it, its other names, examples. */
export function commandHelp(command: AnyCommand, locale: Locale, t: Translator['t']): Message {
  const other: Locale = locale === 'pt-BR' ? 'en' : 'pt-BR';
  const names = [command.names[other], ...command.aliases].filter((name) => name !== command.names[locale]);
  const examples = command.examples[locale].map((example) => `- \`${rootCommand} ${example}\``);
  const blocks = [
    text(command.summary[locale]),
    text(t('common.help.usage', { usage: `\`${usageLine(command, locale)}\`` })),
  ];
  if (examples.length > 0) blocks.push(text(`${t('common.help.examples')}\n${examples.join('\n')}`));
  if (names.length > 0) blocks.push(context(t('common.help.aliases', { names: [...new Set(names)].join(', ') })));
  if (command.adminOnly) blocks.push(context(t('common.help.admin_only')));
  return { headline: `${rootCommand} ${command.names[locale]}`, blocks };
}

function usageLine(command: AnyCommand, locale: Locale): string {
  return `${rootCommand} ${command.names[locale]}${command.usage[locale] ? ` ${command.usage[locale]}` : ''}`;
}
