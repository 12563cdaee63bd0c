import { describe, expect, it } from 'vitest';
import { composeReport, type ProcessFact, type ReportFacts } from '../../../domain/reports/content.js';

const period = { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' };
const process = (over: Partial<ProcessFact>): ProcessFact => ({
  workflowId: 'architecture-review/A-1',
  kind: 'architecture_review',
  title: 'Ledger review',
  stage: 'in_review',
  outcome: null,
  pendingRoles: [],
  slaDueAt: null,
  riskTier: null,
  createdAt: '2026-11-02T00:00:00.000Z',
  completedAt: null,
  conditions: [],
  ...over,
});
const facts = (over: Partial<ReportFacts> = {}): ReportFacts => ({
  period,
  nextPeriodEnd: '2026-12-31T00:00:00.000Z',
  engagement: {
    workflowId: 'cto-engagement/C-1',
    kind: 'cto_engagement',
    title: 'Logistics platform',
    sponsor: 'sara',
    lead: 'lena',
    stage: 'active',
    outcome: null,
    closeReason: null,
    startedAt: '2026-10-01T00:00:00.000Z',
    endsAt: '2027-04-01T00:00:00.000Z',
    deliverables: [
      { key: 'strategy', status: 'delivered', done: true, dueAt: '2027-04-01T00:00:00.000Z', doneAt: '2026-11-10T00:00:00.000Z' },
      { key: 'team_building', status: 'pending', done: false, dueAt: '2027-04-01T00:00:00.000Z', doneAt: null },
    ],
    closesOn: null,
    overrunPhases: [],
  },
  processes: [],
  decisions: [],
  ...over,
});

describe('report content', () => {
  it('rates green with its reason when nothing is late, due or at risk', () => {
    const { status, sections } = composeReport('board_report', facts());
    expect(status).toEqual({ rating: 'green', reasons: [expect.stringMatching(/^nothing is late/)] });
    expect(sections).toMatchObject({ template: 'board_report', risks: [], deliverablesLate: [], deliverablesDue: [], asks: [] });
  });

  it('rates red for a review past its deadline and a high-risk system, amber for what falls due before the next report', () => {
    const overdue = process({ slaDueAt: '2026-11-20T00:00:00.000Z', pendingRoles: ['security_architect'] });
    const highRisk = process({ workflowId: 'ethical-review/E-1', kind: 'ethical_review', title: 'Credit scoring', riskTier: 'high_risk' });
    const red = composeReport('board_report', facts({ processes: [overdue, highRisk] }));
    expect(red.status.rating).toBe('red');
    expect(red.status.reasons).toEqual([expect.stringMatching(/1 item\(s\) past their deadline: Ledger review/), expect.stringMatching(/1 high risk\(s\) open: Credit scoring \(high risk/)]);
    if (red.sections.template !== 'board_report') throw new Error('a board report');
    expect(red.sections.risks.map((r) => [r.id, r.level, r.trend])).toEqual([
      ['tier:ethical-review/E-1', 'high', 'new'],
      ['overdue:architecture-review/A-1', 'high', 'new'],
    ]);

    const dueSoon = process({ slaDueAt: '2026-12-10T00:00:00.000Z' });
    expect(composeReport('board_report', facts({ processes: [dueSoon] })).status).toEqual({ rating: 'amber', reasons: ['1 item(s) due before the next report'] });
  });

  it('tells the trend against the previous report, and which risks closed', () => {
    const limited = process({ workflowId: 'ethical-review/E-1', kind: 'ethical_review', title: 'Chatbot', riskTier: 'transparency' });
    const first = composeReport('board_report', facts({ processes: [limited] }));
    if (first.sections.template !== 'board_report') throw new Error('a board report');
    const escalated = process({ ...limited, riskTier: 'high_risk' });
    const second = composeReport('board_report', facts({ processes: [escalated] }), first.sections.risks);
    if (second.sections.template !== 'board_report') throw new Error('a board report');
    expect(second.sections.risks[0]).toMatchObject({ id: 'tier:ethical-review/E-1', level: 'high', trend: 'rising' });
    const third = composeReport('board_report', facts({ processes: [{ ...escalated, outcome: 'approved', completedAt: '2026-11-30T00:00:00.000Z' }] }), second.sections.risks);
    if (third.sections.template !== 'board_report') throw new Error('a board report');
    expect(third.sections.risks).toEqual([]);
    expect(third.sections.closedRisks.map((r) => r.id)).toEqual(['tier:ethical-review/E-1']);
  });

  it('lists late deliverables and asks the board to renew a term that ends before the next report', () => {
    const ending = facts();
    ending.engagement!.endsAt = '2026-12-15T00:00:00.000Z';
    ending.engagement!.deliverables[1]!.dueAt = '2026-11-15T00:00:00.000Z';
    const { status, sections } = composeReport('board_report', ending);
    expect(status.rating).toBe('red');
    if (sections.template !== 'board_report') throw new Error('a board report');
    expect(sections.deliverablesLate.map((d) => d.key)).toEqual(['team_building']);
    expect(sections.asks).toEqual([{ what: 'renew or let "Logistics platform" end on 2026-12-15', workflowId: 'cto-engagement/C-1', when: '2026-12-15T00:00:00.000Z' }]);
  });

  it('writes the executive update as progress, blockers and what comes next', () => {
    const closed = process({ outcome: 'approved', stage: 'closed', completedAt: '2026-11-20T00:00:00.000Z' });
    const sentBack = process({ workflowId: 'architecture-review/A-2', title: 'Search review', stage: 'changes_requested' });
    const due = process({ workflowId: 'architecture-review/A-3', title: 'Cache review', slaDueAt: '2026-12-05T00:00:00.000Z' });
    const { sections } = composeReport('executive_update', facts({ processes: [closed, sentBack, due] }));
    expect(sections).toEqual({
      template: 'executive_update',
      progress: ['strategy delivered', 'Ledger review: approved'],
      blockers: [{ what: 'Search review: changes requested', workflowId: 'architecture-review/A-2', when: null }],
      nextPeriod: [{ what: 'Cache review due', workflowId: 'architecture-review/A-3', when: '2026-12-05T00:00:00.000Z' }],
    });
  });

  it('writes the technical review from architecture decisions, reviews in flight and technical risks', () => {
    const decided = process({ outcome: 'approved_with_conditions', stage: 'closed', completedAt: '2026-11-20T00:00:00.000Z', conditions: ['load test at 10x'] });
    const inFlight = process({ workflowId: 'ethical-review/E-1', kind: 'ethical_review', title: 'Credit scoring', riskTier: 'high_risk', stage: 'board_review', pendingRoles: ['ethics_board_member'] });
    const { sections } = composeReport('technical_review', facts({ processes: [decided, inFlight] }));
    expect(sections).toMatchObject({
      template: 'technical_review',
      architectureDecisions: [{ subject: 'Ledger review', outcome: 'approved_with_conditions', conditions: ['load test at 10x'] }],
      inFlight: [{ what: 'Credit scoring (ethical review, board review, waiting on ethics board member)', workflowId: 'ethical-review/E-1' }],
      technicalRisks: [{ id: 'tier:ethical-review/E-1', level: 'high' }],
    });
  });

  it('closes an engagement with its outcome, what was and was not delivered, and what is handed over', () => {
    const ended = facts({ processes: [process({ title: 'Open review' })] });
    Object.assign(ended.engagement!, { outcome: 'terminated', closeReason: 'acquired', stage: 'closed' });
    const { sections } = composeReport('closing_report', ended);
    expect(sections).toMatchObject({
      template: 'closing_report',
      outcome: 'terminated',
      reason: 'acquired',
      delivered: [{ key: 'strategy' }],
      outstanding: [{ key: 'team_building' }],
      handedOver: [{ what: 'Open review (architecture review, in review)' }],
    });
  });
});
