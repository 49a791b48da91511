import { describe, expect, it } from 'vitest';
import { plainText, safeText, truncate } from './message.ts';

describe('message helpers', () => {
  it('GIVEN text a member typed THEN markers and mass mentions are neutralised, on one line', () => {
    expect(safeText('*bold* _it_ `code` <@U1> @here\nnext')).toBe(
      '\\*bold\\* \\_it\\_ \\`code\\` \\<@U1\\> @\u200bhere next',
    );
  });

  it('GIVEN a long text THEN truncate keeps at most max code points and ends with an ellipsis', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefg', 6)).toBe('abcde…');
    expect([...truncate('🐳'.repeat(10), 5)]).toHaveLength(5);
  });

  it('GIVEN a message THEN plainText lists headline, texts, code and buttons', () => {
    const text = plainText({
      headline: 'H',
      blocks: [
        { kind: 'text', text: 'T' },
        { kind: 'code', lang: 'bash', source: 'docker ps' },
        { kind: 'buttons', buttons: [{ label: 'A', actionId: 'x' }] },
      ],
    });
    expect(text).toBe('H\nT\ndocker ps\n[A]');
  });
});
