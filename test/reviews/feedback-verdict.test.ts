/**
 * Point 7 of issue 16: a wrong answer's feedback never calls the member's choice right. Every question of the shipped
 * content (content/), every wrong option, both languages, answered through the dispatcher on a real database: the
 * feedback says "not this time", names the right option, shows its explanation as the explanation, and carries no
 * verdict word ("Certo.", "Isso.", "Right.", "Yes.") that would read as a verdict on what the member chose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/action-id.ts';
import type { Locale } from '../../src/core/locale.ts';
import { createTestEngine, dockerTrack, type TestEngine, textOf } from '../support/engine.ts';

/** A positive verdict at the start of a sentence or line: what must not follow a wrong answer. */
const positiveVerdict =
  /(?:^|[\n.!?:*]\s*)(certo|certa|correto|correta|exato|exatamente|isso|sim|right|correct|exactly|yes)\s*[.!,:;—–-]/iu;

const wrongHeadline: Record<Locale, string> = { 'pt-BR': '❌ Não foi dessa vez', en: '❌ Not this time' };
const label: Record<Locale, string> = { 'pt-BR': '*Explicação:*', en: '*Explanation:*' };

describe('feedback after a wrong answer, over the whole shipped content', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine('sqlite');
  });
  afterAll(() => engine?.close());

  it('GIVEN every wrong option of every question in pt-BR and English THEN the feedback never calls the choice right', async () => {
    const tracks = dockerTrack();
    const questions = tracks.flatMap((track) =>
      // Command exercises are answered by typing, not by an option (test/exercises covers their feedback).
      track.lessons.flatMap((lesson) =>
        lesson.questions.filter((question) => question.kind !== 'command').map((question) => ({ track, question })),
      ),
    );
    expect(questions.length).toBeGreaterThan(100);
    const maxOptions = Math.max(...questions.map(({ question }) => question.options.length));
    let checked = 0;
    for (const locale of ['pt-BR', 'en'] as const) {
      // One member per wrong-option rank and language, so each question is a first answer (not a repeat).
      for (let rank = 1; rank < maxOptions; rank++) {
        const user = { id: `U-${locale}-${rank}`, name: `Member ${locale} ${rank}` };
        await engine.say(user, locale === 'en' ? 'language en' : 'idioma pt-BR', { channel: null });
        for (const { track, question } of questions) {
          if (rank >= question.options.length) continue;
          const choice = (question.correctIndex + rank) % question.options.length;
          const action = encodeAction({ kind: 'study', trackId: track.id, questionId: question.id, choice });
          const feedback = textOf(await engine.click(user, action, { channel: null }));
          const where = `${locale} ${question.id} option ${choice}`;
          expect(feedback.startsWith(wrongHeadline[locale]), where).toBe(true);
          const right = question.options[question.correctIndex];
          const rightText = right?.text[locale] ?? '';
          expect(feedback, where).toContain(rightText);
          expect(feedback, where).toContain(label[locale]);
          const verdict = positiveVerdict.exec(feedback.slice(wrongHeadline[locale].length));
          expect(verdict?.[0] ?? null, where).toBeNull();
          checked += 1;
        }
      }
    }
    // Every wrong option of every question, in both languages.
    const wrongOptions = questions.reduce((sum, { question }) => sum + question.options.length - 1, 0);
    expect(checked).toBe(2 * wrongOptions);
  });
});
