import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Action, decodeAction, encodeAction, maxActionIdLength } from './action-id.ts';

const field = fc.stringMatching(/^[A-Za-z0-9._:/-]{1,40}$/);
const small = fc.integer({ min: 0, max: 999_999 });
const actions: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('answer' as const), postedQuestionId: field, choice: small }),
  fc.record({ kind: fc.constant('study' as const), trackId: field, questionId: field, choice: small }),
  fc.record({ kind: fc.constant('review' as const), trackId: field, questionId: field, reps: small, choice: small }),
  fc.record({ kind: fc.constant('command' as const), command: field }),
  fc.record({ kind: fc.constant('delete-my-data' as const), memberId: field }),
  fc.record({ kind: fc.constant('stop-nudges' as const), memberId: field }),
  fc.record({ kind: fc.constant('channel-today' as const), channelId: field }),
  fc.record({ kind: fc.constant('lesson' as const), trackId: field, lessonId: field }),
);

describe('action ids', () => {
  it('GIVEN any action THEN decoding its id gives it back, within 100 characters', () => {
    fc.assert(
      fc.property(actions, (action) => {
        const id = encodeAction(action);
        expect(id.length).toBeLessThanOrEqual(maxActionIdLength);
        expect(decodeAction(id)).toEqual({ ok: true, action });
      }),
    );
  });

  it('GIVEN a real posted question id and a long question id THEN the ids fit Discord custom_id', () => {
    const answer = encodeAction({
      kind: 'answer',
      postedQuestionId: '019ac9f2-4b7e-7cc1-9a1e-5f0e8a6b2c3d',
      choice: 3,
    });
    expect(answer.startsWith('t1|a|')).toBe(true);
    const review = encodeAction({
      kind: 'review',
      trackId: 'docker',
      questionId: 'compose-multi-container.depends-on-healthcheck',
      reps: 12,
      choice: 1,
    });
    expect(review.length).toBeLessThanOrEqual(maxActionIdLength);
  });

  it('GIVEN one character changed anywhere THEN the id is rejected', () => {
    fc.assert(
      fc.property(actions, fc.nat(), fc.constantFrom('x', '7', '-', '|', 'Z'), (action, at, char) => {
        const id = encodeAction(action);
        const i = at % id.length;
        if (id[i] === char) return;
        const changed = id.slice(0, i) + char + id.slice(i + 1);
        expect(decodeAction(changed).ok).toBe(false);
      }),
    );
  });

  it('GIVEN an id from another version THEN says unknown version; garbage THEN malformed', () => {
    expect(decodeAction('t2|a|x|1|zz')).toEqual({ ok: false, error: 'unknown_version' });
    expect(decodeAction('')).toEqual({ ok: false, error: 'malformed' });
    expect(decodeAction('hello')).toEqual({ ok: false, error: 'malformed' });
    expect(decodeAction('x'.repeat(200))).toEqual({ ok: false, error: 'malformed' });
  });

  it('GIVEN a well-checksummed id of an unknown kind or wrong arity THEN malformed', () => {
    const id = encodeAction({ kind: 'command', command: 'help' });
    const sum = id.split('|').pop();
    expect(decodeAction(`t1|c|help|extra|${sum}`).ok).toBe(false);
  });

  it('GIVEN a field with a separator or a space THEN encoding refuses it', () => {
    expect(() => encodeAction({ kind: 'command', command: 'ranking semana' })).toThrow(RangeError);
    expect(() => encodeAction({ kind: 'answer', postedQuestionId: 'a|b', choice: 0 })).toThrow(RangeError);
    expect(() => encodeAction({ kind: 'answer', postedQuestionId: 'a', choice: -1 })).toThrow(RangeError);
  });
});
