import type { Track } from '../core/curriculum.ts';
import { type Locale, locales } from '../core/locale.ts';

export interface TrackStats {
  readonly trackId: string;
  readonly units: number;
  readonly lessons: number;
  readonly questions: number;
  readonly byDifficulty: Readonly<Record<'easy' | 'medium' | 'hard', number>>;
  /** Characters of every text a member can read (titles, drops, read-more, prompts, options, explanations). */
  readonly characters: Readonly<Record<Locale, number>>;
  /** Characters of the drop texts alone, and the longest one. */
  readonly dropCharacters: Readonly<Record<Locale, number>>;
  readonly longestDrop: Readonly<Record<Locale, number>>;
}

export function trackStats(track: Track): TrackStats {
  const characters = { 'pt-BR': 0, en: 0 };
  const dropCharacters = { 'pt-BR': 0, en: 0 };
  const longestDrop = { 'pt-BR': 0, en: 0 };
  const byDifficulty = { easy: 0, medium: 0, hard: 0 };
  let questions = 0;
  for (const lesson of track.lessons) {
    for (const locale of locales) {
      const drop = lesson.drop[locale].length;
      dropCharacters[locale] += drop;
      longestDrop[locale] = Math.max(longestDrop[locale], drop);
      characters[locale] +=
        lesson.title[locale].length + drop + (lesson.more?.[locale].length ?? 0) + (lesson.changed?.[locale].length ?? 0);
      for (const question of lesson.questions) {
        characters[locale] += question.prompt[locale].length;
        for (const option of question.options) characters[locale] += option.text[locale].length + option.explain[locale].length;
      }
    }
    for (const question of lesson.questions) byDifficulty[question.difficulty]++;
    questions += lesson.questions.length;
  }
  return {
    trackId: track.id,
    units: track.units.length,
    lessons: track.lessons.length,
    questions,
    byDifficulty,
    characters,
    dropCharacters,
    longestDrop,
  };
}
