import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { monitoringScheduleId, type AiSystemState } from '../../workflows/ai-system/contract.js';
import { assessments } from '../support/ethical-reviews.js';
import { waitFor } from '../support/processes.js';
import { useApiStack } from '../support/stack.js';

// The dev server runs Temporal Schedules, and this worker may manage them.
const stack = useApiStack('api-ai-systems', undefined, { schedules: true });
const REVIEW_ITEMS_HIGH_RISK = ['ethical_impact_assessment', 'bias_detection_review', 'fairness_evaluation', 'transparency_requirements', 'fundamental_rights_impact_assessment'];

describe('the AI system inventory through the API', () => {
  it('registers a system, approves it through an ethical review with a condition: its obligation and its review schedules appear on it', async () => {
    const { api, env } = stack;
    const steward = await api.tokenFor('inv-stella', 'ai_system_steward');
    const olga = await api.tokenFor('inv-olga', 'requester');
    const key = `SYS-${randomUUID().slice(0, 8)}`;
    const body = { businessKey: key, title: 'CV screening assistant', purpose: 'Ranks job applications for recruiters', owner: 'inv-olga', operatorRoles: ['deployer'], assessment: assessments.highRisk };

    const unknownOwner = await api.call('POST', '/ai-systems', { token: steward, body: { ...body, owner: 'nobody-here' } });
    expect(unknownOwner.status).toBe(400);
    expect(unknownOwner.body.errors).toEqual([expect.objectContaining({ path: 'owner' })]);
    expect((await api.call('POST', '/ai-systems', { token: steward, body: { ...body, operatorRoles: ['importer'] } })).body.errors).toEqual([expect.objectContaining({ path: 'operatorRoles.0' })]);
    const registered = await api.call('POST', '/ai-systems', { token: steward, body });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);

    const review = { businessKey: `ERB-${key}`, title: 'CV screener go-live', trigger: 'new_ai_model_deployment', systemDescription: 'Ranks applicants', assessment: assessments.highRisk, urgent: true };
    const noSystem = await api.call('POST', '/ethical-reviews', { token: olga, body: { ...review, aiSystem: 'SYS-none' } });
    expect(noSystem.status).toBe(400);
    expect(noSystem.body.errors).toEqual([{ path: 'aiSystem', message: expect.stringContaining('register it first') }]);
    expect((await api.call('POST', '/ethical-reviews', { token: olga, body: { ...review, aiSystem: key } })).status).toBe(201);

    const findings = Object.fromEntries(REVIEW_ITEMS_HIGH_RISK.map((i) => [i, 'satisfactory']));
    await waitFor('the board review', async () => (await api.call('GET', `/ethical-reviews/${review.businessKey}`, { token: olga })).body.stage === 'board_review');
    for (const [i, [id, role]] of ([['inv-aria', 'ai_ethics_specialist'], ['inv-cam', 'community_representative'], ['inv-tess', 'technical_specialist']] as const).entries()) {
      const voted = await api.call('POST', `/ethical-reviews/${review.businessKey}/votes`, { token: await api.tokenFor(id, role), body: { ballot: 'approve', findings, ...(i === 0 ? { conditions: ['Quarterly bias audit by an external auditor'] } : {}) } });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    }
    const committeeKey = `ethical-review.${review.businessKey}`;
    await waitFor('the committee vote', async () => (await api.call('GET', `/committee-approvals/${committeeKey}`, { token: olga })).body.stage === 'voting');
    for (const id of ['inv-cleo', 'inv-cyrus', 'inv-cora']) {
      const voted = await api.call('POST', `/committee-approvals/${committeeKey}/votes`, { token: await api.tokenFor(id, 'committee_member'), body: { ballot: 'approve' } });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    }

    const approved = await waitFor('the approved system with its schedules', async () => {
      const s = (await api.call('GET', `/ai-systems/${key}`, { token: olga })).body as AiSystemState;
      return s.stage === 'approved' && s.monitoring.status === 'scheduled' && s.links.some((l) => l.kind === 'obligation') ? s : null;
    });
    expect(approved).toMatchObject({ riskTier: 'high_risk', owner: 'inv-olga', record: { status: 'ok' } });
    const obligation = approved.links.find((l) => l.kind === 'obligation')!;
    expect(obligation).toMatchObject({ workflowId: `obligation/ethical-review.${review.businessKey}.1`, status: 'open', overdue: false });
    expect(approved.monitoring.schedules.map((s) => [s.key, s.intervalDays])).toEqual([['quarterly_compliance_assessment', 91], ['annual_comprehensive_audit', 365]]);
    const quarterly = await env.client.schedule.getHandle(monitoringScheduleId(approved.workflowId, 'quarterly_compliance_assessment')).describe();
    expect(quarterly.action).toMatchObject({ type: 'startWorkflow', workflowType: 'monitoringReview' });
    expect(quarterly.spec.intervals).toEqual([expect.objectContaining({ every: 91 * 86_400_000 })]);

    // A run of the schedule opens a monitoring review for the owner, linked on the system.
    await env.client.schedule.getHandle(monitoringScheduleId(approved.workflowId, 'quarterly_compliance_assessment')).trigger();
    const withReview = await waitFor('the triggered review on the system', async () => {
      const s = (await api.call('GET', `/ai-systems/${key}`, { token: olga })).body as AiSystemState;
      return s.links.find((l) => l.kind === 'monitoring_review') ?? null;
    });
    const reviewKey = withReview.workflowId.slice('monitoring-review/'.length);
    expect(reviewKey).toMatch(new RegExp(`^${key}\\.quarterly_compliance_assessment-`));
    const opened = await api.call('GET', `/monitoring-reviews/${reviewKey}`, { token: olga });
    expect(opened.body).toMatchObject({ owner: 'inv-olga', review: 'quarterly_compliance_assessment', stage: 'open', aiSystem: key });
    expect((await api.call('POST', `/monitoring-reviews/${reviewKey}/conclusion`, { token: steward, body: { summary: 'fine', actionRequired: false } })).status).toBe(403);
    const concluded = await api.call('POST', `/monitoring-reviews/${reviewKey}/conclusion`, { token: olga, body: { summary: 'Parity within bounds; logs complete', evidence: ['https://dash.example.com/q4'], actionRequired: false } });
    expect(concluded.status, JSON.stringify(concluded.body)).toBe(200);
    expect(concluded.body).toMatchObject({ outcome: 'completed' });

    // Into production, a measurement from an agent, retirement: the schedules go with it.
    expect((await api.call('POST', `/ai-systems/${key}/production`, { token: olga, body: { reason: 'go' } })).status).toBe(403);
    expect((await api.call('POST', `/ai-systems/${key}/production`, { token: steward, body: { reason: 'board and committee approved' } })).body).toMatchObject({ stage: 'in_production' });
    const agent = await api.tokenFor('inv-monitor', 'monitoring_agent');
    const badMetric = await api.call('POST', `/ai-systems/${key}/measurements`, { token: agent, body: { metric: 'latency', value: 3 } });
    expect(badMetric.body.errors).toEqual([expect.objectContaining({ path: 'metric', message: expect.stringContaining('demographic_parity_difference') })]);
    expect((await api.call('POST', `/ai-systems/${key}/measurements`, { token: agent, body: { metric: 'demographic_parity_difference', value: 0.04 } })).status).toBe(200);
    expect((await api.call('POST', `/ai-systems/${key}/retire`, { token: steward, body: { reason: 'replaced' } })).body).toMatchObject({ outcome: 'retired' });
    await waitFor('the schedules removed', async () => {
      const s = (await api.call('GET', `/ai-systems/${key}`, { token: olga })).body as AiSystemState;
      return s.monitoring.status === 'removed';
    });
    await expect(env.client.schedule.getHandle(monitoringScheduleId(approved.workflowId, 'quarterly_compliance_assessment')).describe()).rejects.toThrow();
    const afterRetire = await api.call('POST', '/incidents', { token: olga, body: { businessKey: `INC-${key}`, title: 'x', description: 'y', aiSystem: key } });
    expect(afterRetire.body.errors).toEqual([{ path: 'aiSystem', message: expect.stringContaining('retired') }]);
  });

  it('accepts the README’s inventory examples as written: register, a measurement that opens an ethical review, a risk, feedback', async () => {
    const { api } = stack;
    const readme = readFileSync('README.md', 'utf8');
    const register = /curl -s localhost:3000\/ai-systems -H .*? -d '([^']+)'/s.exec(readme);
    expect(register, 'the README registers a system').not.toBeNull();
    const key = `SYS-README-${randomUUID().slice(0, 8)}`;
    const steward = await api.tokenFor('stella', 'ai_system_steward');
    const rita = await api.tokenFor('rita', 'requester');
    const registered = await api.call('POST', '/ai-systems', { token: steward, body: { ...JSON.parse(register![1]!), businessKey: key } });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const actions = [...readme.matchAll(/curl -s localhost:3000\/ai-systems\/SYS-CV-1\/([a-z-]+) -H "Authorization: Bearer \$(\w+)".*? -d '([^']+)'/gs)];
    expect(actions.map((a) => a[1])).toEqual(['measurements', 'risks', 'feedback']);
    const tokens: Record<string, string> = { STELLA: steward, RITA: rita, MONITOR: await api.tokenFor('bias-monitor', 'monitoring_agent') };
    for (const [, name, who, body] of actions) {
      const res = await api.call('POST', `/ai-systems/${key}/${name}`, { token: tokens[who!]!, body: JSON.parse(body!) });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    const s = await waitFor('the ethical review and the feedback review', async () => {
      const state = (await api.call('GET', `/ai-systems/${key}`, { token: rita })).body as AiSystemState;
      return state.links.length === 2 ? state : null;
    });
    expect(s.links.map((l) => l.kind).sort()).toEqual(['ethical_review', 'monitoring_review']);
    expect(s.risks).toEqual([expect.objectContaining({ id: 'R-1', score: 12, residualScore: 8 })]);
  });
});
