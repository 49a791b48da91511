/**
 * The command set, defined once for every platform: an explicit list (no file globbing), in the order help shows it.
 * Each area folder owns its commands and the button actions they create.
 */
import type { CommandDefinition } from '../runtime/command.ts';
import type { ActionHandlers } from '../runtime/dispatcher.ts';
import ask from './ask.command.ts';
import { careActions, careCommands } from './care/index.ts';
import { channelsActions, channelsCommands } from './channels/index.ts';
import { facilitatorActions, facilitatorCommands } from './facilitator/index.ts';
import help from './help.command.ts';
import { learningActions, learningCommands } from './learning/index.ts';
import { socialActions, socialCommands } from './social/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
export const commands: readonly CommandDefinition<any>[] = [
  ...learningCommands,
  ask,
  ...socialCommands,
  ...careCommands,
  ...channelsCommands,
  ...facilitatorCommands,
  help,
];

export const actions: ActionHandlers = {
  ...learningActions,
  ...socialActions,
  ...careActions,
  ...channelsActions,
  ...facilitatorActions,
};
