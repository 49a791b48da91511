import { describe, expect, it } from 'vitest';
import { inChannel, type Message, privately, type Reply, text } from '../../core/message.ts';
import { postPerChannel, SlackBudget, slackPaces } from './budget.ts';
import { renderSlack } from './render.ts';
import { maxResponses, mergePrivate } from './slack.adapter.ts';

/** A clock a test moves by hand. */
function handClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('SlackBudget', () => {
  it('GIVEN chat.update (Tier 3) THEN 4 at once, then one every 1.5 s: at most 44 in any minute, under Slack’s 50', () => {
    const clock = handClock();
    const budget = new SlackBudget(clock);
    const taken = Array.from({ length: 6 }, () => budget.tryTake('chat.update'));
    expect(taken).toEqual([true, true, true, true, false, false]);
    clock.advance(1_499);
    expect(budget.tryTake('chat.update')).toBe(false);
    clock.advance(1);
    expect(budget.tryTake('chat.update')).toBe(true);
    const pace = slackPaces['chat.update'];
    expect((pace?.capacity ?? 0) + (pace?.perMinute ?? 0)).toBeLessThanOrEqual(50);
    expect(postPerChannel.perMinute / 60).toBeLessThan(1);
  });

  it('GIVEN a backlog of chat.update THEN a chat.postMessage goes at once (one queue per bucket)', async () => {
    const budget = new SlackBudget();
    const edits = Array.from({ length: 8 }, () => budget.spend('chat.update', undefined, async () => 'edit'));
    let posted = false;
    await budget.spend('chat.postMessage', { channel: 'C1' }, async () => {
      posted = true;
    });
    expect(posted).toBe(true);
    budget.stop();
    void edits;
  });

  it('GIVEN Slack answers 429 anyway THEN the call is tried once more after Retry-After, in its own bucket', async () => {
    const budget = new SlackBudget();
    let calls = 0;
    const result = await budget.spend('views.publish', undefined, async () => {
      calls += 1;
      if (calls === 1)
        throw Object.assign(new Error('limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 0 });
      return 'ok';
    });
    expect([result, calls, budget.rateLimited]).toEqual(['ok', 2, 1]);
    budget.stop();
  });
});

describe('mergePrivate', () => {
  const message = (headline: string, blocks: number): Message => ({
    headline,
    blocks: Array.from({ length: blocks }, (_, i) => text(`${headline} ${i}`)),
  });

  it('GIVEN a lesson and 4 questions (5 private replies) THEN one message, every block in order', () => {
    const replies: Reply[] = [message('Lição', 6), ...[1, 2, 3, 4].map((n) => message(`Pergunta ${n}`, 3))].map((m) =>
      privately(m),
    );
    const merged = mergePrivate(replies);
    expect(merged).toHaveLength(1);
    const shown = JSON.stringify(renderSlack(merged[0]?.message as Message).blocks);
    expect(shown.indexOf('Lição 5')).toBeLessThan(shown.indexOf('Pergunta 1'));
    expect(shown).toContain('Pergunta 4 2');
  });

  it('GIVEN private replies of 200 blocks THEN at most 3 messages (3 response_url uses), public replies where they were', () => {
    const publicReply: Reply = inChannel(message('Público', 1));
    const replies: Reply[] = [
      publicReply,
      ...Array.from({ length: 10 }, (_, i) => privately(message(`Cartão ${i}`, 20))),
    ];
    const merged = mergePrivate(replies);
    expect(merged[0]).toBe(publicReply);
    const privates = merged.filter((reply) => reply.audience.kind === 'private');
    expect(privates.length).toBeLessThanOrEqual(maxResponses);
    expect(privates.length).toBeGreaterThan(1);
    for (const reply of privates.slice(0, -1)) expect(renderSlack(reply.message).blocks.length).toBeLessThanOrEqual(50);
  });
});
