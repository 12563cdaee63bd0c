import { ApplicationFailure } from '@temporalio/workflow';
import type { ErrorCode, ErrorField } from '../../domain/errors.js';

/**
 * Raises a permanent, typed failure: the `type` is govflow's error code, which the API maps to an HTTP status.
 * Thrown from an update validator, it rejects the update and leaves no trace in the workflow's history.
 */
export function refuse(code: ErrorCode, message: string, fields: ErrorField[] = []): never {
  throw ApplicationFailure.create({ type: code, message, nonRetryable: true, details: fields.length ? [fields] : [] });
}
