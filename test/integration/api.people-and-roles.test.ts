import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicyDir, loadPolicySet } from '../../domain/policy/load.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { useApiStack } from '../support/stack.js';

const stack = useApiStack('people');
let criteria: string[];
let admin: string;

beforeAll(async () => {
  criteria = (await defaultPolicy()).architectureReview.approvalCriteria;
  admin = await stack.api.tokenFor('ada', 'admin');
});

const key = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const rulings = (verdict: string) => Object.fromEntries(criteria.map((c) => [c, verdict]));
/** The other three reviewer roles approve, so that the technical lead's vote decides the round. */
async function othersApprove(businessKey: string): Promise<void> {
  for (const role of ['enterprise_architect', 'security_architect', 'domain_expert']) {
    const token = await stack.api.tokenFor(`${role}-p`, role);
    expect((await stack.api.call('POST', `/architecture-reviews/${businessKey}/votes`, { token, body: { role, rulings: rulings('approve') } })).status).toBe(200);
  }
}
const reviewBody = (businessKey: string) => ({ businessKey, title: 'Payments core', trigger: 'new_system_design', systemDescription: 'Event-sourced payments', evidence: [] });

/** A principal created the documented way: `POST /principals` as an admin. */
async function grant(api: TestApi, id: string, ...roles: string[]): Promise<string> {
  const res = await api.call('POST', '/principals', { token: admin, body: { id, roles } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token as string;
}

describe('roles come from the policy', () => {
  it('grants every role roles.yaml declares, and refuses one it does not, naming the field', async () => {
    const policy = await defaultPolicy();
    for (const role of policy.roles) await grant(stack.api, `holder-${role}-${randomUUID().slice(0, 4)}`, role);
    const unknown = await stack.api.call('POST', '/principals', { token: admin, body: { id: 'x', roles: ['requester', 'wizard'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'roles.1', message: expect.stringContaining('not a role of the policy') }]);
  });

  it('starts a proof of concept with a sponsor granted through the API, and the sponsor can act on it', async () => {
    const rita = await grant(stack.api, `rita-${randomUUID().slice(0, 4)}`, 'requester');
    const sponsorId = `bea-${randomUUID().slice(0, 4)}`;
    await grant(stack.api, sponsorId, 'business_sponsor');
    const policy = await defaultPolicy();
    const poc = key('POC');
    const started = await stack.api.call('POST', '/poc-scale-ups', {
      token: rita,
      body: {
        businessKey: poc,
        title: 'Invoice OCR',
        proposal: { hypothesis: 'OCR halves manual entry', expectedImpact: 'fewer errors', successMetrics: [{ name: 'accuracy', target: 0.9, direction: 'at_least' }], businessSponsor: sponsorId, bucket: 'adjacent', riskLevel: 'low' },
        selfAssessment: Object.fromEntries(policy.innovation.pocSelectionCriteria.map((c) => [c, { met: true }])),
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const sponsorToken = (await stack.api.call('POST', `/principals/${sponsorId}/tokens`, { token: admin, body: {} })).body.token as string;
    const gate = await stack.api.call('POST', `/poc-scale-ups/${poc}/gate-reviews`, {
      token: sponsorToken,
      body: { criteria: Object.fromEntries(policy.innovation.pocSelectionCriteria.map((c) => [c, { met: true }])) },
    });
    expect(gate.status, JSON.stringify(gate.body)).toBe(200);
    expect((await stack.api.call('GET', `/poc-scale-ups/${poc}`, { token: sponsorToken })).body.gate.passed).toBe(true);
  });

  it('lets a reviewer role added to a copy of the policy vote once the API runs on it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'govflow-policy-'));
    try {
      await cp(defaultPolicyDir(), dir, { recursive: true });
      const roles = path.join(dir, 'roles.yaml');
      await writeFile(roles, (await readFile(roles, 'utf8')).replace('roles:\n', 'roles:\n  - { key: data_architect, description: Architecture review participant }\n'));
      const review = path.join(dir, 'architecture-review.yaml');
      await writeFile(review, (await readFile(review, 'utf8')).replace('participants:\n', 'participants:\n  - { role: data_architect, required: true }\n'));
      const api = await startTestApi(stack.env, stack.db, stack.taskQueue, {}, await loadPolicySet(dir));
      try {
        const businessKey = key('ARCH5');
        const rita = await grant(api, `rita5-${randomUUID().slice(0, 4)}`, 'requester');
        expect((await api.call('POST', '/architecture-reviews', { token: rita, body: reviewBody(businessKey) })).status).toBe(201);
        let last;
        for (const role of ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert', 'data_architect']) {
          const token = await grant(api, `${role}-${randomUUID().slice(0, 4)}`, role);
          last = await api.call('POST', `/architecture-reviews/${businessKey}/votes`, { token, body: { role, rulings: rulings('approve') } });
          expect(last.status, `${role}: ${JSON.stringify(last.body)}`).toBe(200);
        }
        expect(last!.body.outcome).toBe('approved');
      } finally {
        await api.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('segregation of duties', () => {
  it('refuses a requester who holds a reviewer role voting on their own review, and writes no decision', async () => {
    const both = await stack.api.tokenFor(`rex-${randomUUID().slice(0, 4)}`, 'requester', 'technical_lead');
    const businessKey = key('ARCH');
    const started = await stack.api.call('POST', '/architecture-reviews', { token: both, body: reviewBody(businessKey) });
    const voted = await stack.api.call('POST', `/architecture-reviews/${businessKey}/votes`, { token: both, body: { role: 'technical_lead', rulings: rulings('approve') } });
    expect(voted.status).toBe(403);
    expect(voted.body.detail).toContain('segregation of duties (selfApproval)');
    expect(await stack.db.decision.count({ where: { workflowId: started.body.workflowId } })).toBe(0);
  });

  it('lets one person fill one seat: a holder of every reviewer role votes once', async () => {
    const rita = await stack.api.tokenFor('rita', 'requester');
    const omni = await stack.api.tokenFor(`omni-${randomUUID().slice(0, 4)}`, 'technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert');
    const businessKey = key('ARCH');
    await stack.api.call('POST', '/architecture-reviews', { token: rita, body: reviewBody(businessKey) });
    expect((await stack.api.call('POST', `/architecture-reviews/${businessKey}/votes`, { token: omni, body: { role: 'technical_lead', rulings: rulings('approve') } })).status).toBe(200);
    const second = await stack.api.call('POST', `/architecture-reviews/${businessKey}/votes`, { token: omni, body: { role: 'security_architect', rulings: rulings('approve') } });
    expect(second.status).toBe(403);
    expect(second.body.detail).toContain('segregation of duties (seatsPerPerson)');
    const state = await stack.api.call('GET', `/architecture-reviews/${businessKey}`, { token: rita });
    expect(state.body.votes).toHaveLength(1);
    expect(state.body.outcome).toBeNull();
  });

  it('lets an agent recommend but not decide, as the policy says (agents.finalDecisions: false)', async () => {
    const rita = await stack.api.tokenFor('rita', 'requester');
    const created = await stack.api.call('POST', '/principals', { token: admin, body: { id: `bot-${randomUUID().slice(0, 4)}`, kind: 'agent', roles: ['technical_lead'] } });
    const businessKey = key('ARCH');
    await stack.api.call('POST', '/architecture-reviews', { token: rita, body: reviewBody(businessKey) });
    const voted = await stack.api.call('POST', `/architecture-reviews/${businessKey}/votes`, { token: created.body.token, body: { role: 'technical_lead', rulings: rulings('approve') } });
    expect(voted.status).toBe(403);
    expect(voted.body.detail).toContain('agents may recommend but not decide');
  });

  it('answers a request for changes with the state after it: changes requested, waiting on the requester', async () => {
    const rita = await stack.api.tokenFor('rita', 'requester');
    const tom = await stack.api.tokenFor('tom', 'technical_lead');
    const businessKey = key('ARCH');
    await stack.api.call('POST', '/architecture-reviews', { token: rita, body: reviewBody(businessKey) });
    await othersApprove(businessKey);
    const unjustified = await stack.api.call('POST', `/architecture-reviews/${businessKey}/votes`, { token: tom, body: { role: 'technical_lead', rulings: rulings('request_changes') } });
    expect(unjustified.body.detail).toBe('a request for changes must be justified');
    const voted = await stack.api.call('POST', `/architecture-reviews/${businessKey}/votes`, { token: tom, body: { role: 'technical_lead', rulings: rulings('request_changes'), justification: 'needs a capacity plan' } });
    expect(voted.status).toBe(200);
    expect(voted.body.stage).toBe('changes_requested');
    expect(voted.body.pendingRoles).toEqual(['requester']);
    const noReason = await stack.api.call('POST', `/architecture-reviews/${businessKey}/withdraw`, { token: rita, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([{ path: 'reason', message: 'required' }]);
  });
});

describe('the inbox shows what waits on me', () => {
  it('shows a review that changes were requested on to its requester only, not to every requester', async () => {
    const rita = await stack.api.tokenFor('rita', 'requester');
    const other = await stack.api.tokenFor(`olga-${randomUUID().slice(0, 4)}`, 'requester');
    const tom = await stack.api.tokenFor('tom', 'technical_lead');
    const businessKey = key('ARCH');
    const started = await stack.api.call('POST', '/architecture-reviews', { token: rita, body: reviewBody(businessKey) });
    await othersApprove(businessKey);
    await stack.api.call('POST', `/architecture-reviews/${businessKey}/votes`, { token: tom, body: { role: 'technical_lead', rulings: rulings('request_changes'), justification: 'split the ledger' } });
    const ids = async (token: string) => ((await stack.api.call('GET', '/inbox?limit=200', { token })).body.items as { workflowId: string }[]).map((i) => i.workflowId);
    await waitFor('the requester to be asked', async () => (await ids(rita)).includes(started.body.workflowId));
    expect(await ids(other)).not.toContain(started.body.workflowId);
    expect(await ids(tom)).not.toContain(started.body.workflowId);
  });

  it('shows an open committee vote to a chair who holds only committee_chair, and drops it once they voted', async () => {
    const rita = await stack.api.tokenFor('rita', 'requester');
    const chair = await stack.api.tokenFor(`chloe-${randomUUID().slice(0, 4)}`, 'committee_chair');
    const businessKey = key('GC');
    const started = await stack.api.call('POST', '/committee-approvals', { token: rita, body: { businessKey, title: 'Data retention', summary: 'Keep logs 2 years', urgent: true, urgencyReason: 'regulator deadline' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const inbox = async () => ((await stack.api.call('GET', '/inbox?limit=200', { token: chair })).body.items as { workflowId: string }[]).map((i) => i.workflowId);
    await waitFor('the chair to see the vote', async () => (await inbox()).includes(started.body.workflowId));
    expect((await stack.api.call('POST', `/committee-approvals/${businessKey}/votes`, { token: chair, body: { ballot: 'approve' } })).status).toBe(200);
    await waitFor('the item to leave the chair’s inbox', async () => !(await inbox()).includes(started.body.workflowId));
  });

  it('gives a committee item waiting for its meeting its voters and the meeting date as due', async () => {
    const rita = await stack.api.tokenFor('rita', 'requester');
    const businessKey = key('GC');
    const started = await stack.api.call('POST', '/committee-approvals', { token: rita, body: { businessKey, title: 'Model registry', summary: 'Adopt a registry' } });
    const state = (await stack.api.call('GET', `/committee-approvals/${businessKey}`, { token: rita })).body;
    expect(state.stage).toBe('awaiting_meeting');
    expect(state.pendingRoles).toEqual(expect.arrayContaining(['committee_member', 'committee_chair', 'chief_technology_officer']));
    expect(state.slaDueAt).toBe(state.meetingAt);
    const cto = await stack.api.tokenFor(`cto-${randomUUID().slice(0, 4)}`, 'chief_technology_officer');
    await waitFor('the CTO to see the item', async () =>
      ((await stack.api.call('GET', '/inbox?limit=200', { token: cto })).body.items as { workflowId: string }[]).some((i) => i.workflowId === started.body.workflowId),
    );
  });
});

describe('offboarding', () => {
  it('deactivates and reactivates a principal, lists and revokes tokens, and records each act with the admin', async () => {
    const id = `leaver-${randomUUID().slice(0, 4)}`;
    const token = await grant(stack.api, id, 'requester');
    expect((await stack.api.call('GET', '/me', { token })).status).toBe(200);

    const off = await stack.api.call('POST', `/principals/${id}/deactivate`, { token: admin, body: {} });
    expect(off.body.disabled).toBe(true);
    expect((await stack.api.call('GET', '/me', { token })).status).toBe(401);
    const recreate = await stack.api.call('POST', '/principals', { token: admin, body: { id, roles: ['requester'] } });
    expect(recreate.status).toBe(409);
    expect(recreate.body.detail).toContain('deactivated');

    expect((await stack.api.call('POST', `/principals/${id}/reactivate`, { token: admin, body: {} })).body.disabled).toBe(false);
    expect((await stack.api.call('GET', '/me', { token })).status).toBe(200);

    const tokens = await stack.api.call('GET', `/principals/${id}/tokens`, { token: admin });
    expect(tokens.body.items).toHaveLength(1);
    expect(tokens.body.items[0]).not.toHaveProperty('tokenHash');
    const revoked = await stack.api.call('POST', `/principals/${id}/tokens/${tokens.body.items[0].id}/revoke`, { token: admin, body: {} });
    expect(revoked.body.revokedAt).toBeTruthy();
    expect((await stack.api.call('GET', '/me', { token })).status).toBe(401);

    const acts = await stack.db.auditEntry.findMany({ where: { details: { path: ['principal'], equals: id } }, orderBy: { seq: 'asc' } });
    expect(acts.map((a) => a.action)).toEqual(['principal_created', 'token_issued', 'principal_deactivated', 'principal_reactivated', 'token_revoked']);
    expect(new Set(acts.map((a) => a.actor))).toEqual(new Set(['ada']));
  });

  it('shows admins an open seat held by a deactivated person', async () => {
    const rita = await stack.api.tokenFor('rita', 'requester');
    const tess = `tess-${randomUUID().slice(0, 4)}`;
    await grant(stack.api, tess, 'technical_lead');
    const businessKey = key('ARCH');
    const started = await stack.api.call('POST', '/architecture-reviews', { token: rita, body: { ...reviewBody(businessKey), assignees: { technical_lead: tess } } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await waitFor('the review on record', () => stack.db.process.findUnique({ where: { workflowId: started.body.workflowId } }));
    await stack.api.call('POST', `/principals/${tess}/deactivate`, { token: admin, body: {} });
    const items = (await stack.api.call('GET', '/inbox?limit=200', { token: admin })).body.items as { workflowId: string; attention?: string }[];
    expect(items.find((i) => i.workflowId === started.body.workflowId)?.attention).toContain(tess);
  });
});
