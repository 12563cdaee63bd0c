import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPolicyDir, loadPolicySet } from '../../domain/policy/load.js';
import type { PolicySet } from '../../domain/policy/types.js';

let cached: Promise<PolicySet> | undefined;

/** The default policy set shipped in policies/, loaded and validated like the API does. */
export function defaultPolicy(): Promise<PolicySet> {
  cached ??= loadPolicySet(defaultPolicyDir());
  return cached;
}

/**
 * The EU AI Act catalogue text as it stood before Regulation (EU) 2026/1744: the shipped file without the
 * amendment's act, catalogue version, schedule entries and prohibitions.
 */
export function euAiActBeforeAmendment(): string {
  const text = readFileSync(path.join(defaultPolicyDir(), 'catalogues/eu-ai-act.yaml'), 'utf8');
  const without = text.replace(/ {2}- id: reg_2026_1744\n(?: {4}.*\n){3}/, '').split('\n').filter((line) => !line.includes("'2026.1'")).join('\n');
  if (without.includes('reg_2026_1744') || without.includes("'2026.1'")) throw new Error('the amendment was not removed');
  return without;
}
