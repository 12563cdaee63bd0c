import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ClientMetadata } from 'oidc-provider';

/** What the provider says about a user in the access tokens it issues (`sub` and any other claims). */
export interface TestUser {
  sub: string;
  [claim: string]: unknown;
}

export interface TestIdp {
  issuer: string;
  /**
   * An access token for `user`, minted through the provider's own AccessToken class and resource-server settings
   * (JWT format), so it is signed with the provider's current key as a token endpoint would sign it.
   */
  token(user: TestUser, opts?: { audience?: string; expired?: boolean }): Promise<string>;
  /** Replaces the provider with one on a new signing key, at the same issuer URL (the old key is gone from its JWKS). */
  rotateKey(): Promise<void>;
  /** Makes `user` known to the provider's login page (by `preferred_username`, else `sub`). */
  addUser(user: TestUser): void;
  /** Registers a client for the authorization code flow (the provider is rebuilt on the same key, as a restart would). */
  registerClient(client: { client_id: string; client_secret?: string; redirect_uris: string[] }): Promise<void>;
  close(): Promise<void>;
}

const CLIENT_ID = 'govflow-test-client';

const loginForm = (uid: string, error?: string) => `<h1>Sign in to the test provider</h1>${error ? `<p role="alert">${error}</p>` : ''}
  <form method="post" action="/interaction/${uid}/login"><label for="username">Username</label><input id="username" name="username" autocomplete="username"><button type="submit">Sign in</button></form>`;

const bodyOf = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body)).on('error', reject);
  });

/**
 * A real OpenID Provider (npm oidc-provider) on 127.0.0.1, port 0, issuing JWT access tokens for `audience`, with
 * its own login and consent pages for the authorization code flow.
 */
export async function startTestIdp(audience: string): Promise<TestIdp> {
  let current: Provider | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const interaction = /^\/interaction\/([\w-]+)(?:\/(login|consent|abort))?$/.exec(req.url ?? '');
    if (interaction) void interact(current!, req, res, interaction[2]).catch((err: Error) => res.writeHead(500).end(err.message));
    else void current!.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const users = new Map<string, TestUser>();
  const clients: ClientMetadata[] = [{ client_id: CLIENT_ID, client_secret: randomUUID(), redirect_uris: ['http://127.0.0.1/callback'] }];

  /** The provider's own pages: a login form (a username, no password), then consent to the requested scopes. */
  async function interact(provider: Provider, req: IncomingMessage, res: ServerResponse, step: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const page = (body: string): void => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><title>Test IdP</title></head><body><main>${body}</main></body></html>`);
    if (step === 'abort') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the person declined' }, { mergeWithLastSubmission: false });
    }
    if (step === 'login') {
      const username = new URLSearchParams(await bodyOf(req)).get('username') ?? '';
      const user = [...users.values()].find((u) => (u.preferred_username ?? u.sub) === username);
      if (!user) return page(loginForm(details.uid, `No user ${username}`));
      return provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
    }
    if (step === 'consent') {
      const { prompt, params, session } = details;
      const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId: session!.accountId, clientId: params.client_id as string });
      const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    }
    if (details.prompt.name === 'login') return page(loginForm(details.uid));
    return page(`<h1>Allow ${String(details.params.client_id)}?</h1><p>It asks for: ${String(details.params.scope)}</p>
      <form method="post" action="/interaction/${details.uid}/consent"><button type="submit">Allow</button></form>
      <form method="post" action="/interaction/${details.uid}/abort"><button type="submit">Deny</button></form>`);
  }

  const resourceServer = (aud: string) => ({ scope: 'govflow', audience: aud, accessTokenFormat: 'jwt' as const });
  const newKey = async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  };
  let jwk = await newKey();
  function newProvider(): Provider {
    const provider = new Provider(issuer, {
      clients,
      jwks: { keys: [jwk] },
      cookies: { keys: [randomUUID()] },
      ttl: { AccessToken: 600 },
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
      findAccount: (_ctx, sub) => {
        const user = users.get(sub);
        return user && { accountId: sub, claims: () => user };
      },
      features: {
        devInteractions: { enabled: false },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => audience,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx, indicator) => resourceServer(indicator),
        },
      },
      // The user's claims go into the JWT access token, as a provider's claim mappers would put them.
      extraTokenClaims: (_ctx, token) => {
        const { sub: _sub, ...claims } = users.get((token as { accountId?: string }).accountId ?? '') ?? { sub: '' };
        return claims;
      },
    });
    return provider;
  }
  current = newProvider();

  return {
    issuer,
    async token(user, opts = {}) {
      users.set(user.sub, user);
      const provider = current!;
      const client = await provider.Client.find(CLIENT_ID);
      const now = Math.floor(Date.now() / 1000);
      const token = new provider.AccessToken({
        accountId: user.sub,
        client: client!,
        scope: 'govflow',
        resourceServer: new provider.ResourceServer(opts.audience ?? audience, resourceServer(opts.audience ?? audience)),
        // Issued and expired well beyond any clock tolerance.
        ...(opts.expired ? { iat: now - 3600, exp: now - 600 } : {}),
      } as ConstructorParameters<typeof provider.AccessToken>[0]);
      return token.save();
    },
    async rotateKey() {
      jwk = await newKey();
      current = newProvider();
    },
    addUser(user) {
      users.set(user.sub, user);
    },
    async registerClient(client) {
      clients.push(client.client_secret ? client : { ...client, token_endpoint_auth_method: 'none' });
      current = newProvider();
      await current.Client.find(client.client_id);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
