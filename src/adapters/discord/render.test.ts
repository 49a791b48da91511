import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentMessageCount, contentMessages } from '../../../test/support/content-messages.ts';
import { loadTracks } from '../../content/load-tracks.ts';
import { locales } from '../../core/locale.ts';
import { type Button, context, type Message, safeText, text } from '../../core/message.ts';
import {
  attachFiles,
  attachmentName,
  type DiscordMessage,
  embedChars,
  fileLimits,
  limits,
  renderDiscord,
  renderDiscordParts,
  selectFiles,
} from './render.ts';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const codePoints = (value: string) => [...value].length;

/**
 * What Discord would read as Markdown the subset does not mean, in one rendered Markdown field, read left to right as
 * Discord reads it (an escape first, then a fence, then a code span): an unescaped `_ ~ | [ ] <` outside code
 * (underline, strike, spoiler, masked link, mention), a `#` or `>` starting a line (heading, quote), an unpaired `*`
 * (raw markers shown), a live `@everyone`/`@here`, and a code fence or span left open.
 */
function markdownProblems(value: string): string[] {
  const problems: string[] = [];
  let stars = 0;
  let lineStart = true;
  const endLine = (at: number) => {
    if (stars % 2 === 1) problems.push(`unpaired *: ${value.slice(Math.max(0, at - 60), at)}`);
    stars = 0;
    lineStart = true;
  };
  for (let i = 0; i < value.length; i++) {
    if (lineStart) {
      // Leading spaces, a `- ` list marker and a `-# ` subtext marker leave a `#` or `>` at the start of the line.
      i += /^[ \t]*(?:-# |- )?[ \t]*/.exec(value.slice(i))?.[0].length ?? 0;
      if (/^[#>]/.test(value.slice(i))) problems.push(`line starts with ${value[i]}: ${value.slice(i, i + 40)}`);
      lineStart = false;
      if (i >= value.length) break;
    }
    const char = value[i] as string;
    if (char === '\n') endLine(i);
    else if (char === '\\') i += 1;
    else if (value.startsWith('```', i)) {
      const close = value.indexOf('```', i + 3);
      if (close < 0) problems.push(`code fence left open: ${value.slice(i, i + 40)}`);
      i = close < 0 ? value.length : close + 2;
    } else if (char === '`') {
      const ticks = /^`+/.exec(value.slice(i))?.[0] ?? '`';
      const close = value.indexOf(ticks, i + ticks.length);
      if (close < 0 || value.slice(i, close).includes('\n'))
        problems.push(`code span left open: ${value.slice(i, i + 40)}`);
      i = close < 0 ? value.length : close + ticks.length - 1;
    } else if ('_~|[]<'.includes(char)) {
      problems.push(`unescaped ${char}: ${value.slice(Math.max(0, i - 20), i + 20)}`);
    } else if (char === '*') stars += 1;
    else if (/^@(everyone|here)/i.test(value.slice(i))) problems.push(`live mention: ${value.slice(i, i + 20)}`);
  }
  endLine(value.length);
  return problems;
}

/** Every Discord limit in `limits`, checked on one rendered message, plus what Discord refuses; the problems found. */
function limitProblems(message: DiscordMessage): string[] {
  const problems: string[] = [];
  const within = (what: string, value: string | undefined, max: number) => {
    if (value === undefined) return;
    // UTF-16 units are never fewer than the code points Discord counts, so checking both costs nothing.
    if (value.trim().length === 0 || value.length > max || codePoints(value) > max) {
      problems.push(`${what} ${value.length}`);
    }
    if (loneSurrogate.test(value)) problems.push(`${what} cut inside a character`);
  };
  within('content', message.content, limits.content);
  if (message.content !== undefined) problems.push(...markdownProblems(message.content));
  if (message.embeds.length > limits.embedsPerMessage) problems.push(`${message.embeds.length} embeds`);
  let total = 0;
  for (const embed of message.embeds) {
    within('title', embed.title, limits.embedTitle);
    within('description', embed.description, limits.embedDescription);
    within('footer', embed.footer?.text, limits.embedFooter);
    if ((embed.fields ?? []).length > limits.embedFields) problems.push(`${embed.fields?.length} fields`);
    for (const field of embed.fields ?? []) {
      within('field name', field.name, limits.embedFieldName);
      within('field value', field.value, limits.embedFieldValue);
    }
    for (const markdown of [embed.title, embed.description]) if (markdown) problems.push(...markdownProblems(markdown));
    if (!embed.title && !embed.description && !embed.footer) problems.push('empty embed');
    total += [embed.title, embed.description, embed.footer?.text].reduce((sum, v) => sum + (v?.length ?? 0), 0);
  }
  if (embedChars(message) > limits.embedsTotal || total > limits.embedsTotal) {
    problems.push(`embeds total ${embedChars(message)}`);
  }
  if (message.components.length > limits.actionRows) problems.push(`${message.components.length} action rows`);
  const ids = new Set<string>();
  for (const row of message.components) {
    if (row.type !== 1) problems.push(`row type ${row.type}`);
    if (row.components.length === 0 || row.components.length > limits.buttonsPerRow) {
      problems.push(`${row.components.length} buttons in a row`);
    }
    for (const button of row.components) {
      if (button.type !== 2) problems.push(`button type ${button.type}`);
      if (![1, 2, 4].includes(button.style)) problems.push(`button style ${button.style}`);
      within('button label', button.label ?? '', limits.buttonLabel);
      const id = button.custom_id;
      if (id.length === 0 || id.length > limits.customId) problems.push(`custom_id ${id.length}`);
      if (ids.has(button.custom_id)) problems.push(`repeated custom_id ${button.custom_id}`);
      ids.add(button.custom_id);
    }
  }
  if (JSON.stringify(message.allowed_mentions) !== '{"parse":[]}') problems.push('mentions allowed');
  if (!message.content && message.embeds.length === 0 && message.components.length === 0) problems.push('empty');
  return problems;
}

const descriptions = (message: DiscordMessage) => message.embeds.flatMap((embed) => embed.description ?? []);
const words = (value: string) => value.split(/\s+/).filter((word) => word !== '');
const labels = (message: DiscordMessage) => message.components.map((row) => row.components.map((b) => b.label));
const plain = { style: 'plain' } as const;

const lesson: Message = {
  headline: 'O que é o Docker',
  blocks: [
    text('Um **contêiner** é um processo:\n- isolado\n- limitado'),
    { kind: 'code', lang: 'sh', source: 'docker run --rm alpine echo "<oi>"\n' },
    context('Lição 1 de 48'),
    {
      kind: 'buttons',
      buttons: [
        { label: 'A) Sim', actionId: 'a1', style: 'primary' },
        { label: 'B) Não', actionId: 'a2' },
        { label: 'C) Apagar', actionId: 'a3', style: 'danger' },
      ],
    },
  ],
};

describe('renderDiscord', () => {
  it('GIVEN a headline, text, code, context and buttons THEN one embed: title, description, footer; a row of buttons', () => {
    expect(renderDiscord(lesson, { color: 0x2b6cb0 })).toEqual({
      embeds: [
        {
          title: 'O que é o Docker',
          description:
            'Um **contêiner** é um processo:\n- isolado\n- limitado\n\n```sh\ndocker run --rm alpine echo "<oi>"\n```',
          footer: { text: 'Lição 1 de 48' },
          color: 0x2b6cb0,
        },
      ],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 1, label: 'A) Sim', custom_id: 'a1' },
            { type: 2, style: 2, label: 'B) Não', custom_id: 'a2' },
            { type: 2, style: 4, label: 'C) Apagar', custom_id: 'a3' },
          ],
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('GIVEN the same message in plain style THEN content only: a bold first line, the blocks, the context as subtext', () => {
    const rendered = renderDiscord(lesson, { ...plain, color: 1, footer: 'Trilha · docker' });
    expect(rendered.embeds).toEqual([]);
    expect(rendered.content).toBe(
      '**O que é o Docker**\nUm **contêiner** é um processo:\n- isolado\n- limitado\n\n```sh\ndocker run --rm alpine echo "<oi>"\n```\n-# Lição 1 de 48\n-# Trilha · docker',
    );
    expect(labels(rendered)).toEqual([['A) Sim', 'B) Não', 'C) Apagar']]);
    expect(rendered.allowed_mentions).toEqual({ parse: [] });
  });

  it('GIVEN a context between texts and a footer option THEN subtext in place, the option last in the footer', () => {
    const rendered = renderDiscord(
      { headline: 'h', blocks: [text('um'), context('no meio\n\nduas linhas'), text('dois'), context('fim')] },
      { footer: 'Trilha *x*' },
    );
    expect(descriptions(rendered)).toEqual(['um\n-# no meio\n-# duas linhas\n\ndois']);
    // The footer shows characters as they are: no escapes there.
    expect(rendered.embeds[0]?.footer).toEqual({ text: 'fim\nTrilha *x*' });
    expect(renderDiscord({ blocks: [context('só isto')] })).toMatchObject({
      embeds: [{ description: '-# só isto' }],
    });
  });

  it('GIVEN Markdown bold and italic with doubled markers THEN ** and *, never __ (underline), code spans as they are', () => {
    const rendered = renderDiscord(
      { blocks: [text('**Volume**: dados. __Nota__, *já* _ok_. `**/*.log` e 2 * 3 e snake_case e ***x***')] },
      plain,
    );
    expect(rendered.content).toBe(
      '**Volume**: dados. *Nota*, **já** *ok*. `**/*.log` e 2 \\* 3 e snake\\_case e **\\*x**\\*',
    );
    expect(markdownProblems(rendered.content ?? '')).toEqual([]);
  });

  it('GIVEN list lines, nested or not THEN Discord lists as written, and a dash inside a line stays a dash', () => {
    const rendered = renderDiscord({ blocks: [text('- um\n  - dois\nantes - depois\n-sem espaço')] }, plain);
    expect(rendered.content).toBe('- um\n  - dois\nantes - depois\n-sem espaço');
  });

  it('GIVEN member text escaped by safeText THEN the backslashes stay (Discord honours them) and nothing formats', () => {
    const name = safeText('*ana* _bia_ maria_silva 2*3 ~~x~~ `y` [z](u) a||b|| <@U1> @everyone \\o/');
    const rendered = renderDiscord({ headline: name, blocks: [text(`Oi, ${name}!`)] });
    const shown =
      '\\*ana\\* \\_bia\\_ maria\\_silva 2\\*3 \\~\\~x\\~\\~ \\`y\\` \\[z\\](u) a\\|\\|b\\|\\| \\<@U1\\> @\u200beveryone \\\\o/';
    expect(rendered.embeds[0]?.title).toBe(shown);
    expect(descriptions(rendered)).toEqual([`Oi, ${shown}!`]);
    expect(limitProblems(rendered)).toEqual([]);
    // A button label is not Markdown: the member's own characters come back.
    const labelled = renderDiscord({ blocks: [{ kind: 'buttons', buttons: [{ label: name, actionId: 'x' }] }] });
    expect(labels(labelled)).toEqual([
      ['*ana* _bia_ maria_silva 2*3 ~~x~~ `y` [z](u) a||b|| <@U1> @\u200beveryone \\o/'],
    ]);
  });

  it('GIVEN what Discord reads but the subset does not mean THEN escaped in text and context, untouched in code', () => {
    const hostile = [
      '# título',
      '## sub',
      '-# pequeno',
      '> citação',
      '>>> bloco',
      '1. numerada',
      '+ mais',
      '- # item',
      'a ~~riscado~~ ||spoiler|| [link](https://x.y) <@123> <@&9> <#7> <t:1:R> </cmd:1> @everyone @Here `@here <@1>`',
    ].join('\n');
    const expected = [
      '\\# título',
      '\\## sub',
      '-\\# pequeno',
      '\\> citação',
      '\\>>> bloco',
      '1\\. numerada',
      '\\+ mais',
      '- \\# item',
      'a \\~\\~riscado\\~\\~ \\|\\|spoiler\\|\\| \\[link\\](https:\u200b//x.y) \\<@123> \\<@&9> \\<#7> \\<t:1:R> \\</cmd:1> @\u200beveryone @\u200bHere `@here <@1>`',
    ].join('\n');
    const rendered = renderDiscord({
      headline: 'h',
      blocks: [text(hostile), context(hostile), text('fim'), { kind: 'code', lang: '', source: hostile }],
    });
    const [description] = descriptions(rendered);
    const subtext = expected
      .split('\n')
      .map((line) => `-# ${line}`)
      .join('\n');
    expect(description).toBe(`${expected}\n${subtext}\n\nfim\n\n\`\`\`\n${hostile}\n\`\`\``);
    expect(limitProblems(rendered)).toEqual([]);
    expect(markdownProblems(renderDiscord({ blocks: [text(hostile)] }, plain).content ?? '')).toEqual([]);
  });

  it('GIVEN code with ``` inside and an odd language THEN one fenced block that the inner ``` cannot close', () => {
    const rendered = renderDiscord(
      { blocks: [{ kind: 'code', lang: 'sh\n```x y', source: 'echo ```\n  indented  \n\n' }] },
      plain,
    );
    expect(rendered.content).toBe('```shxy\necho ``\u200b`\n  indented\n```');
    expect(markdownProblems(rendered.content ?? '')).toEqual([]);
  });

  it('GIVEN a text longer than a description THEN several embeds within limits, cut between paragraphs, nothing lost', () => {
    const paragraphs = Array.from({ length: 12 }, (_, p) => `p${p} ${'palavra '.repeat(50).trim()}`);
    const rendered = renderDiscord(
      { headline: 'Título', blocks: [text(paragraphs.join('\n\n')), context('rodapé')] },
      { color: 7 },
    );
    expect(limitProblems(rendered)).toEqual([]);
    const parts = descriptions(rendered);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) for (const piece of part.split('\n\n')) expect(paragraphs).toContain(piece);
    expect(parts.join('\n\n')).toBe(paragraphs.join('\n\n'));
    expect(rendered.embeds.map((embed) => [embed.title, embed.footer?.text, embed.color])).toEqual([
      ['Título', undefined, 7],
      [undefined, 'rodapé', 7],
    ]);
  });

  it('GIVEN one paragraph longer than a description THEN it is cut at spaces, never inside bold, code or a word', () => {
    const long = Array.from({ length: 300 }, (_, i) => `**negrito ${i}** e \`code ${i}\` e`).join(' ');
    const parts = renderDiscordParts({ blocks: [text(long)] }).flatMap(descriptions);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(limits.embedDescription);
      expect(markdownProblems(part)).toEqual([]);
    }
    expect(parts.join(' ')).toBe(long);
  });

  it('GIVEN one word longer than a description THEN cut where it must, never inside an escape or a character', () => {
    const stars = renderDiscordParts({ blocks: [text('\\*'.repeat(4000))] });
    const starParts = stars.flatMap(descriptions);
    expect(starParts.length).toBeGreaterThan(1);
    for (const part of starParts) expect(part).toMatch(/^(\\\*)+$/);
    expect(starParts.join('')).toBe('\\*'.repeat(4000));
    const emoji = renderDiscordParts({ blocks: [text('😀'.repeat(4000))] }, plain);
    expect(emoji.length).toBeGreaterThan(1);
    for (const part of emoji) expect(limitProblems(part)).toEqual([]);
    expect(emoji.map((part) => part.content).join('')).toBe('😀'.repeat(4000));
  });

  it('GIVEN code longer than a description THEN fenced parts cut at line breaks, each closed and reopened, ``` inert', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${i % 2 ? '  ' : ''}echo "linha ${i}" && true`);
    const parts = renderDiscordParts({
      blocks: [{ kind: 'code', lang: 'sh', source: `${lines.join('\n')}\necho \`\`\`\n` }],
    }).flatMap(descriptions);
    expect(parts.length).toBeGreaterThan(1);
    const bodies = parts.map((part) => {
      expect(part.length).toBeLessThanOrEqual(limits.embedDescription);
      expect(part.startsWith('```sh\n') && part.endsWith('\n```')).toBe(true);
      return part.slice('```sh\n'.length, -'\n```'.length);
    });
    for (const body of bodies) expect(body).not.toContain('```');
    expect(bodies.join('\n')).toBe([...lines, 'echo ``\u200b`'].join('\n'));
  });

  it('GIVEN more text than one message holds THEN renderDiscord ends with …, renderDiscordParts continues, nothing lost', () => {
    const paragraphs = Array.from({ length: 40 }, (_, p) => `p${p} ${'palavra '.repeat(40).trim()}`);
    const buttons = { kind: 'buttons', buttons: [{ label: 'Próxima', actionId: 'next' }] } as const;
    const message: Message = { headline: 'Longo', blocks: [text(paragraphs.join('\n\n')), context('fim'), buttons] };

    const one = renderDiscord(message);
    expect(limitProblems(one)).toEqual([]);
    expect(embedChars(one)).toBeGreaterThan(limits.embedsTotal - 400);
    const shown = descriptions(one).join('\n\n');
    expect(shown.endsWith('\n…')).toBe(true);
    expect(paragraphs.join('\n\n').startsWith(shown.slice(0, -2))).toBe(true);
    expect(one.embeds.at(-1)?.footer).toEqual({ text: 'fim' });
    expect(one.components).toHaveLength(1);

    const parts = renderDiscordParts(message);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(limitProblems(part)).toEqual([]);
    expect(parts.flatMap(descriptions).join('\n\n')).toBe(paragraphs.join('\n\n'));
    expect(parts.map((part) => part.embeds[0]?.title)).toEqual(['Longo', ...parts.slice(1).map(() => undefined)]);
    expect(parts.map((part) => part.embeds.at(-1)?.footer?.text)).toEqual([
      ...parts.slice(1).map(() => undefined),
      'fim',
    ]);
    expect(parts.map((part) => part.components.length)).toEqual([...parts.slice(1).map(() => 0), 1]);
  });

  it('GIVEN more text than the content holds, in plain style THEN cut at a paragraph with …, the footer kept', () => {
    const paragraphs = Array.from({ length: 20 }, (_, p) => `p${p} ${'palavra '.repeat(20).trim()}`);
    const rendered = renderDiscord(
      { headline: 'Longo', blocks: [text(paragraphs.join('\n\n')), context('fim')] },
      { ...plain, footer: 'Trilha' },
    );
    expect(limitProblems(rendered)).toEqual([]);
    const content = rendered.content ?? '';
    expect(content.length).toBeGreaterThan(limits.content - 200);
    expect(content.startsWith(`**Longo**\n${paragraphs[0]}\n\n`)).toBe(true);
    expect(content).toMatch(/\n\np\d+ (palavra ?)+\n…\n-# fim\n-# Trilha$/);
    const parts = renderDiscordParts(
      { headline: 'Longo', blocks: [text(paragraphs.join('\n\n')), context('fim')] },
      { ...plain, footer: 'Trilha' },
    );
    expect(parts.map((part) => part.content?.replace(/^\*\*Longo\*\*\n|\n-# fim\n-# Trilha$/g, '')).join('\n\n')).toBe(
      paragraphs.join('\n\n'),
    );
  });

  it('GIVEN a long headline THEN a title of at most 256 on one line ending in …, markers dropped', () => {
    const { embeds } = renderDiscord({ headline: `**Docker**\n_é_ ${'h'.repeat(300)}`, blocks: [] });
    const title = embeds[0]?.title ?? '';
    expect(title.length).toBe(limits.embedTitle);
    expect(title.startsWith('Docker é hhh')).toBe(true);
    expect(title.endsWith('…')).toBe(true);
    const emoji = renderDiscord({ headline: '😀'.repeat(200), blocks: [] }).embeds[0]?.title ?? '';
    expect(emoji.length).toBeLessThanOrEqual(limits.embedTitle);
    expect(emoji).not.toMatch(loneSurrogate);
    const escapes = renderDiscord({ headline: '\\_'.repeat(200), blocks: [] }).embeds[0]?.title ?? '';
    expect(escapes).toMatch(/^(\\_)+…$/);
  });

  it('GIVEN long and empty labels, a repeated id and 30 buttons THEN labels cut, repeats dropped, 5 rows of 5, … said', () => {
    const many: Button[] = Array.from({ length: 30 }, (_, i) => ({ label: `${i}`, actionId: `id${i}` }));
    const rendered = renderDiscord({
      headline: 'Botões',
      blocks: [
        {
          kind: 'buttons',
          buttons: [
            { label: 'l'.repeat(100), actionId: 'x', style: 'danger' },
            { label: ' ', actionId: 'y' },
            { label: 'again', actionId: 'x' },
          ],
        },
        { kind: 'buttons', buttons: [...many, { label: 'x again', actionId: 'x' }] },
      ],
    });
    expect(limitProblems(rendered)).toEqual([]);
    expect(rendered.components.map((row) => row.components.length)).toEqual([5, 5, 5, 5, 5]);
    expect(rendered.components[0]?.components.slice(0, 2)).toEqual([
      { type: 2, style: 4, label: `${'l'.repeat(79)}…`, custom_id: 'x' },
      { type: 2, style: 2, label: '…', custom_id: 'y' },
    ]);
    expect(rendered.components.flatMap((row) => row.components.map((b) => b.custom_id)).at(-1)).toBe('id22');
    expect(rendered.embeds[0]?.footer).toEqual({ text: '…' });
    // Blocks that fit the five rows each start their own row.
    const grouped = renderDiscord({
      blocks: [
        { kind: 'buttons', buttons: many.slice(0, 4) },
        { kind: 'buttons', buttons: many.slice(4, 11) },
      ],
    });
    expect(grouped.components.map((row) => row.components.length)).toEqual([4, 5, 2]);
    // Buttons only: no embed and no content, which Discord accepts.
    expect(grouped.embeds).toEqual([]);
    expect(grouped.content).toBeUndefined();
  });

  it('GIVEN an action id longer than a custom_id allows THEN a clear error, since a cut id could not come back', () => {
    const withId = (actionId: string): Message => ({
      blocks: [{ kind: 'buttons', buttons: [{ label: 'a', actionId }] }],
    });
    expect(() => renderDiscord(withId('y'.repeat(limits.customId + 1)))).toThrow(
      /action id longer than Discord allows \(101 > 100\)/,
    );
    expect(() => renderDiscord(withId(''))).toThrow(/action id/);
    expect(() => renderDiscord(withId('y'.repeat(limits.customId)))).not.toThrow();
  });

  it('GIVEN blank blocks or nothing at all THEN no empty embed or description, and never an empty message', () => {
    const blank: Message = {
      blocks: [text(' \n '), context(''), { kind: 'code', lang: 'sh', source: '\n' }, { kind: 'buttons', buttons: [] }],
    };
    expect(renderDiscord(blank)).toEqual({
      embeds: [{ description: '…' }],
      components: [],
      allowed_mentions: { parse: [] },
    });
    expect(renderDiscord(blank, plain)).toEqual({
      content: '…',
      embeds: [],
      components: [],
      allowed_mentions: { parse: [] },
    });
    expect(renderDiscord({ headline: 'Só o título', blocks: blank.blocks }).embeds).toEqual([{ title: 'Só o título' }]);
  });

  it('GIVEN a rendered message THEN embedChars counts titles, descriptions, footers, authors and fields in code points', () => {
    const message: DiscordMessage = {
      embeds: [
        { title: 'ab', description: '😀😀', footer: { text: 'c' } },
        { author: { name: 'de' }, fields: [{ name: 'f', value: 'gh' }] },
      ],
      content: 'not counted',
      components: [],
      allowed_mentions: { parse: [] },
    };
    expect(embedChars(message)).toBe(2 + 2 + 1 + 2 + 1 + 2);
  });

  it('GIVEN any message of Markdown-heavy text, code and buttons THEN every limit kept and no Markdown let through', () => {
    // Characters that mean something to the subset or to Discord, a surrogate pair, and enough words to cut at.
    const chars = fc.constantFrom(
      ...'*_`\\#>-+~|[]<@.1 '.split(''),
      '\n',
      '\n\n',
      '😀',
      'ab',
      'palavra ',
      '@everyone',
      '```',
    );
    const prose = (max: number) => fc.array(chars, { maxLength: max }).map((parts) => parts.join(''));
    const block = fc.oneof(
      prose(400).map((value) => text(value)),
      fc.integer({ min: 1, max: 40 }).chain((times) => prose(300).map((value) => text(value.repeat(times)))),
      prose(100).map((value) => context(value)),
      fc.record({ kind: fc.constant('code' as const), lang: prose(10), source: prose(2000) }),
      fc
        .array(fc.record({ label: prose(100), actionId: fc.string({ minLength: 1, maxLength: 100 }) }), {
          maxLength: 12,
        })
        .map((buttons) => ({ kind: 'buttons' as const, buttons })),
    );
    const message = fc.record({
      headline: fc.option(prose(300), { nil: undefined }),
      blocks: fc.array(block, { maxLength: 8 }),
    });
    fc.assert(
      fc.property(message, fc.constantFrom('embed' as const, 'plain' as const), (generated, style) => {
        const options = { style, footer: 'Trilha' };
        expect(limitProblems(renderDiscord(generated, options))).toEqual([]);
        for (const part of renderDiscordParts(generated, options)) expect(limitProblems(part)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  describe('GIVEN every lesson and question of every track in both languages', () => {
    const { tracks, problems } = loadTracks(resolve(import.meta.dirname, '..', '..', '..', 'content'));

    it('THEN the content loads and holds enough to be worth checking', () => {
      expect(problems).toEqual([]);
      expect(tracks.length).toBeGreaterThan(0);
    });

    it('THEN each rendered message, in both styles, keeps every Discord limit and lets no Markdown through', () => {
      let checked = 0;
      let expected = 0;
      const failures: string[] = [];
      const check = (what: string, message: Message) => {
        for (const style of ['embed', 'plain'] as const) {
          const rendered = renderDiscord(message, { style, color: 0x2b6cb0 });
          failures.push(...limitProblems(rendered).map((problem) => `${what} ${style}: ${problem}`));
          checked++;
        }
      };
      for (const { what, message } of contentMessages(tracks)) check(what, message);
      expected = 2 * contentMessageCount(tracks);
      expect(failures).toEqual([]);
      expect(checked).toBe(expected);
      expect(checked).toBeGreaterThan(600);
    });

    it('THEN each lesson, its text tripled, renders as embeds within limits without losing a word', () => {
      // No lesson is over one embed today; tripled, real Markdown crosses the 4,096 description and 6,000 totals.
      let checked = 0;
      let multiEmbed = 0;
      let multiMessage = 0;
      for (const track of tracks) {
        for (const locale of locales) {
          for (const lesson of track.lessons) {
            const body = [lesson.drop[locale], lesson.more?.[locale] ?? ''].join('\n\n').trim();
            const long = [body, body, body].join('\n\n');
            const message: Message = { headline: lesson.title[locale], blocks: [text(long), context('Lição')] };
            // Conversion is line by line, so paragraph by paragraph it must give the same words as the split whole.
            const byParagraph = long
              .split(/\n[ \t]*\n/)
              .flatMap((p) => descriptions(renderDiscord({ blocks: [text(p)] })));
            const parts = renderDiscordParts(message, { color: 1 });
            for (const part of parts) expect(limitProblems(part)).toEqual([]);
            expect(words(parts.flatMap(descriptions).join('\n'))).toEqual(words(byParagraph.join('\n')));
            if (parts.some((part) => part.embeds.length > 1)) multiEmbed++;
            if (parts.length > 1) multiMessage++;

            const one = renderDiscord(message, { color: 1 });
            expect(limitProblems(one)).toEqual([]);
            if (parts.length === 1) expect(one).toEqual(parts[0]);
            else {
              const shown = words(descriptions(one).join('\n'));
              expect(shown.at(-1)).toBe('…');
              expect(shown.slice(0, -1)).toEqual(words(byParagraph.join('\n')).slice(0, shown.length - 1));
            }
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(50);
      expect(multiEmbed).toBeGreaterThan(0);
      expect(multiMessage).toBeGreaterThan(0);
    });
  });
});

describe('Discord files', () => {
  const file = (filename: string, bytes: number, mimeType = 'text/csv', title?: string) => ({
    filename,
    mimeType,
    data: new Uint8Array(bytes),
    ...(title ? { title } : {}),
  });
  const MiB = 1024 * 1024;

  it('GIVEN files within the limits THEN all are kept in order', () => {
    const files = [file('a.csv', 10), file('b.png', 20, 'image/png')];
    expect(selectFiles(files)).toEqual({ kept: files, tooBig: [], leftOut: [] });
  });

  it('GIVEN a file over the per-file limit THEN it alone is refused; a larger server limit takes it', () => {
    const big = file('big.csv', fileLimits.fileBytes + 1);
    const small = file('small.csv', 5);
    expect(selectFiles([big, small])).toEqual({ kept: [small], tooBig: [big], leftOut: [] });
    expect(selectFiles([big, small], 50 * MiB).kept).toEqual([big, small]);
  });

  it('GIVEN 12 files THEN the first 10 are kept and 2 left out; GIVEN files that together pass 25 MiB THEN the last waits', () => {
    const many = Array.from({ length: 12 }, (_, i) => file(`f${i}.csv`, 1));
    const selection = selectFiles(many);
    expect(selection.kept).toEqual(many.slice(0, 10));
    expect(selection.leftOut).toEqual(many.slice(10));
    const heavy = [file('a.png', 15 * MiB), file('b.png', 15 * MiB), file('c.csv', 1)];
    expect(selectFiles(heavy)).toEqual({ kept: [heavy[0], heavy[2]], tooBig: [], leftOut: [heavy[1]] });
  });

  it('GIVEN an embed message with a PNG and a CSV THEN the attachments name files[0] and files[1] and the PNG is the embed image', () => {
    const body = renderDiscord({ headline: 'Temporada', blocks: [text('Ranking')] }, { color: 1 });
    const files = [file('chart.png', 3, 'image/png', 'Acerto por lição'), file('report.csv', 3)];
    const attached = attachFiles(body, files);
    expect(attached.attachments).toEqual([
      { id: '0', filename: 'chart.png', description: 'Acerto por lição' },
      { id: '1', filename: 'report.csv' },
    ]);
    expect(attached.embeds.at(-1)?.image).toEqual({ url: 'attachment://chart.png' });
    // Plain content has no embed to show the image in: it stays an attachment below the text.
    const plain = attachFiles(renderDiscord({ blocks: [text('x')] }, { style: 'plain' }), files);
    expect(plain.embeds).toEqual([]);
    expect(attachFiles(body, [])).toBe(body);
  });

  it('GIVEN a name Discord would not take in attachment:// THEN it is made safe', () => {
    expect(attachmentName('relatório semana 1.csv')).toBe('relat_rio_semana_1.csv');
    expect(attachmentName('')).toBe('file');
  });
});
