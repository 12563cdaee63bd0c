import type { ReportContent } from '../../activities/reports.js';
import type { DecisionFact, DeliverableFact, OpenItem, ReportSections, RiskItem } from '../../domain/reports/content.js';
import { formatDate, html, humanize, type Html } from '../html.js';
import { processHref } from '../links.js';

export interface StoredReport {
  id: string;
  kind: string;
  scope: string;
  periodStart: string | Date;
  periodEnd: string | Date;
  createdAt: string | Date;
  content: unknown;
}

// The API's handlers answer Dates where their JSON has ISO strings: both are read the same way.
const day = (at: string | Date | null | undefined) => (at ? new Date(at).toISOString().slice(0, 10) : '');
const RATING = { green: 'Green', amber: 'Amber', red: 'Red' } as const;

function items(list: OpenItem[], empty: string): Html {
  if (!list.length) return html`<p class="meta">${empty}</p>`;
  return html`<ul>${list.map((i) => html`<li><a href="${processHref(i.workflowId)}">${i.what}</a>${i.when ? html` <span class="meta">(${day(i.when)})</span>` : ''}</li>`)}</ul>`;
}

function decisions(list: DecisionFact[]): Html {
  if (!list.length) return html`<p class="meta">No decision in the period.</p>`;
  return html`<ul>${list.map(
    (d) => html`<li><a href="${processHref(d.workflowId)}">${d.subject}</a>: <strong>${humanize(d.verdict)}</strong> by ${d.actor} as ${humanize(d.role)}, ${day(d.decidedAt)}${d.justification ? html` — ${d.justification}` : ''}${d.conditions.length ? html`<br><span class="meta">Conditions: ${d.conditions.join('; ')}</span>` : ''}</li>`,
  )}</ul>`;
}

function risks(list: RiskItem[], empty: string): Html {
  if (!list.length) return html`<p class="meta">${empty}</p>`;
  return html`<table><thead><tr><th>Risk</th><th class="fit">Level</th><th class="fit">Trend</th></tr></thead><tbody>${list.map(
    (r) => html`<tr><td><a href="${processHref(r.workflowId)}">${r.subject}</a><br><span class="meta">${r.cause}</span></td><td class="fit${r.level === 'high' ? ' overdue' : ''}">${r.level}</td><td class="fit">${r.trend}</td></tr>`,
  )}</tbody></table>`;
}

function deliverables(list: DeliverableFact[], empty: string): Html {
  if (!list.length) return html`<p class="meta">${empty}</p>`;
  return html`<ul>${list.map((d) => html`<li>${humanize(d.key)}${d.phase ? html` <span class="meta">(${humanize(d.phase)})</span>` : ''}${d.dueAt ? html` — due ${day(d.dueAt)}` : ''}</li>`)}</ul>`;
}

function sectionsOf(s: ReportSections): Html {
  switch (s.template) {
    case 'board_report':
      return html`<h2>Decisions</h2>${decisions(s.decisions)}
<h2>Risks</h2>${risks(s.risks, 'No open risk.')}${s.closedRisks.length ? html`<p class="meta">Closed since the last report: ${s.closedRisks.map((r) => r.subject).join('; ')}</p>` : ''}
<h2>Deliverables</h2><h3>Late</h3>${deliverables(s.deliverablesLate, 'Nothing late.')}<h3>Due before the next report</h3>${deliverables(s.deliverablesDue, 'Nothing falls due.')}
<h2>Asks of the board</h2>${items(s.asks, 'Nothing is asked of the board.')}`;
    case 'executive_update':
      return html`<h2>Progress</h2>${s.progress.length ? html`<ul>${s.progress.map((p) => html`<li>${p}</li>`)}</ul>` : html`<p class="meta">No progress recorded in the period.</p>`}
<h2>Blockers</h2>${items(s.blockers, 'Nothing blocks.')}
<h2>Coming up</h2>${items(s.nextPeriod, 'Nothing falls due before the next update.')}`;
    case 'technical_review':
      return html`<h2>Architecture decisions</h2>${s.architectureDecisions.length
        ? html`<ul>${s.architectureDecisions.map((d) => html`<li><a href="${processHref(d.workflowId)}">${d.subject}</a> (${humanize(d.kind)}): <strong>${humanize(d.outcome ?? 'closed')}</strong>, ${day(d.decidedAt)}${d.conditions.length ? html`<br><span class="meta">Conditions: ${d.conditions.join('; ')}</span>` : ''}</li>`)}</ul>`
        : html`<p class="meta">No architecture decision in the period.</p>`}
<h2>Reviews in flight</h2>${items(s.inFlight, 'No review in flight.')}
<h2>Technical risks</h2>${risks(s.technicalRisks, 'No technical risk open.')}`;
    case 'closing_report':
      return html`<h2>How it ended</h2><p><strong>${humanize(s.outcome ?? 'closed')}</strong>${s.reason ? ` — ${s.reason}` : ''}</p>
<h2>Deliverables</h2><h3>Delivered</h3>${deliverables(s.delivered, 'None.')}<h3>Outstanding</h3>${deliverables(s.outstanding, 'None.')}
<h2>Decisions</h2>${decisions(s.decisions)}
<h2>Handed over (still open)</h2>${items(s.handedOver, 'Nothing is left open.')}
<h2>Risks at the close</h2>${risks(s.risksAtClose, 'No open risk.')}`;
    case 'stakeholder_communication':
      return html`<h2>${s.subject}</h2><p class="meta">From ${s.from}${s.audience.length ? ` to ${s.audience.join(', ')}` : ''}</p><div class="card papers">${s.message}</div>`;
  }
}

/** A stored report as people read it: on a phone, on a screen, or printed to PDF from the browser. */
export function reportBody(r: StoredReport): Html {
  const c = r.content as ReportContent;
  const title = c.sections?.template === 'stakeholder_communication' ? 'Stakeholder communication' : humanize(c.sections?.template ?? r.kind);
  return html`<article class="report">
<h1>${title[0]!.toUpperCase()}${title.slice(1)}: ${c.title ?? r.scope}</h1>
<p class="meta"><a href="${processHref(r.scope)}">${r.scope}</a> · ${day(c.period.start)} to ${day(c.period.end)} · compiled ${formatDate(r.createdAt)}</p>
${c.status
    ? html`<div class="card rating rating-${c.status.rating}" role="status"><strong>Status: ${RATING[c.status.rating]}</strong><ul>${c.status.reasons.map((x) => html`<li>${x}</li>`)}</ul></div>`
    : ''}
${c.sections
    ? sectionsOf(c.sections)
    : html`<h2>Summary</h2><p>${c.summary.decisions} decision(s), ${c.summary.openReviews} open review(s), ${c.summary.closedProcesses} closed, ${c.summary.overdue} overdue.</p>`}
<p class="meta noprint footer"><a href="/app/reports?scope=${encodeURIComponent(r.scope)}">Every report of this engagement</a> · print this page to keep it as a PDF</p>
</article>`;
}

export function reportListBody(scope: string | null, reports: Pick<StoredReport, 'id' | 'kind' | 'periodStart' | 'periodEnd'>[]): Html {
  return html`<h1>Reports${scope ? html` of <a href="${processHref(scope)}">${scope}</a>` : ''}</h1>
${reports.length
    ? html`<ul class="items">${reports.map((r) => html`<li class="card"><a class="title" href="/app/reports/${r.id}">${humanize(r.kind)}</a><p class="meta">${day(r.periodStart)} to ${day(r.periodEnd)}</p></li>`)}</ul>`
    : html`<p class="meta">No report yet.</p>`}`;
}
