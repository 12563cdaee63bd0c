import { randomBytes, timingSafeEqual } from 'node:crypto';
import { GovflowError } from '../domain/errors.js';
import type { Db } from '../platform/database.js';
import { hashToken } from '../platform/principals.js';
import { actorFor } from '../api/auth.js';
import type { Actor } from '../workflows/contracts/common.js';

/*
 * Web sign-in: a one-time link opens a session; the cookie holds only the session token, whose hash is stored.
 * Any sign-in method (a login link now, an OIDC login later) ends in `openSession`, so a session always resolves
 * to the same Actor the bearer-token path produces.
 */

export const LOGIN_LINK_TTL_MS = 15 * 60_000;
export const SESSION_TTL_MS = 12 * 60 * 60_000;

const secret = () => randomBytes(32).toString('base64url');

/** Issues a single-use sign-in link for an active principal; answers the path to open (the token is in it). */
export async function issueLoginLink(db: Db, principalId: string, by: string, now = new Date()): Promise<{ path: string; expiresAt: Date }> {
  const principal = await db.principal.findUnique({ where: { id: principalId } });
  if (!principal) throw new GovflowError('NotFound', `no principal ${principalId}`);
  if (principal.disabled) throw new GovflowError('Conflict', `principal ${principalId} is deactivated`);
  const token = secret();
  const expiresAt = new Date(now.getTime() + LOGIN_LINK_TTL_MS);
  await db.loginLink.create({ data: { principalId, tokenHash: hashToken(token), createdBy: by, expiresAt } });
  return { path: `/app/login/${token}`, expiresAt };
}

export interface WebSession {
  id: string;
  actor: Actor;
  csrfToken: string;
}

/** Redeems a link once (a concurrent second use loses the conditional update) and opens a session. */
export async function redeemLoginLink(db: Db, token: string): Promise<{ token: string; session: WebSession } | null> {
  const now = new Date();
  const used = await db.loginLink.updateManyAndReturn({
    where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (used.length !== 1) return null;
  return openSession(db, used[0]!.principalId, 'login_link');
}

export async function openSession(db: Db, principalId: string, method: 'login_link' | 'oidc'): Promise<{ token: string; session: WebSession } | null> {
  const principal = await db.principal.findUnique({ where: { id: principalId } });
  if (!principal || principal.disabled) return null;
  const token = secret();
  const row = await db.webSession.create({
    data: { principalId, tokenHash: hashToken(token), csrfToken: secret(), method, expiresAt: new Date(Date.now() + SESSION_TTL_MS) },
  });
  return { token, session: { id: row.id, actor: actorFor(principal), csrfToken: row.csrfToken } };
}

/** The live session for a cookie token: unexpired, not signed out, its principal still active (read every request). */
export async function resolveSession(db: Db, token: string): Promise<WebSession | null> {
  const row = await db.webSession.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt || row.expiresAt <= new Date()) return null;
  const principal = await db.principal.findUnique({ where: { id: row.principalId } });
  if (!principal || principal.disabled) return null;
  return { id: row.id, actor: actorFor(principal), csrfToken: row.csrfToken };
}

export async function endSession(db: Db, id: string): Promise<void> {
  await db.webSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}

export function csrfMatches(session: WebSession, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
