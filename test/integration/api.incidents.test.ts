import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueToken } from '../../platform/principals.js';
import { useApiStack } from '../support/stack.js';
import { waitFor } from '../support/processes.js';

const stack = useApiStack('api-incidents');

describe('incidents through the API', () => {
  it('an agent reports one, the triage is validated against the catalogue, and a serious one shows its Art. 73 deadline', async () => {
    const { api } = stack;
    const monitor = await issueToken(stack.db, { id: 'bias-monitor', kind: 'agent', roles: ['requester'] }, 'test');
    const tess = await api.tokenFor('tess', 'ethics_board_member');
    const key = `INC-${randomUUID().slice(0, 8)}`;
    const awareAt = new Date(Date.now() - 3_600_000).toISOString();
    const started = await api.call('POST', '/incidents', { token: monitor, body: { businessKey: key, title: 'Denial rate doubled for one postcode', description: 'Bias metric crossed 0.2', system: 'credit-scoring-v3', awareAt } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect((await api.call('POST', '/incidents', { token: tess, body: { businessKey: `${key}-2`, title: 'x', description: 'y', awareAt: 'yesterday' } })).body.errors).toEqual([{ path: 'awareAt', message: expect.any(String) }]);

    const bad = await api.call('POST', `/incidents/${key}/triage`, { token: tess, body: { serious: true, categories: ['bad_vibes'], justification: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ path: 'categories.0' });
    const triaged = await api.call('POST', `/incidents/${key}/triage`, { token: tess, body: { serious: true, categories: ['fundamental_rights'], justification: 'systematic denials' } });
    expect(triaged.status, JSON.stringify(triaged.body)).toBe(200);
    expect(triaged.body).toMatchObject({ stage: 'reporting', slaDueAt: new Date(Date.parse(awareAt) + 15 * 86_400_000).toISOString() });
    const shown = await waitFor('the incident in the record', async () => {
      const res = await api.call('GET', `/incidents?stage=reporting`, { token: tess });
      return res.body.items.find((i: { businessKey: string }) => i.businessKey === key) ?? null;
    });
    expect(shown).toMatchObject({ requester: 'bias-monitor', pendingRoles: ['legal_counsel', 'committee_chair'] });
    const full = await api.call('GET', `/incidents/${key}`, { token: tess });
    expect(full.body.authorityDeadline).toMatchObject({ days: 15, provision: 'Art. 73(2)' });
  });
});
