import type { PolicySet } from '../../domain/policy/types.js';
import { authorityReportUpdate, closeIncidentUpdate, findingsUpdate, triageUpdate, type IncidentInput } from '../../workflows/incident/contract.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { authorityReportBody, closeIncidentBody, findingsBody, startIncidentBody, triageBody } from '../schemas/incident.js';

/** The policy an incident pins, whoever reports it (a person, an agent, a system's monitor). */
export function incidentPolicies(policy: PolicySet): IncidentInput['policy'] {
  return { incidents: policy.aiGovernance.incidents, categories: policy.catalogues.euAiAct.seriousIncidents.categories };
}

export function registerIncidentRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  const categories = deps.policies.current.catalogues.euAiAct.seriousIncidents.categories.map((c) => c.key) as [string, ...string[]];
  registerProcessRoutes(registry, deps, {
    kind: 'incident',
    path: '/incidents',
    tag: 'Incidents',
    workflowType: 'incident',
    startBody: startIncidentBody,
    delegation: false,
    buildInput: (body, actor, policy): IncidentInput => ({
      ...body,
      awareAt: body.awareAt ?? new Date().toISOString(),
      requester: actor,
      policyVersion: policy.version.id,
      policy: incidentPolicies(policy),
    }),
    actions: [
      action({ name: 'triage', summary: 'Triage: serious (Art. 3(49)) or not, and under which categories', body: triageBody(categories), update: triageUpdate, toRequest: withActor }),
      action({ name: 'authority-report', summary: 'Record the report to the market surveillance authority (Art. 73)', body: authorityReportBody, update: authorityReportUpdate, toRequest: withActor }),
      action({ name: 'findings', summary: "Record the investigation's root cause and corrective actions", body: findingsBody, update: findingsUpdate, toRequest: withActor }),
      action({ name: 'close', summary: 'Close the incident with a summary', body: closeIncidentBody, update: closeIncidentUpdate, toRequest: withActor }),
    ],
  });
}
