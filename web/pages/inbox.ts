import type { Actor } from '../../workflows/contracts/common.js';
import { formatDate, html, humanize, type Html } from '../html.js';
import { processHref } from '../links.js';

export interface InboxItem {
  workflowId: string;
  kind: string;
  businessKey: string;
  title: string;
  stage: string;
  pendingRoles: string[];
  pendingActors: string[];
  slaDueAt: Date | string | null;
  requester: string;
  attention?: string;
}

/** One line saying what is asked of me. */
function asked(item: InboxItem, actor: Actor): string {
  if (item.attention) return item.attention;
  if (item.requester === actor.id && item.pendingRoles.includes('requester')) return `Your request needs you: ${humanize(item.stage)}`;
  if (item.pendingActors.includes(actor.id)) return `Waiting on you by name at ${humanize(item.stage)}`;
  const mine = item.pendingRoles.filter((r) => actor.roles.includes(r));
  return `Your ${mine.map(humanize).join(' or ') || 'seat'} decision is asked at ${humanize(item.stage)}`;
}

export function inboxBody(items: InboxItem[], actor: Actor, kind: string | undefined, now = new Date()): { title: string; body: Html } {
  const kinds = [...new Set(items.map((i) => i.kind))].sort();
  const shown = kind ? items.filter((i) => i.kind === kind) : items;
  const overdue = (i: InboxItem) => Boolean(i.slaDueAt && new Date(i.slaDueAt) < now);
  // Overdue first, then by due date (the API's order), undated last.
  const sorted = [...shown.filter(overdue), ...shown.filter((i) => !overdue(i))];
  const count = sorted.length;
  return {
    title: `(${count}) Inbox`,
    body: html`<h1>My inbox <span class="badge">${count}</span></h1>
<nav class="filters" aria-label="Filter by process kind">
  <a href="/app/"${kind ? '' : html` aria-current="page"`}>All (${items.length})</a>
  ${kinds.map((k) => html`<a href="/app/?kind=${k}"${k === kind ? html` aria-current="page"` : ''}>${humanize(k)} (${items.filter((i) => i.kind === k).length})</a>`)}
</nav>
${count
  ? html`<ul class="items">${sorted.map(
      (i) => html`<li class="card">
        <a class="title" href="${processHref(i.workflowId)}">${i.title}</a>
        <p class="meta">${humanize(i.kind)} · ${i.businessKey} · stage <strong>${humanize(i.stage)}</strong></p>
        <p>${asked(i, actor)}</p>
        <p class="meta">${i.slaDueAt ? html`${overdue(i) ? html`<span class="overdue">Overdue</span> · ` : ''}due ${formatDate(i.slaDueAt)}` : 'no deadline'}</p>
      </li>`,
    )}</ul>`
  : html`<p class="card">Nothing waits on you${kind ? html` in ${humanize(kind)}` : ''}.</p>`}`,
  };
}
