import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { requireRole } from './auth.js';

export interface RouteSpec<B extends z.ZodType | undefined = z.ZodType | undefined, Q extends z.ZodType | undefined = z.ZodType | undefined> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path, e.g. `/architecture-reviews/:key/votes`. */
  path: string;
  summary: string;
  /** More for the OpenAPI document, e.g. who may take an action that the process itself checks. */
  description?: string;
  tag: string;
  /** Roles allowed (any of); `[]` = any authenticated caller; `'public'` = no authentication. */
  roles: string[] | 'public';
  body?: B;
  query?: Q;
  /** Documented success status. */
  status?: number;
  /** Answers 404 when its body names something unknown (routes with path parameters always may). */
  notFound?: boolean;
  /** Accepts `Idempotency-Key` (POSTs that create an effect). */
  idempotent?: boolean;
  handler: (
    ctx: { body: B extends z.ZodType ? z.output<B> : undefined; query: Q extends z.ZodType ? z.output<Q> : undefined; params: Record<string, string> },
    req: Request,
    res: Response,
  ) => Promise<unknown> | unknown;
}

/**
 * Every route is declared once, here: the same declaration mounts the Express handler (with zod parsing and
 * role checks) and feeds the OpenAPI document, so the two cannot drift apart.
 */
export class RouteRegistry {
  readonly routes: RouteSpec[] = [];

  add<B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(spec: RouteSpec<B, Q>): void {
    this.routes.push(spec as unknown as RouteSpec);
  }

  mount(publicRouter: Router, privateRouter: Router): void {
    for (const spec of this.routes) {
      const handle: RequestHandler = async (req, res, next) => {
        try {
          const body = spec.body ? spec.body.parse(req.body ?? {}) : undefined;
          const query = spec.query ? spec.query.parse(req.query) : undefined;
          const result = await spec.handler({ body, query, params: req.params as Record<string, string> } as never, req, res);
          if (!res.headersSent) {
            if (result === undefined) res.status(spec.status ?? 204).end();
            else res.status(spec.status ?? 200).json(result);
          }
        } catch (err) {
          next(err);
        }
      };
      if (spec.roles === 'public') publicRouter[spec.method](spec.path, handle);
      else privateRouter[spec.method](spec.path, ...(spec.roles.length ? [requireRole(...spec.roles)] : []), handle);
    }
  }
}
