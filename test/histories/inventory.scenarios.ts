import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { accessFor } from '../../domain/policy/access.js';
import type { PolicySet } from '../../domain/policy/types.js';
import { incidentPolicies } from '../../api/routes/incidents.js';
import { addRiskUpdate, feedbackUpdate, measurementUpdate, retireUpdate, type AiSystemState } from '../../workflows/ai-system/contract.js';
import { stateQuery } from '../../workflows/contracts/common.js';
import { boardVoteUpdate, type EthicalReviewState } from '../../workflows/ethical-review/contract.js';
import { authorityReportUpdate, closeIncidentUpdate, findingsUpdate, triageUpdate, type IncidentInput } from '../../workflows/incident/contract.js';
import { completeReviewUpdate, type MonitoringReviewInput } from '../../workflows/monitoring-review/contract.js';
import { submitEvidenceUpdate, verifyObligationUpdate } from '../../workflows/obligation/contract.js';
import { person, requester } from '../support/actors.js';
import { aiSystemInput, monitor, owner, steward } from '../support/ai-systems.js';
import { boardMembers, ethicalReviewInput } from '../support/ethical-reviews.js';
import { until, type Scenario } from './scenario.js';

/** An ethical review of the system that three board members approve, one with a condition (no committee step). */
async function conditionalApproval(env: TestWorkflowEnvironment, taskQueue: string, policy: PolicySet, key: string, aiSystem?: string): Promise<EthicalReviewState> {
  const input = ethicalReviewInput(policy, key, { urgent: true, ...(aiSystem ? { aiSystem } : {}), obligations: policy.aiGovernance.obligations, policy: { ...policy.aiGovernance.ethicalReviewBoard, requiresCommitteeApproval: false } });
  const h = await env.client.workflow.start('ethicalReview', { taskQueue, workflowId: `ethical-review/${key}`, args: [input] });
  const open = await until(() => h.query(stateQuery) as Promise<EthicalReviewState>, (x) => x.stage === 'board_review');
  const findings = Object.fromEntries(open.reviewItems.map((i) => [i, 'satisfactory' as const]));
  for (const [i, actor] of boardMembers.slice(0, 3).entries()) await h.executeUpdate(boardVoteUpdate, { args: [{ actor, ballot: 'approve', findings, ...(i === 0 ? { conditions: ['Quarterly bias audit'] } : {}) }] });
  return (await h.result()) as EthicalReviewState;
}

const chair = person('chris', 'committee_chair');

export const inventoryScenarios: Scenario[] = [
  {
    name: 'ai-system/approved-measured-retired',
    async run(env, taskQueue, policy) {
      const h = await env.client.workflow.start('aiSystem', { taskQueue, workflowId: 'ai-system/REC-SYS-1', args: [aiSystemInput(policy, 'REC-SYS-1')] });
      await conditionalApproval(env, taskQueue, policy, 'REC-SYS-ERB-1', 'REC-SYS-1');
      await until(() => h.query(stateQuery) as Promise<AiSystemState>, (s) => s.stage === 'approved' && s.monitoring.status !== 'pending' && s.links.length === 2);
      await h.executeUpdate(measurementUpdate, { args: [{ actor: monitor, metric: 'accuracy', value: 0.94 }] });
      await h.executeUpdate(measurementUpdate, { args: [{ actor: monitor, metric: 'records_outside_purpose', value: 2 }] });
      await h.executeUpdate(addRiskUpdate, { args: [{ actor: steward, title: 'Proxy discrimination', description: 'postcode', owner: owner.id, likelihood: 'possible', impact: 'major', mitigation: 'drop it', residualLikelihood: 'unlikely', residualImpact: 'major' }] });
      await h.executeUpdate(feedbackUpdate, { args: [{ actor: owner, from: 'Works council', summary: 'more rejections over 50' }] });
      await env.sleep('84 days'); // the obligation goes overdue, the risks come due for review
      await until(() => h.query(stateQuery) as Promise<AiSystemState>, (s) => s.events.some((e) => e.action === 'risk_review_due'));
      await h.executeUpdate(retireUpdate, { args: [{ actor: steward, reason: 'replaced' }] });
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'monitoring-review/overdue-then-completed',
    async run(env, taskQueue, policy) {
      const input: MonitoringReviewInput = { businessKey: 'REC-SYS-2.quarterly_compliance_assessment', title: 'Quarterly compliance assessment', requester: { id: 'govflow', kind: 'agent', roles: [] }, policyVersion: policy.version.id, aiSystem: 'REC-SYS-2', review: 'quarterly_compliance_assessment', owner: owner.id, policy: policy.aiGovernance.aiSystems.monitoringReviews };
      const h = await env.client.workflow.start('monitoringReview', { taskQueue, workflowId: 'monitoring-review/REC-SYS-2.quarterly_compliance_assessment-2026-12-01T09:00:00Z', args: [input] });
      await env.sleep('31 days');
      await h.executeUpdate(completeReviewUpdate, { args: [{ actor: owner, summary: 'late but fine', findings: [], evidence: ['https://dash.example.com/q4'], actionRequired: false }] });
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'incident/serious-reported-closed',
    async run(env, taskQueue, policy) {
      const input: IncidentInput = { businessKey: 'REC-INC-1', title: 'Recorded serious incident', description: 'Denials spiked for one postcode', awareAt: new Date(await env.currentTimeMs()).toISOString(), requester, policyVersion: policy.version.id, policy: incidentPolicies(policy), access: accessFor(policy, 'incident') };
      const h = await env.client.workflow.start('incident', { taskQueue, workflowId: 'incident/REC-INC-1', args: [input] });
      await h.executeUpdate(triageUpdate, { args: [{ actor: chair, serious: true, categories: ['widespread_infringement'], justification: 'fundamental rights of many applicants' }] });
      await env.sleep('2 days'); // the reminder and the escalation of the 2-day limit
      await h.executeUpdate(authorityReportUpdate, { args: [{ actor: chair, authority: 'Market surveillance authority', reference: 'MSA-2026-1' }] });
      await h.executeUpdate(findingsUpdate, { args: [{ actor: chair, rootCause: 'a feature leaked', correctiveActions: [{ action: 'retrain', owner: owner.id, dueDate: '2027-01-31' }] }] });
      await h.executeUpdate(closeIncidentUpdate, { args: [{ actor: chair, summary: 'retrained and reported' }] });
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'obligation/overdue-then-fulfilled',
    async run(env, taskQueue, policy) {
      const review = await conditionalApproval(env, taskQueue, policy, 'REC-OBL-ERB-1');
      const h = env.client.workflow.getHandle(review.obligations![0]!);
      await until(() => h.query(stateQuery).catch(() => null), (s) => s !== null);
      await env.sleep('31 days');
      await h.executeUpdate(submitEvidenceUpdate, { args: [{ actor: requester, evidence: ['https://audit.example.com/q1'] }] });
      await h.executeUpdate(verifyObligationUpdate, { args: [{ actor: boardMembers[3]!, accept: true }] });
      await h.result();
      return h.workflowId;
    },
  },
];
