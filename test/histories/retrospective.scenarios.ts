import type { Scenario } from './scenario.js';
import {
  addInsightUpdate,
  closeCaptureUpdate,
  completeActionUpdate,
  planDisseminationUpdate,
  synthesiseUpdate,
  type RetrospectiveInput,
} from '../../workflows/retrospective/contract.js';
import { stateQuery, withdrawUpdate } from '../../workflows/contracts/common.js';
import { person } from '../support/actors.js';

const facilitator = person('fiona', 'engagement_lead');
const paul = person('paul', 'technical_lead');
const sponsor = person('carla', 'executive_sponsor');

function input(key: string, policyVersion: string): RetrospectiveInput {
  return { businessKey: key, title: `Recorded retrospective ${key}`, subjectWorkflowId: 'cto-engagement/REC', participants: [paul.id], facilitator: facilitator.id, requester: sponsor, policyVersion };
}

export const retrospectiveScenarios: Scenario[] = [
  {
    name: 'retrospective/completed-after-reminder',
    async run(env, taskQueue, policy) {
      const h = await env.client.workflow.start('retrospective', { taskQueue, workflowId: 'retrospective/REC-RETRO-1', args: [input('REC-RETRO-1', policy.version.id)] });
      await h.executeUpdate(addInsightUpdate, { args: [{ actor: paul, text: 'Demos every week worked', category: 'went_well' }] });
      await h.executeUpdate(closeCaptureUpdate, { args: [{ actor: facilitator }] });
      const { events } = await h.query(stateQuery);
      const due = events.at(-1)!.at.slice(0, 10);
      await h.executeUpdate(synthesiseUpdate, { args: [{ actor: facilitator, themes: [{ title: 'Cadence', summary: 'Keep demos', insightIds: ['I1'] }], actions: [{ title: 'Write it down', owner: paul.id, dueDate: due }] }] });
      await h.executeUpdate(planDisseminationUpdate, { args: [{ actor: facilitator, audiences: ['delivery'], channels: ['wiki'] }] });
      await env.sleep('3 days'); // overdue: the owner is reminded
      await h.executeUpdate(completeActionUpdate, { args: [{ actor: paul, actionId: 'A1' }] });
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'retrospective/capture-deadline-then-withdrawn',
    async run(env, taskQueue, policy) {
      const h = await env.client.workflow.start('retrospective', { taskQueue, workflowId: 'retrospective/REC-RETRO-2', args: [{ ...input('REC-RETRO-2', policy.version.id), captureDays: 2 }] });
      await env.sleep('3 days');
      await h.executeUpdate(withdrawUpdate, { args: [{ actor: facilitator, reason: 'nobody contributed' }] });
      await h.result();
      return h.workflowId;
    },
  },
];
