import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { useApiStack } from '../support/stack.js';

const stack = useApiStack('api-obligations');

describe('obligations through the API', () => {
  it("a review approved with a condition yields an obligation its requester fulfils, which a verifier accepts", async () => {
    const { api } = stack;
    const rita = await api.tokenFor('obl-rita', 'requester');
    const erin = await api.tokenFor('obl-erin', 'enterprise_architect');
    const key = `OBL-${randomUUID().slice(0, 8)}`;
    const criteria = (await defaultPolicy()).architectureReview.approvalCriteria;
    expect((await api.call('POST', '/architecture-reviews', { token: rita, body: { businessKey: key, title: 'Cache tier', trigger: 'new_system_design', systemDescription: 'Redis in front of the ledger', evidence: [] } })).status).toBe(201);
    for (const role of ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert']) {
      const token = role === 'enterprise_architect' ? erin : await api.tokenFor(`obl-${role}`, role);
      const conditional = role === 'technical_lead';
      const rulings = Object.fromEntries(criteria.map((c) => [c, conditional && c === 'scalability_validation' ? 'approve_with_conditions' : 'approve']));
      const voted = await api.call('POST', `/architecture-reviews/${key}/votes`, { token, body: { role, rulings, ...(conditional ? { justification: 'failover unproven', conditions: ['Fail over a node under load'] } : {}) } });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    }
    const obligationKey = `architecture-review.${key}.1`;
    const opened = await waitFor('the obligation', async () => {
      const res = await api.call('GET', `/obligations/${obligationKey}`, { token: rita });
      return res.status === 200 ? res.body : null;
    });
    expect(opened).toMatchObject({ stage: 'open', owner: 'obl-rita', verifierRole: 'enterprise_architect', condition: 'Fail over a node under load' });
    expect((await api.call('POST', `/obligations/${obligationKey}/evidence`, { token: erin, body: { evidence: ['https://x'] } })).status).toBe(403);
    expect((await api.call('POST', `/obligations/${obligationKey}/evidence`, { token: rita, body: { evidence: [] } })).body.errors).toEqual([{ path: 'evidence', message: expect.any(String) }]);
    expect((await api.call('POST', `/obligations/${obligationKey}/evidence`, { token: rita, body: { evidence: ['https://ci.example.com/failover/7'], note: 'node killed at 5x' } })).status).toBe(200);
    const accepted = await api.call('POST', `/obligations/${obligationKey}/verification`, { token: erin, body: { accept: true } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ outcome: 'fulfilled', stage: 'closed' });
  });
});
