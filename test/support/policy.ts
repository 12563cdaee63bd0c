import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { aiCompliancePolicyOf, runAiCompliance, type AiComplianceResult } from '../../domain/engines/ai-compliance.js';
import { defaultPolicyDir, loadPolicySet, loadPolicySetFromFiles } from '../../domain/policy/load.js';
import type { Db } from '../../platform/database.js';
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

/** A CV screener (Annex III area 4) assessed as of 2026-12-01, as a govflow on the original catalogue recorded it. */
export async function recordUnderOriginalCatalogue(db: Db, subject = 'CV screening', workflowId = `ai-compliance-assessment/IMPACT-${randomUUID().slice(0, 8)}`): Promise<{ workflowId: string; result: AiComplianceResult; policyVersion: string }> {
  const original = await loadPolicySetFromFiles({ 'catalogues/eu-ai-act.yaml': euAiActBeforeAmendment() }, defaultPolicyDir());
  const input = {
    system: 'CV screening assistant',
    assessmentDate: '2026-06-15',
    asOf: '2026-12-01',
    intake: { annexIIIAreas: ['4'], annexISafetyComponent: false, interactsWithNaturalPersons: true, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false },
    evidence: [],
    owners: { default: 'hr-systems@example.com' },
  };
  const result = runAiCompliance(input, aiCompliancePolicyOf(original));
  await db.evaluation.create({ data: { id: workflowId, workflowId, engine: 'ai_compliance', subject, input, result: result as object, policyVersion: original.version.id } });
  return { workflowId, result, policyVersion: original.version.id };
}
