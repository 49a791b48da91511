import { describe, expect, it } from 'vitest';
import {
  earlier,
  laterCard,
  type MergeAttempt,
  planAttempts,
  replayStreak,
  totalsOf,
  weeklyTotalsOf,
} from './member-merge.ts';
import { everyDayCounts } from './streaks.ts';

let next = 0;
function attempt(overrides: Partial<MergeAttempt> & { at: string }): MergeAttempt {
  next += 1;
  const { at, ...rest } = overrides;
  return {
    id: `a${String(next).padStart(4, '0')}`,
    trackId: 'docker',
    questionId: 'q1',
    postedQuestionId: null,
    context: 'self_study',
    dedupeKey: `study:docker/${overrides.questionId ?? 'q1'}`,
    correct: true,
    scored: true,
    xp: 10,
    answeredAt: new Date(at),
    localDate: at.slice(0, 10),
    ...rest,
  };
}

describe('planAttempts', () => {
  it('GIVEN the same self-study question answered on both sides THEN the earlier answer is kept, the later dropped', () => {
    const slack = attempt({ at: '2026-03-02T15:00:00Z', correct: false, xp: 2 });
    const discord = attempt({ at: '2026-03-02T16:00:00Z' });
    const plan = planAttempts([discord, slack]);
    expect(plan.kept.map((a) => a.id)).toEqual([slack.id]);
    expect(plan.dropped).toEqual([discord.id]);
    expect(plan.unscored).toEqual([]);
  });

  it('GIVEN one question scored in two channel quizzes THEN both are kept and only the earlier scores', () => {
    const slack = attempt({
      at: '2026-03-02T15:00:00Z',
      context: 'channel_quiz',
      postedQuestionId: 'pq-slack',
      dedupeKey: 'pq:pq-slack',
      xp: 17,
    });
    const discord = attempt({
      at: '2026-03-02T15:05:00Z',
      context: 'channel_quiz',
      postedQuestionId: 'pq-discord',
      dedupeKey: 'pq:pq-discord',
    });
    const plan = planAttempts([discord, slack]);
    expect(plan.kept.map((a) => [a.id, a.scored, a.xp])).toEqual([
      [slack.id, true, 17],
      [discord.id, false, 0],
    ]);
    expect(plan.unscored).toEqual([discord.id]);
    expect(totalsOf(plan.kept)).toMatchObject({ xp: 17, answered: 1, correct: 1, firstTries: 1 });
  });

  it('GIVEN an answer after the quiz closed THEN it stays unscored and does not take the question', () => {
    const closed = attempt({
      at: '2026-03-02T15:00:00Z',
      context: 'channel_quiz',
      postedQuestionId: 'pq-1',
      dedupeKey: 'pq:pq-1',
      scored: false,
      xp: 0,
    });
    const open = attempt({
      at: '2026-03-03T15:00:00Z',
      context: 'channel_quiz',
      postedQuestionId: 'pq-2',
      dedupeKey: 'pq:pq-2',
    });
    const plan = planAttempts([closed, open]);
    expect(plan.unscored).toEqual([]);
    expect(plan.kept.filter((a) => a.scored).map((a) => a.id)).toEqual([open.id]);
  });
});

describe('totals and weeks', () => {
  it('GIVEN reviews and a wrong first try THEN the totals count first tries and reviews as the answer path does', () => {
    const first = attempt({ at: '2026-03-02T15:00:00Z', correct: false, xp: 2 });
    const review = attempt({
      at: '2026-03-05T15:00:00Z',
      context: 'review',
      dedupeKey: 'review:docker/q1:1',
      xp: 5,
    });
    const other = attempt({ at: '2026-03-09T15:00:00Z', questionId: 'q2', dedupeKey: 'study:docker/q2', xp: 12 });
    expect(totalsOf([review, other, first])).toEqual({
      xp: 19,
      answered: 3,
      correct: 2,
      firstTries: 2,
      firstTryCorrect: 1,
      reviews: 1,
      reviewsKept: 1,
    });
    // New York's spring-forward Sunday (2026-03-08) between W10 and W11.
    const weeks = weeklyTotalsOf(
      [first, review, other],
      [
        { cohortId: 'c', week: '2026-W10' },
        { cohortId: 'c', week: '2026-W11' },
      ],
      new Map([['c', 'America/New_York']]),
    );
    expect(weeks.map((w) => [w.week, w.xp, w.answered, w.activeDays, w.firstTries, w.reviews])).toEqual([
      ['2026-W10', 7, 2, 2, 1, 1],
      ['2026-W11', 12, 1, 1, 1, 0],
    ]);
  });

  it('GIVEN a week nobody asked for THEN it is not returned', () => {
    const a = attempt({ at: '2026-03-02T15:00:00Z' });
    expect(weeklyTotalsOf([a], [{ cohortId: 'c', week: '2026-W20' }], new Map([['c', 'UTC']]))).toEqual([]);
  });

  it('GIVEN the local dates of both sides THEN the streak is replayed over their union', () => {
    const state = replayStreak(['2026-03-04', '2026-03-02', '2026-03-03', '2026-03-03', '2026-03-06'], everyDayCounts);
    expect(state).toMatchObject({ current: 1, best: 3, lastActiveDate: '2026-03-06' });
  });
});

describe('cards and dates', () => {
  it('GIVEN two cards THEN the one reviewed last goes on, else the one reviewed more, else the first', () => {
    const a = { lastReview: new Date('2026-03-02'), reps: 3, who: 'a' };
    const b = { lastReview: new Date('2026-03-04'), reps: 1, who: 'b' };
    expect(laterCard(a, b).who).toBe('b');
    expect(laterCard({ ...a, lastReview: null }, { ...b, lastReview: null }).who).toBe('a');
    expect(laterCard({ ...a, reps: 1 }, { ...b, lastReview: a.lastReview, reps: 2 }).who).toBe('b');
    expect(laterCard(a, { ...a, who: 'c' }).who).toBe('a');
  });

  it('GIVEN two optional instants THEN earlier picks the earlier one', () => {
    const one = new Date('2026-03-02');
    const two = new Date('2026-03-03');
    expect(earlier(two, one)).toBe(one);
    expect(earlier(null, two)).toBe(two);
    expect(earlier(null, null)).toBeNull();
  });
});
