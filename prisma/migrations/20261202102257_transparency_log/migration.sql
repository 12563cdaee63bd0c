-- AlterTable
ALTER TABLE "AuditEntry" ADD COLUMN     "leafHash" TEXT,
ADD COLUMN     "leafIndex" BIGINT,
ADD COLUMN     "runId" TEXT,
ALTER COLUMN "prevHash" DROP NOT NULL,
ALTER COLUMN "hash" DROP NOT NULL;

-- CreateTable
CREATE TABLE "TreeHead" (
    "treeSize" BIGINT NOT NULL,
    "rootHash" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "keyId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "frontier" TEXT[],

    CONSTRAINT "TreeHead_pkey" PRIMARY KEY ("treeSize")
);

-- CreateTable
CREATE TABLE "SigningKey" (
    "keyId" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "activatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("keyId")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_leafIndex_key" ON "AuditEntry"("leafIndex");

-- CreateIndex
CREATE INDEX "AuditEntry_leafIndex_seq_idx" ON "AuditEntry"("leafIndex", "seq");
