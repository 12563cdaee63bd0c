import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startEthicalReviewBody } from '../../../api/schemas/ethical-review.js';
import { startPocScaleUpBody } from '../../../api/schemas/poc-scale-up.js';
import { performanceAssessmentInputSchema, strategicInitiativeInputSchema } from '../../../domain/engines/inputs.js';
import { startContext } from '../../../web/form-context.js';
import { bodyFromForm, editRows, pathLabel, renderForm } from '../../../web/forms.js';
import { defaultPolicy } from '../../support/policy.js';

const render = (body: Parameters<typeof renderForm>[0]['body'], ctx: Parameters<typeof renderForm>[0]['ctx'], values?: Record<string, unknown>) =>
  renderForm({ id: 'f', title: 'Start', action: '/x', csrf: 'c', body, ctx, values })?.value ?? null;

describe('forms for nested bodies', () => {
  it('turns rows, per-criterion records, required and optional checkboxes back into the body the API parses', async () => {
    const policy = await defaultPolicy();
    const ctx = startContext('poc_scale_up', policy);
    const startBody = startPocScaleUpBody(policy.innovation.pocSelectionCriteria);
    const form = {
      businessKey: 'POC-1', title: 'T', 'proposal.hypothesis': 'H', 'proposal.expectedImpact': 'I',
      'proposal.successMetrics._rows': '3',
      'proposal.successMetrics.0.name': 'uplift', 'proposal.successMetrics.0.target': '10',
      // An empty row is left out; a row with a bad number is sent as typed, for the schema to name.
      'proposal.successMetrics.2.name': 'latency', 'proposal.successMetrics.2.target': 'fast', 'proposal.successMetrics.2.direction': 'at_most',
      'proposal.businessSponsor': 'bea', 'proposal.bucket': 'core', 'proposal.riskLevel': 'low',
      'selfAssessment.clear_success_metrics.met': 'on', 'selfAssessment.defined_business_sponsor.notes': 'named',
    };
    const body = bodyFromForm(startBody, ctx, form);
    expect(body).toEqual({
      businessKey: 'POC-1', title: 'T',
      proposal: { hypothesis: 'H', expectedImpact: 'I', successMetrics: [{ name: 'uplift', target: 10 }, { name: 'latency', target: 'fast', direction: 'at_most' }], businessSponsor: 'bea', bucket: 'core', riskLevel: 'low' },
      selfAssessment: { clear_success_metrics: { met: true }, defined_business_sponsor: { met: false, notes: 'named' } },
    });
    const parsed = startBody.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['proposal.successMetrics.1.target']);
    expect(pathLabel('proposal.successMetrics.1.target')).toBe('proposal › success metrics › 2 › target');
  });

  it('answers false for an unticked Art. 50 question, leaves an untouched optional part (the Art. 6(3) derogation) out', async () => {
    const policy = await defaultPolicy();
    const ctx = startContext('ethical_review', policy);
    const startBody = startEthicalReviewBody(policy.aiGovernance.ethicalReviewBoard.triggers);
    const body = bodyFromForm(startBody, ctx, { 'assessment.intake.annexIIIAreas': ['4', '1'], 'assessment.intake.generatesSyntheticContent': 'on', 'assessment.intake.operatorRoles': 'deployer' });
    expect(body.assessment).toMatchObject({
      intake: { annexIIIAreas: ['4', '1'], prohibitedPractices: [], annexISafetyComponent: false, interactsWithNaturalPersons: false, generatesSyntheticContent: true, emotionRecognitionOrBiometricCategorisation: false, operatorRoles: ['deployer'] },
    });
    // No evidence row filled: left to the schema's default.
    expect(body.assessment).not.toHaveProperty('evidence');
    expect((body.assessment as { intake: object }).intake).not.toHaveProperty('derogation');
    // The first showing ticks the schema's defaults (both operator roles).
    expect(render(startBody, ctx)).toMatch(/name="assessment\.intake\.operatorRoles" value="deployer" checked/);
  });

  it('adds and removes rows, moving the later rows up', () => {
    const form = { 'm.0.name': 'a', 'm.1.name': 'b', 'm.2.name': 'c', 'm.2.target': '3', other: 'x' };
    expect(editRows({ ...form, _add: 'm' })).toMatchObject({ 'm._rows': '4', 'm.2.name': 'c' });
    expect(editRows({ ...form, _remove: 'm.1' })).toEqual({ 'm._rows': '2', 'm.0.name': 'a', 'm.1.name': 'c', 'm.1.target': '3', other: 'x' });
    expect(editRows(form)).toBeNull();
  });

  it('reads one number per line and asks for each policy factor of an evaluation', async () => {
    const policy = await defaultPolicy();
    // The evaluation's start body, as the evaluations route builds it around the engine's input.
    const body = z.object({ title: z.string(), input: strategicInitiativeInputSchema });
    const ctx = startContext('strategic_initiative_evaluation', policy);
    const [factor] = policy.strategicInitiative.strategicValueFactors;
    expect(render(body, ctx)).toContain(`name="input.strategicValue.${factor}"`);
    expect(bodyFromForm(body, ctx, { 'input.cashFlows': '-100\n 40\n\n60', [`input.strategicValue.${factor}`]: '7' }).input).toMatchObject({ cashFlows: [-100, 40, 60], strategicValue: { [factor!]: 7 } });
  });

  it('asks a performance assessment for each dimension its own criteria, current and target level of each', async () => {
    const policy = await defaultPolicy();
    const body = z.object({ title: z.string(), input: performanceAssessmentInputSchema });
    const ctx = startContext('performance_assessment', policy);
    const [first, second] = policy.performanceAssessment.dimensions;
    const markup = render(body, ctx)!;
    expect(markup).toContain(`name="input.levels.${first!.key}.${first!.factors[0]}.current"`);
    expect(markup).toContain(`name="input.levels.${second!.key}.${second!.factors[0]}.target"`);
    // Its help once, not at each of the policy's criteria.
    expect(markup.split('Current level on the policy scale').length - 1).toBe(1);
    // Only a dimension's own criteria.
    expect(markup).not.toContain(`name="input.levels.${first!.key}.${second!.factors[0]}.current"`);
    const levels = Object.fromEntries(policy.performanceAssessment.dimensions.map((d) => [d.key, Object.fromEntries(d.factors.map((c) => [c, { current: 3, target: 4 }]))]));
    const form = Object.fromEntries(
      policy.performanceAssessment.dimensions.flatMap((d) => d.factors.flatMap((c) => [[`input.levels.${d.key}.${c}.current`, '3'], [`input.levels.${d.key}.${c}.target`, '4']])),
    );
    const input = bodyFromForm(body, ctx, { title: 'T', 'input.subject': 'ann', 'input.period': '2026-H2', ...form }).input;
    expect(input).toEqual({ subject: 'ann', period: '2026-H2', levels });
    expect(performanceAssessmentInputSchema.safeParse(input).success).toBe(true);
  });
});
