import { describe, expect, it } from 'vitest';
import {
  accuracySeries,
  buildCohortReport,
  fellBehindAt,
  isoWeekStarts,
  maxReportWeeks,
  memberLabels,
  rate,
} from './cohort-report.ts';
import { Curriculum, type Lesson, type Question, type Track } from './curriculum.ts';
import type { MemberProgress, QuestionWeekActivity } from './ports/reports.port.ts';
import { anonymousAnimal } from './seasons.ts';

const text = (value: string) => ({ 'pt-BR': value, en: value });

function question(lessonId: string, slug: string): Question {
  return {
    id: `${lessonId}.${slug}`,
    lessonId,
    kind: 'single',
    difficulty: 'easy',
    prompt: text(`${slug}?`),
    options: [
      { text: text('a'), correct: true, explain: text('a') },
      { text: text('b'), correct: false, explain: text('b') },
    ],
    correctIndex: 0,
  };
}

function lesson(index: number): Lesson {
  const id = `l${index + 1}`;
  return {
    id,
    trackId: 't',
    unitId: 'u',
    index,
    title: text(`Lesson ${index + 1}`),
    drop: text('.'),
    terms: { 'pt-BR': [], en: [] },
    sources: [],
    questions: [question(id, 'a'), question(id, 'b')],
  };
}

const lessons = [0, 1, 2, 3].map(lesson);
const track: Track = {
  id: 't',
  title: text('T'),
  description: text('T'),
  units: [{ id: 'u', title: text('U'), lessonIds: lessons.map((l) => l.id) }],
  lessons,
};
const curriculum = new Curriculum([track]);

function member(id: string, overrides: Partial<MemberProgress> = {}): MemberProgress {
  return {
    memberId: id,
    displayName: id.toUpperCase(),
    visibility: 'shown',
    joinedAt: new Date('2026-03-01T00:00:00Z'),
    lessonsSeen: 0,
    lessonsCompleted: 0,
    closedDropsCompleted: 0,
    xp: 0,
    currentStreak: 0,
    bestStreak: 0,
    lastActiveDate: null,
    ...overrides,
  };
}

function activity(
  questionId: string,
  week: string,
  members: number,
  firstCorrect: number,
  currentCorrect: number,
): QuestionWeekActivity {
  return { trackId: 't', questionId, week, members, firstCorrect, currentCorrect };
}

describe('isoWeekStarts', () => {
  it('GIVEN two weeks across the US spring-forward THEN each Monday starts at local midnight, EST then EDT', () => {
    const weeks = isoWeekStarts(new Date('2026-03-02T15:00:00Z'), new Date('2026-03-10T16:00:00Z'), 'America/New_York');
    expect(weeks.map(({ week, start }) => [week, start.toISOString()])).toEqual([
      ['2026-W10', '2026-03-02T05:00:00.000Z'],
      ['2026-W11', '2026-03-09T04:00:00.000Z'],
    ]);
  });

  it('GIVEN a span over the new year THEN ISO week-years are followed (2026-W53 then 2027-W01)', () => {
    const weeks = isoWeekStarts(new Date('2026-12-24T12:00:00Z'), new Date('2027-01-05T12:00:00Z'), 'UTC');
    expect(weeks.map(({ week }) => week)).toEqual(['2026-W52', '2026-W53', '2027-W01']);
  });

  it('GIVEN `to` before `from` or a very long span THEN one week, or at most the cap, ending with the latest', () => {
    expect(isoWeekStarts(new Date('2026-03-10T00:00:00Z'), new Date('2026-03-01T00:00:00Z'), 'UTC')).toHaveLength(1);
    const long = isoWeekStarts(new Date('2020-01-01T00:00:00Z'), new Date('2026-03-10T00:00:00Z'), 'UTC');
    expect(long).toHaveLength(maxReportWeeks);
    expect(long.at(-1)?.week).toBe('2026-W11');
  });
});

describe('memberLabels', () => {
  it('GIVEN shown, anonymous and hidden members THEN names, numbers in member id order, and nothing', () => {
    const labels = memberLabels([
      { memberId: 'c', displayName: 'Caio', visibility: 'anonymous' },
      { memberId: 'a', displayName: 'Ana', visibility: 'anonymous' },
      { memberId: 'b', displayName: 'Bia', visibility: 'hidden' },
      { memberId: 'd', displayName: 'Dani', visibility: 'shown' },
    ]);
    // Anonymous members keep their leaderboard animal; two with the same animal are numbered in member id order.
    const [a, c] = [anonymousAnimal('a'), anonymousAnimal('c')];
    expect(Object.fromEntries(labels)).toEqual({
      a: { kind: 'anonymous', animal: a, number: 1 },
      b: { kind: 'hidden' },
      c: { kind: 'anonymous', animal: c, number: a === c ? 2 : 1 },
      d: { kind: 'name', name: 'Dani' },
    });
    const twins = memberLabels(
      ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10', 'x11', 'x12', 'x13'].map((memberId) => ({
        memberId,
        displayName: memberId,
        visibility: 'anonymous' as const,
      })),
    );
    // 13 members, 12 animals: at least one animal is shared, and its second holder is number 2.
    expect([...twins.values()].some((label) => label.kind === 'anonymous' && label.number === 2)).toBe(true);
  });
});

describe('buildCohortReport', () => {
  const report = buildCohortReport({
    curriculum,
    tracks: ['t'],
    members: [
      member('ana', { closedDropsCompleted: 3 }),
      member('bia', { closedDropsCompleted: 1, lastActiveDate: '2026-03-03' }),
      member('caio', { closedDropsCompleted: 0, visibility: 'hidden' }),
      member('dani', { closedDropsCompleted: 0, visibility: 'anonymous' }),
      member('eva', { closedDropsCompleted: 2 }),
    ],
    activity: [
      activity('l1.a', '2026-W10', 4, 1, 3),
      activity('l1.a', '2026-W11', 1, 0, 1),
      activity('l1.b', '2026-W12', 0, 0, 1), // a review in a later week: current answers only
      activity('l1.b', '2026-W10', 5, 4, 3),
      activity('l2.a', '2026-W10', 3, 1, 1),
      activity('l4.b', '2026-W11', 1, 1, 1),
      activity('other.q', '2026-W10', 9, 0, 0), // a question no longer in the content
    ],
    completion: [{ trackId: 't', lessonId: 'l1', seen: 5, completed: 4 }],
    dropped: [
      { trackId: 't', lessonId: 'l1', firstDate: '2026-03-02', closed: true },
      { trackId: 't', lessonId: 'l2', firstDate: '2026-03-03', closed: true },
      { trackId: 't', lessonId: 'l3', firstDate: '2026-03-04', closed: true },
    ],
  });

  it('GIVEN drops and answers THEN lessons dropped or answered, in track order, with pooled first-try and current tallies', () => {
    expect(report.lessons.map((line) => [line.lesson.id, line.dropped])).toEqual([
      ['l1', true],
      ['l2', true],
      ['l3', true],
      ['l4', false],
    ]);
    const [l1] = report.lessons;
    expect(l1?.firstTry).toEqual({ right: 5, of: 10 });
    expect(l1?.current).toEqual({ right: 8, of: 10 });
    expect(l1?.completed).toBe(4);
    expect(Object.fromEntries(l1?.byWeek ?? [])).toEqual({
      '2026-W10': { right: 5, of: 9 },
      '2026-W11': { right: 0, of: 1 },
    });
    expect(l1?.questions.map((q) => [q.position, q.answered])).toEqual([
      [1, 5],
      [2, 5],
    ]);
    expect(report.weeks).toEqual(['2026-W10', '2026-W11']);
    expect(rate(report.lessons[2]?.firstTry ?? { right: 0, of: 0 })).toBeNull();
  });

  it('GIVEN misses THEN the most missed by misses at the first try, then by lower accuracy', () => {
    expect(report.mostMissed.map((q) => [q.question.id, q.firstTry.of - q.firstTry.right])).toEqual([
      ['l1.a', 4],
      ['l2.a', 2],
      ['l1.b', 1],
    ]);
  });

  it(`GIVEN closed drops THEN members ${fellBehindAt}+ lessons behind are listed most behind first; hidden ones only counted`, () => {
    expect(report.closedLessons).toBe(3);
    expect(report.behind.map((line) => [line.member.memberId, line.lessonsBehind, line.label])).toEqual([
      ['dani', 3, { kind: 'anonymous', animal: anonymousAnimal('dani'), number: 1 }],
      ['bia', 2, { kind: 'name', name: 'BIA' }],
    ]);
    expect(report.hiddenBehind).toBe(1);
  });

  it('GIVEN the chart THEN one category per lesson, a series per week and the current accuracy as reference', () => {
    const { categories, series } = accuracySeries(report, { current: 'now', earlier: (week) => `≤ ${week}` });
    expect(categories).toEqual(['1', '2', '3', '4']);
    expect(series.map((s) => [s.label, s.values, s.reference ?? false])).toEqual([
      ['2026-W10', [5 / 9, 1 / 3, null, null], false],
      ['2026-W11', [0, null, null, 1], false],
      ['now', [0.8, 1 / 3, null, 1], true],
    ]);
    // More weeks than the chart keeps: the oldest are pooled into the first series.
    const pooled = accuracySeries(report, { current: 'now', earlier: (week) => `≤ ${week}` }, 1);
    expect(pooled.series.map((s) => s.label)).toEqual(['≤ 2026-W11', 'now']);
    expect(pooled.series[0]?.values).toEqual([5 / 10, 1 / 3, null, 1]);
  });
});
