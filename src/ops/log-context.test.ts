import { describe, expect, it } from 'vitest';
import { currentLogContext, withLogContext } from './log-context.ts';

describe('log context', () => {
  it('GIVEN work run in a context THEN its async calls see the fields, nested contexts add to them, outside sees none', async () => {
    expect(currentLogContext()).toBeUndefined();
    const seen = await withLogContext({ interaction: 'a' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const inner = await withLogContext({ step: 'answer' }, async () => currentLogContext());
      return { after: currentLogContext(), inner };
    });
    expect(seen).toEqual({ after: { interaction: 'a' }, inner: { interaction: 'a', step: 'answer' } });
    expect(currentLogContext()).toBeUndefined();
  });
});
