import { describe, expect, it } from 'vitest';
import { batchedLookup } from './batched-lookup.ts';

describe('batched look-ups', () => {
  it('GIVEN look-ups started in separate callbacks of one turn of the event loop THEN they share one fetch', async () => {
    const fetched: string[][] = [];
    const find = batchedLookup(
      'test',
      async (keys) => {
        fetched.push([...keys]);
        return keys.filter((key) => key !== 'missing').map((id) => ({ id }));
      },
      (row) => row.id,
    );
    // Immediates queued together run in one check phase, each a callback of its own (promise jobs drained between
    // them), as the Slack envelopes or Discord interactions read in one poll phase are. (Timers would not do: two
    // timers of 0 ms may fall in two turns on a busy machine.)
    const inOwnCallback = (key: string) =>
      new Promise<{ id: string } | null>((resolve) => setImmediate(() => resolve(find(key))));

    const rows = await Promise.all(['a', 'b', 'missing', 'a'].map(inOwnCallback));

    expect(rows).toEqual([{ id: 'a' }, { id: 'b' }, null, { id: 'a' }]);
    expect(fetched).toEqual([['a', 'b', 'missing']]);
  });
});
