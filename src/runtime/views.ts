/**
 * How lessons and questions look as platform-neutral messages, shared by the commands (a lesson asked for) and the
 * scheduler (a daily drop), so a lesson reads the same wherever it appears.
 */
import type { Lesson, Question } from '../core/curriculum.ts';
import type { Locale } from '../core/locale.ts';
import { type Block, type Button, context, type Message, text, truncate } from '../core/message.ts';
import type { Translator } from '../i18n/translator.ts';

/** Button labels stay inside every platform's limit (Slack 75, Discord 80 characters). */
export const maxButtonLabel = 75;

export interface LessonViewOptions {
  /** The number of lessons in the track, for "lesson 3 of 48". */
  readonly lessonCount: number;
  /** Add the "what changed" note and the longer text (self-paced reading); a channel drop shows the drop only. */
  readonly full?: boolean;
}

export function lessonMessage(lesson: Lesson, locale: Locale, t: Translator['t'], options: LessonViewOptions): Message {
  const blocks: Block[] = [text(lesson.drop[locale])];
  if (lesson.code) blocks.push({ kind: 'code', lang: lesson.code.lang, source: lesson.code.source });
  if (options.full && lesson.more) blocks.push(text(lesson.more[locale]));
  if (lesson.changed) blocks.push(text(t('learning.view.changed', { text: lesson.changed[locale] })));
  blocks.push(context(t('learning.view.position', { position: lesson.index + 1, count: options.lessonCount })));
  return { headline: lesson.title[locale], blocks };
}

export interface QuestionViewOptions {
  /** 1-based place of the question among those shown together, and how many there are. */
  readonly position: number;
  readonly total: number;
  /** The action id of each option's button. */
  readonly actionFor: (choice: number) => string;
  /** A dim line under the buttons (answer counts, "closes at 18:00"). */
  readonly note?: string;
}

export function questionMessage(
  question: Question,
  locale: Locale,
  t: Translator['t'],
  options: QuestionViewOptions,
): Message {
  if (question.kind === 'command') {
    // A command exercise: one button that asks for the typed command (Button.input); the stored choice is the verdict.
    const button: Button = {
      label: t('exercises.button'),
      actionId: options.actionFor(0),
      style: 'primary',
      input: {
        title: t('exercises.input.title'),
        label: t('exercises.input.label'),
        placeholder: t('exercises.input.placeholder'),
        submit: t('exercises.input.submit'),
      },
    };
    const blocks: Block[] = [text(question.prompt[locale]), { kind: 'buttons', buttons: [button] }];
    blocks.push(context(options.note ? `${t('exercises.hint')} · ${options.note}` : t('exercises.hint')));
    return { headline: t('learning.view.question', { position: options.position, total: options.total }), blocks };
  }
  const buttons: Button[] = question.options.map((option, choice) => ({
    label: truncate(`${letter(choice)}) ${option.text[locale]}`, maxButtonLabel),
    actionId: options.actionFor(choice),
  }));
  const blocks: Block[] = [text(question.prompt[locale]), { kind: 'buttons', buttons }];
  if (options.note) blocks.push(context(options.note));
  return {
    headline: t('learning.view.question', { position: options.position, total: options.total }),
    blocks,
  };
}

/** A, B, C, D: how options are named in feedback ("you chose B"). */
export function letter(choice: number): string {
  return String.fromCharCode(65 + choice);
}
