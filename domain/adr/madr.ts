/**
 * An architecture decision record in MADR 4 (https://adr.github.io/madr/), from a closed decision. The metadata is
 * the header list under the title (Status, Deciders, Date, Tags) that Log4brains reads, not YAML front matter: MADR
 * makes its metadata optional, and Log4brains (plain markdown-it) would read front matter as body text and lose the
 * status. MADR's sections follow in its order; rulings and dissent are under "More Information". Pure.
 */
import type { AdrKind } from './kinds.js';

export type AdrStatus = 'proposed' | 'accepted' | 'rejected';

/** The sections of MADR 4's template, in its order (level-2 headings; Consequences and Confirmation are level 3). */
export const MADR_SECTIONS = ['Context and Problem Statement', 'Decision Drivers', 'Considered Options', 'Decision Outcome', 'Pros and Cons of the Options', 'More Information'] as const;

export interface AdrRef {
  number: number;
  fileName: string;
  title: string;
}

export interface AdrOption {
  name: string;
  /** Weighted score on `scale`, when the decision scored its options. */
  score: number | null;
  summary: string;
  good: string[];
  neutral: string[];
  bad: string[];
}

/** Everything an ADR says, gathered from the record (see api/decision-records.ts). */
export interface AdrContent {
  kind: AdrKind;
  workflowId: string;
  businessKey: string;
  title: string;
  status: AdrStatus;
  /** The process's own outcome, e.g. `approved_with_conditions`. */
  outcome: string;
  /** YYYY-MM-DD the decision closed. */
  date: string;
  deciders: string[];
  requester: string;
  policyVersion: string;
  context: string;
  contextDetails: string[];
  drivers: string[];
  scale: { min: number; max: number } | null;
  options: AdrOption[];
  /** The option decided on; null when none was (no clear winner). */
  chosen: string | null;
  rationale: string;
  consequences: { good: string[]; bad: string[] };
  conditions: string[];
  /** Criteria (rows) × reviewers (columns) and one line per reviewer; for an engine's decision, no reviewers and each criterion's weight, score and contribution. */
  rulings: { reviewers: string[]; criteria: { criterion: string; cells: string[] }[]; byReviewer: { reviewer: string; role: string; verdict: string; justification: string; conditions: string[] }[] };
  dissent: string[];
  links: { process: string; app: string; receipt: string | null };
  /** Set when the record is numbered within its collection. */
  supersedes: AdrRef[];
  supersededBy: AdrRef | null;
}

export interface NumberedAdr extends AdrContent {
  collection: { key: string; title: string };
  number: number;
  fileName: string;
}

const KIND_LABEL: Record<AdrKind, string> = {
  architecture_review: 'architecture review',
  technical_decision_evaluation: 'technical decision evaluation',
  technology_proposal_evaluation: 'technology proposal evaluation',
};

/** Lower-case words joined by hyphens, as Log4brains and MADR name files. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'decision';
}

/** MADR's file name: the number in four digits, then the title's slug. */
export function adrFileName(number: number, title: string): string {
  return `${String(number).padStart(4, '0')}-${slugify(title)}.md`;
}

/** One line of text: Markdown structure in a person's words must not break the record's own. */
const line = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
const cell = (text: string) => line(text).replace(/\|/g, '\\|') || '—';
const bullets = (items: string[]) => items.map((i) => `* ${line(i)}`);
const refLink = (ref: AdrRef) => `[${ref.fileName.replace(/\.md$/, '')}](${ref.fileName})`;

export function renderMadr(adr: NumberedAdr): string {
  const out: string[] = [];
  const status = adr.supersededBy ? `superseded by ${refLink(adr.supersededBy)}` : adr.status;
  out.push(`# ${line(adr.title)}`, '');
  out.push(`- Status: ${status}`, `- Deciders: ${adr.deciders.join(', ') || '—'}`, `- Date: ${adr.date}`, `- Tags: ${adr.kind.replace(/_/g, '-')}, ${adr.collection.key}`, '');
  out.push(
    `ADR-${String(adr.number).padStart(4, '0')} of *${line(adr.collection.title)}*, written by govflow from the ${KIND_LABEL[adr.kind]} [${adr.businessKey}](${adr.links.process}) (outcome \`${adr.outcome}\`, policy ${adr.policyVersion}). Decide again in govflow rather than editing here: \`govflow adr sync\` keeps this file up to date, and stops updating it once a person edits it.`,
    '',
  );

  out.push(`## ${MADR_SECTIONS[0]}`, '', adr.context.trim(), '');
  if (adr.contextDetails.length) out.push(...bullets(adr.contextDetails), '');

  out.push(`## ${MADR_SECTIONS[1]}`, '', ...bullets(adr.drivers), '');

  const scored = (o: AdrOption) => (o.score === null || !adr.scale ? '' : ` (weighted score ${o.score} of ${adr.scale.max})`);
  out.push(`## ${MADR_SECTIONS[2]}`, '', ...adr.options.map((o) => `* ${line(o.name)}${scored(o)}`), '');

  out.push(`## ${MADR_SECTIONS[3]}`, '');
  out.push(adr.chosen === null ? `No option was chosen, because ${line(adr.rationale)}` : `Chosen option: "${line(adr.chosen)}", because ${line(adr.rationale)}`, '');
  if (adr.supersedes.length) out.push(`This decision supersedes ${adr.supersedes.map(refLink).join(', ')}.`, '');
  out.push('### Consequences', '');
  const consequences = [...adr.consequences.good.map((c) => `Good, because ${c}`), ...adr.consequences.bad.map((c) => `Bad, because ${c}`)];
  out.push(...(consequences.length ? bullets(consequences) : ['* Neutral, because the decision records no consequence beyond its outcome']), '');
  out.push('### Confirmation', '');
  out.push(adr.conditions.length ? 'The decision holds on these conditions, to be confirmed before the work they guard goes ahead:' : 'The decision carries no conditions.', '');
  if (adr.conditions.length) out.push(...bullets(adr.conditions), '');

  out.push(`## ${MADR_SECTIONS[4]}`, '');
  for (const o of adr.options) {
    out.push(`### ${line(o.name)}`, '', line(o.summary), '');
    const args = [...o.good.map((g) => `Good, because ${g}`), ...o.neutral.map((n) => `Neutral, because ${n}`), ...o.bad.map((b) => `Bad, because ${b}`)];
    if (args.length) out.push(...bullets(args), '');
  }

  out.push(`## ${MADR_SECTIONS[5]}`, '');
  out.push(`* Process: [${adr.workflowId}](${adr.links.process}) (web: [${adr.businessKey}](${adr.links.app})), requested by ${adr.requester}`);
  out.push(adr.links.receipt ? `* Decision receipt (signed, verifiable): [${adr.links.receipt}](${adr.links.receipt})` : '* Decision receipt: not recorded yet');
  for (const s of adr.supersedes) out.push(`* Supersedes ${refLink(s)} (${line(s.title)})`);
  if (adr.supersededBy) out.push(`* Superseded by ${refLink(adr.supersededBy)} (${line(adr.supersededBy.title)})`);
  out.push('');

  const r = adr.rulings;
  out.push('### Rulings per criterion', '');
  if (r.reviewers.length) {
    out.push(`| Criterion | ${r.reviewers.map(cell).join(' | ')} |`, `|---|${r.reviewers.map(() => '---').join('|')}|`);
    for (const c of r.criteria) out.push(`| ${cell(c.criterion)} | ${c.cells.map(cell).join(' | ')} |`);
  } else {
    out.push('| Criterion | Weight | Score | Contribution |', '|---|---|---|---|');
    for (const c of r.criteria) out.push(`| ${cell(c.criterion)} | ${c.cells.map(cell).join(' | ')} |`);
  }
  out.push('', '### Rulings per reviewer', '');
  if (r.byReviewer.length) {
    out.push('| Reviewer | Role | Ruling | Justification | Conditions |', '|---|---|---|---|---|');
    for (const v of r.byReviewer) out.push(`| ${cell(v.reviewer)} | ${cell(v.role)} | ${cell(v.verdict)} | ${cell(v.justification)} | ${cell(v.conditions.join('; '))} |`);
  } else out.push(`No reviewers voted: the decision is the ${KIND_LABEL[adr.kind]} engine's result under the pinned policy, requested by ${adr.requester}.`);
  out.push('', '### Dissent', '');
  out.push(...(adr.dissent.length ? bullets(adr.dissent) : ['None recorded.']), '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
