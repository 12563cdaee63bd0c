-- AlterTable
ALTER TABLE "NotificationPreference" ADD COLUMN     "digest" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "digestHour" INTEGER NOT NULL DEFAULT 8,
ADD COLUMN     "lastDigestAt" TIMESTAMP(3);
