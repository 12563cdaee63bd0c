import type { Request } from 'express';
import * as oidc from 'openid-client';
import { GovflowError } from '../domain/errors.js';
import { principalForIdentity, type OidcVerifier } from '../api/oidc.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/database.js';
import type { Actor } from '../workflows/contracts/common.js';

/*
 * Web sign-in with the organisation's OpenID provider: the authorization code flow with PKCE (S256), state and
 * nonce, through openid-client. The access token it gets is checked by the API's own verifier and matched to a
 * principal exactly as a bearer token is (issuer and subject, roles from the mapping), so a person is the same
 * principal with the same roles in the web app and in the API.
 */

export const CALLBACK_PATH = '/app/oidc/callback';
/** Long enough to type a password and pass a second factor; a flow left longer starts again. */
export const FLOW_TTL_MS = 10 * 60_000;

/** What the browser keeps between the redirect to the provider and the callback (in an HttpOnly cookie). */
export interface PendingFlow {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  next: string;
}

/** Only a page of this app is a place to land after sign-in (never another origin: `//evil` or `/\evil`). */
export const safeNext = (next: unknown) => (typeof next === 'string' && /^\/app\/(?![/\\])[^\s]*$/.test(next) ? next : '/app/');

export class OidcSignIn {
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly verifier: OidcVerifier,
  ) {}

  /** The provider's name for the sign-in button. */
  get providerName(): string {
    return new URL(this.config.OIDC_ISSUER_URL!).host;
  }

  /** A fresh flow: the URL to send the browser to, and what to keep for the callback. */
  async begin(req: Request, next: unknown): Promise<{ url: string; flow: PendingFlow }> {
    const configuration = await this.configuration();
    const verifier = oidc.randomPKCECodeVerifier();
    const flow: PendingFlow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier, redirectUri: this.redirectUri(req), next: safeNext(next) };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: flow.redirectUri,
      scope: this.config.OIDC_WEB_SCOPES,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, flow };
  }

  /** The callback: the code exchanged (state, nonce and PKCE checked), the person matched to their principal. */
  async complete(req: Request, flow: PendingFlow | null): Promise<Actor> {
    if (!flow) throw new GovflowError('Unauthenticated', `this sign-in was not started in this browser, or was started more than ${FLOW_TTL_MS / 60_000} minutes ago: sign in again`);
    const configuration = await this.configuration();
    const current = new URL(flow.redirectUri);
    current.search = new URL(req.originalUrl, 'http://callback.invalid').search;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
    } catch (err) {
      throw explain(err);
    }
    const identity = await this.verifier.verify(tokens.access_token);
    const subject = tokens.claims()?.sub;
    // The access token names whom it was issued for; it must be the person the ID token signed in.
    if (identity.subject !== subject) throw new GovflowError('Unauthenticated', `the access token is for subject ${identity.subject}, the ID token for ${String(subject)}: sign in again`);
    return principalForIdentity(this.db, identity);
  }

  private redirectUri(req: Request): string {
    return this.config.OIDC_WEB_REDIRECT_URL ?? `${req.protocol}://${req.get('host')}${CALLBACK_PATH}`;
  }

  private configuration(): Promise<oidc.Configuration> {
    this.discovered ??= this.discover().catch((err: unknown) => {
      this.discovered = undefined; // the provider may be back at the next sign-in
      throw err;
    });
    return this.discovered;
  }

  private async discover(): Promise<oidc.Configuration> {
    const { OIDC_ISSUER_URL, OIDC_WEB_CLIENT_ID, OIDC_WEB_CLIENT_SECRET } = this.config;
    const issuer = new URL(OIDC_ISSUER_URL!);
    // Plain http only for a provider on this machine (a local or test provider); anything else must be https.
    const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    try {
      return await oidc.discovery(
        issuer,
        OIDC_WEB_CLIENT_ID!,
        undefined,
        OIDC_WEB_CLIENT_SECRET ? oidc.ClientSecretBasic(OIDC_WEB_CLIENT_SECRET) : oidc.None(),
        local ? { execute: [oidc.allowInsecureRequests], timeout: 5 } : { timeout: 5 },
      );
    } catch (err) {
      throw new GovflowError('Unavailable', `the identity provider ${OIDC_ISSUER_URL} cannot be reached for sign-in: ${(err as Error).message}`);
    }
  }
}

/** The provider's refusals and the checks openid-client failed, as a sentence for the person signing in. */
function explain(err: unknown): GovflowError {
  if (err instanceof oidc.AuthorizationResponseError) {
    return new GovflowError('Unauthenticated', `the identity provider did not sign you in: ${err.error}${err.error_description ? ` (${err.error_description})` : ''}`);
  }
  if (err instanceof oidc.ResponseBodyError) return new GovflowError('Unauthenticated', `the identity provider refused the sign-in code: ${err.error}${err.error_description ? ` (${err.error_description})` : ''}`);
  if (err instanceof oidc.ClientError) {
    // openid-client says "invalid response encountered"; the check that failed is in its cause (oauth4webapi's).
    const reason = err.cause instanceof Error ? err.cause.message : err.message;
    if (/"state"/.test(reason)) return new GovflowError('Unauthenticated', `the sign-in answer does not belong to the sign-in this browser started (${reason}): sign in again`);
    return new GovflowError('Unauthenticated', `the identity provider's answer is not acceptable: ${reason}`);
  }
  return new GovflowError('Unavailable', `the identity provider cannot be reached: ${(err as Error).message}`);
}

export function createOidcSignIn(config: Config, db: Db, verifier: OidcVerifier | undefined): OidcSignIn | undefined {
  return config.OIDC_WEB_CLIENT_ID && verifier ? new OidcSignIn(config, db, verifier) : undefined;
}
