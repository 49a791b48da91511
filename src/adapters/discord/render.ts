/**
 * Discord rendering of the neutral message model (src/core/message.ts), inside Discord's documented limits
 * (../shared/notes/platform-limits.md, "Discord"). Two styles:
 * - `embed` (lessons, drops, questions): headline → embed title; text, code and context blocks → the description;
 *   the context blocks after the last text or code block (a lesson's "lesson 3 of 48", a question's "closes at
 *   18:00") → the footer, which is small and dim like a context line and is never cut off by a long text.
 * - `plain` (private replies, thread posts): everything in `content`; the headline as a bold first line.
 * In both, a context line elsewhere becomes Discord's subtext (`-# …`), and buttons become action rows below the message
 * (Discord puts components after the content whatever their place in the model). `allowed_mentions` is always empty,
 * so no message can ping anyone.
 *
 * Long text flows into several embeds: a paragraph that does not fit what is left moves whole to the next embed when
 * it fits there, and is otherwise cut at a line or word boundary; a cut inside code closes the fence and reopens it. One message holds at most 6,000 characters of
 * embeds or 2,000 of content: past that `renderDiscord` ends with `…`, and `renderDiscordParts` continues in further
 * messages so that nothing is lost.
 *
 * Files (`Message.files`): `selectFiles` keeps those within Discord's limits (`fileLimits`), `attachFiles` adds their
 * `attachments` entries to the body and shows the first image inside the last embed.
 *
 * Hand-written on purpose, like the Slack renderer: the subset is read by the shared `renderInline`; what is specific
 * to Discord is small but must be exact. Discord reads `__x__` as underline (so italic is always `*x*`), honours
 * backslash escapes (so `safeText`'s escapes stay), and reads much more than the subset means: `#` headings, `>`
 * quotes, `1.` lists, `~~`, `||` spoilers, `[x](url)` masked links, `<@id>` mentions. Every character that could start
 * one of those in text from content or members is escaped, and `@everyone`/`@here` get a zero-width space. discord.js
 * has `escapeMarkdown`, but it escapes a whole string and cannot tell our markers from literal characters; Markdown
 * converters on npm emit CommonMark, not Discord's dialect, and leave Discord's limits to the caller.
 */

import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { renderInline } from '../../core/inline-markdown.ts';
import type { Attachment, Block, Button, Message } from '../../core/message.ts';
import { modalCustomId } from './modal.ts';

/** Discord's limits, in characters (platform-limits.md, "Discord"). */
export const limits = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFooter: 2048,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFields: 25,
  /** Title, description, footer, author name and fields together, over all the embeds of a message. */
  embedsTotal: 6000,
  embedsPerMessage: 10,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
} as const;

const MiB = 1024 * 1024;

/**
 * Discord's file limits. Per file: "The file upload size limit applies to each file in a request. The default limit
 * is 20 MiB for all users", higher with Nitro or a boosted server, which an interaction's `attachment_size_limit` tells
 * (API reference, "Uploading Files"; earlier versions of that page said 10 MiB). Per request: "The maximum
 * request size when sending a message is 25 MiB" (Create Message). Per message: 10 attachments (error 30015, "Maximum
 * number of attachments in a message reached (10)").
 */
export const fileLimits = {
  files: 10,
  fileBytes: 20 * MiB,
  requestBytes: 25 * MiB,
  /** Kept out of `requestBytes` for the JSON body and the multipart framing: a message's text is far below it. */
  payloadReserve: MiB,
} as const;

/** Which files of a message Discord will take: the rest is named to the member instead of being sent. */
export interface FileSelection {
  /** Sent, in order. */
  readonly kept: readonly Attachment[];
  /** Each over the per-file limit. */
  readonly tooBig: readonly Attachment[];
  /** Within it, but past 10 files or the request's size. */
  readonly leftOut: readonly Attachment[];
}

/** The files in order while they fit: each within `fileBytes`, at most 10, together within one request. */
export function selectFiles(files: readonly Attachment[], fileBytes: number = fileLimits.fileBytes): FileSelection {
  const kept: Attachment[] = [];
  const tooBig: Attachment[] = [];
  const leftOut: Attachment[] = [];
  let total = 0;
  for (const file of files) {
    const size = file.data.byteLength;
    if (size > fileBytes) tooBig.push(file);
    else if (kept.length >= fileLimits.files || total + size > fileLimits.requestBytes - fileLimits.payloadReserve) {
      leftOut.push(file);
    } else {
      kept.push(file);
      total += size;
    }
  }
  return { kept, tooBig, leftOut };
}

/** What Discord accepts in `attachment://…` (and so in a file's name): ASCII letters, digits, `_`, `-` and `.`. */
export function attachmentName(filename: string): string {
  return filename.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'file';
}

const embeddable = /\.(png|jpe?g|gif|webp)$/i;

/**
 * The message body with its files: `attachments` entries (`id` "n" for the n-th file, sent as `files[n]` — a string,
 * as Discord's OpenAPI spec types it and discord.js sends it; the title as
 * the description, Discord's alt text) and, when the body is embeds, the first image shown in the last embed
 * (`attachment://name`) rather than below it.
 */
export function attachFiles(body: DiscordMessage, files: readonly Attachment[]): DiscordMessage {
  if (files.length === 0) return body;
  const names = files.map((file) => attachmentName(file.filename));
  const image = names.find((name) => embeddable.test(name));
  const last = body.embeds.length - 1;
  return {
    ...body,
    embeds:
      image && last >= 0
        ? body.embeds.map((embed, i) => (i === last ? { ...embed, image: { url: `attachment://${image}` } } : embed))
        : body.embeds,
    attachments: files.map((file, id) => ({
      id: String(id),
      filename: names[id] as string,
      ...(file.title ? { description: truncatePlain(oneLine(file.title), 1024) } : {}),
    })),
  };
}

/** In `plain` style, the footer lines (trailing context, `options.footer`) take at most this much of the content. */
export const maxPlainFooter = 500;

/** A message body for the REST API (`POST /channels/{id}/messages`, interaction callbacks and follow-ups). */
export interface DiscordMessage {
  readonly content?: string;
  readonly embeds: APIEmbed[];
  /** Legacy action rows (type 1) of buttons (type 2) that carry a `custom_id`. */
  readonly components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  readonly allowed_mentions: { parse: [] };
  /** With files (`attachFiles`): one entry per `files[n]`. */
  readonly attachments?: readonly { readonly id: string; readonly filename: string; readonly description?: string }[];
}

export interface DiscordRenderOptions {
  /** `embed` (default): the message as embeds (lessons, drops). `plain`: content only (private replies, threads). */
  readonly style?: 'embed' | 'plain';
  /** The embeds' side colour (0xRRGGBB); `plain` ignores it. */
  readonly color?: number;
  /** Plain text (not the Markdown subset) shown last and small: a line of the embed footer, or a `-# ` line. */
  readonly footer?: string;
}

/** The message as one Discord message; past a hard limit its text ends with `…`. */
export function renderDiscord(message: Message, options: DiscordRenderOptions = {}): DiscordMessage {
  const parts = build(message, options, true);
  // Only a message that does not fit is laid out again, with room kept for the `…` that says so.
  return (parts.length === 1 ? parts[0] : build(message, options, false)[0]) as DiscordMessage;
}

/**
 * The message as one Discord message or, when its text is over one message's limits, several, to be sent in order:
 * the headline on the first, footer and buttons on the last, nothing lost.
 */
export function renderDiscordParts(message: Message, options: DiscordRenderOptions = {}): DiscordMessage[] {
  return build(message, options, true);
}

/**
 * Counts the characters Discord counts towards a message's embed total (`limits.embedsTotal`): titles, descriptions,
 * footers, author names and fields, in code points as Discord's API does (discord-api-docs#1315). The content is
 * outside this total and has its own limit.
 */
export function embedChars(message: DiscordMessage): number {
  let count = 0;
  const add = (value: string | undefined) => {
    if (value) count += [...value].length;
  };
  for (const embed of message.embeds) {
    add(embed.title);
    add(embed.description);
    add(embed.footer?.text);
    add(embed.author?.name);
    for (const field of embed.fields ?? []) {
      add(field.name);
      add(field.value);
    }
  }
  return count;
}

const fence = '```';
const cutMark = '…';
/** What separates the last text shown from the `…` of a cut (reserved in every budget of `renderDiscord`). */
const cutSuffix = `\n${cutMark}`;
const zeroWidthSpace = '\u200b';
/**
 * Stands for a space inside bold, italic or a code span while text is measured and cut, so that a cut never falls
 * inside a span (which would show its markers). A Unicode noncharacter: never in real text, turned back at the end.
 */
const keptSpace = '\ufdd0';

/** A piece of a description or content: a paragraph of Markdown, or code still to be fenced. */
type Piece =
  | { readonly kind: 'prose'; readonly text: string; readonly gap: string }
  | { readonly kind: 'code'; readonly lang: string; readonly body: string; readonly gap: string };

function build(message: Message, options: DiscordRenderOptions, all: boolean): DiscordMessage[] {
  const plainStyle = options.style === 'plain';
  const { rows, dropped } = buttonRows(message.blocks);
  const contentBlocks = message.blocks.filter((block) => block.kind !== 'buttons' && !isBlank(block));
  // The context blocks after the last text or code block are the footer, unless there is nothing else to show.
  let end = contentBlocks.length;
  while (end > 0 && contentBlocks[end - 1]?.kind === 'context') end -= 1;
  const title = message.headline ? headline(message.headline) : '';
  const footerFirst = end > 0 || title !== '' ? end : contentBlocks.length;
  const bodyBlocks = contentBlocks.slice(0, footerFirst);
  const footerTexts = contentBlocks.slice(footerFirst).map((block) => (block.kind === 'context' ? block.text : ''));
  // More buttons than Discord shows: the cut is said where the footer is.
  if (dropped > 0) footerTexts.push(cutMark);

  const pieces = bodyBlocks.flatMap(pieceOf);
  const reserve = all ? 0 : cutSuffix.length;
  let pages: string[][];
  let cut: boolean;
  let footer: string;
  if (plainStyle) {
    const lines = [
      ...footerTexts.flatMap((value) => value.split('\n').map((line) => subtext(line))),
      ...(options.footer?.trim() ? [subtext(literalLine(options.footer))] : []),
    ].filter((line) => line !== '');
    footer = unkeep(truncateMarkdown(lines.join('\n'), maxPlainFooter));
    if (title) pieces.unshift({ kind: 'prose', text: `**${title}**`, gap: '' });
    if (title && pieces[1]) pieces[1] = { ...pieces[1], gap: '\n' };
    const room = limits.content - (footer ? footer.length + 1 : 0) - reserve;
    ({ messages: pages, cut } = layout(pieces, { page: room, pages: 1, total: () => room }, all));
  } else {
    const lines = [
      ...footerTexts.map((value) => plainLines(value)),
      ...(options.footer?.trim() ? [options.footer.trim()] : []),
    ].filter((line) => line.trim() !== '');
    footer = truncatePlain(lines.join('\n'), limits.embedFooter);
    const total = (index: number) => limits.embedsTotal - (index === 0 ? title.length : 0) - footer.length - reserve;
    const budget = { page: limits.embedDescription - reserve, pages: limits.embedsPerMessage, total };
    ({ messages: pages, cut } = layout(pieces, budget, all));
  }
  if (cut) markCut(pages);

  return pages.map((texts, index) => {
    const first = index === 0;
    const last = index === pages.length - 1;
    const parts = texts.map(unkeep);
    const base = { allowed_mentions: { parse: [] as [] }, components: last ? rows : [] };
    if (plainStyle) {
      const content = [...parts, last ? footer : ''].filter((part) => part !== '').join('\n');
      // Discord refuses an empty message; a message of nothing at all shows `…`.
      const shown = content === '' && (!last || rows.length === 0) ? cutMark : content;
      return { ...base, ...(shown ? { content: shown } : {}), embeds: [] };
    }
    const embeds: APIEmbed[] = parts.map((description) => ({ description }));
    if (first && title) {
      if (embeds[0]) embeds[0] = { title: unkeep(title), ...embeds[0] };
      else embeds.push({ title: unkeep(title) });
    }
    if (last && footer) {
      const lastEmbed = embeds.at(-1);
      if (lastEmbed) lastEmbed.footer = { text: footer };
      else embeds.push({ footer: { text: footer } });
    }
    if (embeds.length === 0 && base.components.length === 0) embeds.push({ description: cutMark });
    if (options.color !== undefined) for (const embed of embeds) embed.color = options.color;
    return { ...base, embeds };
  });
}

/** The pieces of one text, code or (mid-message) context block. */
function pieceOf(block: Block): Piece[] {
  switch (block.kind) {
    case 'text':
      // Paragraphs are pieces of their own, so a cut between embeds falls between paragraphs when it can.
      return normalize(block.text)
        .split(/\n[ \t]*\n/)
        .filter((paragraph) => paragraph.trim() !== '')
        .map((paragraph) => ({ kind: 'prose', text: markdown(paragraph), gap: '\n\n' }));
    case 'code': {
      const source = normalize(block.source).replace(/\s+$/, '');
      // A ``` inside the code would close the fence early; a zero-width space after every second backtick of a run
      // keeps it visible but inert (replacing each ``` alone would let two of them meet as ``` again: ``````).
      const body = source.replace(/`{3,}/g, (run) => (run.match(/`{1,2}/g) ?? []).join(zeroWidthSpace));
      // The language sits on the fence line: only characters a highlighter name uses, or the fence could break.
      const lang = block.lang.replace(/[^\w+#.-]/g, '').slice(0, 20);
      return body === '' ? [] : [{ kind: 'code', lang, body, gap: '\n\n' }];
    }
    case 'context': {
      const lines = normalize(block.text)
        .split('\n')
        .map((line) => subtext(line))
        .filter((line) => line !== '');
      return lines.length === 0 ? [] : [{ kind: 'prose', text: lines.join('\n'), gap: '\n' }];
    }
    case 'buttons':
      return [];
  }
}

/** A context line as Discord subtext (small and dim), or '' for a blank one. */
function subtext(line: string): string {
  return line.trim() === '' ? '' : `-# ${markdown(line.trim())}`;
}

const isBlank = (block: Block) =>
  block.kind === 'buttons' ? false : (block.kind === 'code' ? block.source : block.text).trim() === '';

const normalize = (text: string) => text.replace(/\r\n?/g, '\n');

// ---------------------------------------------------------------------------------------------------------------
// Inline Markdown

/** The characters Discord reads as Markdown wherever they stand in a line; a literal one is escaped. */
const alwaysEscaped: ReadonlySet<string> = new Set(['\\', '*', '_', '~', '|', '`', '[', ']', '<']);

const literal = (char: string) => (alwaysEscaped.has(char) ? `\\${char}` : char);

/** The Markdown subset as Discord Markdown, line by line (the subset's markers never span lines). */
function markdown(text: string): string {
  return normalize(text)
    .split('\n')
    .map((line) => {
      const item = /^(\s*)- (.*)$/.exec(line);
      return item ? `${item[1]}- ${guardStart(inline(item[2] ?? ''))}` : guardStart(inline(line));
    })
    .join('\n');
}

/**
 * One line of the subset. Bold → `**x**`, italic → `*x*` (never `__`, Discord's underline), code spans kept,
 * `safeText`'s escapes kept (Discord honours them), every other Markdown character escaped. With `emphasis` false
 * the markers are dropped (a title, bold already).
 */
function inline(source: string, keepEmphasis = true): string {
  return renderInline(breakMentions(source), {
    text: literal,
    escaped: (char) => `\\${char}`,
    code: codeSpan,
    emphasis: (kind, inner) => {
      if (!keepEmphasis) return inner;
      const marker = kind === 'bold' ? '**' : '*';
      return `${marker}${inner.replaceAll(' ', keptSpace)}${marker}`;
    },
  });
}

/** A code span: as many backticks around it as it needs, spaces kept whole; mentions and links do not work in code. */
function codeSpan(content: string): string {
  const code = content.replace(/@\u200b(everyone|here)/gi, '@$1').replace(/:\u200b\/\//g, '://');
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${code}${pad}${ticks}`.replaceAll(' ', keptSpace);
}

/**
 * `@everyone` and `@here` with a zero-width space, so they read as text (allowed_mentions already stops the ping);
 * and a bare URL's `://` likewise, so Discord neither links it nor fetches a preview of it (docs/security.md, "Member
 * text"): an address in a name or an answer is shown, never made a link by the bot.
 */
function breakMentions(text: string): string {
  return text
    .replace(/@(everyone|here)/gi, `@${zeroWidthSpace}$1`)
    .replace(/\b([a-z][a-z0-9+.-]{1,30}):\/\//gi, `$1:${zeroWidthSpace}//`);
}

/**
 * What Discord reads at the start of a line but the subset does not mean: `#` headings, `-#` subtext, `>` quotes,
 * `+` and `1.` lists, also after a `- ` list marker (the subset's own list). `continued`: the line is the rest of a
 * line cut at a space, so a `- ` there is not a list either.
 */
function guardStart(line: string, continued = false): string {
  const match = /^(\s*)(- )?(.*)$/s.exec(line);
  const indent = match?.[1] ?? '';
  const item = match?.[2] ?? '';
  const rest = match?.[3] ?? '';
  if (item && continued) return `${indent}\\${item}${rest}`;
  if (/^[#>]/.test(rest) || /^\+ /.test(rest)) return `${indent}${item}\\${rest}`;
  if (rest.startsWith('-#')) return `${indent}${item}-\\${rest.slice(1)}`;
  const number = /^\d+(?=\. )/.exec(rest);
  if (number) return `${indent}${item}${number[0]}\\${rest.slice(number[0].length)}`;
  return line;
}

/** A plain text (no Markdown meant) on one line, escaped for a Markdown field. */
function literalLine(text: string): string {
  return guardStart([...breakMentions(oneLine(text))].map(literal).join(''));
}

/** The subset without its markers, for fields Discord shows as they are (footer, button label). */
function plainLines(text: string): string {
  return normalize(text)
    .split('\n')
    .map((line) => {
      const item = /^(\s*)- (.*)$/.exec(line);
      return item ? `${item[1]}• ${plainInline(item[2] ?? '')}` : plainInline(line);
    })
    .join('\n');
}

function plainInline(source: string): string {
  return renderInline(source, {
    text: (char) => char,
    escaped: (char) => char,
    code: (content) => `\`${content}\``,
    emphasis: (_kind, inner) => inner,
  });
}

/** The embed title or the bold first line: one line, markers dropped, Markdown characters escaped, ≤ 256. */
function headline(source: string): string {
  return truncateMarkdown(guardStart(inline(oneLine(source), false)), limits.embedTitle);
}

const unkeep = (text: string) => text.replaceAll(keptSpace, ' ');

// ---------------------------------------------------------------------------------------------------------------
// Buttons

function buttonRows(blocks: readonly Block[]): {
  rows: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  dropped: number;
} {
  const seen = new Set<string>();
  const groups: Button[][] = [];
  for (const block of blocks) {
    if (block.kind !== 'buttons') continue;
    // Discord refuses a message whose custom_ids repeat; a repeated button would be a bug upstream, so it is dropped.
    const group = block.buttons.filter((b) => {
      checkId(b.actionId);
      if (seen.has(b.actionId)) return false;
      seen.add(b.actionId);
      return true;
    });
    if (group.length > 0) groups.push(group);
  }
  const chunk = (buttons: Button[]) =>
    Array.from({ length: Math.ceil(buttons.length / limits.buttonsPerRow) }, (_, i) =>
      buttons.slice(i * limits.buttonsPerRow, (i + 1) * limits.buttonsPerRow),
    );
  // Each buttons block starts a row of its own while the rows suffice; otherwise they pack five to a row.
  const grouped = groups.flatMap(chunk);
  const packed = grouped.length <= limits.actionRows ? grouped : chunk(groups.flat());
  const kept = packed.slice(0, limits.actionRows);
  const rows = kept.map((row) => ({ type: ComponentType.ActionRow as const, components: row.map(button) }));
  const count = groups.reduce((sum, group) => sum + group.length, 0);
  return { rows, dropped: count - kept.reduce((sum, row) => sum + row.length, 0) };
}

function checkId(id: string): void {
  // Ids come from encodeAction and are far shorter; a longer one is a programming error, not something to cut,
  // since a cut id would no longer decode when the click comes back.
  if (id.length === 0 || id.length > limits.customId) {
    throw new Error(`action id longer than Discord allows (${id.length} > ${limits.customId}): ${id.slice(0, 40)}…`);
  }
}

const buttonStyles = { primary: ButtonStyle.Primary, danger: ButtonStyle.Danger } as const;

function button(b: Button): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: b.style ? buttonStyles[b.style] : ButtonStyle.Secondary,
    // Labels show characters as they are, so the markers go; Discord refuses an empty label.
    label: truncatePlain(oneLine(plainLines(b.label)) || cutMark, limits.buttonLabel),
    // A button that asks for a typed answer opens a modal (modal.ts).
    custom_id: b.input ? modalCustomId(b.actionId) : b.actionId,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Layout: pieces into descriptions (or content), descriptions into messages

interface Budget {
  /** One description, or the content. */
  readonly page: number;
  /** Descriptions per message. */
  readonly pages: number;
  /** All descriptions of message `index` together. */
  readonly total: (index: number) => number;
}

/**
 * Fills pages in order. A piece that does not fit what is left of a page goes whole to the next page (or, with
 * `all`, the next message) when it fits there; otherwise it is cut, where there is most room. Without `all`, what is
 * left when the message is full is `cut`.
 */
function layout(pieces: readonly Piece[], budget: Budget, all: boolean): { messages: string[][]; cut: boolean } {
  const messages: string[][] = [];
  let pages: string[] = [];
  let page = '';
  let used = 0;
  const total = () => budget.total(messages.length);
  const closePage = () => {
    if (page !== '') pages.push(page);
    page = '';
  };
  const closeMessage = () => {
    closePage();
    messages.push(pages);
    pages = [];
    used = 0;
  };
  /** The places to write on next, in order: a new page of this message, and (with `all`) a new message. */
  const places = (): { capacity: number; go: () => void }[] => {
    const found: { capacity: number; go: () => void }[] = [];
    if (page !== '' && pages.length + 1 < budget.pages && total() - used > 0) {
      found.push({ capacity: Math.min(budget.page, total() - used), go: closePage });
    }
    if (all && used > 0) {
      found.push({ capacity: Math.min(budget.page, budget.total(messages.length + 1)), go: closeMessage });
    }
    return found;
  };

  const queue = [...pieces];
  let cut = false;
  while (queue.length > 0) {
    const piece = queue[0] as Piece;
    const gap = page === '' ? '' : piece.gap;
    const room = Math.min(budget.page - page.length, total() - used) - gap.length;
    const whole = show(piece);
    if (whole.length <= room) {
      page += gap + whole;
      used += gap.length + whole.length;
      queue.shift();
      continue;
    }
    // A piece goes whole to the first place it fits; one that fits nowhere is cut where there is more room.
    const next = places();
    const place =
      next.find((candidate) => whole.length <= candidate.capacity) ??
      next.find((candidate) => candidate.capacity > room + gap.length);
    if (place) {
      place.go();
      continue;
    }
    // Inside a word or a span only on a page nothing better follows: elsewhere a piece is cut at a boundary or moves on.
    const fresh = page === '' && room >= Math.min(budget.page, total());
    const taken = take(piece, room, fresh);
    if (taken) {
      page += gap + taken.head;
      used += gap.length + taken.head.length;
      if (taken.rest) queue[0] = taken.rest;
      else queue.shift();
      continue;
    }
    if (next[0]) {
      next[0].go();
      continue;
    }
    cut = true;
    break;
  }
  if (page !== '' || pages.length > 0 || messages.length === 0) closeMessage();
  return { messages, cut };
}

/** Ends the text shown with `…` (its room was reserved in every budget). */
function markCut(messages: string[][]): void {
  const pages = messages.at(-1) as string[];
  if (pages.length === 0) pages.push(cutMark);
  else pages[pages.length - 1] += cutSuffix;
}

function show(piece: Piece): string {
  return piece.kind === 'prose' ? piece.text : fenced(piece.lang, piece.body);
}

const fenced = (lang: string, body: string) => `${fence}${lang}\n${body}\n${fence}`;

/**
 * The longest head of `piece` that fits `room`, cut at a boundary (or, when `hard`, anywhere safe), and what is left;
 * undefined when none fits.
 */
function take(piece: Piece, room: number, hard: boolean): { head: string; rest?: Piece } | undefined {
  if (room < 1) return undefined;
  if (piece.kind === 'prose') {
    const [end, resume] = cutPoint(piece.text, room, ['\n', ' '], hard, true);
    const head = piece.text.slice(0, end).trimEnd();
    if (head === '') return undefined;
    const rest = piece.text.slice(resume);
    if (rest.trim() === '') return { head };
    // A line cut at a space or inside a word starts a new line: what it starts with must not become Markdown.
    const atLine = piece.text[resume - 1] === '\n';
    return { head, rest: { ...piece, text: atLine ? rest : guardStart(rest, true) } };
  }
  const bodyRoom = room - fenced(piece.lang, '').length;
  if (bodyRoom < 1) return undefined;
  const [end, resume] = cutPoint(piece.body, bodyRoom, ['\n'], hard, false);
  const head = piece.body.slice(0, end).replace(/\s+$/, '');
  if (head === '') return undefined;
  const rest = piece.body.slice(resume);
  return { head: fenced(piece.lang, head), ...(rest.trim() === '' ? {} : { rest: { ...piece, body: rest } }) };
}

/**
 * Where to cut `text` to at most `max` UTF-16 units (Discord counts code points, never more), as the Slack renderer
 * cuts: at the first of `separators` found in the second half of the piece (so no piece is tiny), else the latest of
 * them, and only then (when `hard`) inside a word, never inside a surrogate pair nor (when `escaped`) between a backslash and what it
 * escapes. `resume` is where the rest starts: only the separator at a cut is dropped.
 */
function cutPoint(
  text: string,
  max: number,
  separators: readonly string[],
  hard: boolean,
  escaped: boolean,
): [end: number, resume: number] {
  if (text.length <= max) return [text.length, text.length];
  // The character at `max` may itself be the separator, so a piece of exactly `max` is allowed.
  const window = text.slice(0, max + 1);
  const candidates = separators.map((separator): [at: number, length: number] => [
    window.lastIndexOf(separator),
    separator.length,
  ]);
  const latest = candidates.reduce((best, candidate) => (candidate[0] > best[0] ? candidate : best), [-1, 0]);
  const preferred = candidates.find(([at]) => at >= max / 2) ?? latest;
  if (preferred[0] > 0) {
    const [at, length] = preferred;
    return [at, skipNewlines(text, at + length)];
  }
  const end = hard ? safeEnd(text, max, escaped) : 0;
  return [end, end];
}

function skipNewlines(text: string, from: number): number {
  let i = from;
  while (text[i] === '\n') i += 1;
  return i;
}

/** An end at or before `end` that splits no surrogate pair and (when `escaped`) no backslash escape; may be 0. */
function safeEnd(text: string, end: number, escaped: boolean): number {
  let cut = Math.max(0, Math.min(end, text.length));
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  if (escaped) {
    let slashes = 0;
    while (text[cut - 1 - slashes] === '\\') slashes += 1;
    if (slashes % 2 === 1) cut -= 1;
  }
  return Math.max(cut, 0);
}

/** At most `max` UTF-16 units of Markdown, ending with `…` when cut, never with a dangling escape. */
function truncateMarkdown(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeEnd(text, max - cutMark.length, true)).trimEnd()}${cutMark}`;
}

/** At most `max` UTF-16 units of plain text, ending with `…` when cut. */
function truncatePlain(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeEnd(text, max - cutMark.length, false)).trimEnd()}${cutMark}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
