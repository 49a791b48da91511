import type { CommandDefinition } from '../../runtime/command.ts';
import type { ActionHandlers } from '../../runtime/dispatcher.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
export const learningCommands: CommandDefinition<any>[] = [];
export const learningActions: ActionHandlers = {};
