import { z } from 'zod';
import { privately, text } from '../core/message.ts';
import { defineCommand } from '../runtime/command.ts';
import { commandHelp, findCommand, helpList } from '../runtime/help.ts';

export default defineCommand({
  id: 'help',
  names: { 'pt-BR': 'ajuda', en: 'help' },
  aliases: ['?', 'comandos', 'commands'],
  summary: { 'pt-BR': 'Lista os comandos ou explica um deles.', en: 'Lists the commands or explains one.' },
  usage: { 'pt-BR': '[comando]', en: '[command]' },
  examples: { 'pt-BR': ['ajuda', 'ajuda ranking'], en: ['help', 'help leaderboard'] },
  parse: (words) => ({ command: words[0] }),
  args: z.object({ command: z.string().max(40).optional() }),
  async handler(ctx, { command: name }) {
    const all = ctx.commands;
    if (!name) return [privately(helpList(all, ctx.locale, ctx.t))];
    const command = findCommand(all, name);
    if (!command) {
      return [
        privately({
          blocks: [text(ctx.t('common.unknown_command', { name })), ...helpList(all, ctx.locale, ctx.t).blocks],
        }),
      ];
    }
    return [privately(commandHelp(command, ctx.locale, ctx.t))];
  },
});
