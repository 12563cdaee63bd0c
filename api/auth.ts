import type { RequestHandler } from 'express';
import { GovflowError } from '../domain/errors.js';
import type { Db } from '../platform/database.js';
import { findPrincipalByToken } from '../platform/principals.js';
import type { Actor } from '../workflows/contracts/common.js';

declare module 'express-serve-static-core' {
  interface Locals {
    requestId: string;
    actor?: Actor;
    /** Per-principal hash of the request's Idempotency-Key, when one was sent. */
    idempotencyKey?: string;
    /** The people the caller stands in for (out of office), when authentication read them with the token. */
    covered?: string[];
  }
}

// header.payload.signature, base64url: an identity provider's access token (govflow's own are `gf_…`).
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Bearer-token authentication: resolves the token to a principal and its roles, or answers 401. With `oidc`
 * (OIDC_ISSUER_URL set), a JWT is verified against the identity provider instead of the API token table.
 */
export function authenticate(db: Db, oidc?: (token: string) => Promise<Actor>): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(new GovflowError('Unauthenticated', 'send an API token as `Authorization: Bearer <token>`'));
    if (oidc && JWT_SHAPE.test(match[1]!)) {
      res.locals.actor = await oidc(match[1]!);
      return next();
    }
    const principal = await findPrincipalByToken(db, match[1]!);
    if (!principal) return next(new GovflowError('Unauthenticated', 'the API token is unknown, revoked or expired'));
    res.locals.actor = actorFor(principal);
    res.locals.covered = principal.covered;
    next();
  };
}

/** The one mapping from a principal to the actor the workflows check and the audit trail records (tokens and web sessions alike). */
export function actorFor(principal: { id: string; kind: string; roles: string[] }): Actor {
  return { id: principal.id, kind: principal.kind === 'agent' ? 'agent' : 'person', roles: principal.roles };
}

/** The authenticated caller; only valid behind `authenticate`. */
export function actorOf(res: { locals: { actor?: Actor } }): Actor {
  if (!res.locals.actor) throw new GovflowError('Unauthenticated', 'not authenticated');
  return res.locals.actor;
}

/** Requires at least one of `roles` (admins pass every check). The workflow checks the role again. */
export function checkRole(actor: Actor, roles: string[]): void {
  if (actor.roles.includes('admin') || roles.some((r) => actor.roles.includes(r))) return;
  throw new GovflowError('Forbidden', `this action needs one of the roles: ${roles.join(', ')}`);
}
