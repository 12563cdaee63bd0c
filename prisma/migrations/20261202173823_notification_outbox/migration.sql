-- AlterTable
ALTER TABLE "Principal" ADD COLUMN     "email" TEXT;

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" TEXT NOT NULL,
    "notificationId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL DEFAULT '',
    "stateVersion" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationPreference" (
    "principalId" TEXT NOT NULL,
    "channels" TEXT[],
    "email" TEXT,
    "slackWebhookUrl" TEXT,
    "teamsWebhookUrl" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("principalId")
);

-- CreateTable
CREATE TABLE "ActionLink" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "principalId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "stateVersion" INTEGER NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "ActionLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NotificationDelivery_status_nextAttemptAt_idx" ON "NotificationDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "NotificationDelivery_workflowId_idx" ON "NotificationDelivery"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationDelivery_notificationId_channel_recipient_key" ON "NotificationDelivery"("notificationId", "channel", "recipient");

-- CreateIndex
CREATE UNIQUE INDEX "ActionLink_tokenHash_key" ON "ActionLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ActionLink_workflowId_idx" ON "ActionLink"("workflowId");

-- AddForeignKey
ALTER TABLE "NotificationDelivery" ADD CONSTRAINT "NotificationDelivery_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification"("id") ON DELETE CASCADE ON UPDATE CASCADE;
