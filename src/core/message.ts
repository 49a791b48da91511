/**
 * The platform-neutral message model. Commands and the scheduler build `Message`s; each adapter's renderer turns one
 * into its platform's format (Slack blocks, Discord content and components, plain text in the terminal) and keeps it
 * inside that platform's limits (each adapter's render.ts says them in its header).
 *
 * Text uses a small, safe Markdown subset that every platform can show: `*bold*`, `_italic_`, `` `code` ``, lines
 * starting with `- ` for lists, and nothing else (no links, no headings, no HTML, no mentions). Content written in
 * common Markdown doubles the markers (`**bold**`, `__italic__`); every renderer reads both spellings the same.
 * `safeText` escapes what a member typed, so a name or a search never injects formatting or a mass mention.
 */

/** A button: what it says, and the opaque action id the platform gives back when it is clicked (`action-id.ts`). */
export interface Button {
  readonly label: string;
  readonly actionId: string;
  /** `primary` for the one obvious choice, `danger` for a destructive one; plain otherwise. */
  readonly style?: 'primary' | 'danger';
  /**
   * The button asks for a typed answer first (a command exercise): the adapter shows a text input (a Slack modal, a
   * Discord modal, the terminal's next line) and sends what was typed with the action (`ActionRequest.typed`).
   * `title` and `submit` at most 24 characters, `label` at most 45, `placeholder` at most 100 (the platforms' smallest
   * limits: Slack's modal title and submit, Discord's text input label and placeholder).
   */
  readonly input?: {
    readonly title: string;
    readonly label: string;
    readonly placeholder: string;
    readonly submit: string;
  };
}

export type Block =
  /** A paragraph in the Markdown subset. */
  | { readonly kind: 'text'; readonly text: string }
  /** Preformatted code; `lang` is a hint for highlighting. */
  | { readonly kind: 'code'; readonly lang: string; readonly source: string }
  /** A small, dim line: counts, hints, the time of a drop. */
  | { readonly kind: 'context'; readonly text: string }
  /** A row of buttons (one per option of a question). */
  | { readonly kind: 'buttons'; readonly buttons: readonly Button[] };

/**
 * A file that goes with a message (a CSV export, a PNG chart). Each adapter sends it through its platform's file API
 * (Slack's external upload, a Discord attachment) or, in the terminal, writes it to a folder and shows the path.
 */
export interface Attachment {
  /** The file's name with its extension, safe on every platform: `[A-Za-z0-9._-]`, at most 100 characters. */
  readonly filename: string;
  /** `text/csv`, `image/png`, `application/json`. */
  readonly mimeType: string;
  readonly data: Uint8Array;
  /** A short title or, for an image, its alternative text. */
  readonly title?: string;
}

export interface Message {
  /** A short title, shown bold or as a header. */
  readonly headline?: string;
  readonly blocks: readonly Block[];
  /** Files sent with the message, in order. */
  readonly files?: readonly Attachment[];
}

/**
 * Where a reply goes. `private`: only the member who acted (Slack ephemeral, Discord ephemeral, "only you" in the
 * terminal). `here`: the channel where the member acted, for everyone. `thread`: the thread under a post whose
 * platform reference is `postRef`.
 */
export type Audience =
  | { readonly kind: 'private' }
  | { readonly kind: 'here' }
  | { readonly kind: 'thread'; readonly postRef: string };

export interface Reply {
  readonly audience: Audience;
  readonly message: Message;
}

/** Where a proactive post (a drop, a quiz question, a summary) goes: a channel, or the thread under one of its posts. */
export interface PostTarget {
  /** The platform's channel id (Slack `C…`, Discord snowflake, a terminal room name). */
  readonly channelRef: string;
  /** The platform reference of the post whose thread receives the message; absent = the channel itself. */
  readonly threadOf?: string;
  /** A title for the thread when the platform makes one on demand (Discord); at most 100 characters. */
  readonly threadName?: string;
  /**
   * What this post is, stable across tries (`drop:<id>`, `question:<id>`, `summary:<id>`): an adapter whose platform
   * can make a post idempotent uses it, so a try repeated after a crash between posting and recording the post does
   * not post twice (Discord: the message nonce; Slack: the message's metadata, looked up before a retried post).
   */
  readonly key?: string;
  /** True when an earlier try of the same `key` may have posted already (a retry or a claim taken over). */
  readonly retry?: boolean;
}

/** What an adapter gives back for a post: its platform reference and, when it opened one, the thread's. */
export interface PostRef {
  readonly postRef: string;
  /** Where replies to the post live (Slack: the post's `ts`; Discord: the thread channel's id). */
  readonly threadRef: string;
}

/**
 * The port through which the core posts without being asked (daily drops, quiz questions, close summaries). Each
 * adapter implements it; the scheduler is its only caller.
 */
export interface Notifier {
  post(target: PostTarget, message: Message): Promise<PostRef>;
  /**
   * Sends a direct message to one member (a nudge): `userRef` is the member's platform user id on this platform
   * (Slack `U…`, a Discord snowflake, the terminal's user name). The adapter opens the conversation when needed.
   */
  direct(userRef: string, message: Message): Promise<PostRef>;
}

export const privately = (message: Message): Reply => ({ audience: { kind: 'private' }, message });
export const inChannel = (message: Message): Reply => ({ audience: { kind: 'here' }, message });

export function text(value: string): Block {
  return { kind: 'text', text: value };
}

export function context(value: string): Block {
  return { kind: 'context', text: value };
}

/** Escapes the Markdown subset's markers and mention syntax in text a member typed. */
export function safeText(value: string): string {
  return value
    .replace(/[\\`*_~<>|[\]]/g, (char) => `\\${char}`)
    .replace(/@(everyone|here|channel)/gi, '@\u200b$1')
    .replace(/[\r\n]+/g, ' ');
}

/** Cuts `value` to at most `max` characters (counting code points), ending with `…` when it was cut. */
export function truncate(value: string, max: number): string {
  const chars = [...value];
  if (chars.length <= max) return value;
  return `${chars
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}

/** The plain characters of a message, for limits and tests: headline and every text, code and context block. */
export function plainText(message: Message): string {
  const parts: string[] = message.headline ? [message.headline] : [];
  for (const block of message.blocks) {
    if (block.kind === 'text' || block.kind === 'context') parts.push(block.text);
    else if (block.kind === 'code') parts.push(block.source);
    else parts.push(block.buttons.map((button) => `[${button.label}]`).join(' '));
  }
  return parts.join('\n');
}
