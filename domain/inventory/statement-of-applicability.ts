/**
 * The ISO/IEC 42001 Statement of Applicability (clause 6.1.3 d): for every Annex A control, whether it applies, why,
 * how far it is implemented, and the evidence, derived from the AI system inventory, the compliance checklist (whose
 * items map to Annex A controls) and each system's latest AI compliance assessment. Pure: the API gathers the rows.
 */
import type { AiComplianceResult, RequirementStatus } from '../engines/ai-compliance.js';
import { compareNatural, compareText } from '../engines/rounding.js';
import { GovflowError } from '../errors.js';
import type { ComplianceChecklistItem, ComplianceChecklistPolicy, ControlCatalogue, EuAiActTier } from '../policy/types.js';

/** What the statement reads of a compliance result: the date, the tier and the status and evidence per item. */
export type AssessedResult = Pick<AiComplianceResult, 'assessmentDate' | 'requirements'> & { classification: Pick<AiComplianceResult['classification'], 'tier'> };

/** One compliance result about a system, with the process it comes from. */
export interface SystemAssessment {
  /** An AI compliance assessment, or an ethical review (whose compliance assessment is its recorded evaluation). */
  workflowId: string;
  /** When the result was recorded (ISO 8601): orders two assessments of the same date. */
  recordedAt: string;
  result: AssessedResult;
}

export interface InventorySystem {
  key: string;
  title: string;
  riskTier: EuAiActTier | null;
  stage: string;
  /** The system's latest compliance assessment (see `latestAssessment`), or null when it has none. */
  assessment: SystemAssessment | null;
}

export interface SoaInput {
  organisation: string | null;
  generatedAt: string;
  policyVersion: string;
  /** The ISO/IEC 42001 Annex A catalogue. */
  catalogue: ControlCatalogue;
  checklist: Pick<ComplianceChecklistPolicy, 'domains'>;
  systems: InventorySystem[];
}

export const IMPLEMENTATION_STATUSES = ['implemented', 'partially_implemented', 'not_implemented', 'not_assessed', 'not_applicable'] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

/** A checklist item's standing in one system: its status in the system's latest assessment, or not assessed. */
export interface ItemSystemStatus {
  system: string;
  status: Exclude<RequirementStatus, 'not_applicable'> | 'not_assessed';
  /** The assessment the status comes from; null when not assessed. */
  workflowId: string | null;
}

export interface SoaItem {
  key: string;
  title: string;
  appliesTo: EuAiActTier[];
  obligation: string | null;
  /** The systems in scope the item applies to, by key. */
  systems: ItemSystemStatus[];
}

export interface SoaEvidence {
  reference: string;
  item: string;
  system: string;
  workflowId: string;
}

export interface SoaControl {
  id: string;
  group: string;
  title: string;
  applicable: boolean;
  /** `organisation`: no checklist item maps to it, a control of the management system itself. */
  basis: 'inventory' | 'organisation';
  justification: string;
  implementation: ImplementationStatus;
  /** Item-system pairs by status (the applicable items in every system they apply to). */
  tally: { compliant: number; partial: number; nonCompliant: number; notAssessed: number };
  items: SoaItem[];
  evidence: SoaEvidence[];
}

export interface ScopedSystem {
  key: string;
  title: string;
  stage: string;
  /** The system's tier, or its latest assessment's when the system has none recorded yet; null: not classified. */
  riskTier: EuAiActTier | null;
  assessment: { workflowId: string; assessmentDate: string } | null;
}

export interface StatementOfApplicability {
  organisation: string | null;
  generatedAt: string;
  policyVersion: string;
  catalogue: { source: string; version: string };
  scope: { systems: ScopedSystem[]; excluded: { key: string; title: string; reason: string }[] };
  summary: { controls: number; applicable: number; notApplicable: number; organisationLevel: number; byStatus: Record<ImplementationStatus, number> };
  controls: SoaControl[];
}

/** Stages whose systems are out of the management system's scope: a retired system is no longer placed on the market or used. */
export const OUT_OF_SCOPE_STAGES: readonly string[] = ['retired'];

/**
 * The latest of a system's assessments: the latest assessment date, then the latest recorded, then the greatest
 * workflow ID (so that the choice never depends on the order the rows came in).
 */
export function latestAssessment(assessments: readonly SystemAssessment[]): SystemAssessment | null {
  const later = (a: SystemAssessment, b: SystemAssessment) =>
    compareText(a.result.assessmentDate, b.result.assessmentDate) || compareText(a.recordedAt, b.recordedAt) || compareText(a.workflowId, b.workflowId);
  let latest: SystemAssessment | null = null;
  for (const a of assessments) if (!latest || later(a, latest) > 0) latest = a;
  return latest;
}

const tierLabel = (tier: EuAiActTier | null) => (tier === null ? 'not yet classified' : tier.replace(/_/g, ' '));
const list = (values: string[]) => values.join(', ');

const tierOf = (s: InventorySystem): EuAiActTier | null => s.riskTier ?? s.assessment?.result.classification.tier ?? null;

/**
 * Whether an item applies to a system. The latest assessment decides when it assessed the item: it knows what the
 * tier alone does not (transparency duties on top of high risk, the obligations that bind the system in its roles).
 * Without one, the tier decides; a system not yet classified may turn out to be in any tier, so every item may apply
 * to it — leaving a control out on that ground would be an exclusion without a justification.
 */
function standing(item: ComplianceChecklistItem, system: InventorySystem): ItemSystemStatus | null {
  const assessed = system.assessment?.result.requirements.find((r) => r.key === item.key);
  if (assessed && system.assessment) {
    if (assessed.status === 'not_applicable') return null;
    return { system: system.key, status: assessed.status, workflowId: system.assessment.workflowId };
  }
  const tier = tierOf(system);
  if (tier !== null && !item.appliesTo.includes(tier)) return null;
  return { system: system.key, status: 'not_assessed', workflowId: null };
}

function implementationOf(pairs: ItemSystemStatus[]): ImplementationStatus {
  const assessed = pairs.filter((p) => p.status !== 'not_assessed');
  if (assessed.length === 0) return 'not_assessed';
  if (pairs.every((p) => p.status === 'compliant')) return 'implemented';
  if (assessed.every((p) => p.status === 'non_compliant')) return 'not_implemented';
  return 'partially_implemented';
}

function notApplicableBecause(items: ComplianceChecklistItem[], systems: InventorySystem[]): string {
  const keys = list(items.map((i) => i.key));
  const conditions = items
    .map((i) => `${i.key} applies to ${i.appliesTo.map((t) => tierLabel(t)).join(', ')} systems${i.obligation ? ` bound by the obligation ${i.obligation}` : ''}`)
    .join('; ');
  if (systems.length === 0) return `Not applicable: the inventory holds no AI system in scope, and the mapped checklist items only apply to systems (${conditions}).`;
  const held = list(systems.map((s) => `${s.key} (${tierLabel(tierOf(s))})`));
  const tiers = new Set(items.flatMap((i) => i.appliesTo));
  if (!systems.some((s) => tiers.has(tierOf(s)!))) {
    return `Not applicable: no system in the inventory is in a tier any mapped checklist item applies to (${conditions}); the inventory holds ${held}.`;
  }
  return `Not applicable: the latest assessments of ${held} find the mapped checklist items ${keys} not applicable to them (${conditions}).`;
}

function controlOf(control: ControlCatalogue['controls'][number], mapped: ComplianceChecklistItem[], systems: InventorySystem[]): SoaControl {
  const base = { id: control.id, group: control.group, title: control.title };
  const tally = { compliant: 0, partial: 0, nonCompliant: 0, notAssessed: 0 };
  if (mapped.length === 0) {
    return {
      ...base,
      applicable: true,
      basis: 'organisation',
      justification:
        'Applicable: no checklist item maps to this control, so it is an organisation-level control of the AI management system, applicable whatever systems the inventory holds; the system compliance checklist does not assess it.',
      implementation: 'not_assessed',
      tally,
      items: [],
      evidence: [],
    };
  }
  const items: SoaItem[] = mapped.map((item) => ({
    key: item.key,
    title: item.title,
    appliesTo: [...item.appliesTo],
    obligation: item.obligation ?? null,
    systems: systems.flatMap((s) => standing(item, s) ?? []),
  }));
  const pairs = items.flatMap((i) => i.systems);
  for (const p of pairs) {
    if (p.status === 'compliant') tally.compliant++;
    else if (p.status === 'partial') tally.partial++;
    else if (p.status === 'non_compliant') tally.nonCompliant++;
    else tally.notAssessed++;
  }
  if (pairs.length === 0) {
    return { ...base, applicable: false, basis: 'inventory', justification: notApplicableBecause(mapped, systems), implementation: 'not_applicable', tally, items, evidence: [] };
  }
  const byKey = new Map(systems.map((s) => [s.key, s]));
  const applying = items.filter((i) => i.systems.length > 0);
  const reached = [...new Set(pairs.map((p) => p.system))].sort(compareText);
  const justification = `Applicable: checklist item${applying.length > 1 ? 's' : ''} ${list(applying.map((i) => i.key))} appl${applying.length > 1 ? 'y' : 'ies'} to system${reached.length > 1 ? 's' : ''} ${list(reached.map((k) => `${k} (${tierLabel(tierOf(byKey.get(k)!))})`))}.`;
  const seen = new Set<string>();
  const evidence: SoaEvidence[] = [];
  for (const item of items) {
    for (const p of item.systems) {
      if (p.workflowId === null) continue;
      const requirement = byKey.get(p.system)!.assessment!.result.requirements.find((r) => r.key === item.key)!;
      for (const reference of requirement.evidence) {
        const id = JSON.stringify([p.system, item.key, reference, p.workflowId]);
        if (seen.has(id)) continue;
        seen.add(id);
        evidence.push({ reference, item: item.key, system: p.system, workflowId: p.workflowId });
      }
    }
  }
  evidence.sort((a, b) => compareText(a.system, b.system) || compareText(a.item, b.item) || compareText(a.reference, b.reference) || compareText(a.workflowId, b.workflowId));
  return { ...base, applicable: true, basis: 'inventory', justification, implementation: implementationOf(pairs), tally, items, evidence };
}

/** The statement of applicability of the inventory, one entry per Annex A control in the catalogue's natural order. */
export function statementOfApplicability(input: SoaInput): StatementOfApplicability {
  const known = new Set(input.catalogue.controls.map((c) => c.id));
  const checklist = input.checklist.domains.flatMap((d) => d.items);
  const unknown = checklist.flatMap((i) => i.controls.iso42001.filter((id) => !known.has(id)).map((id) => `${i.key}: ${id}`));
  if (unknown.length > 0) throw new GovflowError('PolicyError', `the compliance checklist maps to controls that are not in ${input.catalogue.source}: ${unknown.join('; ')}`);
  const keys = input.systems.map((s) => s.key);
  const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (twice.length > 0) throw new RangeError(`the inventory lists these systems more than once: ${[...new Set(twice)].join(', ')}`);

  const sorted = [...input.systems].sort((a, b) => compareText(a.key, b.key));
  const inScope = sorted.filter((s) => !OUT_OF_SCOPE_STAGES.includes(s.stage));
  const items = [...checklist].sort((a, b) => compareText(a.key, b.key));
  const controls = [...input.catalogue.controls]
    .sort((a, b) => compareNatural(a.id, b.id))
    .map((c) => controlOf(c, items.filter((i) => i.controls.iso42001.includes(c.id)), inScope));

  const byStatus = Object.fromEntries(IMPLEMENTATION_STATUSES.map((s) => [s, 0])) as Record<ImplementationStatus, number>;
  for (const c of controls) byStatus[c.implementation]++;
  return {
    organisation: input.organisation,
    generatedAt: input.generatedAt,
    policyVersion: input.policyVersion,
    catalogue: { source: input.catalogue.source, version: input.catalogue.version },
    scope: {
      systems: inScope.map((s) => ({
        key: s.key,
        title: s.title,
        stage: s.stage,
        riskTier: tierOf(s),
        assessment: s.assessment ? { workflowId: s.assessment.workflowId, assessmentDate: s.assessment.result.assessmentDate } : null,
      })),
      excluded: sorted.filter((s) => !inScope.includes(s)).map((s) => ({ key: s.key, title: s.title, reason: `${s.stage.replace(/_/g, ' ')}: no longer in use` })),
    },
    summary: {
      controls: controls.length,
      applicable: controls.filter((c) => c.applicable).length,
      notApplicable: controls.filter((c) => !c.applicable).length,
      organisationLevel: controls.filter((c) => c.basis === 'organisation').length,
      byStatus,
    },
    controls,
  };
}

/** Text for a Markdown table cell: no pipes or line breaks to break the row. */
const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const humanStatus = (s: ImplementationStatus) => s.replace(/_/g, ' ');

/** The statement as a Markdown document, for the management system's records and for auditors. */
export function soaMarkdown(soa: StatementOfApplicability): string {
  const lines: string[] = [
    '# Statement of Applicability',
    '',
    `- Organisation: ${soa.organisation ?? 'not named'}`,
    `- Standard: ${soa.catalogue.source} (${soa.catalogue.version})`,
    `- Generated: ${soa.generatedAt}`,
    `- Policy version: ${soa.policyVersion}`,
    `- Controls: ${soa.summary.controls}; applicable ${soa.summary.applicable} (of which ${soa.summary.organisationLevel} organisation-level), not applicable ${soa.summary.notApplicable}`,
    `- Implementation: ${IMPLEMENTATION_STATUSES.map((s) => `${humanStatus(s)} ${soa.summary.byStatus[s]}`).join(', ')}`,
    '',
    '## Scope',
    '',
  ];
  if (soa.scope.systems.length === 0) lines.push('The inventory holds no AI system in scope.');
  else {
    lines.push('| System | Title | Stage | Risk tier | Latest assessment |', '| --- | --- | --- | --- | --- |');
    for (const s of soa.scope.systems) {
      lines.push(`| ${cell(s.key)} | ${cell(s.title)} | ${cell(s.stage.replace(/_/g, ' '))} | ${cell(tierLabel(s.riskTier))} | ${s.assessment ? cell(`${s.assessment.workflowId} (${s.assessment.assessmentDate})`) : 'none'} |`);
    }
  }
  if (soa.scope.excluded.length > 0) {
    lines.push('', `Out of scope: ${soa.scope.excluded.map((s) => `${s.key} (${s.reason})`).join('; ')}.`);
  }
  lines.push('', '## Controls', '', '| Control | Title | Applicable | Implementation | Justification |', '| --- | --- | --- | --- | --- |');
  for (const c of soa.controls) {
    lines.push(`| ${c.id} | ${cell(c.title)} | ${c.applicable ? 'yes' : 'no'} | ${humanStatus(c.implementation)} | ${cell(c.justification)} |`);
  }
  const evidenced = soa.controls.filter((c) => c.evidence.length > 0);
  lines.push('', '## Evidence', '');
  if (evidenced.length === 0) lines.push('No assessment has filed evidence for an applicable control yet.');
  for (const c of evidenced) {
    lines.push(`### ${c.id} ${c.title}`, '');
    for (const e of c.evidence) lines.push(`- ${e.reference} — ${e.item}, system ${e.system} (${e.workflowId})`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
