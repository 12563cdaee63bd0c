import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateAiCompliance, runAiCompliance, type AiComplianceInput, type AiCompliancePolicy } from '../../../domain/engines/ai-compliance.js';
import { addDays } from '../../../domain/engines/calendar.js';
import { EngineInputError, EnginePolicyError } from '../../../domain/engines/errors.js';
import type { ComplianceChecklistItem, EuAiActTier } from '../../../domain/policy/types.js';
import { aiCompliance, thrown } from './fixtures.js';

const noIntake = {
  prohibitedPractices: [],
  annexIIIAreas: [],
  annexISafetyComponent: false,
  interactsWithNaturalPersons: false,
  generatesSyntheticContent: false,
  emotionRecognitionOrBiometricCategorisation: false,
  annexIIIPoints: [],
  operatorRoles: ['provider', 'deployer'],
  deployerType: 'other',
  profiling: false,
  generalPurposeAiModel: false,
} satisfies AiComplianceInput['intake'];

function smallPolicy(): AiCompliancePolicy {
  const p = aiCompliance();
  const it = (key: string, severity: ComplianceChecklistItem['severity'], appliesTo: EuAiActTier[], nistAiRmf: string[], euAiAct: string[]): ComplianceChecklistItem => ({
    key,
    title: key,
    severity,
    appliesTo,
    controls: { nistAiRmf, euAiAct, iso42001: [] },
  });
  p.checklist.domains = [
    {
      key: 'data',
      items: [
        it('d1', 'critical', ['high_risk', 'transparency', 'minimal'], ['GOVERN 1.1', 'MEASURE 2.10'], ['Art. 10']),
        it('d2', 'high', ['high_risk', 'transparency', 'minimal'], ['GOVERN 1.1', 'MAP 1.1'], []),
        it('d3', 'low', ['minimal'], ['MEASURE 2.11'], ['Art. 95']),
      ],
    },
    {
      key: 'ops',
      items: [it('o1', 'medium', ['high_risk'], ['MANAGE 4.3'], ['Art. 72']), it('o2', 'low', ['transparency'], ['MEASURE 2.8'], ['Art. 50'])],
    },
  ];
  return p;
}

const worked: AiComplianceInput = {
  system: 'Candidate screening assistant',
  assessmentDate: '2025-03-10',
  intake: { ...noIntake, annexIIIAreas: ['4'], interactsWithNaturalPersons: true },
  evidence: [
    { item: 'd1', implementation: 'implemented', references: ['DPIA-12'] },
    { item: 'd2', implementation: 'implemented', references: [] },
    { item: 'o1', implementation: 'not_implemented', references: [] },
  ],
  owners: { default: 'system_owner', byDomain: { ops: 'sre_lead' } },
};

describe('AI compliance: worked example', () => {
  const r = evaluateAiCompliance(worked, smallPolicy());

  it('classifies an Annex III system that talks to people as high-risk with transparency obligations', () => {
    expect(r.classification).toMatchObject({ tier: 'high_risk', blocked: false, transparencyObligations: true, articles: ['Art. 6', 'Art. 9', 'Art. 14'] });
    expect(r.classification.reasons).toEqual([
      'Annex III area 4: Employment, workers management and access to self-employment (Art. 6(2))',
      'Interacts directly with natural persons (Art. 50(1))',
    ]);
  });

  it('takes each applicable requirement’s status from the evidence', () => {
    // Tiers high_risk + transparency: d1, d2, o1, o2 apply; d3 (minimal only) does not.
    expect(r.requirements.map((q) => [q.key, q.status, q.gap])).toEqual([
      ['d1', 'compliant', null],
      ['d2', 'partial', 'Implemented, but no evidence reference supplied'],
      ['d3', 'not_applicable', null],
      ['o1', 'non_compliant', 'Not implemented'],
      ['o2', 'non_compliant', 'No evidence supplied'],
    ]);
    expect(r.requirements[0]!.evidence).toEqual(['DPIA-12']);
  });

  it('scores domains by severity weight and derives the overall status', () => {
    // data: d1 critical (4 × 1) + d2 high (3 × 0.5) = 5.5 / 7 = 0.7857 → partially compliant
    // ops: o1 medium (2 × 0) + o2 low (1 × 0) = 0 → non-compliant
    // overall: 5.5 / 10 = 0.55, no critical item non-compliant → partially compliant
    expect(r.domains).toEqual([
      { key: 'data', applicable: 2, compliant: 1, partial: 1, nonCompliant: 0, score: 0.7857, status: 'partially_compliant' },
      { key: 'ops', applicable: 2, compliant: 0, partial: 0, nonCompliant: 2, score: 0, status: 'non_compliant' },
    ]);
    expect(r.overall).toMatchObject({ status: 'partially_compliant', score: 0.55 });
  });

  it('plans remediation with owners and deadlines counted from the assessment date', () => {
    // 2025-03-10 + 60 (high) = 2025-05-09; + 90 (medium) = 2025-06-08; + 180 (low) = 2025-09-06
    expect(r.gaps.map((g) => [g.item, g.severity, g.status])).toEqual([
      ['d2', 'high', 'partial'],
      ['o1', 'medium', 'non_compliant'],
      ['o2', 'low', 'non_compliant'],
    ]);
    expect(r.remediationPlan).toEqual([
      { item: 'd2', domain: 'data', severity: 'high', action: 'File evidence references for "d2"', owner: 'system_owner', deadline: '2025-05-09', days: 60 },
      { item: 'o1', domain: 'ops', severity: 'medium', action: 'Implement "o1" and file evidence', owner: 'sre_lead', deadline: '2025-06-08', days: 90 },
      { item: 'o2', domain: 'ops', severity: 'low', action: 'Implement "o2" and file evidence', owner: 'sre_lead', deadline: '2025-09-06', days: 180 },
    ]);
  });

  it('reports control coverage per framework by the weakest applicable item', () => {
    // MEASURE 2.10 only on d1 (compliant); GOVERN 1.1 on d1 and d2 (partial) → partial; MAP 1.1 partial;
    // MANAGE 4.3, MEASURE 2.8 on non-compliant items; MEASURE 2.11 only on d3 (not applicable) → absent. 1/5 covered.
    expect(r.controls.nistAiRmf).toEqual({
      catalogue: 'NIST AI 100-1 1.0',
      covered: ['MEASURE 2.10'],
      partial: ['GOVERN 1.1', 'MAP 1.1'],
      missing: ['MANAGE 4.3', 'MEASURE 2.8'],
      coverage: 0.2,
    });
    expect(r.controls.euAiAct).toMatchObject({ covered: ['Art. 10'], partial: [], missing: ['Art. 50', 'Art. 72'], coverage: 0.3333 });
    expect(r.controls.iso42001).toMatchObject({ covered: [], coverage: null });
  });

  it('lists monitoring from the tier (articles resolved in the catalogue) and from the policy', () => {
    const keys = r.monitoring.map((m) => m.key);
    expect(keys).toEqual([
      'ai_literacy',
      'post_market_monitoring',
      'automatic_logging',
      'human_oversight',
      'serious_incident_reporting',
      'conformity_reassessment',
      'transparency_disclosures',
      'bias_detection_algorithms',
      'performance_monitoring',
      'data_usage_tracking',
      'audit_trail_maintenance',
      'quarterly_compliance_assessment',
      'annual_comprehensive_audit',
      'incident_investigation',
      'stakeholder_feedback_review',
    ]);
    expect(r.monitoring.find((m) => m.key === 'post_market_monitoring')!.articles).toEqual(['Art. 72', 'Art. 9']);
    expect(r.monitoring.find((m) => m.key === 'human_oversight')!.articles).toEqual(['Art. 14', 'Art. 26']);
    expect(r.monitoring.find((m) => m.key === 'quarterly_compliance_assessment')).toMatchObject({ source: 'policy', cadence: 'quarterly' });
  });

  it('a critical item without evidence makes the whole assessment non-compliant', () => {
    const r2 = evaluateAiCompliance({ ...worked, evidence: worked.evidence.slice(1) }, smallPolicy());
    expect(r2.overall.status).toBe('non_compliant');
    expect(r2.remediationPlan[0]).toMatchObject({ item: 'd1', deadline: '2025-04-09', days: 30 });
  });

  it('is compliant when every applicable item has implemented evidence', () => {
    const evidence = ['d1', 'd2', 'o1', 'o2'].map((item) => ({ item, implementation: 'implemented' as const, references: [`EV-${item}`] }));
    const r3 = evaluateAiCompliance({ ...worked, evidence }, smallPolicy());
    expect(r3.overall).toMatchObject({ status: 'compliant', score: 1 });
    expect(r3.gaps).toEqual([]);
    expect(r3.remediationPlan).toEqual([]);
  });
});

describe('AI compliance: EU AI Act tiers', () => {
  const base: AiComplianceInput = { system: 's', assessmentDate: '2025-06-01', intake: noIntake, evidence: [], owners: { default: 'owner', byDomain: {} } };
  const tierOf = (intake: Partial<AiComplianceInput['intake']>) => evaluateAiCompliance({ ...base, intake: { ...noIntake, ...intake } }, aiCompliance());

  it('a prohibited practice wins over everything and blocks the process', () => {
    const r = tierOf({ prohibitedPractices: ['social_scoring'], annexIIIAreas: ['5'], interactsWithNaturalPersons: true });
    expect(r.classification).toMatchObject({ tier: 'prohibited', blocked: true, articles: ['Art. 5'], transparencyObligations: false });
    expect(r.classification.reasons).toEqual([expect.stringMatching(/^Art\. 5\(1\)\(c\)/)]);
    expect(r.overall.status).toBe('blocked');
    expect(r.remediationPlan).toEqual([]);
    expect(r.monitoring).toEqual([expect.objectContaining({ key: 'cease_prohibited_practice', articles: ['Art. 5'] })]);
  });

  it('Annex I safety component or an Annex III area → high-risk; Art. 50 triggers → transparency; else minimal', () => {
    expect(tierOf({ annexISafetyComponent: true }).classification.tier).toBe('high_risk');
    expect(tierOf({ annexIIIAreas: ['1'] }).classification.tier).toBe('high_risk');
    for (const trigger of ['interactsWithNaturalPersons', 'generatesSyntheticContent'] as const) {
      expect(tierOf({ [trigger]: true }).classification).toMatchObject({ tier: 'transparency', transparencyObligations: true });
    }
    // Emotion recognition and biometric categorisation are Annex III point 1 use cases, with Art. 50(3) on top.
    expect(tierOf({ emotionRecognitionOrBiometricCategorisation: true }).classification).toMatchObject({
      tier: 'high_risk',
      transparencyObligations: true,
      reasons: ['Annex III area 1: Biometrics (Art. 6(2))', 'Emotion recognition or biometric categorisation (Art. 50(3))'],
    });
    const minimal = tierOf({});
    expect(minimal.classification).toMatchObject({ tier: 'minimal', blocked: false, articles: ['Art. 95'] });
    expect(minimal.monitoring.map((m) => m.key)).toContain('voluntary_code_of_conduct');
  });

  it('applies checklist items by tier', () => {
    const applicable = (r: ReturnType<typeof tierOf>) => r.requirements.filter((q) => q.status !== 'not_applicable').map((q) => q.key);
    const transparency = applicable(tierOf({ generatesSyntheticContent: true }));
    expect(transparency).toContain('ai_interaction_disclosed');
    expect(transparency).toContain('documentation_standards');
    expect(transparency).not.toContain('human_oversight_implemented');
    const high = applicable(tierOf({ annexIIIAreas: ['3'] }));
    expect(high).toContain('human_oversight_implemented');
    expect(high).not.toContain('ai_interaction_disclosed');
    expect(applicable(tierOf({ annexIIIAreas: ['3'], interactsWithNaturalPersons: true }))).toContain('ai_interaction_disclosed');
    expect(applicable(tierOf({}))).not.toContain('documentation_standards');
  });

  it('validates intake and evidence against the policy', () => {
    const e = thrown(() =>
      runAiCompliance(
        { ...base, assessmentDate: '2025-02-30', intake: { ...noIntake, prohibitedPractices: ['mind_reading'] } },
        aiCompliance(),
      ),
    ) as EngineInputError;
    expect(e.fields.map((f) => f.path)).toEqual(['assessmentDate']);
    const practice = thrown(() => runAiCompliance({ ...base, intake: { ...noIntake, prohibitedPractices: ['mind_reading'] } }, aiCompliance())) as EngineInputError;
    expect(practice.fields).toEqual([{ path: 'intake.prohibitedPractices[0]', message: 'unknown Art. 5 practice (expected one of: social_scoring, intimate_imagery)' }]);
    const e2 = thrown(() =>
      runAiCompliance(
        { ...base, intake: { ...noIntake, annexIIIAreas: ['9'] }, evidence: [{ item: 'nope', implementation: 'implemented' }], owners: { default: 'o', byDomain: { finance: 'x' } } },
        aiCompliance(),
      ),
    ) as EngineInputError;
    expect(e2).toBeInstanceOf(EngineInputError);
    expect(e2.fields.map((f) => f.path)).toEqual(['intake.annexIIIAreas[0]', 'evidence[0].item', 'owners.byDomain.finance']);
    const dup = thrown(() => runAiCompliance({ ...base, evidence: [{ item: 'x', implementation: 'implemented' }, { item: 'x', implementation: 'implemented' }] }, aiCompliance()));
    expect(dup.message).toBe('evidence[1].item: duplicate evidence item (same as index 0)');
  });

  it('refuses a checklist that cites controls missing from the catalogues', () => {
    const p = aiCompliance();
    p.checklist.domains[0]!.items[0]!.controls.nistAiRmf.push('MANAGE 4.4');
    expect(() => evaluateAiCompliance(base, p)).toThrow(EnginePolicyError);
    expect(() => evaluateAiCompliance(base, p)).toThrow('consent_management_implemented: nistAiRmf MANAGE 4.4');
  });
});

// --- properties ------------------------------------------------------------------------------------------------

const policy = aiCompliance();
const itemKeys = policy.checklist.domains.flatMap((d) => d.items.map((i) => i.key));
/** 0 no evidence, 1 not implemented, 2 partially, 3 implemented without reference, 4 implemented with reference. */
const LEVELS = 5;
function evidenceOf(levels: number[]): AiComplianceInput['evidence'] {
  return itemKeys.flatMap((item, i) => {
    const l = levels[i]!;
    if (l === 0) return [];
    const implementation = l === 1 ? 'not_implemented' : l === 2 ? 'partially_implemented' : 'implemented';
    return [{ item, implementation, references: l === 4 ? [`EV-${item}`] : [] }];
  });
}
const intakeArb: fc.Arbitrary<AiComplianceInput['intake']> = fc.record({
  prohibitedPractices: fc.constant([]),
  annexIIIAreas: fc.subarray(['1', '2', '3', '4', '5', '6', '7', '8']),
  annexISafetyComponent: fc.boolean(),
  interactsWithNaturalPersons: fc.boolean(),
  generatesSyntheticContent: fc.boolean(),
  emotionRecognitionOrBiometricCategorisation: fc.boolean(),
  annexIIIPoints: fc.constant([]),
  operatorRoles: fc.constantFrom<AiComplianceInput['intake']['operatorRoles']>(['provider'], ['deployer'], ['provider', 'deployer']),
  deployerType: fc.constantFrom('public_body' as const, 'private_public_service' as const, 'other' as const),
  profiling: fc.boolean(),
  generalPurposeAiModel: fc.boolean(),
});
const levelsArb = fc.array(fc.nat(LEVELS - 1), { minLength: itemKeys.length, maxLength: itemKeys.length });
const input = (intake: AiComplianceInput['intake'], levels: number[]): AiComplianceInput => ({
  system: 's',
  assessmentDate: '2025-01-15',
  intake,
  evidence: evidenceOf(levels),
  owners: { default: 'owner', byDomain: {} },
});

describe('AI compliance: properties', () => {
  it('better evidence never lowers a domain score or the overall score; scores stay within 0..1', () => {
    fc.assert(
      fc.property(intakeArb, levelsArb, fc.nat(itemKeys.length - 1), (intake, levels, which) => {
        const before = evaluateAiCompliance(input(intake, levels), policy);
        const improved = [...levels];
        improved[which] = Math.min(LEVELS - 1, improved[which]! + 1);
        const after = evaluateAiCompliance(input(intake, improved), policy);
        for (const [i, d] of before.domains.entries()) {
          if (d.score === null) continue;
          expect(d.score).toBeGreaterThanOrEqual(0);
          expect(d.score).toBeLessThanOrEqual(1);
          expect(after.domains[i]!.score!).toBeGreaterThanOrEqual(d.score);
        }
        if (before.overall.score !== null) expect(after.overall.score!).toBeGreaterThanOrEqual(before.overall.score);
      }),
    );
  });

  it('reports only control IDs present in the catalogues, and deadlines = date + policy days', () => {
    const known = {
      nistAiRmf: new Set(policy.nistAiRmf.controls.map((c) => c.id)),
      iso42001: new Set(policy.iso42001.controls.map((c) => c.id)),
      euAiAct: new Set(policy.euAiAct.articles.map((a) => a.id)),
    };
    fc.assert(
      fc.property(intakeArb, levelsArb, (intake, levels) => {
        const r = evaluateAiCompliance(input(intake, levels), policy);
        for (const f of ['nistAiRmf', 'iso42001', 'euAiAct'] as const) {
          for (const id of [...r.controls[f].covered, ...r.controls[f].partial, ...r.controls[f].missing]) expect(known[f].has(id)).toBe(true);
        }
        for (const m of r.monitoring) for (const a of m.articles) expect(known.euAiAct.has(a)).toBe(true);
        for (const a of r.remediationPlan) expect(a.deadline).toBe(addDays('2025-01-15', policy.checklist.remediationDays[a.severity]));
        expect(r.remediationPlan.length).toBe(r.gaps.length);
      }),
    );
  });

  it('reordering domains and items changes no status or score', () => {
    fc.assert(
      fc.property(intakeArb, levelsArb, (intake, levels) => {
        const q = aiCompliance();
        q.checklist.domains = q.checklist.domains.reverse().map((d) => ({ ...d, items: [...d.items].reverse() }));
        const a = evaluateAiCompliance(input(intake, levels), policy);
        const b = evaluateAiCompliance(input(intake, levels), q);
        const statuses = (r: typeof a) => Object.fromEntries(r.requirements.map((x) => [x.key, x.status]));
        const domains = (r: typeof a) => Object.fromEntries(r.domains.map((d) => [d.key, [d.score, d.status]]));
        expect(statuses(b)).toEqual(statuses(a));
        expect(domains(b)).toEqual(domains(a));
        expect(b.overall).toEqual(a.overall);
        expect(b.gaps).toEqual(a.gaps);
        expect(b.remediationPlan).toEqual(a.remediationPlan);
        expect(b.controls).toEqual(a.controls);
      }),
    );
  });
});
