import type { CommandDefinition } from '../../runtime/command.ts';
import type { ActionHandlers } from '../../runtime/dispatcher.ts';
import cohort from './cohort.command.ts';
import language from './language.command.ts';
import leaderboard from './leaderboard.command.ts';
import myData, { deleteMyData } from './my-data.command.ts';
import progress from './progress.command.ts';
import timezone from './timezone.command.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
export const socialCommands: CommandDefinition<any>[] = [progress, leaderboard, cohort, language, timezone, myData];
export const socialActions: ActionHandlers = { 'delete-my-data': deleteMyData };
