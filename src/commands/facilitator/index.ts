import type { CommandDefinition } from '../../runtime/command.ts';
import type { ActionHandlers } from '../../runtime/dispatcher.ts';
import report from './report.command.ts';

/** What facilitators (workspace admins) use to follow a cohort: the report and the cohort export. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
export const facilitatorCommands: CommandDefinition<any>[] = [report];
export const facilitatorActions: ActionHandlers = {};
