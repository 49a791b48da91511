import type { CommandDefinition } from '../../runtime/command.ts';
import type { ActionHandlers } from '../../runtime/dispatcher.ts';
import { answerAction, reviewAction, studyAction } from './answer.action.ts';
import next from './next.command.ts';
import quiz from './quiz.command.ts';
import review, { openLessonAction } from './review.command.ts';
import today from './today.command.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
export const learningCommands: CommandDefinition<any>[] = [today, next, quiz, review];
export const learningActions: ActionHandlers = {
  answer: answerAction,
  study: studyAction,
  review: reviewAction,
  lesson: openLessonAction,
};
