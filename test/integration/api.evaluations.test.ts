import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApiStack } from '../support/stack.js';

const stack = useApiStack('evaluations');
let token: string;

beforeAll(async () => {
  token = await stack.api.tokenFor('eva', 'requester', 'technical_lead');
});

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

describe('recorded evaluations through the API', () => {
  it('runs the technology proposal engine in a short workflow, answers with the explained result, and records it', async () => {
    const key = `TP-${randomUUID().slice(0, 8)}`;
    const res = await stack.api.call('POST', '/evaluations/technology-proposals', { token, body: { businessKey: key, title: 'pgvector for retrieval', input: proposal } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.workflowId).toBe(`technology-proposal-evaluation/${key}`);
    expect(['approved', 'approved_with_conditions', 'rejected']).toContain(res.body.outcome);
    expect(res.body.result.decision).toBe(res.body.outcome);
    expect(res.body.result.dimensions.map((d: { key: string }) => d.key)).toContain('strategic_fit');
    for (const d of res.body.result.dimensions) expect(d).toEqual(expect.objectContaining({ weight: expect.any(Number), score: expect.any(Number), contribution: expect.any(Number) }));

    const row = await stack.db.evaluation.findUniqueOrThrow({ where: { workflowId: res.body.workflowId } });
    expect(row.engine).toBe('technology_proposal');
    expect(row.result).toEqual(res.body.result);
    expect(row.policyVersion).toBe(res.body.policyVersion);
    const audit = await stack.db.auditEntry.findMany({ where: { workflowId: res.body.workflowId }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['evaluation_requested', 'evaluated']);

    const again = await stack.api.call('GET', `/evaluations/technology-proposals/${key}`, { token });
    expect(again.body.result).toEqual(res.body.result);
  });

  it('refuses invalid engine input with a 400 naming the field, before any process starts', async () => {
    const key = `TP-${randomUUID().slice(0, 8)}`;
    const bad = { ...proposal, securityCompliance: 11 };
    const res = await stack.api.call('POST', '/evaluations/technology-proposals', { token, body: { businessKey: key, title: 'bad', input: bad } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('input.securityCompliance');
    expect(await stack.db.process.count({ where: { businessKey: key } })).toBe(0);

    const unknownFactor = { ...proposal, strategicFit: { ...proposal.strategicFit, vibes: 10 } };
    const res2 = await stack.api.call('POST', '/evaluations/technology-proposals', { token, body: { businessKey: key, title: 'bad', input: unknownFactor } });
    expect(res2.status).toBe(400);
    expect(JSON.stringify(res2.body.errors)).toContain('vibes');
  });

  it('classifies an AI system, and a prohibited one is recorded as prohibited', async () => {
    const ethics = await stack.api.tokenFor('eli', 'ethics_board_member');
    const input = {
      system: 'CV screening assistant',
      assessmentDate: '2026-11-24',
      intake: { annexIIIAreas: ['4'], annexISafetyComponent: false, interactsWithNaturalPersons: true, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false },
      evidence: [{ item: 'human_oversight_implemented', implementation: 'implemented', references: ['DOC-7'] }],
      owners: { default: 'ai-governance@example.com' },
    };
    const res = await stack.api.call('POST', '/evaluations/ai-compliance', { token: ethics, body: { businessKey: `AIC-${randomUUID().slice(0, 8)}`, title: 'CV screening', input } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.result.classification.tier).toBe('high_risk');
    const row = await stack.db.process.findUniqueOrThrow({ where: { workflowId: res.body.workflowId } });
    expect(row.riskTier).toBe('high_risk');

    const prohibited = { ...input, intake: { ...input.intake, prohibitedPractices: ['social_scoring'] } };
    const res2 = await stack.api.call('POST', '/evaluations/ai-compliance', { token: ethics, body: { businessKey: `AIC-${randomUUID().slice(0, 8)}`, title: 'Social scoring', input: prohibited } });
    expect(res2.status).toBe(201);
    expect(res2.body.outcome).toBe('prohibited');
    expect(res2.body.result.classification.blocked).toBe(true);
  });
});
