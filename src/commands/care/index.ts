import type { CommandDefinition } from '../../runtime/command.ts';
import type { ActionHandlers } from '../../runtime/dispatcher.ts';
import { channelToday, stopNudges } from './care.actions.ts';
import nudge from './nudge.command.ts';
import vacation from './vacation.command.ts';

/** Humane streaks and nudges: a member's own vacation holds and daily nudges, and the buttons of a nudge. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
export const careCommands: CommandDefinition<any>[] = [vacation, nudge];
export const careActions: ActionHandlers = { 'stop-nudges': stopNudges, 'channel-today': channelToday };
