import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { offlineApp } from '../support/api.js';

// /openapi.json touches no backing service, so the middleware in front of every route can be tested offline.
async function serve(env: Record<string, string> = {}) {
  const { app } = await offlineApp(env);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return (path: string, init?: RequestInit) => fetch(`${url}${path}`, init);
}
const servers: ReturnType<typeof createServer>[] = [];
afterAll(() => servers.forEach((s) => s.close()));

describe('middleware in front of the API', () => {
  it('sets the security headers (helmet) and a request ID, echoing a sane X-Request-Id', async () => {
    const get = await serve();
    const res = await get('/openapi.json', { headers: { 'x-request-id': 'trace-42' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    const other = await get('/openapi.json', { headers: { 'x-request-id': 'not sane!' } });
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers no cross-origin request by default, and only the listed origins when CORS_ORIGINS is set', async () => {
    const closed = await serve();
    const preflight = { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } };
    expect((await closed('/openapi.json', preflight)).headers.get('access-control-allow-origin')).toBeNull();
    const open = await serve({ CORS_ORIGINS: 'https://app.example.com' });
    const allowed = await open('/openapi.json', preflight);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const other = await open('/openapi.json', { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits each caller per minute with a problem+json 429 and Retry-After', async () => {
    const get = await serve({ API_RATE_LIMIT_PER_MINUTE: '3' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/openapi.json')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await get('/openapi.json');
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-policy')).toContain('3');
    expect(await limited.json()).toMatchObject({ status: 429, code: 'RateLimited' });
    // Another caller (another token) has its own window.
    expect((await get('/openapi.json', { headers: { authorization: 'Bearer another-callers-token' } })).status).toBe(200);
  });
});

describe('methods a path does not take', () => {
  it('answers 405 with Allow and a problem document, counting every route the path matches', async () => {
    const call = await serve();
    const res = await call('/healthz', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 405, code: 'MethodNotAllowed' });
    // /policies/impact takes POST only, though /policies/:version (GET) would match it too.
    const get = await call('/policies/impact', { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await call('/policies/impact', { method: 'POST' })).status).toBe(401);
    expect((await call('/policies/1.0.0+abc', { method: 'POST' })).headers.get('allow')).toBe('GET, HEAD');
    expect((await call('/architecture-reviews/ARCH-1/votes/', { method: 'GET' })).status).toBe(405);
    expect((await call('/no/such/path', { method: 'DELETE' })).status).toBe(401);
  });
});
