import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLinkCode, linkCodeAlphabet, linkCodeFromBytes, linkCodeLength, normalizeLinkCode } from './link-code.ts';

describe('link codes', () => {
  it('GIVEN the alphabet THEN it has 32 distinct symbols and none of 0, O, 1, I', () => {
    expect(new Set(linkCodeAlphabet).size).toBe(32);
    for (const lookAlike of ['0', 'O', '1', 'I']) expect(linkCodeAlphabet).not.toContain(lookAlike);
  });

  it('GIVEN any random bytes THEN the code has 8 symbols of the alphabet and reads back through normalize', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: linkCodeLength, maxLength: 16 }), (bytes) => {
        const code = linkCodeFromBytes(bytes);
        expect(code).toHaveLength(linkCodeLength);
        for (const char of code) expect(linkCodeAlphabet).toContain(char);
        expect(normalizeLinkCode(formatLinkCode(code))).toBe(code);
        expect(normalizeLinkCode(formatLinkCode(code).toLowerCase())).toBe(code);
        expect(normalizeLinkCode(`${code.slice(0, 4)} ${code.slice(4)}`)).toBe(code);
      }),
    );
  });

  it('GIVEN every byte value THEN each symbol is picked equally often (uniform)', () => {
    const counts = new Map<string, number>();
    for (let byte = 0; byte < 256; byte++) {
      const symbol = linkCodeFromBytes(new Uint8Array(linkCodeLength).fill(byte))[0] as string;
      counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual(Array(32).fill(8));
  });

  it('GIVEN too few bytes THEN it throws', () => {
    expect(() => linkCodeFromBytes(new Uint8Array(3))).toThrow(RangeError);
  });

  it('GIVEN typed text that cannot be a code THEN normalize gives null', () => {
    expect(normalizeLinkCode('ABC')).toBeNull();
    expect(normalizeLinkCode('ABCD-EFGH-J')).toBeNull();
    expect(normalizeLinkCode('ABCD-EFG0')).toBeNull(); // 0 is not in the alphabet
    expect(normalizeLinkCode('ABCD-EFGI')).toBeNull(); // nor I
    expect(normalizeLinkCode('abcd-efgh')).toBe('ABCDEFGH');
  });
});
