/**
 * The facilitator report and the cohort export read the cohort a page of members at a time (src/db/reports.repo.ts,
 * docs/exports.md "Large cohorts"), so a big cohort never holds the event loop in one statement. Paging must not
 * change a figure: here, on both databases, a cohort whose members answered two drops (some right, some wrong, some
 * twice, one across two weeks, one who left) is read member by member (a page per member) and in one page, and every
 * store read gives the same; the members' answer counts are checked against the attempts themselves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/action-id.ts';
import type { Lesson } from '../../src/core/curriculum.ts';
import { PrismaReportStore } from '../../src/db/reports.repo.ts';
import { availableKinds } from '../support/databases.ts';
import { createTestEngine, type TestEngine, type TestUser, type Where } from '../support/engine.ts';
import { createSide } from '../support/platform-side.ts';
import { createPostedDrop } from '../support/posted-drop.ts';

const slack: Where = { platform: 'slack', workspace: 'T-SLACK', channel: 'C-OPS' };
const people: TestUser[] = Array.from({ length: 9 }, (_, i) => ({ id: `U-${i}`, name: `Pessoa ${i}` }));

describe.each(availableKinds)('the report read in pages (%s)', (kind) => {
  let engine: TestEngine;
  let lessons: readonly Lesson[];

  beforeEach(async () => {
    engine = await createTestEngine(kind, { now: new Date('2026-11-30T15:00:00Z') });
    lessons = engine.app.services.curriculum.track('docker')?.lessons ?? [];
  });
  afterEach(() => engine.close());

  /** Everyone in `who` answers the drop's questions: right when (i + q + round) % 3 is not 0. */
  async function answer(posted: Map<string, string>, who: readonly number[], round: number) {
    for (const i of who) {
      for (const [q, postedQuestionId] of [...posted.values()].entries()) {
        const row = await engine.app.db.postedQuestion.findUniqueOrThrow({ where: { id: postedQuestionId } });
        const question = engine.app.services.curriculum.question('docker', row.questionId);
        if (!question) throw new Error(row.questionId);
        const right = (i + q + round) % 3 !== 0;
        const choice = right ? question.correctIndex : (question.correctIndex + 1) % question.options.length;
        await engine.click(people[i] as TestUser, encodeAction({ kind: 'answer', postedQuestionId, choice }), slack);
      }
    }
  }

  it('GIVEN a cohort read a member at a time and in one page THEN every figure is the same, every member there', async () => {
    const side = await createSide(engine.app, slack, 'ops');
    const first = await createPostedDrop(engine.app, {
      channelExternalId: 'C-OPS',
      localDate: '2026-11-30',
      trackId: 'docker',
      lesson: lessons[0] as Lesson,
      postedAt: '2026-11-30T12:00:00Z',
    });
    await answer(first, [0, 1, 2, 3, 4, 5, 6, 7], 0);
    // The next week: a second drop, and the first one's questions answered again by some (practice).
    engine.clock.now = new Date('2026-12-08T15:00:00Z');
    const second = await createPostedDrop(engine.app, {
      channelExternalId: 'C-OPS',
      localDate: '2026-12-08',
      trackId: 'docker',
      lesson: lessons[1] as Lesson,
      postedAt: '2026-12-08T12:00:00Z',
    });
    await answer(second, [0, 2, 4, 6, 8], 1);
    await answer(first, [1, 3, 8], 2);
    const leaver = await engine.app.db.identity.findFirstOrThrow({ where: { externalId: 'U-7' } });
    expect(await engine.app.services.stores.social.leaveCohort(side.cohortId, leaver.memberId)).toBe('left');

    const scope = { ...side, timeZone: 'America/Sao_Paulo', now: engine.clock.now };
    const paged = new PrismaReportStore(engine.app.db, 1);
    const whole = new PrismaReportStore(engine.app.db, Number.MAX_SAFE_INTEGER);
    const [pagedAnswers, wholeAnswers] = [await paged.memberAnswers(scope), await whole.memberAnswers(scope)];
    expect(pagedAnswers).toEqual(wholeAnswers);
    expect(await paged.memberProgress(scope)).toEqual(await whole.memberProgress(scope));
    const activity = await paged.questionActivity(scope);
    expect(activity).toEqual(await whole.questionActivity(scope));
    expect(await paged.lessonCompletion(scope)).toEqual(await whole.lessonCompletion(scope));

    // Every member of the cohort (8 of the 9 who answered: one left), with the answers they gave.
    const members = await engine.app.db.cohortMember.findMany({ where: { cohortId: side.cohortId } });
    expect((await paged.memberProgress(scope)).map((row) => row.memberId).sort()).toEqual(
      members.map((row) => row.memberId).sort(),
    );
    expect(pagedAnswers.map((row) => row.memberId).sort()).toEqual(members.map((row) => row.memberId).sort());
    for (const row of pagedAnswers) {
      const attempts = await engine.app.db.attempt.count({ where: { memberId: row.memberId, scored: true } });
      expect(row.answers, row.memberId).toBe(attempts);
    }
    // Two weeks of first tries, each question's first tries counted once per member.
    expect(new Set(activity.map((row) => row.week)).size).toBe(2);
    const firstTries = await engine.app.db.attempt.groupBy({
      by: ['memberId', 'questionId'],
      where: { memberId: { in: members.map((row) => row.memberId) } },
    });
    expect(activity.reduce((sum, row) => sum + row.members, 0)).toBe(firstTries.length);
  });
});
