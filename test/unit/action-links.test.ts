import { describe, expect, it } from 'vitest';
import { linkRole } from '../../platform/action-links.js';
import type { ProcessStateBase } from '../../workflows/contracts/common.js';

/** Which seat an action link in a message would act in: a pending seat the person may take now, or none. */

const state = (over: Partial<ProcessStateBase> = {}): ProcessStateBase => ({
  workflowId: 'architecture-review/A-1',
  kind: 'architecture_review',
  businessKey: 'A-1',
  title: 'A',
  requester: 'rita',
  policyVersion: 'v',
  stage: 'in_review',
  outcome: null,
  pendingRoles: ['technical_lead', 'security_architect'],
  openRoles: ['technical_lead'],
  pendingActors: ['sam'],
  seatedActors: [],
  slaDueAt: null,
  events: [],
  notices: [],
  ...over,
});

describe('action link seats', () => {
  it('offers an open seat to a holder of its role, and a named seat only to the person it names', () => {
    expect(linkRole(state(), { id: 'tom', roles: ['technical_lead'] })).toBe('technical_lead');
    expect(linkRole(state(), { id: 'sam', roles: ['security_architect'] })).toBe('security_architect');
    expect(linkRole(state(), { id: 'sasha', roles: ['security_architect'] })).toBeUndefined();
  });

  it('offers nothing on a closed process, to the requester, or to someone who has taken their seat', () => {
    expect(linkRole(state({ outcome: 'approved' }), { id: 'tom', roles: ['technical_lead'] })).toBeUndefined();
    expect(linkRole(state({ requester: 'tom' }), { id: 'tom', roles: ['technical_lead'] })).toBeUndefined();
    expect(linkRole(state({ seatedActors: ['tom'] }), { id: 'tom', roles: ['technical_lead'] })).toBeUndefined();
  });
});
