/**
 * The shape of a validated policy set: the contract between the policy loader (which produces it from
 * `policies/*.yaml`), the engines and the workflows (which receive it, or a slice of it, as input).
 *
 * Pure types only: safe to import from workflow code.
 */

import type { SeriousIncidentCategory } from '../incidents/reporting.js';
import type { ReportTemplate } from '../reports/content.js';
import type { DEPLOYER_TYPES, OBLIGATION_SCOPES, OPERATOR_ROLES } from './schema.js';

/** A duration range parsed from strings such as `4-6_weeks`; `maxDays: null` means open-ended ("ongoing"). */
export interface DurationRange {
  minDays: number;
  maxDays: number | null;
}

export interface PolicyVersion {
  /** Semantic version declared in `policies/policy-set.yaml`. */
  semver: string;
  /** sha256 over the canonical (sorted-key JSON) content of every policy file, hex. */
  contentHash: string;
  /** `${semver}+${contentHash.slice(0, 12)}`: what processes pin and record. */
  id: string;
}

export interface WeightedCriterion {
  key: string;
  weight: number;
  factors: string[];
}

export interface DecisionCriteriaPolicy {
  criteria: WeightedCriterion[];
  /** Factor scores are given on this closed scale. */
  scale: { min: number; max: number };
  /** Below this margin (in weighted-score points on the scale) the engine reports "no clear winner". */
  noClearWinnerMargin: number;
  /** Factors whose score is "risk" (criterion key) — the weakest become risk mitigations. */
  riskCriterion: string;
}

/**
 * Each step's delay is given either in whole calendar days (`reminderAfterDays`, the original notation, which
 * processes pinned before durations carry) or as a Delay (`reminderAfter`); read them through `escalationTimers`.
 */
export interface EscalationPolicy {
  reminderAfterDays?: number;
  escalateAfterDays?: number;
  slaBreachAfterDays?: number;
  reminderAfter?: Delay;
  escalateAfter?: Delay;
  slaBreachAfter?: Delay;
  /** The calendar its delays count in (its time zone, working days and hours); none: UTC calendar days. */
  calendar?: BusinessCalendar;
  /** Role that receives escalations (e.g. committee_chair). */
  escalateToRole: string;
  /** Maximum total extension of a deadline by updates, in days. */
  maxExtensionDays: number;
}

export type Verdict = 'approve' | 'approve_with_conditions' | 'request_changes' | 'reject';

export interface ArchitectureReviewPolicy {
  principles: { key: string; description: string; complianceRequirements: string[] }[];
  triggers: string[];
  /** Reviewer roles; `required: true` roles must all rule before an outcome. */
  participants: { role: string; required: boolean }[];
  approvalCriteria: string[];
  outcome: {
    /** Roles whose `reject` on any criterion blocks the review outright. */
    blockingRoles: string[];
    /** When true, every required role must approve (with or without conditions). */
    unanimousRequired: boolean;
    /** Whether an approved architecture review also needs the governance committee's final approval. */
    requiresCommitteeApproval: boolean;
    maxRounds: number;
  };
  escalation: EscalationPolicy;
}

export interface VotingRule {
  /** Minimum fraction of members who must vote (0..1]. */
  quorum: number;
  /** Fraction of cast votes (excluding abstentions) needed to carry (e.g. 0.5 means strictly more than half). */
  majority: number;
  chairCastingVote: boolean;
}

export interface GovernanceCommitteePolicy {
  composition: string[];
  responsibilities: string[];
  meetingCadence: 'weekly' | 'bi_weekly' | 'monthly' | 'quarterly';
  /** Day of month the committee meets (1-28), for the monthly cadence. */
  meetingDayOfMonth: number;
  /** Where a meeting that falls on a holiday or a non-working day of `calendar` moves to. */
  meetingOffWorkingDay?: 'next_working_day' | 'previous_working_day';
  calendar?: BusinessCalendar;
  decisionAuthority: string;
  voting: VotingRule;
  escalation: EscalationPolicy;
}

export interface EthicalReviewBoardPolicy {
  composition: string[];
  responsibilities: string[];
  triggers: string[];
  /** Review items the board rules on; `highRiskOnly` items apply only to EU AI Act high-risk systems. */
  reviewItems: { key: string; highRiskOnly: boolean; obligation?: string | undefined }[];
  voting: VotingRule;
  /** Whether the board's approval goes on to the governance committee for final approval. */
  requiresCommitteeApproval: boolean;
  escalation: EscalationPolicy;
}

export interface ComplianceMonitoringPolicy {
  automatedChecks: string[];
  manualReviews: { key: string; cadence: string }[];
}

/** Who triages an incident how soon, and when its authority report's deadline is reminded of and escalated. */
export interface IncidentPolicy {
  triageWithinDays: number;
  reminderBeforeDays: number;
  escalateToRole: string;
}

/** Conditions of approvals tracked to closure: when they are due, who verifies them per process kind, what overdue does. */
export interface ObligationPolicy {
  dueWithinDays: number;
  reminderBeforeDays: number;
  escalateToRole: string;
  suspendApprovalWhenOverdue: boolean;
  verifierRoles: Record<string, string>;
}

/** A measurement an agent posts, and the value past which it opens a process (an ethical review with `trigger`, or an incident). */
export interface MeasurementThreshold {
  metric: string;
  /** The automated check of complianceMonitoring it belongs to. */
  check: string;
  above?: number | undefined;
  below?: number | undefined;
  opens: 'ethical_review' | 'incident';
  trigger?: string | undefined;
}

/** The inventory of AI systems: their manual reviews, what their monitors watch, and the risk register's scale. */
export interface AiSystemsPolicy {
  monitoringReviews: { dueWithinDays: number; reminderBeforeDays: number; escalateToRole: string; feedbackRoles: string[] };
  thresholds: MeasurementThreshold[];
  /** Likelihood and impact levels, lowest first: a risk's score is the product of their ranks (1-based). */
  riskScale: { likelihood: string[]; impact: string[]; reviewEveryDays: number; reminderBeforeDays: number };
}

export interface AiGovernancePolicy {
  committee: GovernanceCommitteePolicy;
  ethicalReviewBoard: EthicalReviewBoardPolicy;
  incidents: IncidentPolicy;
  obligations: ObligationPolicy;
  complianceMonitoring: ComplianceMonitoringPolicy;
  aiSystems: AiSystemsPolicy;
}

export interface RoadmapPhasePolicy {
  key: string;
  duration: DurationRange;
  activities: string[];
  deliverables: string[];
  signOffRoles: string[];
}

export interface RoadmapPolicy {
  phases: RoadmapPhasePolicy[];
  escalation: EscalationPolicy;
  /** Whether the sponsor may close a signed-off phase before its minimum duration, with a justification. */
  earlyCloseBySponsor?: boolean;
}

export interface InnovationPolicy {
  scoutingSources: string[];
  evaluationCriteria: string[];
  pocSelectionCriteria: string[];
  developmentProcess: string[];
  portfolioBalance: { bucket: 'core' | 'adjacent' | 'transformational'; key: string; share: number }[];
  /** Allowed absolute deviation from the target share before a warning. */
  portfolioTolerance: number;
  successMetrics: string[];
}

export interface CtoEngagementTypePolicy {
  key: string;
  duration: DurationRange;
  commitment: string;
  focus: string;
  deliverables: string[];
}

export interface CtoServiceModelPolicy {
  engagementTypes: CtoEngagementTypePolicy[];
  /**
   * Reporting cadences; `intervalDays: null` for "as_needed". A monthly or quarterly one with `dayOfMonth` runs on
   * that day at `at` (minutes after midnight, default 09:00) in `timeZone`, the organisation's (calendars.yaml).
   */
  reporting: { key: string; cadence: string; intervalDays: number | null; dayOfMonth?: number; at?: number; timeZone?: string; report?: ReportTemplate }[];
}

export interface TeamStructurePolicy {
  key: string;
  size: { min: number; max: number };
  composition: { role: string; min: number; max: number }[];
  responsibilities: string[];
  successMetrics: string[];
}

export interface LeadershipCompetencyPolicy {
  key: string;
  description: string;
  skillAreas: string[];
  developmentActivities: string[];
}

export interface PerformanceAssessmentPolicy {
  dimensions: WeightedCriterion[];
  /** Levels are scored on this closed scale. */
  scale: { min: number; max: number };
}

export interface ControlRefs {
  nistAiRmf: string[];
  euAiAct: string[];
  iso42001: string[];
}

export type EuAiActTier = 'prohibited' | 'high_risk' | 'transparency' | 'minimal';

export interface ComplianceChecklistItem {
  key: string;
  title: string;
  controls: ControlRefs;
  /** Tiers the item applies to. */
  appliesTo: EuAiActTier[];
  severity: 'critical' | 'high' | 'medium' | 'low';
  /** Key of an EU AI Act calendar obligation: the item applies only to systems that obligation binds. */
  obligation?: string | undefined;
}

export interface ComplianceChecklistPolicy {
  domains: { key: string; items: ComplianceChecklistItem[] }[];
  /** Days to remediate a gap, by severity. */
  remediationDays: Record<'critical' | 'high' | 'medium' | 'low', number>;
}

export interface ControlCatalogue {
  source: string;
  version: string;
  controls: { id: string; title: string; group: string }[];
}

export interface EuAiActPolicy {
  source: string;
  version: string;
  articles: { id: string; title: string }[];
  tiers: { tier: EuAiActTier; articles: string[]; description: string }[];
  /** Annex III high-risk areas 1-8. */
  annexIIIAreas: { id: string; title: string }[];
  acts: { id: string; title: string; citation: string; url: string }[];
  /** One per amending act, in order; the version in force on a date is the last with `inForceFrom` on or before it. */
  catalogueVersions: { version: string; act: string; inForceFrom: string; note?: string | undefined }[];
  /** Art. 5(1), each practice with the catalogue version that introduced it and the date it is prohibited from. */
  prohibitedPractices: { key: string; point: string; title: string; from: string; since: string; source: string }[];
  /** Art. 6(3) conditions under which an Annex III system is not high-risk. */
  derogation: { source: string; conditions: { key: string; point: string; title: string }[] };
  /** Art. 27(1) scope of the fundamental rights impact assessment. */
  fria: { source: string; excludedAreas: string[]; deployerTypes: DeployerType[]; annexIIIPoints: string[] };
  /** The Annex III area of emotion recognition and biometric categorisation. */
  biometricArea: string;
  /** Art. 3(49) and 3(61): what makes an incident serious, and the Art. 73 limit for reporting each. */
  seriousIncidents: { source: string; categories: SeriousIncidentCategory[] };
  obligations: EuAiActObligation[];
}

export type OperatorRole = (typeof OPERATOR_ROLES)[number];
export type DeployerType = (typeof DEPLOYER_TYPES)[number];
export type ObligationScope = (typeof OBLIGATION_SCOPES)[number];

/** One obligation of the regulatory calendar: its application date under each catalogue version. */
export interface EuAiActObligation {
  key: string;
  title: string;
  articles: string[];
  roles: OperatorRole[];
  when: ObligationScope;
  schedule: {
    version: string;
    from: string;
    act: string;
    source: string;
    /** A transition: systems placed on the market before this date apply the obligation from `transitionFrom`. */
    placedOnMarketBefore?: string | undefined;
    transitionFrom?: string | undefined;
    transitionSource?: string | undefined;
  }[];
}

export interface TechnologyProposalPolicy {
  weights: Record<
    'strategic_fit' | 'enterprise_integration' | 'security_compliance' | 'support_ecosystem' | 'cost' | 'implementation_risk',
    number
  >;
  strategicFitFactors: string[];
  discountRate: number;
  horizonYears: number;
  thresholds: { approve: number; approveWithConditions: number };
  /** Minimum score per dimension below which a condition is attached. */
  conditionFloor: number;
  radar: { adopt: number; trial: number; assess: number };
}

export interface StrategicInitiativePolicy {
  weights: Record<
    'strategic_value' | 'technical_feasibility' | 'market_opportunity' | 'resource_requirements' | 'implementation_risk' | 'roi',
    number
  >;
  strategicValueFactors: string[];
  discountRate: number;
  thresholds: { pursue: number; pursueWithConditions: number };
}

export interface PolicySet {
  version: PolicyVersion;
  decisionCriteria: DecisionCriteriaPolicy;
  architectureReview: ArchitectureReviewPolicy;
  aiGovernance: AiGovernancePolicy;
  roadmap: RoadmapPolicy;
  innovation: InnovationPolicy;
  ctoServiceModel: CtoServiceModelPolicy;
  teamStructures: TeamStructurePolicy[];
  leadershipCompetencies: LeadershipCompetencyPolicy[];
  performanceAssessment: PerformanceAssessmentPolicy;
  technologyProposal: TechnologyProposalPolicy;
  strategicInitiative: StrategicInitiativePolicy;
  complianceChecklist: ComplianceChecklistPolicy;
  catalogues: { nistAiRmf: ControlCatalogue; iso42001: ControlCatalogue; euAiAct: EuAiActPolicy };
  /** Every role name the policy knows; reviewer and voter roles must be among them. */
  roles: string[];
  /** Absent in sets pinned before calendars existed. */
  calendars?: CalendarsPolicy;
  /** Who may act, and the segregation-of-duties rules (roles.yaml); see domain/policy/access.ts. */
  access: AccessPolicy;
  /** ADR collections and the technology radar (decision-records.yaml). */
  decisionRecords: DecisionRecordsPolicy;
}

export interface DecisionRecordsPolicy {
  adr: { collections: { key: string; title: string; kinds: string[] }[] };
  techRadar: {
    /** Inner to outer. */
    rings: { id: string; name: string; color: string; description?: string }[];
    quadrants: { id: string; name: string; categories: string[] }[];
    defaultQuadrant: string;
    entries: { id: string; title: string; quadrant: string; ring: string; since: string; description?: string }[];
  };
}

export interface SegregationRule {
  selfApproval: boolean;
  seatsPerPerson: number;
  mutuallyExclusiveRoles: [string, string][];
}

export interface AccessPolicy {
  /** scope (a process kind, `audit`, `reports`) → action → roles, beyond those the process's own policy names. */
  permissions: Record<string, Record<string, string[]>>;
  segregationOfDuties: { default: SegregationRule; processes: Record<string, Partial<SegregationRule>> };
  agents: { finalDecisions: boolean };
}

/** Whether a delay counts every hour of the calendar or only the calendar's working days and hours. */
export type TimeBasis = 'calendar' | 'working';

/** A delay of the policy: an ISO 8601 duration (`PT10M`, `P5D`, `P1M`) counted in calendar or working time. */
export interface Delay {
  duration: string;
  time: TimeBasis;
}

/**
 * A business calendar (calendars.yaml): working days, working hours and public holidays in a time zone. The loader
 * adds the zone's UTC offsets (from the machine's time-zone data, once, when the policy is loaded), so the
 * arithmetic in workflows needs no Intl and a process keeps the offsets it pinned.
 */
export interface BusinessCalendar {
  key: string;
  timeZone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** Minutes after local midnight. */
  workingHours: { start: number; end: number };
  holidays: { date: string; name: string }[];
  /** `[fromUtcMs, offsetMinutes]` in order: the zone's offset from each instant on. */
  offsets: [number, number][];
}

export interface CalendarsPolicy {
  /** The organisation's time zone: report cadences run in it. */
  timeZone: string;
  calendars: BusinessCalendar[];
}
