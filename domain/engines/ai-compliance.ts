/**
 * AI compliance assessment: the EU AI Act risk tier from intake answers (a prohibited practice is returned as a
 * tier with `blocked: true`), the checklist items that apply to that tier, a status per item from the evidence,
 * gap analysis, a remediation plan with deadlines counted from the assessment date, a score per domain, the
 * controls covered per framework (NIST AI RMF, EU AI Act, ISO/IEC 42001) and ongoing monitoring requirements.
 * Pure: safe to import from workflow code.
 */
import type {
  ObligationScope,
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
import { catalogueVersionAsOf, obligationAsOf, obligationDateAsOf, prohibitedPracticesAsOf, type ObligationResult } from './eu-ai-act-calendar.js';
import { aiComplianceInputSchema, type AiComplianceInput } from './inputs.js';
import { compareNatural, compareText, roundScore, sortNatural, stableSum } from './rounding.js';
import { humanise, throwIfProblems } from './scoring.js';

export type { AiComplianceInput } from './inputs.js';
export type { ObligationResult } from './eu-ai-act-calendar.js';

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
    /** The Art. 6(3) derogation, when the provider claims it. */
    derogation: { claimed: true; effective: boolean; conditions: string[]; reason: string } | null;
  };
  /** The date the law is applied as of, and the catalogue version (amending act) in force on it. */
  asOf: string;
  catalogueVersion: { version: string; act: string; citation: string; inForceFrom: string };
  /** The obligations that bind this system in its roles: in force (`applies`) or from a later date (`upcoming`). */
  obligations: ObligationResult[];
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
  const practices = policy.euAiAct.prohibitedPractices.map((p) => p.key);
  input.intake.prohibitedPractices.forEach((p, i) => {
    if (!practices.includes(p)) problems.push({ path: joinPath(joinPath('intake', 'prohibitedPractices'), i), message: `unknown Art. 5 practice (expected one of: ${practices.join(', ')})` });
  });
  const listed = new Set(annexIIIAreasOf(input, policy));
  input.intake.annexIIIPoints.forEach((p, i) => {
    if (!listed.has(p.split('(')[0]!)) problems.push({ path: joinPath(joinPath('intake', 'annexIIIPoints'), i), message: 'the point\'s area is not among intake.annexIIIAreas' });
  });
  const derogation = input.intake.derogation;
  if (derogation) {
    const conditions = policy.euAiAct.derogation.conditions.map((c) => c.key);
    if (listed.size === 0) problems.push({ path: joinPath('intake', 'derogation'), message: 'Art. 6(3) applies only to a system in an Annex III area' });
    derogation.conditions.forEach((c, i) => {
      if (!conditions.includes(c)) problems.push({ path: joinPath(joinPath(joinPath('intake', 'derogation'), 'conditions'), i), message: `unknown Art. 6(3) condition (expected one of: ${conditions.join(', ')})` });
    });
  }
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

/** Annex III areas of the system: those named, plus point 1 when it performs emotion recognition or biometric categorisation. */
function annexIIIAreasOf(input: AiComplianceInput, policy: AiCompliancePolicy): string[] {
  const areas = new Set(input.intake.annexIIIAreas);
  if (input.intake.emotionRecognitionOrBiometricCategorisation) areas.add(policy.euAiAct.biometricArea);
  return sortNatural(areas);
}

/** The facts about a system that decide its tier and which obligations bind it, as of a date. */
interface SystemFacts {
  asOf: string;
  prohibitedNow: string[];
  prohibitedLater: string[];
  annexIII: string[];
  derogation: AiComplianceResult['classification']['derogation'];
  scope: Record<ObligationScope, boolean>;
}

function factsOf(input: AiComplianceInput, policy: AiCompliancePolicy, asOf: string): SystemFacts {
  const { intake } = input;
  const eu = policy.euAiAct;
  const used = new Set(intake.prohibitedPractices);
  const list = prohibitedPracticesAsOf(eu, asOf).filter((p) => used.has(p.key));
  const annexIII = annexIIIAreasOf(input, policy);
  let derogation: SystemFacts['derogation'] = null;
  if (intake.derogation && annexIII.length > 0) {
    const conditions = intake.derogation.conditions.map((c) => eu.derogation.conditions.find((k) => k.key === c)!.point);
    const [effective, reason] = intake.profiling
      ? [false, `${eu.derogation.source}: an Annex III system that performs profiling of natural persons is always high-risk`]
      : !intake.derogation.documented
        ? [false, `${eu.derogation.source}: the assessment that the system is not high-risk must be documented before it is placed on the market`]
        : [true, `${eu.derogation.source}: no significant risk of harm (${conditions.join(', ')}); assessment documented`];
    derogation = { claimed: true, effective, conditions: conditions, reason };
  }
  const annexIIIHighRisk = annexIII.length > 0 && !derogation?.effective;
  const fria = eu.fria;
  return {
    asOf,
    prohibitedNow: list.filter((p) => p.status === 'applies').map((p) => p.key),
    prohibitedLater: list.filter((p) => p.status === 'upcoming').map((p) => p.key),
    annexIII,
    derogation,
    scope: {
      any_system: true,
      prohibited_practice: list.length > 0,
      general_purpose_ai_model: intake.generalPurposeAiModel,
      annex_iii_high_risk: annexIIIHighRisk,
      annex_i_high_risk: intake.annexISafetyComponent,
      fria_deployer:
        annexIIIHighRisk &&
        annexIII.some((a) => !fria.excludedAreas.includes(a)) &&
        (fria.deployerTypes.includes(intake.deployerType) || intake.annexIIIPoints.some((p) => fria.annexIIIPoints.includes(p))),
      article_6_3_derogation: derogation !== null && !intake.profiling,
      interacts_with_natural_persons: intake.interactsWithNaturalPersons,
      generates_synthetic_content: intake.generatesSyntheticContent,
      emotion_recognition_or_biometric_categorisation: intake.emotionRecognitionOrBiometricCategorisation,
    },
  };
}

function classify(input: AiComplianceInput, policy: AiCompliancePolicy, facts: SystemFacts): AiComplianceResult['classification'] {
  const intake = input.intake;
  const eu = policy.euAiAct;
  const transparencyReasons = [
    ...(intake.interactsWithNaturalPersons ? ['Interacts directly with natural persons (Art. 50(1))'] : []),
    ...(intake.generatesSyntheticContent ? ['Generates or manipulates synthetic content (Art. 50(2), 50(4))'] : []),
    ...(intake.emotionRecognitionOrBiometricCategorisation ? ['Emotion recognition or biometric categorisation (Art. 50(3))'] : []),
  ];
  const practice = (key: string) => eu.prohibitedPractices.find((p) => p.key === key)!;
  const later = facts.prohibitedLater.map((k) => `${practice(k).point}: ${practice(k).title}: prohibited from ${practice(k).from}, not yet on ${facts.asOf}`);
  let tier: EuAiActTier;
  let reasons: string[];
  if (facts.prohibitedNow.length > 0) {
    tier = 'prohibited';
    reasons = [...facts.prohibitedNow].sort(compareText).map((k) => `${practice(k).point}: ${practice(k).title}`);
  } else if (facts.scope.annex_iii_high_risk || facts.scope.annex_i_high_risk) {
    tier = 'high_risk';
    const titles = new Map(eu.annexIIIAreas.map((a) => [a.id, a.title]));
    reasons = [
      ...(facts.scope.annex_iii_high_risk ? facts.annexIII.map((a) => `Annex III area ${a}: ${titles.get(a)} (Art. 6(2))`) : []),
      ...(facts.derogation ? [facts.derogation.reason] : []),
      ...(intake.annexISafetyComponent ? ['Safety component of a product under Annex I legislation (Art. 6(1))'] : []),
      ...transparencyReasons,
      ...later,
    ];
  } else if (transparencyReasons.length > 0) {
    tier = 'transparency';
    reasons = [...(facts.derogation ? [facts.derogation.reason] : []), ...transparencyReasons, ...later];
  } else {
    tier = 'minimal';
    reasons = [
      ...(facts.derogation ? [facts.derogation.reason] : []),
      'No prohibited practice, no high-risk use and no transparency trigger: minimal risk (voluntary codes, Art. 95)',
      ...later,
    ];
  }
  const entry = eu.tiers.find((t) => t.tier === tier);
  return {
    tier,
    blocked: tier === 'prohibited',
    transparencyObligations: tier !== 'prohibited' && transparencyReasons.length > 0,
    reasons,
    articles: entry ? [...entry.articles] : [],
    description: entry?.description ?? '',
    derogation: facts.derogation,
  };
}

/** The calendar obligations that bind this system in its roles, in date order. */
function obligationsOf(input: AiComplianceInput, policy: AiCompliancePolicy, facts: SystemFacts): ObligationResult[] {
  const eu = policy.euAiAct;
  return eu.obligations
    .flatMap((o) => {
      const roles = o.roles.filter((r) => input.intake.operatorRoles.includes(r));
      if (!facts.scope[o.when] || roles.length === 0) return [];
      const date = obligationDateAsOf(eu, o, facts.asOf, input.intake.placedOnMarket);
      if (o.when === 'prohibited_practice') {
        // Each practice has its own date: the earliest of those the system uses.
        const used = prohibitedPracticesAsOf(eu, facts.asOf).filter((p) => input.intake.prohibitedPractices.includes(p.key));
        const first = used.sort((a, b) => compareText(a.from, b.from))[0]!;
        return [obligationAsOf(eu, o, roles, facts.asOf, { ...date, from: first.from, source: `${first.point}; ${first.source}` })];
      }
      return [obligationAsOf(eu, o, roles, facts.asOf, date)];
    })
    .sort((a, b) => compareText(a.appliesFrom, b.appliesFrom) || compareText(a.key, b.key));
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
  // The activity supplies today when the caller gives no date; a direct call without one uses the assessment date.
  const asOf = input.asOf ?? input.assessmentDate;
  const facts = factsOf(input, policy, asOf);
  const classification = classify(input, policy, facts);
  const obligations = obligationsOf(input, policy, facts);
  const tiers = new Set<EuAiActTier>([classification.tier, ...(classification.transparencyObligations ? (['transparency'] as const) : [])]);
  const evidence = new Map(input.evidence.map((e) => [e.item, e]));

  const requirements: RequirementResult[] = policy.checklist.domains.flatMap((d) =>
    d.items.map((item) => {
      const e = evidence.get(item.key);
      const applicable = item.appliesTo.some((t) => tiers.has(t)) && (!item.obligation || obligations.some((o) => o.key === item.obligation));
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
    asOf,
    catalogueVersion: catalogueVersionOf(policy, asOf),
    classification,
    obligations,
    requirements,
    gaps,
    remediationPlan,
    domains,
    overall,
    controls: { nistAiRmf: coverageOf('nistAiRmf', requirements, policy), euAiAct: coverageOf('euAiAct', requirements, policy), iso42001: coverageOf('iso42001', requirements, policy) },
    monitoring: monitoringFor(classification, policy),
  };
}

function catalogueVersionOf(policy: AiCompliancePolicy, asOf: string): AiComplianceResult['catalogueVersion'] {
  const v = catalogueVersionAsOf(policy.euAiAct, asOf);
  return { version: v.version, act: v.act, citation: policy.euAiAct.acts.find((a) => a.id === v.act)!.citation, inForceFrom: v.inForceFrom };
}

/** Parses and assesses in one step. */
export function runAiCompliance(raw: unknown, policy: AiCompliancePolicy): AiComplianceResult {
  return evaluateAiCompliance(parseAiComplianceInput(raw), policy);
}
