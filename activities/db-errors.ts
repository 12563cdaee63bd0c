import { ApplicationFailure } from '@temporalio/common';
import { RECORD_DATA_ERROR } from '../workflows/contracts/common.js';

/**
 * SQLSTATE classes no retry can fix: 22 data exception (e.g. 22021/22P05, a NUL byte), 23 integrity constraint,
 * 42 syntax or access rule (a schema out of step with the code). Connection (08), resources (53), operator
 * intervention (57) and transaction rollbacks (40: serialization, deadlock) are retried.
 */
const PERMANENT_SQLSTATE_CLASSES = new Set(['22', '23', '42']);

/** Prisma's own codes for bad data and constraints (P2000 value too long, P2002 unique, P2003 foreign key, …). */
const PERMANENT_PRISMA_CODES = new Set(['P2000', 'P2002', 'P2003', 'P2004', 'P2005', 'P2006', 'P2007', 'P2011', 'P2012', 'P2019', 'P2020', 'P2023']);

function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } };
  const cause = e?.meta?.driverAdapterError?.cause;
  const code = cause?.originalCode ?? cause?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Whether a database error is permanent (bad data, a constraint): retrying the same write cannot succeed. */
export function isPermanentDbError(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return PERMANENT_SQLSTATE_CLASSES.has(state.slice(0, 2));
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && PERMANENT_PRISMA_CODES.has(code);
}

/** One line an operator can act on: the SQLSTATE and the database's message, not Prisma's call-site dump. */
export function describeDbError(err: unknown): string {
  const cause = (err as { meta?: { driverAdapterError?: { cause?: { message?: string; detail?: string } } } })?.meta?.driverAdapterError?.cause;
  const state = sqlState(err);
  const message = cause?.message ? `${cause.message}${cause.detail ? ` (${cause.detail})` : ''}` : ((err as Error)?.message ?? String(err)).split('\n').filter((l) => l.trim()).at(-1) ?? 'unknown error';
  return (state ? `${state}: ${message}` : message).slice(0, 1000);
}

/**
 * Runs a database write for an activity: a permanent error becomes a non-retryable RecordDataError (the workflow
 * records the failure and waits for an operator), anything else is rethrown for Temporal to retry with backoff.
 */
export async function classifyingDbErrors<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isPermanentDbError(err)) throw ApplicationFailure.create({ type: RECORD_DATA_ERROR, message: describeDbError(err), nonRetryable: true });
    throw err;
  }
}
