import { ApplicationFailure } from '@temporalio/common';
import { GovflowError } from '../domain/errors.js';
import { runEngine, withAsOf, type EngineName } from '../domain/engines/registry.js';
import type { Db } from '../platform/database.js';

export interface EvaluationRequest {
  workflowId: string;
  engine: EngineName;
  subject: string;
  policyVersion: string;
  policy: unknown;
  input: unknown;
}

/**
 * Runs a pure engine and records input and result. Bad input or an unusable policy is permanent: a
 * non-retryable failure typed with govflow's error code, naming the field. The row is keyed by workflow, so a
 * retried activity writes it once.
 */
export async function runRecordedEvaluation(db: Db, req: EvaluationRequest): Promise<unknown> {
  let result: unknown;
  // The pure engine never reads the clock: today's date arrives here, and is recorded with the input.
  const input = withAsOf(req.engine, req.input, new Date().toISOString().slice(0, 10));
  try {
    result = runEngine(req.engine, input, req.policy);
  } catch (err) {
    if (err instanceof GovflowError) throw ApplicationFailure.nonRetryable(err.message, err.code, err.fields);
    throw err;
  }
  await db.evaluation.upsert({
    where: { workflowId: req.workflowId },
    create: {
      id: req.workflowId,
      workflowId: req.workflowId,
      engine: req.engine,
      subject: req.subject,
      input: input as object,
      result: result as object,
      policyVersion: req.policyVersion,
    },
    update: {},
  });
  return result;
}
