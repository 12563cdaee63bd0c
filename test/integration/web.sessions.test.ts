import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../platform/principals.js';
import { useApiStack } from '../support/stack.js';

const stack = useApiStack('web-sessions');
const run = promisify(execFile);
const suffix = randomUUID().slice(0, 6);
let admin: string;

beforeAll(async () => {
  admin = await stack.api.tokenFor(`admin-${suffix}`, 'admin');
});

async function linkFor(id: string): Promise<string> {
  const res = await stack.api.call('POST', `/principals/${id}/login-links`, { token: admin, body: {} });
  expect(res.status).toBe(201);
  return res.body.path;
}

const form = (fields: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });

async function redeem(linkPath: string, headers: Record<string, string> = {}) {
  const { body, ...type } = form({ token: linkPath.split('/').pop()! });
  return fetch(`${stack.api.url}/app/login`, { method: 'POST', redirect: 'manual', headers: { ...type, ...headers }, body });
}

/** Signs in and answers the session cookie and the page's CSRF token. */
async function session(id: string): Promise<{ cookie: string; csrf: string }> {
  const res = await redeem(await linkFor(id));
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await fetch(`${stack.api.url}/app/`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]! };
}

describe('web sign-in and sessions', () => {
  it('a sign-in link works once; the session cookie is HttpOnly and SameSite, Secure behind TLS', async () => {
    await stack.api.tokenFor(`tom-${suffix}`, 'technical_lead');
    const anonymous = await fetch(`${stack.api.url}/app/`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('sign in');

    const link = await linkFor(`tom-${suffix}`);
    // Opening the link (a chat preview, say) only shows the button.
    expect((await fetch(`${stack.api.url}${link}`)).status).toBe(200);
    const first = await redeem(link);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/app/');
    const setCookie = first.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    expect((await redeem(link)).status).toBe(401);

    const tls = await redeem(await linkFor(`tom-${suffix}`), { 'x-forwarded-proto': 'https' });
    expect(tls.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('an expired link is refused; only admins issue links; the CLI prints one', async () => {
    const link = await linkFor(`tom-${suffix}`);
    await stack.db.loginLink.update({ where: { tokenHash: hashToken(link.split('/').pop()!) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await redeem(link)).status).toBe(401);

    const tom = await stack.api.tokenFor(`tom-${suffix}`, 'technical_lead');
    expect((await stack.api.call('POST', `/principals/tom-${suffix}/login-links`, { token: tom, body: {} })).status).toBe(403);

    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.resolve('scripts/govflow.ts'), 'login-link', `tom-${suffix}`], {
      env: { ...process.env, GOVFLOW_URL: stack.api.url, GOVFLOW_TOKEN: admin },
    });
    expect(stdout.trim()).toMatch(new RegExp(`^${stack.api.url}/app/login/[\\w-]{43}$`));
    expect((await redeem(stdout.trim())).status).toBe(303);
  });

  it('every state change needs the session’s CSRF token; sign-out and deactivation end the session', async () => {
    const id = `dora-${suffix}`;
    await stack.api.tokenFor(id, 'domain_expert');
    const { cookie, csrf } = await session(id);
    const page = await fetch(`${stack.api.url}/app/`, { headers: { cookie } });
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');

    const action = `${stack.api.url}/app/processes/architecture-review/NOPE-${suffix}/actions/votes`;
    for (const token of [undefined, 'forged']) {
      const { body, ...type } = form(token ? { _csrf: token } : {});
      const refused = await fetch(action, { method: 'POST', headers: { ...type, cookie }, body });
      expect(refused.status).toBe(403);
    }
    const { body, ...type } = form({ _csrf: csrf });
    expect((await fetch(action, { method: 'POST', headers: { ...type, cookie }, body })).status).toBe(404);

    // The web app runs the API's own routes, role checks included: a domain expert may not start a review.
    expect((await fetch(`${stack.api.url}/app/start/architecture-review`, { headers: { cookie } })).status).toBe(403);
    const start = form({ _csrf: csrf, businessKey: `WEB-${suffix}`, title: 't', trigger: 'new_system_design', systemDescription: 'x' });
    expect((await fetch(`${stack.api.url}/app/start/architecture-review`, { method: 'POST', headers: { 'content-type': start['content-type'], cookie }, body: start.body })).status).toBe(403);

    const signedOut = await fetch(`${stack.api.url}/app/logout`, { method: 'POST', headers: { ...type, cookie }, body });
    expect(signedOut.status).toBe(200);
    expect((await fetch(`${stack.api.url}/app/`, { headers: { cookie } })).status).toBe(401);

    const again = await session(id);
    expect((await fetch(`${stack.api.url}/app/`, { headers: { cookie: again.cookie } })).status).toBe(200);
    expect((await stack.api.call('POST', `/principals/${id}/deactivate`, { token: admin, body: {} })).status).toBe(200);
    expect((await fetch(`${stack.api.url}/app/`, { headers: { cookie: again.cookie } })).status).toBe(401);
  });
});
