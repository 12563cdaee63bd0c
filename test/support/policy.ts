import { defaultPolicyDir, loadPolicySet } from '../../domain/policy/load.js';
import type { PolicySet } from '../../domain/policy/types.js';

let cached: Promise<PolicySet> | undefined;

/** The default policy set shipped in policies/, loaded and validated like the API does. */
export function defaultPolicy(): Promise<PolicySet> {
  cached ??= loadPolicySet(defaultPolicyDir());
  return cached;
}
