import { describe, expect, it } from 'vitest';
import type { RankingPeriod } from './ranking.ts';
import {
  anonymousAnimal,
  anonymousAnimals,
  hardestQuestion,
  lastEndedWeek,
  mostImproved,
  previousWeek,
  type WeekCounts,
  weekSpan,
} from './seasons.ts';

const period: RankingPeriod = { questions: 10, days: 5 };
const row = (memberId: string, right: number, total: number, days: number): WeekCounts => ({
  memberId,
  answered: total,
  firstTries: total,
  firstTryCorrect: right,
  reviews: 0,
  reviewsKept: 0,
  activeDays: days,
});

describe('season weeks', () => {
  it('GIVEN a week THEN the previous one, across a 53-week year', () => {
    expect(previousWeek('2026-W48')).toBe('2026-W47');
    expect(previousWeek('2027-W01')).toBe('2026-W53');
    expect(previousWeek('2026-W01')).toBe('2025-W52');
  });

  it('GIVEN Monday 00:30 in the cohort’s zone THEN the week that just ended is the previous one', () => {
    // 2026-11-30 is a Monday; 03:30 UTC is 00:30 in São Paulo and still Sunday 22:30 in New York.
    const now = new Date('2026-11-30T03:30:00Z');
    expect(lastEndedWeek(now, 'America/Sao_Paulo')).toBe('2026-W48');
    expect(lastEndedWeek(now, 'America/New_York')).toBe('2026-W47');
  });

  it('GIVEN a week with a DST change THEN its span lasts 167 hours and starts at local midnight', () => {
    // New York springs forward on Sunday 2026-03-08: week 2026-W10 runs 2026-03-02 to 2026-03-08.
    const { start, end } = weekSpan('2026-W10', 'America/New_York');
    expect(start.toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(end.toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(167);
    const lisbon = weekSpan('2026-W43', 'Europe/Lisbon'); // falls back on 2026-10-25
    expect((lisbon.end.getTime() - lisbon.start.getTime()) / 3_600_000).toBe(169);
  });
});

describe('anonymousAnimal', () => {
  it('GIVEN a member id THEN always the same animal of the list, and different ids spread over the list', () => {
    expect(anonymousAnimal('m-1')).toBe(anonymousAnimal('m-1'));
    const animals = new Set(Array.from({ length: 100 }, (_, i) => anonymousAnimal(`member-${i}`)));
    for (const animal of animals) expect(anonymousAnimals).toContain(animal);
    expect(animals.size).toBeGreaterThan(6);
  });
});

describe('mostImproved', () => {
  it('GIVEN members in both weeks THEN the largest rise wins; a member new this week is not considered', () => {
    const before = { rows: [row('a', 2, 10, 2), row('b', 8, 10, 5), row('c', 5, 10, 3)], period };
    const season = {
      rows: [row('a', 7, 10, 5), row('b', 9, 10, 5), row('c', 6, 10, 3), row('newcomer', 10, 10, 5)],
      period,
    };
    const pick = mostImproved(season, before);
    expect(pick?.memberId).toBe('a');
    expect(pick && pick.after - pick.before).toBeGreaterThan(100);
  });

  it('GIVEN nobody rose THEN nobody is the most improved', () => {
    const rows = [row('a', 5, 10, 3), row('b', 6, 10, 3)];
    expect(mostImproved({ rows, period }, { rows, period })).toBeNull();
    expect(mostImproved({ rows, period }, { rows: [], period })).toBeNull();
  });

  it('GIVEN equal rises THEN more points this week, then the smaller id', () => {
    const before = { rows: [row('b', 2, 10, 2), row('a', 2, 10, 2)], period };
    const season = { rows: [row('b', 6, 10, 2), row('a', 6, 10, 2)], period };
    expect(mostImproved(season, before)?.memberId).toBe('a');
  });
});

describe('hardestQuestion', () => {
  it('GIVEN questions THEN the lowest first-try accuracy with enough answers, ties to the more answered', () => {
    const q = (questionId: string, members: number, firstCorrect: number) => ({
      trackId: 'docker',
      questionId,
      members,
      firstCorrect,
    });
    expect(hardestQuestion([q('easy', 10, 9), q('hard', 9, 3), q('lucky-few', 2, 0)])?.questionId).toBe('hard');
    expect(hardestQuestion([q('one', 3, 1), q('two', 6, 2)])?.questionId).toBe('two');
    expect(hardestQuestion([q('few', 2, 0)])).toBeNull();
    expect(hardestQuestion([])).toBeNull();
  });
});
