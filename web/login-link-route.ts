import { z } from 'zod';
import { actorOf } from '../api/auth.js';
import type { ApiDeps } from '../api/process-routes.js';
import type { RouteRegistry } from '../api/route-registry.js';
import { issueLoginLink } from './sessions.js';
import { loginLink } from '../api/schemas/responses.js';

/** `POST /principals/:id/login-links` (admin): a one-time web sign-in link, as `govflow login-link <id>` prints it. */
export function registerLoginLinkRoutes(registry: RouteRegistry, { db }: ApiDeps): void {
  registry.add({
    method: 'post',
    path: '/principals/:id/login-links',
    summary: 'Issue a one-time web sign-in link for a principal',
    description: 'Single use, expires after 15 minutes. The answer holds the path to open on this server (`/app/login/<token>`).',
    tag: 'Principals',
    roles: ['admin'],
    body: z.object({}).strict(),
    response: loginLink,
    status: 201,
    handler: async ({ params }, _req, res) => issueLoginLink(db, params.id!, actorOf(res).id),
  });
}
