import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../api/openapi.js';
import { offlineApp } from '../support/api.js';

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
    expect(start.responses['400'].content['application/problem+json']).toBeDefined();
    expect(start.parameters.some((p: { name: string }) => p.name === 'Idempotency-Key')).toBe(true);
    const health = (spec.paths['/healthz'] as Record<string, any>).get;
    expect(health.security).toEqual([]);
  });
});
