import type { CommandDefinition } from '../../runtime/command.ts';
import type { ActionHandlers } from '../../runtime/dispatcher.ts';
import channel from './channel.command.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
export const channelsCommands: CommandDefinition<any>[] = [channel];
/** Channel drops create answer buttons, but answers are the learning area's (`answer` action). */
export const channelsActions: ActionHandlers = {};
