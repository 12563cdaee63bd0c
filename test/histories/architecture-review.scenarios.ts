import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PolicySet } from '../../domain/policy/types.js';
import type { Scenario } from './scenario.js';
import { pinnedAccess } from '../../domain/policy/access.js';
import { resubmitUpdate, reviewVoteUpdate } from '../../workflows/architecture-review/contract.js';
import { extendDeadlineUpdate, withdrawUpdate } from '../../workflows/contracts/common.js';
import { isoDateOfDay } from '../../domain/engines/calendar.js';
import { requester, reviewers, techLead } from '../support/actors.js';
import { architectureReviewInput, rulingsFor } from '../support/reviews.js';

async function startReview(env: TestWorkflowEnvironment, taskQueue: string, policy: PolicySet, key: string) {
  const input = architectureReviewInput(policy, key, { title: `Recorded review ${key}`, systemDescription: 'recorded scenario' });
  return env.client.workflow.start('architectureReview', { taskQueue, workflowId: `architecture-review/${key}`, args: [input] });
}

const rulings = rulingsFor;

export const architectureReviewScenarios: Scenario[] = [
  {
    // Reminder, escalation and breach in working time of a pinned calendar (a holiday three days after the start).
    name: 'architecture-review/sla-breached-in-working-time',
    async run(env, taskQueue, policy) {
      const today = Math.floor((await env.currentTimeMs()) / 86_400_000);
      const calendar = { ...policy.calendars!.calendars[0]!, holidays: [{ date: isoDateOfDay(today + 3), name: 'a public holiday' }] };
      const { reminderAfterDays: _r, escalateAfterDays: _e, slaBreachAfterDays: _s, ...rest } = policy.architectureReview.escalation;
      const escalation = {
        ...rest,
        reminderAfter: { duration: 'PT4H', time: 'working' as const },
        escalateAfter: { duration: 'P2D', time: 'working' as const },
        slaBreachAfter: { duration: 'P5D', time: 'working' as const },
        calendar,
      };
      const input = architectureReviewInput(policy, 'REC-6', { title: 'Recorded review REC-6', systemDescription: 'recorded scenario', policy: { ...policy.architectureReview, escalation } });
      const h = await env.client.workflow.start('architectureReview', { taskQueue, workflowId: 'architecture-review/REC-6', args: [input] });
      await h.executeUpdate(extendDeadlineUpdate, { args: [{ actor: requester, days: 1, reason: 'holidays' }] });
      await h.result();
      return h.workflowId;
    },
  },
  {
    // Access pinned at start; the deciding vote answers after the round's outcome (changes requested).
    name: 'architecture-review/access-pinned-changes-requested',
    async run(env, taskQueue, policy) {
      const input = architectureReviewInput(policy, 'REC-5', { title: 'Recorded review REC-5', systemDescription: 'recorded scenario', access: pinnedAccess(policy, 'architecture_review') });
      const h = await env.client.workflow.start('architectureReview', { taskQueue, workflowId: 'architecture-review/REC-5', args: [input] });
      for (const [role, actor] of Object.entries(reviewers)) {
        const r = role === 'domain_expert' ? rulings(policy, 'approve', { scalability_validation: 'request_changes' }) : rulings(policy, 'approve');
        await h.executeUpdate(reviewVoteUpdate, { args: [{ actor, role, rulings: r, justification: 'recorded' }] });
      }
      await h.executeUpdate(resubmitUpdate, { args: [{ actor: requester, changes: 'capacity model added' }] });
      for (const [role, actor] of Object.entries(reviewers)) {
        await h.executeUpdate(reviewVoteUpdate, { args: [{ actor, role, rulings: rulings(policy, 'approve') }] });
      }
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'architecture-review/approved-after-resubmission',
    async run(env, taskQueue, policy) {
      const h = await startReview(env, taskQueue, policy, 'REC-1');
      for (const [role, actor] of Object.entries(reviewers)) {
        const r = role === 'domain_expert' ? rulings(policy, 'approve', { scalability_validation: 'request_changes' }) : rulings(policy, 'approve');
        await h.executeUpdate(reviewVoteUpdate, { args: [{ actor, role, rulings: r, justification: 'recorded' }] });
      }
      await env.sleep('4 days'); // a reminder to the requester fires
      await h.executeUpdate(resubmitUpdate, { args: [{ actor: requester, changes: 'capacity model added' }] });
      await h.executeUpdate(extendDeadlineUpdate, { args: [{ actor: requester, days: 3, reason: 'holidays' }] });
      for (const [role, actor] of Object.entries(reviewers)) {
        await h.executeUpdate(reviewVoteUpdate, { args: [{ actor, role, rulings: rulings(policy, 'approve') }] });
      }
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'architecture-review/sla-breached',
    async run(env, taskQueue, policy) {
      const h = await startReview(env, taskQueue, policy, 'REC-2');
      await h.executeUpdate(reviewVoteUpdate, { args: [{ actor: techLead, role: 'technical_lead', rulings: rulings(policy, 'approve') }] });
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'architecture-review/withdrawn',
    async run(env, taskQueue, policy) {
      const h = await startReview(env, taskQueue, policy, 'REC-3');
      await h.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'superseded' }] });
      await h.result();
      return h.workflowId;
    },
  },
];
