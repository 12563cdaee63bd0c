import type { roadmapEngagement } from '../../workflows/roadmap-engagement/workflow.js';
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type WorkflowHandle } from '@temporalio/client';
import type { RoadmapPolicy } from '../../domain/policy/types.js';
import type { RoadmapPackage } from '../../domain/roadmap/engagement.js';
import type { ArchitectureReviewState } from '../../workflows/architecture-review/contract.js';
import type { RetrospectiveState } from '../../workflows/retrospective/contract.js';
import { extendDeadlineUpdate, stateQuery, withdrawUpdate, type Actor } from '../../workflows/contracts/common.js';
import { closePhaseEarlyUpdate, launchChildUpdate, reviewDeliverableUpdate, signOffPhaseUpdate, submitDeliverableUpdate, type RoadmapEngagementInput, type RoadmapEngagementState } from '../../workflows/roadmap-engagement/contract.js';
import { person, requester } from '../support/actors.js';
import { useWorkflowStack } from '../support/stack.js';
import { refusal, actThenState } from '../support/updates.js';

const DAY = 24 * 60 * 60 * 1000;
const proposal = {
  technology: 'PostgreSQL pgvector',
  category: 'database',
  strategicFit: { ai_capability_enhancement: 8, competitive_advantage: 7, innovation_potential: 7, market_readiness: 9 },
  enterpriseIntegration: 9,
  securityCompliance: 8,
  supportEcosystem: 9,
  implementationRiskLevel: 3,
  costs: { currency: 'EUR', budget: 500_000, migrationOneOff: 40_000, annual: { licences: 0, infrastructure: 30_000, staffing: 40_000 } },
};
const stack = useWorkflowStack('roadmap');
const { taskQueue } = stack;
const sponsor = person('sofia', 'executive_sponsor');
const lead = person('leo', 'engagement_lead');

type Handle = WorkflowHandle<typeof roadmapEngagement>;

function inputFor(businessKey: string, policy: RoadmapPolicy): RoadmapEngagementInput {
  return {
    businessKey,
    title: `AI roadmap ${businessKey}`,
    sponsor: sponsor.id,
    engagementLead: lead.id,
    objectives: ['Reduce claims handling time by 30%'],
    requester,
    policyVersion: stack.policySet.version.id,
    policy,
    childPolicies: {
      architectureReview: stack.policySet.architectureReview,
      committee: stack.policySet.aiGovernance.committee,
      technologyProposal: stack.policySet.technologyProposal,
      strategicInitiative: stack.policySet.strategicInitiative,
    },
  };
}

async function start(policy: RoadmapPolicy = stack.policySet.roadmap): Promise<Handle> {
  const key = `RM-${randomUUID().slice(0, 8)}`;
  return stack.env.client.workflow.start<typeof roadmapEngagement>('roadmapEngagement', { taskQueue, workflowId: `roadmap-engagement/${key}`, args: [inputFor(key, policy)] });
}

const state = async (h: Handle) => (await h.query(stateQuery)) as RoadmapEngagementState;
/** The state once the workflow's main loop has moved on (a phase closing is not part of the Update's reply). */
async function waitForState(h: Handle, ready: (s: RoadmapEngagementState) => boolean): Promise<RoadmapEngagementState> {
  for (let i = 0; i < 100; i++) {
    const s = await state(h);
    if (ready(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the engagement did not reach the expected state');
}
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

// The requester's team writes the deliverables and the lead reviews them (an author never rules on their own work).
function submit(h: Handle, deliverable: string, actor: Actor = requester, extra: Record<string, unknown> = {}) {
  return actThenState(h, submitDeliverableUpdate, {
    args: [{ actor, deliverable, title: `${deliverable} report`, documentRef: `dms://roadmap/${deliverable}`, contentHash: sha(deliverable), author: 'Rita Requester', ...extra }],
  });
}

function review(h: Handle, deliverable: string, decision: 'accept' | 'send_back', note?: string, actor: Actor = lead) {
  return actThenState(h, reviewDeliverableUpdate, { args: [{ actor, deliverable, decision, note }] });
}

function signOff(h: Handle, actor: Actor, role: string, decision: 'approve' | 'reject' = 'approve', extra: Record<string, unknown> = {}) {
  return actThenState(h, signOffPhaseUpdate, { args: [{ actor, role, decision, ...extra }] });
}

async function completePhase(h: Handle, phaseKey: string): Promise<void> {
  const phase = stack.policySet.roadmap.phases.find((p) => p.key === phaseKey)!;
  for (const d of phase.deliverables) {
    await submit(h, d);
    await review(h, d, 'accept');
  }
  await signOff(h, lead, 'engagement_lead');
  await signOff(h, sponsor, 'executive_sponsor');
}

/** Waits (in real time, without skipping) until the workflow has processed what the server already fired. */
async function until(h: Handle, what: string, pred: (s: RoadmapEngagementState) => boolean): Promise<RoadmapEngagementState> {
  for (let i = 0; i < 100; i++) {
    const s = await state(h);
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const eventOf = (s: RoadmapEngagementState, action: string, phase: string) => s.events.find((e) => e.action === action && e.details.phase === phase);
const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / DAY;
/** A timer fires at its time plus the few milliseconds the worker takes to run the activation. */
const expectDays = (a: string, b: string, days: number) => expect(Math.abs(daysBetween(a, b) - days) * DAY).toBeLessThan(60_000);


describe('roadmap engagement', () => {
  it('runs a whole engagement: an early close at the minimum, an overrun escalated to the sponsor, a child review, the package stored', async () => {
    const [p1, p2, p3] = stack.policySet.roadmap.phases;
    const h = await start();

    // Phase 1: everything done on day 0, so it closes exactly at its minimum duration.
    await completePhase(h, p1!.key);
    let s = await state(h);
    expect(s.stage).toBe(p1!.key);
    expect(s.pendingRoles).toEqual([]);
    await stack.env.sleep(`${p1!.duration.minDays - 1} days`);
    expect((await state(h)).stage).toBe(p1!.key);
    await stack.env.sleep('2 days');
    s = await until(h, 'phase 2', (x) => x.stage === p2!.key);
    const closed1 = eventOf(s, 'phase_closed', p1!.key)!;
    const started1 = eventOf(s, 'phase_started', p1!.key)!;
    expectDays(started1.at, closed1.at, p1!.duration.minDays);
    expect(daysBetween(started1.at, closed1.at)).toBeLessThan(p1!.duration.maxDays!);
    expect(s.phases[0]!.overruns).toEqual([]);

    // Phase 2: a child architecture review is launched, then nothing happens until past the maximum.
    const childKey = `ARCH-RM-${randomUUID().slice(0, 8)}`;
    await h.executeUpdate(launchChildUpdate, {
      args: [{ actor: lead, kind: 'architecture_review', businessKey: childKey, title: 'Claims AI platform', input: { trigger: 'new_system_design', systemDescription: 'RAG over claims documents' } }],
    });
    // Two evaluations as children: a valid technology proposal, and a strategic initiative the engine refuses.
    const tpKey = `TP-RM-${randomUUID().slice(0, 8)}`;
    const siKey = `SI-RM-${randomUUID().slice(0, 8)}`;
    await h.executeUpdate(launchChildUpdate, { args: [{ actor: requester, kind: 'technology_proposal_evaluation', businessKey: tpKey, title: 'pgvector for retrieval', input: proposal }] });
    await h.executeUpdate(launchChildUpdate, { args: [{ actor: lead, kind: 'strategic_initiative_evaluation', businessKey: siKey, title: 'Claims automation', input: { name: 'incomplete' } }] });
    s = await state(h);
    expect(s.children.map((c) => c.workflowId)).toEqual([`architecture-review/${childKey}`, `technology-proposal-evaluation/${tpKey}`, `strategic-initiative-evaluation/${siKey}`]);
    expect(s.children[0]).toMatchObject({ status: 'running', phase: p2!.key, launchedBy: lead.id });
    const tp = await until(h, 'the evaluation children', (x) => x.children[1]!.status !== 'running' && x.children[2]!.status !== 'running');
    const tpRow = await stack.db.evaluation.findUniqueOrThrow({ where: { workflowId: `technology-proposal-evaluation/${tpKey}` } });
    expect(tp.children[1]).toMatchObject({ status: 'completed', outcome: (tpRow.result as { decision: string }).decision });
    expect(tp.children[2]).toMatchObject({ status: 'failed', outcome: 'failed' });
    expect(tp.children[2]!.failure).toBeTruthy();
    expect(s.pendingRoles).toEqual(['engagement_lead']);
    await stack.env.sleep(`${p2!.duration.maxDays! + 4} days`);
    s = await until(h, 'the overrun, its reminder and the child outcome', (x) => x.notices.some((n) => n.kind === 'reminder') && x.children[0]!.status !== 'running');
    const started2 = eventOf(s, 'phase_started', p2!.key)!;
    const overrun = eventOf(s, 'phase_overrun', p2!.key)!;
    expectDays(started2.at, overrun.at, p2!.duration.maxDays!);
    const escalation = s.notices.find((n) => n.kind === 'escalation')!;
    expect(escalation.recipients).toEqual(expect.arrayContaining(['executive_sponsor', sponsor.id]));
    expect(escalation.message).toContain(p2!.key);
    expect(s.stage).toBe(p2!.key); // an overrun never passes the gate
    expect(s.phases[1]!.overdue).toBe(true);
    // The child review breached its own SLA meanwhile; the engagement recorded the outcome.
    expect(s.children[0]).toMatchObject({ status: 'completed', outcome: 'sla_breached' });
    const child = (await stack.env.client.workflow.getHandle(`architecture-review/${childKey}`).result()) as ArchitectureReviewState;
    expect(child.outcome).toBe('sla_breached');

    await completePhase(h, p2!.key);
    s = await until(h, 'phase 3', (x) => x.stage === p3!.key);
    expect(daysBetween(started2.at, eventOf(s, 'phase_closed', p2!.key)!.at)).toBeGreaterThan(p2!.duration.maxDays!);

    // Phase 3: a normal run, with one deliverable sent back and resubmitted, completed between min and max.
    await stack.env.sleep(`${p3!.duration.minDays + 1} days`);
    const [first, ...rest] = p3!.deliverables;
    await submit(h, first!);
    await review(h, first!, 'send_back', 'add the dependency chart');
    await submit(h, first!, requester, { documentRef: 'dms://roadmap/plan-v2', contentHash: sha('v2') });
    await review(h, first!, 'accept');
    for (const d of rest) {
      await submit(h, d);
      await review(h, d, 'accept');
    }
    await signOff(h, lead, 'engagement_lead');
    await signOff(h, sponsor, 'executive_sponsor');

    const result = (await h.result()) as RoadmapEngagementState;
    expect(result.outcome).toBe('completed');
    expect(result.stage).toBe('closed');
    const days3 = daysBetween(eventOf(result, 'phase_started', p3!.key)!.at, eventOf(result, 'phase_closed', p3!.key)!.at);
    expect(days3).toBeGreaterThanOrEqual(p3!.duration.minDays);
    expect(days3).toBeLessThan(p3!.duration.maxDays!);
    const total = daysBetween(result.startedAt, result.closedAt!);
    // Longer than the three minimum durations together: phase 2 ran past its maximum.
    expect(total).toBeGreaterThan(p1!.duration.minDays + p2!.duration.maxDays! + p3!.duration.minDays);
    expect(result.phases[2]!.deliverables[0]!.submissions.map((x) => x.decision)).toEqual(['send_back', 'accept']);
    // Organisational learning: the completed engagement starts its retrospective, facilitated by the lead.
    expect(result.retrospectiveWorkflowId).toBe(`retrospective/roadmap-${result.businessKey}`);
    const retro = (await stack.env.client.workflow.getHandle(result.retrospectiveWorkflowId!).query(stateQuery)) as RetrospectiveState;
    expect(retro).toMatchObject({ facilitator: result.engagementLead, subjectWorkflowId: h.workflowId, kind: 'retrospective' });
    expect(retro.participants).toEqual(expect.arrayContaining([result.sponsor, result.engagementLead]));
    // ... and each phase but the last had its own, started as the phase closed.
    expect(result.phases.map((p) => p.retrospectiveWorkflowId)).toEqual([
      `retrospective/roadmap-${result.businessKey}-${result.phases[0]!.key}`,
      `retrospective/roadmap-${result.businessKey}-${result.phases[1]!.key}`,
      undefined,
    ]);
    const phaseRetro = await stack.env.client.workflow.getHandle(result.phases[0]!.retrospectiveWorkflowId!).describe();
    expect(phaseRetro.type).toBe('retrospective');

    const rows = await stack.db.deliverable.findMany({ where: { workflowId: h.workflowId } });
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.status === 'accepted')).toBe(true);
    const plan = rows.find((r) => r.key === first)!;
    expect(plan).toMatchObject({ phase: p3!.key, documentRef: 'dms://roadmap/plan-v2', contentHash: sha('v2'), author: 'Rita Requester' });
    const report = await stack.db.report.findUniqueOrThrow({ where: { id: result.packageId! } });
    expect(report).toMatchObject({ kind: 'roadmap_package', scope: h.workflowId });
    const pkg = report.content as unknown as RoadmapPackage;
    expect(pkg.outcome).toBe('completed');
    expect(pkg.children.map((c) => [c.workflowId, c.outcome])).toEqual([
      [`architecture-review/${childKey}`, 'sla_breached'],
      [`technology-proposal-evaluation/${tpKey}`, tp.children[1]!.outcome],
      [`strategic-initiative-evaluation/${siKey}`, 'failed'],
    ]);
    expect(pkg.decisions.filter((d) => d.kind === 'sign_off')).toHaveLength(6);
    expect(pkg.decisions.filter((d) => d.kind === 'deliverable_review')).toHaveLength(13);
    expect(pkg.phases[1]!.overruns).toHaveLength(1);
    // The closing report: completed, all twelve deliverables delivered, the breached child review's record with it.
    const closing = await stack.db.report.findUniqueOrThrow({ where: { id: result.closingReportId! } });
    expect(closing.content).toMatchObject({ sections: { template: 'closing_report', outcome: 'completed', reason: 'every phase passed its gate', outstanding: [] } });
    expect((closing.content as { sections: { delivered: unknown[] } }).sections.delivered).toHaveLength(12);

    const row = await stack.db.process.findUniqueOrThrow({ where: { workflowId: h.workflowId }, include: { decisions: true, notifications: true } });
    expect(row.outcome).toBe('completed');
    expect(row.decisions).toHaveLength(19);
    expect(row.notifications.some((n) => n.kind === 'escalation' && n.recipients.includes('executive_sponsor'))).toBe(true);
  });

  it('takes its timers from the policy: a shorter phase 1 closes and overruns at the changed times', async () => {
    const [p1, ...others] = stack.policySet.roadmap.phases;
    const policy: RoadmapPolicy = { ...stack.policySet.roadmap, phases: [{ ...p1!, duration: { minDays: 10, maxDays: 12 } }, ...others] };
    const early = await start(policy);
    const late = await start(policy);
    await completePhase(early, p1!.key);
    await stack.env.sleep('13 days');

    const a = await until(early, 'phase 2 of the early engagement', (x) => x.stage === others[0]!.key);
    expectDays(eventOf(a, 'phase_started', p1!.key)!.at, eventOf(a, 'phase_closed', p1!.key)!.at, 10);

    const b = await until(late, 'the overrun', (x) => !!eventOf(x, 'phase_overrun', p1!.key));
    expectDays(eventOf(b, 'phase_started', p1!.key)!.at, eventOf(b, 'phase_overrun', p1!.key)!.at, 12);
    expect(b.notices.filter((n) => n.kind === 'escalation')).toHaveLength(1);
    expect(b.stage).toBe(p1!.key);

    // An extension puts the phase back within its time; the new deadline escalates again when reached.
    await late.executeUpdate(extendDeadlineUpdate, { args: [{ actor: sponsor, days: 5, reason: 'stakeholder holidays' }] });
    const extended = await until(late, 'the extension', (x) => !x.phases[0]!.overdue);
    expect(extended.phases[0]!.dueAt).toBe(new Date(Date.parse(extended.phases[0]!.startedAt!) + 17 * DAY).toISOString());
    await stack.env.sleep('5 days');
    const again = await until(late, 'the second overrun', (x) => x.phases[0]!.overruns.length === 2);
    expectDays(again.phases[0]!.startedAt!, again.phases[0]!.overruns[1]!, 17);

    for (const h of [early, late]) await h.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'test finished' }] });
    const withdrawn = (await late.result()) as RoadmapEngagementState;
    expect(withdrawn.outcome).toBe('withdrawn');
    expect(await stack.db.report.count({ where: { id: withdrawn.packageId! } })).toBe(1);
    expect(await stack.db.deliverable.count({ where: { workflowId: early.workflowId } })).toBe(4);
  });

  it('projects every phase and the end, says a signed-off phase closes on its minimum, and lets the sponsor close it early', async () => {
    const [p1, p2, p3] = stack.policySet.roadmap.phases;
    const h = await start();
    const at = (iso: string | null | undefined) => Date.parse(iso!);
    const DAY = 86_400_000;
    const initial = (await state(h)).timeline!;
    expect(initial.phases.map((p) => p.status)).toEqual(['in_progress', 'pending', 'pending']);
    // Phases 2 and 3 have windows too: from the earliest and latest end of the phase before, by their durations.
    expect(at(initial.phases[1]!.end.earliest) - at(initial.phases[0]!.end.earliest)).toBe(p2!.duration.minDays * DAY);
    expect(at(initial.phases[2]!.end.latest) - at(initial.phases[1]!.end.latest)).toBe(p3!.duration.maxDays! * DAY);
    expect(initial.projectedEnd).toEqual(initial.phases[2]!.end);

    for (const d of p1!.deliverables) {
      await submit(h, d);
      await review(h, d, 'accept');
    }
    await signOff(h, lead, 'engagement_lead');
    const signed = await signOff(h, sponsor, 'executive_sponsor');
    const window = signed.timeline!.phases[0]!;
    expect(window.closesOn).toBe(signed.phases[0]!.earliestCloseAt);
    expect(signed.pendingActors).toContain(sponsor.id);
    // Signed off on day 0: the latest end of the engagement moves in, as phase 1 can no longer overrun.
    expect(at(signed.timeline!.projectedEnd.latest)).toBeLessThan(at(initial.projectedEnd.latest));

    expect(await refusal(h.executeUpdate(closePhaseEarlyUpdate, { args: [{ actor: lead, justification: 'done' }] }))).toMatchObject({ type: 'Forbidden' });
    expect(await refusal(h.executeUpdate(closePhaseEarlyUpdate, { args: [{ actor: sponsor, justification: ' ' }] }))).toMatchObject({ type: 'RuleViolation' });
    await h.executeUpdate(closePhaseEarlyUpdate, { args: [{ actor: sponsor, justification: 'the board meets next week' }] });
    const moved = await waitForState(h, (s) => s.stage === p2!.key);
    expect(moved.phases[0]!.earlyClose).toMatchObject({ by: sponsor.id, justification: 'the board meets next week' });
    expect(moved.events.find((e) => e.action === 'phase_closed')?.details).toMatchObject({ earlyClose: { by: sponsor.id } });
    // Closed before its minimum: every later date moves earlier.
    expect(at(moved.timeline!.projectedEnd.earliest)).toBeLessThan(at(signed.timeline!.projectedEnd.earliest));
    expect(moved.timeline!.phases[0]!.status).toBe('closed');
    await h.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'test done' }] });
  });

  it('has the sponsor, not the lead, rule on a deliverable the lead submitted', async () => {
    const [p1] = stack.policySet.roadmap.phases;
    const h = await start();
    await submit(h, p1!.deliverables[0]!, lead, { author: lead.id });
    const waiting = await state(h);
    expect(waiting.pendingActors).toContain(sponsor.id);
    const own = await refusal(review(h, p1!.deliverables[0]!, 'accept'));
    expect(own).toMatchObject({ type: 'Forbidden', message: expect.stringContaining('segregation of duties (selfApproval)') });
    expect(await state(h)).toEqual(waiting);
    const accepted = await review(h, p1!.deliverables[0]!, 'accept', undefined, sponsor);
    const d = accepted.phases[0]!.deliverables.find((x) => x.key === p1!.deliverables[0]);
    expect(d?.status).toBe('accepted');
    expect(accepted.events.at(-1)).toMatchObject({ action: 'deliverable_accepted', actor: sponsor.id, role: 'executive_sponsor' });
    await h.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'test done' }] });
  });

  it('refuses invalid actions and leaves the state unchanged', async () => {
    const [p1] = stack.policySet.roadmap.phases;
    const h = await start();
    await submit(h, p1!.deliverables[0]!);
    const before = await state(h);

    expect((await refusal(submit(h, 'vibes_report'))).type).toBe('ValidationError');
    expect((await refusal(submit(h, p1!.deliverables[1]!, person('mallory', 'technical_lead')))).type).toBe('Forbidden');
    expect((await refusal(submit(h, p1!.deliverables[1]!, lead, { contentHash: 'not-a-hash' }))).type).toBe('ValidationError');
    expect((await refusal(submit(h, p1!.deliverables[0]!))).type).toBe('Conflict'); // awaiting review
    expect((await refusal(review(h, p1!.deliverables[0]!, 'send_back'))).type).toBe('RuleViolation');
    expect((await refusal(review(h, p1!.deliverables[0]!, 'accept', undefined, person('lena', 'engagement_lead')))).type).toBe('Forbidden');
    expect((await refusal(review(h, p1!.deliverables[1]!, 'accept'))).type).toBe('Conflict'); // nothing submitted
    expect((await refusal(signOff(h, lead, 'engagement_lead'))).type).toBe('RuleViolation'); // deliverables not accepted
    expect((await refusal(signOff(h, person('mallory', 'technical_lead'), 'executive_sponsor'))).type).toBe('Forbidden');
    expect((await refusal(signOff(h, lead, 'committee_chair'))).type).toBe('ValidationError');
    expect(
      (await refusal(h.executeUpdate(launchChildUpdate, { args: [{ actor: lead, kind: 'architecture_review', businessKey: 'X-1', title: 'x', input: { trigger: 'new_system_design', systemDescription: 'x' } }] }))).type,
    ).toBe('Conflict'); // not before phase 2
    expect((await refusal(h.executeUpdate(extendDeadlineUpdate, { args: [{ actor: lead, days: 29, reason: 'more time' }] }))).type).toBe('RuleViolation');
    expect((await refusal(h.executeUpdate(withdrawUpdate, { args: [{ actor: lead, reason: 'x' }] }))).type).toBe('Forbidden');
    expect(await state(h)).toEqual(before);

    // With every deliverable accepted: a different holder of the sponsor role is not this engagement's sponsor,
    // a rejection needs a justification, and a justified rejection reopens the named deliverable.
    await review(h, p1!.deliverables[0]!, 'accept');
    for (const d of p1!.deliverables.slice(1)) {
      await submit(h, d);
      await review(h, d, 'accept');
    }
    expect((await refusal(signOff(h, person('otto', 'executive_sponsor'), 'executive_sponsor'))).type).toBe('Forbidden');
    expect((await refusal(signOff(h, sponsor, 'executive_sponsor', 'reject'))).type).toBe('RuleViolation');
    await signOff(h, lead, 'engagement_lead');
    expect((await refusal(signOff(h, lead, 'engagement_lead'))).type).toBe('Conflict');
    const rejected = await signOff(h, sponsor, 'executive_sponsor', 'reject', { justification: 'gap analysis misses the data platform', reopen: [p1!.deliverables[1]!] });
    expect(rejected.phases[0]!.signOffs).toEqual([]);
    expect(rejected.phases[0]!.signOffRound).toBe(2);
    expect(rejected.phases[0]!.signOffHistory.map((x) => x.decision)).toEqual(['approve', 'reject']);
    expect(rejected.phases[0]!.deliverables[1]!.status).toBe('sent_back');
    expect(rejected.pendingRoles).toEqual(['engagement_lead']);
    expect((await refusal(signOff(h, lead, 'engagement_lead'))).type).toBe('RuleViolation');
    await submit(h, p1!.deliverables[1]!);
    await review(h, p1!.deliverables[1]!, 'accept');
    const resigned = await signOff(h, lead, 'engagement_lead');
    expect(resigned.pendingRoles).toEqual(['executive_sponsor']);

    await h.executeUpdate(withdrawUpdate, { args: [{ actor: sponsor, reason: 'budget moved' }] });
    expect(((await h.result()) as RoadmapEngagementState).outcome).toBe('withdrawn');
  });
});
