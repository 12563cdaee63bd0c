import type { ErrorField } from '../../domain/errors.js';
import { kindLabel } from '../../domain/wording.js';
import { workflowIdFor, type ProcessEvent, type ProcessStateBase } from '../../workflows/contracts/common.js';
import { formatDate, html, humanize, type Html } from '../html.js';
import { processHref } from '../links.js';
import type { NextSteps } from '../next-steps.js';

/** Only http(s) evidence becomes a link; anything else (e.g. `javascript:`) stays text. */
const link = (ref: string) => (/^https?:\/\//i.test(ref) ? html`<a href="${ref}" rel="noopener noreferrer">${ref}</a>` : html`${ref}`);

const list = (items: unknown) => (Array.isArray(items) && items.length ? html`<ul>${items.map((c) => html`<li>${String(c)}</li>`)}</ul>` : '');

function eventDetails(details: Record<string, unknown>): Html {
  const { justification, conditions, evidence, ...rest } = details;
  const other = Object.entries(rest).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && !v.length));
  return html`${justification ? html`<p><strong>Justification:</strong> ${String(justification)}</p>` : ''}
    ${Array.isArray(conditions) && conditions.length ? html`<p><strong>Conditions:</strong></p>${list(conditions)}` : ''}
    ${Array.isArray(evidence) && evidence.length ? html`<p><strong>Evidence:</strong></p><ul class="links">${evidence.map((e) => html`<li>${link(String(e))}</li>`)}</ul>` : ''}
    ${other.length ? html`<p class="meta">${other.map(([k, v]) => `${humanize(k)}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' · ')}</p>` : ''}`;
}

function timeline(events: ProcessEvent[]): Html {
  return html`<ol class="timeline">${[...events].reverse().map(
    (e) => html`<li><strong>${humanize(e.action)}</strong> by ${e.actor}${e.role ? html` as ${humanize(e.role)}` : ''} <span class="badge">${e.actorKind}</span>
      <span class="meta">${formatDate(e.at)}</span>${eventDetails(e.details)}</li>`,
  )}</ol>`;
}

interface Vote { actor: string; actorKind?: string; role?: string; verdict?: string; ballot?: string; justification?: string; conditions?: string[]; at: string; round?: number }

function votes(state: Record<string, unknown>): Html {
  const rows = ((state.votes ?? state.ballots) as Vote[] | undefined) ?? [];
  const tally = state.tally as Record<string, unknown> | null | undefined;
  if (!rows.length && !tally) return html``;
  return html`<h2>Votes</h2>
  ${tally ? html`<p class="card">Quorum and tally: ${Object.entries(tally).map(([k, v]) => `${humanize(k)} ${String(v)}`).join(' · ')}</p>` : ''}
  ${rows.length
    ? html`<ul class="items">${rows.map(
        (v) => html`<li class="card"><strong>${v.actor}</strong>${v.role ? html` as ${humanize(v.role)}` : ''}: <strong>${humanize(v.verdict ?? v.ballot ?? '')}</strong>
          <span class="badge">${v.actorKind ?? 'person'}</span> <span class="meta">${formatDate(v.at)}</span>
          ${v.justification ? html`<p>${v.justification}</p>` : ''}${list(v.conditions)}</li>`,
      )}</ul>`
    : ''}`;
}

/** Child processes: committee items, reviews a roadmap launched, retrospectives. */
function children(state: Record<string, unknown>): Html {
  const linked = Object.entries(state)
    .filter(([k, v]) => k.endsWith('WorkflowId') && k !== 'workflowId' && typeof v === 'string' && v)
    .map(([k, v]) => ({ label: humanize(k.replace(/WorkflowId$/, '')), workflowId: v as string }));
  for (const c of (state.children as { workflowId?: string; kind?: string; title?: string }[] | undefined) ?? []) {
    if (c.workflowId) linked.push({ label: c.title ?? humanize(c.kind ?? 'child'), workflowId: c.workflowId });
  }
  // An AI system's record: every process about it, with where it stands.
  for (const l of (state.links as { workflowId: string; kind: string; title: string; status: string; outcome: string | null; overdue: boolean }[] | undefined) ?? []) {
    const standing = l.status === 'open' ? (l.overdue ? 'open, overdue' : 'open') : humanize(l.outcome ?? 'closed');
    linked.push({ label: `${l.title} (${kindLabel(l.kind)}, ${standing})`, workflowId: l.workflowId });
  }
  for (const o of (state.obligations as string[] | undefined) ?? []) linked.push({ label: 'Obligation', workflowId: o });
  if (typeof state.aiSystem === 'string' && state.kind !== 'ai_system') linked.push({ label: 'AI system', workflowId: workflowIdFor('ai_system', state.aiSystem) });
  if (!linked.length) return html``;
  return html`<h2>Related processes</h2><ul class="links">${linked.map((l) => html`<li><a href="${processHref(l.workflowId)}">${l.label}: ${l.workflowId}</a></li>`)}</ul>`;
}

/** "in 3 days", "in 4 hours", "in 10 minutes", or "passed" for a step whose time has come. */
function when(iso: string, now: Date): string {
  const ms = new Date(iso).getTime() - now.getTime();
  if (ms <= 0) return 'passed';
  const [days, hours, minutes] = [Math.floor(ms / 86_400_000), Math.floor(ms / 3_600_000), Math.ceil(ms / 60_000)];
  const of = (n: number, unit: string) => `in ${n} ${unit}${n === 1 ? '' : 's'}`;
  return days >= 1 ? of(days, 'day') : hours >= 1 ? of(hours, 'hour') : of(minutes, 'minute');
}

/** The coming reminder, escalation and deadline (past ones marked so: the notices below say what was sent). */
function upcoming(next: NextSteps | null | undefined, waitingOn: string, now: Date): Html {
  if (!next || !(next.reminderAt || next.escalationAt || next.dueAt)) return html``;
  const step = (label: string, at: string | null, after: Html | string = '') =>
    at ? html`<li><strong>${label}</strong>: ${formatDate(at)} <span class="meta">(${when(at, now)})</span>${after}</li>` : '';
  return html`<h2>What happens next</h2><ul class="card next">
  ${step(`Reminder to ${waitingOn}`, next.reminderAt)}
  ${step(`Escalation${next.escalateTo ? ` to the ${humanize(next.escalateTo)}` : ''}`, next.escalationAt)}
  ${step('Deadline', next.dueAt, next.breachAtDue ? html`<p class="meta">Not decided by then, it closes as SLA breached${next.escalateTo ? ` and goes to the ${humanize(next.escalateTo)}` : ''}.</p>` : '')}
</ul>${next.workingTime ? html`<p class="meta">Counted in working time: the ${next.workingTime.calendar} calendar's working days and hours (${next.workingTime.timeZone}), without its public holidays.</p>` : ''}`;
}

const SHOWN = new Set(['workflowId', 'kind', 'businessKey', 'title', 'requester', 'policyVersion', 'stage', 'outcome', 'pendingRoles', 'pendingActors', 'openRoles', 'seatedActors', 'slaDueAt', 'riskTier', 'events', 'notices', 'votes', 'ballots', 'tally', 'conditions', 'children', 'meetingAt', 'deadlines']);

export function processSection(opts: { state: ProcessStateBase; forms: Html[]; next?: NextSteps | null; notice?: string; refusal?: string; auditHref?: string; reportsHref?: string; now?: Date }): Html {
  const s = opts.state;
  const now = opts.now ?? new Date();
  const rec = s as unknown as Record<string, unknown>;
  const overdue = s.slaDueAt && !s.outcome && new Date(s.slaDueAt) < now;
  const waitingOn = [...s.pendingRoles.map(humanize), ...(s.pendingActors ?? [])].join(', ') || 'nobody';
  const rest = Object.fromEntries(Object.entries(rec).filter(([k]) => !SHOWN.has(k) && !k.endsWith('WorkflowId')));
  const conditions = (rec.conditions as string[] | undefined) ?? [];
  return html`<div id="process">
<h1>${s.title}</h1>
${opts.notice ? html`<p class="card ok" role="status">${opts.notice}</p>` : ''}
${opts.refusal ? html`<p class="card errors" role="alert">Refused: ${opts.refusal}</p>` : ''}
<dl class="facts card">
  <dt>Process</dt><dd>${kindLabel(s.kind)} · ${s.businessKey}</dd>
  <dt>Stage</dt><dd>${humanize(s.stage)}</dd>
  <dt>Outcome</dt><dd>${s.outcome ? html`<strong>${humanize(s.outcome)}</strong>` : 'open'}</dd>
  <dt>Requester</dt><dd>${s.requester}</dd>
  ${!s.outcome ? html`<dt>Waiting on</dt><dd>${waitingOn}</dd>` : ''}
  ${s.slaDueAt && !s.outcome ? html`<dt>Deadline</dt><dd>${overdue ? html`<span class="overdue">Overdue</span> · ` : ''}${formatDate(s.slaDueAt)}</dd>` : ''}
  ${rec.meetingAt ? html`<dt>Meeting</dt><dd>${formatDate(rec.meetingAt as string)}</dd>` : ''}
  ${s.riskTier ? html`<dt>Risk tier</dt><dd>${humanize(s.riskTier)}</dd>` : ''}
  <dt>Policy</dt><dd>${s.policyVersion}</dd>
</dl>
${upcoming(opts.next, waitingOn, now)}
${opts.forms.length ? html`<h2>What you can do now</h2>${opts.forms}` : ''}
${conditions.length ? html`<h2>Conditions</h2>${list(conditions)}` : ''}
${votes(rec)}
${children(rec)}
${s.notices.length ? html`<h2>Reminders and escalations</h2><ul>${s.notices.map((n) => html`<li><span class="badge">${n.kind}</span> ${n.message} (to ${n.recipients.join(', ')})</li>`)}</ul>` : ''}
<h2>Timeline</h2>
${timeline(s.events)}
${opts.reportsHref ? html`<p><a href="${opts.reportsHref}">Reports</a></p>` : ''}
${opts.auditHref ? html`<p><a href="${opts.auditHref}">Audit trail and log verification</a></p>` : ''}
<details class="card"><summary>All details</summary><pre>${JSON.stringify(rest, null, 2)}</pre></details>
</div>`;
}

export type FormErrors = { action: string; detail: string; fields: ErrorField[]; values: Record<string, unknown> };
