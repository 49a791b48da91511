/**
 * Weekly seasons: a cohort's season is an ISO week in the cohort's time zone. When it ends, the recap job
 * (src/scheduler/season-recaps.ts) posts its recap; these are the pure rules it follows (docs/ranking.md, "Seasons").
 */
import { DateTime } from 'luxon';
import { addDays, type IsoWeek, isoWeekBounds, isoWeekOf, isoWeekOfInstant } from './calendar.ts';
import { type RankingCounts, type RankingPeriod, rankingScore } from './ranking.ts';

/** The ISO week before `week` (`2026-W01` → `2025-W53` when that year has 53 weeks). */
export function previousWeek(week: IsoWeek): IsoWeek {
  return isoWeekOf(addDays(isoWeekBounds(week).first, -7));
}

/** The week whose season ended last at `now` in `timeZone`: the week before the current one. */
export function lastEndedWeek(now: Date, timeZone: string): IsoWeek {
  return previousWeek(isoWeekOfInstant(now, timeZone));
}

/**
 * The instants a week spans in a zone: from its Monday's first instant up to (not including) the next Monday's,
 * DST-safe (a week with a DST change lasts 167 or 169 hours).
 */
export function weekSpan(week: IsoWeek, timeZone: string): { start: Date; end: Date } {
  const { first } = isoWeekBounds(week);
  const start = DateTime.fromISO(first, { zone: timeZone }).startOf('day');
  const end = DateTime.fromISO(addDays(first, 7), { zone: timeZone }).startOf('day');
  return { start: start.toJSDate(), end: end.toJSDate() };
}

/** Animals that stand for anonymous members, so two of them on one board are told apart. */
export const anonymousAnimals = ['🦊', '🦉', '🐢', '🐙', '🦔', '🐝', '🐧', '🦋', '🐳', '🦜', '🐨', '🦦'] as const;

/** The same member always gets the same animal (FNV-1a of the member id); it says nothing about who they are. */
export function anonymousAnimal(memberId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < memberId.length; i++) {
    hash ^= memberId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return anonymousAnimals[hash % anonymousAnimals.length] as string;
}

/** One member's counts in one week, for the most-improved pick. */
export interface WeekCounts extends RankingCounts {
  readonly memberId: string;
}

export interface Improvement {
  readonly memberId: string;
  /** Points in the previous week and in the season's week. */
  readonly before: number;
  readonly after: number;
}

/**
 * The most-improved member of a season: of the members ranked in both the season's week and the week before, the
 * one whose points (each week scored against its own yardsticks) rose the most, by at least `minRise`. A member new
 * this week has nothing to improve on and is not considered. Ties: more points this week, then the smaller member id.
 */
export function mostImproved(
  season: { readonly rows: readonly WeekCounts[]; readonly period: RankingPeriod },
  before: { readonly rows: readonly WeekCounts[]; readonly period: RankingPeriod },
  minRise = 1,
): Improvement | null {
  const earlier = new Map(before.rows.map((row) => [row.memberId, rankingScore(row, before.period).points]));
  let best: Improvement | null = null;
  for (const row of season.rows) {
    const was = earlier.get(row.memberId);
    if (was === undefined) continue;
    const now = rankingScore(row, season.period).points;
    if (now - was < minRise) continue;
    const candidate = { memberId: row.memberId, before: was, after: now };
    if (
      best === null ||
      now - was > best.after - best.before ||
      (now - was === best.after - best.before &&
        (now > best.after || (now === best.after && row.memberId < best.memberId)))
    ) {
      best = candidate;
    }
  }
  return best;
}

/** A question's first tries in a week by the cohort's members. */
export interface QuestionFirstTries {
  readonly trackId: string;
  readonly questionId: string;
  readonly members: number;
  readonly firstCorrect: number;
}

/** First tries a question needs in the week to be called the hardest (fewer say more about chance than difficulty). */
export const hardestQuestionMinAnswers = 3;

/**
 * The hardest question of a week: the lowest first-try accuracy among questions with at least `minAnswers` first
 * tries; ties go to the question more members tried, then to the track and question ids in order.
 */
export function hardestQuestion(
  questions: readonly QuestionFirstTries[],
  minAnswers = hardestQuestionMinAnswers,
): QuestionFirstTries | null {
  let hardest: QuestionFirstTries | null = null;
  for (const question of questions) {
    if (question.members < minAnswers) continue;
    if (hardest === null) {
      hardest = question;
      continue;
    }
    // Compare firstCorrect / members without dividing: a × d versus c × b.
    const mine = question.firstCorrect * hardest.members;
    const theirs = hardest.firstCorrect * question.members;
    if (
      mine < theirs ||
      (mine === theirs &&
        (question.members > hardest.members ||
          (question.members === hardest.members &&
            `${question.trackId}/${question.questionId}` < `${hardest.trackId}/${hardest.questionId}`)))
    ) {
      hardest = question;
    }
  }
  return hardest;
}
