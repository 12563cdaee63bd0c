/**
 * The open processes that wait on a person (the inbox's rule, also the daily digest's): by name where the process
 * names them, by role only where the seat is still open, never their own request (unless it waits on its requester),
 * and not once they have taken their seat; with `covering`, also the named seats of people they deputise for.
 */
export function waitingOnWhere(person: { id: string; roles: string[] }, covering: string[] = []) {
  return {
    completedAt: null,
    outcome: null,
    OR: [
      { pendingActors: { has: person.id } },
      // The seats of those out of office whom the person stands in for.
      ...(covering.length ? [{ pendingActors: { hasSome: covering } }] : []),
      { requester: person.id, pendingRoles: { has: 'requester' } },
      { openRoles: { hasSome: person.roles }, requester: { not: person.id }, NOT: { seatedActors: { has: person.id } } },
    ],
  };
}
