import { z } from 'zod';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';

const inboxQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

export function registerProcessIndexRoutes(registry: RouteRegistry, { db }: ApiDeps): void {
  registry.add({
    method: 'get',
    path: '/inbox',
    summary: 'Open processes waiting on me (by name) or on one of my roles, most urgent first',
    tag: 'Processes',
    roles: [],
    query: inboxQuery,
    handler: async ({ query }, _req, res) => {
      const actor = res.locals.actor!;
      const items = await db.process.findMany({
        where: { completedAt: null, outcome: null, OR: [{ pendingRoles: { hasSome: actor.roles } }, { pendingActors: { has: actor.id } }, { requester: actor.id, pendingRoles: { has: 'requester' } }] },
        orderBy: [{ slaDueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
        take: query.limit,
        select: { workflowId: true, kind: true, businessKey: true, title: true, stage: true, pendingRoles: true, pendingActors: true, slaDueAt: true, requester: true, createdAt: true },
      });
      return { items };
    },
  });
}
