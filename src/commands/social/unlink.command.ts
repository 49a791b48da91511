/**
 * `desvincular` / `unlink`: the same as `vincular desligar` / `link off`, under the name people look for. The account
 * gets a fresh member of its own; everything already earned stays with the member it leaves (link.command.ts).
 */
import { z } from 'zod';
import { defineCommand } from '../../runtime/command.ts';
import { unlinkAccount } from './link.command.ts';

export default defineCommand({
  id: 'unlink',
  names: { 'pt-BR': 'desvincular', en: 'unlink' },
  aliases: ['desligar-conta'],
  summary: {
    'pt-BR': 'Desliga esta conta das suas outras plataformas; o que você conquistou fica onde está.',
    en: 'Unlinks this account from your other platforms; what you earned stays where it is.',
  },
  usage: { 'pt-BR': '', en: '' },
  examples: { 'pt-BR': ['desvincular'], en: ['unlink'] },
  parse: (words) => ({ extra: words }),
  args: z.object({ extra: z.array(z.string()).max(0) }),
  handler: (ctx) => unlinkAccount(ctx),
});
