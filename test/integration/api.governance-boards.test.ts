import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { defaultPolicy } from '../support/policy.js';
import { committeeMembers, requester as rita } from '../support/actors.js';
import { COMMITTEE_APPROVAL_WORKFLOW, committeeVoteUpdate, type CommitteeApprovalState } from '../../workflows/committee-approval/contract.js';
import { stateQuery } from '../../workflows/contracts/common.js';
import { assessments } from '../support/ethical-reviews.js';
import { waitFor } from '../support/processes.js';
import { expectedMeetingAt } from '../support/reviews.js';
import { useApiStack } from '../support/stack.js';

const stack = useApiStack('api-boards');
const REVIEW_ITEMS_HIGH_RISK = ['ethical_impact_assessment', 'bias_detection_review', 'fairness_evaluation', 'transparency_requirements', 'fundamental_rights_impact_assessment'];
const findings = (f = 'satisfactory') => Object.fromEntries(REVIEW_ITEMS_HIGH_RISK.map((i) => [i, f]));

describe('ethical review board and governance committee through the API', () => {
  it('runs an ethical review to the committee’s final approval, every step over HTTP', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    const key = `ERB-${randomUUID().slice(0, 8)}`;
    const started = await stack.api.call('POST', '/ethical-reviews', {
      token: requester,
      body: { businessKey: key, title: 'CV screening assistant', trigger: 'customer_facing_ai_features', systemDescription: 'Ranks applicants', assessment: assessments.highRisk, urgent: true },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);

    const open = await waitFor('the board review', async () => {
      const s = await stack.api.call('GET', `/ethical-reviews/${key}`, { token: requester });
      return s.body.stage === 'board_review' ? s.body : null;
    });
    expect(open.riskTier).toBe('high_risk');
    expect(open.reviewItems).toEqual(REVIEW_ITEMS_HIGH_RISK);

    const committeeMember = await stack.api.tokenFor('cleo', 'committee_member');
    const wrongRole = await stack.api.call('POST', `/ethical-reviews/${key}/votes`, { token: committeeMember, body: { ballot: 'approve', findings: findings() } });
    expect(wrongRole.status).toBe(403);

    const aria = await stack.api.tokenFor('aria', 'ai_ethics_specialist');
    const refused = await stack.api.call('POST', `/ethical-reviews/${key}/votes`, { token: aria, body: { ballot: 'approve', findings: findings('unsatisfactory') } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');

    for (const [id, role] of [['aria', 'ai_ethics_specialist'], ['cam', 'community_representative'], ['tess', 'technical_specialist']] as const) {
      const token = await stack.api.tokenFor(id, role);
      const voted = await stack.api.call('POST', `/ethical-reviews/${key}/votes`, { token, body: { ballot: 'approve', findings: findings() } });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    }

    const committeeKey = `ethical-review.${key}`;
    const item = await waitFor('the committee item', async () => {
      const s = await stack.api.call('GET', `/committee-approvals/${committeeKey}`, { token: requester });
      return s.status === 200 && s.body.stage === 'voting' ? s.body : null;
    });
    expect(item.subject).toMatchObject({ kind: 'ethical_review', workflowId: `ethical-review/${key}` });
    // The list reads the database record, which follows the workflow by a moment.
    await waitFor('the committee item in the list of items waiting on members', async () => {
      const listed = await stack.api.call('GET', '/committee-approvals?pendingRole=committee_member', { token: requester });
      return listed.body.items.some((i: { businessKey: string }) => i.businessKey === committeeKey) || null;
    });

    for (const id of ['cleo', 'cyrus', 'cora']) {
      const token = await stack.api.tokenFor(id, 'committee_member');
      const voted = await stack.api.call('POST', `/committee-approvals/${committeeKey}/votes`, { token, body: { ballot: 'approve' } });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    }
    const done = await waitFor('the approved ethical review', () => stack.db.process.findFirst({ where: { workflowId: `ethical-review/${key}`, completedAt: { not: null } } }));
    expect(done.outcome).toBe('approved');
    const late = await stack.api.call('POST', `/committee-approvals/${committeeKey}/votes`, { token: await stack.api.tokenFor('cole', 'committee_member'), body: { ballot: 'approve' } });
    expect(late.status).toBe(409);
  });

  it('refuses a bad start with 400 and the field path, before any process starts', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    const key = `ERB-${randomUUID().slice(0, 8)}`;
    const badTrigger = await stack.api.call('POST', '/ethical-reviews', { token: requester, body: { businessKey: key, title: 'x', trigger: 'because', systemDescription: 'x', assessment: assessments.minimal } });
    expect(badTrigger.status).toBe(400);
    expect(badTrigger.body.errors).toEqual([expect.objectContaining({ path: 'trigger' })]);
    const badAssessment = await stack.api.call('POST', '/ethical-reviews', {
      token: requester,
      body: { businessKey: key, title: 'x', trigger: 'new_ai_model_deployment', systemDescription: 'x', assessment: { ...assessments.minimal, assessmentDate: 'soon' } },
    });
    expect(badAssessment.status).toBe(400);
    expect(JSON.stringify(badAssessment.body.errors)).toContain('assessment.assessmentDate');
    const urgentWithoutReason = await stack.api.call('POST', '/committee-approvals', { token: requester, body: { businessKey: key, title: 'x', summary: 'x', urgent: true } });
    expect(urgentWithoutReason.status).toBe(400);
    expect(urgentWithoutReason.body.errors).toEqual([expect.objectContaining({ path: 'urgencyReason' })]);
    // A parent's committee item key cannot be taken by a direct request.
    const squat = await stack.api.call('POST', '/committee-approvals', { token: requester, body: { businessKey: `poc-scale-up.${key}`, title: 'x', summary: 'x' } });
    expect(squat.status).toBe(400);
    expect(squat.body.errors).toEqual([expect.objectContaining({ path: 'businessKey' })]);
    expect((await stack.api.call('GET', `/ethical-reviews/${key}`, { token: requester })).status).toBe(404);
  });

  it('refuses text PostgreSQL cannot store with a 400 naming the field, and records any text it admits', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    const key = `NUL-${randomUUID().slice(0, 8)}`;
    const nul = await stack.api.call('POST', '/committee-approvals', { token: requester, body: { businessKey: key, title: 'poisoned\u0000title', summary: 'half a pair \ud800' } });
    expect(nul.status).toBe(400);
    expect(nul.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['summary', 'title']);
    const filter = await stack.api.call('GET', '/committee-approvals?stage=%00', { token: requester });
    expect(filter.status).toBe(400);
    expect(filter.body.errors).toEqual([expect.objectContaining({ path: 'stage' })]);
    expect((await stack.api.call('GET', `/committee-approvals/${key}`, { token: requester })).status).toBe(404);

    const admitted = 'Tabs\tand\r\nnewlines, accents é, CJK 漢字, emoji 😀, U+FFFE \ufffe, RTL \u202e';
    const started = await stack.api.call('POST', '/committee-approvals', { token: requester, body: { businessKey: key, title: admitted, summary: admitted } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const row = await waitFor('the record', () => stack.db.process.findUnique({ where: { workflowId: `committee-approval/${key}` } }));
    expect(row.title).toBe(admitted);
  });

  it('accepts the README’s ethical review example as written', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = /curl -s localhost:3000\/ethical-reviews .*? -d '([^']+)'/s.exec(readme);
    expect(example, 'the README shows a start of an ethical review').not.toBeNull();
    const body = JSON.parse(example![1]!);
    body.businessKey = `ERB-README-${randomUUID().slice(0, 8)}`;
    const started = await stack.api.call('POST', '/ethical-reviews', { token: await stack.api.tokenFor('rita', 'requester'), body });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const open = await waitFor('the board review', async () => {
      const s = await stack.api.call('GET', `/ethical-reviews/${body.businessKey}`, { token: await stack.api.tokenFor('rita', 'requester') });
      return s.body.stage === 'board_review' ? s.body : null;
    });
    expect(open.riskTier).toBe('high_risk');
  });

  it('puts a non-urgent item on the next meeting’s agenda', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    const key = `GC-${randomUUID().slice(0, 8)}`;
    const started = await stack.api.call('POST', '/committee-approvals', { token: requester, body: { businessKey: key, title: 'AI usage policy v2', summary: 'Adopt the revised AI usage policy' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const item = await stack.api.call('GET', `/committee-approvals/${key}`, { token: requester });
    expect(item.body.stage).toBe('awaiting_meeting');
    expect(item.body.meetingAt).toBe(expectedMeetingAt((await defaultPolicy()).aiGovernance.committee, item.body));
    const early = await stack.api.call('POST', `/committee-approvals/${key}/votes`, { token: await stack.api.tokenFor('cleo', 'committee_member'), body: { ballot: 'approve' } });
    expect(early.status).toBe(409);
    const withdrawn = await stack.api.call('POST', `/committee-approvals/${key}/withdraw`, { token: requester, body: { reason: 'replaced by v3' } });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.outcome).toBe('withdrawn');
  });

  it('takes a ballot that arrives together with the start of an urgent item (update-with-start)', async () => {
    const policy = await defaultPolicy();
    const key = `GC-UWS-${randomUUID().slice(0, 8)}`;
    const start = new WithStartWorkflowOperation(COMMITTEE_APPROVAL_WORKFLOW, {
      workflowId: `committee-approval/${key}`,
      taskQueue: stack.taskQueue,
      workflowIdConflictPolicy: 'FAIL',
      args: [{
        businessKey: key, title: 'Out-of-cycle item', subject: { kind: 'committee_approval', workflowId: null, summary: 'x' },
        requester: rita, urgent: true, urgencyReason: 'incident', policyVersion: policy.version.id, policy: policy.aiGovernance.committee,
      }],
    });
    // The ballot is delivered in the workflow's very first task, as its handler is registered.
    const receipt = await stack.env.client.workflow.executeUpdateWithStart(committeeVoteUpdate, { args: [{ actor: committeeMembers[1]!, ballot: 'approve' }], startWorkflowOperation: start });
    expect(receipt.stage).toBe('voting');
    const state = (await (await start.workflowHandle()).query(stateQuery)) as CommitteeApprovalState;
    expect(state.ballots.map((b) => b.actor)).toEqual([committeeMembers[1]!.id]);
    expect(state.events.map((e) => e.action)).toEqual(['submitted', 'convened_out_of_cycle', 'voting_opened', 'voted']);
    await (await start.workflowHandle()).executeUpdate('withdraw', { args: [{ actor: rita, reason: 'test over' }] });
  });
});
