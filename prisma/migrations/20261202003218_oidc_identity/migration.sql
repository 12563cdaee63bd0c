-- AlterTable
ALTER TABLE "Principal" ADD COLUMN     "issuer" TEXT,
ADD COLUMN     "subject" TEXT;

-- AlterTable
ALTER TABLE "AuditEntry" ADD COLUMN     "issuer" TEXT,
ADD COLUMN     "subject" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Principal_issuer_subject_key" ON "Principal"("issuer", "subject");
