import type { Portfolio, PortfolioItem } from '../../domain/inventory/portfolio.js';
import { formatDate, html, humanize, type Html } from '../html.js';
import { workflowIdFor } from '../../workflows/contracts/common.js';
import { processHref } from '../links.js';

// Chart geometry in SVG user units. The width scales down to a phone's; the height attribute caps the scale, so
// on a wide screen the chart keeps its natural size instead of growing with the column. 280 fits a 320 px phone's
// card almost unscaled (little blank space below the bars).
const WIDTH = 280;
const LABEL = 104;
const ROW = 30;
const BAR = 18;
const COUNT_ROOM = 30;

/** A horizontal bar chart of counts, drawn with presentation attributes only (the CSP allows no inline styles). */
function barChart(id: string, title: string, bars: { label: string; count: number }[]): Html {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const span = WIDTH - LABEL - COUNT_ROOM;
  // Room for the last bar and the descenders of its label, no more.
  const height = (Math.max(1, bars.length) - 1) * ROW + BAR + 8;
  // The picture has one accessible name that says every number: a screen reader does not read the bars.
  const said = `${title}: ${bars.map((b) => `${b.label} ${b.count}`).join(', ')}`;
  return html`<figure class="card" aria-labelledby="${id}-caption">
  <figcaption id="${id}-caption"><strong>${title}</strong></figcaption>
  <svg role="img" aria-label="${said}" viewBox="0 0 ${WIDTH} ${height}" width="100%" height="${height}" preserveAspectRatio="xMinYMin meet">
    ${bars.map((b, i) => {
      const y = i * ROW + 4;
      const length = b.count === 0 ? 0 : Math.max(2, Math.round((b.count / max) * span));
      return html`<g>
      <text x="${LABEL - 8}" y="${y + BAR / 2 + 5}" text-anchor="end" font-size="13" fill="#1a1a1a">${b.label}</text>
      <rect x="${LABEL}" y="${y}" width="${length}" height="${BAR}" rx="3" fill="#12263f"></rect>
      <text x="${LABEL + length + 6}" y="${y + BAR / 2 + 5}" font-size="13" fill="#1a1a1a">${b.count}</text>
    </g>`;
    })}
  </svg>
</figure>`;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const link = (workflowId: string, text: string) => html`<a class="title" href="${processHref(workflowId)}">${text}</a>`;
const system = (i: PortfolioItem) => link(workflowIdFor('ai_system', i.system), i.systemTitle);

/** The AI portfolio as a page: the same data as `GET /ai-systems/portfolio`. */
export function portfolioBody(p: Portfolio): Html {
  const tiers = barChart('tiers', 'Systems per risk tier', p.byTier.map((t) => ({ label: humanize(t.tier), count: t.count })));
  const stages = barChart('stages', 'Systems per stage', p.byStage.map((s) => ({ label: humanize(s.stage), count: s.count })));
  // Tables in .items: their links are touch targets (a.title), not prose.
  const overdue = p.overdue.length
    ? html`<table class="items">
  <thead><tr><th scope="col">Process</th><th scope="col">System</th><th scope="col">Due</th></tr></thead>
  <tbody>${p.overdue.map(
    (i) => html`<tr><td>${link(i.workflowId, i.title)}<p class="meta">${humanize(i.kind)}</p></td><td>${system(i)}</td><td class="overdue">${i.dueAt ? formatDate(i.dueAt) : 'overdue'}</td></tr>`,
  )}</tbody>
</table>`
    : html`<p class="card">Nothing is overdue.</p>`;
  const incidents = p.openIncidents.length
    ? html`<table class="items">
  <thead><tr><th scope="col">Incident</th><th scope="col">System</th><th scope="col">Opened</th></tr></thead>
  <tbody>${p.openIncidents.map(
    (i) => html`<tr><td>${link(i.workflowId, i.title)}${i.overdue ? html`<p class="overdue">overdue</p>` : ''}</td><td>${system(i)}</td><td>${formatDate(i.openedAt)}</td></tr>`,
  )}</tbody>
</table>`
    : html`<p class="card">No incident is open.</p>`;
  // Two columns, the facts under the name: three narrow columns break words on a phone.
  const systems = p.systems.length
    ? html`<table class="items">
  <thead><tr><th scope="col">System</th><th scope="col">Open</th></tr></thead>
  <tbody>${p.systems.map(
    (s) => html`<tr><td>${link(s.workflowId, s.title)}<p class="meta">${s.riskTier ? humanize(s.riskTier) : 'unclassified'} · ${humanize(s.stage)}</p><p class="meta">${s.key} · owner ${s.owner}</p></td>
    <td>${count(s.openProcesses, 'process', 'processes')}${s.overdue ? html`, <span class="overdue">${s.overdue} overdue</span>` : ''}${s.openIncidents ? `, ${count(s.openIncidents, 'incident')}` : ''}${s.openRisks ? `, ${count(s.openRisks, 'open risk')}` : ''}</td></tr>`,
  )}</tbody>
</table>`
    : html`<p class="card">The inventory holds no AI system yet.</p>`;
  return html`<h1>AI portfolio</h1>
<p class="meta">${count(p.total, 'system')} in the inventory, ${p.active} not retired · as of ${formatDate(p.generatedAt)}</p>
${tiers}
${stages}
<section aria-labelledby="overdue"><h2 id="overdue">Overdue <span class="meta">(${p.overdue.length})</span></h2>
${p.overdueByKind.length ? html`<p class="meta">${p.overdueByKind.map((k) => count(k.count, humanize(k.kind))).join(', ')}</p>` : ''}
${overdue}</section>
<section aria-labelledby="incidents"><h2 id="incidents">Open incidents <span class="meta">(${p.openIncidents.length})</span></h2>
${incidents}</section>
<section aria-labelledby="systems"><h2 id="systems">Systems <span class="meta">(${p.total})</span></h2>
${systems}</section>
<p class="meta">The ISO/IEC 42001 Statement of Applicability of the same inventory: <code>GET /ai-systems/statement-of-applicability</code> (add <code>?format=markdown</code>).</p>`;
}
