import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PolicySet } from '../../domain/policy/types.js';
import type { Scenario } from './scenario.js';
import { committeeVoteUpdate, type CommitteeApprovalState } from '../../workflows/committee-approval/contract.js';
import { extendDeadlineUpdate, stateQuery } from '../../workflows/contracts/common.js';
import { completeStageUpdate, gateReviewUpdate, POC_SCALE_UP_WORKFLOW, type PocScaleUpInput, type PocScaleUpState } from '../../workflows/poc-scale-up/contract.js';
import { requester } from '../support/actors.js';
import { committee, gateCriteria, gateReviewer, pocScaleUpInput, sponsor, stageCompletion, teamStages } from '../support/poc-scale-up.js';

async function startPoc(env: TestWorkflowEnvironment, taskQueue: string, policy: PolicySet, key: string, overrides: Partial<PocScaleUpInput> = {}) {
  const input = pocScaleUpInput(policy, key, { title: `Recorded PoC ${key}`, ...overrides });
  return env.client.workflow.start(POC_SCALE_UP_WORKFLOW, { taskQueue, workflowId: `poc-scale-up/${key}`, args: [input] });
}

async function until<T>(fn: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn().catch(() => null);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

export const pocScaleUpScenarios: Scenario[] = [
  {
    // Gate, a reminder and an extension in a stage, every stage, a portfolio warning, the committee child approves.
    name: 'poc-scale-up/scaled-up',
    async run(env, taskQueue, policy) {
      const h = await startPoc(env, taskQueue, policy, 'REC-POC-1', { proposal: { ...pocScaleUpInput(policy, 'x').proposal, bucket: 'transformational' } });
      await h.executeUpdate(gateReviewUpdate, { args: [{ actor: gateReviewer, criteria: gateCriteria(policy) }] });
      for (const [i, stage] of teamStages(policy).entries()) {
        if (i === 1) {
          await env.sleep('8 days'); // a reminder fires in the prototype stage
          await h.executeUpdate(extendDeadlineUpdate, { args: [{ actor: sponsor, days: 10, reason: 'hardware delivery' }] });
        }
        await h.executeUpdate(completeStageUpdate, { args: [stageCompletion(i % 2 ? sponsor : requester, stage)] });
      }
      const s = await until(async () => ((await h.query(stateQuery)) as PocScaleUpState).committeeWorkflowId);
      const child = env.client.workflow.getHandle(s);
      await until(async () => ((await child.query(stateQuery)) as CommitteeApprovalState).stage === 'voting' || null);
      for (const member of committee.slice(0, 3)) await child.executeUpdate(committeeVoteUpdate, { args: [{ actor: member, ballot: 'approve' }] });
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'poc-scale-up/not-selected',
    async run(env, taskQueue, policy) {
      const h = await startPoc(env, taskQueue, policy, 'REC-POC-2');
      await h.executeUpdate(gateReviewUpdate, { args: [{ actor: sponsor, criteria: gateCriteria(policy, ['high_potential_impact']) }] });
      await h.result();
      return h.workflowId;
    },
  },
];
