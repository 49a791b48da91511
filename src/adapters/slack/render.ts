/**
 * Block Kit rendering of the neutral message model (src/core/message.ts), inside Slack's documented limits
 * (../shared/notes/platform-limits.md, "Slack"): headline → header, text → section(s), code → fenced section(s),
 * context → context, buttons → actions. Long text is split into several sections at line boundaries, never dropped.
 *
 * Hand-written on purpose: the model's Markdown subset (`*bold*`, `_italic_`, `` `code` ``, `- ` lists) is already
 * Slack mrkdwn but for the list bullet and Slack's three escapes, which no converter library is needed for.
 */
import type {
  ActionsBlock,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
  Button as SlackButton,
} from '@slack/types';
import type { Block, Message } from '../../core/message.ts';

export const maxBlocks = 50;
export const maxSectionText = 3000;
export const maxHeaderText = 150;
export const maxButtonText = 75;
export const maxActionId = 255;
export const maxButtonValue = 2000;
export const maxActionsElements = 25;
/** The notification text (shown where blocks are not: notifications, screen readers). */
export const maxFallbackText = 3000;

export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

export function renderSlack(message: Message): SlackMessage {
  const blocks: KnownBlock[] = [];
  if (message.headline) blocks.push(header(message.headline));
  const seenActions = new Set<string>();
  for (const block of message.blocks) blocks.push(...render(block, seenActions));
  const fitted = blocks.length <= maxBlocks ? blocks : [...blocks.slice(0, maxBlocks - 1), context('…')];
  return { text: fallback(message), blocks: fitted };
}

function render(block: Block, seenActions: Set<string>): KnownBlock[] {
  switch (block.kind) {
    case 'text':
      return split(mrkdwn(block.text), maxSectionText).map(section);
    case 'code': {
      const fence = '```';
      const room = maxSectionText - 2 * fence.length - 2;
      return split(escapeMrkdwn(block.source), room).map((part) => section(`${fence}\n${part}\n${fence}`));
    }
    case 'context':
      return [context(truncate(mrkdwn(block.text), maxSectionText))];
    case 'buttons': {
      // Slack refuses a message whose action ids repeat; a repeated button would be a bug upstream, so it is dropped.
      const buttons = block.buttons.filter((button) => {
        if (seenActions.has(button.actionId)) return false;
        seenActions.add(button.actionId);
        return true;
      });
      const rows: ActionsBlock[] = [];
      for (let i = 0; i < buttons.length; i += maxActionsElements) {
        rows.push({ type: 'actions', elements: buttons.slice(i, i + maxActionsElements).map(button) });
      }
      return rows;
    }
  }
}

function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, maxHeaderText), emoji: true } };
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

function button(b: { label: string; actionId: string; style?: 'primary' | 'danger' }): SlackButton {
  if (b.actionId.length > maxActionId || b.actionId.length > maxButtonValue) {
    throw new Error(
      `action id longer than Slack allows (${b.actionId.length} > ${maxActionId}): ${b.actionId.slice(0, 40)}…`,
    );
  }
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(b.label, maxButtonText), emoji: true },
    action_id: b.actionId,
    value: b.actionId,
    ...(b.style ? { style: b.style } : {}),
  };
}

/** Slack's escapes (so no text can form a link, a mention or a channel ping) and the list bullet. */
function mrkdwn(text: string): string {
  return escapeMrkdwn(text).replace(/^- /gm, '• ');
}

function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `text` in pieces of at most `max` characters, cut at a line break, else a space, else anywhere. */
export function split(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf('\n');
    if (cut <= 0) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function fallback(message: Message): string {
  const lines = [
    message.headline ?? '',
    ...message.blocks.map((block) =>
      block.kind === 'buttons' ? '' : block.kind === 'code' ? block.source : block.text,
    ),
  ].filter((line) => line.length > 0);
  return truncate(lines.join('\n'), maxFallbackText);
}
