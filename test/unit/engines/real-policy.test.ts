import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aiCompliancePolicyOf, evaluateAiCompliance } from '../../../domain/engines/ai-compliance.js';
import { evaluateDecisionMatrix, type DecisionMatrixInput } from '../../../domain/engines/decision-matrix.js';
import { evaluatePerformanceAssessment } from '../../../domain/engines/performance-assessment.js';
import { evaluateStrategicInitiative } from '../../../domain/engines/strategic-initiative.js';
import { evaluateTechnologyProposal } from '../../../domain/engines/technology-proposal.js';
import { defaultPolicyDir, loadPolicySet } from '../../../domain/policy/load.js';

// Same option scores as the decision-matrix worked example: criterion scores
// Managed cloud SA 8, TE 8, IF 6, RM 7, LTV 8; Hybrid SA 7, TE 8, IF 6, RM 6, LTV 7.
const input: DecisionMatrixInput = {
  decision: 'Vector store',
  options: [
    {
      name: 'Managed cloud',
      scores: {
        business_objectives: 8, competitive_advantage: 7, market_timing: 9,
        scalability: 9, maintainability: 8, performance: 7, security: 8,
        team_capabilities: 6, timeline_constraints: 5, resource_availability: 7,
        technical_risk: 7, business_risk: 8, operational_risk: 6,
        sustainability: 8, extensibility: 8, future_proofing: 8,
      },
    },
    {
      name: 'Hybrid',
      scores: {
        business_objectives: 7, competitive_advantage: 7, market_timing: 7,
        scalability: 8, maintainability: 8, performance: 8, security: 8,
        team_capabilities: 6, timeline_constraints: 6, resource_availability: 6,
        technical_risk: 6, business_risk: 6, operational_risk: 6,
        sustainability: 7, extensibility: 7, future_proofing: 7,
      },
    },
  ],
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('engines on the shipped default policy set', () => {
  it('evaluates every engine against the real policies', async () => {
    const set = await loadPolicySet(defaultPolicyDir());
    // The shipped weights are the framework's 0.25/0.20/0.20/0.15/0.20: 7.45 and 6.85, as in the worked example.
    const dm = evaluateDecisionMatrix(input, set.decisionCriteria);
    expect(dm.options.map((o) => [o.name, o.total])).toEqual([
      ['Managed cloud', 7.45],
      ['Hybrid', 6.85],
    ]);
    const tp = evaluateTechnologyProposal(
      {
        technology: 't',
        strategicFit: Object.fromEntries(set.technologyProposal.strategicFitFactors.map((f) => [f, 7])),
        enterpriseIntegration: 7,
        securityCompliance: 7,
        supportEcosystem: 7,
        implementationRiskLevel: 3,
        costs: { currency: 'EUR', budget: 1e6, migrationOneOff: 0, annual: { licences: 0, infrastructure: 0, staffing: 0 }, annualEscalation: 0 },
      },
      set.technologyProposal,
    );
    // Five dimensions at 7 and cost 10 (no cost): 7 + 0.15 × 3 = 7.45 whatever the other weights.
    expect(tp).toMatchObject({ total: 7.45, decision: 'approved', radar: { ring: 'trial' } });
    expect(tp.tco.years).toHaveLength(set.technologyProposal.horizonYears + 1);
    const si = evaluateStrategicInitiative(
      {
        initiative: 'i',
        strategicValue: Object.fromEntries(set.strategicInitiative.strategicValueFactors.map((f) => [f, 6])),
        technicalFeasibility: 6,
        marketOpportunity: 6,
        resourceDemandLevel: 4,
        implementationRiskLevel: 4,
        currency: 'EUR',
        cashFlows: [-1000, 1100],
      },
      set.strategicInitiative,
    );
    // Every dimension 6 except ROI 5 (NPV 0 at 10 %): 6 − weight(roi) × 1.
    expect(si.total).toBe(6 - set.strategicInitiative.weights.roi);
    const pa = evaluatePerformanceAssessment(
      {
        subject: 's',
        period: 'p',
        levels: Object.fromEntries(set.performanceAssessment.dimensions.map((d) => [d.key, Object.fromEntries(d.factors.map((c) => [c, { current: 3, target: 4 }]))])),
      },
      set.performanceAssessment,
    );
    expect(pa.overall).toMatchObject({ current: 3, target: 4, gap: 1 });
    const ai = evaluateAiCompliance(
      {
        system: 's',
        assessmentDate: '2025-03-10',
        intake: {
          prohibitedPractices: [],
          annexIIIAreas: ['4'],
          annexISafetyComponent: false,
          interactsWithNaturalPersons: false,
          generatesSyntheticContent: false,
          emotionRecognitionOrBiometricCategorisation: false,
          annexIIIPoints: [],
          operatorRoles: ['deployer'],
          deployerType: 'other',
          profiling: false,
          generalPurposeAiModel: false,
        },
        evidence: [],
        owners: { default: 'owner', byDomain: {} },
      },
      aiCompliancePolicyOf(set),
    );
    expect(ai.classification).toMatchObject({ tier: 'high_risk', blocked: false });
    expect(ai.remediationPlan.length).toBe(ai.gaps.length);
    expect(ai.remediationPlan.length).toBeGreaterThan(0);
  });

  it('a weight edited in a copy of the policy folder changes the score', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'govflow-policies-'));
    dirs.push(dir);
    cpSync(defaultPolicyDir(), dir, { recursive: true });
    const file = path.join(dir, 'decision-criteria.yaml');
    const text = readFileSync(file, 'utf8');
    const edited = text
      .replace(/(key: implementation_feasibility\n\s+weight: )0\.20/, '$10.30')
      .replace(/(key: long_term_value\n\s+weight: )0\.20/, '$10.10');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);

    const original = await loadPolicySet(defaultPolicyDir());
    const changed = await loadPolicySet(dir);
    expect(changed.version.id).not.toBe(original.version.id);
    // Managed cloud: 0.25·8 + 0.20·8 + 0.30·6 + 0.15·7 + 0.10·8 = 2 + 1.6 + 1.8 + 1.05 + 0.8 = 7.25
    // Hybrid:        0.25·7 + 0.20·8 + 0.30·6 + 0.15·6 + 0.10·7 = 1.75 + 1.6 + 1.8 + 0.9 + 0.7 = 6.75
    const before = evaluateDecisionMatrix(input, original.decisionCriteria);
    const after = evaluateDecisionMatrix(input, changed.decisionCriteria);
    expect(before.options.map((o) => o.total)).toEqual([7.45, 6.85]);
    expect(after.options.map((o) => o.total)).toEqual([7.25, 6.75]);
    expect(after.options[0]!.criteria.find((c) => c.key === 'implementation_feasibility')).toMatchObject({ weight: 0.3, contribution: 1.8 });
  });
});
