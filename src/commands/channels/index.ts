import type { CommandDefinition } from '../../runtime/command.ts';
import type { ActionHandlers } from '../../runtime/dispatcher.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
export const channelsCommands: CommandDefinition<any>[] = [];
export const channelsActions: ActionHandlers = {};
