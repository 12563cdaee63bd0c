-- AlterTable
ALTER TABLE "NotificationDelivery" ADD COLUMN     "onBehalfOf" TEXT;

-- CreateTable
CREATE TABLE "OutOfOffice" (
    "principalId" TEXT NOT NULL,
    "deputyId" TEXT NOT NULL,
    "from" TIMESTAMP(3) NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutOfOffice_pkey" PRIMARY KEY ("principalId")
);

-- CreateIndex
CREATE INDEX "OutOfOffice_deputyId_idx" ON "OutOfOffice"("deputyId");
