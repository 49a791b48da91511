import { resolve } from 'node:path';
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { loadTracks } from '../../content/load-tracks.ts';
import { encodeAction } from '../../core/action-id.ts';
import { locales } from '../../core/locale.ts';
import type { Message } from '../../core/message.ts';
import { translator } from '../../i18n/translator.ts';
import { lessonMessage, questionMessage } from '../../runtime/views.ts';
import {
  maxActionId,
  maxActionsElements,
  maxBlocks,
  maxButtonText,
  maxButtonValue,
  maxHeaderText,
  maxSectionText,
  renderSlack,
  split,
} from './render.ts';

/** Every Block Kit limit the renderer promises, checked on one rendered message; the problems found. */
function limitProblems(blocks: readonly KnownBlock[]): string[] {
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks`);
  const actionIds = new Set<string>();
  for (const block of blocks) {
    if (block.type === 'header' && block.text.text.length > maxHeaderText) problems.push('header too long');
    if (block.type === 'section' && (block.text?.text.length ?? 0) > maxSectionText) problems.push('section too long');
    if (block.type === 'context') {
      if (block.elements.length > 10) problems.push('context elements');
      for (const element of block.elements) {
        if ('text' in element && typeof element.text === 'string' && element.text.length > maxSectionText) {
          problems.push('context too long');
        }
      }
    }
    if (block.type === 'actions') {
      if (block.elements.length > maxActionsElements) problems.push('too many buttons');
      for (const element of block.elements) {
        if (element.type !== 'button') continue;
        if (element.text.text.length > maxButtonText) problems.push(`button text ${element.text.text.length}`);
        if ((element.action_id ?? '').length > maxActionId) problems.push('action_id too long');
        if ((element.value ?? '').length > maxButtonValue) problems.push('value too long');
        if (actionIds.has(element.action_id ?? '')) problems.push('repeated action_id');
        actionIds.add(element.action_id ?? '');
      }
    }
  }
  return problems;
}

const sections = (blocks: readonly KnownBlock[]) =>
  blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));

describe('renderSlack', () => {
  it('GIVEN a headline, text, code, context and buttons THEN header, sections, fenced code, context and actions', () => {
    const { text, blocks } = renderSlack({
      headline: 'O que é o Docker',
      blocks: [
        { kind: 'text', text: 'Um *contêiner* é um processo:\n- isolado\n- limitado' },
        { kind: 'code', lang: 'sh', source: 'docker run --rm alpine echo "<oi>"' },
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
    expect(sections(blocks)[0]).toBe('Um *contêiner* é um processo:\n• isolado\n• limitado');
    expect(sections(blocks)[1]).toBe('```\ndocker run --rm alpine echo "&lt;oi&gt;"\n```');
    expect(blocks[4]).toMatchObject({
      elements: [
        { type: 'button', action_id: 'a1', value: 'a1', style: 'primary', text: { text: 'A) Sim' } },
        { type: 'button', action_id: 'a2', value: 'a2', text: { text: 'B) Não' } },
      ],
    });
    expect(text).toContain('O que é o Docker');
  });

  it('GIVEN text with <, > and & THEN Slack escapes them, so no member text can mention or link', () => {
    const { blocks } = renderSlack({ blocks: [{ kind: 'text', text: '<!channel> <@U1> a & b <https://x|y>' }] });
    expect(sections(blocks)[0]).toBe('&lt;!channel&gt; &lt;@U1&gt; a &amp; b &lt;https://x|y&gt;');
  });

  it('GIVEN a text longer than a section THEN several sections, none over the limit, nothing lost', () => {
    const paragraph = 'palavra '.repeat(40).trim();
    const long = Array.from({ length: 40 }, () => paragraph).join('\n');
    const { blocks } = renderSlack({ blocks: [{ kind: 'text', text: long }] });
    const parts = sections(blocks);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(maxSectionText);
    expect(parts.join('\n')).toBe(long);
    // A word longer than a section is cut where it must be.
    expect(split('x'.repeat(7000), 3000).map((part) => part.length)).toEqual([3000, 3000, 1000]);
  });

  it('GIVEN more blocks than Slack takes THEN the first 49 and a last line saying it was cut', () => {
    const message: Message = { blocks: Array.from({ length: 60 }, (_, i) => ({ kind: 'text', text: `p${i}` })) };
    const { blocks } = renderSlack(message);
    expect(blocks).toHaveLength(maxBlocks);
    expect(blocks.at(-1)).toMatchObject({ type: 'context' });
  });

  it('GIVEN a long headline, a long label and a repeated action id THEN truncated, and the repeat dropped', () => {
    const { blocks } = renderSlack({
      headline: 'h'.repeat(200),
      blocks: [
        {
          kind: 'buttons',
          buttons: [
            { label: 'l'.repeat(100), actionId: 'x' },
            { label: 'again', actionId: 'x' },
          ],
        },
      ],
    });
    expect(limitProblems(blocks)).toEqual([]);
    expect(blocks[1]).toMatchObject({ elements: [{ action_id: 'x' }] });
    expect(() =>
      renderSlack({ blocks: [{ kind: 'buttons', buttons: [{ label: 'a', actionId: 'y'.repeat(300) }] }] }),
    ).toThrow(/action id longer than Slack allows/);
  });

  it('GIVEN every lesson and question of every track in both languages THEN each message fits Block Kit', () => {
    const { tracks, problems } = loadTracks(resolve(import.meta.dirname, '..', '..', '..', 'content'));
    expect(problems).toEqual([]);
    let checked = 0;
    const failures: string[] = [];
    for (const track of tracks) {
      for (const locale of locales) {
        const { t } = translator(locale);
        for (const lesson of track.lessons) {
          for (const full of [false, true]) {
            const { blocks } = renderSlack(
              lessonMessage(lesson, locale, t, { lessonCount: track.lessons.length, full }),
            );
            failures.push(...limitProblems(blocks).map((p) => `${lesson.id} ${locale}: ${p}`));
            checked++;
          }
          lesson.questions.forEach((question, index) => {
            const message = questionMessage(question, locale, t, {
              position: index + 1,
              total: lesson.questions.length,
              actionFor: (choice) =>
                encodeAction({ kind: 'answer', postedQuestionId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', choice }),
              note: t('learning.today.quiz_open', { when: '1 de dez. de 2026, 09:00' }),
            });
            const { blocks } = renderSlack(message);
            failures.push(...limitProblems(blocks).map((p) => `${question.id} ${locale}: ${p}`));
            checked++;
          });
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });
});
