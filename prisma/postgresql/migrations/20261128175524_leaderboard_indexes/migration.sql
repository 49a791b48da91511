-- DropIndex
DROP INDEX "Identity_memberId_idx";

-- CreateIndex
CREATE INDEX "Identity_memberId_workspaceId_idx" ON "Identity"("memberId", "workspaceId");

-- CreateIndex
CREATE INDEX "WeeklyScore_cohortId_week_xp_correct_memberId_idx" ON "WeeklyScore"("cohortId", "week", "xp", "correct", "memberId");
