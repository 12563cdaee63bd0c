import type { RequestHandler } from 'express';
import { z } from 'zod';
import { GovflowError } from '../domain/errors.js';
import type { Route, RouteRegistry } from './route-registry.js';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** Paths served outside the registry (documents and metrics), with their one method. */
export const OPERATIONS_PATHS = {
  '/openapi.json': { summary: 'This document', content: 'application/json' },
  '/metrics': { summary: 'Prometheus metrics of the API process', content: 'text/plain' },
  '/docs': { summary: 'Interactive API documentation', content: 'text/html' },
} as const;

/** Requests are read as their input (defaults optional); answers are described as they are sent (output). */
function toSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function success(route: Route) {
  const status = String(route.status ?? 200);
  if (status === '204') return { [status]: { description: 'Done' } };
  if (route.produces) {
    return { [status]: { description: route.produces.description, content: { [route.produces.mediaType]: { schema: { type: 'string', ...(route.produces.binary ? { format: 'binary' } : {}) } } } } };
  }
  const schema = route.response ? toSchema(route.response, 'output') : {};
  return { [status]: { description: status === '201' ? 'Created' : status === '202' ? 'Accepted' : 'Success', content: { 'application/json': { schema } } } };
}

function operation(route: Route) {
  const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query = route.query
    ? Object.entries((toSchema(route.query, 'input').properties ?? {}) as Record<string, Record<string, unknown>>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
        ...(schema.description ? { description: schema.description } : {}),
      }))
    : [];
  const headers = route.idempotent
    ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'Retry-safe: the same key and body replay the first response' }]
    : [];
  return {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method}${route.path.replace(/[/:-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    ...(route.roles === 'public' ? { security: [] } : {}),
    ...(describeRoute(route) ? { description: describeRoute(route) } : {}),
    parameters: [...params, ...query, ...headers],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } } : {}),
    ...(route.upload
      ? { requestBody: { required: true, content: Object.fromEntries(route.upload.mediaTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) } }
      : {}),
    responses: {
      ...success(route),
      ...(route.body || route.query ? { 400: ref('BadRequest') } : {}),
      ...(route.roles === 'public' ? {} : { 401: ref('Unauthenticated'), 403: ref('Forbidden') }),
      ...(route.path.includes(':') || route.notFound ? { 404: ref('NotFound') } : {}),
      ...(route.method === 'post' ? { 409: ref('Conflict'), 422: ref('Refused') } : {}),
      ...(route.body || route.upload ? { 413: ref('TooLarge'), 415: ref('UnsupportedMediaType') } : {}),
      429: ref('RateLimited'),
      503: ref('Unavailable'),
    },
  };
}

/** The methods each path takes (HEAD with GET, as Express answers it); any other method answers 405. */
export function methodsByPath(registry: RouteRegistry): Map<string, string[]> {
  const methods = new Map<string, string[]>();
  const add = (path: string, method: string) => methods.set(path, [...(methods.get(path) ?? []), method.toUpperCase()]);
  for (const route of registry.routes) add(route.path, route.method);
  for (const path of Object.keys(OPERATIONS_PATHS)) add(path, 'get');
  for (const [path, list] of methods) if (list.includes('GET')) methods.set(path, [...list, 'HEAD']);
  return methods;
}

/**
 * 405 with an `Allow` header for a known path asked with a method it does not take. The most specific paths the
 * request matches decide, as the document lists them: `/policies/impact` takes POST, though `/policies/:version`
 * would match it too. Paths match as Express matches them: case-insensitive, with or without a trailing slash.
 */
export function methodNotAllowed(registry: RouteRegistry): RequestHandler {
  const patterns = [...methodsByPath(registry)].map(([path, methods]) => ({
    regex: new RegExp(`^${path.replace(/:\w+/g, '[^/]+')}/?$`, 'i'),
    params: path.split(':').length - 1,
    methods,
  }));
  return (req, res, next) => {
    const matching = patterns.filter((p) => p.regex.test(req.path));
    const fewest = Math.min(...matching.map((p) => p.params));
    const allowed = new Set(matching.filter((p) => p.params === fewest).flatMap((p) => p.methods));
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    res.set('allow', [...allowed].join(', '));
    next(new GovflowError('MethodNotAllowed', `${req.path} takes ${[...allowed].join(', ')}, not ${req.method}`));
  };
}

/** OpenAPI 3.1, generated from the same route declarations and zod schemas that validate requests and answers. */
export function buildOpenApi(registry: RouteRegistry) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of registry.routes) {
    const p = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[p] ??= {})[route.method] = operation(route);
  }
  for (const [path, { summary, content }] of Object.entries(OPERATIONS_PATHS)) {
    paths[path] = {
      get: {
        summary,
        tags: ['Operations'],
        security: [],
        responses: {
          200: { description: 'Success', content: { [content]: { schema: content === 'application/json' ? { type: 'object' } : { type: 'string' } } } },
          // Metrics are served before the rate limit, so a scraper is never refused.
          ...(path === '/metrics' ? {} : { 429: ref('RateLimited') }),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'govflow API',
      version: '1.0.0',
      description:
        'Durable, auditable technology and AI governance processes on Temporal. Authenticate with `Authorization: Bearer <token>`. ' +
        'Every error is an RFC 9457 problem document (`application/problem+json`). A method a path does not take answers 405 with an `Allow` header. ' +
        'Each caller has a request budget per minute (`RateLimit` and `RateLimit-Policy` headers); past it, 429 with `Retry-After`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token issued with `govflow principal create`, or an access token from the identity provider when OIDC_ISSUER_URL is set' } },
      responses: {
        BadRequest: problem('The input does not match the schema: `errors` names each field and the rule'),
        Unauthenticated: problem('No token, or one that is unknown, revoked, expired or of a deactivated principal'),
        Forbidden: problem('The caller lacks the role'),
        NotFound: problem('No such process or resource'),
        MethodNotAllowed: {
          ...problem('The path does not take this method'),
          headers: { Allow: { description: 'The methods the path takes', schema: { type: 'string' } } },
        },
        Conflict: problem('Conflicts with the current state: a closed process, a repeated start'),
        Refused: problem('A governance rule refused it (the rule is named), or the policy is invalid'),
        TooLarge: problem('The body is larger than API_BODY_LIMIT'),
        UnsupportedMediaType: problem('The body is not application/json'),
        RateLimited: {
          ...problem("More requests than the caller's budget per minute"),
          headers: { 'Retry-After': { description: 'Seconds until the budget resets', schema: { type: 'integer' } } },
        },
        Unavailable: problem('Temporal or the database is unreachable; try again shortly'),
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string', description: 'govflow error code, e.g. ValidationError, RuleViolation' },
            errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
            requestId: { type: 'string' },
          },
        },
      },
    },
  };
}

function describeRoute(route: Route): string {
  const roles = Array.isArray(route.roles) && route.roles.length ? `Roles: ${route.roles.join(', ')} (or admin).` : '';
  return [roles, route.description ?? ''].filter(Boolean).join(' ');
}
