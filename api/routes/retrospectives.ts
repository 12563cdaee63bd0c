import {
  addInsightUpdate,
  closeCaptureUpdate,
  completeActionUpdate,
  planDisseminationUpdate,
  synthesiseUpdate,
  type RetrospectiveInput,
} from '../../workflows/retrospective/contract.js';
import { requireActivePrincipals } from '../principal-checks.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { addInsightBody, closeCaptureBody, completeActionBody, planDisseminationBody, startRetrospectiveBody, synthesiseBody } from '../schemas/retrospective.js';

// Actions are open to any authenticated caller: the workflow checks participant, facilitator and owner by ID.
export function registerRetrospectiveRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  registerProcessRoutes(registry, deps, {
    kind: 'retrospective',
    path: '/retrospectives',
    tag: 'Retrospectives',
    workflowType: 'retrospective',
    startBody: startRetrospectiveBody,
    delegation: false,
    buildInput: async (body, actor, policy): Promise<RetrospectiveInput> => {
      // Participants and the facilitator act by name: each must be someone who can sign in.
      await requireActivePrincipals(deps.db, [
        { id: body.facilitator, path: 'facilitator' },
        ...body.participants.map((id, i) => ({ id, path: `participants.${i}` })),
      ]);
      return { ...body, requester: actor, policyVersion: policy.version.id };
    },
    actions: [
      action({ name: 'insights', summary: 'Add an insight (participants, while capturing)', body: addInsightBody, update: addInsightUpdate, toRequest: withActor }),
      action({ name: 'close-capture', summary: 'Close insight capture (facilitator)', body: closeCaptureBody, update: closeCaptureUpdate, toRequest: withActor }),
      action({ name: 'synthesis', summary: 'Synthesise themes and follow-up actions (facilitator)', body: synthesiseBody, update: synthesiseUpdate, toRequest: withActor }),
      action({
        name: 'dissemination-plan',
        summary: 'Plan the dissemination: audiences and channels (facilitator)',
        body: planDisseminationBody,
        update: planDisseminationUpdate,
        toRequest: withActor,
      }),
      action({ name: 'complete-action', summary: 'Complete a follow-up action (its owner)', body: completeActionBody, update: completeActionUpdate, toRequest: withActor }),
    ],
  });
}
