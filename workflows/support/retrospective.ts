import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { startChild } from '@temporalio/workflow';
import { workflowIdFor } from '../contracts/common.js';
import type { RetrospectiveInput } from '../retrospective/contract.js';
import { retrospective } from '../retrospective/workflow.js';

/**
 * Starts the retrospective of a process that has just ended, as a child that outlives it (it tracks follow-up
 * actions for weeks after). If someone already started it by hand, the process links to that one instead.
 */
export async function startRetrospective(input: RetrospectiveInput): Promise<{ workflowId: string; linked: boolean }> {
  const workflowId = workflowIdFor('retrospective', input.businessKey);
  try {
    await startChild(retrospective, { workflowId, parentClosePolicy: 'ABANDON', args: [input] });
    return { workflowId, linked: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { workflowId, linked: true };
  }
}
