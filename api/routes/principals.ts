import { z } from 'zod';
import { safeString } from '../schemas/common.js';
import { GovflowError } from '../../domain/errors.js';
import { issueToken, ROLES } from '../../platform/principals.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';

const principalBody = z
  .object({
    id: safeString().regex(/^[a-z0-9][a-z0-9._@-]{0,99}$/i, 'expected 1-100 letters, digits, dots, dashes, underscores or @'),
    name: safeString().trim().min(1).max(200).optional(),
    kind: z.enum(['person', 'agent']).default('person').describe('agent = an automated actor; recorded as such in the audit log'),
    roles: z.array(z.enum(ROLES)).min(1, 'at least one role'),
  })
  .strict();

const tokenBody = z.object({ label: safeString().trim().min(1).max(100).default('api') }).strict();

export function registerPrincipalRoutes(registry: RouteRegistry, { db }: ApiDeps): void {
  registry.add({
    method: 'post',
    path: '/principals',
    summary: 'Create or update a principal (person or agent) and issue a token, shown only once',
    tag: 'Administration',
    roles: ['admin'],
    body: principalBody,
    status: 201,
    handler: async ({ body }) => {
      const token = await issueToken(db, body, 'created');
      return { id: body.id, kind: body.kind, roles: body.roles, token };
    },
  });

  registry.add({
    method: 'post',
    path: '/principals/:id/tokens',
    summary: 'Issue an additional token for a principal',
    tag: 'Administration',
    roles: ['admin'],
    body: tokenBody,
    status: 201,
    handler: async ({ body, params }) => {
      const principal = await db.principal.findUnique({ where: { id: params.id! } });
      if (!principal) throw new GovflowError('NotFound', `no principal ${params.id}`);
      const token = await issueToken(db, { id: principal.id, roles: principal.roles }, body.label);
      return { id: principal.id, token };
    },
  });

  registry.add({
    method: 'get',
    path: '/principals',
    summary: 'List principals and their roles',
    tag: 'Administration',
    roles: ['admin'],
    handler: async () => ({
      items: await db.principal.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, kind: true, roles: true, disabled: true, createdAt: true } }),
    }),
  });

  registry.add({
    method: 'get',
    path: '/me',
    summary: 'Who am I: the principal behind the token, and its roles',
    tag: 'Administration',
    roles: [],
    handler: (_ctx, _req, res) => res.locals.actor,
  });
}
