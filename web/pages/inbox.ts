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

/**
 * One plain sentence of what is asked of me, by kind and stage. The inbox item carries only its kind, stage and who
 * it waits on, so the sentence says what that seat does at that stage (the process page has the detail).
 */
export function asked(item: InboxItem, actor: Actor): string {
  if (item.attention) return `Needs an admin (${item.attention}): delegate the seat or withdraw the process.`;
  const stage = humanize(item.stage);
  const mine = item.pendingRoles.filter((r) => r !== 'requester' && actor.roles.includes(r));
  const as = mine.length ? `, as ${mine.map(humanize).join(' or ')}` : '';
  const myRequest = item.requester === actor.id && item.pendingRoles.includes('requester');
  switch (item.kind) {
    case 'architecture_review':
      return myRequest ? 'The reviewers asked for changes: revise your design and resubmit it.' : `Rule on each approval criterion of this design${as}.`;
    case 'ethical_review':
      return `Give your finding on each review item and your ballot${as}.`;
    case 'committee_approval':
      return item.stage === 'voting' ? `Cast your ballot on this item${as}.` : `Cast your ballot on this item at the committee's meeting${as}.`;
    case 'poc_scale_up':
      if (item.stage === 'selection_gate') return `Rule on each selection criterion of this proof of concept${as}.`;
      if (item.stage === 'scale_up_decision') return 'Decide on scaling this proof of concept up, on its committee item.';
      return `Complete the ${stage} stage of this proof of concept, with its evidence.`;
    case 'roadmap_engagement':
      // The lead submits and reviews deliverables until all are accepted; then the sign-off roles sign the phase off.
      if (item.pendingRoles.includes('engagement_lead')) return `Submit or review the deliverables of the ${stage} phase.`;
      if (mine.length) return `Sign off the ${stage} phase${as}.`;
      return `Review the deliverables submitted in the ${stage} phase, or close the signed-off phase early.`;
    case 'cto_engagement':
      return 'Submit the deliverables of this CTO engagement that are due.';
    case 'retrospective':
      if (item.stage === 'capturing') return 'Add your insights to this retrospective.';
      if (item.stage === 'tracking_actions') return 'Complete your follow-up action from this retrospective.';
      if (item.stage === 'synthesising') return 'Turn the insights into themes and follow-up actions with owners.';
      return 'Plan how the findings of this retrospective are shared.';
    default:
      return myRequest ? `Your ${humanize(item.kind)} needs you at its ${stage} stage.` : `Act on this ${humanize(item.kind)} at its ${stage} stage${as}.`;
  }
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
