import type { BundleEntry } from '../../domain/transparency/bundle.js';
import { citedEvidence, evidencePath } from '../../domain/transparency/bundle.js';
import type { SignedTreeHead } from '../../domain/transparency/statements.js';
import { formatDate, html, humanize } from '../html.js';

export interface ReportedProcess {
  workflowId: string;
  kind: string | null;
  title: string | null;
  businessKey: string | null;
  requester: string | null;
  stage: string | null;
  outcome: string | null;
  policyVersion: string | null;
  createdAt: string | null;
  completedAt: string | null;
}

/**
 * One process's record as a person reads it, inside an audit bundle: a self-contained page (no scripts, no outside
 * styles) that prints to PDF from any browser. It restates what entries.jsonl holds; the JSON is what verifies.
 */
export function bundleReport(p: ReportedProcess, entries: readonly BundleEntry[], head: SignedTreeHead, createdAt: string): string {
  const text = (details: unknown, key: string) => {
    const v = (details as Record<string, unknown> | null)?.[key];
    return typeof v === 'string' ? v : null;
  };
  const conditions = (details: unknown): string[] => {
    const v = (details as Record<string, unknown> | null)?.conditions;
    return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : [];
  };
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title ?? p.workflowId} — audit record</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.5rem;margin-bottom:.25rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.35rem .4rem;text-align:left;vertical-align:top}
code{font-size:.8rem;word-break:break-all}.meta{color:#555;font-size:.85rem}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
</style></head><body>
<h1>${p.title ?? p.workflowId}</h1>
<p class="meta">Audit record of <code>${p.workflowId}</code>, from an audit bundle made ${formatDate(createdAt)}.</p>
<dl>
<dt>Process</dt><dd>${p.kind ? humanize(p.kind) : 'unknown'}${p.businessKey ? ` ${p.businessKey}` : ''}</dd>
<dt>Requested by</dt><dd>${p.requester ?? '—'}</dd>
<dt>Stage</dt><dd>${p.stage ? humanize(p.stage) : '—'}</dd>
<dt>Outcome</dt><dd>${p.outcome ? humanize(p.outcome) : 'open'}</dd>
<dt>Policy version</dt><dd><code>${p.policyVersion ?? '—'}</code></dd>
<dt>Opened</dt><dd>${formatDate(p.createdAt) || '—'}</dd>
<dt>Closed</dt><dd>${formatDate(p.completedAt) || '—'}</dd>
<dt>Entries</dt><dd>${entries.length}, each proven in the signed tree head of size ${head.treeSize} (${formatDate(head.timestamp)}), root <code>${head.rootHash}</code></dd>
</dl>
<h2>What happened</h2>
<table><thead><tr><th>#</th><th>When</th><th>Who</th><th>What</th><th>Why</th><th>Evidence</th><th>Leaf</th></tr></thead><tbody>
${entries.map(
  (e) => html`<tr><td>${e.seq}</td><td>${formatDate(e.occurredAt)}</td><td>${e.actor}${e.role ? html`<br><span class="meta">as ${humanize(e.role)}</span>` : ''}${e.actorKind !== 'person' ? html` <span class="meta">(${e.actorKind})</span>` : ''}</td>
<td>${humanize(e.action)}</td><td>${text(e.details, 'justification') ?? text(e.details, 'reason') ?? ''}${conditions(e.details).length ? html`<br><span class="meta">Conditions: ${conditions(e.details).join('; ')}</span>` : ''}</td>
<td>${citedEvidence(e.details).map((d) => html`<a href="../${evidencePath(d)}"><code>${d.slice(0, 19)}…</code></a> `)}</td>
<td><code>${e.leafIndex}</code></td></tr>`,
)}
</tbody></table>
<p class="meta">Check this record with <code>govflow verify &lt;bundle&gt; --public-key govflow.pem</code>; the format is described in the bundle's README.md.</p>
</body></html>
`;
  return page.toString();
}
