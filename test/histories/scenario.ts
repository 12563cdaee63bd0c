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
