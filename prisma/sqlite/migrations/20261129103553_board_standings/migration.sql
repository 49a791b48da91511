-- DropIndex
DROP INDEX "MemberStats_xp_idx";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CohortMember" (
    "cohortId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "joinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "score" REAL NOT NULL DEFAULT 0,
    "scoreQuestions" INTEGER NOT NULL DEFAULT 0,
    "listed" BOOLEAN NOT NULL DEFAULT false,
    "xp" INTEGER NOT NULL DEFAULT 0,
    "answers" INTEGER NOT NULL DEFAULT 0,
    "firstTries" INTEGER NOT NULL DEFAULT 0,
    "firstTryCorrect" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("cohortId", "memberId"),
    CONSTRAINT "CohortMember_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CohortMember_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CohortMember" ("cohortId", "joinedAt", "memberId") SELECT "cohortId", "joinedAt", "memberId" FROM "CohortMember";
DROP TABLE "CohortMember";
ALTER TABLE "new_CohortMember" RENAME TO "CohortMember";
CREATE INDEX "CohortMember_memberId_idx" ON "CohortMember"("memberId");
CREATE INDEX "CohortMember_board_idx" ON "CohortMember"("cohortId", "listed", "score" DESC, "xp" DESC, "memberId", "firstTries", "firstTryCorrect");
CREATE INDEX "CohortMember_cohortId_scoreQuestions_idx" ON "CohortMember"("cohortId", "scoreQuestions");
CREATE INDEX "CohortMember_cohortId_answers_idx" ON "CohortMember"("cohortId", "answers");
CREATE TABLE "new_WeeklyScore" (
    "cohortId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "xp" INTEGER NOT NULL DEFAULT 0,
    "answered" INTEGER NOT NULL DEFAULT 0,
    "correct" INTEGER NOT NULL DEFAULT 0,
    "firstTries" INTEGER NOT NULL DEFAULT 0,
    "firstTryCorrect" INTEGER NOT NULL DEFAULT 0,
    "reviews" INTEGER NOT NULL DEFAULT 0,
    "reviewsKept" INTEGER NOT NULL DEFAULT 0,
    "activeDays" INTEGER NOT NULL DEFAULT 0,
    "score" REAL NOT NULL DEFAULT 0,
    "scoreQuestions" INTEGER NOT NULL DEFAULT 0,
    "scoreDays" INTEGER NOT NULL DEFAULT 0,
    "listed" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("cohortId", "week", "memberId"),
    CONSTRAINT "WeeklyScore_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "WeeklyScore_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_WeeklyScore" ("activeDays", "answered", "cohortId", "correct", "firstTries", "firstTryCorrect", "memberId", "reviews", "reviewsKept", "week", "xp") SELECT "activeDays", "answered", "cohortId", "correct", "firstTries", "firstTryCorrect", "memberId", "reviews", "reviewsKept", "week", "xp" FROM "WeeklyScore";
DROP TABLE "WeeklyScore";
ALTER TABLE "new_WeeklyScore" RENAME TO "WeeklyScore";
CREATE INDEX "WeeklyScore_board_idx" ON "WeeklyScore"("cohortId", "week", "listed", "score" DESC, "xp" DESC, "memberId", "firstTries", "firstTryCorrect");
CREATE INDEX "WeeklyScore_cohortId_week_scoreQuestions_scoreDays_idx" ON "WeeklyScore"("cohortId", "week", "scoreQuestions", "scoreDays");
CREATE INDEX "WeeklyScore_memberId_idx" ON "WeeklyScore"("memberId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
