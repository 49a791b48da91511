-- AlterTable
ALTER TABLE "Identity" ADD COLUMN "linkedAt" DATETIME;

-- CreateTable
CREATE TABLE "Hold" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "memberId" TEXT NOT NULL,
    "startDate" TEXT NOT NULL,
    "endDate" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Hold_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Season" (
    "cohortId" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'claimed',
    "claimedBy" TEXT NOT NULL,
    "claimedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tries" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "channelId" TEXT,
    "messageRef" TEXT,
    "postedAt" DATETIME,

    PRIMARY KEY ("cohortId", "week"),
    CONSTRAINT "Season_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LinkCode" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "memberId" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LinkCode_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Member" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "displayName" TEXT NOT NULL,
    "locale" TEXT,
    "timeZone" TEXT,
    "boardVisibility" TEXT NOT NULL DEFAULT 'shown',
    "nudgeHour" INTEGER,
    "quietHours" TEXT,
    "lastNudgeDate" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Member" ("createdAt", "displayName", "id", "locale", "timeZone", "updatedAt") SELECT "createdAt", "displayName", "id", "locale", "timeZone", "updatedAt" FROM "Member";
DROP TABLE "Member";
ALTER TABLE "new_Member" RENAME TO "Member";
CREATE TABLE "new_MemberStats" (
    "memberId" TEXT NOT NULL PRIMARY KEY,
    "xp" INTEGER NOT NULL DEFAULT 0,
    "answered" INTEGER NOT NULL DEFAULT 0,
    "correct" INTEGER NOT NULL DEFAULT 0,
    "currentStreak" INTEGER NOT NULL DEFAULT 0,
    "bestStreak" INTEGER NOT NULL DEFAULT 0,
    "lastActiveDate" TEXT,
    "lessonsSeen" INTEGER NOT NULL DEFAULT 0,
    "firstTries" INTEGER NOT NULL DEFAULT 0,
    "firstTryCorrect" INTEGER NOT NULL DEFAULT 0,
    "reviews" INTEGER NOT NULL DEFAULT 0,
    "reviewsKept" INTEGER NOT NULL DEFAULT 0,
    "freezes" INTEGER NOT NULL DEFAULT 0,
    "freezesUsed" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MemberStats_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_MemberStats" ("answered", "bestStreak", "correct", "currentStreak", "lastActiveDate", "lessonsSeen", "memberId", "updatedAt", "xp") SELECT "answered", "bestStreak", "correct", "currentStreak", "lastActiveDate", "lessonsSeen", "memberId", "updatedAt", "xp" FROM "MemberStats";
DROP TABLE "MemberStats";
ALTER TABLE "new_MemberStats" RENAME TO "MemberStats";
CREATE INDEX "MemberStats_xp_idx" ON "MemberStats"("xp");
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

    PRIMARY KEY ("cohortId", "week", "memberId"),
    CONSTRAINT "WeeklyScore_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "WeeklyScore_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_WeeklyScore" ("answered", "cohortId", "correct", "memberId", "week", "xp") SELECT "answered", "cohortId", "correct", "memberId", "week", "xp" FROM "WeeklyScore";
DROP TABLE "WeeklyScore";
ALTER TABLE "new_WeeklyScore" RENAME TO "WeeklyScore";
CREATE INDEX "WeeklyScore_cohortId_week_xp_correct_memberId_idx" ON "WeeklyScore"("cohortId", "week", "xp", "correct", "memberId");
CREATE INDEX "WeeklyScore_memberId_idx" ON "WeeklyScore"("memberId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Hold_memberId_startDate_idx" ON "Hold"("memberId", "startDate");

-- CreateIndex
CREATE INDEX "Season_status_claimedAt_idx" ON "Season"("status", "claimedAt");

-- CreateIndex
CREATE INDEX "LinkCode_memberId_idx" ON "LinkCode"("memberId");
