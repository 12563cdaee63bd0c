import { createHash } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { PolicySet } from '../../domain/policy/types.js';
import type { Scenario } from './scenario.js';
import { extendDeadlineUpdate, withdrawUpdate } from '../../workflows/contracts/common.js';
import { launchChildUpdate, reviewDeliverableUpdate, signOffPhaseUpdate, submitDeliverableUpdate, type RoadmapEngagementInput } from '../../workflows/roadmap-engagement/contract.js';
import { person, requester } from '../support/actors.js';

const sponsor = person('sofia', 'executive_sponsor');
const lead = person('leo', 'engagement_lead');

async function startEngagement(env: TestWorkflowEnvironment, taskQueue: string, policy: PolicySet, key: string) {
  const input: RoadmapEngagementInput = {
    businessKey: key,
    title: `Recorded roadmap ${key}`,
    sponsor: sponsor.id,
    engagementLead: lead.id,
    objectives: ['recorded scenario'],
    requester,
    policyVersion: policy.version.id,
    policy: policy.roadmap,
    childPolicies: {
      architectureReview: policy.architectureReview,
      committee: policy.aiGovernance.committee,
      technologyProposal: policy.technologyProposal,
      strategicInitiative: policy.strategicInitiative,
    },
  };
  return env.client.workflow.start('roadmapEngagement', { taskQueue, workflowId: `roadmap-engagement/${key}`, args: [input] });
}

async function deliver(h: WorkflowHandle, deliverable: string) {
  const contentHash = createHash('sha256').update(deliverable).digest('hex');
  await h.executeUpdate(submitDeliverableUpdate, { args: [{ actor: requester, deliverable, title: deliverable, documentRef: `dms://${deliverable}`, contentHash, author: 'Rita' }] });
  await h.executeUpdate(reviewDeliverableUpdate, { args: [{ actor: lead, deliverable, decision: 'accept' }] });
}

async function completePhase(h: WorkflowHandle, policy: PolicySet, index: number) {
  for (const d of policy.roadmap.phases[index]!.deliverables) await deliver(h, d);
  await h.executeUpdate(signOffPhaseUpdate, { args: [{ actor: lead, role: 'engagement_lead', decision: 'approve' }] });
  await h.executeUpdate(signOffPhaseUpdate, { args: [{ actor: sponsor, role: 'executive_sponsor', decision: 'approve' }] });
}

export const roadmapEngagementScenarios: Scenario[] = [
  {
    // With a retrospective after each phase and after the engagement (recorded after that change).
    name: 'roadmap-engagement/completed-with-retrospectives',
    async run(env, taskQueue, policy) {
      const h = await startEngagement(env, taskQueue, policy, 'REC-RM-3');
      for (const [i, phase] of policy.roadmap.phases.entries()) {
        await completePhase(h, policy, i);
        await env.sleep(`${phase.duration.minDays} days`);
        await env.sleep('1 hour');
      }
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'roadmap-engagement/completed-with-overrun',
    async run(env, taskQueue, policy) {
      const h = await startEngagement(env, taskQueue, policy, 'REC-RM-1');
      const [p1, p2] = policy.roadmap.phases;
      await completePhase(h, policy, 0); // closes at the phase's minimum duration
      await env.sleep(`${p1!.duration.minDays + 1} days`);
      await h.executeUpdate(launchChildUpdate, {
        args: [{ actor: lead, kind: 'architecture_review', businessKey: 'REC-RM-1-ARCH', title: 'Recorded child review', input: { trigger: 'new_system_design', systemDescription: 'recorded' } }],
      });
      await env.sleep(`${p2!.duration.maxDays! + 4} days`); // overrun, escalation, reminder; the child breaches its SLA
      await completePhase(h, policy, 1);
      await env.sleep('1 hour');
      await completePhase(h, policy, 2);
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'roadmap-engagement/withdrawn-after-rejected-sign-off',
    async run(env, taskQueue, policy) {
      const h = await startEngagement(env, taskQueue, policy, 'REC-RM-2');
      const [first, second, ...rest] = policy.roadmap.phases[0]!.deliverables;
      await deliver(h, first!);
      const contentHash = createHash('sha256').update('draft').digest('hex');
      await h.executeUpdate(submitDeliverableUpdate, { args: [{ actor: requester, deliverable: second!, title: 'draft', documentRef: 'dms://draft', contentHash, author: 'Rita' }] });
      await h.executeUpdate(reviewDeliverableUpdate, { args: [{ actor: lead, deliverable: second!, decision: 'send_back', note: 'incomplete' }] });
      await deliver(h, second!);
      for (const d of rest) await deliver(h, d);
      await h.executeUpdate(signOffPhaseUpdate, { args: [{ actor: sponsor, role: 'executive_sponsor', decision: 'reject', justification: 'too shallow', reopen: [first!] }] });
      await h.executeUpdate(extendDeadlineUpdate, { args: [{ actor: sponsor, days: 7, reason: 'rework' }] });
      await env.sleep('3 days');
      await h.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'superseded' }] });
      await h.result();
      return h.workflowId;
    },
  },
];
