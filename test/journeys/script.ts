/**
 * The scripted life of a cohort (issue 16): #geral drops a lesson at 09:00 (São Paulo) Monday to Friday, and six
 * members follow the paths the bot suggests, day by day, with every rule checked after every day (cohort-life.ts):
 *
 * - Ana, on time: the channel quiz after each drop, all right, never a review.
 * - Bruno, the early bird: `proxima` at 07:00 before each drop (the lesson the channel posts at 09:00), then the
 *   channel quiz too (practice).
 * - Carla, in English: on time, on vacation Thursday and Friday of the first week, reviews on Fridays.
 * - Diego, the late joiner: from the first Wednesday, catches up with `proxima` as `progresso` advises, then on time.
 * - Eva, who never reviews: always picks option A; studies Monday's lesson with `proxima` before the drop, skips the
 *   last question of Wednesday's and Thursday's quizzes, and asks for a `quiz` on Tuesdays.
 * - Rita, the facilitator (admin): reads the boards and the report.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Question } from '../../src/core/curriculum.ts';
import type { DatabaseKind } from '../../src/db/schema-files.ts';
import { nextMonday } from '../support/clock.ts';
import { createTestEngine, type TestEngine } from '../support/engine.ts';
import { CohortLife, parseBoard } from './cohort-life.ts';

export const zone = 'America/Sao_Paulo';
const right = (question: Question) => question.correctIndex;

export interface ScriptResult {
  readonly life: CohortLife;
  /** Points on the weekly board at the end of each week, by name. */
  readonly weeks: Map<string, number>[];
  /** Points on the all-time board at the end. */
  readonly allTime: Map<string, number>;
}

/** Plays `weeks` weeks from the engine's clock (a Monday, 07:00 in São Paulo), checking every day. */
export async function playCohort(life: CohortLife, weeks: number): Promise<ScriptResult> {
  const weekBoards: Map<string, number>[] = [];
  const start = DateTime.fromJSDate(life.now(), { zone });
  const holdFrom = start.plus({ days: 3 }).toISODate() ?? '';
  const holdTo = start.plus({ days: 4 }).toISODate() ?? '';
  await life.terminal.ready;
  for (let day = 0; day < weeks * 7; day++) {
    const date = start.plus({ days: day });
    life.day = date.toISODate() ?? String(day);
    const weekday = day % 7;
    if (day === 0) {
      await life.as('Carla', 'en');
      await life.send(`vacation ${holdFrom} ${holdTo}`);
    }
    if (weekday < 5) {
      if (weekday === 0) {
        // Eva studies Monday's lesson with `proxima` before the drop too: the channel quiz is then practice for her.
        await life.as('Eva');
        await life.answer(await life.send('proxima'), () => 0);
      }
      await life.as('Bruno');
      await life.answer(await life.send('proxima'), right);
      const post = await life.tick('2h');
      await life.as('Ana');
      await life.answer(post, right);
      await life.as('Bruno');
      await life.answer(post, right);
      const onHold = (life.day >= holdFrom && life.day <= holdTo) as boolean;
      if (!onHold) {
        await life.as('Carla', 'en');
        await life.answer(post, right);
        if (weekday === 4) await life.answer(await life.send('review'), right);
      }
      if (day >= 2) {
        await life.as('Diego');
        // Joining on the first Wednesday, he catches up with `proxima` (the two lessons missed and today's).
        if (day === 2) for (let i = 0; i < 3; i++) await life.answer(await life.send('proxima'), right);
        await life.answer(post, right);
      }
      await life.as('Eva');
      if (weekday === 2 || weekday === 3) {
        // Midweek she skips each quiz's last question: the lesson is still done (at least half answered).
        const shown = life.questionsIn(post);
        const last = shown.at(-1)?.question.id;
        await life.answer(
          post,
          () => 0,
          (question) => question.id !== last,
        );
      } else await life.answer(post, () => 0);
      // Nothing of the lessons she saw is left on Tuesdays: `quiz` must not reach for a lesson ahead.
      if (weekday === 1) await life.answer(await life.send('quiz'), () => 0);
    }
    await life.as('Rita', 'pt-BR', true);
    await life.checkInvariants();
    if (weekday === 6) {
      weekBoards.push(parseBoard(await life.send('ranking')));
      await life.checkReport('Rita');
    }
    await life.tick(weekday < 5 ? '22h' : '1d');
  }
  await life.as('Rita', 'pt-BR', true);
  const allTime = parseBoard(await life.send('ranking total'));
  return { life, weeks: weekBoards, allTime };
}

/** What the script's members must end with, beyond the invariants. */
export function expectFairBoards(result: ScriptResult): void {
  expect(result.life.problems).toEqual([]);
  for (const [index, board] of result.weeks.entries()) {
    // The early bird studied every lesson with `proxima` before the drop: the same results as Ana, the same points.
    expect(board.get('Bruno'), `week ${index + 1}`).toBe(board.get('Ana'));
    // From the second week the late joiner is on time: the same week as Ana.
    if (index > 0) expect(board.get('Diego'), `week ${index + 1}`).toBe(board.get('Ana'));
  }
  // All time the three did every lesson right: equal, ahead of Eva.
  expect(result.allTime.get('Bruno')).toBe(result.allTime.get('Ana'));
  expect(result.allTime.get('Diego')).toBe(result.allTime.get('Ana'));
  expect(result.allTime.get('Ana')).toBeGreaterThan(result.allTime.get('Eva') ?? 0);
  // Carla's two days on hold are not drop days for her: her first week is as full as her answers (the three lessons
  // before the hold, all right): full coverage and regularity, no review yet.
  const n = result.life.track.lessons.slice(0, 3).reduce((total, lesson) => total + lesson.questions.length, 0);
  expect(result.weeks[0]?.get('Carla')).toBe(Math.round(450 * ((n + 2) / (n + 4)) + 75 + 200 + 200));
}

/** The two-week journey's test, for one database. */
export function twoWeeks(kind: DatabaseKind): void {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine(kind, { now: nextMonday(zone, 7), timeZone: zone });
  });
  afterAll(() => engine.close());

  it('GIVEN members on every path the bot suggests THEN XP and first tries once, boards equal a recount, equal results equal points, nothing ahead shown, reports and languages right', async () => {
    const life = new CohortLife(engine);
    const result = await playCohort(life, 2);
    await life.terminal.end();
    expectFairBoards(result);
  }, 240_000);
}
