-- CreateTable
CREATE TABLE "RecordStatus" (
    "workflowId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "since" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecordStatus_pkey" PRIMARY KEY ("workflowId")
);

-- CreateIndex
CREATE INDEX "RecordStatus_status_idx" ON "RecordStatus"("status");
