/**
 * Command exercises on Slack (docs/content-format.md, "Command exercises"): a button that asks for a typed answer
 * (`Button.input`) carries its modal's texts in the button's `value`; its click opens a modal (`views.open` with the
 * click's `trigger_id`, valid for 3 s, Tier 4) with one `plain_text_input`, and the `view_submission` carries the
 * typed command and, in `private_metadata`, the action id and where the question was, back to the dispatcher.
 *
 * Slack's limits kept here: modal title, submit and close at most 24 characters, an input label at most 2,000, a
 * placeholder at most 150, `private_metadata` at most 3,000, a button `value` at most 2,000.
 */
import type { Button } from '../../core/message.ts';
import { truncate } from '../../core/message.ts';

export const answerModalCallbackId = 'trilha_command_answer';
const blockId = 'answer';
const inputActionId = 'typed';
const valuePrefix = 'modal:';
/** What a command may be (the grader reads at most 500 characters). */
const maxTyped = 500;

export const slackModalLimits = { title: 24, submit: 24, label: 2000, placeholder: 150, metadata: 3000, value: 2000 };

type ModalTexts = NonNullable<Button['input']>;

/** Where the answer goes back: the clicked button's action id and the question's channel and thread. */
export interface ModalMetadata {
  readonly actionId: string;
  readonly channelId?: string;
  readonly channelName?: string;
  readonly threadTs?: string;
}

/** The `value` of a button that opens the answer modal. */
export function modalButtonValue(input: ModalTexts): string {
  const texts: ModalTexts = {
    title: truncate(input.title, slackModalLimits.title),
    submit: truncate(input.submit, slackModalLimits.submit),
    label: truncate(input.label, 200),
    placeholder: truncate(input.placeholder, slackModalLimits.placeholder),
  };
  return `${valuePrefix}${JSON.stringify(texts)}`;
}

/** The modal texts a clicked button's `value` carries, or null for an ordinary button. */
export function modalTextsOf(value: string | undefined): ModalTexts | null {
  if (!value?.startsWith(valuePrefix)) return null;
  try {
    const parsed = JSON.parse(value.slice(valuePrefix.length)) as Partial<ModalTexts>;
    const text = (field: unknown, max: number) =>
      typeof field === 'string' && field !== '' ? truncate(field, max) : '…';
    return {
      title: text(parsed.title, slackModalLimits.title),
      submit: text(parsed.submit, slackModalLimits.submit),
      label: text(parsed.label, 200),
      placeholder: text(parsed.placeholder, slackModalLimits.placeholder),
    };
  } catch {
    return null;
  }
}

/** The `view` for `views.open`. */
export function answerModal(texts: ModalTexts, metadata: ModalMetadata) {
  return {
    type: 'modal' as const,
    callback_id: answerModalCallbackId,
    private_metadata: JSON.stringify(metadata).slice(0, slackModalLimits.metadata),
    title: { type: 'plain_text' as const, text: texts.title },
    submit: { type: 'plain_text' as const, text: texts.submit },
    blocks: [
      {
        type: 'input' as const,
        block_id: blockId,
        label: { type: 'plain_text' as const, text: texts.label },
        element: {
          type: 'plain_text_input' as const,
          action_id: inputActionId,
          max_length: maxTyped,
          placeholder: { type: 'plain_text' as const, text: texts.placeholder },
        },
      },
    ],
  };
}

/** The metadata and typed command of a submitted answer modal, or null when it is not one of ours. */
export function submittedAnswer(view: {
  private_metadata?: string;
  state?: { values?: Record<string, Record<string, { value?: string | null }>> };
}): { metadata: ModalMetadata; typed: string } | null {
  try {
    const metadata = JSON.parse(view.private_metadata ?? '') as Partial<ModalMetadata>;
    if (typeof metadata.actionId !== 'string') return null;
    const typed = view.state?.values?.[blockId]?.[inputActionId]?.value ?? '';
    return { metadata: metadata as ModalMetadata, typed: String(typed).slice(0, maxTyped) };
  } catch {
    return null;
  }
}
