import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../support/browser.js';
import { startTestIdp, type TestIdp, type TestUser } from '../support/oidc-provider.js';
import { useApiStack } from '../support/stack.js';

const AUDIENCE = 'api://govflow-web-test';
const CLIENT = { client_id: 'govflow-web', client_secret: randomUUID() };
let idp: TestIdp;
let browser: Browser;

// Registered before the stack's hook, so the provider runs when the API reads its configuration.
beforeAll(async () => {
  idp = await startTestIdp(AUDIENCE);
});
const stack = useApiStack('web-oidc', () => ({
  OIDC_ISSUER_URL: idp.issuer,
  OIDC_AUDIENCE: AUDIENCE,
  OIDC_ROLE_MAPPING_FILE: 'policies/oidc-role-mapping.example.yaml',
  OIDC_WEB_CLIENT_ID: CLIENT.client_id,
  OIDC_WEB_CLIENT_SECRET: CLIENT.client_secret,
  OIDC_WEB_SCOPES: 'openid profile govflow',
}));
// After the stack: the callback's address is known once the API listens.
beforeAll(async () => {
  await idp.registerClient({ ...CLIENT, redirect_uris: [`${stack.api.url}/app/oidc/callback`] });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await idp?.close();
});

function person(groups: string[], name = 'Web Person'): TestUser & { sub: string; preferred_username: string } {
  const id = randomUUID().slice(0, 8);
  const user = { sub: `sub-${id}`, preferred_username: `web-${id}`, name, groups };
  idp.addUser(user);
  return user;
}

/** From govflow's sign-in page through the provider's login and consent pages; answers the page it lands on. */
async function signInAtProvider(page: Page, username: string, consent: 'Allow' | 'Deny' = 'Allow'): Promise<void> {
  await page.getByRole('link', { name: /^Sign in with 127\.0\.0\.1:\d+$/ }).click();
  await page.waitForURL(`${idp.issuer}/**`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: consent }).click();
}

const newPage = async () => (await browser.newContext({ baseURL: stack.api.url, viewport: { width: 375, height: 740 } })).newPage();

describe('web sign-in with the OpenID provider (authorization code with PKCE)', () => {
  it('signs a person in through the provider’s login and consent, as the principal a bearer token maps to, back on the page asked for', async () => {
    const erin = person(['govflow-architects'], 'Erin Architect');
    const requester = await stack.api.tokenFor(`req-${randomUUID().slice(0, 6)}`, 'requester');
    const key = `OIDC-${randomUUID().slice(0, 6)}`;
    const started = await stack.api.call('POST', '/architecture-reviews', {
      token: requester,
      body: { businessKey: key, title: 'Identity platform', trigger: 'new_system_design', systemDescription: 'SSO for every app', evidence: [] },
    });
    expect(started.status).toBe(201);

    const page = await newPage();
    const asked = await page.goto(`/app/processes/architecture-review/${key}`);
    expect(asked!.status()).toBe(401);
    expect(await seriousViolations(page)).toEqual([]);
    // The authorization request carries PKCE (S256), state and nonce.
    const authorize = page.waitForRequest((r) => r.url().startsWith(`${idp.issuer}/auth`));
    const signingIn = signInAtProvider(page, erin.preferred_username);
    const params = new URL((await authorize).url()).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    await signingIn;

    await page.waitForURL(`**/app/processes/architecture-review/${key}`);
    expect(await page.locator('h1').textContent()).toBe('Identity platform');
    expect(await page.locator('header').textContent()).toContain(`(${erin.preferred_username})`);
    // The vote form for her seat: the roles came from the access token's groups, through the mapping.
    expect(await page.locator('#action-votes form').count()).toBe(1);
    const principal = await stack.db.principal.findUniqueOrThrow({ where: { id: erin.preferred_username } });
    expect(principal).toMatchObject({ name: 'Erin Architect', roles: ['enterprise_architect'], issuer: idp.issuer, subject: erin.sub });
    expect(await stack.db.webSession.count({ where: { principalId: erin.preferred_username, method: 'oidc' } })).toBe(1);
    // The flow's cookie is gone once used.
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('govflow_oidc');
    await page.context().close();
  });

  it('refuses an answer whose state is not the one this browser sent, and a callback no sign-in started', async () => {
    const tom = person(['govflow-architects']);
    // Two sign-ins in one browser: the second one's flow replaces the first's, so the provider's real answer to
    // the first comes back with a state this browser no longer expects.
    const page = await newPage();
    await page.goto('/app/');
    await page.getByRole('link', { name: /^Sign in with/ }).click();
    await page.getByLabel('Username').waitFor();
    const second = await page.context().newPage();
    await second.goto('/app/');
    await second.getByRole('link', { name: /^Sign in with/ }).click();
    await second.getByLabel('Username').waitFor();
    await page.getByLabel('Username').fill(tom.preferred_username);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('does not belong to the sign-in this browser started');
    expect(await page.request.get('/app/').then((r) => r.status())).toBe(401);
    expect(await stack.db.principal.findUnique({ where: { id: tom.preferred_username } })).toBeNull();

    const stranger = await newPage();
    const res = await stranger.goto(`/app/oidc/callback?code=x&state=y`);
    expect(res!.status()).toBe(401);
    expect(await stranger.getByRole('alert').textContent()).toContain('was not started in this browser');
    await Promise.all([page.context().close(), stranger.context().close()]);
  });

  it('refuses an identity govflow cannot match: a name held by a local principal, a deactivated principal, a declined consent', async () => {
    await stack.api.tokenFor('web-local-sam', 'security_architect');
    const impostor = person(['govflow-admins']);
    idp.addUser({ ...impostor, preferred_username: 'web-local-sam' });
    const page = await newPage();
    await page.goto('/app/');
    await signInAtProvider(page, 'web-local-sam');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('already exists and is not linked to this identity');
    expect(await page.request.get('/app/').then((r) => r.status())).toBe(401);

    const dora = person(['govflow-domain-experts']);
    expect((await stack.api.call('GET', '/me', { token: await idp.token(dora) })).status).toBe(200);
    await stack.db.principal.update({ where: { id: dora.preferred_username }, data: { disabled: true } });
    // A fresh browser each time: the provider's own session would skip its login page.
    const again = await newPage();
    await again.goto('/app/');
    await signInAtProvider(again, dora.preferred_username);
    await again.getByRole('alert').waitFor();
    expect(await again.getByRole('alert').textContent()).toContain('is deactivated');

    const ann = person(['govflow-requesters']);
    const other = await newPage();
    await other.goto('/app/');
    await signInAtProvider(other, ann.preferred_username, 'Deny');
    await other.getByRole('alert').waitFor();
    expect(await other.getByRole('alert').textContent()).toContain('did not sign you in: access_denied');
    expect(await stack.db.webSession.count({ where: { principalId: { in: ['web-local-sam', dora.preferred_username, ann.preferred_username] } } })).toBe(0);
    await Promise.all([page, again, other].map((p) => p.context().close()));
  });
});
