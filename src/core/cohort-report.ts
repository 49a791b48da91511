/**
 * The facilitator report as data: from what the report store aggregates (src/core/ports/reports.port.ts) to lessons
 * and questions in track order with participation, first-try and current accuracy, the questions most missed, the
 * members who fell behind (named only as their board visibility allows) and the accuracy chart's series. Pure: the
 * command formats it (table, CSV, chart) in the reader's language; the weekly recap can reuse the chart part.
 */
import { DateTime } from 'luxon';
import { type IsoWeek, isoWeekBounds, isoWeekOfInstant } from './calendar.ts';
import type { Curriculum, Lesson, Question } from './curriculum.ts';
import type { ChartSeries } from './ports/charts.port.ts';
import type {
  BoardVisibility,
  DroppedLesson,
  LessonCompletion,
  MemberProgress,
  QuestionWeekActivity,
  ReportStore,
} from './ports/reports.port.ts';
import { anonymousAnimal } from './seasons.ts';

/**
 * A lesson is done when it was seen and at least this share of its questions has an answer (docs/scoring.md "When a
 * lesson is done"): a member who answered 3 of 4 did the lesson; a skipped question stays visible in the report as
 * unanswered.
 */
export const lessonDoneShare = 0.5;

/** Whether `answered` of a lesson's `questions` make it done (a lesson without questions is done when seen). */
export function lessonDone(answered: number, questions: number): boolean {
  return answered >= Math.ceil(questions * lessonDoneShare);
}

/** A member counts as fallen behind from this many lessons behind the cohort's closed drops (one missed day is not). */
export const fellBehindAt = 2;
/** How many questions the "most missed" list keeps. */
export const mostMissedSize = 5;
/** The most weeks the report buckets first tries into; older first tries go into the oldest bucket. */
export const maxReportWeeks = 156;

/** Answers out of a number of tries. */
export interface Tally {
  readonly right: number;
  readonly of: number;
}

/** The share of right answers, or null when there were none to count. */
export function rate(tally: Tally): number | null {
  return tally.of > 0 ? tally.right / tally.of : null;
}

export interface QuestionLine {
  readonly trackId: string;
  readonly lesson: Lesson;
  readonly question: Question;
  /** 1-based place in its lesson. */
  readonly position: number;
  /** Members who answered it at least once. */
  readonly answered: number;
  readonly firstTry: Tally;
  readonly current: Tally;
}

export interface LessonLine {
  readonly trackId: string;
  readonly lesson: Lesson;
  /** Posted in one of the cohort's channels. */
  readonly dropped: boolean;
  readonly seen: number;
  readonly completed: number;
  /** First tries at its questions, pooled, and the current answers of the same members. */
  readonly firstTry: Tally;
  readonly current: Tally;
  /** First tries by the ISO week they fell in. */
  readonly byWeek: ReadonlyMap<IsoWeek, Tally>;
  readonly questions: readonly QuestionLine[];
}

/**
 * How a member may appear in a report: by name; anonymous, as on the leaderboards (their animal, `seasons.ts`), with a
 * number when two anonymous members of the report share an animal; or not at all.
 */
export type MemberLabel =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'anonymous'; readonly animal: string; readonly number: number }
  | { readonly kind: 'hidden' };

export interface BehindLine {
  readonly member: MemberProgress;
  readonly label: Exclude<MemberLabel, { kind: 'hidden' }>;
  /** Lessons whose quiz closed in the cohort's channels that the member has not completed. */
  readonly lessonsBehind: number;
}

export interface CohortReport {
  /** The cohort's members (hidden ones included: they count in every total). */
  readonly members: readonly MemberProgress[];
  readonly labels: ReadonlyMap<string, MemberLabel>;
  /** Lessons dropped in the cohort's channels or answered by its members, in track order. */
  readonly lessons: readonly LessonLine[];
  /** The weeks with first tries, oldest first. */
  readonly weeks: readonly IsoWeek[];
  readonly mostMissed: readonly QuestionLine[];
  /** Lessons whose quiz has closed in the cohort's channels. */
  readonly closedLessons: number;
  /** Members `fellBehindAt` lessons behind or more whom the report may show, most behind first. */
  readonly behind: readonly BehindLine[];
  /** Members as far behind who hide from boards: counted, never named. */
  readonly hiddenBehind: number;
}

/** The first instant of each ISO week (in `timeZone`) from the week of `from` to the week of `to`, oldest first. */
export function isoWeekStarts(from: Date, to: Date, timeZone: string): { week: IsoWeek; start: Date }[] {
  const last = isoWeekOfInstant(to.getTime() < from.getTime() ? from : to, timeZone);
  const starts: { week: IsoWeek; start: Date }[] = [];
  let monday = DateTime.fromISO(isoWeekBounds(last).first, { zone: timeZone }).startOf('day');
  const first = isoWeekOfInstant(from, timeZone);
  // Walk back from the last week; each Monday's start is taken in the zone, so DST changes move the instant.
  for (let i = 0; i < maxReportWeeks; i++) {
    const week = isoWeekOfInstant(monday.toJSDate(), timeZone);
    starts.push({ week, start: monday.toJSDate() });
    if (week <= first) break;
    monday = monday.minus({ weeks: 1 }).startOf('day');
  }
  return starts.reverse();
}

/**
 * Report labels by member id: names for `shown`; for `anonymous`, the member's animal and, among the report's
 * anonymous members with the same animal, their place in member id order (1 for the first); none for `hidden`.
 */
export function memberLabels(
  members: readonly { readonly memberId: string; readonly displayName: string; readonly visibility: BoardVisibility }[],
): Map<string, MemberLabel> {
  const labels = new Map<string, MemberLabel>();
  const perAnimal = new Map<string, number>();
  for (const member of [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))) {
    if (member.visibility === 'hidden') labels.set(member.memberId, { kind: 'hidden' });
    else if (member.visibility === 'anonymous') {
      const animal = anonymousAnimal(member.memberId);
      const number = (perAnimal.get(animal) ?? 0) + 1;
      perAnimal.set(animal, number);
      labels.set(member.memberId, { kind: 'anonymous', animal, number });
    } else labels.set(member.memberId, { kind: 'name', name: member.displayName });
  }
  return labels;
}

/** Lessons behind the cohort's closed drops. */
export function lessonsBehind(member: MemberProgress, closedLessons: number): number {
  return Math.max(0, closedLessons - member.closedDropsCompleted);
}

export interface ReportInput {
  readonly curriculum: Curriculum;
  /** The tracks of the cohort's channels; empty = every track its members answered. */
  readonly tracks: readonly string[];
  readonly members: readonly MemberProgress[];
  readonly activity: readonly QuestionWeekActivity[];
  readonly completion: readonly LessonCompletion[];
  readonly dropped: readonly DroppedLesson[];
}

export function buildCohortReport(input: ReportInput): CohortReport {
  const { curriculum } = input;
  const key = (trackId: string, id: string) => `${trackId}/${id}`;
  const tracks = new Set(
    input.tracks.length > 0
      ? input.tracks
      : [...input.activity.map((row) => row.trackId), ...input.dropped.map((row) => row.trackId)],
  );
  const inScope = (trackId: string) => tracks.has(trackId);

  const byQuestion = new Map<string, QuestionWeekActivity[]>();
  for (const row of input.activity) {
    if (!inScope(row.trackId)) continue;
    const rows = byQuestion.get(key(row.trackId, row.questionId)) ?? [];
    rows.push(row);
    byQuestion.set(key(row.trackId, row.questionId), rows);
  }
  const completion = new Map(input.completion.map((row) => [key(row.trackId, row.lessonId), row]));
  const dropped = new Set(input.dropped.map((row) => key(row.trackId, row.lessonId)));
  const weeks = new Set<IsoWeek>();

  const lessons: LessonLine[] = [];
  // Tracks in the curriculum's order, lessons in drop order.
  for (const track of curriculum.tracks) {
    if (!inScope(track.id)) continue;
    for (const lesson of track.lessons) {
      const questions = lesson.questions.map((question, index): QuestionLine => {
        const rows = byQuestion.get(key(track.id, question.id)) ?? [];
        const answered = sum(rows, (row) => row.members);
        return {
          trackId: track.id,
          lesson,
          question,
          position: index + 1,
          answered,
          firstTry: { right: sum(rows, (row) => row.firstCorrect), of: answered },
          current: { right: sum(rows, (row) => row.currentCorrect), of: answered },
        };
      });
      const isDropped = dropped.has(key(track.id, lesson.id));
      if (!isDropped && questions.every((question) => question.answered === 0)) continue;
      const byWeek = new Map<IsoWeek, Tally>();
      for (const question of lesson.questions) {
        for (const row of byQuestion.get(key(track.id, question.id)) ?? []) {
          // A week with only latest answers (reviews) and no first try adds nothing to first-try accuracy.
          if (row.members === 0) continue;
          weeks.add(row.week);
          const tally = byWeek.get(row.week) ?? { right: 0, of: 0 };
          byWeek.set(row.week, { right: tally.right + row.firstCorrect, of: tally.of + row.members });
        }
      }
      const done = completion.get(key(track.id, lesson.id));
      lessons.push({
        trackId: track.id,
        lesson,
        dropped: isDropped,
        seen: done?.seen ?? 0,
        completed: done?.completed ?? 0,
        firstTry: { right: sum(questions, (q) => q.firstTry.right), of: sum(questions, (q) => q.firstTry.of) },
        current: { right: sum(questions, (q) => q.current.right), of: sum(questions, (q) => q.current.of) },
        byWeek,
        questions,
      });
    }
  }

  const mostMissed = lessons
    .flatMap((lesson) => lesson.questions)
    .filter((question) => question.firstTry.of - question.firstTry.right > 0)
    .map((question, order) => ({ question, order, misses: question.firstTry.of - question.firstTry.right }))
    .sort(
      (a, b) =>
        b.misses - a.misses || (rate(a.question.firstTry) ?? 0) - (rate(b.question.firstTry) ?? 0) || a.order - b.order,
    )
    .slice(0, mostMissedSize)
    .map(({ question }) => question);

  const closedLessons = input.dropped.filter((lesson) => lesson.closed && inScope(lesson.trackId)).length;
  const labels = memberLabels(input.members);
  const behind: BehindLine[] = [];
  let hiddenBehind = 0;
  for (const member of input.members) {
    const count = lessonsBehind(member, closedLessons);
    if (count < fellBehindAt) continue;
    const label = labels.get(member.memberId) ?? { kind: 'hidden' };
    if (label.kind === 'hidden') hiddenBehind += 1;
    else behind.push({ member, label, lessonsBehind: count });
  }
  behind.sort(
    (a, b) =>
      b.lessonsBehind - a.lessonsBehind ||
      (a.member.lastActiveDate ?? '').localeCompare(b.member.lastActiveDate ?? '') ||
      a.member.memberId.localeCompare(b.member.memberId),
  );

  return {
    members: input.members,
    labels,
    lessons,
    weeks: [...weeks].sort(),
    mostMissed,
    closedLessons,
    behind,
    hiddenBehind,
  };
}

/**
 * Reads what a report needs from the store and builds it (the reads side by side). `questions: false` skips the
 * per-question answers (the one read that goes through attempts), for what needs only the members and the drops
 * (the cohort export): its lessons are then the dropped ones, without accuracy.
 */
export async function loadCohortReport(
  store: ReportStore,
  curriculum: Curriculum,
  scope: { readonly workspaceId: string; readonly cohortId: string; readonly timeZone: string; readonly now: Date },
  options: { readonly questions?: boolean } = {},
): Promise<CohortReport> {
  const questions = options.questions ?? true;
  const [tracks, dropped, activity, completion, members] = await Promise.all([
    store.cohortTracks(scope.cohortId),
    store.droppedLessons(scope.cohortId, scope.now),
    questions ? store.questionActivity(scope) : [],
    questions ? store.lessonCompletion(scope) : [],
    store.memberProgress(scope),
  ]);
  return buildCohortReport({ curriculum, tracks, members, activity, completion, dropped });
}

/** The short x-axis label of a lesson: its number in the track, prefixed by the track when the report has several. */
export function lessonLabel(line: LessonLine, severalTracks: boolean): string {
  return severalTracks ? `${line.trackId}:${line.lesson.index + 1}` : String(line.lesson.index + 1);
}

/**
 * The accuracy chart's data: one category per lesson, one series per week of first tries (the latest `maxWeeks`;
 * older weeks pooled into the first series), and the current accuracy as a reference line.
 */
export function accuracySeries(
  report: CohortReport,
  labels: { readonly current: string; readonly earlier: (week: IsoWeek) => string },
  maxWeeks = 8,
): { categories: string[]; series: ChartSeries[] } {
  const severalTracks = new Set(report.lessons.map((line) => line.trackId)).size > 1;
  const categories = report.lessons.map((line) => lessonLabel(line, severalTracks));
  const kept = report.weeks.length > maxWeeks ? report.weeks.slice(report.weeks.length - (maxWeeks - 1)) : report.weeks;
  const pooled = report.weeks.slice(0, report.weeks.length - kept.length);
  const series: ChartSeries[] = [];
  if (pooled.length > 0) {
    series.push({
      label: labels.earlier(pooled.at(-1) as IsoWeek),
      values: report.lessons.map((line) => {
        const tallies = pooled.map((week) => line.byWeek.get(week) ?? { right: 0, of: 0 });
        return rate({ right: sum(tallies, (t) => t.right), of: sum(tallies, (t) => t.of) });
      }),
    });
  }
  for (const week of kept) {
    series.push({
      label: week,
      values: report.lessons.map((line) => rate(line.byWeek.get(week) ?? { right: 0, of: 0 })),
    });
  }
  series.push({ label: labels.current, values: report.lessons.map((line) => rate(line.current)), reference: true });
  return { categories, series };
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
