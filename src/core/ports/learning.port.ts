/** Answers, lesson progress and review cards: implemented in src/db/learning.repo.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the learning engine work
export interface LearningStore {}
