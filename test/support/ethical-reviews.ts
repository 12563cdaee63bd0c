import type { PolicySet } from '../../domain/policy/types.js';
import { aiCompliancePolicyOf } from '../../domain/engines/ai-compliance.js';
import type { EthicalReviewInput } from '../../workflows/ethical-review/contract.js';
import { person, requester } from './actors.js';

/** Members of the ethical review board (four seats in the default policy). */
export const boardMembers = [
  person('aria', 'ai_ethics_specialist'),
  person('cam', 'community_representative'),
  person('tess', 'technical_specialist'),
  person('eli', 'ethics_board_member'),
];

/**
 * Compliance assessment inputs: a high-risk CV screener (Annex III area 4) deployed by a public body (so Art. 27
 * binds it), the same screener at a private employer (no FRIA), a minimal-risk one, a prohibited one.
 */
const screener = { annexIIIAreas: ['4'], annexISafetyComponent: false, interactsWithNaturalPersons: true, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false };
export const assessments = {
  highRisk: {
    system: 'CV screening assistant',
    assessmentDate: '2026-11-24',
    intake: { ...screener, deployerType: 'public_body' },
    evidence: [{ item: 'human_oversight_implemented', implementation: 'implemented', references: ['DOC-7'] }],
    owners: { default: 'ai-governance@example.com' },
  },
  highRiskPrivateEmployer: {
    system: 'CV screening assistant',
    assessmentDate: '2026-11-24',
    intake: screener,
    evidence: [{ item: 'human_oversight_implemented', implementation: 'implemented', references: ['DOC-7'] }],
    owners: { default: 'ai-governance@example.com' },
  },
  minimal: {
    system: 'Spare-parts demand forecast',
    assessmentDate: '2026-11-24',
    intake: { annexIIIAreas: [], annexISafetyComponent: false, interactsWithNaturalPersons: false, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false },
    evidence: [],
    owners: { default: 'ops@example.com' },
  },
  prohibited: {
    system: 'Citizen trust score',
    assessmentDate: '2026-11-24',
    intake: { prohibitedPractices: ['social_scoring'], annexIIIAreas: [], annexISafetyComponent: false, interactsWithNaturalPersons: true, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false },
    evidence: [],
    owners: { default: 'ops@example.com' },
  },
};

/** An ethical review's workflow input under the given policy set, as the API would build it. */
export function ethicalReviewInput(policy: PolicySet, businessKey: string, overrides: Partial<EthicalReviewInput> = {}): EthicalReviewInput {
  return {
    businessKey,
    title: `Ethical review ${businessKey}`,
    trigger: 'new_ai_model_deployment',
    systemDescription: 'An AI system under review',
    evidence: [],
    assessment: assessments.highRisk,
    requester,
    policyVersion: policy.version.id,
    policy: policy.aiGovernance.ethicalReviewBoard,
    compliancePolicy: aiCompliancePolicyOf(policy),
    committeePolicy: policy.aiGovernance.committee,
    ...overrides,
  };
}
