import { GovflowError } from '../../domain/errors.js';
import { submitEvidenceUpdate, verifyObligationUpdate, type ObligationInput } from '../../workflows/obligation/contract.js';
import { requireActivePrincipals } from '../principal-checks.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { startObligationBody, submitEvidenceBody, verifyObligationBody } from '../schemas/obligation.js';

// Approvals with conditions start their obligations themselves; by hand, the chair records one from elsewhere.
export function registerObligationRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  registerProcessRoutes(registry, deps, {
    kind: 'obligation',
    path: '/obligations',
    tag: 'Obligations',
    workflowType: 'obligation',
    without: ['extend-deadline'],
    startBody: startObligationBody,
    delegation: false,
    buildInput: async (body, actor, policy): Promise<ObligationInput> => {
      await requireActivePrincipals(deps.db, [{ id: body.owner, path: 'owner' }]);
      if (!policy.roles.includes(body.verifierRole)) throw new GovflowError('ValidationError', `unknown role ${body.verifierRole}`, [{ path: 'verifierRole', message: 'not a role of the policy' }]);
      const parent = await deps.db.process.findUnique({ where: { workflowId: body.parentWorkflowId }, select: { workflowId: true, kind: true, title: true } });
      if (!parent) throw new GovflowError('ValidationError', `no process ${body.parentWorkflowId}`, [{ path: 'parentWorkflowId', message: 'no such process' }]);
      const dueAt = new Date(`${body.dueDate}T23:59:59.999Z`);
      if (dueAt.getTime() <= Date.now()) throw new GovflowError('ValidationError', 'the due date has passed', [{ path: 'dueDate', message: 'must be in the future' }]);
      const { reminderBeforeDays, escalateToRole, suspendApprovalWhenOverdue } = policy.aiGovernance.obligations;
      return {
        businessKey: body.businessKey,
        title: body.title,
        condition: body.condition,
        parent,
        owner: body.owner,
        dueAt: dueAt.toISOString(),
        verifierRole: body.verifierRole,
        requester: actor,
        policyVersion: policy.version.id,
        policy: { reminderBeforeDays, escalateToRole, suspendApprovalWhenOverdue },
      };
    },
    actions: [
      action({ name: 'evidence', summary: 'Submit the evidence that fulfils it (its owner)', body: submitEvidenceBody, update: submitEvidenceUpdate, toRequest: withActor }),
      action({ name: 'verification', summary: 'Accept the evidence or send it back with a reason (the verifying role, never the owner)', body: verifyObligationBody, update: verifyObligationUpdate, toRequest: withActor }),
    ],
  });
}
