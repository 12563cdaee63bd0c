import { permittedRoles } from '../../domain/policy/access.js';
import { z } from 'zod';
import { safeString } from '../schemas/common.js';
import { verifyAuditChain } from '../../activities/audit-log.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { auditPage, chainVerification } from '../schemas/responses.js';


const auditQuery = z
  .object({
    workflowId: safeString().max(300).optional(),
    actor: safeString().max(200).optional(),
    afterSeq: z.coerce.bigint().optional().describe('Return entries after this sequence number (paging)'),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

const toJson = (row: { seq: bigint; occurredAt: Date } & Record<string, unknown>) => ({ ...row, seq: row.seq.toString(), occurredAt: row.occurredAt.toISOString() });

export function registerAuditRoutes(registry: RouteRegistry, { db, policies }: ApiDeps): void {
  const readers = permittedRoles(policies.current, 'audit', 'read');
  registry.add({
    method: 'get',
    path: '/audit',
    summary: 'Audit entries, oldest first, filtered by process or actor',
    tag: 'Audit',
    roles: readers,
    query: auditQuery,
    response: auditPage,
    handler: async ({ query }) => {
      const rows = await db.auditEntry.findMany({
        where: {
          ...(query.workflowId ? { workflowId: query.workflowId } : {}),
          ...(query.actor ? { actor: query.actor } : {}),
          ...(query.afterSeq !== undefined ? { seq: { gt: query.afterSeq } } : {}),
        },
        orderBy: { seq: 'asc' },
        take: query.limit,
      });
      return { items: rows.map(toJson), nextAfterSeq: rows.length === query.limit ? rows.at(-1)!.seq.toString() : null };
    },
  });

  registry.add({
    method: 'get',
    path: '/audit/verify',
    summary: 'Verify the hash chain; names the first broken entry',
    tag: 'Audit',
    roles: readers,
    response: chainVerification,
    handler: () => verifyAuditChain(db),
  });

  registry.add({
    method: 'get',
    path: '/audit/export',
    summary: 'The whole audit log as JSON Lines, for auditors',
    tag: 'Audit',
    roles: readers,
    handler: async (_ctx, _req, res) => {
      res.status(200).type('application/x-ndjson').set('content-disposition', 'attachment; filename="govflow-audit.jsonl"');
      let cursor: bigint | undefined;
      for (;;) {
        const rows = await db.auditEntry.findMany({ where: cursor === undefined ? {} : { seq: { gt: cursor } }, orderBy: { seq: 'asc' }, take: 1000 });
        if (rows.length === 0) break;
        for (const row of rows) res.write(`${JSON.stringify(toJson(row))}\n`);
        cursor = rows.at(-1)!.seq;
      }
      res.end();
      return undefined;
    },
  });
}
