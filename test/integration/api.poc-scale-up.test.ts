import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaledUpPortfolio } from '../../api/routes/poc-scale-ups.js';
import type { PortfolioCounts } from '../../domain/innovation/portfolio.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { useApiStack } from '../support/stack.js';

const stack = useApiStack('api-poc');
let criteria: string[];
let stages: string[];

beforeAll(async () => {
  const { innovation } = await defaultPolicy();
  criteria = innovation.pocSelectionCriteria;
  stages = innovation.developmentProcess.slice(0, innovation.developmentProcess.indexOf('scale_up_decision'));
});

const SPONSOR = `sponsor-${randomUUID().slice(0, 6)}`;

function startBody(businessKey: string, overrides: Record<string, unknown> = {}) {
  return {
    businessKey,
    title: 'Predictive maintenance for the fleet',
    proposal: {
      hypothesis: 'Vibration models predict bearing failures a week ahead',
      expectedImpact: 'Fewer unplanned stops',
      successMetrics: [{ name: 'unplanned_stops_reduction_pct', target: 20 }, { name: 'false_alarm_rate_pct', target: 5, direction: 'at_most' }],
      businessSponsor: SPONSOR,
      bucket: 'adjacent',
      riskLevel: 'low',
      budget: 80_000,
    },
    selfAssessment: { high_potential_impact: { met: true, notes: 'three plants' } },
    urgent: true,
    urgencyReason: 'supplier contract renewal',
    ...overrides,
  };
}

const allMet = () => Object.fromEntries(criteria.map((c) => [c, { met: true }]));

function stageBody(stage: string) {
  return {
    stage,
    summary: `${stage} complete`,
    evidence: [`https://wiki.example.com/pdm/${stage}`],
    ...(stage === 'controlled_experimentation'
      ? { metricResults: [{ name: 'unplanned_stops_reduction_pct', value: 27 }, { name: 'false_alarm_rate_pct', value: 3.5 }] }
      : {}),
  };
}

describe('proof of concept to scale-up through the API', () => {
  it('runs a PoC from proposal to scale-up, and counts it in the next proposal’s portfolio', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    const sponsor = await stack.api.tokenFor(SPONSOR, 'business_sponsor');
    const member = await stack.api.tokenFor('gc-member-1', 'committee_member');
    const before: PortfolioCounts = await scaledUpPortfolio(stack.db);

    const key = `POC-${randomUUID().slice(0, 8)}`;
    const started = await stack.api.call('POST', '/poc-scale-ups', { token: requester, body: startBody(key) });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.workflowId).toBe(`poc-scale-up/${key}`);

    // The requester cannot rule on the gate (route role), and stages wait for the gate.
    expect((await stack.api.call('POST', `/poc-scale-ups/${key}/gate-reviews`, { token: requester, body: { criteria: allMet() } })).status).toBe(403);
    const early = await stack.api.call('POST', `/poc-scale-ups/${key}/stages`, { token: requester, body: stageBody(stages[0]!) });
    expect(early.status).toBe(409);
    const gate = await stack.api.call('POST', `/poc-scale-ups/${key}/gate-reviews`, { token: member, body: { criteria: allMet() } });
    expect(gate.status, JSON.stringify(gate.body)).toBe(200);
    expect(gate.body.stage).toBe(stages[0]);
    expect((await stack.api.call('GET', `/poc-scale-ups/${key}`, { token: requester })).body.gate.passed).toBe(true);

    const skipped = await stack.api.call('POST', `/poc-scale-ups/${key}/stages`, { token: requester, body: stageBody(stages[1]!) });
    expect(skipped.status).toBe(409);
    expect(skipped.body.code).toBe('Conflict');
    for (const [i, stage] of stages.entries()) {
      const done = await stack.api.call('POST', `/poc-scale-ups/${key}/stages`, { token: i % 2 ? sponsor : requester, body: stageBody(stage) });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    }

    const waiting = await waitFor('the committee item', async () => {
      const s = await stack.api.call('GET', `/poc-scale-ups/${key}`, { token: requester });
      return s.body.committeeWorkflowId ? s.body : null;
    });
    expect(waiting.analysis.allMet).toBe(true);
    const committeeKey = `poc-scale-up.${key}`;
    expect(waiting.committeeWorkflowId).toBe(`committee-approval/${committeeKey}`);
    await waitFor('voting to open', async () => (await stack.api.call('GET', `/committee-approvals/${committeeKey}`, { token: requester })).body.stage === 'voting');
    for (const id of ['gc-1', 'gc-2', 'gc-3']) {
      const token = await stack.api.tokenFor(id, 'committee_member');
      const voted = await stack.api.call('POST', `/committee-approvals/${committeeKey}/votes`, { token, body: { ballot: 'approve' } });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    }

    const row = await waitFor('the completed PoC row', () => stack.db.process.findFirst({ where: { workflowId: started.body.workflowId, completedAt: { not: null } } }));
    expect(row.outcome).toBe('scaled_up');
    const list = await stack.api.call('GET', '/poc-scale-ups?outcome=scaled_up&limit=200', { token: requester });
    expect(list.body.items.map((i: { businessKey: string }) => i.businessKey)).toContain(key);

    // The next proposal's portfolio is read from the record and includes the PoC just scaled up.
    const next = `POC-${randomUUID().slice(0, 8)}`;
    expect((await stack.api.call('POST', '/poc-scale-ups', { token: requester, body: startBody(next) })).status).toBe(201);
    const after = await scaledUpPortfolio(stack.db);
    const nextState = await stack.api.call('GET', `/poc-scale-ups/${next}`, { token: requester });
    const portfolio = nextState.body.events.find((e: { action: string }) => e.action === 'started').details.portfolio as PortfolioCounts;
    expect(portfolio.adjacent).toBeGreaterThanOrEqual(before.adjacent + 1);
    for (const bucket of ['core', 'adjacent', 'transformational'] as const) {
      expect(portfolio[bucket]).toBeGreaterThanOrEqual(before[bucket]);
      expect(portfolio[bucket]).toBeLessThanOrEqual(after[bucket]);
    }
    expect((await stack.api.call('POST', `/poc-scale-ups/${next}/withdraw`, { token: requester, body: { reason: 'duplicate' } })).status).toBe(200);
  });

  it('refuses a proposal without a valid business sponsor or with unknown criteria (400 naming the field)', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    await stack.api.tokenFor(SPONSOR, 'business_sponsor');
    const body = startBody(`POC-${randomUUID().slice(0, 8)}`);
    const missing = await stack.api.call('POST', '/poc-scale-ups', { token: requester, body: { ...body, proposal: { ...body.proposal, businessSponsor: undefined } } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain('proposal.businessSponsor');

    const notASponsor = await stack.api.tokenFor('tom', 'technical_lead');
    expect(notASponsor).toBeTruthy();
    const wrong = await stack.api.call('POST', '/poc-scale-ups', { token: requester, body: { ...body, proposal: { ...body.proposal, businessSponsor: 'tom' } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'proposal.businessSponsor', message: 'must name an active principal holding business_sponsor' }]);

    const unknownCriterion = await stack.api.call('POST', '/poc-scale-ups', { token: requester, body: { ...body, selfAssessment: { vibes: { met: true } } } });
    expect(unknownCriterion.status).toBe(400);
    expect(unknownCriterion.body.errors[0].path).toBe('selfAssessment.vibes');

    const noMetrics = await stack.api.call('POST', '/poc-scale-ups', { token: requester, body: { ...body, proposal: { ...body.proposal, successMetrics: [] } } });
    expect(noMetrics.status).toBe(400);
    expect(noMetrics.body.errors[0].path).toBe('proposal.successMetrics');
    // Nothing was started under the key.
    expect((await stack.api.call('GET', `/poc-scale-ups/${body.businessKey}`, { token: requester })).status).toBe(404);
  });

  it('refuses an unexplained unmet criterion at the gate (422) and records a refusal by the gate as not selected', async () => {
    const requester = await stack.api.tokenFor('rita', 'requester');
    const sponsor = await stack.api.tokenFor(SPONSOR, 'business_sponsor');
    const key = `POC-${randomUUID().slice(0, 8)}`;
    expect((await stack.api.call('POST', '/poc-scale-ups', { token: requester, body: startBody(key) })).status).toBe(201);
    const unexplained = await stack.api.call('POST', `/poc-scale-ups/${key}/gate-reviews`, { token: sponsor, body: { criteria: { ...allMet(), high_potential_impact: { met: false } } } });
    expect(unexplained.status).toBe(422);
    expect(unexplained.body.errors).toEqual([{ path: 'criteria.high_potential_impact.note', message: 'required when the criterion is not met' }]);
    const refused = await stack.api.call('POST', `/poc-scale-ups/${key}/gate-reviews`, {
      token: sponsor,
      body: { criteria: { ...allMet(), high_potential_impact: { met: false, note: 'one plant only' } } },
    });
    expect(refused.status).toBe(200);
    const row = await waitFor('the closed PoC row', () => stack.db.process.findFirst({ where: { workflowId: `poc-scale-up/${key}`, completedAt: { not: null } } }));
    expect(row.outcome).toBe('not_selected');
    const closed = await stack.api.call('POST', `/poc-scale-ups/${key}/stages`, { token: requester, body: stageBody(stages[0]!) });
    expect(closed.status).toBe(409);
  });
});
