import type { TechRadar } from '../../domain/radar/tech-radar.js';
import { formatDate, html, type Html } from '../html.js';

const MOVED: Record<string, string> = { '1': 'moved in', '-1': 'moved out', '0': '' };

/**
 * The technology radar as a page: one section per ring (inner first), its entries by quadrant, each with the decision
 * that placed it and, folded, its history. The same data as `GET /tech-radar` (what Backstage shows).
 */
export function techRadarBody(radar: TechRadar): Html {
  const quadrant = new Map(radar.quadrants.map((q) => [q.id, q.name]));
  const entry = (e: TechRadar['entries'][number]) => {
    const [now, ...before] = e.timeline;
    const moved = now && before.length ? MOVED[String(now.moved ?? 0)] : 'new';
    // The other links (ADR, receipt) are the JSON API's, for bearer tokens; the page links the app's own page.
    const pages = (e.links ?? []).filter((l) => new URL(l.url).pathname.startsWith('/app/'));
    return html`<li class="card">
    <h4>${e.title}</h4>
    <p class="meta">${quadrant.get(e.quadrant) ?? e.quadrant}${moved ? html` · <strong>${moved}</strong>` : ''}${now ? html` · ${formatDate(now.date)}` : ''}</p>
    ${now?.description ? html`<p>${now.description}</p>` : ''}
    ${pages.length ? html`<p>${pages.map((l) => html`<a href="${new URL(l.url).pathname}">Decision: ${e.title}</a>`)}</p>` : ''}
    ${before.length
      ? html`<details><summary>History (${before.length} earlier)</summary><ul>${before.map((t) => html`<li>${formatDate(t.date)}: ${radar.rings.find((r) => r.id === t.ringId)?.name ?? t.ringId}${t.description ? html` — ${t.description}` : ''}</li>`)}</ul></details>`
      : ''}
  </li>`;
  };
  return html`<h1>Technology radar</h1>
<p>Where each technology stands after the decisions recorded in govflow. Backstage's tech-radar plugin reads the same data from <code>/tech-radar</code>.</p>
${radar.rings.map((ring) => {
  const entries = radar.entries.filter((e) => e.timeline[0]?.ringId === ring.id);
  return html`<section aria-labelledby="ring-${ring.id}">
  <h2 id="ring-${ring.id}">${ring.name} <span class="meta">(${entries.length})</span></h2>
  ${ring.description ? html`<p class="meta">${ring.description}</p>` : ''}
  ${entries.length
    ? radar.quadrants
        .filter((q) => entries.some((e) => e.quadrant === q.id))
        .map((q) => html`<h3>${q.name}</h3><ul class="items">${entries.filter((e) => e.quadrant === q.id).map(entry)}</ul>`)
    : html`<p class="card">Nothing in this ring yet.</p>`}
</section>`;
})}`;
}
