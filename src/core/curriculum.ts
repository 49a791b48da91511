import type { CommandTable } from './command-exercise.ts';
import type { Localized } from './locale.ts';

export type Difficulty = 'easy' | 'medium' | 'hard';

export interface Option {
  readonly text: Localized;
  readonly correct: boolean;
  /** Why choosing this option is right or wrong. */
  readonly explain: Localized;
}

/**
 * A multiple-choice question. True/false questions are stored the same way, with the two options True and False
 * (`kind` keeps how it was written, for rendering). A command exercise (`kind: 'command'`, `command` set) has two
 * fixed options, 0 "accepted command" (the right one) and 1 "another command": the grader's verdict becomes that
 * choice, so answers, XP, reviews and reports treat it like any other question (docs/content-format.md).
 */
export interface Question {
  /** Stable id, `<lesson-id>.<slug>`, unique in its track. */
  readonly id: string;
  readonly lessonId: string;
  readonly kind: 'single' | 'true-false' | 'command';
  readonly difficulty: Difficulty;
  readonly prompt: Localized;
  readonly options: readonly Option[];
  /** Index of the right option in `options`. */
  readonly correctIndex: number;
  /** A command exercise's accepted commands and the table that grades them. */
  readonly command?: CommandExercise;
}

export interface CommandExercise {
  /** The commands that count as right, the first one shown as the answer. */
  readonly accept: readonly string[];
  /** The track's CLI table the typed command is parsed against (core/command-exercise.ts). */
  readonly table: CommandTable;
}

export interface CodeExample {
  readonly lang: 'bash' | 'dockerfile' | 'yaml' | 'text';
  readonly source: string;
}

export interface Source {
  readonly title: string;
  readonly url: string;
}

export interface Lesson {
  readonly id: string;
  readonly trackId: string;
  readonly unitId: string;
  /** 0-based place in the track. */
  readonly index: number;
  readonly title: Localized;
  /** The lesson as posted in a channel (a small Markdown subset). */
  readonly drop: Localized;
  readonly more?: Localized;
  readonly code?: CodeExample;
  /** What changed since older Docker, where the source notes were outdated. */
  readonly changed?: Localized;
  readonly terms: Localized<readonly string[]>;
  readonly sources: readonly Source[];
  readonly questions: readonly Question[];
}

export interface Unit {
  readonly id: string;
  readonly title: Localized;
  readonly lessonIds: readonly string[];
}

export interface Track {
  readonly id: string;
  readonly title: Localized;
  readonly description: Localized;
  readonly units: readonly Unit[];
  /** Every lesson in drop order. */
  readonly lessons: readonly Lesson[];
}

/** The loaded tracks with the look-ups the learning engine needs. */
export class Curriculum {
  readonly #tracks = new Map<string, Track>();
  readonly #lessons = new Map<string, Lesson>();
  readonly #questions = new Map<string, Question>();

  constructor(tracks: readonly Track[]) {
    for (const track of tracks) {
      this.#tracks.set(track.id, track);
      for (const lesson of track.lessons) {
        this.#lessons.set(key(track.id, lesson.id), lesson);
        for (const question of lesson.questions) this.#questions.set(key(track.id, question.id), question);
      }
    }
  }

  get tracks(): Track[] {
    return [...this.#tracks.values()];
  }

  track(trackId: string): Track | undefined {
    return this.#tracks.get(trackId);
  }

  lesson(trackId: string, lessonId: string): Lesson | undefined {
    return this.#lessons.get(key(trackId, lessonId));
  }

  question(trackId: string, questionId: string): Question | undefined {
    return this.#questions.get(key(trackId, questionId));
  }
}

function key(trackId: string, id: string): string {
  return `${trackId}/${id}`;
}
