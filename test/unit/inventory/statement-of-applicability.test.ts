import { beforeAll, describe, expect, it } from 'vitest';
import { aiCompliancePolicyOf, runAiCompliance, type AiComplianceResult } from '../../../domain/engines/ai-compliance.js';
import { sortNatural } from '../../../domain/engines/rounding.js';
import { GovflowError } from '../../../domain/errors.js';
import {
  latestAssessment,
  soaMarkdown,
  statementOfApplicability,
  type InventorySystem,
  type SoaControl,
  type SoaInput,
  type StatementOfApplicability,
  type SystemAssessment,
} from '../../../domain/inventory/statement-of-applicability.js';
import { defaultPolicyDir, loadPolicySet } from '../../../domain/policy/load.js';
import type { PolicySet } from '../../../domain/policy/types.js';

let policy: PolicySet;
beforeAll(async () => {
  policy = await loadPolicySet(defaultPolicyDir());
});

const GENERATED = '2026-12-10T09:00:00.000Z';
const soaOf = (systems: InventorySystem[], organisation: string | null = 'Example Bank'): StatementOfApplicability =>
  statementOfApplicability({ organisation, generatedAt: GENERATED, policyVersion: policy.version.id, catalogue: policy.catalogues.iso42001, checklist: policy.complianceChecklist, systems });
const control = (soa: StatementOfApplicability, id: string): SoaControl => {
  const found = soa.controls.find((c) => c.id === id);
  if (!found) throw new Error(`no control ${id} in the statement`);
  return found;
};

/** The checklist's item keys mapped to an Annex A control, read from the shipped checklist. */
const itemsOf = (id: string) =>
  policy.complianceChecklist.domains
    .flatMap((d) => d.items)
    .filter((i) => i.controls.iso42001.includes(id))
    .map((i) => i.key)
    .sort();

const noIntake = {
  prohibitedPractices: [],
  annexIIIAreas: [],
  annexISafetyComponent: false,
  interactsWithNaturalPersons: false,
  generatesSyntheticContent: false,
  emotionRecognitionOrBiometricCategorisation: false,
};

/** The engine's result for a system, under the shipped policy. */
function assess(system: string, intake: Record<string, unknown>, evidence: { item: string; implementation: string; references?: string[] }[], assessmentDate = '2026-11-02'): AiComplianceResult {
  return runAiCompliance({ system, assessmentDate, asOf: assessmentDate, intake: { ...noIntake, ...intake }, evidence, owners: { default: 'owner@example.com' } }, aiCompliancePolicyOf(policy));
}

const system = (key: string, riskTier: InventorySystem['riskTier'], stage: string, assessment: SystemAssessment | null = null): InventorySystem => ({ key, title: `System ${key}`, riskTier, stage, assessment });
const assessment = (workflowId: string, result: AiComplianceResult, recordedAt = '2026-11-02T10:00:00.000Z'): SystemAssessment => ({ workflowId, recordedAt, result });

// A CV screener (Annex III area 4), placed on the market by the organisation as provider only: no FRIA binds it.
const screenerEvidence = [
  { item: 'audit_logging_comprehensive', implementation: 'implemented', references: ['LOG-POLICY-7', 'SIEM-RETENTION'] },
  { item: 'bias_testing_completed', implementation: 'implemented', references: ['BIAS-2026-Q3'] },
  { item: 'fairness_metrics_established', implementation: 'partially_implemented', references: ['FAIR-DRAFT'] },
  { item: 'consent_management_implemented', implementation: 'implemented', references: ['DPIA-12'] },
  { item: 'right_to_erasure_supported', implementation: 'implemented', references: ['ERASE-RUNBOOK'] },
  { item: 'data_portability_enabled', implementation: 'implemented', references: ['EXPORT-API'] },
];
const screener = () => assess('CV screening', { annexIIIAreas: ['4'], interactsWithNaturalPersons: true, operatorRoles: ['provider'] }, screenerEvidence);

describe('the statement of applicability', () => {
  it('has every Annex A control of the catalogue once, in natural order, with the header it was asked for', () => {
    const soa = soaOf([]);
    expect(soa.controls).toHaveLength(38);
    expect(soa.controls.map((c) => c.id)).toEqual(sortNatural(policy.catalogues.iso42001.controls.map((c) => c.id)));
    expect(soa.controls[0]!.id).toBe('A.2.2');
    expect(soa.controls.at(-1)!.id).toBe('A.10.4');
    expect(soa.controls.map((c) => c.id).indexOf('A.10.2')).toBeGreaterThan(soa.controls.map((c) => c.id).indexOf('A.9.4'));
    expect(soa).toMatchObject({ organisation: 'Example Bank', generatedAt: GENERATED, policyVersion: policy.version.id, catalogue: { version: '2023' } });
    expect(soa.catalogue.source).toMatch(/^ISO\/IEC 42001:2023/);
  });

  it('with an empty inventory: mapped controls are not applicable, unmapped ones are organisation-level and applicable', () => {
    const soa = soaOf([]);
    const unmapped = policy.catalogues.iso42001.controls.filter((c) => itemsOf(c.id).length === 0).map((c) => c.id);
    expect(unmapped).toEqual(['A.2.3', 'A.2.4', 'A.3.2', 'A.4.2', 'A.4.3', 'A.4.4', 'A.6.1.2', 'A.8.3', 'A.9.3', 'A.10.2', 'A.10.3', 'A.10.4']);
    for (const c of soa.controls) {
      if (unmapped.includes(c.id)) {
        expect(c, c.id).toMatchObject({ applicable: true, basis: 'organisation', implementation: 'not_assessed', items: [], evidence: [] });
        expect(c.justification).toMatch(/no checklist item maps to this control.*organisation-level control of the AI management system/);
      } else {
        expect(c, c.id).toMatchObject({ applicable: false, basis: 'inventory', implementation: 'not_applicable' });
        expect(c.justification).toMatch(/^Not applicable: the inventory holds no AI system in scope/);
        expect(c.items.map((i) => i.key).sort()).toEqual(itemsOf(c.id));
      }
    }
    expect(soa.summary).toEqual({
      controls: 38,
      applicable: 12,
      notApplicable: 26,
      organisationLevel: 12,
      byStatus: { implemented: 0, partially_implemented: 0, not_implemented: 0, not_assessed: 12, not_applicable: 26 },
    });
  });

  it('with one minimal-risk system not yet assessed: the controls of the items for every tier apply, not assessed; high-risk-only ones do not', () => {
    const soa = soaOf([system('CHAT-1', 'minimal', 'registered')]);
    const minimalItems = policy.complianceChecklist.domains.flatMap((d) => d.items).filter((i) => i.appliesTo.includes('minimal'));
    const expected = sortNatural(new Set(minimalItems.flatMap((i) => i.controls.iso42001)));
    expect(expected).toEqual(['A.2.2', 'A.4.5', 'A.4.6', 'A.5.2', 'A.6.2.2', 'A.6.2.6', 'A.7.2', 'A.7.3', 'A.7.5', 'A.7.6', 'A.8.4']);
    const applicable = soa.controls.filter((c) => c.applicable && c.basis === 'inventory').map((c) => c.id);
    expect(applicable).toEqual(expected);
    const a75 = control(soa, 'A.7.5');
    expect(a75.implementation).toBe('not_assessed');
    expect(a75.justification).toBe('Applicable: checklist items consent_management_implemented, data_portability_enabled, right_to_erasure_supported apply to system CHAT-1 (minimal).');
    expect(a75.tally).toEqual({ compliant: 0, partial: 0, nonCompliant: 0, notAssessed: 3 });
    // Human oversight is for high-risk systems only (and the FRIA's for the deployers it binds).
    const a92 = control(soa, 'A.9.2');
    expect(a92.applicable).toBe(false);
    expect(a92.justification).toMatch(/^Not applicable: no system in the inventory is in a tier any mapped checklist item applies to \(.*human_oversight_implemented applies to high risk systems.*\); the inventory holds CHAT-1 \(minimal\)\.$/);
  });

  it("with an assessed high-risk system: implementation and evidence follow its latest assessment, item by item", () => {
    const result = screener();
    expect(result.classification.tier).toBe('high_risk');
    const soa = soaOf([system('CV-1', 'high_risk', 'assessed', assessment('ai-compliance-assessment/CV-1-A', result))]);

    // Audit logging is the only item of A.6.2.8, implemented with two references.
    const a628 = control(soa, 'A.6.2.8');
    expect(a628).toMatchObject({ applicable: true, implementation: 'implemented', tally: { compliant: 1, partial: 0, nonCompliant: 0, notAssessed: 0 } });
    expect(a628.evidence).toEqual([
      { reference: 'LOG-POLICY-7', item: 'audit_logging_comprehensive', system: 'CV-1', workflowId: 'ai-compliance-assessment/CV-1-A' },
      { reference: 'SIEM-RETENTION', item: 'audit_logging_comprehensive', system: 'CV-1', workflowId: 'ai-compliance-assessment/CV-1-A' },
    ]);
    expect(a628.justification).toBe('Applicable: checklist item audit_logging_comprehensive applies to system CV-1 (high risk).');

    // A.6.2.4: bias testing compliant, fairness metrics partial, quality assurance without evidence.
    const a624 = control(soa, 'A.6.2.4');
    expect(a624.implementation).toBe('partially_implemented');
    expect(a624.items.map((i) => [i.key, i.systems.map((s) => s.status)])).toEqual([
      ['bias_testing_completed', ['compliant']],
      ['fairness_metrics_established', ['partial']],
      ['quality_assurance_processes', ['non_compliant']],
    ]);
    expect(a624.evidence.map((e) => e.reference)).toEqual(['BIAS-2026-Q3', 'FAIR-DRAFT']);

    // A.7.5: consent, erasure and portability all implemented with references.
    expect(control(soa, 'A.7.5').implementation).toBe('implemented');
    // A.9.4: human oversight has no evidence; the FRIA item does not bind a provider.
    const a94 = control(soa, 'A.9.4');
    expect(a94.implementation).toBe('not_implemented');
    expect(a94.items.find((i) => i.key === 'fria_deployer_processes')!.systems).toEqual([]);

    // A.5.3 is only the FRIA's: the tier matches, the assessment finds the obligation does not bind the system.
    const a53 = control(soa, 'A.5.3');
    expect(a53.applicable).toBe(false);
    expect(a53.justification).toBe(
      'Not applicable: the latest assessments of CV-1 (high risk) find the mapped checklist items fria_period_and_frequency not applicable to them (fria_period_and_frequency applies to high risk systems bound by the obligation fundamental_rights_impact_assessment).',
    );
    expect(soa.scope.systems).toEqual([{ key: 'CV-1', title: 'System CV-1', stage: 'assessed', riskTier: 'high_risk', assessment: { workflowId: 'ai-compliance-assessment/CV-1-A', assessmentDate: '2026-11-02' } }]);
  });

  it("a control is implemented only when every system its items apply to is assessed compliant: one unassessed system makes it partial", () => {
    const assessed = system('CV-1', 'high_risk', 'in_production', assessment('ai-compliance-assessment/CV-1-A', screener()));
    const soa = soaOf([assessed, system('BOT-2', 'transparency', 'registered')]);
    const a628 = control(soa, 'A.6.2.8');
    expect(a628.implementation).toBe('partially_implemented');
    expect(a628.tally).toEqual({ compliant: 1, partial: 0, nonCompliant: 0, notAssessed: 1 });
    expect(a628.items[0]!.systems).toEqual([
      { system: 'BOT-2', status: 'not_assessed', workflowId: null },
      { system: 'CV-1', status: 'compliant', workflowId: 'ai-compliance-assessment/CV-1-A' },
    ]);
    expect(a628.justification).toBe('Applicable: checklist item audit_logging_comprehensive applies to systems BOT-2 (transparency), CV-1 (high risk).');
    // Change management has no evidence in CV-1's assessment and BOT-2 is not assessed: nothing is implemented.
    const a625 = control(soa, 'A.6.2.5');
    expect(a625.tally).toEqual({ compliant: 0, partial: 0, nonCompliant: 1, notAssessed: 1 });
    expect(a625.implementation).toBe('not_implemented');
  });

  it('a system not yet classified may be in any tier: every mapped control applies to it, not assessed', () => {
    const soa = soaOf([system('NEW-3', null, 'registered')]);
    for (const c of soa.controls.filter((c) => c.basis === 'inventory')) {
      expect(c, c.id).toMatchObject({ applicable: true, implementation: 'not_assessed' });
      expect(c.justification).toContain('NEW-3 (not yet classified)');
    }
    expect(soa.scope.systems[0]!.riskTier).toBeNull();
  });

  it("takes the tier from the latest assessment when the system's record has none yet", () => {
    const result = assess('Support bot', { interactsWithNaturalPersons: true }, []);
    expect(result.classification.tier).toBe('transparency');
    const soa = soaOf([system('BOT-2', null, 'registered', assessment('ai-compliance-assessment/BOT-2-A', result))]);
    expect(soa.scope.systems[0]!.riskTier).toBe('transparency');
    // Fairness metrics (A.5.4's only high-risk items) do not apply to a transparency-tier system.
    expect(control(soa, 'A.5.4').applicable).toBe(false);
    expect(control(soa, 'A.6.2.8').implementation).toBe('not_implemented');
  });

  it('leaves retired systems out of scope', () => {
    const soa = soaOf([system('OLD-9', 'high_risk', 'retired')]);
    expect(soa.scope).toEqual({ systems: [], excluded: [{ key: 'OLD-9', title: 'System OLD-9', reason: 'retired: no longer in use' }] });
    expect(soa.summary.applicable).toBe(12);
  });

  it('is the same statement whatever order the inventory comes in', () => {
    const systems = [
      system('CV-1', 'high_risk', 'assessed', assessment('ai-compliance-assessment/CV-1-A', screener())),
      system('BOT-2', 'transparency', 'registered'),
      system('CHAT-1', 'minimal', 'approved'),
      system('OLD-9', 'minimal', 'retired'),
    ];
    const forward = soaOf(systems);
    expect(soaOf([...systems].reverse())).toEqual(forward);
    expect(forward.scope.systems.map((s) => s.key)).toEqual(['BOT-2', 'CHAT-1', 'CV-1']);
  });

  it('refuses a checklist that maps to a control the catalogue does not have, naming it', () => {
    const checklist = structuredClone(policy.complianceChecklist);
    checklist.domains[0]!.items[0]!.controls.iso42001.push('A.99.1');
    const input: SoaInput = { organisation: null, generatedAt: GENERATED, policyVersion: 'x', catalogue: policy.catalogues.iso42001, checklist, systems: [] };
    expect(() => statementOfApplicability(input)).toThrow(GovflowError);
    expect(() => statementOfApplicability(input)).toThrow(/consent_management_implemented: A\.99\.1/);
    expect(() => soaOf([system('A', 'minimal', 'registered'), system('A', 'minimal', 'assessed')])).toThrow(/more than once: A/);
  });
});

describe('the latest assessment of a system', () => {
  const result = (assessmentDate: string) => assess('CV screening', { annexIIIAreas: ['4'] }, [], assessmentDate);
  it('is the one of the latest assessment date, then the latest recorded, whatever the order given', () => {
    const june = assessment('ethical-review/ER-1', result('2026-06-01'), '2026-06-01T08:00:00.000Z');
    const julyEarly = assessment('ai-compliance-assessment/B', result('2026-07-01'), '2026-07-01T08:00:00.000Z');
    const julyLate = assessment('ai-compliance-assessment/A', result('2026-07-01'), '2026-07-01T17:00:00.000Z');
    expect(latestAssessment([june, julyEarly, julyLate])).toBe(julyLate);
    expect(latestAssessment([julyLate, june, julyEarly])).toBe(julyLate);
    expect(latestAssessment([june])).toBe(june);
    expect(latestAssessment([])).toBeNull();
  });
});

describe('the statement as Markdown', () => {
  it('has the header, the scope, one row per control and the evidence per control', () => {
    const soa = soaOf([system('CV-1', 'high_risk', 'assessed', assessment('ai-compliance-assessment/CV-1-A', screener()))], 'Example | Bank');
    const md = soaMarkdown(soa);
    expect(md.startsWith('# Statement of Applicability\n')).toBe(true);
    expect(md).toContain('- Organisation: Example | Bank\n');
    expect(md).toContain(`- Policy version: ${policy.version.id}\n`);
    expect(md).toContain(`- Generated: ${GENERATED}\n`);
    expect(md).toContain('| CV-1 | System CV-1 | assessed | high risk | ai-compliance-assessment/CV-1-A (2026-11-02) |');
    const rows = md.split('\n').filter((l) => /^\| A\.\d/.test(l));
    expect(rows).toHaveLength(38);
    expect(rows.find((r) => r.startsWith('| A.6.2.8 '))).toBe(
      '| A.6.2.8 | AI system recording of event logs | yes | implemented | Applicable: checklist item audit_logging_comprehensive applies to system CV-1 (high risk). |',
    );
    expect(md).toContain('### A.6.2.8 AI system recording of event logs\n\n- LOG-POLICY-7 — audit_logging_comprehensive, system CV-1 (ai-compliance-assessment/CV-1-A)\n');
  });

  it('escapes what would break a table row', () => {
    const soa = soaOf([{ key: 'P-1', title: 'Pipes | and\nbreaks', riskTier: 'minimal', stage: 'registered', assessment: null }]);
    expect(soaMarkdown(soa)).toContain('| P-1 | Pipes \\| and breaks | registered | minimal | none |');
  });
});
