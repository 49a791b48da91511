-- DropIndex
DROP INDEX "MemberStats_xp_idx";

-- DropIndex
DROP INDEX "WeeklyScore_cohortId_week_xp_correct_memberId_idx";

-- AlterTable
ALTER TABLE "CohortMember" ADD COLUMN     "answers" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "firstTries" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "firstTryCorrect" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "listed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "score" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "scoreQuestions" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "xp" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "WeeklyScore" ADD COLUMN     "listed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "score" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "scoreDays" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "scoreQuestions" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "CohortMember_board_idx" ON "CohortMember"("cohortId", "listed", "score" DESC, "xp" DESC, "memberId", "firstTries", "firstTryCorrect");

-- CreateIndex
CREATE INDEX "CohortMember_cohortId_scoreQuestions_idx" ON "CohortMember"("cohortId", "scoreQuestions");

-- CreateIndex
CREATE INDEX "CohortMember_cohortId_answers_idx" ON "CohortMember"("cohortId", "answers");

-- CreateIndex
CREATE INDEX "WeeklyScore_board_idx" ON "WeeklyScore"("cohortId", "week", "listed", "score" DESC, "xp" DESC, "memberId", "firstTries", "firstTryCorrect");

-- CreateIndex
CREATE INDEX "WeeklyScore_cohortId_week_scoreQuestions_scoreDays_idx" ON "WeeklyScore"("cohortId", "week", "scoreQuestions", "scoreDays");
