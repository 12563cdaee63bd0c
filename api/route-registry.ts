import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { actorOf, checkRole } from './auth.js';
import { sendProblem } from './problem.js';

export interface RouteInfo<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
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
  /** What a success answers (JSON), for the OpenAPI document; absent = not described beyond "JSON". */
  response?: z.ZodType;
  /** Documented success status. */
  status?: number;
  /** Answers 404 when its body names something unknown (routes with path parameters always may). */
  notFound?: boolean;
  /** Answers something other than JSON (the handler writes it): its media type, for the OpenAPI document. */
  produces?: { mediaType: string; description: string; binary?: boolean };
  /** Takes the raw body (a file upload) in one of these media types instead of JSON. */
  upload?: { mediaTypes: string[] };
  /** Accepts `Idempotency-Key` (POSTs that create an effect). */
  idempotent?: boolean;
}

/** A route without a body or query schema gets `undefined` for it (the defaults below). */
export interface RouteSpec<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined> extends RouteInfo<B, Q> {
  handler: (ctx: { body: z.output<B>; query: z.output<Q>; params: Record<string, string> }, req: Request, res: Response) => Promise<unknown> | unknown;
}

export type RouteInput = { body?: unknown; query?: unknown; params: Record<string, string> };

/** A declared route: what the OpenAPI document reads, and its handler behind its own schemas. */
export interface Route extends RouteInfo {
  run(input: RouteInput, req: Request, res: Response): Promise<unknown>;
}

// The one place a schema's output meets the handler's declared input: a route that declares no schema has the
// default type parameter (z.ZodUndefined), whose output is the `undefined` passed here.
function parse<S extends z.ZodType>(schema: S | undefined, input: unknown): z.output<S> {
  return (schema ? schema.parse(input ?? {}) : undefined) as z.output<S>;
}

/** The answer as JSON, refused with a 500 naming the mismatch when it does not match the documented schema. */
function sendChecked(res: Response, route: Route, result: unknown): void {
  const json: unknown = JSON.parse(JSON.stringify(result));
  const checked = route.response!.safeParse(json);
  if (checked.success) return void res.status(route.status ?? 200).json(json);
  const issues = checked.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ');
  sendProblem(res, 500, 'InternalError', `the answer of ${route.method.toUpperCase()} ${route.path} does not match its documented schema: ${issues}`);
}

/**
 * Every route is declared once, here: the same declaration mounts the Express handler (with zod parsing and
 * role checks) and feeds the OpenAPI document, so the two cannot drift apart.
 */
export class RouteRegistry {
  readonly routes: Route[] = [];

  /** `checkResponses` (the test suites, NODE_ENV=test): every JSON answer must match its route's response schema. */
  constructor(private readonly options: { checkResponses?: boolean } = {}) {}

  /** Each kind of process's collection path and action bodies, for the web app's pages and forms. */
  readonly processes = new Map<string, { path: string; startBody: z.ZodType; actions: { name: string; summary: string; body: z.ZodType }[] }>();

  add<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(spec: RouteSpec<B, Q>): void {
    const { handler, ...info } = spec;
    this.routes.push({
      ...info,
      run: async (input, req, res) => handler({ body: parse(spec.body, input.body), query: parse(spec.query, input.query), params: input.params }, req, res),
    });
  }

  mount(publicRouter: Router, privateRouter: Router): void {
    for (const route of this.routes) {
      const handle: RequestHandler = async (req, res, next) => {
        try {
          const result = await this.invoke(route, { body: req.body, query: req.query, params: req.params as Record<string, string> }, req, res);
          if (!res.headersSent) {
            // A handler may answer another success status than the declared one (an upload that was stored already).
            const status = (res.locals.status as number | undefined) ?? route.status;
            if (result === undefined) res.status(status ?? 204).end();
            else if (this.options.checkResponses && route.response) sendChecked(res, { ...route, status }, result);
            else res.status(status ?? 200).json(result);
          }
        } catch (err) {
          next(err);
        }
      };
      if (route.roles === 'public') publicRouter[route.method](route.path, handle);
      else privateRouter[route.method](route.path, handle);
    }
  }

  /** The route declared for `method path` (e.g. `post /architecture-reviews/:key/votes`). */
  find(method: Route['method'], path: string): Route {
    const route = this.routes.find((r) => r.method === method && r.path === path);
    if (!route) throw new Error(`no route ${method} ${path}`);
    return route;
  }

  /**
   * Checks the caller's roles, parses the input with the route's schemas and runs its handler: the JSON API and
   * the web app take the same path (the caller has authenticated; the handler and the process check the actor).
   */
  async invoke(route: Route, input: RouteInput, req: Request, res: Response): Promise<unknown> {
    if (route.roles !== 'public' && route.roles.length) checkRole(actorOf(res), route.roles);
    return route.run(input, req, res);
  }
}
