/**
 * Every message the content produces, for the renderers' limit tests: each lesson of each track in each locale (as a
 * drop and as a full read) and each of its questions with answer buttons and the open-quiz note.
 */

import { encodeAction } from '../../src/core/action-id.ts';
import type { Track } from '../../src/core/curriculum.ts';
import { locales } from '../../src/core/locale.ts';
import type { Message } from '../../src/core/message.ts';
import { translator } from '../../src/i18n/translator.ts';
import { lessonMessage, questionMessage } from '../../src/runtime/views.ts';

export interface ContentMessage {
  /** Which lesson or question, in which locale: for failure messages. */
  readonly what: string;
  readonly message: Message;
}

export function* contentMessages(tracks: readonly Track[]): Generator<ContentMessage> {
  for (const track of tracks) {
    for (const locale of locales) {
      const { t } = translator(locale);
      for (const lesson of track.lessons) {
        for (const full of [false, true]) {
          yield {
            what: `${lesson.id} ${locale}${full ? ' full' : ''}`,
            message: lessonMessage(lesson, locale, t, { lessonCount: track.lessons.length, full }),
          };
        }
        for (const [index, question] of lesson.questions.entries()) {
          yield {
            what: `${question.id} ${locale}`,
            message: questionMessage(question, locale, t, {
              position: index + 1,
              total: lesson.questions.length,
              actionFor: (choice) =>
                encodeAction({ kind: 'answer', postedQuestionId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', choice }),
              note: t('learning.today.quiz_open', { when: '1 de dez. de 2026, 09:00' }),
            }),
          };
        }
      }
    }
  }
}

/** How many messages `contentMessages` yields, counted from the tracks on their own (so a test cannot pass on none). */
export function contentMessageCount(tracks: readonly Track[]): number {
  return tracks.reduce(
    (sum, track) =>
      sum + locales.length * track.lessons.reduce((lessons, lesson) => lessons + 2 + lesson.questions.length, 0),
    0,
  );
}
