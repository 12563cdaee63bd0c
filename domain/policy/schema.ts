import { z } from 'zod';
import { REPORT_TEMPLATES } from '../reports/content.js';
import { parseCadence, parseDurationRange, parseIsoDuration } from './duration.js';

/**
 * zod schemas of the policy files, one per file. Objects are strict so a misspelt key is an error, not a
 * silently ignored setting. Cross-file rules (roles exist, controls exist, weights sum to 1) live in load.ts.
 */

const key = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a snake_case identifier');
const keys = z.array(key).min(1, 'must not be empty');
const fraction = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const days = z.number().int('expected a whole number of days').min(0, 'must not be negative');

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time such as 09:00')
  .transform((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as Europe/Brussels');

export const duration = z.string().transform((text, ctx) => {
  const parsed = parseDurationRange(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

const isoDuration = z.string().superRefine((text, ctx) => {
  const parsed = parseIsoDuration(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

/** A delay: an ISO 8601 duration in calendar time, or `{ duration, time: working | calendar }`. */
const delay = z
  .union([isoDuration, z.object({ duration: isoDuration, time: z.enum(['calendar', 'working']) }).strict()])
  .transform((d) => (typeof d === 'string' ? { duration: d, time: 'calendar' as const } : d))
  .refine((d) => d.time === 'calendar' || isWorkingDuration(d.duration), { message: 'working time counts weeks, days, hours and minutes, not months or years' });

function isWorkingDuration(text: string): boolean {
  const parsed = parseIsoDuration(text);
  return typeof parsed === 'string' || (parsed.years === 0 && parsed.months === 0);
}

const ESCALATION_STEPS = ['reminderAfter', 'escalateAfter', 'slaBreachAfter'] as const;

const escalation = z
  .object({
    reminderAfterDays: days.optional(),
    escalateAfterDays: days.optional(),
    slaBreachAfterDays: days.optional(),
    reminderAfter: delay.optional(),
    escalateAfter: delay.optional(),
    slaBreachAfter: delay.optional(),
    escalateToRole: key,
    maxExtensionDays: days,
    /** A calendar of calendars.yaml; steps in working time without one count in `default`. */
    calendar: key.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    for (const step of ESCALATION_STEPS) {
      const [asDays, asDelay] = [e[`${step}Days`] !== undefined, e[step] !== undefined];
      if (asDays === asDelay) ctx.addIssue({ code: 'custom', path: [asDays ? step : `${step}Days`], message: `give either ${step}Days (whole days) or ${step} (an ISO 8601 duration), not ${asDays ? 'both' : 'neither'}` });
    }
    const [r, x, b] = [e.reminderAfterDays, e.escalateAfterDays, e.slaBreachAfterDays];
    if (r !== undefined && x !== undefined && b !== undefined && !(r < x && x < b)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'reminderAfterDays < escalateAfterDays < slaBreachAfterDays must hold' });
    }
  });

const voting = z
  .object({
    quorum: fraction.refine((q) => q > 0, 'quorum must be greater than 0'),
    majority: z.number().min(0.5, 'majority must be at least 0.5').max(1, 'majority must be at most 1'),
    chairCastingVote: z.boolean(),
  })
  .strict();

const weighted = z.object({ key, weight: fraction, factors: keys }).strict();

export const policySetFile = z
  .object({
    version: z.string().regex(/^\d+\.\d+\.\d+(?:-[\w.]+)?$/, 'expected a semantic version such as 1.0.0'),
    name: z.string().min(1),
    description: z.string().optional(),
  })
  .strict();

const duties = z
  .object({
    selfApproval: z.boolean(),
    seatsPerPerson: z.number().int().min(1, 'at least one seat per person'),
    mutuallyExclusiveRoles: z.array(z.tuple([key, key])),
  })
  .strict();

export const rolesFile = z
  .object({
    roles: z.array(z.object({ key, description: z.string().min(1) }).strict()).min(1),
    /** scope (a process kind, `audit`, `reports`) → action → roles. */
    permissions: z.record(key, z.record(key, z.array(key))),
    segregationOfDuties: z.object({ default: duties, processes: z.record(key, duties.partial().strict()) }).strict(),
    agents: z.object({ finalDecisions: z.boolean() }).strict(),
  })
  .strict();

export const decisionCriteriaFile = z
  .object({
    criteria: z.array(weighted).min(1),
    scale: z.object({ min: z.number(), max: z.number() }).strict(),
    noClearWinnerMargin: z.number().min(0),
    riskCriterion: key,
  })
  .strict();

export const architectureReviewFile = z
  .object({
    principles: z.array(z.object({ key, description: z.string().min(1), complianceRequirements: keys }).strict()).min(1),
    triggers: keys,
    participants: z.array(z.object({ role: key, required: z.boolean() }).strict()).min(1),
    approvalCriteria: keys,
    outcome: z
      .object({
        blockingRoles: z.array(key),
        unanimousRequired: z.boolean(),
        requiresCommitteeApproval: z.boolean(),
        maxRounds: z.number().int().min(1, 'at least one round'),
      })
      .strict(),
    escalation,
  })
  .strict();

export const aiGovernanceFile = z
  .object({
    committee: z
      .object({
        composition: keys,
        responsibilities: keys,
        meetingCadence: z.enum(['weekly', 'bi_weekly', 'monthly', 'quarterly']),
        meetingDayOfMonth: z.number().int().min(1, 'expected a day from 1 to 28').max(28, 'expected a day from 1 to 28'),
        /** With a calendar, a meeting on a holiday or non-working day moves (to the next working day by default). */
        calendar: key.optional(),
        meetingOffWorkingDay: z.enum(['next_working_day', 'previous_working_day']).optional(),
        decisionAuthority: key,
        voting,
        escalation,
      })
      .strict(),
    ethicalReviewBoard: z
      .object({
        composition: keys,
        responsibilities: keys,
        triggers: keys,
        reviewItems: z.array(z.object({ key, highRiskOnly: z.boolean(), obligation: key.optional() }).strict()).min(1),
        voting,
        requiresCommitteeApproval: z.boolean(),
        escalation,
      })
      .strict(),
    obligations: z
      .object({
        dueWithinDays: z.number().int().min(1, 'expected at least 1 day'),
        reminderBeforeDays: z.number().int().min(0),
        escalateToRole: key,
        suspendApprovalWhenOverdue: z.boolean(),
        verifierRoles: z.record(key, key),
      })
      .strict(),
    incidents: z
      .object({
        triageWithinDays: z.number().int().min(1, 'expected at least 1 day'),
        reminderBeforeDays: z.number().int().min(0),
        escalateToRole: key,
      })
      .strict(),
    aiSystems: z
      .object({
        monitoringReviews: z
          .object({
            dueWithinDays: z.number().int().min(1, 'expected at least 1 day'),
            reminderBeforeDays: days,
            escalateToRole: key,
            /** Who is told of stakeholder feedback besides the system's owner (the board). */
            feedbackRoles: keys,
          })
          .strict(),
        thresholds: z
          .array(
            z
              .object({
                metric: key,
                check: key,
                above: z.number().finite().optional(),
                below: z.number().finite().optional(),
                opens: z.enum(['ethical_review', 'incident']),
                trigger: key.optional(),
              })
              .strict()
              .refine((t) => (t.above === undefined) !== (t.below === undefined), { message: 'give exactly one of above and below' })
              .refine((t) => t.opens !== 'ethical_review' || t.trigger !== undefined, { message: 'an ethical review needs its trigger', path: ['trigger'] }),
          )
          .default([]),
        riskScale: z
          .object({
            likelihood: keys,
            impact: keys,
            reviewEveryDays: z.number().int().min(1, 'expected at least 1 day'),
            reminderBeforeDays: days,
          })
          .strict(),
      })
      .strict(),
    complianceMonitoring: z
      .object({
        automatedChecks: keys,
        manualReviews: z
          .array(
            z
              .object({ key, cadence: z.string() })
              .strict()
              .superRefine((r, ctx) => {
                if (r.cadence === 'on_event') return;
                const parsed = parseCadence(r.cadence);
                if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', path: ['cadence'], message: `${parsed}, or on_event` });
              }),
          )
          .min(1),
      })
      .strict(),
  })
  .strict();

export const roadmapFile = z
  .object({
    phases: z.array(z.object({ key, duration, activities: keys, deliverables: keys, signOffRoles: keys }).strict()),
    escalation,
    earlyCloseBySponsor: z.boolean().default(false),
  })
  .strict();

export const innovationFile = z
  .object({
    scoutingSources: keys,
    evaluationCriteria: keys,
    pocSelectionCriteria: keys,
    developmentProcess: keys,
    portfolioBalance: z.array(z.object({ bucket: z.enum(['core', 'adjacent', 'transformational']), key, share: fraction }).strict()).length(3, 'expected the three buckets core, adjacent, transformational'),
    portfolioTolerance: fraction,
    successMetrics: keys,
  })
  .strict();

export const ctoServiceModelFile = z
  .object({
    engagementTypes: z.array(z.object({ key, duration, commitment: key, focus: key, deliverables: keys }).strict()).min(1),
    reporting: z
      .array(
        z
          .object({
            key,
            cadence: z.string(),
            /** "monthly on day N" (or quarterly: January, April, July, October): a calendar schedule in the organisation's time zone. */
            dayOfMonth: z.number().int().min(1, 'expected a day from 1 to 28').max(28, 'expected a day from 1 to 28').optional(),
            /** Local time of such a run; 09:00 by default. */
            at: timeOfDay.optional(),
            report: z.enum(REPORT_TEMPLATES).optional().describe('What the report holds (default: executive_update)'),
          })
          .strict()
          .transform((r, ctx) => {
            const parsed = parseCadence(r.cadence);
            if (typeof parsed === 'string') {
              ctx.addIssue({ code: 'custom', path: ['cadence'], message: parsed });
              return z.NEVER;
            }
            if ((r.dayOfMonth !== undefined || r.at !== undefined) && !['monthly', 'quarterly'].includes(r.cadence)) {
              ctx.addIssue({ code: 'custom', path: ['dayOfMonth'], message: 'a day of the month is for a monthly or quarterly cadence' });
              return z.NEVER;
            }
            return { ...r, intervalDays: parsed.intervalDays };
          }),
      )
      .min(1),
  })
  .strict();

const range = z.string().transform((text, ctx) => {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.replace(/_members$/, ''));
  if (!m || Number(m[1]) > Number(m[2] ?? m[1])) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a size range such as 8-12 or 1` });
    return z.NEVER;
  }
  return { min: Number(m[1]), max: Number(m[2] ?? m[1]) };
});

export const teamsFile = z
  .object({
    teamStructures: z
      .array(
        z
          .object({
            key,
            size: range,
            composition: z.record(key, z.union([z.number().int().min(0), range])),
            responsibilities: keys,
            successMetrics: keys,
          })
          .strict()
          .transform((t) => ({
            ...t,
            composition: Object.entries(t.composition).map(([role, r]) => (typeof r === 'number' ? { role, min: r, max: r } : { role, ...r })),
          })),
      )
      .min(1),
    leadershipCompetencies: z.array(z.object({ key, description: z.string().min(1), skillAreas: keys, developmentActivities: keys }).strict()).min(1),
  })
  .strict();

export const performanceAssessmentFile = z
  .object({
    dimensions: z.array(z.object({ key, weight: fraction, criteria: keys }).strict().transform((d) => ({ key: d.key, weight: d.weight, factors: d.criteria }))).min(1),
    scale: z.object({ min: z.number(), max: z.number() }).strict(),
  })
  .strict();

export const technologyProposalFile = z
  .object({
    weights: z
      .object({
        strategic_fit: fraction,
        enterprise_integration: fraction,
        security_compliance: fraction,
        support_ecosystem: fraction,
        cost: fraction,
        implementation_risk: fraction,
      })
      .strict(),
    strategicFitFactors: keys,
    discountRate: fraction,
    horizonYears: z.number().int().min(1).max(15),
    thresholds: z.object({ approve: z.number(), approveWithConditions: z.number() }).strict(),
    conditionFloor: z.number(),
    radar: z.object({ adopt: z.number(), trial: z.number(), assess: z.number() }).strict(),
  })
  .strict();

export const strategicInitiativeFile = z
  .object({
    weights: z
      .object({
        strategic_value: fraction,
        technical_feasibility: fraction,
        market_opportunity: fraction,
        resource_requirements: fraction,
        implementation_risk: fraction,
        roi: fraction,
      })
      .strict(),
    strategicValueFactors: keys,
    discountRate: fraction,
    thresholds: z.object({ pursue: z.number(), pursueWithConditions: z.number() }).strict(),
  })
  .strict();

const tier = z.enum(['prohibited', 'high_risk', 'transparency', 'minimal']);
const isoDate = z.iso.date('expected a date such as 2025-02-02');

/** Operators an EU AI Act obligation binds. */
export const OPERATOR_ROLES = ['provider', 'deployer'] as const;
/** Art. 27(1) categories of deployer (a body governed by public law, a private entity providing public services, any other). */
export const DEPLOYER_TYPES = ['public_body', 'private_public_service', 'other'] as const;
/** The scope conditions an obligation of the regulatory calendar can name; the engine decides each from the intake. */
export const OBLIGATION_SCOPES = [
  'any_system',
  'prohibited_practice',
  'general_purpose_ai_model',
  'annex_iii_high_risk',
  'annex_i_high_risk',
  'fria_deployer',
  'article_6_3_derogation',
  'interacts_with_natural_persons',
  'generates_synthetic_content',
  'emotion_recognition_or_biometric_categorisation',
] as const;

export const complianceChecklistFile = z
  .object({
    domains: z
      .array(
        z
          .object({
            key,
            items: z
              .array(
                z
                  .object({
                    key,
                    title: z.string().min(1),
                    controls: z.object({ nistAiRmf: z.array(z.string()), euAiAct: z.array(z.string()), iso42001: z.array(z.string()) }).strict(),
                    appliesTo: z.array(tier).min(1),
                    severity: z.enum(['critical', 'high', 'medium', 'low']),
                    obligation: key.optional(),
                  })
                  .strict(),
              )
              .min(1),
          })
          .strict(),
      )
      .min(1),
    remediationDays: z.object({ critical: days, high: days, medium: days, low: days }).strict(),
  })
  .strict();

export const controlCatalogueFile = z
  .object({
    source: z.string().min(1),
    version: z.string().min(1),
    controls: z.array(z.object({ id: z.string().min(1), title: z.string().min(1), group: z.string().min(1) }).strict()).min(1),
  })
  .strict();

export const euAiActFile = z
  .object({
    source: z.string().min(1),
    version: z.string().min(1),
    articles: z.array(z.object({ id: z.string().regex(/^(Art\. \d+|Annex [IVX]+)$/, 'expected e.g. "Art. 9" or "Annex III"'), title: z.string().min(1) }).strict()).min(1),
    tiers: z.array(z.object({ tier, articles: z.array(z.string()).min(1), description: z.string().min(1) }).strict()).length(4, 'expected the four tiers'),
    annexIIIAreas: z.array(z.object({ id: z.string(), title: z.string().min(1) }).strict()).length(8, 'Annex III has eight areas'),
    acts: z.array(z.object({ id: key, title: z.string().min(1), citation: z.string().min(1), url: z.url() }).strict()).min(1),
    catalogueVersions: z.array(z.object({ version: z.string().min(1), act: key, inForceFrom: isoDate, note: z.string().optional() }).strict()).min(1),
    prohibitedPractices: z
      .array(z.object({ key, point: z.string().regex(/^Art\. 5\(1\)\([a-z]+\)$/, 'expected e.g. "Art. 5(1)(a)"'), title: z.string().min(1), from: isoDate, since: z.string().min(1), source: z.string().min(1) }).strict())
      .min(1),
    derogation: z.object({ source: z.string().min(1), conditions: z.array(z.object({ key, point: z.string().min(1), title: z.string().min(1) }).strict()).min(1) }).strict(),
    fria: z.object({ source: z.string().min(1), excludedAreas: z.array(z.string()), deployerTypes: z.array(z.enum(DEPLOYER_TYPES)), annexIIIPoints: z.array(z.string()) }).strict(),
    biometricArea: z.string(),
    seriousIncidents: z
      .object({
        source: z.string().min(1),
        categories: z
          .array(z.object({ key, point: z.string().regex(/^Art\. 3\(\d+\)(\([a-z]\))?$/, 'expected e.g. "Art. 3(49)(a)"'), title: z.string().min(1), reportWithinDays: z.number().int().min(1), provision: z.string().regex(/^Art\. 73\(\d\)$/, 'expected e.g. "Art. 73(2)"') }).strict())
          .min(1),
      })
      .strict(),
    obligations: z
      .array(
        z
          .object({
            key,
            title: z.string().min(1),
            articles: z.array(z.string()).min(1),
            roles: z.array(z.enum(OPERATOR_ROLES)).min(1),
            when: z.enum(OBLIGATION_SCOPES),
            schedule: z
              .array(
                z
                  .object({
                    version: z.string().min(1),
                    from: isoDate,
                    act: key,
                    source: z.string().min(1),
                    placedOnMarketBefore: isoDate.optional(),
                    transitionFrom: isoDate.optional(),
                    transitionSource: z.string().optional(),
                  })
                  .strict()
                  .refine((e) => (e.placedOnMarketBefore === undefined) === (e.transitionFrom === undefined) && (e.transitionFrom === undefined) === (e.transitionSource === undefined), {
                    message: 'a transition needs placedOnMarketBefore, transitionFrom and transitionSource together',
                  }),
              )
              .min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

const radarId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case identifier');

export const decisionRecordsFile = z
  .object({
    adr: z
      .object({
        collections: z.array(z.object({ key, title: z.string().min(1), kinds: keys }).strict()).min(1),
      })
      .strict(),
    techRadar: z
      .object({
        rings: z.array(z.object({ id: key, name: z.string().min(1), color: z.string().min(1), description: z.string().optional() }).strict()),
        quadrants: z.array(z.object({ id: radarId, name: z.string().min(1), categories: z.array(z.string().min(1)).default([]) }).strict()).min(1),
        defaultQuadrant: radarId,
        entries: z
          .array(
            z
              .object({
                id: radarId,
                title: z.string().min(1),
                quadrant: radarId,
                ring: key,
                since: z.iso.date(),
                description: z.string().optional(),
              })
              .strict(),
          )
          .default([]),
      })
      .strict(),
  })
  .strict();

export const calendarsFile = z
  .object({
    timeZone,
    calendars: z
      .array(
        z
          .object({
            key,
            timeZone,
            workingDays: z.array(z.enum(WEEKDAYS)).min(1, 'at least one working day').transform((ds) => ds.map((d) => WEEKDAYS.indexOf(d) + 1)),
            workingHours: z.object({ start: timeOfDay, end: timeOfDay }).strict().refine((h) => h.start < h.end, 'start must be before end'),
            holidays: z.array(z.object({ date: isoDate, name: z.string().min(1) }).strict()),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/** Every file of a policy set, with the schema that validates it. */
export const POLICY_FILES = {
  'policy-set.yaml': policySetFile,
  'roles.yaml': rolesFile,
  'decision-criteria.yaml': decisionCriteriaFile,
  'architecture-review.yaml': architectureReviewFile,
  'ai-governance.yaml': aiGovernanceFile,
  'roadmap.yaml': roadmapFile,
  'innovation.yaml': innovationFile,
  'cto-service-model.yaml': ctoServiceModelFile,
  'teams.yaml': teamsFile,
  'performance-assessment.yaml': performanceAssessmentFile,
  'technology-proposal.yaml': technologyProposalFile,
  'strategic-initiative.yaml': strategicInitiativeFile,
  'compliance-checklist.yaml': complianceChecklistFile,
  'decision-records.yaml': decisionRecordsFile,
  'catalogues/nist-ai-rmf-1.0.yaml': controlCatalogueFile,
  'catalogues/iso-iec-42001-2023-annex-a.yaml': controlCatalogueFile,
  'catalogues/eu-ai-act.yaml': euAiActFile,
  'calendars.yaml': calendarsFile,
} as const;

export type PolicyFileName = keyof typeof POLICY_FILES;
export type ParsedFiles = { [F in PolicyFileName]: z.output<(typeof POLICY_FILES)[F]> };
