import type { CommitteeApprovalState } from '../../workflows/contracts/committee-approval.js';
import { formatDate, html, humanize, type Html } from '../html.js';
import { processHref } from '../links.js';

/** The next meeting's agenda: its open items, their papers and the quorum so far. */
export function committeeBody(open: CommitteeApprovalState[], quorum: number, now = new Date()): Html {
  const upcoming = open.filter((s) => s.meetingAt && new Date(s.meetingAt) >= now && !s.urgent).map((s) => s.meetingAt!).sort();
  const next = upcoming[0];
  const agenda = next ? open.filter((s) => s.meetingAt === next) : [];
  const inSession = open.filter((s) => !agenda.includes(s) && (s.urgent || (s.meetingAt && new Date(s.meetingAt) < now)));
  const item = (s: CommitteeApprovalState) => html`<li class="card">
    <a class="title" href="${processHref(s.workflowId)}">${s.title}</a>
    <p>${s.subject.summary}</p>
    ${s.subject.recommendation ? html`<p><strong>Recommendation:</strong> ${s.subject.recommendation}</p>` : ''}
    ${s.subject.workflowId ? html`<p>Papers: <a href="${processHref(s.subject.workflowId)}">${humanize(s.subject.kind)} ${s.subject.workflowId}</a></p>` : ''}
    <p class="meta">Ballots ${s.ballots.length} of ${s.members} · quorum ${Math.ceil(quorum * s.members)} ${s.tally?.quorumMet ? html`<span class="ok">met</span>` : 'not yet met'}${s.urgent ? ' · urgent' : ''}</p>
  </li>`;
  return html`<h1>Governance committee</h1>
<h2>Next meeting${next ? html`: ${formatDate(next)}` : ''}</h2>
${agenda.length ? html`<ul class="items">${agenda.map(item)}</ul>` : html`<p class="card">No item is on the next meeting's agenda.</p>`}
${inSession.length ? html`<h2>Open for voting now</h2><ul class="items">${inSession.map(item)}</ul>` : ''}`;
}
