import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp, type TestUser } from '../support/oidc-provider.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { startTestApi } from '../support/api.js';
import { rulingsFor } from '../support/reviews.js';
import { useApiStack } from '../support/stack.js';

const AUDIENCE = 'api://govflow-test';
let idp: TestIdp;
let otherIdp: TestIdp;

// Registered before the stack's hook, so the provider runs when the API reads its configuration.
beforeAll(async () => {
  [idp, otherIdp] = await Promise.all([startTestIdp(AUDIENCE), startTestIdp(AUDIENCE)]);
});
afterAll(async () => {
  await Promise.all([idp?.close(), otherIdp?.close()]);
});

const stack = useApiStack('oidc', () => ({
  OIDC_ISSUER_URL: idp.issuer,
  OIDC_AUDIENCE: AUDIENCE,
  OIDC_ROLE_MAPPING_FILE: 'policies/oidc-role-mapping.example.yaml',
  // Rotation is tested right after the first key fetch; production keeps jose's 30 s.
  OIDC_JWKS_COOLDOWN_SECONDS: '0',
}));

/** A person at the provider with a fresh subject and username, so tests never share a principal. */
function person(groups: string[], name = 'Test Person'): TestUser & { preferred_username: string; sub: string } {
  const id = randomUUID().slice(0, 8);
  return { sub: `sub-${id}`, preferred_username: `oidc-${id}`, name, groups };
}

const me = (token: string) => stack.api.call('GET', '/me', { token });

function startBody(businessKey: string) {
  return { businessKey, title: 'Identity platform', trigger: 'new_system_design', systemDescription: 'SSO for every app', evidence: ['https://wiki.example.com/sso'] };
}

describe('OIDC access tokens', () => {
  it('accepts a token from the issuer and creates the principal with the mapped roles', async () => {
    const erin = person(['govflow-architects', 'some-unmapped-group'], 'Erin Architect');
    const res = await me(await idp.token(erin));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ id: erin.preferred_username, kind: 'person', roles: ['enterprise_architect'], identity: { issuer: idp.issuer, subject: erin.sub } });
    const row = await stack.db.principal.findUniqueOrThrow({ where: { id: erin.preferred_username } });
    expect(row).toMatchObject({ name: 'Erin Architect', kind: 'person', roles: ['enterprise_architect'], issuer: idp.issuer, subject: erin.sub, disabled: false });
  });

  it('keeps accepting govflow API tokens beside them', async () => {
    const res = await me(await stack.api.tokenFor('local-rita', 'requester'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'local-rita', kind: 'person', roles: ['requester'] });
  });

  it('reads roles from a nested claim and the principal from another claim, as configured (Keycloak realm roles, email)', async () => {
    const keycloakLike = await startTestApi(stack.env, stack.db, stack.taskQueue, {
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_ROLE_MAPPING_FILE: 'policies/oidc-role-mapping.example.yaml',
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      OIDC_PRINCIPAL_CLAIM: 'email',
    });
    try {
      const id = randomUUID().slice(0, 8);
      const token = await idp.token({ sub: `sub-${id}`, email: `sam-${id}@example.com`, realm_access: { roles: ['govflow-security', 'offline_access'] }, groups: ['govflow-admins'] });
      const res = await keycloakLike.call('GET', '/me', { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ id: `sam-${id}@example.com`, roles: ['security_architect'] });
      // The email claim is where their notifications go, unless they choose another address.
      const prefs = await keycloakLike.call('GET', '/me/notification-preferences', { token });
      expect(prefs.body).toMatchObject({ channels: [], email: `sam-${id}@example.com` });
    } finally {
      await keycloakLike.close();
    }
  });

  it.each([
    ['an expired token', () => idp.token(person(['govflow-architects']), { expired: true }), 'the token has expired'],
    ['a token for another audience', () => idp.token(person(['govflow-architects']), { audience: 'api://another-api' }), 'the token is for another audience'],
    ['a token from another issuer', () => otherIdp.token(person(['govflow-architects'])), 'the token is from another issuer'],
  ])('refuses %s with a 401 naming the rule', async (_what, mint, detail) => {
    const res = await me(await mint());
    expect(res.status).toBe(401);
    expect(res.body.detail).toContain(detail);
  });

  it("follows the issuer's key rotation: a new key is fetched on first sight, the retired one is unknown", async () => {
    const user = person(['govflow-architects']);
    const before = await idp.token(user);
    expect((await me(before)).status).toBe(200);
    await idp.rotateKey();
    const after = await me(await idp.token(user));
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    const retired = await me(before);
    expect(retired.status).toBe(401);
    expect(retired.body.detail).toContain('unknown signing key');
  });

  it('gives the roles of the current token: a removed group removes the role at the next request', async () => {
    const rita = person(['govflow-requesters', 'govflow-architects']);
    const withBoth = await idp.token(rita);
    expect((await me(withBoth)).body.roles).toEqual(['enterprise_architect', 'requester']);
    expect((await stack.api.call('POST', '/architecture-reviews', { token: withBoth, body: startBody(`ARCH-${randomUUID().slice(0, 8)}`) })).status).toBe(201);

    const withoutRequesters = await idp.token({ ...rita, groups: ['govflow-architects'] });
    const refused = await stack.api.call('POST', '/architecture-reviews', { token: withoutRequesters, body: startBody(`ARCH-${randomUUID().slice(0, 8)}`) });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('requester');
    expect((await stack.db.principal.findUniqueOrThrow({ where: { id: rita.preferred_username } })).roles).toEqual(['enterprise_architect']);
  });

  it('refuses a deactivated principal even with a valid token', async () => {
    const dora = person(['govflow-domain-experts']);
    expect((await me(await idp.token(dora))).status).toBe(200);
    await stack.db.principal.update({ where: { id: dora.preferred_username }, data: { disabled: true } });
    const res = await me(await idp.token(dora));
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain(`the principal \`${dora.preferred_username}\` is deactivated`);
  });

  it('never links a token to an existing local principal of the same name', async () => {
    await stack.api.tokenFor('local-sam', 'security_architect');
    const res = await me(await idp.token({ ...person(['govflow-admins']), preferred_username: 'local-sam' }));
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('already exists and is not linked to this identity');
    expect((await stack.db.principal.findUniqueOrThrow({ where: { id: 'local-sam' } })).roles).toEqual(['security_architect']);
  });

  it('records the issuer and subject of a vote in the hash-chained audit log', async () => {
    const policy = await defaultPolicy();
    const key = `ARCH-${randomUUID().slice(0, 8)}`;
    const requester = await stack.api.tokenFor('local-requester', 'requester');
    expect((await stack.api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key) })).status).toBe(201);

    const erin = person(['govflow-architects']);
    const voted = await stack.api.call('POST', `/architecture-reviews/${key}/votes`, {
      token: await idp.token(erin),
      body: { role: 'enterprise_architect', rulings: rulingsFor(policy, 'approve') },
    });
    expect(voted.status, JSON.stringify(voted.body)).toBe(200);

    const workflowId = `architecture-review/${key}`;
    const entry = await waitFor('the vote in the audit log', () => stack.db.auditEntry.findFirst({ where: { workflowId, action: 'voted' } }));
    expect(entry).toMatchObject({ actor: erin.preferred_username, role: 'enterprise_architect', issuer: idp.issuer, subject: erin.sub });
    const started = await stack.db.auditEntry.findFirstOrThrow({ where: { workflowId, action: 'started' } });
    expect(started).toMatchObject({ actor: 'local-requester', issuer: null, subject: null });

    const verified = await stack.api.call('GET', '/audit/verify', { token: await stack.api.tokenFor('local-auditor', 'admin') });
    expect(verified.body).toMatchObject({ ok: true, firstBroken: null });
  });
});
