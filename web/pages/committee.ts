import type { CommitteeApprovalState } from '../../workflows/committee-approval/contract.js';
import { formatDate, html, humanize, type Html } from '../html.js';
import { processHref } from '../links.js';

/** The agendas of the coming meetings (the next one first): their open items, papers and the quorum so far. */
export function committeeBody(open: CommitteeApprovalState[], quorum: number, now = new Date()): Html {
  const meetings = [...new Set(open.filter((s) => s.meetingAt && new Date(s.meetingAt) >= now && !s.urgent).map((s) => s.meetingAt!))].sort();
  const inSession = open.filter((s) => s.urgent || !s.meetingAt || new Date(s.meetingAt) < now);
  const item = (s: CommitteeApprovalState) => html`<li class="card">
    <a class="title" href="${processHref(s.workflowId)}">${s.title}</a>
    <p class="papers">${s.subject.summary}</p>
    ${s.subject.recommendation ? html`<p><strong>Recommendation:</strong> ${s.subject.recommendation}</p>` : ''}
    ${s.subject.workflowId ? html`<p>Papers: <a href="${processHref(s.subject.workflowId)}">${humanize(s.subject.kind)} ${s.subject.workflowId}</a></p>` : ''}
    <p class="meta">Ballots ${s.ballots.length} of ${s.members} · quorum ${Math.ceil(quorum * s.members)} ${s.tally?.quorumMet ? html`<span class="ok">met</span>` : 'not yet met'}${s.urgent ? ' · urgent' : ''}</p>
  </li>`;
  return html`<h1>Governance committee</h1>
${meetings.length
  ? meetings.map((at, i) => html`<h2>${i === 0 ? 'Next meeting' : 'Later meeting'}: ${formatDate(at)}</h2><ul class="items">${open.filter((s) => s.meetingAt === at && !s.urgent).map(item)}</ul>`)
  : html`<p class="card">No item is on a coming meeting's agenda.</p>`}
${inSession.length ? html`<h2>Open for voting now</h2><ul class="items">${inSession.map(item)}</ul>` : ''}`;
}
