-- AlterTable
ALTER TABLE "Identity" ADD COLUMN     "linkedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "boardVisibility" TEXT NOT NULL DEFAULT 'shown',
ADD COLUMN     "lastNudgeDate" TEXT,
ADD COLUMN     "nudgeHour" INTEGER,
ADD COLUMN     "quietHours" TEXT;

-- AlterTable
ALTER TABLE "MemberStats" ADD COLUMN     "firstTries" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "firstTryCorrect" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "freezes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "freezesUsed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reviews" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reviewsKept" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "WeeklyScore" ADD COLUMN     "activeDays" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "firstTries" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "firstTryCorrect" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reviews" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reviewsKept" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Hold" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "startDate" TEXT NOT NULL,
    "endDate" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Hold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Season" (
    "cohortId" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "status" "DropStatus" NOT NULL DEFAULT 'claimed',
    "claimedBy" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tries" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "channelId" TEXT,
    "messageRef" TEXT,
    "postedAt" TIMESTAMP(3),

    CONSTRAINT "Season_pkey" PRIMARY KEY ("cohortId","week")
);

-- CreateTable
CREATE TABLE "LinkCode" (
    "code" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkCode_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE INDEX "Hold_memberId_startDate_idx" ON "Hold"("memberId", "startDate");

-- CreateIndex
CREATE INDEX "Season_status_claimedAt_idx" ON "Season"("status", "claimedAt");

-- CreateIndex
CREATE INDEX "LinkCode_memberId_idx" ON "LinkCode"("memberId");

-- AddForeignKey
ALTER TABLE "Hold" ADD CONSTRAINT "Hold_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Season" ADD CONSTRAINT "Season_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkCode" ADD CONSTRAINT "LinkCode_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
