import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Difficulty } from './curriculum.ts';
import { type AnswerForXp, accuracy, xpForAnswer } from './scoring.ts';

const quizAnswer: AnswerForXp = {
  context: 'channel_quiz',
  correct: true,
  difficulty: 'easy',
  firstAnswer: true,
  quizClosed: false,
  streakExtendedTo: null,
};

describe('xpForAnswer', () => {
  it('GIVEN a right first answer to an easy question THEN it earns 10 XP', () => {
    expect(xpForAnswer(quizAnswer)).toEqual({ xp: 10, breakdown: [{ reason: 'right_answer', xp: 10 }] });
  });

  it('GIVEN right first answers to medium and hard questions THEN the difficulty adds 2 and 5 XP', () => {
    expect(xpForAnswer({ ...quizAnswer, difficulty: 'medium' })).toEqual({
      xp: 12,
      breakdown: [
        { reason: 'right_answer', xp: 10 },
        { reason: 'difficulty_bonus', xp: 2 },
      ],
    });
    expect(xpForAnswer({ ...quizAnswer, difficulty: 'hard' }).xp).toBe(15);
  });

  it('GIVEN a wrong first answer THEN it earns 2 XP for taking part, whatever the difficulty', () => {
    expect(xpForAnswer({ ...quizAnswer, correct: false, difficulty: 'hard' })).toEqual({
      xp: 2,
      breakdown: [{ reason: 'wrong_answer', xp: 2 }],
    });
  });

  it('GIVEN self-study THEN it scores like a channel quiz', () => {
    expect(xpForAnswer({ ...quizAnswer, context: 'self_study', difficulty: 'hard' }).xp).toBe(15);
    expect(xpForAnswer({ ...quizAnswer, context: 'self_study', correct: false }).xp).toBe(2);
  });

  it('GIVEN a review answer THEN it earns 5 XP if right and 1 if wrong, with no difficulty bonus', () => {
    const review: AnswerForXp = { ...quizAnswer, context: 'review', difficulty: 'hard' };
    expect(xpForAnswer(review)).toEqual({ xp: 5, breakdown: [{ reason: 'review_right', xp: 5 }] });
    expect(xpForAnswer({ ...review, correct: false })).toEqual({
      xp: 1,
      breakdown: [{ reason: 'review_wrong', xp: 1 }],
    });
  });

  it('GIVEN a repeat click THEN it earns nothing and says the question was already answered', () => {
    expect(xpForAnswer({ ...quizAnswer, firstAnswer: false })).toEqual({
      xp: 0,
      breakdown: [{ reason: 'already_answered', xp: 0 }],
    });
    expect(xpForAnswer({ ...quizAnswer, context: 'review', firstAnswer: false }).xp).toBe(0);
  });

  it('GIVEN an answer after the quiz closed THEN it earns nothing and says the quiz was closed', () => {
    expect(xpForAnswer({ ...quizAnswer, quizClosed: true, streakExtendedTo: 3 })).toEqual({
      xp: 0,
      breakdown: [{ reason: 'quiz_closed', xp: 0 }],
    });
  });

  it('GIVEN a repeat click on a closed quiz THEN the repeat is the reason given', () => {
    expect(xpForAnswer({ ...quizAnswer, firstAnswer: false, quizClosed: true }).breakdown).toEqual([
      { reason: 'already_answered', xp: 0 },
    ]);
  });

  it('GIVEN the first answer of a day that extends the streak to N days THEN it adds N XP, at most 7', () => {
    expect(xpForAnswer({ ...quizAnswer, streakExtendedTo: 1 })).toEqual({
      xp: 11,
      breakdown: [
        { reason: 'right_answer', xp: 10 },
        { reason: 'streak_bonus', xp: 1 },
      ],
    });
    expect(xpForAnswer({ ...quizAnswer, correct: false, streakExtendedTo: 4 }).xp).toBe(2 + 4);
    expect(xpForAnswer({ ...quizAnswer, context: 'review', streakExtendedTo: 7 }).xp).toBe(5 + 7);
    expect(xpForAnswer({ ...quizAnswer, difficulty: 'hard', streakExtendedTo: 30 }).xp).toBe(10 + 5 + 7);
  });

  it('GIVEN a streak length that is not a whole number of days from 1 THEN it throws', () => {
    for (const streakExtendedTo of [0, -1, 2.5, Number.NaN]) {
      expect(() => xpForAnswer({ ...quizAnswer, streakExtendedTo }), String(streakExtendedTo)).toThrow(RangeError);
    }
  });

  const answerArb: fc.Arbitrary<AnswerForXp> = fc.record({
    context: fc.constantFrom('channel_quiz', 'self_study', 'review'),
    correct: fc.boolean(),
    difficulty: fc.constantFrom<Difficulty>('easy', 'medium', 'hard'),
    firstAnswer: fc.boolean(),
    quizClosed: fc.boolean(),
    streakExtendedTo: fc.option(fc.integer({ min: 1, max: 1_000 })),
  });

  it('GIVEN any answer THEN the XP is the sum of its breakdown, never negative, at most 22 (property)', () => {
    fc.assert(
      fc.property(answerArb, (answer) => {
        const { xp, breakdown } = xpForAnswer(answer);
        expect(breakdown.length).toBeGreaterThan(0);
        expect(xp).toBe(breakdown.reduce((sum, line) => sum + line.xp, 0));
        expect(xp).toBeGreaterThanOrEqual(0);
        expect(xp).toBeLessThanOrEqual(10 + 5 + 7);
        if (!answer.firstAnswer || answer.quizClosed) expect(xp).toBe(0);
        else expect(xp).toBeGreaterThan(0);
      }),
    );
  });

  it('GIVEN any answer that scores THEN being right earns more than being wrong (property)', () => {
    fc.assert(
      fc.property(answerArb, (answer) => {
        fc.pre(answer.firstAnswer && !answer.quizClosed);
        expect(xpForAnswer({ ...answer, correct: true }).xp).toBeGreaterThan(
          xpForAnswer({ ...answer, correct: false }).xp,
        );
      }),
    );
  });
});

describe('accuracy', () => {
  it('GIVEN nothing answered THEN accuracy is 0', () => {
    expect(accuracy(0, 0)).toBe(0);
  });

  it('GIVEN answers THEN accuracy is the share of right ones', () => {
    expect(accuracy(3, 4)).toBe(0.75);
    expect(accuracy(0, 5)).toBe(0);
    expect(accuracy(7, 7)).toBe(1);
  });

  it('GIVEN counts that cannot be THEN it throws', () => {
    expect(() => accuracy(5, 4)).toThrow(RangeError);
    expect(() => accuracy(-1, 4)).toThrow(RangeError);
    expect(() => accuracy(1.5, 4)).toThrow(RangeError);
  });
});
