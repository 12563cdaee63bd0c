-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "refusedAt" TIMESTAMP(3);
