import { z } from 'zod';
import { ADMIN_ROLE } from '../../domain/policy/access.js';
import { coveredBy } from '../../platform/out-of-office.js';
import { waitingOnWhere } from '../../platform/waiting-on.js';
import { actorOf } from '../auth.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { inboxPage } from '../schemas/responses.js';

const inboxQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

const ITEM = { workflowId: true, kind: true, businessKey: true, title: true, stage: true, pendingRoles: true, pendingActors: true, slaDueAt: true, requester: true, createdAt: true } as const;

export function registerProcessIndexRoutes(registry: RouteRegistry, { db }: ApiDeps): void {
  registry.add({
    method: 'get',
    path: '/inbox',
    summary: 'Open processes waiting on me, most urgent first',
    description:
      'By name where the process names me (a sponsor, a lead, an assigned reviewer, the requester asked for changes); by role only where the seat is still open, ' +
      'never on my own request and not once I have taken my seat. Admins also see open seats held by deactivated people.',
    tag: 'Processes',
    roles: [],
    query: inboxQuery,
    response: inboxPage,
    handler: async ({ query }, _req, res) => {
      const actor = actorOf(res);
      const open = { completedAt: null, outcome: null };
      const items = await db.process.findMany({
        where: waitingOnWhere(actor, await coveredBy(db, actor.id)),
        orderBy: [{ slaDueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
        take: query.limit,
        select: ITEM,
      });
      if (!actor.roles.includes(ADMIN_ROLE)) return { items };
      // Offboarding leaves seats behind: an admin reassigns them (delegate) or withdraws the process.
      const inactive = (await db.principal.findMany({ where: { disabled: true }, select: { id: true } })).map((p) => p.id);
      const orphaned = inactive.length
        ? await db.process.findMany({ where: { ...open, pendingActors: { hasSome: inactive } }, orderBy: [{ slaDueAt: { sort: 'asc', nulls: 'last' } }], take: query.limit, select: ITEM })
        : [];
      return {
        items: [
          ...orphaned.map((p) => ({ ...p, attention: `seat held by an inactive person: ${p.pendingActors.filter((a) => inactive.includes(a)).join(', ')}` })),
          ...items.filter((i) => !orphaned.some((o) => o.workflowId === i.workflowId)),
        ],
      };
    },
  });
}
