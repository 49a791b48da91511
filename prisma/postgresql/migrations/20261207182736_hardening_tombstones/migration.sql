-- AlterTable
ALTER TABLE "Cohort" ADD COLUMN     "namedById" TEXT;

-- CreateTable
CREATE TABLE "Tombstone" (
    "account" TEXT NOT NULL,
    "deletedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tombstone_pkey" PRIMARY KEY ("account")
);

-- CreateTable
CREATE TABLE "LinkFailure" (
    "id" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LinkFailure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LinkFailure_account_at_idx" ON "LinkFailure"("account", "at");

-- CreateIndex
CREATE INDEX "LinkFailure_at_idx" ON "LinkFailure"("at");

-- CreateIndex
CREATE INDEX "Cohort_namedById_idx" ON "Cohort"("namedById");
