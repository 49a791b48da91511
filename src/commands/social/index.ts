import type { CommandDefinition } from '../../runtime/command.ts';
import type { ActionHandlers } from '../../runtime/dispatcher.ts';
import cohort from './cohort.command.ts';
import language from './language.command.ts';
import leaderboard from './leaderboard.command.ts';
import link from './link.command.ts';
import myData, { deleteMyData } from './my-data.command.ts';
import progress from './progress.command.ts';
import timezone from './timezone.command.ts';
import unlink from './unlink.command.ts';
import visibility from './visibility.command.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
export const socialCommands: CommandDefinition<any>[] = [
  progress,
  leaderboard,
  visibility,
  cohort,
  language,
  timezone,
  myData,
  link,
  unlink,
];
export const socialActions: ActionHandlers = { 'delete-my-data': deleteMyData };
