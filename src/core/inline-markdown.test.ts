import { describe, expect, it } from 'vitest';
import { type InlineRenderer, renderInline } from './inline-markdown.ts';
import { safeText } from './message.ts';

/** Shows what the reader found: [b:…], [i:…], [c:…], and escaped characters as {x} or {x·w} inside a word. */
const tags: InlineRenderer = {
  text: (char) => char,
  escaped: (char, inWord) => `{${char}${inWord ? '·w' : ''}}`,
  code: (content) => `[c:${content}]`,
  emphasis: (kind, inner) => `[${kind === 'bold' ? 'b' : 'i'}:${inner}]`,
};

describe('renderInline', () => {
  it.each([
    ['*bold* and _italic_', '[b:bold] and [i:italic]'],
    ['**bold** and __italic__', '[b:bold] and [i:italic]'],
    ['*outer _inner_*', '[b:outer [i:inner]]'],
    ['`a *b* \\_c`', '[c:a *b* _c]'],
    ['snake_case and 2*3*4 stay', 'snake_case and 2*3*4 stay'],
    ['* not bold *', '* not bold *'],
    ['unclosed *marker', 'unclosed *marker'],
  ])('GIVEN %j THEN %j', (source, expected) => {
    expect(renderInline(source, tags)).toBe(expected);
  });

  it("GIVEN a member's text through safeText THEN every marker is an escaped character, never formatting", () => {
    expect(renderInline(safeText('*ana* snake_case `x`'), tags)).toBe('{*}ana{*} snake{_·w}case {`}x{`}');
  });
});
