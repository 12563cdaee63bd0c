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
