/** Cohorts, leaderboards, progress and a member's data: implemented in src/db/social.repo.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the cohorts and leaderboards work
export interface SocialStore {}
