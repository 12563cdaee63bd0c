import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { parse } from 'yaml';
import { z } from 'zod';
import { GovflowError } from '../domain/errors.js';
import { safeString } from '../domain/text.js';
import type { Db } from '../platform/database.js';
import { StartupError } from '../platform/runtime.js';
import type { Actor } from '../workflows/contracts/common.js';
import type { ApiDeps } from './process-routes.js';

/**
 * Sign-in with an OpenID provider: the API accepts the provider's JWT access tokens for its audience, keeps a
 * principal per issuer and subject, and gives it the roles its groups (or roles) claim maps to, on every request.
 */

/** Claim value (a group, an app role) → the govflow roles it grants. */
export type RoleMapping = ReadonlyMap<string, readonly string[]>;

// Small: the provider's and the API's clocks are both NTP-synchronised; this only absorbs request latency.
const CLOCK_TOLERANCE_SECONDS = 5;

const mappingFile = z.record(safeString().min(1), z.array(safeString().min(1)), { error: 'expected a map of claim value → list of govflow roles' });

/** Reads the mapping file; a role the policy set does not declare stops the start-up, naming the file, value and role. */
export function loadRoleMapping(file: string, policyRoles: readonly string[]): RoleMapping {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StartupError(`OIDC_ROLE_MAPPING_FILE ${file} cannot be read: ${(err as Error).message}`);
  }
  const parsed = mappingFile.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StartupError(`OIDC_ROLE_MAPPING_FILE ${file}: ${issue.path.length ? `\`${issue.path.join('.')}\`: ` : ''}${issue.message}`);
  }
  const known = new Set(policyRoles);
  const unknown = Object.entries(parsed.data).flatMap(([value, roles]) => roles.filter((r) => !known.has(r)).map((role) => `\`${value}\` maps to role \`${role}\``));
  if (unknown.length) {
    throw new StartupError(`OIDC_ROLE_MAPPING_FILE ${file}: ${unknown.join('; ')}, which the policy set does not declare (policies/roles.yaml declares: ${policyRoles.join(', ')})`);
  }
  return new Map(Object.entries(parsed.data));
}

/** What a verified token says about its bearer. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  principalId: string;
  name: string;
  roles: string[];
  /** The `email` claim, where notifications go unless the person chose another address. */
  email?: string;
}

export interface OidcSettings {
  issuer: string;
  audience: string;
  rolesClaim: string;
  principalClaim: string;
  mapping: RoleMapping;
  jwksCooldownSeconds: number;
}

/** Verifies access tokens against the issuer's keys, found through OpenID discovery and cached by jose. */
export class OidcVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  async verify(token: string): Promise<OidcIdentity> {
    const { issuer, audience } = this.settings;
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch {
      throw new GovflowError('Unauthenticated', 'the token is not a well-formed JWT access token');
    }
    // Checked before any key lookup, so another issuer's token is named as such (not as an unknown key) and
    // never makes the API refetch its issuer's keys. jwtVerify checks `iss` again on the verified payload.
    if (claims.iss !== issuer) throw new GovflowError('Unauthenticated', `the token is from another issuer (\`iss\` ${JSON.stringify(claims.iss ?? null)}; this API trusts ${issuer})`);
    try {
      ({ payload: claims } = await jwtVerify(token, await this.jwks(), { issuer, audience, clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['sub', 'exp'] }));
    } catch (err) {
      throw this.explain(err);
    }
    return this.identity(claims);
  }

  private jwks(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.discover().catch((err: unknown) => {
      this.keys = undefined; // the provider may be back at the next request
      throw err;
    });
    return this.keys;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    const { issuer, jwksCooldownSeconds } = this.settings;
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const doc = await fetch(url, { signal: AbortSignal.timeout(5000) })
      .then(async (res) => (res.ok ? ((await res.json()) as { issuer?: unknown; jwks_uri?: unknown }) : Promise.reject(new Error(`HTTP ${res.status}`))))
      .catch((err: Error) => {
        throw new GovflowError('Unavailable', `the identity provider's discovery document ${url} cannot be read: ${err.message}`);
      });
    // OpenID Connect Discovery 1.0 §4.3: the document must name exactly the issuer it was fetched for.
    if (doc.issuer !== issuer) throw new GovflowError('Unavailable', `the discovery document ${url} names issuer ${JSON.stringify(doc.issuer)}, not OIDC_ISSUER_URL ${issuer}`);
    if (typeof doc.jwks_uri !== 'string') throw new GovflowError('Unavailable', `the discovery document ${url} has no jwks_uri`);
    return createRemoteJWKSet(new URL(doc.jwks_uri), { cooldownDuration: jwksCooldownSeconds * 1000 });
  }

  private explain(err: unknown): Error {
    const { issuer, audience } = this.settings;
    if (err instanceof GovflowError) return err;
    if (err instanceof errors.JWTExpired) return new GovflowError('Unauthenticated', 'the token has expired (`exp` is in the past)');
    if (err instanceof errors.JWTClaimValidationFailed) {
      if (err.claim === 'aud') return new GovflowError('Unauthenticated', `the token is for another audience (\`aud\` must include ${audience})`);
      if (err.claim === 'iss') return new GovflowError('Unauthenticated', `the token is from another issuer (this API trusts ${issuer})`);
      return new GovflowError('Unauthenticated', `the token's \`${err.claim}\` claim is not acceptable: ${err.reason}`);
    }
    if (err instanceof errors.JWKSNoMatchingKey) return new GovflowError('Unauthenticated', `unknown signing key: the token's \`kid\` is not among the issuer's keys (${issuer})`);
    if (err instanceof errors.JWSSignatureVerificationFailed) return new GovflowError('Unauthenticated', "the token's signature does not verify with the issuer's key");
    if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || err instanceof TypeError || (err instanceof errors.JOSEError && err.code === 'ERR_JOSE_GENERIC')) {
      return new GovflowError('Unavailable', `the identity provider's keys cannot be fetched: ${(err as Error).message}`);
    }
    if (err instanceof errors.JOSEError) return new GovflowError('Unauthenticated', `the token is not a valid JWT access token: ${err.message}`);
    return err as Error;
  }

  private identity(claims: JWTPayload): OidcIdentity {
    const { issuer, rolesClaim, principalClaim, mapping } = this.settings;
    const principalId = [principalClaim, 'email', 'sub'].map((c) => claims[c]).find((v): v is string => typeof v === 'string' && v.length > 0)!;
    const values = claimAt(claims, rolesClaim);
    const granted = (Array.isArray(values) ? values : [values]).flatMap((v) => (typeof v === 'string' ? (mapping.get(v) ?? []) : []));
    return {
      issuer,
      subject: claims.sub!,
      principalId,
      name: typeof claims.name === 'string' && claims.name ? claims.name : principalId,
      roles: [...new Set(granted)].sort(),
      ...(typeof claims.email === 'string' && claims.email ? { email: claims.email } : {}),
    };
  }
}

/** A claim by dotted path (`realm_access.roles`), or a top-level claim whose name has dots (some providers use URLs). */
function claimAt(claims: JWTPayload, path: string): unknown {
  if (path in claims) return claims[path];
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), claims);
}

/**
 * The principal for a verified identity: found by issuer and subject, created on first sight, its name and roles
 * following the token. A deactivated principal is refused, whatever its token says.
 */
export async function principalForIdentity(db: Db, identity: OidcIdentity): Promise<Actor> {
  const { issuer, subject, principalId, name, roles } = identity;
  const email = identity.email ?? null;
  let principal = await db.principal.findUnique({ where: { issuer_subject: { issuer, subject } } });
  if (!principal) {
    const taken = await db.principal.findUnique({ where: { id: principalId } });
    // Linking by name alone would let whoever controls a username at the provider act as an existing local principal.
    if (taken) throw new GovflowError('Forbidden', `the principal \`${principalId}\` already exists and is not linked to this identity (issuer ${issuer}, subject ${subject}); choose another OIDC_PRINCIPAL_CLAIM or remove the local principal`);
    principal = await db.principal
      .create({ data: { id: principalId, name, kind: 'person', roles, issuer, subject, email } })
      .catch(async (err: { code?: string }) => {
        // A concurrent first request created it: use that row.
        if (err.code !== 'P2002') throw err;
        return db.principal.findUniqueOrThrow({ where: { issuer_subject: { issuer, subject } } });
      });
  }
  if (principal.disabled) throw new GovflowError('Forbidden', `the principal \`${principal.id}\` is deactivated; its identity provider's token is refused`);
  if (principal.name !== name || principal.roles.join(',') !== roles.join(',') || principal.email !== email) {
    principal = await db.principal.update({ where: { id: principal.id }, data: { name, roles, email } });
  }
  return { id: principal.id, kind: 'person', roles: principal.roles, identity: { issuer, subject } };
}

/** The access-token verifier for OIDC_ISSUER_URL (undefined when unset); the mapping is checked against the policy's roles here, at start-up. */
export function createOidcVerifier({ config, policies }: Pick<ApiDeps, 'config' | 'policies'>): OidcVerifier | undefined {
  if (!config.OIDC_ISSUER_URL) return undefined;
  return new OidcVerifier({
    issuer: config.OIDC_ISSUER_URL,
    audience: config.OIDC_AUDIENCE!,
    rolesClaim: config.OIDC_ROLES_CLAIM,
    principalClaim: config.OIDC_PRINCIPAL_CLAIM,
    mapping: loadRoleMapping(config.OIDC_ROLE_MAPPING_FILE!, policies.current.roles),
    jwksCooldownSeconds: config.OIDC_JWKS_COOLDOWN_SECONDS,
  });
}

/** The OIDC part of authentication, when OIDC_ISSUER_URL is set. The web app's sign-in shares the verifier. */
export function createOidcAuthenticator({ db }: Pick<ApiDeps, 'db'>, verifier: OidcVerifier | undefined): ((token: string) => Promise<Actor>) | undefined {
  return verifier && (async (token) => principalForIdentity(db, await verifier.verify(token)));
}
