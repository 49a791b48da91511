/**
 * Command exercises on Discord (docs/content-format.md): a button that asks for a typed answer (`Button.input`) gets the
 * custom_id `m:<action id>`; its click is answered with a modal (interaction response type 9) holding one short text
 * input, and the modal submit (interaction type 5) carries the typed command and the same custom_id back to the
 * dispatcher. An action id too long for the prefix (Discord's custom_id is at most 100 characters) keeps a plain
 * button: its click then says to type the command, and nothing is recorded.
 *
 * Discord's limits kept here: a modal title and a text input label at most 45 characters, a placeholder at most 100,
 * a text input's max_length at most 4,000.
 */
import { ComponentType, TextInputStyle } from 'discord.js';
import { truncate } from '../../core/message.ts';
import type { Translator } from '../../i18n/translator.ts';

const prefix = 'm:';
export const typedInputId = 'typed';
const maxCustomId = 100;
/** What a command may be (the grader reads at most 500 characters). */
const maxTyped = 500;

/** The custom_id of a button that opens the answer modal for `actionId`. */
export function modalCustomId(actionId: string): string {
  return prefix.length + actionId.length <= maxCustomId ? `${prefix}${actionId}` : actionId;
}

/** The action id behind a modal button's (or modal's) custom_id, or null for any other. */
export function modalActionId(customId: string): string | null {
  return customId.startsWith(prefix) ? customId.slice(prefix.length) : null;
}

/** The modal for interaction response type 9, in the member's language. */
export function answerModal(customId: string, t: Translator['t']) {
  return {
    custom_id: customId,
    title: truncate(t('exercises.input.title'), 45),
    components: [
      {
        type: ComponentType.ActionRow as const,
        components: [
          {
            type: ComponentType.TextInput as const,
            custom_id: typedInputId,
            style: TextInputStyle.Short,
            label: truncate(t('exercises.input.label'), 45),
            placeholder: truncate(t('exercises.input.placeholder'), 100),
            max_length: maxTyped,
            required: true,
          },
        ],
      },
    ],
  };
}
