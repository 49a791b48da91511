/**
 * Point 6 of issue 16, as a property (fast-check) on a real database: whatever a member does — read lessons without
 * answering, ask for a quiz, study, review, click made-up or stale review buttons, let days pass — their review cards
 * are exactly the questions they answered outside review, and `revisar` never serves any other question.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../../src/core/action-id.ts';
import type { Question } from '../../src/core/curriculum.ts';
import type { Reply } from '../../src/core/message.ts';
import { buttonsOf, createTestEngine, dockerTrack, type TestEngine, type TestUser } from '../support/engine.ts';

const DAY = 24 * 60 * 60 * 1000;

const questions: Question[] = dockerTrack()
  .flatMap((track) => track.lessons)
  .slice(0, 6)
  .flatMap((lesson) => lesson.questions);

type Step =
  | { readonly kind: 'say'; readonly text: 'proxima' | 'quiz' | 'revisar'; readonly click: number | null }
  | { readonly kind: 'study'; readonly question: number; readonly choice: number }
  | { readonly kind: 'forged-review'; readonly question: number; readonly reps: number; readonly choice: number }
  | { readonly kind: 'wait'; readonly days: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('say' as const),
    text: fc.constantFrom('proxima' as const, 'quiz' as const, 'revisar' as const),
    click: fc.option(fc.nat({ max: 20 }), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('study' as const),
    question: fc.nat({ max: questions.length - 1 }),
    choice: fc.nat({ max: 3 }),
  }),
  fc.record({
    kind: fc.constant('forged-review' as const),
    question: fc.nat({ max: questions.length - 1 }),
    reps: fc.nat({ max: 3 }),
    choice: fc.nat({ max: 3 }),
  }),
  fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 9 }) }),
);

describe('review cards come only from answered questions (sqlite, property)', () => {
  let engine: TestEngine;
  let run = 0;
  beforeAll(async () => {
    engine = await createTestEngine('sqlite');
  });
  afterAll(() => engine?.close());

  const questionIdsServedBy = (replies: readonly Reply[]) =>
    buttonsOf(replies).flatMap((button) => {
      const decoded = decodeAction(button.actionId);
      return decoded.ok && decoded.action.kind === 'review' ? [decoded.action.questionId] : [];
    });

  it('GIVEN any sequence of a member’s actions THEN their cards are exactly the questions they answered, and review serves only those', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        run += 1;
        const user: TestUser = { id: `U-PROP-${run}`, name: `Prop ${run}` };
        const where = { channel: null };
        for (const s of steps) {
          if (s.kind === 'wait') {
            engine.clock.advance(s.days * DAY);
          } else if (s.kind === 'say') {
            const replies = await engine.say(user, s.text, where);
            if (s.text === 'revisar') {
              const member = await engine.app.db.member.findFirst({ where: { displayName: user.name } });
              const answered = member
                ? await engine.app.db.attempt.findMany({ where: { memberId: member.id }, select: { questionId: true } })
                : [];
              const known = new Set(answered.map((row) => row.questionId));
              for (const served of questionIdsServedBy(replies)) expect(known.has(served)).toBe(true);
            }
            const buttons = buttonsOf(replies);
            const button = s.click === null ? undefined : buttons[s.click % Math.max(1, buttons.length)];
            if (button) await engine.click(user, button.actionId, where);
          } else {
            const question = questions[s.question] as Question;
            const choice = s.choice % question.options.length;
            const actionId =
              s.kind === 'study'
                ? encodeAction({ kind: 'study', trackId: 'docker', questionId: question.id, choice })
                : encodeAction({ kind: 'review', trackId: 'docker', questionId: question.id, reps: s.reps, choice });
            await engine.click(user, actionId, where);
          }
        }
        const member = await engine.app.db.member.findFirst({ where: { displayName: user.name } });
        if (!member) return;
        const cards = await engine.app.db.reviewCard.findMany({ where: { memberId: member.id } });
        const firstAnswers = await engine.app.db.attempt.findMany({
          where: { memberId: member.id, context: { not: 'review' } },
          distinct: ['questionId'],
        });
        const anyAnswers = await engine.app.db.attempt.findMany({
          where: { memberId: member.id },
          distinct: ['questionId'],
        });
        const cardIds = cards.map((card) => card.questionId).sort();
        expect(cardIds).toEqual(firstAnswers.map((row) => row.questionId).sort());
        expect(cardIds).toEqual(anyAnswers.map((row) => row.questionId).sort());
      }),
      { numRuns: 25, seed: 1616 },
    );
  }, 300_000);
});
