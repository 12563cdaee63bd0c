/**
 * Policy slices for the engine tests, mirroring the framework defaults (decision criteria 0.25/0.20/0.20/0.15/0.20
 * with the framework's factors, performance dimensions 0.30/0.25/0.25/0.20 with their criteria, the framework's
 * compliance checklist). Every call returns a fresh copy, so tests may mutate what they get.
 */
import type {
  ComplianceChecklistItem,
  ComplianceMonitoringPolicy,
  ControlCatalogue,
  DecisionCriteriaPolicy,
  EuAiActPolicy,
  EuAiActTier,
  PerformanceAssessmentPolicy,
  StrategicInitiativePolicy,
  TechnologyProposalPolicy,
} from '../../../domain/policy/types.js';
import type { AiCompliancePolicy } from '../../../domain/engines/ai-compliance.js';

export function decisionCriteria(): DecisionCriteriaPolicy {
  return {
    criteria: [
      { key: 'strategic_alignment', weight: 0.25, factors: ['business_objectives', 'competitive_advantage', 'market_timing'] },
      { key: 'technical_excellence', weight: 0.2, factors: ['scalability', 'maintainability', 'performance', 'security'] },
      { key: 'implementation_feasibility', weight: 0.2, factors: ['team_capabilities', 'timeline_constraints', 'resource_availability'] },
      { key: 'risk_management', weight: 0.15, factors: ['technical_risk', 'business_risk', 'operational_risk'] },
      { key: 'long_term_value', weight: 0.2, factors: ['sustainability', 'extensibility', 'future_proofing'] },
    ],
    scale: { min: 0, max: 10 },
    noClearWinnerMargin: 0.25,
    riskCriterion: 'risk_management',
  };
}

export function performanceAssessment(): PerformanceAssessmentPolicy {
  return {
    dimensions: [
      { key: 'technical_expertise', weight: 0.3, factors: ['depth_of_knowledge', 'breadth_of_skills', 'problem_solving', 'innovation'] },
      { key: 'delivery_excellence', weight: 0.25, factors: ['quality_of_work', 'timeliness', 'reliability', 'continuous_improvement'] },
      { key: 'collaboration_leadership', weight: 0.25, factors: ['teamwork', 'communication', 'mentoring', 'knowledge_sharing'] },
      { key: 'business_impact', weight: 0.2, factors: ['business_understanding', 'value_creation', 'strategic_thinking', 'customer_focus'] },
    ],
    scale: { min: 1, max: 5 },
  };
}

export function technologyProposal(): TechnologyProposalPolicy {
  return {
    weights: {
      strategic_fit: 0.25,
      enterprise_integration: 0.2,
      security_compliance: 0.2,
      support_ecosystem: 0.1,
      cost: 0.15,
      implementation_risk: 0.1,
    },
    strategicFitFactors: ['ai_capability_enhancement', 'competitive_advantage', 'innovation_potential', 'market_readiness'],
    discountRate: 0.08,
    horizonYears: 3,
    thresholds: { approve: 7, approveWithConditions: 5.5 },
    conditionFloor: 5,
    radar: { adopt: 8, trial: 6.5, assess: 5 },
  };
}

export function strategicInitiative(): StrategicInitiativePolicy {
  return {
    weights: {
      strategic_value: 0.25,
      technical_feasibility: 0.15,
      market_opportunity: 0.15,
      resource_requirements: 0.1,
      implementation_risk: 0.15,
      roi: 0.2,
    },
    strategicValueFactors: ['business_alignment', 'competitive_differentiation', 'market_expansion', 'operational_efficiency', 'innovation_potential'],
    discountRate: 0.1,
    thresholds: { pursue: 7, pursueWithConditions: 5.5 },
  };
}

const ALL: EuAiActTier[] = ['high_risk', 'transparency', 'minimal'];
const HIGH: EuAiActTier[] = ['high_risk'];

function item(
  key: string,
  severity: ComplianceChecklistItem['severity'],
  appliesTo: EuAiActTier[],
  nistAiRmf: string[],
  euAiAct: string[],
  iso42001: string[],
): ComplianceChecklistItem {
  return { key, title: key.replace(/_/g, ' '), severity, appliesTo, controls: { nistAiRmf, euAiAct, iso42001 } };
}

/** The framework's compliance checklist (four domains of five items) plus an Art. 50 disclosure item. */
export function aiCompliance(): AiCompliancePolicy {
  const domains = [
    {
      key: 'data_protection',
      items: [
        item('consent_management_implemented', 'high', ALL, ['MEASURE 2.10'], [], ['A.7.3']),
        item('data_minimization_practiced', 'medium', ALL, ['MEASURE 2.10'], ['Art. 10'], ['A.7.4']),
        item('right_to_erasure_supported', 'medium', ALL, ['MEASURE 2.10'], [], ['A.7.5']),
        item('data_portability_enabled', 'low', ALL, [], [], ['A.8.2']),
        item('breach_notification_procedures', 'high', ALL, ['MANAGE 4.3'], [], ['A.8.4']),
      ],
    },
    {
      key: 'algorithmic_accountability',
      items: [
        item('decision_logic_documented', 'high', HIGH, ['MEASURE 2.9'], ['Art. 11', 'Art. 13'], ['A.6.2.7']),
        item('bias_testing_completed', 'critical', HIGH, ['MEASURE 2.11'], ['Art. 10'], ['A.7.4']),
        item('fairness_metrics_established', 'high', HIGH, ['MEASURE 2.11', 'MEASURE 1.1'], [], ['A.6.2.4']),
        item('human_oversight_implemented', 'critical', HIGH, ['MAP 3.5'], ['Art. 14'], ['A.9.2']),
        item('appeal_process_defined', 'medium', HIGH, ['MEASURE 3.3'], ['Art. 26'], ['A.8.3']),
      ],
    },
    {
      key: 'security_requirements',
      items: [
        item('encryption_standards_met', 'high', ALL, ['MEASURE 2.7'], ['Art. 15'], ['A.6.2.4']),
        item('access_controls_implemented', 'high', ALL, ['MEASURE 2.7'], ['Art. 15'], []),
        item('audit_logging_comprehensive', 'high', HIGH, ['MEASURE 2.8'], ['Art. 12'], ['A.6.2.8']),
        item('vulnerability_management_active', 'medium', HIGH, ['MEASURE 2.7'], ['Art. 15'], ['A.6.2.6']),
        item('incident_response_prepared', 'high', ALL, ['MANAGE 4.3'], ['Art. 73'], ['A.8.4']),
      ],
    },
    {
      key: 'operational_governance',
      items: [
        item('risk_management_framework', 'critical', HIGH, ['GOVERN 1.1', 'MAP 1.1'], ['Art. 9'], ['A.5.2']),
        item('quality_assurance_processes', 'high', HIGH, ['MEASURE 1.1'], ['Art. 17'], ['A.6.2.4']),
        item('change_management_procedures', 'medium', HIGH, ['GOVERN 1.4'], ['Art. 43'], ['A.6.2.6']),
        item('documentation_standards', 'medium', ['high_risk', 'transparency'], ['GOVERN 1.4'], ['Art. 11'], ['A.6.2.7']),
        item('training_programs_established', 'low', ALL, ['GOVERN 2.2'], ['Art. 4'], ['A.4.6']),
        item('ai_interaction_disclosed', 'high', ['transparency'], ['MEASURE 2.8'], ['Art. 50'], ['A.8.2']),
      ],
    },
  ];
  const ids = (f: 'nistAiRmf' | 'euAiAct' | 'iso42001') => [...new Set(domains.flatMap((d) => d.items.flatMap((i) => i.controls[f])))];
  const catalogue = (source: string, version: string, list: string[], extra: string[]): ControlCatalogue => ({
    source,
    version,
    controls: [...list, ...extra].map((id) => ({ id, title: `control ${id}`, group: id.split(/[ .]/)[0]! })),
  });
  const euAiAct: EuAiActPolicy = {
    source: 'Regulation (EU) 2024/1689',
    version: 'OJ L 2024/1689',
    articles: [...new Set([...ids('euAiAct'), 'Art. 5', 'Art. 6', 'Art. 26', 'Art. 27', 'Art. 27(3)', 'Art. 72', 'Art. 95'])].map((id) => ({ id, title: `article ${id}` })),
    tiers: [
      { tier: 'prohibited', articles: ['Art. 5'], description: 'Prohibited AI practices' },
      { tier: 'high_risk', articles: ['Art. 6', 'Art. 9', 'Art. 14'], description: 'High-risk AI systems' },
      { tier: 'transparency', articles: ['Art. 50'], description: 'Transparency obligations' },
      { tier: 'minimal', articles: ['Art. 95'], description: 'Minimal risk' },
    ],
    annexIIIAreas: [
      { id: '1', title: 'Biometrics' },
      { id: '2', title: 'Critical infrastructure' },
      { id: '3', title: 'Education and vocational training' },
      { id: '4', title: 'Employment, workers management and access to self-employment' },
      { id: '5', title: 'Access to essential private and public services and benefits' },
      { id: '6', title: 'Law enforcement' },
      { id: '7', title: 'Migration, asylum and border control management' },
      { id: '8', title: 'Administration of justice and democratic processes' },
    ],
    acts: [
      { id: 'original', title: 'The regulation', citation: 'OJ L 2024/1689', url: 'https://example.org/original' },
      { id: 'amendment', title: 'The amending act', citation: 'OJ L 2026/1744', url: 'https://example.org/amendment' },
    ],
    catalogueVersions: [
      { version: 'v1', act: 'original', inForceFrom: '2024-08-01' },
      { version: 'v2', act: 'amendment', inForceFrom: '2026-07-27' },
    ],
    prohibitedPractices: [
      { key: 'social_scoring', point: 'Art. 5(1)(c)', title: 'Social scoring', from: '2025-02-02', since: 'v1', source: 'Art. 113(a)' },
      { key: 'intimate_imagery', point: 'Art. 5(1)(ba)', title: 'Non-consensual intimate imagery', from: '2026-12-02', since: 'v2', source: 'Art. 113(a) as amended' },
    ],
    derogation: { source: 'Art. 6(3)', conditions: [{ key: 'narrow_procedural_task', point: 'Art. 6(3)(a)', title: 'Narrow procedural task' }] },
    fria: { source: 'Art. 27(1)', excludedAreas: ['2'], deployerTypes: ['public_body', 'private_public_service'], annexIIIPoints: ['5(b)', '5(c)'] },
    biometricArea: '1',
    seriousIncidents: { source: 'Art. 73', categories: [{ key: 'death', point: 'Art. 3(49)(a)', title: 'death', reportWithinDays: 10, provision: 'Art. 73(4)' }] },
    obligations: [
      {
        key: 'annex_iii_high_risk',
        title: 'Annex III obligations',
        articles: ['Art. 6'],
        roles: ['provider', 'deployer'],
        when: 'annex_iii_high_risk',
        schedule: [
          { version: 'v1', from: '2026-08-02', act: 'original', source: 'Art. 113' },
          { version: 'v2', from: '2027-12-02', act: 'amendment', source: 'Art. 113 as amended' },
        ],
      },
      { key: 'fria', title: 'FRIA', articles: ['Art. 27'], roles: ['deployer'], when: 'fria_deployer', schedule: [{ version: 'v1', from: '2026-08-02', act: 'original', source: 'Art. 27' }] },
      { key: 'prohibited', title: 'Prohibitions', articles: ['Art. 5'], roles: ['provider', 'deployer'], when: 'prohibited_practice', schedule: [{ version: 'v1', from: '2025-02-02', act: 'original', source: 'Art. 113(a)' }] },
      { key: 'interaction', title: 'Tell people', articles: ['Art. 50'], roles: ['provider'], when: 'interacts_with_natural_persons', schedule: [{ version: 'v1', from: '2026-08-02', act: 'original', source: 'Art. 50(1)' }] },
      {
        key: 'marking',
        title: 'Mark content',
        articles: ['Art. 50'],
        roles: ['provider'],
        when: 'generates_synthetic_content',
        schedule: [
          { version: 'v1', from: '2026-08-02', act: 'original', source: 'Art. 50(2)' },
          { version: 'v2', from: '2026-08-02', act: 'amendment', source: 'Art. 50(2)', placedOnMarketBefore: '2026-08-02', transitionFrom: '2026-12-02', transitionSource: 'Art. 111(4)' },
        ],
      },
    ],
  };
  const monitoring: ComplianceMonitoringPolicy = {
    automatedChecks: ['bias_detection_algorithms', 'performance_monitoring', 'data_usage_tracking', 'audit_trail_maintenance'],
    manualReviews: [
      { key: 'quarterly_compliance_assessment', cadence: 'quarterly' },
      { key: 'annual_comprehensive_audit', cadence: 'annual' },
      { key: 'incident_investigation', cadence: 'on_event' },
      { key: 'stakeholder_feedback_review', cadence: 'quarterly' },
    ],
  };
  return {
    checklist: { domains, remediationDays: { critical: 30, high: 60, medium: 90, low: 180 } },
    euAiAct,
    nistAiRmf: catalogue('NIST AI 100-1', '1.0', ids('nistAiRmf'), ['GOVERN 1.2', 'MANAGE 1.1']),
    iso42001: catalogue('ISO/IEC 42001', '2023', ids('iso42001'), ['A.2.2']),
    monitoring,
  };
}

/** Every factor of the decision-criteria policy set to `value`. */
export function uniformScores(policy: DecisionCriteriaPolicy, value: number): Record<string, number> {
  return Object.fromEntries(policy.criteria.flatMap((c) => c.factors.map((f) => [f, value])));
}

/** The error `fn` throws; fails the test when it does not throw. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw');
}
