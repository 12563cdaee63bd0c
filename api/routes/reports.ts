import { z } from 'zod';
import { safeString } from '../schemas/common.js';
import { GovflowError } from '../../domain/errors.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';

const REPORT_ROLES = ['engagement_lead', 'executive_sponsor', 'chief_technology_officer', 'committee_chair'];

const reportsQuery = z
  .object({
    scope: safeString().max(300).optional().describe('Workflow ID of the engagement, e.g. cto-engagement/CTO-1'),
    kind: safeString().max(64).optional().describe('Reporting key, e.g. executive_updates'),
    before: z.iso.datetime().optional().describe('Only reports whose period ended before this time (paging: the last periodEnd)'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const summary = { id: true, kind: true, scope: true, periodStart: true, periodEnd: true, createdAt: true } as const;

export function registerReportRoutes(registry: RouteRegistry, { db }: ApiDeps): void {
  registry.add({
    method: 'get',
    path: '/reports',
    summary: 'Stored engagement reports, newest period first',
    tag: 'Reports',
    roles: REPORT_ROLES,
    query: reportsQuery,
    handler: async ({ query }) => {
      const items = await db.report.findMany({
        where: {
          ...(query.scope ? { scope: query.scope } : {}),
          ...(query.kind ? { kind: query.kind } : {}),
          ...(query.before ? { periodEnd: { lt: new Date(query.before) } } : {}),
        },
        orderBy: [{ periodEnd: 'desc' }, { id: 'asc' }],
        take: query.limit,
        select: summary,
      });
      return { items, nextBefore: items.length === query.limit ? items.at(-1)!.periodEnd.toISOString() : null };
    },
  });

  registry.add({
    method: 'get',
    path: '/reports/:id',
    summary: 'One report with its content',
    tag: 'Reports',
    roles: REPORT_ROLES,
    handler: async ({ params }) => {
      const report = await db.report.findUnique({ where: { id: params.id! } });
      if (!report) throw new GovflowError('NotFound', `no report ${params.id}`);
      return report;
    },
  });
}
