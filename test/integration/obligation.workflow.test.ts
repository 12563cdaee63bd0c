import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reviewVoteUpdate, type ArchitectureReviewState } from '../../workflows/architecture-review/contract.js';
import { stateQuery } from '../../workflows/contracts/common.js';
import { submitEvidenceUpdate, verifyObligationUpdate, type ObligationState } from '../../workflows/obligation/contract.js';
import { person, requester, reviewers } from '../support/actors.js';
import { waitFor } from '../support/processes.js';
import { architectureReviewInput, rulingsFor } from '../support/reviews.js';
import { useWorkflowStack } from '../support/stack.js';
import { actThenState, refusal } from '../support/updates.js';

const stack = useWorkflowStack('obligation');
const DAY = 86_400_000;
const architect = person('ada-ea', 'enterprise_architect');

/** An architecture review approved with one condition; answers its obligation's handle. */
async function approvedWithCondition(suspend = false) {
  const policy = stack.policySet;
  const key = `OBL-${randomUUID().slice(0, 8)}`;
  const review = await stack.env.client.workflow.start('architectureReview', {
    taskQueue: stack.taskQueue,
    workflowId: `architecture-review/${key}`,
    args: [architectureReviewInput(policy, key, { obligations: { ...policy.aiGovernance.obligations, suspendApprovalWhenOverdue: suspend } })],
  });
  for (const [role, actor] of Object.entries(reviewers)) {
    const conditional = role === 'technical_lead';
    await review.executeUpdate(reviewVoteUpdate, {
      args: [{ actor, role, rulings: rulingsFor(policy, 'approve', conditional ? { scalability_validation: 'approve_with_conditions' } : {}), ...(conditional ? { justification: 'capacity unproven', conditions: ['Load test at 10x before go-live'] } : {}) }],
    });
  }
  const result = (await review.result()) as ArchitectureReviewState;
  return { review: result, obligation: stack.env.client.workflow.getHandle(result.obligations![0]!) };
}

const state = async (h: { query: (q: typeof stateQuery) => Promise<unknown> }) => (await h.query(stateQuery)) as ObligationState;

describe('obligations from conditions', () => {
  // First in the file: once an abandoned child (the other test's obligation) completes after its parent, the
  // time-skipping test server no longer skips time for later sleeps (temporalio/sdk-typescript#1101, sdk-java#2392).
  it('reminds the owner before the due date; overdue, it escalates and (by the policy) suspends the approval until fulfilled', async () => {
    const { obligation } = await approvedWithCondition(true);
    await waitFor('the obligation', async () => state(obligation).catch(() => null));
    await stack.env.sleep(24 * DAY);
    await waitFor('the reminder', async () => (await state(obligation)).events.some((e) => e.action === 'reminder_sent'));
    await stack.env.sleep(7 * DAY);
    const overdue = await waitFor('the escalation', async () => {
      const s = await state(obligation);
      return s.overdue ? s : null;
    });
    expect(overdue).toMatchObject({ approvalSuspended: true, stage: 'open' });
    expect(overdue.notices.some((n) => n.kind === 'escalation' && n.recipients.includes('committee_chair'))).toBe(true);
    await actThenState(obligation, submitEvidenceUpdate, { args: [{ actor: requester, evidence: ['https://ci.example.com/load/43'] }] });
    const done = (await actThenState(obligation, verifyObligationUpdate, { args: [{ actor: architect, accept: true }] })) as ObligationState;
    expect(done).toMatchObject({ outcome: 'fulfilled', approvalSuspended: false });
    expect(done.events.map((e) => e.action)).toEqual(expect.arrayContaining(['obligation_overdue', 'approval_reinstated']));
  });

  it("a conditional approval's condition becomes an obligation the owner fulfils with evidence a verifier accepts", async () => {
    const { review, obligation } = await approvedWithCondition();
    expect(review).toMatchObject({ outcome: 'approved_with_conditions', obligations: [`obligation/architecture-review.${review.businessKey}.1`] });
    expect(review.events.map((e) => e.action)).toContain('obligations_created');
    const opened = await waitFor('the obligation', async () => state(obligation).catch(() => null));
    expect(opened).toMatchObject({ stage: 'open', owner: requester.id, verifierRole: 'enterprise_architect', condition: 'Load test at 10x before go-live', parent: { workflowId: review.workflowId } });
    expect(Date.parse(opened.dueAt) - Date.parse(review.events.at(-1)!.at)).toBeGreaterThanOrEqual(30 * DAY - 60_000);

    expect((await refusal(obligation.executeUpdate(submitEvidenceUpdate, { args: [{ actor: architect, evidence: ['https://x'] }] }))).type).toBe('Forbidden');
    expect((await refusal(obligation.executeUpdate(submitEvidenceUpdate, { args: [{ actor: requester, evidence: [] }] }))).type).toBe('RuleViolation');
    await actThenState(obligation, submitEvidenceUpdate, { args: [{ actor: requester, evidence: [`sha256:${'a'.repeat(64)}`], note: 'k6 run, 10x for 2 h' }] });
    expect((await refusal(obligation.executeUpdate(verifyObligationUpdate, { args: [{ actor: { ...requester, roles: ['requester', 'enterprise_architect'] }, accept: true }] }))).message).toMatch(/segregation of duties/);
    expect((await refusal(obligation.executeUpdate(verifyObligationUpdate, { args: [{ actor: architect, accept: false }] }))).type).toBe('RuleViolation');
    const sentBack = (await actThenState(obligation, verifyObligationUpdate, { args: [{ actor: architect, accept: false, note: 'the run stopped at 6x' }] })) as ObligationState;
    expect(sentBack).toMatchObject({ stage: 'open', pendingRoles: [] });
    await actThenState(obligation, submitEvidenceUpdate, { args: [{ actor: requester, evidence: ['https://ci.example.com/load/42'] }] });
    const done = (await actThenState(obligation, verifyObligationUpdate, { args: [{ actor: architect, accept: true }] })) as ObligationState;
    expect(done).toMatchObject({ stage: 'closed', outcome: 'fulfilled' });
    expect(done.submissions.map((s) => s.verdict)).toEqual(['rejected', 'accepted']);
  });

});
