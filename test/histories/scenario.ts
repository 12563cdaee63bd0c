import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PolicySet } from '../../domain/policy/types.js';

/**
 * Scenarios whose histories are committed under test/histories/ and replayed by the test suite, so a change to
 * workflow code that would break running processes (non-determinism) fails CI. Record them again with
 * `npx tsx scripts/record-histories.ts` only for a deliberate, versioned change.
 */

export interface Scenario {
  /** File name under test/histories/, e.g. `architecture-review/approved`. */
  name: string;
  run(env: TestWorkflowEnvironment, taskQueue: string, policy: PolicySet): Promise<string>;
}

/** Polls a process until `ready` holds (a child starts, an activity finishes, a signal arrives), in real time. */
export async function until<S>(query: () => Promise<S>, ready: (s: S) => boolean): Promise<S> {
  for (let i = 0; i < 200; i++) {
    const s = await query();
    if (ready(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('scenario: the process did not reach the expected state');
}
