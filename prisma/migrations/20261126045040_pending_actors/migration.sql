-- AlterTable
ALTER TABLE "Process" ADD COLUMN     "pendingActors" TEXT[] DEFAULT ARRAY[]::TEXT[];
