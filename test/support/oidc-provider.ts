import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

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
  close(): Promise<void>;
}

const CLIENT_ID = 'govflow-test-client';

/** A real OpenID Provider (npm oidc-provider) on 127.0.0.1, port 0, issuing JWT access tokens for `audience`. */
export async function startTestIdp(audience: string): Promise<TestIdp> {
  let current: Provider | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => void current!.callback()(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const users = new Map<string, TestUser>();

  const resourceServer = (aud: string) => ({ scope: 'govflow', audience: aud, accessTokenFormat: 'jwt' as const });
  async function newProvider(): Promise<Provider> {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
    return new Provider(issuer, {
      clients: [{ client_id: CLIENT_ID, client_secret: randomUUID(), redirect_uris: ['http://127.0.0.1/callback'] }],
      jwks: { keys: [jwk] },
      cookies: { keys: [randomUUID()] },
      ttl: { AccessToken: 600 },
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
  }
  current = await newProvider();

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
      current = await newProvider();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
