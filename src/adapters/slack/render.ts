/**
 * Block Kit rendering of the neutral message model (src/core/message.ts), inside Slack's documented limits
 * (../shared/notes/platform-limits.md, "Slack"): headline → header, text → section(s), code → fenced section(s),
 * context → context, buttons → actions. Long text is split into several sections at paragraph, line or word
 * boundaries, never dropped; only a message over the block limit loses its tail, and says so.
 *
 * Hand-written on purpose: the model's Markdown subset is nearly Slack mrkdwn already. What differs is small and
 * specific to us: `**bold**`/`__italic__` (common in content) must become single markers, Slack shows a backslash
 * literally so `safeText`'s escapes need another way to stay inert, `- ` lists need a bullet, and `&`, `<`, `>` need
 * Slack's three escapes. General Markdown converters on npm (md-to-slack, @tryfabric/mack) parse full CommonMark,
 * know nothing of `safeText`'s escapes and leave Block Kit's limits to the caller, which is the hard part here.
 */

import type {
  ActionsBlock,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
  Button as SlackButton,
} from '@slack/types';
import { renderInline } from '../../core/inline-markdown.ts';
import type { Block, Button, Message } from '../../core/message.ts';
import { modalButtonValue } from './modal.ts';

export const maxBlocks = 50;
export const maxSectionText = 3000;
export const maxHeaderText = 150;
export const maxButtonText = 75;
export const maxActionId = 255;
export const maxButtonValue = 2000;
export const maxActionsElements = 25;
export const maxContextElements = 10;
/** The notification text (shown where blocks are not: notifications, screen readers). */
export const maxFallbackText = 3000;

export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

const fence = '```';

export function renderSlack(message: Message): SlackMessage {
  const blocks: KnownBlock[] = [];
  const headline = message.headline ? oneLine(plain(message.headline)) : '';
  if (headline) blocks.push(header(headline));
  const seenActions = new Set<string>();
  for (const block of message.blocks) blocks.push(...render(block, seenActions));
  const fitted = blocks.length <= maxBlocks ? blocks : [...blocks.slice(0, maxBlocks - 1), context('…')];
  return { text: fallback(message), blocks: fitted };
}

function render(block: Block, seenActions: Set<string>): KnownBlock[] {
  switch (block.kind) {
    case 'text':
      // Slack refuses an empty section text, so a blank paragraph renders as nothing.
      return isBlank(block.text) ? [] : split(mrkdwn(block.text), maxSectionText).map(section);
    case 'code': {
      const source = block.source.replace(/\s+$/, '');
      if (source === '') return [];
      // A ``` inside the code would close the fence early; a zero-width space after every second backtick of a run
      // keeps it visible but inert (replacing each ``` alone would leave six backticks with a live ``` in the middle).
      const body = escapeEntities(source).replace(/`{3,}/g, (run) => run.replace(/``/g, '``\u200b'));
      const room = maxSectionText - `${fence}\n\n${fence}`.length;
      return split(body, room).map((part) => section(`${fence}\n${part}\n${fence}`));
    }
    case 'context':
      return isBlank(block.text) ? [] : [context(truncate(mrkdwn(block.text), maxSectionText, true))];
    case 'buttons': {
      // Slack refuses a message whose action ids repeat; a repeated button would be a bug upstream, so it is dropped.
      const buttons = block.buttons.filter((b) => {
        if (seenActions.has(b.actionId)) return false;
        seenActions.add(b.actionId);
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

/**
 * `verbatim`: Slack does not turn a bare URL, a `#channel` or a name into a link by itself (docs/security.md, "Member
 * text"); links and mentions exist only as `<…>`, which `escapeEntities` keeps member text from forming.
 */
function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text, verbatim: true }] };
}

function button(b: Button): SlackButton {
  // Ids come from encodeAction and are far shorter; a longer one is a programming error, not something to cut,
  // since a cut id would no longer decode when the click comes back.
  if (b.actionId.length > maxActionId || b.actionId.length > maxButtonValue) {
    throw new Error(
      `action id longer than Slack allows (${b.actionId.length} > ${maxActionId}): ${b.actionId.slice(0, 40)}…`,
    );
  }
  return {
    type: 'button',
    // plain_text shows markers literally, so the label loses them; Slack refuses an empty label.
    text: { type: 'plain_text', text: truncate(oneLine(plain(b.label)) || '…', maxButtonText), emoji: true },
    action_id: b.actionId,
    // A button that asks for a typed answer carries its modal's texts (modal.ts); the action id is the action_id.
    value: b.input ? modalButtonValue(b.input) : b.actionId,
    ...(b.style ? { style: b.style } : {}),
  };
}

/** The Markdown subset as Slack mrkdwn, line by line (the subset's markers never span lines). */
function mrkdwn(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const item = /^(\s*)- (.*)$/.exec(line);
      return item ? `${item[1]}• ${inline(item[2] ?? '', 'mrkdwn')}` : inline(line, 'mrkdwn');
    })
    .join('\n');
}

/** The subset without its markers, for plain_text fields and the notification text. */
function plain(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const item = /^(\s*)- (.*)$/.exec(line);
      return item ? `${item[1]}• ${inline(item[2] ?? '', 'plain')}` : inline(line, 'plain');
    })
    .join('\n');
}

/**
 * Slack has no escape for its formatting characters (a backslash shows as is). An escaped marker inside a word
 * (`snake\_case`, `2\*3`) cannot format and stays itself; at a word edge it becomes a look-alike that Slack never
 * pairs, so a member named `_x_` or `*x*` shows their name and not italic or bold.
 */
const INERT: Readonly<Record<string, string>> = { '*': '\u2217', _: '\uff3f', '~': '\u223c', '`': '\u02cb' };

/**
 * One line of the subset. Same reading as the terminal renderer: markers count only at word edges, code spans are
 * literal, doubled markers (`**bold**`, written by content authors used to common Markdown) mean the single ones.
 */
function inline(source: string, mode: 'mrkdwn' | 'plain'): string {
  const literal = (char: string) => (mode === 'mrkdwn' ? escapeEntities(char) : char);
  return renderInline(source, {
    text: literal,
    escaped: (char, inWord) => {
      const inert = INERT[char];
      return mode === 'mrkdwn' && inert && !inWord ? inert : literal(char);
    },
    code: (content) => (mode === 'mrkdwn' ? `\`${escapeEntities(content)}\`` : `\`${content}\``),
    emphasis: (kind, inner) => {
      if (mode === 'plain') return inner;
      const marker = kind === 'bold' ? '*' : '_';
      return `${marker}${inner}${marker}`;
    },
  });
}

/** Slack's only escapes: without them member text could form a link, a mention or a channel ping. */
function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `text` in pieces of at most `max` UTF-16 units. Each cut prefers, in order, a blank line, a line break and a space
 * in the second half of the piece (so no piece is tiny), then the latest of them, and only then a cut inside a word, which
 * never splits a surrogate pair or one of Slack's `&…;` escapes. Only the separator at a cut is dropped.
 */
export function split(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const [end, resume] = cutPoint(rest, max);
    const part = rest.slice(0, end).trimEnd();
    if (part !== '') parts.push(part);
    rest = rest.slice(resume);
  }
  if (rest.trim() !== '' || parts.length === 0) parts.push(rest);
  return parts;
}

function cutPoint(text: string, max: number): [end: number, resume: number] {
  // The character at `max` may itself be the separator, so a piece of exactly `max` is allowed.
  const window = text.slice(0, max + 1);
  const candidates: [at: number, length: number][] = [
    [window.lastIndexOf('\n\n'), 2],
    [window.lastIndexOf('\n'), 1],
    [window.lastIndexOf(' '), 1],
  ];
  const latest = candidates.reduce((best, candidate) => (candidate[0] > best[0] ? candidate : best));
  const preferred = candidates.find(([at]) => at >= max / 2) ?? latest;
  if (preferred[0] > 0) {
    const [at, length] = preferred;
    return [at, skipNewlines(text, at + length)];
  }
  const end = safeEnd(text, max, true);
  return [end, end];
}

function skipNewlines(text: string, from: number): number {
  let i = from;
  while (text[i] === '\n') i += 1;
  return i;
}

/** An end at or before `end` that splits neither a surrogate pair nor (when `escaped`) an `&amp;`-style escape. */
function safeEnd(text: string, end: number, escaped: boolean): number {
  let cut = end;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  if (escaped) {
    const amp = text.lastIndexOf('&', cut - 1);
    if (amp >= 0 && cut - amp < '&amp;'.length && !text.slice(amp, cut).includes(';')) cut = amp;
  }
  return Math.max(cut, 1);
}

/** At most `max` UTF-16 units, ending with `…` when cut. */
function truncate(text: string, max: number, escaped = false): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeEnd(text, max - 1, escaped)).trimEnd()}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

const isBlank = (text: string) => text.trim() === '';

/** Headline and the text of each block, markers dropped, escaped because Slack reads this field as mrkdwn too. */
function fallback(message: Message): string {
  const lines = [
    message.headline ? plain(message.headline) : '',
    ...message.blocks.map((block) =>
      block.kind === 'buttons' ? '' : block.kind === 'code' ? block.source.trimEnd() : plain(block.text),
    ),
  ].filter((line) => line.trim().length > 0);
  // The Web API warns about blocks without a text; a message of buttons only still gets one.
  return truncate(inertMarkers(escapeEntities(lines.join('\n'))), maxFallbackText, true) || '…';
}

/**
 * The notification text is read as mrkdwn too, where the blocks' markers are already gone: every `*`, `_`, `~` and
 * `` ` `` that Slack could pair (at a word edge) becomes its look-alike, as `safeText`'s escapes do in the blocks;
 * inside a word (`snake_case`, `2*3`) it cannot format and stays itself.
 */
function inertMarkers(text: string): string {
  return text.replace(/[*_~`]/g, (char, at: number) => {
    const before = text[at - 1] ?? ' ';
    const after = text[at + 1] ?? ' ';
    return /[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after) ? char : (INERT[char] ?? char);
  });
}
