import { expect } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

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
