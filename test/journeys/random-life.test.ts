/**
 * Random member behaviours through the terminal (fast-check), with the same rules checked after every simulated day
 * as the scripted journeys (cohort-life.ts, issue 16): each weekday every member does one of the things the bot
 * offers (the channel quiz, `proxima` before or after the drop, `quiz`, `revisar`, a vacation, nothing) and picks
 * right or wrong answers at random. SQLite, a few runs of ten weekdays each (the CI budget).
 */

import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Question } from '../../src/core/curriculum.ts';
import { nextMonday } from '../support/clock.ts';
import { createTestEngine } from '../support/engine.ts';
import { CohortLife } from './cohort-life.ts';

const zone = 'America/Sao_Paulo';
const actions = ['channel', 'early', 'late', 'quiz', 'review', 'vacation', 'nothing'] as const;
type Act = (typeof actions)[number];

const members = [
  { name: 'Ana', locale: 'pt-BR' as const },
  { name: 'Bea', locale: 'en' as const },
  { name: 'Caio', locale: 'pt-BR' as const },
];

const day = fc.record({
  act: fc.constantFrom(...actions),
  right: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
});
const life = fc.array(fc.array(day, { minLength: 10, maxLength: 10 }), {
  minLength: members.length,
  maxLength: members.length,
});

describe('random member behaviours (sqlite)', () => {
  it('GIVEN any mix of what the bot offers, day by day THEN every rule holds after every day', async () => {
    await fc.assert(
      fc.asyncProperty(life, async (plans) => {
        const engine = await createTestEngine('sqlite', { now: nextMonday(zone, 7), timeZone: zone });
        try {
          const world = new CohortLife(engine);
          await world.terminal.ready;
          const start = DateTime.fromJSDate(world.now(), { zone });
          const holds = new Map<string, string>();
          for (let d = 0; d < 14; d++) {
            const date = start.plus({ days: d });
            world.day = date.toISODate() ?? String(d);
            const weekday = d % 7;
            if (weekday < 5) {
              const index = d - 2 * Math.floor(d / 7);
              const early: Act[] = [];
              for (const [m, member] of members.entries()) {
                if ((plans[m]?.[index]?.act ?? 'nothing') !== 'early') continue;
                early.push('early');
                await world.as(member.name, member.locale);
                await world.answer(
                  await world.send(member.locale === 'en' ? 'next' : 'proxima'),
                  chooser(plans, m, index),
                );
              }
              const post = await world.tick('2h');
              for (const [m, member] of members.entries()) {
                const plan = plans[m]?.[index];
                if (!plan) continue;
                const onHold = (holds.get(member.name) ?? '') >= (world.day as string);
                if (onHold) continue;
                await world.as(member.name, member.locale);
                const choose = chooser(plans, m, index);
                const en = member.locale === 'en';
                switch (plan.act) {
                  case 'channel':
                  case 'early':
                    await world.answer(post, choose);
                    break;
                  case 'late':
                    await world.answer(await world.send(en ? 'next' : 'proxima'), choose);
                    await world.answer(await world.send(en ? 'next' : 'proxima'), choose);
                    break;
                  case 'quiz':
                    await world.answer(await world.send('quiz'), choose);
                    break;
                  case 'review':
                    await world.answer(await world.send(en ? 'review' : 'revisar'), choose);
                    await world.answer(post, choose);
                    break;
                  case 'vacation': {
                    const to = date.plus({ days: 1 + (index % 2) }).toISODate() ?? '';
                    const from = date.plus({ days: 1 }).toISODate() ?? '';
                    await world.send(`${en ? 'vacation' : 'ferias'} ${from} ${to}`);
                    holds.set(member.name, to);
                    break;
                  }
                  case 'nothing':
                    break;
                }
              }
            }
            await world.as('Rita', 'pt-BR', true);
            await world.checkInvariants();
            if (weekday === 6) await world.checkReport('Rita');
            await world.tick(weekday < 5 ? '22h' : '1d');
          }
          await world.terminal.end();
          expect(world.problems).toEqual([]);
        } finally {
          await engine.close();
        }
      }),
      // A failing run is reported as found: shrinking would play many more fortnights than the test's time allows.
      { numRuns: 2, endOnFailure: true },
    );
  }, 300_000);
});

/** The member's right/wrong picks for the day, in turn, for every question shown. */
function chooser(
  plans: readonly (readonly { readonly right: readonly boolean[] }[])[],
  member: number,
  day: number,
): (question: Question) => number {
  const picks = plans[member]?.[day]?.right ?? [];
  let next = 0;
  return (question) => {
    const right = picks[next++ % Math.max(1, picks.length)] ?? true;
    return right ? question.correctIndex : (question.correctIndex + 1) % question.options.length;
  };
}
