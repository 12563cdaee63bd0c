import { formatDate, html, humanize, type Html } from '../html.js';
import { processHref } from '../links.js';

export interface AuditRow { seq: string; actor: string; actorKind: string; role: string | null; action: string; details: unknown; occurredAt: string; hash: string }
export interface ChainCheck { ok: boolean; entries: number; firstBroken: unknown }

export function auditBody(workflowId: string, rows: AuditRow[], chain: ChainCheck): Html {
  return html`<h1>Audit trail</h1>
<p><a href="${processHref(workflowId)}">${workflowId}</a></p>
<p class="card ${chain.ok ? 'ok' : 'overdue'}" role="status">${chain.ok
    ? `The hash chain verifies: ${chain.entries} entries, none altered.`
    : `The hash chain is broken at ${JSON.stringify(chain.firstBroken)}.`}</p>
<ol class="timeline">${rows.map(
    (r) => html`<li><strong>#${r.seq} ${humanize(r.action)}</strong> by ${r.actor}${r.role ? html` as ${humanize(r.role)}` : ''} <span class="badge">${r.actorKind}</span>
      <span class="meta">${formatDate(r.occurredAt)}</span><p class="meta">${JSON.stringify(r.details)}</p><p class="meta">hash ${r.hash.slice(0, 16)}…</p></li>`,
  )}</ol>`;
}
