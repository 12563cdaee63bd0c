import type { PolicySet } from '../domain/policy/types.js';
import type { ProcessStateBase } from '../workflows/contracts/common.js';
import type { RoadmapEngagementState } from '../workflows/roadmap-engagement/contract.js';
import type { FormContext } from './forms.js';

/*
 * What the policy and its catalogues say about fields whose schema only says "a key": the choices, their words,
 * and the keys of per-criterion records. Keyed by schema path (see FormContext).
 */

/** A start form's context: the kind's triggers, and for the AI compliance questionnaire the EU AI Act catalogue. */
export function startContext(kind: string, policy: PolicySet): FormContext {
  const act = policy.catalogues.euAiAct;
  switch (kind) {
    case 'architecture_review':
      return { recordKeys: {}, roles: [], choices: { trigger: policy.architectureReview.triggers } };
    case 'ethical_review':
      return {
        recordKeys: { 'assessment.owners.byDomain': policy.complianceChecklist.domains.map((d) => d.key) },
        roles: [],
        choices: {
          trigger: policy.aiGovernance.ethicalReviewBoard.triggers,
          'assessment.intake.annexIIIAreas': act.annexIIIAreas.map((a) => ({ value: a.id, label: `${a.id}. ${a.title}` })),
          'assessment.intake.prohibitedPractices': act.prohibitedPractices.map((p) => ({ value: p.key, label: p.title, help: `${p.point}, prohibited from ${p.from}` })),
          'assessment.intake.derogation.conditions': act.derogation.conditions.map((c) => ({ value: c.key, label: c.title, help: c.point })),
          'assessment.evidence.item': policy.complianceChecklist.domains.flatMap((d) => d.items.map((i) => ({ value: i.key, label: `${i.title} (${d.key.replace(/_/g, ' ')})` }))),
        },
      };
    case 'poc_scale_up':
      return { recordKeys: { selfAssessment: policy.innovation.pocSelectionCriteria }, roles: [] };
    // The evaluations score each factor the policy names.
    case 'technical_decision_evaluation':
      return { recordKeys: { 'input.options.scores': policy.decisionCriteria.criteria.flatMap((c) => c.factors) }, roles: [] };
    case 'technology_proposal_evaluation':
      return { recordKeys: { 'input.strategicFit': policy.technologyProposal.strategicFitFactors }, roles: [] };
    case 'strategic_initiative_evaluation':
      return { recordKeys: { 'input.strategicValue': policy.strategicInitiative.strategicValueFactors }, roles: [] };
    case 'performance_assessment': {
      // Levels per dimension, then per that dimension's own criteria.
      const { dimensions } = policy.performanceAssessment;
      return {
        recordKeys: { 'input.levels': dimensions.map((d) => d.key), 'input.levels.*': Object.fromEntries(dimensions.map((d) => [d.key, d.factors])) },
        roles: [],
      };
    }
    default:
      return { recordKeys: {}, roles: [] };
  }
}

/** An action form's context: the criteria, review items and selection criteria the process pinned, a roadmap phase's deliverables. */
export function actionContext(state: ProcessStateBase, policy: PolicySet, roles: string[], action: string): FormContext {
  const ctx: FormContext = {
    recordKeys: {
      rulings: policy.architectureReview.approvalCriteria,
      findings: (state as unknown as { reviewItems?: string[] }).reviewItems ?? [],
      criteria: policy.innovation.pocSelectionCriteria,
    },
    roles,
  };
  if (state.kind === 'roadmap_engagement') {
    const s = state as unknown as RoadmapEngagementState;
    const deliverables = s.phases[s.phaseIndex]?.deliverables ?? [];
    // Every submitted one, not only those I review: the process says who rules on which (and why not me).
    const choices = action === 'deliverable-reviews' ? deliverables.filter((d) => d.status === 'submitted') : deliverables.filter((d) => d.status !== 'accepted');
    ctx.choices = { deliverable: choices.map((d) => d.key), reopen: deliverables.map((d) => d.key) };
  }
  return ctx;
}
