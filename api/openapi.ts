import { z } from 'zod';
import type { Route, RouteRegistry } from './route-registry.js';

const problem = {
  description: 'An RFC 9457 problem document',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

function toSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function operation(route: Route) {
  const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query = route.query
    ? Object.entries((toSchema(route.query).properties ?? {}) as Record<string, Record<string, unknown>>).map(([name, schema]) => ({
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
  const status = String(route.status ?? 200);
  return {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method}${route.path.replace(/[/:-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    ...(route.roles === 'public' ? { security: [] } : {}),
    ...(describeRoute(route) ? { description: describeRoute(route) } : {}),
    parameters: [...params, ...query, ...headers],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body) } } } } : {}),
    responses: {
      [status]: { description: status === '204' ? 'Done' : 'Success', ...(status === '204' ? {} : { content: { 'application/json': { schema: {} } } }) },
      ...(route.body || route.query ? { 400: problem } : {}),
      ...(route.roles === 'public' ? {} : { 401: problem, 403: problem }),
      ...(route.path.includes(':') || route.notFound ? { 404: problem } : {}),
      ...(route.method === 'post' ? { 409: problem, 422: problem } : {}),
      503: problem,
    },
  };
}

/** OpenAPI 3.1, generated from the same route declarations and zod schemas that validate requests. */
export function buildOpenApi(registry: RouteRegistry) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of registry.routes) {
    const p = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[p] ??= {})[route.method] = operation(route);
  }
  paths['/openapi.json'] = { get: { summary: 'This document', tags: ['Operations'], security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } };
  paths['/metrics'] = { get: { summary: 'Prometheus metrics of the API process', tags: ['Operations'], security: [], responses: { 200: { description: 'text/plain; version=0.0.4' } } } };
  paths['/docs'] = { get: { summary: 'Interactive API documentation', tags: ['Operations'], security: [], responses: { 200: { description: 'HTML' } } } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'govflow API',
      version: '1.0.0',
      description: 'Durable, auditable technology and AI governance processes on Temporal. Authenticate with `Authorization: Bearer <token>`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token issued with `govflow principal create`, or an access token from the identity provider when OIDC_ISSUER_URL is set' } },
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
