import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { PROJECT_ROOT } from '../../platform/paths.js';
import { canonicalJson } from '../canonical-json.js';
import { PROCESS_KINDS } from '../process-kinds.js';
import { PERMISSION_SCOPES } from './access.js';
import { ADR_KINDS } from '../adr/kinds.js';
import { TECH_RADAR_RINGS } from '../engines/technology-proposal.js';
import { POLICY_FILES, type ParsedFiles, type PolicyFileName } from './schema.js';
import { stepDueAt } from '../engines/escalation-deadlines.js';
import { utcOffsets } from './time-zones.js';
import type { BusinessCalendar, EscalationPolicy, PolicySet, PolicyVersion } from './types.js';

export interface PolicyIssue {
  file: string;
  /** Path inside the file, e.g. `criteria[2].weight`; empty for whole-file rules. */
  path: string;
  message: string;
}

/** Every problem of a policy folder, reported at once, one line each. */
export class PolicyValidationError extends Error {
  constructor(readonly issues: PolicyIssue[]) {
    super(issues.map((i) => `${i.file}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
    this.name = 'PolicyValidationError';
  }
}

/** The policy set shipped with govflow (the framework's own values). */
export function defaultPolicyDir(): string {
  return path.join(PROJECT_ROOT, 'policies');
}

/**
 * Files a policy folder may leave out, with what stands in for them: a folder from before calendars counts every
 * delay in UTC calendar days, as it always did (its default calendar works Monday to Friday, 09:00-17:00 UTC); one
 * from before decision records keeps every ADR in one collection and starts the radar empty, in the engine's rings.
 */
const OPTIONAL_FILES: Partial<Record<PolicyFileName, string>> = {
  'decision-records.yaml': `adr:
  collections:
    - { key: architecture, title: Architecture decisions, kinds: [architecture_review, technical_decision_evaluation, technology_proposal_evaluation] }
techRadar:
  rings:
    - { id: adopt, name: Adopt, color: '#5BA300' }
    - { id: trial, name: Trial, color: '#009EB0' }
    - { id: assess, name: Assess, color: '#C7BA00' }
    - { id: hold, name: Hold, color: '#E09B96' }
  quadrants:
    - { id: languages-and-frameworks, name: Languages & Frameworks, categories: [language, framework, library] }
    - { id: platforms, name: Platforms, categories: [database, platform, infrastructure, cloud, runtime] }
    - { id: tools, name: Tools, categories: [tool, service, saas] }
    - { id: techniques, name: Techniques, categories: [technique, practice, method] }
  defaultQuadrant: tools
`,
  'calendars.yaml': `timeZone: UTC
calendars:
  - { key: default, timeZone: UTC, workingDays: [monday, tuesday, wednesday, thursday, friday], workingHours: { start: '09:00', end: '17:00' }, holidays: [] }
`,
};

const REQUIRED_PHASES = ['phase_1_assessment', 'phase_2_strategy', 'phase_3_execution_planning'];
const TOTALS = {
  nist: { functions: 4, categories: 19, subcategories: 72 },
  iso: { controls: 38 },
};

function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/**
 * Reads, validates and assembles a policy folder. Throws one PolicyValidationError listing every problem:
 * unreadable or malformed files, schema violations, and the rules that span files.
 */
export async function loadPolicySet(dir: string): Promise<PolicySet> {
  return loadPolicyFiles(
    (name) => readFile(path.join(dir, name), 'utf8').catch(() => undefined),
    (name) => path.relative(process.cwd(), path.join(dir, name)) || name,
  );
}

/**
 * A policy set from file contents (e.g. a draft sent to `POST /policies/impact`); a file not given is read from
 * `baseDir`, so a draft may carry only the files it changes.
 */
export async function loadPolicySetFromFiles(files: Record<string, string>, baseDir: string): Promise<PolicySet> {
  const unknown = Object.keys(files).filter((f) => !(f in POLICY_FILES));
  if (unknown.length) throw new PolicyValidationError(unknown.map((file) => ({ file, path: '', message: `not a policy file (expected one of: ${Object.keys(POLICY_FILES).join(', ')})` })));
  return loadPolicyFiles(
    async (name) => files[name] ?? readFile(path.join(baseDir, name), 'utf8').catch(() => undefined),
    (name) => (name in files ? `draft/${name}` : name),
  );
}

async function loadPolicyFiles(read: (name: PolicyFileName) => Promise<string | undefined>, shown: (name: string) => string): Promise<PolicySet> {
  const issues: PolicyIssue[] = [];
  const raw: Record<string, unknown> = {};
  const parsed: Partial<Record<PolicyFileName, unknown>> = {};

  for (const [name, schema] of Object.entries(POLICY_FILES) as [PolicyFileName, (typeof POLICY_FILES)[PolicyFileName]][]) {
    const text = (await read(name)) ?? OPTIONAL_FILES[name];
    if (text === undefined) {
      issues.push({ file: shown(name), path: '', message: 'file is missing' });
      continue;
    }
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length) {
      for (const e of doc.errors) issues.push({ file: shown(name), path: '', message: `invalid YAML at line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` });
      continue;
    }
    // An optional file left out is not part of the content (a folder from before it keeps its hash).
    if (text !== OPTIONAL_FILES[name]) raw[name] = doc.toJS();
    const result = schema.safeParse(doc.toJS());
    if (!result.success) {
      for (const i of result.error.issues) issues.push({ file: shown(name), path: formatPath(i.path), message: i.message });
      continue;
    }
    parsed[name] = result.data;
  }
  if (issues.length) throw new PolicyValidationError(issues);
  const f = parsed as ParsedFiles;
  crossFileRules(f, shown, issues);
  if (issues.length) throw new PolicyValidationError(issues);
  return assemble(f, policyVersion(f['policy-set.yaml'].version, raw));
}

/** sha256 over the canonical JSON of every file's content: formatting and key order do not change it. */
export function policyVersion(semver: string, rawFiles: Record<string, unknown>): PolicyVersion {
  const contentHash = createHash('sha256').update(canonicalJson(rawFiles)).digest('hex');
  return { semver, contentHash, id: `${semver}+${contentHash.slice(0, 12)}` };
}

function crossFileRules(f: ParsedFiles, shown: (name: string) => string, issues: PolicyIssue[]): void {
  const add = (file: PolicyFileName, p: string, message: string) => issues.push({ file: shown(file), path: p, message });

  const sumsToOne = (file: PolicyFileName, what: string, weights: number[]) => {
    const sum = weights.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 0.001) add(file, '', `${what} sum to ${sum.toFixed(2)}; they must sum to 1.00`);
  };
  sumsToOne('decision-criteria.yaml', 'criteria weights', f['decision-criteria.yaml'].criteria.map((c) => c.weight));
  sumsToOne('performance-assessment.yaml', 'dimension weights', f['performance-assessment.yaml'].dimensions.map((d) => d.weight));
  sumsToOne('technology-proposal.yaml', 'weights', Object.values(f['technology-proposal.yaml'].weights));
  sumsToOne('strategic-initiative.yaml', 'weights', Object.values(f['strategic-initiative.yaml'].weights));
  sumsToOne('innovation.yaml', 'portfolio shares', f['innovation.yaml'].portfolioBalance.map((b) => b.share));

  const unique = (file: PolicyFileName, p: string, values: string[], what: string) => {
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v)) add(file, p, `duplicate ${what} "${v}"`);
      seen.add(v);
    }
  };
  const dc = f['decision-criteria.yaml'];
  unique('decision-criteria.yaml', 'criteria', dc.criteria.map((c) => c.key), 'criterion key');
  unique('decision-criteria.yaml', 'criteria', dc.criteria.flatMap((c) => c.factors), 'factor');
  if (!dc.criteria.some((c) => c.key === dc.riskCriterion)) add('decision-criteria.yaml', 'riskCriterion', `"${dc.riskCriterion}" is not one of the criteria`);
  if (dc.scale.min >= dc.scale.max) add('decision-criteria.yaml', 'scale', 'min must be below max');
  const pa = f['performance-assessment.yaml'];
  unique('performance-assessment.yaml', 'dimensions', pa.dimensions.map((d) => d.key), 'dimension key');
  if (pa.scale.min >= pa.scale.max) add('performance-assessment.yaml', 'scale', 'min must be below max');
  unique('roles.yaml', 'roles', f['roles.yaml'].roles.map((r) => r.key), 'role');
  unique('architecture-review.yaml', 'principles', f['architecture-review.yaml'].principles.map((p) => p.key), 'principle');
  unique('architecture-review.yaml', 'participants', f['architecture-review.yaml'].participants.map((p) => p.role), 'participant role');

  const roles = new Set(f['roles.yaml'].roles.map((r) => r.key));
  const knownRole = (file: PolicyFileName, p: string, role: string) => {
    if (!roles.has(role)) add(file, p, `unknown role "${role}" (roles are declared in roles.yaml)`);
  };
  const access = f['roles.yaml'];
  for (const [scope, actions] of Object.entries(access.permissions)) {
    if (!(PERMISSION_SCOPES as readonly string[]).includes(scope)) add('roles.yaml', `permissions.${scope}`, `unknown scope "${scope}" (expected one of ${PERMISSION_SCOPES.join(', ')})`);
    for (const [action, list] of Object.entries(actions)) list.forEach((r, i) => knownRole('roles.yaml', `permissions.${scope}.${action}[${i}]`, r));
  }
  const sod = access.segregationOfDuties;
  for (const [where, rule] of [['default', sod.default], ...Object.entries(sod.processes).map(([k, r]) => [`processes.${k}`, r] as const)] as const) {
    (rule.mutuallyExclusiveRoles ?? []).forEach((pair, i) => pair.forEach((r, j) => knownRole('roles.yaml', `segregationOfDuties.${where}.mutuallyExclusiveRoles[${i}][${j}]`, r)));
  }
  for (const kind of Object.keys(sod.processes)) {
    if (!(PROCESS_KINDS as readonly string[]).includes(kind)) add('roles.yaml', `segregationOfDuties.processes.${kind}`, `unknown process kind "${kind}"`);
  }
  const ar = f['architecture-review.yaml'];
  ar.participants.forEach((p, i) => knownRole('architecture-review.yaml', `participants[${i}].role`, p.role));
  ar.outcome.blockingRoles.forEach((r, i) => {
    if (!ar.participants.some((p) => p.role === r)) add('architecture-review.yaml', `outcome.blockingRoles[${i}]`, `"${r}" is not a participant of the review`);
  });
  knownRole('architecture-review.yaml', 'escalation.escalateToRole', ar.escalation.escalateToRole);
  const ai = f['ai-governance.yaml'];
  ai.committee.composition.forEach((r, i) => knownRole('ai-governance.yaml', `committee.composition[${i}]`, r));
  ai.ethicalReviewBoard.composition.forEach((r, i) => knownRole('ai-governance.yaml', `ethicalReviewBoard.composition[${i}]`, r));
  knownRole('ai-governance.yaml', 'committee.escalation.escalateToRole', ai.committee.escalation.escalateToRole);
  knownRole('ai-governance.yaml', 'ethicalReviewBoard.escalation.escalateToRole', ai.ethicalReviewBoard.escalation.escalateToRole);
  knownRole('ai-governance.yaml', 'incidents.escalateToRole', ai.incidents.escalateToRole);
  knownRole('ai-governance.yaml', 'obligations.escalateToRole', ai.obligations.escalateToRole);
  for (const [kind, role] of Object.entries(ai.obligations.verifierRoles)) knownRole('ai-governance.yaml', `obligations.verifierRoles.${kind}`, role);
  knownRole('ai-governance.yaml', 'aiSystems.monitoringReviews.escalateToRole', ai.aiSystems.monitoringReviews.escalateToRole);
  ai.aiSystems.monitoringReviews.feedbackRoles.forEach((r, i) => knownRole('ai-governance.yaml', `aiSystems.monitoringReviews.feedbackRoles[${i}]`, r));
  unique('ai-governance.yaml', 'aiSystems.thresholds', ai.aiSystems.thresholds.map((t) => t.metric), 'metric');
  ai.aiSystems.thresholds.forEach((t, i) => {
    if (!ai.complianceMonitoring.automatedChecks.includes(t.check)) add('ai-governance.yaml', `aiSystems.thresholds[${i}].check`, `"${t.check}" is not one of complianceMonitoring.automatedChecks`);
    if (t.trigger && !ai.ethicalReviewBoard.triggers.includes(t.trigger)) add('ai-governance.yaml', `aiSystems.thresholds[${i}].trigger`, `"${t.trigger}" is not one of ethicalReviewBoard.triggers`);
  });
  unique('ai-governance.yaml', 'aiSystems.riskScale.likelihood', ai.aiSystems.riskScale.likelihood, 'level');
  unique('ai-governance.yaml', 'aiSystems.riskScale.impact', ai.aiSystems.riskScale.impact, 'level');
  const rm = f['roadmap.yaml'];
  rm.phases.forEach((ph, i) => ph.signOffRoles.forEach((r, j) => knownRole('roadmap.yaml', `phases[${i}].signOffRoles[${j}]`, r)));
  knownRole('roadmap.yaml', 'escalation.escalateToRole', rm.escalation.escalateToRole);
  const phaseKeys = rm.phases.map((p) => p.key);
  for (const required of REQUIRED_PHASES) if (!phaseKeys.includes(required)) add('roadmap.yaml', 'phases', `phase "${required}" is missing`);
  unique('roadmap.yaml', 'phases', phaseKeys, 'phase');

  calendarRules(f, add);

  const nist = f['catalogues/nist-ai-rmf-1.0.yaml'];
  const functions = new Set(nist.controls.map((c) => c.id.split(' ')[0]));
  const categories = new Set(nist.controls.map((c) => c.group));
  unique('catalogues/nist-ai-rmf-1.0.yaml', 'controls', nist.controls.map((c) => c.id), 'control ID');
  if (functions.size !== TOTALS.nist.functions || categories.size !== TOTALS.nist.categories || nist.controls.length !== TOTALS.nist.subcategories) {
    add('catalogues/nist-ai-rmf-1.0.yaml', 'controls', `NIST AI RMF 1.0 has ${TOTALS.nist.functions} functions, ${TOTALS.nist.categories} categories and ${TOTALS.nist.subcategories} subcategories; this catalogue has ${functions.size}, ${categories.size} and ${nist.controls.length}`);
  }
  const iso = f['catalogues/iso-iec-42001-2023-annex-a.yaml'];
  unique('catalogues/iso-iec-42001-2023-annex-a.yaml', 'controls', iso.controls.map((c) => c.id), 'control ID');
  if (iso.controls.length !== TOTALS.iso.controls) {
    add('catalogues/iso-iec-42001-2023-annex-a.yaml', 'controls', `ISO/IEC 42001:2023 Annex A has ${TOTALS.iso.controls} controls; this catalogue has ${iso.controls.length}`);
  }
  const eu = f['catalogues/eu-ai-act.yaml'];
  const articles = new Set(eu.articles.map((a) => a.id));
  eu.tiers.forEach((t, i) => t.articles.forEach((a, j) => {
    if (!articles.has(a)) add('catalogues/eu-ai-act.yaml', `tiers[${i}].articles[${j}]`, `unknown article "${a}"`);
  }));

  euAiActCalendarRules(eu, (p, message) => add('catalogues/eu-ai-act.yaml', p, message));
  decisionRecordRules(f['decision-records.yaml'], (p, message) => add('decision-records.yaml', p, message));

  const known = { nistAiRmf: new Set(nist.controls.map((c) => c.id)), euAiAct: articles, iso42001: new Set(iso.controls.map((c) => c.id)) };
  const cl = f['compliance-checklist.yaml'];
  const obligations = new Set(eu.obligations.map((o) => o.key));
  cl.domains.forEach((d, di) =>
    d.items.forEach((item, ii) => {
      if (item.obligation && !obligations.has(item.obligation)) add('compliance-checklist.yaml', `domains[${di}].items[${ii}].obligation`, `unknown EU AI Act obligation "${item.obligation}"`);
    }),
  );
  ai.ethicalReviewBoard.reviewItems.forEach((r, i) => {
    if (r.obligation && !obligations.has(r.obligation)) add('ai-governance.yaml', `ethicalReviewBoard.reviewItems[${i}].obligation`, `unknown EU AI Act obligation "${r.obligation}" (catalogues/eu-ai-act.yaml)`);
  });
  unique('compliance-checklist.yaml', 'domains', cl.domains.flatMap((d) => d.items.map((i) => i.key)), 'checklist item');
  cl.domains.forEach((d, di) =>
    d.items.forEach((item, ii) =>
      (Object.keys(known) as (keyof typeof known)[]).forEach((framework) =>
        item.controls[framework].forEach((id, ci) => {
          if (!known[framework].has(id)) add('compliance-checklist.yaml', `domains[${di}].items[${ii}].controls.${framework}[${ci}]`, `unknown control ID "${id}"`);
        }),
      ),
    ),
  );
}

/**
 * The calendar is append-only history: versions in order, each opened by a known act; every schedule starts at the
 * first version and lists versions in order, so an amendment adds an entry and the old dates stay answerable.
 */
function euAiActCalendarRules(eu: ParsedFiles['catalogues/eu-ai-act.yaml'], add: (p: string, message: string) => void): void {
  const acts = new Set(eu.acts.map((a) => a.id));
  const order = new Map(eu.catalogueVersions.map((v, i) => [v.version, i]));
  eu.catalogueVersions.forEach((v, i) => {
    if (!acts.has(v.act)) add(`catalogueVersions[${i}].act`, `unknown act "${v.act}"`);
    const prev = eu.catalogueVersions[i - 1];
    if (prev && !(prev.inForceFrom < v.inForceFrom)) add(`catalogueVersions[${i}].inForceFrom`, `must be after the previous version's (${prev.inForceFrom})`);
  });
  const first = eu.catalogueVersions[0]!.version;
  const seen = new Set<string>();
  eu.prohibitedPractices.forEach((p, i) => {
    if (seen.has(p.key)) add(`prohibitedPractices[${i}].key`, `duplicate practice "${p.key}"`);
    seen.add(p.key);
    if (!order.has(p.since)) add(`prohibitedPractices[${i}].since`, `unknown catalogue version "${p.since}"`);
  });
  const keys = new Set<string>();
  const articles = new Set(eu.articles.map((a) => a.id));
  eu.obligations.forEach((o, i) => {
    if (keys.has(o.key)) add(`obligations[${i}].key`, `duplicate obligation "${o.key}"`);
    keys.add(o.key);
    o.articles.forEach((a, j) => {
      if (!articles.has(a)) add(`obligations[${i}].articles[${j}]`, `unknown article "${a}"`);
    });
    if (o.schedule[0]!.version !== first) add(`obligations[${i}].schedule[0].version`, `the first entry must be catalogue version "${first}"`);
    o.schedule.forEach((e, j) => {
      const at = order.get(e.version);
      if (at === undefined) add(`obligations[${i}].schedule[${j}].version`, `unknown catalogue version "${e.version}"`);
      else if (j > 0 && !(at > (order.get(o.schedule[j - 1]!.version) ?? Infinity))) add(`obligations[${i}].schedule[${j}].version`, 'schedule entries must follow the catalogue versions in order, one per version');
      if (!acts.has(e.act)) add(`obligations[${i}].schedule[${j}].act`, `unknown act "${e.act}"`);
    });
  });
}

/** Each ADR kind in exactly one collection; the radar's rings are the engine's, and entries name known ones. */
function decisionRecordRules(dr: ParsedFiles['decision-records.yaml'], add: (p: string, message: string) => void): void {
  const collectionOf = new Map<string, string>();
  dr.adr.collections.forEach((c, i) => {
    if (dr.adr.collections.findIndex((o) => o.key === c.key) !== i) add(`adr.collections[${i}].key`, `duplicate collection "${c.key}"`);
    c.kinds.forEach((kind, j) => {
      if (!(ADR_KINDS as readonly string[]).includes(kind)) add(`adr.collections[${i}].kinds[${j}]`, `"${kind}" yields no ADR (expected one of ${ADR_KINDS.join(', ')})`);
      else if (collectionOf.has(kind)) add(`adr.collections[${i}].kinds[${j}]`, `"${kind}" is already in collection "${collectionOf.get(kind)}"`);
      collectionOf.set(kind, c.key);
    });
  });
  const radar = dr.techRadar;
  const ringIds = radar.rings.map((r) => r.id);
  if (ringIds.join() !== TECH_RADAR_RINGS.join()) add('techRadar.rings', `expected the rings ${TECH_RADAR_RINGS.join(', ')} in this order (the technology proposal engine assigns them); got ${ringIds.join(', ') || 'none'}`);
  const quadrants = new Set<string>();
  const categories = new Set<string>();
  radar.quadrants.forEach((q, i) => {
    if (quadrants.has(q.id)) add(`techRadar.quadrants[${i}].id`, `duplicate quadrant "${q.id}"`);
    quadrants.add(q.id);
    q.categories.forEach((c, j) => {
      if (categories.has(c.toLowerCase())) add(`techRadar.quadrants[${i}].categories[${j}]`, `category "${c}" is already in another quadrant`);
      categories.add(c.toLowerCase());
    });
  });
  if (!quadrants.has(radar.defaultQuadrant)) add('techRadar.defaultQuadrant', `unknown quadrant "${radar.defaultQuadrant}"`);
  radar.entries.forEach((e, i) => {
    if (!quadrants.has(e.quadrant)) add(`techRadar.entries[${i}].quadrant`, `unknown quadrant "${e.quadrant}"`);
    if (!ringIds.includes(e.ring)) add(`techRadar.entries[${i}].ring`, `unknown ring "${e.ring}"`);
    if (radar.entries.findIndex((o) => o.id === e.id) !== i) add(`techRadar.entries[${i}].id`, `duplicate entry "${e.id}"`);
  });
}

type ParsedEscalation = ParsedFiles['architecture-review.yaml']['escalation'];

/** Every escalation of the policy, with where it is. */
function escalationsOf(f: ParsedFiles): [PolicyFileName, string, ParsedEscalation][] {
  const ai = f['ai-governance.yaml'];
  return [
    ['architecture-review.yaml', 'escalation', f['architecture-review.yaml'].escalation],
    ['ai-governance.yaml', 'committee.escalation', ai.committee.escalation],
    ['ai-governance.yaml', 'ethicalReviewBoard.escalation', ai.ethicalReviewBoard.escalation],
    ['roadmap.yaml', 'escalation', f['roadmap.yaml'].escalation],
  ];
}

/** The calendar an escalation counts in: the one it names, else `default` when a step counts working time. */
function calendarKeyOf(e: ParsedEscalation): string | undefined {
  return e.calendar ?? ([e.reminderAfter, e.escalateAfter, e.slaBreachAfter].some((d) => d?.time === 'working') ? 'default' : undefined);
}

/** The steps are compared from a fixed Monday 09:00 UTC: a delay in working time has no length of its own. */
const ORDER_CHECKED_FROM = Date.UTC(2026, 0, 5, 9);

function calendarRules(f: ParsedFiles, add: (file: PolicyFileName, p: string, message: string) => void): void {
  const cals = f['calendars.yaml'].calendars;
  const seen = new Set<string>();
  cals.forEach((c, i) => {
    if (seen.has(c.key)) add('calendars.yaml', `calendars[${i}].key`, `duplicate calendar "${c.key}"`);
    seen.add(c.key);
  });
  const known = (file: PolicyFileName, p: string, k: string | undefined) => {
    if (k !== undefined && !seen.has(k)) add(file, p, `unknown calendar "${k}" (calendars are declared in calendars.yaml)`);
  };
  known('ai-governance.yaml', 'committee.calendar', f['ai-governance.yaml'].committee.calendar);
  for (const [file, p, e] of escalationsOf(f)) {
    const k = calendarKeyOf(e);
    known(file, `${p}.calendar`, k);
    if (k !== undefined && !seen.has(k)) continue;
    const policy = resolveEscalation(e, f);
    const [r, x, b] = (['reminder', 'escalation', 'sla_breach'] as const).map((step) => stepDueAt(policy, step, ORDER_CHECKED_FROM, 0));
    if (!(r! < x! && x! < b!)) add(file, p, 'the reminder must come before the escalation, and the escalation before the SLA breach');
  }
}

function resolveCalendar(f: ParsedFiles, k: string | undefined): BusinessCalendar | undefined {
  const c = k === undefined ? undefined : f['calendars.yaml'].calendars.find((cal) => cal.key === k);
  return c && { ...c, offsets: utcOffsets(c.timeZone) };
}

/** The escalation as processes pin it: its calendar resolved (with its offsets), left out when it has none. */
function resolveEscalation(e: ParsedEscalation, f: ParsedFiles): EscalationPolicy {
  const { calendar: _named, ...rest } = e;
  const calendar = resolveCalendar(f, calendarKeyOf(e));
  return calendar ? { ...rest, calendar } : rest;
}

function assemble(f: ParsedFiles, version: PolicyVersion): PolicySet {
  const ai = f['ai-governance.yaml'];
  const { calendar: committeeCalendar, ...committee } = ai.committee;
  const meetingCalendar = resolveCalendar(f, committeeCalendar);
  const cals = f['calendars.yaml'];
  return {
    version,
    decisionCriteria: f['decision-criteria.yaml'],
    architectureReview: { ...f['architecture-review.yaml'], escalation: resolveEscalation(f['architecture-review.yaml'].escalation, f) },
    aiGovernance: {
      ...ai,
      committee: { ...committee, escalation: resolveEscalation(ai.committee.escalation, f), ...(meetingCalendar ? { calendar: meetingCalendar } : {}) },
      ethicalReviewBoard: { ...ai.ethicalReviewBoard, escalation: resolveEscalation(ai.ethicalReviewBoard.escalation, f) },
    },
    roadmap: { ...f['roadmap.yaml'], escalation: resolveEscalation(f['roadmap.yaml'].escalation, f) },
    innovation: f['innovation.yaml'],
    ctoServiceModel: {
      ...f['cto-service-model.yaml'],
      reporting: f['cto-service-model.yaml'].reporting.map((r) => (r.dayOfMonth === undefined ? r : { ...r, timeZone: cals.timeZone })),
    },
    teamStructures: f['teams.yaml'].teamStructures,
    leadershipCompetencies: f['teams.yaml'].leadershipCompetencies,
    performanceAssessment: f['performance-assessment.yaml'],
    technologyProposal: f['technology-proposal.yaml'],
    strategicInitiative: f['strategic-initiative.yaml'],
    complianceChecklist: f['compliance-checklist.yaml'],
    catalogues: {
      nistAiRmf: f['catalogues/nist-ai-rmf-1.0.yaml'],
      iso42001: f['catalogues/iso-iec-42001-2023-annex-a.yaml'],
      euAiAct: f['catalogues/eu-ai-act.yaml'],
    },
    roles: f['roles.yaml'].roles.map((r) => r.key),
    calendars: { timeZone: cals.timeZone, calendars: cals.calendars.map((c) => resolveCalendar(f, c.key)!) },
    access: {
      permissions: f['roles.yaml'].permissions,
      segregationOfDuties: f['roles.yaml'].segregationOfDuties,
      agents: f['roles.yaml'].agents,
    },
    decisionRecords: f['decision-records.yaml'],
  };
}
