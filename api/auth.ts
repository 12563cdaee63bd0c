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
  }
}

/** Bearer-token authentication: resolves the token to a principal and its roles, or answers 401. */
export function authenticate(db: Db): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(new GovflowError('Unauthenticated', 'send an API token as `Authorization: Bearer <token>`'));
    const principal = await findPrincipalByToken(db, match[1]!);
    if (!principal) return next(new GovflowError('Unauthenticated', 'the API token is unknown, revoked or expired'));
    res.locals.actor = actorFor(principal);
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
