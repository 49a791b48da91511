/**
 * Platform-neutral messages as terminal text. With colour on, the Markdown subset becomes ANSI (bold, italic, code in
 * cyan, dim context lines); with colour off (a pipe, a script, NO_COLOR) it becomes plain text without the markers.
 *
 * Buttons cannot be clicked in a terminal, so each gets a number that is never reused in the session: `[7] B) …`.
 * The renderer keeps the number → action id map, so a member can type any number shown so far, as they could click
 * any old button in Slack or Discord (the handlers decide whether an old button still counts).
 *
 * Nothing but this renderer's own styles drives the terminal: every text it prints (content, member names, button
 * labels, the echo of a typed line) goes through `terminalSafe`, which removes control characters (ESC, BEL, NUL,
 * C1's CSI and OSC…) and direction overrides, so `\e]0;pwn\a` cannot retitle the window nor `\e[2J` clear it.
 */
import { renderInline } from '../../core/inline-markdown.ts';
import type { Block, Button, Message } from '../../core/message.ts';

const ansi = {
  bold: ['\x1b[1m', '\x1b[22m'],
  italic: ['\x1b[3m', '\x1b[23m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  code: ['\x1b[36m', '\x1b[39m'],
  danger: ['\x1b[31m', '\x1b[39m'],
  primary: ['\x1b[32m', '\x1b[39m'],
} as const;

type Style = keyof typeof ansi;

export interface RenderOptions {
  /** ANSI styles on (a colour terminal) or off (plain text). */
  readonly color: boolean;
}

export class TerminalRenderer {
  readonly color: boolean;
  readonly #actions = new Map<number, string>();
  /** Buttons that ask for a typed answer first (`Button.input`: a command exercise). */
  readonly #inputs = new Set<number>();
  #last = 0;
  #lastInput = 0;

  constructor(options: RenderOptions) {
    this.color = options.color;
  }

  /** The action id behind button `number`, or undefined when no such button was shown. */
  actionFor(number: number): string | undefined {
    return this.#actions.get(number);
  }

  /** Whether button `number` asks for a typed answer (the terminal takes the next line). */
  asksInput(number: number): boolean {
    return this.#inputs.has(number);
  }

  /** The number of the latest button that asks for a typed answer (0 before the first). */
  get lastInput(): number {
    return this.#lastInput;
  }

  /** The highest button number shown so far (0 before the first button). */
  get lastButton(): number {
    return this.#last;
  }

  /**
   * A message as lines of text: an optional label line (where it appears, "only you"), the headline, the blocks.
   * Ends with a newline and is followed by a blank line, so consecutive messages stay apart.
   */
  message(message: Message, label?: string): string {
    const lines: string[] = [];
    if (label) lines.push(this.style('dim', `── ${terminalSafe(label)} ──`));
    if (message.headline) lines.push(this.style('bold', this.inline(message.headline, false)));
    for (const block of message.blocks) lines.push(...this.block(block));
    return `${lines.join('\n')}\n\n`;
  }

  block(block: Block): string[] {
    switch (block.kind) {
      case 'text':
        return block.text.split('\n').map((line) => this.line(line));
      case 'context':
        return block.text.split('\n').map((line) => this.style('dim', this.inline(line, false)));
      case 'code':
        return block.source.split('\n').map((line) => this.style('code', `    ${terminalSafe(line)}`));
      case 'buttons':
        return block.buttons.map((button) => this.button(button));
    }
  }

  button(button: Button): string {
    this.#last += 1;
    this.#actions.set(this.#last, button.actionId);
    if (button.input) {
      this.#inputs.add(this.#last);
      this.#lastInput = this.#last;
    }
    const label = `[${this.#last}] ${terminalSafe(button.label)}`;
    return `  ${button.style ? this.style(button.style, label) : label}`;
  }

  /** One line of a text block: a `- ` list item becomes a bullet. */
  line(line: string): string {
    const item = /^(\s*)- (.*)$/.exec(line);
    if (item) return `${item[1]}  • ${this.inline(item[2] ?? '', true)}`;
    return this.inline(line, true);
  }

  /**
   * The Markdown subset of one line: `*bold*`, `_italic_`, `` `code` `` and backslash escapes (from `safeText`).
   * Markers count only at word edges, as Slack reads them, so `snake_case` and `2*3*4` stay as typed. With
   * `styled` false the markers are dropped but nothing is styled (for a headline or a context line, styled whole).
   */
  inline(source: string, styled: boolean): string {
    return renderInline(terminalSafe(source), {
      text: (char) => char,
      escaped: (char) => char,
      code: (content) => (styled && this.color ? this.style('code', content) : this.color ? content : `\`${content}\``),
      emphasis: (kind, inner) => (styled ? this.style(kind, inner) : inner),
    });
  }

  style(style: Style, value: string): string {
    if (!this.color || value === '') return value;
    const [on, off] = ansi[style];
    return `${on}${value}${off}`;
  }
}

/** Drops the ANSI styles from rendered text (for tests and for measuring). */
export function stripAnsi(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point
  return value.replace(/\x1b\[[0-9;]*m/g, '');
}

/** Text that cannot drive a terminal: C0 controls but tab and line feed, DEL, C1 controls, direction overrides out. */
export function terminalSafe(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return value.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '');
}
