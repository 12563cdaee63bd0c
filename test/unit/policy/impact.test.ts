import { describe, expect, it } from 'vitest';
import { policyImpact, type RecordedProcess } from '../../../domain/policy/impact.js';
import { defaultPolicyDir, loadPolicySet } from '../../../domain/policy/load.js';
import type { PolicySet } from '../../../domain/policy/types.js';

const open = (kind: string, policyVersion: string): RecordedProcess => ({ workflowId: `${kind}/X`, kind, title: 'X', requester: 'rita', policyVersion, outcome: null, slaDueAt: null, state: {} });

describe('policy impact replay (pure)', () => {
  it('reports a changed decision rule of an open review without flagging it, and a draft that refuses a recorded input as flagged', async () => {
    const current = await loadPolicySet(defaultPolicyDir());
    const draft: PolicySet = structuredClone(current);
    draft.architectureReview.outcome.unanimousRequired = !current.architectureReview.outcome.unanimousRequired;
    draft.catalogues.euAiAct.prohibitedPractices = current.catalogues.euAiAct.prohibitedPractices.filter((p) => p.key !== 'social_scoring');
    const input = {
      system: 's',
      assessmentDate: '2026-06-01',
      intake: { prohibitedPractices: ['social_scoring'], annexIIIAreas: [], annexISafetyComponent: false, interactsWithNaturalPersons: false, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false },
      owners: { default: 'owner@example.com', byDomain: { security_requirements: 'sec@example.com' } },
    };
    const report = policyImpact(
      draft,
      { evaluations: [{ workflowId: 'ai-compliance-assessment/S', engine: 'ai_compliance', subject: 'S', input, result: {}, policyVersion: current.version.id }], processes: [open('architecture_review', current.version.id), open('architecture_review', 'unknown')] },
      (id) => (id === current.version.id ? current : undefined),
      '2026-12-01',
    );
    expect(report.examined).toEqual({ evaluations: 1, processes: 2 });
    expect(report.processes).toEqual([
      expect.objectContaining({ workflowId: 'architecture_review/X', changes: [expect.objectContaining({ kind: 'review_rule', subject: 'outcome.unanimousRequired', flagged: false })] }),
    ]);
    expect(report.evaluations).toEqual([
      expect.objectContaining({ owners: ['owner@example.com', 'sec@example.com'], changes: [expect.objectContaining({ kind: 'refused', after: expect.stringContaining('intake.prohibitedPractices[0]'), flagged: true })] }),
    ]);
    expect(report.flagged).toBe(1);
  });
});
