import type { RoadmapPackage } from '../domain/roadmap/engagement.js';
import type { Db } from '../platform/database.js';

/**
 * Stores a finished roadmap engagement's package: one Deliverable row per submitted deliverable (its latest
 * version) and the whole package as a `roadmap_package` Report. Idempotent: rows are keyed by workflow, phase
 * and deliverable, and the report by a deterministic id, so a retried activity rewrites the same rows.
 */
export async function storeRoadmapPackage(db: Db, pkg: RoadmapPackage): Promise<{ id: string; deliverables: number }> {
  await db.$transaction(async (tx) => {
    for (const d of pkg.deliverables) {
      const fields = {
        title: d.title,
        documentRef: d.documentRef,
        contentHash: d.contentHash,
        author: d.author,
        status: d.status,
        reviewNote: d.reviewNote,
        submittedAt: new Date(d.submittedAt),
        decidedAt: d.decidedAt ? new Date(d.decidedAt) : null,
      };
      await tx.deliverable.upsert({
        where: { workflowId_phase_key: { workflowId: pkg.workflowId, phase: d.phase, key: d.key } },
        create: { workflowId: pkg.workflowId, phase: d.phase, key: d.key, ...fields },
        update: fields,
      });
    }
    const report = { kind: 'roadmap_package', scope: pkg.workflowId, periodStart: new Date(pkg.startedAt), periodEnd: new Date(pkg.closedAt), content: pkg as unknown as object };
    await tx.report.upsert({ where: { id: pkg.id }, create: { id: pkg.id, ...report }, update: report });
  });
  return { id: pkg.id, deliverables: pkg.deliverables.length };
}
