import { createPublicKey, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealAll } from '../../activities/transparency-log.js';
import { verifyInclusion } from '../../domain/transparency/merkle.js';
import { verifyStatement } from '../../domain/transparency/statements.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { useApiStack } from '../support/stack.js';

const stack = useApiStack('api-review');
let criteria: string[];

beforeAll(async () => {
  criteria = (await defaultPolicy()).architectureReview.approvalCriteria;
});

const approveAll = () => Object.fromEntries(criteria.map((c) => [c, 'approve']));

function startBody(businessKey: string) {
  return {
    businessKey,
    title: 'Customer data platform',
    trigger: 'new_system_design',
    systemDescription: 'A new CDP on the lakehouse',
    evidence: ['https://wiki.example.com/cdp'],
  };
}

describe('architecture review through the API', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await stack.api.call('GET', '/healthz')).status).toBe(200);
    const ready = await stack.api.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ temporal: 'ok', database: 'ok' });
  });

  it('starts a review, takes four votes, completes it, and shows it in Temporal and in the database', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    const key = `ARCH-${randomUUID().slice(0, 8)}`;
    const started = await stack.api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key) });
    expect(started.status).toBe(201);
    expect(started.headers.get('location')).toBe(`/architecture-reviews/${key}`);
    expect(started.body.workflowId).toBe(`architecture-review/${key}`);

    const roles = ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert'];
    let version = 0;
    const receipts: { eventKey: string; signature: string; [k: string]: unknown }[] = [];
    for (const role of roles) {
      const token = await stack.api.tokenFor(`${role}-1`, role);
      const voted = await stack.api.call('POST', `/architecture-reviews/${key}/votes`, { token, body: { role, rulings: approveAll() } });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
      // A vote answers a receipt: where the review stands now, not its whole state.
      expect(Object.keys(voted.body).sort()).toEqual(['event', 'kind', 'outcome', 'pendingRoles', 'receipt', 'slaDueAt', 'stage', 'version', 'workflowId']);
      // …with the signed receipt of the caller's own vote, even when the vote closed the review.
      expect(voted.body.receipt).toMatchObject({ workflowId: `architecture-review/${key}`, action: 'voted', actor: `${role}-1`, role, runId: expect.any(String) });
      receipts.push(voted.body.receipt);
      expect(voted.body.pendingRoles).not.toContain(role);
      expect(voted.body.version).toBeGreaterThan(version);
      version = voted.body.version;
    }
    const review = await stack.api.call('GET', `/architecture-reviews/${key}`, { token: requester });
    expect(review.body.votes.map((v: { role: string }) => v.role)).toEqual(roles);

    // The receipts verify with the published key, are there again later, and are provably in a signed tree head.
    const keys = await stack.api.call('GET', '/audit/keys');
    for (const receipt of receipts) {
      const { signature, ...body } = receipt;
      const key = keys.body.items.find((k: { keyId: string }) => k.keyId === body.keyId);
      expect(verifyStatement('receipt', body, signature, createPublicKey(key.publicKey))).toBe(true);
    }
    const [first] = receipts;
    const voter = await stack.api.tokenFor('technical_lead-1', 'technical_lead');
    const again = await stack.api.call('GET', `/audit/receipts/${encodeURIComponent(first!.eventKey)}`, { token: voter });
    expect(again.body).toEqual(first);
    expect((await stack.api.call('GET', `/audit/receipts/${encodeURIComponent(first!.eventKey)}`, { token: requester })).status).toBe(403);
    await sealAll(stack.db, stack.api.keys);
    // Another test file's sealer may hold the seal lock (the database is shared): then it seals the entry, moments later.
    const proof = await waitFor('the entry sealed', async () => {
      const res = await stack.api.call('GET', `/audit/proofs/inclusion?eventKey=${encodeURIComponent(first!.eventKey)}`, { token: voter });
      return res.status === 409 ? null : res;
    });
    expect(proof.status, JSON.stringify(proof.body)).toBe(200);
    expect(proof.body.leafHash).toBe(first!.leafHash);
    expect(verifyInclusion(proof.body.leafIndex, proof.body.treeHead.treeSize, proof.body.leafHash, proof.body.path, proof.body.treeHead.rootHash)).toBe(true);
    const head = await stack.api.call('GET', '/audit/tree-head');
    expect(head.body.treeSize).toBeGreaterThanOrEqual(proof.body.treeHead.treeSize);

    const handle = stack.env.client.workflow.getHandle(started.body.workflowId);
    expect(((await handle.result()) as { outcome: string }).outcome).toBe('approved');
    const described = await handle.describe();
    expect(described.status.name).toBe('COMPLETED');
    expect(described.memo?.policyVersion).toBe((await defaultPolicy()).version.id);
    // The Temporal UI shows what the process is, not only its id.
    expect(await described.staticSummary()).toBe(`architecture review: ${startBody(key).title}`);
    expect(await described.staticDetails()).toContain(`/app/processes/architecture_review/${key}`);

    const row = await waitFor('the completed process row', () => stack.db.process.findFirst({ where: { workflowId: started.body.workflowId, completedAt: { not: null } } }));
    expect(row.outcome).toBe('approved');
    expect(await stack.db.decision.count({ where: { workflowId: started.body.workflowId } })).toBe(4);

    const state = await stack.api.call('GET', `/architecture-reviews/${key}`, { token: requester });
    expect(state.status).toBe(200);
    expect(state.body.outcome).toBe('approved');

    const list = await stack.api.call('GET', '/architecture-reviews?outcome=approved&limit=200', { token: requester });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { businessKey: string }) => i.businessKey)).toContain(key);
  });

  it('is filterable in Temporal visibility by the pending role', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    const key = `ARCH-${randomUUID().slice(0, 8)}`;
    await stack.api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key) });
    const sec = await stack.api.tokenFor('sec-2', 'security_architect');
    await stack.api.call('POST', `/architecture-reviews/${key}/votes`, { token: sec, body: { role: 'security_architect', rulings: approveAll() } });
    const found = await waitFor('the review in the visibility store', async () => {
      const ids: string[] = [];
      for await (const wf of stack.env.client.workflow.list({ query: `GovflowPendingRoles = 'technical_lead' AND GovflowBusinessKey = '${key}'` })) ids.push(wf.workflowId);
      return ids.length ? ids : null;
    });
    expect(found).toEqual([`architecture-review/${key}`]);
    const noSecurity: string[] = [];
    for await (const wf of stack.env.client.workflow.list({ query: `GovflowPendingRoles = 'security_architect' AND GovflowBusinessKey = '${key}'` })) noSecurity.push(wf.workflowId);
    expect(noSecurity).toEqual([]);
  });

  it('answers problem+json: 400 bad input, 401 no token, 403 wrong role, 404 unknown, 409 duplicate, 422 refused by the workflow', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    const bad = await stack.api.call('POST', '/architecture-reviews', { token: requester, body: { businessKey: 'has spaces', title: '' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['businessKey', 'title', 'trigger', 'systemDescription']));

    const malformed = await stack.api.call('POST', '/architecture-reviews', { token: requester, body: '{"businessKey":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);

    expect((await stack.api.call('POST', '/architecture-reviews', { body: startBody('X-1') })).status).toBe(401);
    expect((await stack.api.call('POST', '/architecture-reviews', { token: 'gf_not-a-real-token', body: startBody('X-1') })).status).toBe(401);

    const sec = await stack.api.tokenFor('sec-3', 'security_architect');
    expect((await stack.api.call('POST', '/architecture-reviews', { token: sec, body: startBody('X-2') })).status).toBe(403);

    expect((await stack.api.call('GET', '/architecture-reviews/NOPE-404', { token: requester })).status).toBe(404);
    expect((await stack.api.call('POST', '/architecture-reviews/NOPE-404/votes', { token: sec, body: { role: 'security_architect', rulings: approveAll() } })).status).toBe(404);

    const key = `ARCH-${randomUUID().slice(0, 8)}`;
    expect((await stack.api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key) })).status).toBe(201);
    const dup = await stack.api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key) });
    expect(dup.status).toBe(409);

    const wrongTrigger = await stack.api.call('POST', '/architecture-reviews', { token: requester, body: { ...startBody(`ARCH-${randomUUID().slice(0, 8)}`), trigger: 'whim' } });
    expect(wrongTrigger.status).toBe(400);
    expect(wrongTrigger.body.errors[0].path).toBe('trigger');

    const unjustified = await stack.api.call('POST', `/architecture-reviews/${key}/votes`, {
      token: sec,
      body: { role: 'security_architect', rulings: { ...approveAll(), security_assessment_approval: 'reject' } },
    });
    expect(unjustified.status).toBe(422);
    expect(unjustified.body.code).toBe('RuleViolation');
    expect(unjustified.body.errors).toEqual([{ path: 'justification', message: 'required' }]);

    const first = await stack.api.call('POST', `/architecture-reviews/${key}/votes`, { token: sec, body: { role: 'security_architect', rulings: approveAll() } });
    expect(first.status).toBe(200);
    const twice = await stack.api.call('POST', `/architecture-reviews/${key}/votes`, { token: sec, body: { role: 'security_architect', rulings: approveAll() } });
    expect(twice.status).toBe(409);

    // Once the process has finished, an action on it is a conflict with its outcome, not an unknown process.
    expect((await stack.api.call('POST', `/architecture-reviews/${key}/withdraw`, { token: requester, body: { reason: 'superseded' } })).status).toBe(200);
    await waitFor('the withdrawn review to finish', async () => (await stack.db.process.findUnique({ where: { workflowId: `architecture-review/${key}` } }))?.completedAt);
    await waitFor('Temporal to close the workflow', async () => (await stack.env.client.workflow.getHandle(`architecture-review/${key}`).describe()).status.name === 'COMPLETED');
    const late = await stack.api.call('POST', `/architecture-reviews/${key}/votes`, { token: sec, body: { role: 'security_architect', rulings: approveAll(), revise: true } });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain('closed (withdrawn)');
  });

  it('replays a retried POST with the same Idempotency-Key: one process, one vote', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    const key = `ARCH-${randomUUID().slice(0, 8)}`;
    const idem = { 'idempotency-key': randomUUID() };
    const [a, b] = await Promise.all([
      stack.api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key), headers: idem }),
      stack.api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key), headers: idem }),
    ]);
    expect([a.status, b.status].sort()).toEqual(expect.arrayContaining([201]));
    const again = await stack.api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key), headers: idem });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const sec = await stack.api.tokenFor('sec-4', 'security_architect');
    const voteKey = { 'idempotency-key': randomUUID() };
    const body = { role: 'security_architect', rulings: approveAll() };
    const votes = await Promise.all([1, 2, 3].map(() => stack.api.call('POST', `/architecture-reviews/${key}/votes`, { token: sec, body, headers: voteKey })));
    expect(votes.some((v) => v.status === 200)).toBe(true);
    expect(votes.every((v) => v.status === 200 || v.status === 409)).toBe(true);
    const state = await stack.api.call('GET', `/architecture-reviews/${key}`, { token: requester });
    expect(state.body.votes).toHaveLength(1);

    const reused = await stack.api.call('POST', '/architecture-reviews', { token: requester, body: { ...startBody(key), title: 'other' }, headers: idem });
    expect(reused.status).toBe(422);
  });

  it('serves the current policy set and every version a process pinned', async () => {
    const token = await stack.api.tokenFor('rita', 'requester');
    const current = await stack.api.call('GET', '/policies', { token });
    expect(current.status).toBe(200);
    const version = (await defaultPolicy()).version.id;
    expect(current.body.current.version.id).toBe(version);
    expect(current.body.pinnedVersions.map((v: { id: string }) => v.id)).toContain(version); // pinned by the reviews above
    const pinned = await stack.api.call('GET', `/policies/${encodeURIComponent(version)}`, { token });
    expect(pinned.status).toBe(200);
    expect(pinned.body.architectureReview.approvalCriteria).toEqual(criteria);
    expect((await stack.api.call('GET', '/policies/9.9.9+000000000000', { token })).status).toBe(404);
  });
});
