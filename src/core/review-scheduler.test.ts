import fc from 'fast-check';
import { type Card, State } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import {
  fromFsrsCard,
  parseReviewCardState,
  pickReviewQueue,
  ReviewCardError,
  type ReviewCardState,
  ReviewScheduler,
  reviewsPerDay,
  todaysReviews,
  toFsrsCard,
} from './review-scheduler.ts';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const start = new Date('2026-11-28T12:00:00Z');
const scheduler = new ReviewScheduler();

function at(base: Date, ms: number): Date {
  return new Date(base.getTime() + ms);
}

/** The card after a first answer at `now` followed by answers each given exactly when the card came due. */
function answeredOnTime(answers: readonly boolean[], now: Date = start): ReviewCardState {
  const [first, ...rest] = answers;
  if (first === undefined) throw new Error('at least one answer');
  let card = scheduler.review(scheduler.newCard(now), first, now);
  for (const correct of rest) card = scheduler.review(card, correct, card.due);
  return card;
}

/** Milliseconds from the card's last review to its due time: the interval it was given. */
function interval(card: ReviewCardState): number {
  if (card.lastReview === null) throw new Error('never reviewed');
  return card.due.getTime() - card.lastReview.getTime();
}

describe('ReviewScheduler.newCard', () => {
  it('GIVEN a moment THEN the card is new, never reviewed, and due at once', () => {
    expect(scheduler.newCard(start)).toEqual({
      due: start,
      stability: 0,
      difficulty: 0,
      scheduledDays: 0,
      learningSteps: 0,
      reps: 0,
      lapses: 0,
      state: 0,
      lastReview: null,
    });
  });
});

describe('ReviewScheduler.review', () => {
  it('GIVEN a first answer THEN the card is due later after a right answer than after a wrong one', () => {
    const right = scheduler.review(scheduler.newCard(start), true, start);
    const wrong = scheduler.review(scheduler.newCard(start), false, start);
    expect(right.due.getTime()).toBeGreaterThan(wrong.due.getTime());
    expect(right.stability).toBeGreaterThan(wrong.stability);
    // No minute-long learning steps (docs/reviews.md): both go straight to review, due in whole days, a wrong answer
    // the next day.
    expect(right).toMatchObject({ state: 2, reps: 1, lapses: 0, lastReview: start, scheduledDays: 3 });
    expect(right.due).toEqual(at(start, 3 * DAY));
    expect(wrong).toMatchObject({ state: 2, reps: 1, lapses: 0, lastReview: start, due: at(start, DAY) });
  });

  it('GIVEN right answers each given when the card is due THEN every interval is longer than the one before', () => {
    let card = scheduler.review(scheduler.newCard(start), true, start);
    const intervals = [interval(card)];
    for (let i = 0; i < 5; i++) {
      card = scheduler.review(card, true, card.due);
      intervals.push(interval(card));
    }
    for (let i = 1; i < intervals.length; i++) {
      // Longer each time, until the maximum interval holds it.
      if (intervals[i] !== 365 * DAY)
        expect(intervals[i]).toBeGreaterThan(intervals[i - 1] ?? Number.POSITIVE_INFINITY);
    }
    expect(card).toMatchObject({ state: 2, reps: 6, lapses: 0 });
    expect(card.scheduledDays).toBeGreaterThan(30);
  });

  it('GIVEN several right answers THEN a wrong one counts a lapse and brings the question back much sooner', () => {
    const known = answeredOnTime([true, true, true, true]);
    expect(known).toMatchObject({ state: 2, lapses: 0 });

    const lapsed = scheduler.review(known, false, known.due);
    expect(lapsed.lapses).toBe(1);
    expect(lapsed.state).toBe(2);
    expect(lapsed.stability).toBeLessThan(known.stability);
    expect(interval(lapsed)).toBeLessThan(interval(known));
    expect(interval(lapsed)).toBeLessThan(interval(known) / 10);

    // Relearned: the interval after the next right answer is still shorter than before the lapse.
    const relearned = scheduler.review(lapsed, true, lapsed.due);
    expect(relearned).toMatchObject({ state: 2, lapses: 1 });
    expect(interval(relearned)).toBeLessThan(interval(known));
  });

  it('GIVEN many right answers THEN no interval exceeds the maximum of 365 days', () => {
    let card = scheduler.review(scheduler.newCard(start), true, start);
    let longest = 0;
    for (let i = 0; i < 30; i++) {
      card = scheduler.review(card, true, card.due);
      expect(card.scheduledDays).toBeLessThanOrEqual(365);
      expect(interval(card)).toBeLessThanOrEqual(365 * DAY);
      longest = Math.max(longest, card.scheduledDays);
    }
    expect(longest).toBe(365);
  });

  it('GIVEN a smaller maximum interval THEN the scheduler keeps to it', () => {
    const short = new ReviewScheduler({ maximum_interval: 30 });
    let card = short.review(short.newCard(start), true, start);
    for (let i = 0; i < 10; i++) card = short.review(card, true, card.due);
    expect(card.scheduledDays).toBe(30);
    expect(interval(card)).toBe(30 * DAY);
  });

  it('GIVEN the same card, answer and moment THEN the result is the same, and the card passed in is unchanged', () => {
    const card = answeredOnTime([true, false, true]);
    const before = structuredClone(card);
    const now = at(card.due, 3 * DAY);
    expect(scheduler.review(card, true, now)).toEqual(scheduler.review(card, true, now));
    expect(new ReviewScheduler().review(card, false, now)).toEqual(scheduler.review(card, false, now));
    expect(card).toEqual(before);
  });

  it('GIVEN a review time before the last review (clock skew) THEN it counts at the last review and nothing is due in the past', () => {
    const card = answeredOnTime([true, true]);
    const lastReview = card.lastReview ?? start;
    const skewed = scheduler.review(card, false, at(lastReview, -5 * MINUTE));
    expect(skewed).toEqual(scheduler.review(card, false, lastReview));
    expect(skewed).toMatchObject({ lastReview, reps: card.reps + 1, lapses: card.lapses + 1 });
    const early = scheduler.review(card, true, new Date('2020-01-01T00:00:00Z'));
    expect(early.lastReview).toEqual(lastReview);
    expect(early.due.getTime()).toBeGreaterThan(lastReview.getTime());
  });

  it('GIVEN a corrupted stored card or an invalid moment THEN it throws a ReviewCardError', () => {
    const card = answeredOnTime([true]);
    expect(() => scheduler.review({ ...card, state: 7 as 0 }, true, start)).toThrow(ReviewCardError);
    expect(() => scheduler.review({ ...card, reps: -1 }, true, start)).toThrow(ReviewCardError);
    expect(() => scheduler.review({ ...card, lastReview: null }, true, start)).toThrow(ReviewCardError);
    expect(() => scheduler.review({ ...card, due: new Date(Number.NaN) }, true, start)).toThrow(ReviewCardError);
    expect(() => scheduler.review(card, true, new Date('not a date'))).toThrow(ReviewCardError);
    expect(() => scheduler.newCard(new Date(Number.NaN))).toThrow(ReviewCardError);
    expect(() => scheduler.review(scheduler.newCard(start), true, new Date(Number.NaN))).toThrow(ReviewCardError);
    expect(() => scheduler.retrievability(card, new Date(Number.NaN))).toThrow(ReviewCardError);
    expect(() => scheduler.isDue(card, new Date(Number.NaN))).toThrow(ReviewCardError);
  });
});

describe('ReviewScheduler parameters', () => {
  it('GIVEN no parameters THEN retention is 0.9, the maximum interval 365 days, fuzz and minute steps are off', () => {
    expect(scheduler.parameters).toMatchObject({
      request_retention: 0.9,
      maximum_interval: 365,
      enable_fuzz: false,
      enable_short_term: false,
    });
  });

  it('GIVEN a retention or maximum interval out of range THEN the constructor throws a ReviewCardError', () => {
    for (const bad of [0, 1, 1.5, -0.2, Number.NaN]) {
      expect(() => new ReviewScheduler({ request_retention: bad })).toThrow(ReviewCardError);
    }
    for (const bad of [0, -1, 2.5, Number.POSITIVE_INFINITY]) {
      expect(() => new ReviewScheduler({ maximum_interval: bad })).toThrow(ReviewCardError);
    }
  });

  it('GIVEN a higher requested retention THEN the same history gets a shorter interval', () => {
    const strict = new ReviewScheduler({ request_retention: 0.97 });
    let card = strict.review(strict.newCard(start), true, start);
    for (let i = 0; i < 3; i++) card = strict.review(card, true, card.due);
    expect(card.scheduledDays).toBeLessThan(answeredOnTime([true, true, true, true]).scheduledDays);
  });
});

describe('ReviewScheduler.retrievability and isDue', () => {
  it('GIVEN a card never reviewed THEN its retrievability is 0', () => {
    expect(scheduler.retrievability(scheduler.newCard(start), start)).toBe(0);
  });

  it('GIVEN a reviewed card THEN recall starts near 1, is about the requested 0.9 when due, and keeps falling', () => {
    const card = answeredOnTime([true, true, true]);
    const lastReview = card.lastReview ?? start;
    const rightAfter = scheduler.retrievability(card, lastReview);
    const whenDue = scheduler.retrievability(card, card.due);
    const monthLate = scheduler.retrievability(card, at(card.due, 30 * DAY));
    expect(rightAfter).toBeCloseTo(1, 5);
    expect(whenDue).toBeCloseTo(0.9, 1);
    expect(monthLate).toBeLessThan(whenDue);
    expect(monthLate).toBeGreaterThan(0);
  });

  it('GIVEN a card THEN it is due from its due time on, not a millisecond before', () => {
    const card = answeredOnTime([true, true]);
    expect(scheduler.isDue(card, at(card.due, -1))).toBe(false);
    expect(scheduler.isDue(card, card.due)).toBe(true);
    expect(scheduler.isDue(card, at(card.due, DAY))).toBe(true);
  });
});

describe('mapping to and from ts-fsrs', () => {
  it('GIVEN a stored card THEN every field maps to its ts-fsrs twin and back unchanged', () => {
    const stored: ReviewCardState = {
      due: new Date('2026-12-09T12:10:00Z'),
      stability: 10.97123,
      difficulty: 5.25,
      scheduledDays: 11,
      learningSteps: 1,
      reps: 4,
      lapses: 2,
      state: 3,
      lastReview: new Date('2026-11-28T12:10:00Z'),
    };
    const card = toFsrsCard(stored);
    expect(card).toMatchObject({
      due: stored.due,
      stability: 10.97123,
      difficulty: 5.25,
      scheduled_days: 11,
      learning_steps: 1,
      reps: 4,
      lapses: 2,
      state: State.Relearning,
      last_review: stored.lastReview,
    });
    expect(fromFsrsCard(card)).toEqual(stored);
  });

  it('GIVEN a new card THEN a missing last review is null in storage and absent in ts-fsrs', () => {
    const stored = scheduler.newCard(start);
    const card: Card = toFsrsCard(stored);
    expect(card.last_review).toBeUndefined();
    expect(card.state).toBe(State.New);
    expect(fromFsrsCard(card)).toEqual(stored);
  });

  it('GIVEN a row from the database THEN parseReviewCardState accepts a valid one and names the bad field otherwise', () => {
    const card = answeredOnTime([true, true]);
    expect(parseReviewCardState({ ...card })).toEqual(card);
    expect(() => parseReviewCardState({ ...card, scheduledDays: 1.5 })).toThrow(/scheduledDays/);
    expect(() => parseReviewCardState({ ...card, stability: 0 })).toThrow(ReviewCardError);
    expect(() => parseReviewCardState(null)).toThrow(ReviewCardError);
  });
});

describe('pickReviewQueue', () => {
  const now = new Date('2027-01-15T09:00:00Z');

  /** A card in review, last reviewed `daysAgo` days before `now`, with the given stability and interval. */
  function reviewCard(daysAgo: number, stability: number, scheduledDays: number): ReviewCardState {
    const lastReview = at(now, -daysAgo * DAY);
    return {
      due: at(lastReview, scheduledDays * DAY),
      stability,
      difficulty: 5,
      scheduledDays,
      learningSteps: 0,
      reps: 3,
      lapses: 0,
      state: 2,
      lastReview,
    };
  }

  const cards = [
    { questionId: 'q-barely-due', card: reviewCard(10, 10, 10) },
    { questionId: 'q-not-yet', card: reviewCard(2, 10, 10) },
    { questionId: 'q-long-overdue', card: reviewCard(60, 10, 10) },
    { questionId: 'q-overdue', card: reviewCard(20, 10, 10) },
  ];

  it('GIVEN due cards THEN the most overdue come first, and only cards are served (no question without a card)', () => {
    expect(pickReviewQueue({ cards, now, limit: 10 })).toEqual([
      { questionId: 'q-long-overdue' },
      { questionId: 'q-overdue' },
      { questionId: 'q-barely-due' },
    ]);
  });

  it('GIVEN a card not yet due THEN it is not served', () => {
    const queue = pickReviewQueue({ cards, now, limit: 10 });
    expect(queue.map((item) => item.questionId)).not.toContain('q-not-yet');
  });

  it('GIVEN a limit THEN the queue stops there', () => {
    expect(pickReviewQueue({ cards, now, limit: 2 })).toEqual([
      { questionId: 'q-long-overdue' },
      { questionId: 'q-overdue' },
    ]);
    expect(pickReviewQueue({ cards, now, limit: 0 })).toEqual([]);
  });

  it('GIVEN a weak memory due recently and a strong one due long ago THEN the one less likely recalled comes first', () => {
    const weak = reviewCard(3, 1, 1); // due 2 days ago, stability 1 day
    const strong = reviewCard(40, 100, 10); // due 30 days ago, stability 100 days
    expect(scheduler.retrievability(weak, now)).toBeLessThan(scheduler.retrievability(strong, now));
    const queue = pickReviewQueue({
      cards: [
        { questionId: 'a-strong', card: strong },
        { questionId: 'b-weak', card: weak },
      ],
      now,
      limit: 10,
    });
    expect(queue.map((item) => item.questionId)).toEqual(['b-weak', 'a-strong']);
  });

  it('GIVEN cards equally likely to be recalled THEN the earlier due comes first, then the smaller question id', () => {
    const same = reviewCard(30, 10, 10);
    const earlierDue = { ...same, due: at(same.due, -DAY) };
    const queue = pickReviewQueue({
      cards: [
        { questionId: 'b', card: same },
        { questionId: 'c', card: earlierDue },
        { questionId: 'a', card: same },
      ],
      now,
      limit: 10,
    });
    expect(queue.map((item) => item.questionId)).toEqual(['c', 'a', 'b']);
  });

  it('GIVEN a question listed twice THEN it is served once; the same question id in two tracks is two cards', () => {
    const long = cards[2]?.card as ReviewCardState;
    expect(pickReviewQueue({ cards: [cards[2], cards[2]].filter((c) => c !== undefined), now, limit: 10 })).toEqual([
      { questionId: 'q-long-overdue' },
    ]);
    const twoTracks = [
      { trackId: 'git', questionId: 'q', card: long },
      { trackId: 'docker', questionId: 'q', card: long },
    ];
    expect(pickReviewQueue({ cards: twoTracks, now, limit: 10 })).toEqual([
      { trackId: 'docker', questionId: 'q' },
      { trackId: 'git', questionId: 'q' },
    ]);
  });

  it('GIVEN an invalid limit or moment THEN it throws a ReviewCardError', () => {
    for (const limit of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => pickReviewQueue({ cards, now, limit })).toThrow(ReviewCardError);
    }
    expect(() => pickReviewQueue({ cards, now: new Date(Number.NaN), limit: 5 })).toThrow(ReviewCardError);
  });

  it('GIVEN the same cards in any order THEN the queue is the same', () => {
    const pool = Array.from({ length: 12 }, (_, i) => ({
      questionId: `q${i}`,
      card: reviewCard(5 + ((i * 7) % 40), 3 + (i % 4) * 5, 1 + (i % 3) * 4),
    }));
    const expected = pickReviewQueue({ cards: pool, now, limit: 8 });
    expect(expected).toHaveLength(8);
    fc.assert(
      fc.property(fc.shuffledSubarray(pool, { minLength: pool.length }), (shuffled) => {
        expect(pickReviewQueue({ cards: shuffled, now, limit: 8 })).toEqual(expected);
      }),
    );
  });
});

describe('review properties', () => {
  it('GIVEN any sequence of right and wrong answers at increasing times THEN due is never before the review and stability stays positive', () => {
    const answer = fc.record({
      correct: fc.boolean(),
      // From the same instant (a repeat) to well past the maximum interval.
      afterMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 * DAY }), fc.integer({ min: 0, max: 500 * DAY })),
    });
    fc.assert(
      fc.property(fc.array(answer, { minLength: 1, maxLength: 40 }), (answers) => {
        let now = start;
        // Round-trip through the ts-fsrs shape each time, as a save and a load would.
        let card = fromFsrsCard(toFsrsCard(scheduler.newCard(now)));
        let lapses = 0;
        for (const { correct, afterMs } of answers) {
          now = at(now, afterMs);
          const before = card;
          card = fromFsrsCard(toFsrsCard(scheduler.review(card, correct, now)));
          expect(card.due.getTime()).toBeGreaterThanOrEqual(now.getTime());
          expect(card.lastReview).toEqual(now);
          expect(card.stability).toBeGreaterThan(0);
          expect(Number.isFinite(card.stability)).toBe(true);
          expect(card.difficulty).toBeGreaterThanOrEqual(1);
          expect(card.difficulty).toBeLessThanOrEqual(10);
          expect(card.scheduledDays).toBeLessThanOrEqual(365);
          expect(card.reps).toBe(before.reps + 1);
          expect(card.lapses).toBeGreaterThanOrEqual(lapses);
          expect([1, 2, 3]).toContain(card.state);
          lapses = card.lapses;
        }
      }),
    );
  });
});

describe('todaysReviews', () => {
  const now = new Date('2027-01-15T09:00:00Z');
  const dueCard = (daysAgo: number): ReviewCardState => ({
    due: at(now, -daysAgo * DAY),
    stability: 3,
    difficulty: 5,
    scheduledDays: 3,
    learningSteps: 0,
    reps: 2,
    lapses: 0,
    state: 2,
    lastReview: at(now, -(daysAgo + 3) * DAY),
  });
  const deckOf = (count: number, reviewedToday: number) => ({
    cards: Array.from({ length: count }, (_, i) => ({ trackId: 'docker', questionId: `q${i}`, card: dueCard(i) })),
    reviewedToday,
  });
  const all = () => true;

  it(`GIVEN more due cards than a day allows THEN at most ${reviewsPerDay} are served, fewer as the day's reviews are done`, () => {
    expect(todaysReviews(deckOf(40, 0), now, all)).toHaveLength(reviewsPerDay);
    expect(todaysReviews(deckOf(40, 3), now, all)).toHaveLength(reviewsPerDay - 3);
    expect(todaysReviews(deckOf(40, reviewsPerDay), now, all)).toEqual([]);
    expect(todaysReviews(deckOf(40, reviewsPerDay + 5), now, all)).toEqual([]);
    expect(todaysReviews(deckOf(4, 0), now, all)).toHaveLength(4);
  });

  it('GIVEN cards of questions no longer in the content THEN they are left out and others take their place', () => {
    const queue = todaysReviews(deckOf(12, 0), now, (_, questionId) => questionId !== 'q11');
    expect(queue).toHaveLength(reviewsPerDay);
    expect(queue.map((item) => item.questionId)).not.toContain('q11');
    expect(queue[0]).toEqual({ trackId: 'docker', questionId: 'q10' });
  });
});
