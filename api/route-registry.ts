import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { actorOf, checkRole } from './auth.js';

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
  /** Each kind of process's collection path and action bodies, for the web app's pages and forms. */
  readonly processes = new Map<string, { path: string; startBody: z.ZodType; actions: { name: string; summary: string; body: z.ZodType }[] }>();

  add<B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(spec: RouteSpec<B, Q>): void {
    this.routes.push(spec as unknown as RouteSpec);
  }

  mount(publicRouter: Router, privateRouter: Router): void {
    for (const spec of this.routes) {
      const handle: RequestHandler = async (req, res, next) => {
        try {
          const result = await this.invoke(spec, { body: req.body, query: req.query, params: req.params as Record<string, string> }, req, res);
          if (!res.headersSent) {
            if (result === undefined) res.status(spec.status ?? 204).end();
            else res.status(spec.status ?? 200).json(result);
          }
        } catch (err) {
          next(err);
        }
      };
      if (spec.roles === 'public') publicRouter[spec.method](spec.path, handle);
      else privateRouter[spec.method](spec.path, handle);
    }
  }

  /** The route declared for `method path` (e.g. `post /architecture-reviews/:key/votes`). */
  find(method: RouteSpec['method'], path: string): RouteSpec {
    const spec = this.routes.find((r) => r.method === method && r.path === path);
    if (!spec) throw new Error(`no route ${method} ${path}`);
    return spec;
  }

  /**
   * Checks the caller's roles, parses the input with the route's schemas and runs its handler: the JSON API and
   * the web app take the same path (the caller has authenticated; the handler and the process check the actor).
   */
  async invoke(spec: RouteSpec, input: { body?: unknown; query?: unknown; params: Record<string, string> }, req: Request, res: Response): Promise<unknown> {
    if (spec.roles !== 'public' && spec.roles.length) checkRole(actorOf(res), spec.roles);
    const body = spec.body ? spec.body.parse(input.body ?? {}) : undefined;
    const query = spec.query ? spec.query.parse(input.query ?? {}) : undefined;
    return spec.handler({ body, query, params: input.params } as never, req, res);
  }
}
