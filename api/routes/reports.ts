import { z } from 'zod';
import { holdsAny, permittedRoles } from '../../domain/policy/access.js';
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../activities/audit-log.js';
import { storeCommunication } from '../../activities/reports.js';
import { safeString, text } from '../schemas/common.js';
import { GovflowError } from '../../domain/errors.js';
import type { Actor } from '../../workflows/contracts/common.js';
import { actorOf } from '../auth.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { report, reportPage, reportSummary } from '../schemas/responses.js';

const reportsQuery = z
  .object({
    scope: safeString().max(300).optional().describe('Workflow ID of the engagement, e.g. cto-engagement/CTO-1'),
    kind: safeString().max(64).optional().describe('Reporting key, e.g. executive_updates'),
    before: z.iso.datetime().optional().describe('Only reports whose period ended before this time (paging: the last periodEnd)'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const summary = { id: true, kind: true, scope: true, periodStart: true, periodEnd: true, createdAt: true } as const;

export function registerReportRoutes(registry: RouteRegistry, { db, policies }: ApiDeps): void {
  // Holders of these roles read every engagement's reports; anyone else only those of engagements naming them.
  const readers = permittedRoles(policies.current, 'reports', 'read');
  const readsAll = (actor: Actor) => holdsAny(actor, readers);
  const namedIn = (actor: Actor) => ({
    OR: [{ requester: actor.id }, { state: { path: ['sponsor'], equals: actor.id } }, { state: { path: ['engagementLead'], equals: actor.id } }],
  });
  const mayRead = async (actor: Actor, scope: string) =>
    readsAll(actor) || (await db.process.count({ where: { workflowId: scope, ...namedIn(actor) } })) > 0;
  const who = `Readable by the engagement's requester, sponsor and lead, and by ${readers.join(', ')} (or admin).`;

  registry.add({
    method: 'get',
    path: '/reports',
    summary: 'Stored engagement reports, newest period first',
    description: `${who} Without a scope, lists the reports of every engagement the caller may read.`,
    tag: 'Reports',
    roles: [],
    query: reportsQuery,
    response: reportPage,
    handler: async ({ query }, _req, res) => {
      const actor = actorOf(res);
      let scopes: string[] | undefined = query.scope ? [query.scope] : undefined;
      if (!readsAll(actor)) {
        const mine = (await db.process.findMany({ where: namedIn(actor), select: { workflowId: true } })).map((p) => p.workflowId);
        if (query.scope && !mine.includes(query.scope)) throw new GovflowError('Forbidden', `you are not the requester, sponsor or lead of ${query.scope}`);
        scopes = query.scope ? [query.scope] : mine;
      }
      const items = await db.report.findMany({
        where: {
          ...(scopes ? { scope: { in: scopes } } : {}),
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
    description: who,
    tag: 'Reports',
    roles: [],
    response: report,
    handler: async ({ params }, _req, res) => {
      const report = await db.report.findUnique({ where: { id: params.id! } });
      if (!report) throw new GovflowError('NotFound', `no report ${params.id}`);
      if (!(await mayRead(actorOf(res), report.scope))) throw new GovflowError('Forbidden', `you are not the requester, sponsor or lead of ${report.scope}`);
      return report;
    },
  });

  registry.add({
    method: 'post',
    path: '/reports/communications',
    summary: "A stakeholder communication of an engagement (the policy's as-needed cadence), sent by its lead",
    description: "Stored as the engagement's report with its status as of now; readable as its other reports are.",
    tag: 'Reports',
    roles: [],
    body: communicationBody,
    response: reportSummary,
    status: 201,
    notFound: true,
    idempotent: true,
    handler: async ({ body }, _req, res) => {
      const actor = actorOf(res);
      const engagement = await db.process.findUnique({ where: { workflowId: body.scope }, select: { kind: true, state: true, policyVersion: true, outcome: true } });
      if (!engagement) throw new GovflowError('NotFound', `no engagement ${body.scope}`);
      const lead = (engagement.state as { engagementLead?: string }).engagementLead;
      if (lead === undefined) throw new GovflowError('ValidationError', `${body.scope} is not an engagement`, [{ path: 'scope', message: 'not an engagement' }]);
      if (actor.id !== lead && !actor.roles.includes('admin')) throw new GovflowError('Forbidden', `only the engagement lead (${lead}) sends its stakeholder communications`);
      const pinned = (await policies.get(engagement.policyVersion)) ?? policies.current;
      const cadence = pinned.ctoServiceModel.reporting.find((r) => r.report === 'stakeholder_communication' || r.intervalDays === null);
      if (!cadence) throw new GovflowError('Conflict', `the policy ${engagement.policyVersion} has no as-needed stakeholder communication`);
      const at = new Date();
      const { id } = await storeCommunication(db, { scope: body.scope, kind: cadence.key, subject: body.subject, message: body.message, audience: body.audience, from: actor.id, at });
      await db.$transaction((tx) =>
        appendAudit(tx, [
          { eventKey: `report:${id}#${randomUUID()}`, workflowId: body.scope, actor: actor.id, actorKind: actor.kind, role: 'engagement_lead', action: 'stakeholder_communication_sent', details: { reportId: id, subject: body.subject, audience: body.audience }, policyVersion: engagement.policyVersion, identity: actor.identity, occurredAt: at },
        ]),
      );
      return db.report.findUniqueOrThrow({ where: { id }, select: summary });
    },
  });
}

const communicationBody = z
  .object({
    scope: safeString().min(1).max(300).describe('Workflow ID of the engagement, e.g. cto-engagement/CTO-1'),
    subject: text(200).describe('What the communication is about'),
    message: text(10_000).describe('The message, as the stakeholders will read it'),
    audience: z.array(safeString().trim().min(1).max(100)).max(20).default([]).describe('Who it is for, e.g. board, engineering'),
  })
  .strict();
