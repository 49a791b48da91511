import { resolve } from 'node:path';
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { contentMessageCount, contentMessages } from '../../../test/support/content-messages.ts';
import { loadTracks } from '../../content/load-tracks.ts';
import { locales } from '../../core/locale.ts';
import { type Message, safeText } from '../../core/message.ts';
import {
  maxActionId,
  maxActionsElements,
  maxBlocks,
  maxButtonText,
  maxButtonValue,
  maxContextElements,
  maxFallbackText,
  maxHeaderText,
  maxSectionText,
  renderSlack,
  split,
} from './render.ts';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every Block Kit limit the renderer promises, checked on one rendered message; the problems found. */
function limitProblems({ text, blocks }: { text: string; blocks: readonly KnownBlock[] }): string[] {
  const problems: string[] = [];
  if (text.length === 0 || text.length > maxFallbackText) problems.push(`fallback text ${text.length}`);
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks`);
  const actionIds = new Set<string>();
  for (const block of blocks) {
    if (block.type === 'header') {
      const length = block.text.text.length;
      if (length === 0 || length > maxHeaderText) problems.push(`header ${length}`);
    }
    if (block.type === 'section') {
      const length = block.text?.text.length ?? 0;
      if (length === 0 || length > maxSectionText) problems.push(`section ${length}`);
    }
    if (block.type === 'context') {
      if (block.elements.length === 0 || block.elements.length > maxContextElements) problems.push('context elements');
      for (const element of block.elements) {
        if ('text' in element && typeof element.text === 'string' && element.text.length > maxSectionText) {
          problems.push(`context ${element.text.length}`);
        }
      }
    }
    if (block.type === 'actions') {
      if (block.elements.length === 0 || block.elements.length > maxActionsElements) problems.push('actions elements');
      for (const element of block.elements) {
        if (element.type !== 'button') continue;
        const label = element.text.text;
        if (label.length === 0 || label.length > maxButtonText) problems.push(`button text ${label.length}`);
        if (loneSurrogate.test(label)) problems.push('button text cut inside a character');
        const id = element.action_id ?? '';
        if (id.length === 0 || id.length > maxActionId) problems.push(`action_id ${id.length}`);
        if ((element.value ?? '').length > maxButtonValue) problems.push('value too long');
        if (actionIds.has(id)) problems.push(`repeated action_id ${id}`);
        actionIds.add(id);
      }
    }
  }
  return problems;
}

const sections = (blocks: readonly KnownBlock[]) =>
  blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
const contexts = (blocks: readonly KnownBlock[]) =>
  blocks.flatMap((block) =>
    block.type === 'context'
      ? block.elements.flatMap((e) => ('text' in e && typeof e.text === 'string' ? [e.text] : []))
      : [],
  );
const words = (value: string) => value.split(/\s+/).filter((word) => word !== '');
const isCode = (section: string) => section.startsWith('```');
/** What a reader sees outside code: inline code spans stand for one character, so `*`x`*` stays a bold span. */
const prose = (section: string) => section.replace(/`[^`\n]*`/g, 'c');

describe('renderSlack', () => {
  it('GIVEN a headline, text, code, context and buttons THEN header, sections, fenced code, context and actions', () => {
    const { text, blocks } = renderSlack({
      headline: 'O que é o Docker',
      blocks: [
        { kind: 'text', text: 'Um *contêiner* é um processo:\n- isolado\n- limitado' },
        { kind: 'code', lang: 'sh', source: 'docker run --rm alpine echo "<oi>"\n' },
        { kind: 'context', text: 'Lição 1 de 48' },
        {
          kind: 'buttons',
          buttons: [
            { label: 'A) Sim', actionId: 'a1', style: 'primary' },
            { label: 'B) Não', actionId: 'a2' },
          ],
        },
      ],
    });
    expect(blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'O que é o Docker' } });
    expect(sections(blocks)[0]).toBe('Um *contêiner* é um processo:\n• isolado\n• limitado');
    expect(sections(blocks)[1]).toBe('```\ndocker run --rm alpine echo "&lt;oi&gt;"\n```');
    expect(contexts(blocks)).toEqual(['Lição 1 de 48']);
    expect(blocks[4]).toMatchObject({
      elements: [
        {
          type: 'button',
          action_id: 'a1',
          value: 'a1',
          style: 'primary',
          text: { type: 'plain_text', text: 'A) Sim' },
        },
        { type: 'button', action_id: 'a2', value: 'a2', text: { text: 'B) Não' } },
      ],
    });
    expect(blocks[4]).not.toMatchObject({ elements: [{}, { style: expect.anything() }] });
    expect(text).toBe(
      'O que é o Docker\nUm contêiner é um processo:\n• isolado\n• limitado\ndocker run --rm alpine echo "&lt;oi&gt;"\nLição 1 de 48',
    );
  });

  it('GIVEN text with <, > and & THEN Slack escapes them everywhere, so no text can mention, ping or link', () => {
    const hostile = '<!channel> <@U1> a & b <https://x|y> `<!here>`';
    const { text, blocks } = renderSlack({
      blocks: [
        { kind: 'text', text: hostile },
        { kind: 'context', text: hostile },
      ],
    });
    const escaped = '&lt;!channel&gt; &lt;@U1&gt; a &amp; b &lt;https://x|y&gt; `&lt;!here&gt;`';
    expect(sections(blocks)).toEqual([escaped]);
    expect(contexts(blocks)).toEqual([escaped]);
    // Slack reads the notification text as mrkdwn too; there the code span's backticks are inert look-alikes.
    const inert = escaped.replaceAll('`', '\u02cb');
    expect(text).toBe(`${inert}\n${inert}`);
    for (const out of [text, ...sections(blocks), ...contexts(blocks)]) expect(out).not.toMatch(/[<>]/);
  });

  it('GIVEN Markdown bold and italic with doubled markers THEN single Slack markers, code spans and lone stars untouched', () => {
    const { blocks } = renderSlack({
      blocks: [{ kind: 'text', text: '**Volume**: dados. __Nota__, *já* _ok_. `**/*.log` e 2 * 3 e snake_case' }],
    });
    expect(sections(blocks)).toEqual(['*Volume*: dados. _Nota_, *já* _ok_. `**/*.log` e 2 * 3 e snake_case']);
  });

  it('GIVEN list lines, nested or not THEN Slack bullets, and a dash inside a line stays a dash', () => {
    const { blocks } = renderSlack({ blocks: [{ kind: 'text', text: '- um\n  - dois\nantes - depois\n-sem espaço' }] });
    expect(sections(blocks)).toEqual(['• um\n  • dois\nantes - depois\n-sem espaço']);
  });

  it('GIVEN member text escaped by safeText THEN no backslash shows and no marker at a word edge can format', () => {
    const name = safeText('*ana* _bia_ maria_silva 2*3 ~x~ `y` [z] a|b <@U1>');
    const { text, blocks } = renderSlack({ headline: name, blocks: [{ kind: 'text', text: `Oi, ${name}!` }] });
    const [shown] = sections(blocks);
    expect(shown).not.toContain('\\');
    expect(shown).toBe('Oi, ∗ana∗ ＿bia＿ maria_silva 2*3 ∼x∼ ˋyˋ [z] a|b &lt;@U1&gt;!');
    // plain_text shows characters as they are: the header has the member's own characters back.
    expect(blocks[0]).toMatchObject({ text: { text: '*ana* _bia_ maria_silva 2*3 ~x~ `y` [z] a|b <@U1>' } });
    expect(text).not.toContain('\\');
    expect(text).not.toMatch(/[<>]/);
  });

  it('GIVEN a text longer than a section THEN several sections, none over the limit, cut at line breaks, nothing lost', () => {
    const paragraph = 'palavra '.repeat(40).trim();
    const long = Array.from({ length: 40 }, () => paragraph).join('\n');
    const { blocks } = renderSlack({ blocks: [{ kind: 'text', text: long }] });
    const parts = sections(blocks);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(maxSectionText);
    expect(parts.join('\n')).toBe(long);
  });

  it('GIVEN paragraphs longer than a section together THEN each cut falls between paragraphs, not inside one', () => {
    const paragraphs = Array.from({ length: 8 }, (_, p) =>
      Array.from({ length: 30 }, (_, line) => `p${p} linha ${line} com algumas palavras`).join('\n'),
    );
    const parts = split(paragraphs.join('\n\n'), maxSectionText);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(maxSectionText);
      for (const piece of part.split('\n\n')) expect(paragraphs).toContain(piece);
    }
    expect(parts.join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it('GIVEN one word longer than a section THEN it is cut where it must be, never inside an escape or a character', () => {
    expect(split('x'.repeat(7000), 3000).map((part) => part.length)).toEqual([3000, 3000, 1000]);
    const { blocks } = renderSlack({ blocks: [{ kind: 'text', text: '&'.repeat(1000) }] });
    const parts = sections(blocks);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(maxSectionText);
      expect(part).toMatch(/^(&amp;)+$/);
    }
    expect(parts.join('')).toBe('&amp;'.repeat(1000));
    for (const part of split('😀'.repeat(2000), 3001)) expect(part).not.toMatch(loneSurrogate);
  });

  it('GIVEN code longer than a section THEN fenced sections cut at line breaks, indentation kept, ``` made inert', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${i % 2 ? '  ' : ''}echo "linha ${i}" && true`);
    const { blocks } = renderSlack({
      blocks: [{ kind: 'code', lang: 'sh', source: `${lines.join('\n')}\necho \`\`\`\n` }],
    });
    const parts = sections(blocks);
    expect(parts.length).toBeGreaterThan(1);
    const bodies = parts.map((part) => {
      expect(part.length).toBeLessThanOrEqual(maxSectionText);
      expect(part.startsWith('```\n') && part.endsWith('\n```')).toBe(true);
      return part.slice(4, -4);
    });
    for (const body of bodies) expect(body).not.toContain('```');
    expect(bodies.join('\n')).toBe([...lines.map((line) => line.replace(/&/g, '&amp;')), 'echo ``\u200b`'].join('\n'));
  });

  it('GIVEN code with a run of six backticks THEN no ``` survives inside the fence', () => {
    const { blocks } = renderSlack({ blocks: [{ kind: 'code', lang: 'md', source: 'antes `````` depois' }] });
    const body = (sections(blocks)[0] ?? '').slice(4, -4);
    expect(body).not.toContain('```');
    expect(body.replace(/\u200b/g, '')).toBe('antes `````` depois');
  });

  it('GIVEN more blocks than Slack takes THEN the first 49 in order and a last line saying it was cut', () => {
    const message: Message = { blocks: Array.from({ length: 60 }, (_, i) => ({ kind: 'text', text: `p${i}` })) };
    const { blocks } = renderSlack(message);
    expect(blocks).toHaveLength(maxBlocks);
    expect(sections(blocks)).toEqual(Array.from({ length: maxBlocks - 1 }, (_, i) => `p${i}`));
    expect(blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…', verbatim: true }] });
  });

  it('GIVEN a long headline THEN a plain header of at most 150 characters ending in …, markers dropped', () => {
    const { blocks } = renderSlack({ headline: `**Docker** ${'h'.repeat(200)}`, blocks: [] });
    const [head] = blocks;
    expect(head?.type).toBe('header');
    const shown = head?.type === 'header' ? head.text.text : '';
    expect(shown.length).toBe(maxHeaderText);
    expect(shown.startsWith('Docker hhh')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    const emoji = renderSlack({ headline: '😀'.repeat(100), blocks: [] }).blocks[0];
    const emojiText = emoji?.type === 'header' ? emoji.text.text : '';
    expect(emojiText.length).toBeLessThanOrEqual(maxHeaderText);
    expect(emojiText).not.toMatch(loneSurrogate);
  });

  it('GIVEN a long label, a repeated action id and 30 buttons THEN labels cut, repeats dropped, rows of 25', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ label: `${i}`, actionId: `id${i}` }));
    const { text, blocks } = renderSlack({
      blocks: [
        {
          kind: 'buttons',
          buttons: [
            { label: 'l'.repeat(100), actionId: 'x', style: 'danger' },
            { label: 'again', actionId: 'x' },
          ],
        },
        { kind: 'buttons', buttons: [...buttons, { label: 'x again', actionId: 'x' }] },
      ],
    });
    expect(limitProblems({ text, blocks })).toEqual([]);
    expect(blocks.map((block) => (block.type === 'actions' ? block.elements.length : 0))).toEqual([1, 25, 5]);
    expect(blocks[0]).toMatchObject({
      elements: [{ action_id: 'x', style: 'danger', text: { text: `${'l'.repeat(74)}…` } }],
    });
    // A message of buttons only still has a notification text.
    expect(text).toBe('…');
  });

  it('GIVEN an action id longer than Slack allows THEN a clear error, since a cut id could not come back', () => {
    expect(() =>
      renderSlack({ blocks: [{ kind: 'buttons', buttons: [{ label: 'a', actionId: 'y'.repeat(maxActionId + 1) }] }] }),
    ).toThrow(/action id longer than Slack allows \(256 > 255\)/);
    expect(() =>
      renderSlack({ blocks: [{ kind: 'buttons', buttons: [{ label: 'a', actionId: 'y'.repeat(maxActionId) }] }] }),
    ).not.toThrow();
  });

  it('GIVEN blank text, context and code blocks THEN no empty block, which Slack would refuse', () => {
    const { blocks } = renderSlack({
      blocks: [
        { kind: 'text', text: ' \n ' },
        { kind: 'context', text: '' },
        { kind: 'code', lang: 'sh', source: '\n' },
        { kind: 'buttons', buttons: [] },
      ],
    });
    expect(blocks).toEqual([]);
  });

  describe('GIVEN every lesson and question of every track in both languages', () => {
    const { tracks, problems } = loadTracks(resolve(import.meta.dirname, '..', '..', '..', 'content'));

    it('THEN the content loads and holds enough to be worth checking', () => {
      expect(problems).toEqual([]);
      expect(tracks.length).toBeGreaterThan(0);
    });

    it('THEN each rendered message keeps every Block Kit limit and shows no raw Markdown', () => {
      let checked = 0;
      let expected = 0;
      const failures: string[] = [];
      const check = (what: string, message: Message) => {
        const rendered = renderSlack(message);
        failures.push(...limitProblems(rendered).map((problem) => `${what}: ${problem}`));
        for (const shown of [...sections(rendered.blocks).filter((s) => !isCode(s)), ...contexts(rendered.blocks)]) {
          if (prose(shown).includes('**')) failures.push(`${what}: Markdown ** shown literally`);
          if (/[<>]/.test(shown)) failures.push(`${what}: unescaped < or >`);
        }
        checked++;
      };
      for (const { what, message } of contentMessages(tracks)) check(what, message);
      expected = contentMessageCount(tracks);
      expect(failures).toEqual([]);
      expect(checked).toBe(expected);
      expect(checked).toBeGreaterThan(300);
    });

    it('THEN each lesson, its text tripled past a section, splits within limits without losing a word', () => {
      // No lesson is over 3000 characters today; tripling real text exercises the split on real Markdown anyway.
      let split = 0;
      for (const track of tracks) {
        for (const locale of locales) {
          for (const lesson of track.lessons) {
            const body = [lesson.drop[locale], lesson.more?.[locale] ?? ''].join('\n\n').trim();
            const long = Array.from({ length: Math.ceil((3 * maxSectionText) / body.length) }, () => body).join('\n\n');
            const rendered = renderSlack({ blocks: [{ kind: 'text', text: long }] });
            expect(limitProblems(rendered)).toEqual([]);
            const parts = sections(rendered.blocks);
            expect(parts.length).toBeGreaterThan(2);
            // Conversion is line by line, so paragraph by paragraph it must give the same words as the split whole.
            const byParagraph = long
              .split('\n\n')
              .flatMap((p) => sections(renderSlack({ blocks: [{ kind: 'text', text: p }] }).blocks));
            expect(words(parts.join('\n'))).toEqual(words(byParagraph.join('\n')));
            split++;
          }
        }
      }
      expect(split).toBeGreaterThan(50);
    });
  });
});
