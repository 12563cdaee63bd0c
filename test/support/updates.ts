import { expect } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { stateQuery, type ProcessReceipt, type ProcessStateBase } from '../../workflows/contracts/common.js';

/**
 * Asserts that an Update was refused by the workflow's validator and answers the refusal: govflow's error code
 * (`type`), its message and the field errors, for the test to check.
 */
export async function refusal(promise: Promise<unknown>): Promise<{ type: string | undefined; message: string; fields: unknown }> {
  const err = await promise.then(
    () => {
      throw new Error('expected the update to be refused');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  const failure = cause as ApplicationFailure;
  return { type: failure.type ?? undefined, message: failure.message, fields: failure.details?.[0] };
}

/**
 * Runs an Update and answers the process's state after it: an Update answers only a receipt (where the process
 * stands), which must agree with the state the query then shows.
 */
export async function actThenState<S extends ProcessStateBase, A extends [unknown, ...unknown[]]>(
  /** Any workflow whose result is the process's state. */
  handle: WorkflowHandle<(...args: any[]) => Promise<S>>,
  update: UpdateDefinition<ProcessReceipt, A>,
  options: { args: A },
): Promise<S> {
  const receipt = await handle.executeUpdate(update, options);
  const state = (await handle.query(stateQuery)) as S;
  expect(receipt).toMatchObject({ workflowId: state.workflowId, kind: state.kind });
  expect(receipt.version).toBeGreaterThan(0);
  return state;
}
