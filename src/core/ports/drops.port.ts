/** Channel settings, drops, posted questions and quiz closing: implemented in src/db/drops.repo.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the scheduler work
export interface DropStore {}
