-- AlterTable
ALTER TABLE "Cohort" ADD COLUMN "namedById" TEXT;

-- CreateTable
CREATE TABLE "Tombstone" (
    "account" TEXT NOT NULL PRIMARY KEY,
    "deletedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LinkFailure" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "account" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "LinkFailure_account_at_idx" ON "LinkFailure"("account", "at");

-- CreateIndex
CREATE INDEX "LinkFailure_at_idx" ON "LinkFailure"("at");

-- CreateIndex
CREATE INDEX "Cohort_namedById_idx" ON "Cohort"("namedById");
