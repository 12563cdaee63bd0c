import { GovflowError } from '../domain/errors.js';
import type { Db } from '../platform/database.js';

/**
 * A process that names a person for a role (a sponsor, an engagement lead) must name an active principal who
 * holds it: otherwise nobody could ever act on the process's behalf. Answers 400 naming the field.
 */
export async function requirePrincipalWithRole(db: Db, id: string, role: string, path: string): Promise<void> {
  const principal = await db.principal.findUnique({ where: { id }, select: { disabled: true, roles: true } });
  if (!principal || principal.disabled || !principal.roles.includes(role)) {
    throw new GovflowError('ValidationError', `${id} is not an active ${role.replace(/_/g, ' ')}`, [{ path, message: `must name an active principal holding ${role}` }]);
  }
}

/** The same for people named without a role (participants, a facilitator): each must be an active principal. */
export async function requireActivePrincipals(db: Db, named: { id: string; path: string }[]): Promise<void> {
  const found = await db.principal.findMany({ where: { id: { in: named.map((n) => n.id) }, disabled: false }, select: { id: true } });
  const active = new Set(found.map((p) => p.id));
  const fields = named.filter((n) => !active.has(n.id)).map((n) => ({ path: n.path, message: `${n.id} is not an active principal` }));
  if (fields.length) throw new GovflowError('ValidationError', 'everyone a process names must be an active principal', fields);
}
