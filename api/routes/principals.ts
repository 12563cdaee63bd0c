import { z } from 'zod';
import { safeString } from '../schemas/common.js';
import { GovflowError } from '../../domain/errors.js';
import { issueToken, listTokens, revokeToken, setPrincipalActive } from '../../platform/principals.js';
import { actorOf } from '../auth.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { actorResponse, principalIssued, principalList, principalState, tokenIssued, tokenList, tokenRevoked } from '../schemas/responses.js';

const tokenBody = z.object({ label: safeString().trim().min(1).max(100).default('api') }).strict();
const empty = z.object({}).strict();

export function registerPrincipalRoutes(registry: RouteRegistry, { db, policies }: ApiDeps): void {
  // The roles a principal may hold are the loaded policy's (roles.yaml), so every role it declares can be granted.
  const roles = policies.current.roles as [string, ...string[]];
  const principalBody = z
    .object({
      id: safeString().regex(/^[a-z0-9][a-z0-9._@-]{0,99}$/i, 'expected 1-100 letters, digits, dots, dashes, underscores or @'),
      name: safeString().trim().min(1).max(200).optional(),
      kind: z.enum(['person', 'agent']).default('person').describe('agent = an automated actor; recorded as such in the audit log'),
      roles: z.array(z.enum(roles, { error: `not a role of the policy (roles.yaml declares ${roles.join(', ')})` })).min(1, 'at least one role'),
    })
    .strict();

  registry.add({
    method: 'post',
    path: '/principals',
    summary: 'Create or update a principal (person or agent) and issue a token, shown only once',
    description: 'A deactivated principal is refused with 409: reactivate it first.',
    tag: 'Administration',
    roles: ['admin'],
    body: principalBody,
    response: principalIssued,
    status: 201,
    handler: async ({ body }, _req, res) => {
      const token = await issueToken(db, body, 'created', undefined, actorOf(res).id);
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
    response: tokenIssued,
    status: 201,
    handler: async ({ body, params }, _req, res) => {
      const principal = await db.principal.findUnique({ where: { id: params.id! } });
      if (!principal) throw new GovflowError('NotFound', `no principal ${params.id}`);
      const token = await issueToken(db, { id: principal.id, roles: principal.roles }, body.label, undefined, actorOf(res).id);
      return { id: principal.id, token };
    },
  });

  registry.add({
    method: 'get',
    path: '/principals/:id/tokens',
    summary: "A principal's tokens: label, issued, expiry and revocation (never the token itself)",
    tag: 'Administration',
    roles: ['admin'],
    response: tokenList,
    handler: async ({ params }) => ({ items: await listTokens(db, params.id!) }),
  });

  registry.add({
    method: 'post',
    path: '/principals/:id/tokens/:tokenId/revoke',
    summary: 'Revoke one token; it is refused from the next request on',
    tag: 'Administration',
    roles: ['admin'],
    body: empty,
    response: tokenRevoked,
    handler: ({ params }, _req, res) => revokeToken(db, params.id!, params.tokenId!, actorOf(res).id),
  });

  for (const [name, active] of [['deactivate', false], ['reactivate', true]] as const) {
    registry.add({
      method: 'post',
      path: `/principals/:id/${name}`,
      summary: active ? 'Reactivate a principal: its unrevoked tokens work again' : 'Deactivate a principal (offboarding): every token is refused from the next request on',
      tag: 'Administration',
      roles: ['admin'],
      body: empty,
      response: principalState,
      handler: async ({ params }, _req, res) => {
        const p = await setPrincipalActive(db, params.id!, active, actorOf(res).id);
        return { id: p.id, name: p.name, kind: p.kind, roles: p.roles, disabled: p.disabled };
      },
    });
  }

  registry.add({
    method: 'get',
    path: '/principals',
    summary: 'List principals and their roles',
    tag: 'Administration',
    roles: ['admin'],
    response: principalList,
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
    response: actorResponse,
    handler: (_ctx, _req, res) => res.locals.actor,
  });
}
