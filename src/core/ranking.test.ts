import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  diminishing,
  periodYardsticks,
  plusFour,
  type RankingCounts,
  type RankingPeriod,
  rankingScore,
} from './ranking.ts';

const week: RankingPeriod = { questions: 15, days: 5 };

/** A week of quiz answers only (no reviews), each answer a first try. */
function quiz(right: number, total: number, activeDays: number): RankingCounts {
  return { answered: total, firstTries: total, firstTryCorrect: right, reviews: 0, reviewsKept: 0, activeDays };
}

const counts = fc
  .record({
    firstTries: fc.integer({ min: 0, max: 60 }),
    repeats: fc.integer({ min: 0, max: 10 }),
    reviews: fc.integer({ min: 0, max: 30 }),
    activeDays: fc.integer({ min: 0, max: 7 }),
    rightShare: fc.double({ min: 0, max: 1, noNaN: true }),
    keptShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(
    (c): RankingCounts => ({
      answered: c.firstTries + c.repeats + c.reviews,
      firstTries: c.firstTries,
      firstTryCorrect: Math.floor(c.firstTries * c.rightShare),
      reviews: c.reviews,
      reviewsKept: Math.floor(c.reviews * c.keptShare),
      activeDays: c.activeDays,
    }),
  );
const periods = fc.record({
  questions: fc.integer({ min: 1, max: 60 }),
  days: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }),
});

describe('rankingScore', () => {
  it('GIVEN the worked example of docs/ranking.md THEN gives its points', () => {
    // Ana: 12 of 15 quiz questions, 10 right at the first try, 4 reviews of which 3 kept, active on 4 of 5 drop days.
    const ana = rankingScore(
      { answered: 16, firstTries: 12, firstTryCorrect: 10, reviews: 4, reviewsKept: 3, activeDays: 4 },
      week,
    );
    expect(ana.accuracy).toBeCloseTo(0.75, 10);
    expect(ana.retention).toBeCloseTo(0.625, 10);
    expect(ana.coverage).toBeCloseTo(0.8, 10);
    expect(ana.regularity).toBeCloseTo(0.8, 10);
    expect(ana.points).toBe(815);
    // Bruno: every question and more (40 self-study answers), half right, every day.
    expect(rankingScore(quiz(20, 40, 5), week).points).toBe(700);
    // Caio: one question, right.
    expect(rankingScore(quiz(1, 1, 1), week).points).toBe(443);
  });

  it('GIVEN a 1-for-1 and a strong 45-for-50 THEN the 45-for-50 ranks higher, whatever the period', () => {
    fc.assert(
      fc.property(periods, (period) => {
        const lucky = rankingScore(quiz(1, 1, 1), period);
        const strong = rankingScore(quiz(45, 50, 5), period);
        expect(strong.score).toBeGreaterThan(lucky.score);
      }),
    );
    // Even on accuracy alone, before participation counts.
    expect(plusFour(45, 50)).toBeGreaterThan(plusFour(1, 1));
  });

  it('GIVEN equal participation THEN more right first tries rank higher, and more reviews kept too', () => {
    fc.assert(
      fc.property(counts, periods, (base, period) => {
        fc.pre(base.firstTryCorrect < base.firstTries);
        const better = { ...base, firstTryCorrect: base.firstTryCorrect + 1 };
        expect(rankingScore(better, period).score).toBeGreaterThan(rankingScore(base, period).score);
      }),
    );
    fc.assert(
      fc.property(counts, periods, (base, period) => {
        fc.pre(base.reviewsKept < base.reviews);
        const better = { ...base, reviewsKept: base.reviewsKept + 1 };
        expect(rankingScore(better, period).score).toBeGreaterThan(rankingScore(base, period).score);
      }),
    );
  });

  it('GIVEN the same accuracy THEN more participation never lowers the score, and past the week’s questions it adds nothing', () => {
    fc.assert(
      fc.property(counts, periods, (base, period) => {
        const moreDays = { ...base, activeDays: base.activeDays + 1 };
        expect(rankingScore(moreDays, period).score).toBeGreaterThanOrEqual(rankingScore(base, period).score);
        // One more answer that is neither a first try nor a review (a repeat): only coverage can move.
        const repeat = { ...base, answered: base.answered + 1 };
        expect(rankingScore(repeat, period).score).toBeGreaterThanOrEqual(rankingScore(base, period).score);
      }),
    );
    const all = rankingScore(quiz(12, 15, 5), week);
    const grinder = rankingScore({ ...quiz(12, 15, 5), answered: 150 }, week);
    expect(grinder.points).toBe(all.points);
  });

  it('GIVEN any counts THEN the points are whole numbers from 0 to 1000 and the parts are shares', () => {
    fc.assert(
      fc.property(counts, periods, (c, period) => {
        const s = rankingScore(c, period);
        expect(Number.isInteger(s.points)).toBe(true);
        expect(s.points).toBeGreaterThanOrEqual(0);
        expect(s.points).toBeLessThanOrEqual(1000);
        for (const part of [s.accuracy, s.retention, s.coverage, s.regularity]) {
          expect(part).toBeGreaterThanOrEqual(0);
          expect(part).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('GIVEN all time (no day count) THEN coverage stands in for regularity', () => {
    const c = quiz(8, 10, 0);
    const allTime = rankingScore(c, { questions: 20, days: null });
    expect(allTime.regularity).toBe(allTime.coverage);
    expect(allTime.points).toBe(Math.round(450 * (10 / 14) + 150 * 0.5 + 400 * 0.75));
  });
});

describe('diminishing and periodYardsticks', () => {
  it('GIVEN shares THEN half the way gives three quarters, and nothing beyond the whole', () => {
    expect(diminishing(0)).toBe(0);
    expect(diminishing(0.5)).toBe(0.75);
    expect(diminishing(1)).toBe(1);
    expect(diminishing(3)).toBe(1);
    expect(diminishing(-1)).toBe(0);
  });

  it('GIVEN a week without drops THEN the most active member sets the yardsticks, never below 1', () => {
    expect(periodYardsticks({ postedQuestions: 15, dropDays: 5, mostAnswers: 40, mostActiveDays: 7 })).toEqual({
      questions: 15,
      days: 5,
    });
    expect(periodYardsticks({ postedQuestions: 0, dropDays: 0, mostAnswers: 9, mostActiveDays: 3 })).toEqual({
      questions: 9,
      days: 3,
    });
    expect(periodYardsticks({ postedQuestions: 0, dropDays: null, mostAnswers: 0, mostActiveDays: 0 })).toEqual({
      questions: 1,
      days: null,
    });
  });
});
