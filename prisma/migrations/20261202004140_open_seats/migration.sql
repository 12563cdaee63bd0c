-- AlterTable
ALTER TABLE "Process" ADD COLUMN     "openRoles" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "seatedActors" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Open processes recorded before this migration: every pending role but the requester's was open to its holders.
UPDATE "Process" SET "openRoles" = array_remove("pendingRoles", 'requester') WHERE "completedAt" IS NULL;
