import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PolicySet } from '../../domain/policy/types.js';
import type { Scenario } from './scenario.js';
import { deliverUpdate, renewUpdate, terminateUpdate, type CtoEngagementInput } from '../../workflows/cto-engagement/contract.js';
import { person } from '../support/actors.js';

const sponsor = person('carla', 'requester', 'executive_sponsor');
const lead = person('lena', 'engagement_lead');

async function startEngagement(env: TestWorkflowEnvironment, taskQueue: string, policy: PolicySet, key: string, extra: Partial<CtoEngagementInput>) {
  const input: CtoEngagementInput = {
    businessKey: key,
    title: `Recorded engagement ${key}`,
    clientOrg: 'Acme Logistics',
    engagementType: 'project_cto',
    termMonths: 3,
    requester: sponsor,
    engagementLead: lead.id,
    policyVersion: policy.version.id,
    policy: policy.ctoServiceModel,
    ...extra,
  };
  return env.client.workflow.start('ctoEngagement', { taskQueue, workflowId: `cto-engagement/${key}`, args: [input] });
}

export const ctoEngagementScenarios: Scenario[] = [
  {
    // A term in calendar months (patched: term-in-calendar-months), renewed by one, to its end.
    name: 'cto-engagement/calendar-month-term',
    async run(env, taskQueue, policy) {
      const h = await startEngagement(env, taskQueue, policy, 'REC-CTO-4', { continueAsNewAfterDays: 365 });
      await env.sleep('65 days'); // the end reminder fires
      await h.executeUpdate(renewUpdate, { args: [{ actor: sponsor, months: 1, reason: 'phase two' }] });
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'cto-engagement/renewed-then-completed',
    async run(env, taskQueue, policy) {
      // One run from start to end (no continue-as-new), so the whole lifecycle is in the recorded history.
      const h = await startEngagement(env, taskQueue, policy, 'REC-CTO-1', { continueAsNewAfterDays: 365 });
      await h.executeUpdate(deliverUpdate, { args: [{ actor: lead, deliverable: 'technical_decisions', documentRef: 'https://docs.example.com/adr' }] });
      await env.sleep('65 days'); // the end reminder fires
      await h.executeUpdate(renewUpdate, { args: [{ actor: sponsor, months: 1, reason: 'phase two' }] });
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'cto-engagement/terminated',
    async run(env, taskQueue, policy) {
      const h = await startEngagement(env, taskQueue, policy, 'REC-CTO-2', { engagementType: 'interim_cto', termMonths: 6 });
      await h.executeUpdate(deliverUpdate, { args: [{ actor: lead, deliverable: 'strategy', documentRef: 'https://docs.example.com/strategy' }] });
      await h.executeUpdate(terminateUpdate, { args: [{ actor: sponsor, reason: 'budget cut' }] });
      await h.result();
      return h.workflowId;
    },
  },
  {
    // The history of the run after continue-as-new: it starts from the carried state.
    name: 'cto-engagement/continued-as-new',
    async run(env, taskQueue, policy) {
      const h = await startEngagement(env, taskQueue, policy, 'REC-CTO-3', { termMonths: 6, continueAsNewAfterDays: 5 });
      await h.executeUpdate(deliverUpdate, { args: [{ actor: lead, deliverable: 'project_leadership', documentRef: 'https://docs.example.com/plan' }] });
      await env.sleep('6 days');
      await h.executeUpdate(deliverUpdate, { args: [{ actor: lead, deliverable: 'technical_decisions', documentRef: 'https://docs.example.com/adr' }] });
      await h.executeUpdate(terminateUpdate, { args: [{ actor: sponsor, reason: 'goals met early' }] });
      await h.result();
      return h.workflowId;
    },
  },
];
