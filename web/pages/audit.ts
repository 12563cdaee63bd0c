import { formatDate, html, humanize, type Html } from '../html.js';
import { processHref } from '../links.js';

export interface AuditRow { seq: string; actor: string; actorKind: string; role: string | null; action: string; details: unknown; occurredAt: string; leafHash: string | null; leafIndex: string | null }
export interface LogCheck { ok: boolean; entries: number; unsealed: number; treeHead: { treeSize: number } | null; firstBroken: { reason: string; eventKey: string | null } | null }

export function auditBody(workflowId: string, rows: AuditRow[], log: LogCheck): Html {
  return html`<h1>Audit trail</h1>
<p><a href="${processHref(workflowId)}">${workflowId}</a></p>
<p class="card ${log.ok ? 'ok' : 'overdue'}" role="status">${log.ok
    ? `The audit log verifies: ${log.entries} entries, none altered; ${log.treeHead ? `the newest signed tree head covers ${log.treeHead.treeSize}` : 'no tree head signed yet'}${log.unsealed ? `, ${log.unsealed} await the next seal` : ''}.`
    : `The audit log does not verify${log.firstBroken?.eventKey ? ` at ${log.firstBroken.eventKey}` : ''}: ${log.firstBroken?.reason ?? 'unknown'}.`}</p>
<ol class="timeline">${rows.map(
    (r) => html`<li><strong>#${r.seq} ${humanize(r.action)}</strong> by ${r.actor}${r.role ? html` as ${humanize(r.role)}` : ''} <span class="badge">${r.actorKind}</span>
      <span class="meta">${formatDate(r.occurredAt)}</span><p class="meta">${JSON.stringify(r.details)}</p>${r.leafHash ? html`<p class="meta">leaf ${r.leafIndex ?? '(not sealed yet)'}, hash ${r.leafHash.slice(0, 16)}…</p>` : ''}</li>`,
  )}</ol>`;
}
