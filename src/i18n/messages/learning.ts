import { defineMessages } from '../define.ts';

/** Lessons, questions, answers, self-study and review. */
export const learning = defineMessages(
  {
    'learning.view.changed': '*O que mudou:* {text}',
    'learning.view.position': 'Lição {position} de {count}',
    'learning.view.question': 'Pergunta {position} de {total}',
  },
  {
    'learning.view.changed': '*What changed:* {text}',
    'learning.view.position': 'Lesson {position} of {count}',
    'learning.view.question': 'Question {position} of {total}',
  },
);
