-- AlterTable
ALTER TABLE "Channel" ADD COLUMN "trackEndPostedAt" DATETIME;

-- Announcements made before this migration were claimed and posted in one step.
UPDATE "Channel" SET "trackEndPostedAt" = "trackCompletedAt" WHERE "trackCompletedAt" IS NOT NULL;
