import { GovflowError } from '../../domain/errors.js';
import { accessFor, PERMISSION_SCOPES } from '../../domain/policy/access.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';

export function registerPolicyRoutes(registry: RouteRegistry, { policies }: ApiDeps): void {
  registry.add({
    method: 'get',
    path: '/policies',
    summary: 'The policy set new processes pin now, and every version a process has pinned',
    tag: 'Policies',
    roles: [],
    handler: async () => ({ current: policies.current, pinnedVersions: await policies.versions() }),
  });

  registry.add({
    method: 'get',
    path: '/policies/current/roles',
    summary: 'The roles of the current policy, who may start each process and take each action, and the segregation of duties',
    tag: 'Policies',
    roles: [],
    handler: () => {
      const p = policies.current;
      return {
        policyVersion: p.version.id,
        roles: p.roles,
        permissions: Object.fromEntries(PERMISSION_SCOPES.map((scope) => [scope, accessFor(p, scope).permissions])),
        segregationOfDuties: p.access.segregationOfDuties,
        agents: p.access.agents,
      };
    },
  });

  registry.add({
    method: 'get',
    path: '/policies/:version',
    summary: 'A policy set by version ID (e.g. 1.0.0+3f2a9c1b7d4e), as pinned by processes',
    tag: 'Policies',
    roles: [],
    handler: async ({ params }) => {
      const set = await policies.get(params.version!);
      if (!set) throw new GovflowError('NotFound', `no policy version ${params.version}`);
      return set;
    },
  });
}
