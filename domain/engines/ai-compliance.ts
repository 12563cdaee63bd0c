/**
 * AI compliance assessment: the EU AI Act risk tier from intake answers (a prohibited practice is returned as a
 * tier with `blocked: true`), the checklist items that apply to that tier, a status per item from the evidence,
 * gap analysis, a remediation plan with deadlines counted from the assessment date, a score per domain, the
 * controls covered per framework (NIST AI RMF, EU AI Act, ISO/IEC 42001) and ongoing monitoring requirements.
 * Pure: safe to import from workflow code.
 */
import type {
  ComplianceChecklistItem,
  ComplianceChecklistPolicy,
  ComplianceMonitoringPolicy,
  ControlCatalogue,
  EuAiActPolicy,
  EuAiActTier,
  PolicySet,
} from '../policy/types.js';
import { addDays } from './calendar.js';
import { EnginePolicyError, joinPath, parseWith } from './errors.js';
import { PROHIBITED_PRACTICES, aiComplianceInputSchema, type AiComplianceInput } from './inputs.js';
import { compareNatural, compareText, roundScore, sortNatural, stableSum } from './rounding.js';
import { humanise, throwIfProblems } from './scoring.js';

export type { AiComplianceInput } from './inputs.js';

/** The policy slices the engine reads. */
export interface AiCompliancePolicy {
  checklist: ComplianceChecklistPolicy;
  euAiAct: EuAiActPolicy;
  nistAiRmf: ControlCatalogue;
  iso42001: ControlCatalogue;
  monitoring: ComplianceMonitoringPolicy;
}

export function aiCompliancePolicyOf(set: Pick<PolicySet, 'complianceChecklist' | 'catalogues' | 'aiGovernance'>): AiCompliancePolicy {
  return {
    checklist: set.complianceChecklist,
    euAiAct: set.catalogues.euAiAct,
    nistAiRmf: set.catalogues.nistAiRmf,
    iso42001: set.catalogues.iso42001,
    monitoring: set.aiGovernance.complianceMonitoring,
  };
}

export type Severity = ComplianceChecklistItem['severity'];
export type RequirementStatus = 'compliant' | 'partial' | 'non_compliant' | 'not_applicable';
export type Framework = 'nistAiRmf' | 'euAiAct' | 'iso42001';
const FRAMEWORKS: readonly Framework[] = ['nistAiRmf', 'euAiAct', 'iso42001'];

/** Severity weights of the domain score. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };
/** Points per status in the domain score. */
export const STATUS_POINTS: Record<Exclude<RequirementStatus, 'not_applicable'>, number> = { compliant: 1, partial: 0.5, non_compliant: 0 };
const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export interface RequirementResult {
  key: string;
  domain: string;
  title: string;
  severity: Severity;
  controls: ComplianceChecklistItem['controls'];
  status: RequirementStatus;
  evidence: string[];
  gap: string | null;
}

export interface RemediationAction {
  item: string;
  domain: string;
  severity: Severity;
  action: string;
  owner: string;
  deadline: string;
  days: number;
}

export type OverallStatus = 'compliant' | 'partially_compliant' | 'non_compliant' | 'blocked';

export interface DomainResult {
  key: string;
  applicable: number;
  compliant: number;
  partial: number;
  nonCompliant: number;
  /** Severity-weighted share of points (compliant 1, partial 0.5, non-compliant 0); null when nothing applies. */
  score: number | null;
  status: OverallStatus | 'not_applicable';
}

export interface ControlCoverage {
  catalogue: string;
  /** Controls whose every applicable checklist item is compliant. */
  covered: string[];
  /** Controls whose weakest applicable item is partial. */
  partial: string[];
  /** Controls with a non-compliant applicable item. */
  missing: string[];
  /** covered / (covered + partial + missing); null when no control is referenced. */
  coverage: number | null;
}

export interface MonitoringRequirement {
  key: string;
  source: 'eu_ai_act' | 'policy';
  requirement: string;
  cadence: string;
  articles: string[];
}

export interface AiComplianceResult {
  engine: 'ai_compliance';
  system: string;
  deploymentContext: string | null;
  assessmentDate: string;
  classification: {
    tier: EuAiActTier;
    blocked: boolean;
    /** Transparency obligations (Art. 50) apply; they also apply on top of the high-risk tier. */
    transparencyObligations: boolean;
    reasons: string[];
    articles: string[];
    description: string;
  };
  requirements: RequirementResult[];
  gaps: { item: string; domain: string; severity: Severity; status: 'partial' | 'non_compliant'; gap: string }[];
  remediationPlan: RemediationAction[];
  domains: DomainResult[];
  overall: { status: OverallStatus; score: number | null; rule: string };
  controls: Record<Framework, ControlCoverage>;
  monitoring: MonitoringRequirement[];
}

export function parseAiComplianceInput(raw: unknown): AiComplianceInput {
  return parseWith(aiComplianceInputSchema, raw);
}

function checkPolicy(policy: AiCompliancePolicy): void {
  const known: Record<Framework, Set<string>> = {
    nistAiRmf: new Set(policy.nistAiRmf.controls.map((c) => c.id)),
    iso42001: new Set(policy.iso42001.controls.map((c) => c.id)),
    euAiAct: new Set(policy.euAiAct.articles.map((a) => a.id)),
  };
  const keys = new Set<string>();
  const unknown: string[] = [];
  for (const d of policy.checklist.domains) {
    for (const item of d.items) {
      if (keys.has(item.key)) throw new EnginePolicyError(`complianceChecklist: duplicate item ${item.key}`);
      keys.add(item.key);
      for (const f of FRAMEWORKS) for (const id of item.controls[f]) if (!known[f].has(id)) unknown.push(`${item.key}: ${f} ${id}`);
    }
  }
  if (unknown.length > 0) throw new EnginePolicyError(`complianceChecklist: control references not in the catalogues: ${unknown.join('; ')}`);
  for (const s of Object.keys(SEVERITY_WEIGHT) as Severity[]) {
    const days = policy.checklist.remediationDays[s];
    if (!Number.isInteger(days) || days < 0) throw new EnginePolicyError(`complianceChecklist.remediationDays.${s}: expected a whole number of days ≥ 0`);
  }
}

function checkInput(input: AiComplianceInput, policy: AiCompliancePolicy): void {
  const problems: { path: string; message: string }[] = [];
  const areas = new Set(policy.euAiAct.annexIIIAreas.map((a) => a.id));
  input.intake.annexIIIAreas.forEach((a, i) => {
    if (!areas.has(a)) problems.push({ path: joinPath(joinPath('intake', 'annexIIIAreas'), i), message: `unknown Annex III area (expected one of: ${[...areas].join(', ')})` });
  });
  const items = new Set(policy.checklist.domains.flatMap((d) => d.items.map((i) => i.key)));
  input.evidence.forEach((e, i) => {
    if (!items.has(e.item)) problems.push({ path: joinPath(joinPath('evidence', i), 'item'), message: 'unknown checklist item' });
  });
  const domains = new Set(policy.checklist.domains.map((d) => d.key));
  for (const d of Object.keys(input.owners.byDomain).sort()) {
    if (!domains.has(d)) problems.push({ path: joinPath(joinPath('owners', 'byDomain'), d), message: `unknown checklist domain (expected one of: ${[...domains].join(', ')})` });
  }
  throwIfProblems(problems);
}

function classify(input: AiComplianceInput, policy: AiCompliancePolicy): AiComplianceResult['classification'] {
  const intake = input.intake;
  const transparencyReasons = [
    ...(intake.interactsWithNaturalPersons ? ['Interacts directly with natural persons (Art. 50(1))'] : []),
    ...(intake.generatesSyntheticContent ? ['Generates or manipulates synthetic content (Art. 50(2), 50(4))'] : []),
    ...(intake.emotionRecognitionOrBiometricCategorisation ? ['Emotion recognition or biometric categorisation (Art. 50(3))'] : []),
  ];
  let tier: EuAiActTier;
  let reasons: string[];
  if (intake.prohibitedPractices.length > 0) {
    tier = 'prohibited';
    reasons = [...new Set(intake.prohibitedPractices)].sort(compareText).map((p) => PROHIBITED_PRACTICES[p]);
  } else if (intake.annexIIIAreas.length > 0 || intake.annexISafetyComponent) {
    tier = 'high_risk';
    const titles = new Map(policy.euAiAct.annexIIIAreas.map((a) => [a.id, a.title]));
    reasons = [
      ...sortNatural(new Set(intake.annexIIIAreas)).map((a) => `Annex III area ${a}: ${titles.get(a)} (Art. 6(2))`),
      ...(intake.annexISafetyComponent ? ['Safety component of a product under Annex I legislation (Art. 6(1))'] : []),
    ];
  } else if (transparencyReasons.length > 0) {
    tier = 'transparency';
    reasons = transparencyReasons;
  } else {
    tier = 'minimal';
    reasons = ['No prohibited practice, no high-risk use and no transparency trigger: minimal risk (voluntary codes, Art. 95)'];
  }
  const entry = policy.euAiAct.tiers.find((t) => t.tier === tier);
  return {
    tier,
    blocked: tier === 'prohibited',
    transparencyObligations: tier !== 'prohibited' && transparencyReasons.length > 0,
    reasons: tier === 'high_risk' ? [...reasons, ...transparencyReasons] : reasons,
    articles: entry ? [...entry.articles] : [],
    description: entry?.description ?? '',
  };
}

function statusOf(applicable: boolean, evidence: AiComplianceInput['evidence'][number] | undefined): { status: RequirementStatus; gap: string | null } {
  if (!applicable) return { status: 'not_applicable', gap: null };
  if (!evidence) return { status: 'non_compliant', gap: 'No evidence supplied' };
  if (evidence.implementation === 'not_implemented') return { status: 'non_compliant', gap: 'Not implemented' };
  if (evidence.implementation === 'partially_implemented') return { status: 'partial', gap: 'Partially implemented' };
  if (evidence.references.length === 0) return { status: 'partial', gap: 'Implemented, but no evidence reference supplied' };
  return { status: 'compliant', gap: null };
}

function actionFor(r: RequirementResult): string {
  if (r.status === 'partial' && r.gap?.startsWith('Implemented')) return `File evidence references for "${r.title}"`;
  if (r.status === 'partial') return `Complete the implementation of "${r.title}" and file evidence`;
  return `Implement "${r.title}" and file evidence`;
}

function statusFrom(results: RequirementResult[]): { status: OverallStatus | 'not_applicable'; score: number | null } {
  const applicable = results.filter((r) => r.status !== 'not_applicable');
  if (applicable.length === 0) return { status: 'not_applicable', score: null };
  const weights = applicable.map((r) => SEVERITY_WEIGHT[r.severity]);
  const points = applicable.map((r) => SEVERITY_WEIGHT[r.severity] * STATUS_POINTS[r.status as keyof typeof STATUS_POINTS]);
  const score = roundScore(stableSum(points) / stableSum(weights));
  if (applicable.every((r) => r.status === 'compliant')) return { status: 'compliant', score };
  if (applicable.some((r) => r.severity === 'critical' && r.status === 'non_compliant') || score < 0.5) return { status: 'non_compliant', score };
  return { status: 'partially_compliant', score };
}

/** The article ids of the catalogue for article numbers: the shortest id whose first number matches. */
function articleIds(numbers: number[], policy: AiCompliancePolicy): string[] {
  return numbers.flatMap((n) => {
    const matches = policy.euAiAct.articles
      .map((a) => a.id)
      .filter((id) => Number(/\d+/.exec(id)?.[0]) === n)
      .sort((a, b) => a.length - b.length || compareNatural(a, b));
    return matches.length > 0 ? [matches[0]!] : [];
  });
}

function monitoringFor(c: AiComplianceResult['classification'], policy: AiCompliancePolicy): MonitoringRequirement[] {
  const act = (key: string, requirement: string, cadence: string, articles: number[]): MonitoringRequirement => ({
    key,
    source: 'eu_ai_act',
    requirement,
    cadence,
    articles: articleIds(articles, policy),
  });
  if (c.blocked) return [act('cease_prohibited_practice', 'Stop the prohibited practice; the system must not be placed on the market, put into service or used', 'immediately', [5])];
  const out: MonitoringRequirement[] = [act('ai_literacy', 'Keep staff operating the system AI-literate', 'annual', [4])];
  if (c.tier === 'high_risk') {
    out.push(
      act('post_market_monitoring', 'Run the post-market monitoring plan and feed findings into the risk management system', 'continuous', [72, 9]),
      act('automatic_logging', 'Keep automatically generated logs for the required retention period', 'continuous', [12, 26]),
      act('human_oversight', 'Check that human oversight measures are staffed and effective', 'quarterly', [14, 26]),
      act('serious_incident_reporting', 'Report serious incidents to the market surveillance authority', 'on_event', [73]),
      act('conformity_reassessment', 'Reassess conformity after any substantial modification', 'on_change', [43]),
    );
  }
  if (c.transparencyObligations) out.push(act('transparency_disclosures', 'Verify that people are told they interact with AI and that synthetic content is marked', 'on_change', [50]));
  if (c.tier === 'minimal') out.push(act('voluntary_code_of_conduct', 'Review adherence to voluntary codes of conduct', 'annual', [95]));
  for (const check of policy.monitoring.automatedChecks) {
    out.push({ key: check, source: 'policy', requirement: `Automated check: ${humanise(check)}`, cadence: 'continuous', articles: [] });
  }
  for (const review of policy.monitoring.manualReviews) {
    out.push({ key: review.key, source: 'policy', requirement: `Manual review: ${humanise(review.key)}`, cadence: review.cadence, articles: [] });
  }
  return out;
}

function coverageOf(framework: Framework, requirements: RequirementResult[], policy: AiCompliancePolicy): ControlCoverage {
  const catalogue = framework === 'euAiAct' ? policy.euAiAct : framework === 'nistAiRmf' ? policy.nistAiRmf : policy.iso42001;
  const rank: Record<Exclude<RequirementStatus, 'not_applicable'>, number> = { non_compliant: 0, partial: 1, compliant: 2 };
  const weakest = new Map<string, number>();
  for (const r of requirements) {
    if (r.status === 'not_applicable') continue;
    for (const id of r.controls[framework]) weakest.set(id, Math.min(weakest.get(id) ?? 2, rank[r.status]));
  }
  const ids = sortNatural(weakest.keys());
  const covered = ids.filter((id) => weakest.get(id) === 2);
  return {
    catalogue: `${catalogue.source} ${catalogue.version}`,
    covered,
    partial: ids.filter((id) => weakest.get(id) === 1),
    missing: ids.filter((id) => weakest.get(id) === 0),
    coverage: ids.length === 0 ? null : roundScore(covered.length / ids.length),
  };
}

/** Assesses a parsed input against the compliance checklist and the catalogues. */
export function evaluateAiCompliance(input: AiComplianceInput, policy: AiCompliancePolicy): AiComplianceResult {
  checkPolicy(policy);
  checkInput(input, policy);
  const classification = classify(input, policy);
  const tiers = new Set<EuAiActTier>([classification.tier, ...(classification.transparencyObligations ? (['transparency'] as const) : [])]);
  const evidence = new Map(input.evidence.map((e) => [e.item, e]));

  const requirements: RequirementResult[] = policy.checklist.domains.flatMap((d) =>
    d.items.map((item) => {
      const e = evidence.get(item.key);
      const applicable = item.appliesTo.some((t) => tiers.has(t));
      const { status, gap } = statusOf(applicable, e);
      return {
        key: item.key,
        domain: d.key,
        title: item.title,
        severity: item.severity,
        controls: { nistAiRmf: [...item.controls.nistAiRmf], euAiAct: [...item.controls.euAiAct], iso42001: [...item.controls.iso42001] },
        status,
        evidence: status === 'not_applicable' ? [] : [...(e?.references ?? [])],
        gap,
      };
    }),
  );

  const bySeverity = (a: { severity: Severity; domain: string; key?: string; item?: string }, b: typeof a) =>
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || compareText(a.domain, b.domain) || compareText(a.key ?? a.item ?? '', b.key ?? b.item ?? '');
  const gapped = requirements.filter((r) => r.status === 'partial' || r.status === 'non_compliant').sort(bySeverity);
  const gaps = gapped.map((r) => ({ item: r.key, domain: r.domain, severity: r.severity, status: r.status as 'partial' | 'non_compliant', gap: r.gap! }));

  const remediationPlan: RemediationAction[] = classification.blocked
    ? []
    : gapped
        .map((r) => {
          const days = policy.checklist.remediationDays[r.severity];
          return {
            item: r.key,
            domain: r.domain,
            severity: r.severity,
            action: actionFor(r),
            owner: input.owners.byDomain[r.domain] ?? input.owners.default,
            deadline: addDays(input.assessmentDate, days),
            days,
          };
        })
        .sort((a, b) => compareText(a.deadline, b.deadline) || bySeverity(a, b));

  const domains: DomainResult[] = policy.checklist.domains.map((d) => {
    const rs = requirements.filter((r) => r.domain === d.key);
    const { status, score } = statusFrom(rs);
    return {
      key: d.key,
      applicable: rs.filter((r) => r.status !== 'not_applicable').length,
      compliant: rs.filter((r) => r.status === 'compliant').length,
      partial: rs.filter((r) => r.status === 'partial').length,
      nonCompliant: rs.filter((r) => r.status === 'non_compliant').length,
      score,
      status,
    };
  });

  const all = statusFrom(requirements);
  const overall: AiComplianceResult['overall'] = classification.blocked
    ? { status: 'blocked', score: all.score, rule: 'The system uses a practice prohibited by Art. 5: the process stops' }
    : all.status === 'not_applicable'
      ? { status: 'compliant', score: null, rule: 'No checklist item applies to this tier' }
      : {
          status: all.status,
          score: all.score,
          rule:
            all.status === 'compliant'
              ? 'Every applicable item is compliant'
              : all.status === 'non_compliant'
                ? 'A critical item is non-compliant, or the severity-weighted score is below 0.5'
                : 'Gaps remain, none critical and non-compliant, and the severity-weighted score is at least 0.5',
        };

  return {
    engine: 'ai_compliance',
    system: input.system,
    deploymentContext: input.deploymentContext ?? null,
    assessmentDate: input.assessmentDate,
    classification,
    requirements,
    gaps,
    remediationPlan,
    domains,
    overall,
    controls: { nistAiRmf: coverageOf('nistAiRmf', requirements, policy), euAiAct: coverageOf('euAiAct', requirements, policy), iso42001: coverageOf('iso42001', requirements, policy) },
    monitoring: monitoringFor(classification, policy),
  };
}

/** Parses and assesses in one step. */
export function runAiCompliance(raw: unknown, policy: AiCompliancePolicy): AiComplianceResult {
  return evaluateAiCompliance(parseAiComplianceInput(raw), policy);
}
