import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../api/openapi.js';
import { offlineApp } from '../support/api.js';
import { defaultPolicy } from '../support/policy.js';

// Building the app touches no dependency; handlers (not called here) would.
const { app, registry } = await offlineApp();

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; rawPath?: string };

// The web app's HTML pages under /app are not part of the JSON API's document.
function mountedRoutes(stack: Layer[]): string[] {
  return stack.filter((layer) => layer.rawPath !== '/app').flatMap((layer) => {
    if (layer.route) return Object.keys(layer.route.methods).map((m) => `${m} ${layer.route!.path}`);
    return layer.handle?.stack ? mountedRoutes(layer.handle.stack) : [];
  });
}

describe('OpenAPI document', () => {
  const spec = buildOpenApi(registry);
  const documented = new Set(Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p.replace(/\{(\w+)\}/g, ':$1')}`)));

  it('documents every route the app serves', () => {
    const served = mountedRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack).filter((r) => !r.startsWith('_'));
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((r) => !documented.has(r) && !r.includes('/docs/'))).toEqual([]);
  });

  it('is OpenAPI 3.1 with bearer auth, request schemas from zod and problem responses', () => {
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const start = (spec.paths['/architecture-reviews'] as Record<string, any>).post;
    const body = start.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['businessKey', 'title', 'trigger', 'systemDescription']));
    expect(body.properties.businessKey.allOf.map((p: { pattern: string }) => p.pattern)).toContain('^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$');
    expect(start.responses['400']).toEqual({ $ref: '#/components/responses/BadRequest' });
    expect(spec.components.responses.BadRequest.content['application/problem+json']).toBeDefined();
    expect(start.parameters.some((p: { name: string }) => p.name === 'Idempotency-Key')).toBe(true);
    const health = (spec.paths['/healthz'] as Record<string, any>).get;
    expect(health.security).toEqual([]);
  });

  const operations = Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops as Record<string, any>).map(([method, op]) => ({ name: `${method} ${path}`, op })));

  it('describes the answer of every JSON operation with a schema, and the audit export as JSON Lines', () => {
    const undescribed = operations.filter(({ name, op }) => {
      const [status, success] = Object.entries(op.responses as Record<string, any>)[0]!;
      if (status === '204' || name === 'get /openapi.json') return false;
      const json = success.content?.['application/json']?.schema;
      return json !== undefined && Object.keys(json).length === 0;
    });
    expect(undescribed.map((o) => o.name)).toEqual([]);
    const exported = (spec.paths['/audit/export'] as Record<string, any>).get.responses['200'].content;
    expect(Object.keys(exported)).toEqual(['application/x-ndjson']);
    const state = (spec.paths['/architecture-reviews/{key}'] as Record<string, any>).get.responses['200'].content['application/json'].schema;
    expect(state.required).toEqual(expect.arrayContaining(['workflowId', 'stage', 'outcome', 'pendingRoles', 'events']));
  });

  it('documents 429 on every rate-limited operation and 405 with Allow', () => {
    expect(operations.filter(({ name, op }) => name !== 'get /metrics' && !op.responses['429']).map((o) => o.name)).toEqual([]);
    expect(spec.components.responses.RateLimited.headers['Retry-After']).toBeDefined();
    expect(spec.components.responses.MethodNotAllowed.headers.Allow).toBeDefined();
  });

  it("carries the loaded policy's triggers, roles, criteria and types as enums", async () => {
    const policy = await defaultPolicy();
    const body = (path: string) => (spec.paths[path] as Record<string, any>).post.requestBody.content['application/json'].schema;
    expect(body('/architecture-reviews').properties.trigger.enum).toEqual(policy.architectureReview.triggers);
    expect(body('/architecture-reviews').properties.assignees.propertyNames.enum).toEqual(policy.architectureReview.participants.map((p) => p.role));
    expect(body('/architecture-reviews').properties.selfAssessment.propertyNames.enum).toEqual(policy.architectureReview.principles.map((p) => p.key));
    expect(body('/ethical-reviews').properties.trigger.enum).toEqual(policy.aiGovernance.ethicalReviewBoard.triggers);
    expect(body('/cto-engagements').properties.engagementType.enum).toEqual(policy.ctoServiceModel.engagementTypes.map((t) => t.key));
    expect(body('/poc-scale-ups').properties.selfAssessment.propertyNames.enum).toEqual(policy.innovation.pocSelectionCriteria);
    expect(body('/principals').properties.roles.items.enum).toEqual(policy.roles);
  });
});
