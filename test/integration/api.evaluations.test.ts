import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { notifyObligationChanges } from '../../api/policy-impact.js';
import { PolicyRegistry } from '../../api/policy-registry.js';
import { COMMITTEE_SUMMARY_MAX } from '../../api/schemas/committee-approval.js';
import { impactMarkdown } from '../../domain/policy/impact-markdown.js';
import { defaultPolicyDir } from '../../domain/policy/load.js';
import { defaultPolicy, recordUnderOriginalCatalogue } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
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

    // Without a date the law is applied as of today, and the date is recorded with the input.
    const recorded = await stack.db.evaluation.findUniqueOrThrow({ where: { workflowId: res.body.workflowId } });
    expect((recorded.input as { asOf: string }).asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(res.body.result.asOf).toBe((recorded.input as { asOf: string }).asOf);

    const prohibited = { ...input, intake: { ...input.intake, prohibitedPractices: ['social_scoring'] } };
    const res2 = await stack.api.call('POST', '/evaluations/ai-compliance', { token: ethics, body: { businessKey: `AIC-${randomUUID().slice(0, 8)}`, title: 'Social scoring', input: prohibited } });
    expect(res2.status).toBe(201);
    expect(res2.body.outcome).toBe('prohibited');
    expect(res2.body.result.classification.blocked).toBe(true);
  });

  it('applies the law as of the date asked: an Annex III employment system on 2026-12-01 is bound from 2 December 2027, on 2026-07-01 from 2 August 2026', async () => {
    const ethics = await stack.api.tokenFor('eli', 'ethics_board_member');
    const at = async (asOf: string) => {
      const res = await stack.api.call('POST', '/evaluations/ai-compliance', { token: ethics, body: { businessKey: `AIC-${randomUUID().slice(0, 8)}`, title: 'CV screening', input: { ...cvScreener, asOf } } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.result.obligations.find((o: { key: string }) => o.key === 'annex_iii_high_risk');
    };
    expect(await at('2026-12-01')).toMatchObject({
      status: 'upcoming',
      appliesFrom: '2027-12-02',
      source: 'Art. 113, third para, point (c), as amended by Art. 1(40)(b)',
      act: { id: 'reg_2026_1744', citation: 'OJ L, 2026/1744, 24.7.2026' },
    });
    expect(await at('2026-07-01')).toMatchObject({ appliesFrom: '2026-08-02', act: { id: 'reg_2024_1689' } });
  });
});

const cvScreener = {
  system: 'CV screening assistant',
  assessmentDate: '2026-06-15',
  intake: { annexIIIAreas: ['4'], annexISafetyComponent: false, interactsWithNaturalPersons: true, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false },
  evidence: [],
  owners: { default: 'hr-systems@example.com' },
};

describe('policy impact replay (POST /policies/impact)', () => {
  let chair: string;
  beforeAll(async () => {
    chair = await stack.api.tokenFor('chair', 'committee_chair');
  });
  const shipped = (file: string) => readFileSync(path.join(defaultPolicyDir(), file), 'utf8');

  it('lists the deadlines the amended catalogue moves for evaluations recorded under the original one, and changes nothing', async () => {
    const { workflowId, result, policyVersion } = await recordUnderOriginalCatalogue(stack.db);
    expect(result.obligations.find((o) => o.key === 'annex_iii_high_risk')).toMatchObject({ status: 'applies', appliesFrom: '2026-08-02' });
    // Other tests write to the same database meanwhile: count what the replay could have written for this system.
    const where = { workflowId };
    const counts = async () => [await stack.db.evaluation.count({ where }), await stack.db.process.count({ where }), await stack.db.notification.count({ where }), await stack.db.auditEntry.count({ where })];
    const before = await counts();
    expect(before).toEqual([1, 0, 0, 0]);

    const res = await stack.api.call('POST', '/policies/impact', { token: chair, body: { files: { 'catalogues/eu-ai-act.yaml': shipped('catalogues/eu-ai-act.yaml') }, asOf: '2026-12-01' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.draftVersion).toBe((await defaultPolicy()).version.id);
    const entry = res.body.evaluations.find((e: { workflowId: string }) => e.workflowId === workflowId);
    expect(entry).toMatchObject({ what: 'ai_compliance', owners: ['hr-systems@example.com'], policyVersion });
    expect(entry.changes).toContainEqual({
      kind: 'obligation_date',
      subject: 'annex_iii_high_risk',
      before: '2026-08-02',
      after: '2027-12-02',
      detail: expect.stringContaining('OJ L, 2026/1744, 24.7.2026'),
      flagged: true,
    });
    expect(res.body.flagged).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
    expect((await stack.db.evaluation.findUniqueOrThrow({ where: { workflowId } })).result).toEqual(result);
  });

  it('re-tallies recorded ballots and moves the SLA of an open review under a draft voting rule and escalation', async () => {
    const policy = await defaultPolicy();
    const workflowId = `ethical-review/IMPACT-${randomUUID().slice(0, 8)}`;
    const slaDueAt = new Date('2026-12-20T10:00:00Z');
    const ballots = ['approve', 'approve', 'reject', 'abstain'].map((ballot, i) => ({ actor: `m${i}`, ballot, isChair: false }));
    await stack.db.process.create({
      data: { workflowId, kind: 'ethical_review', businessKey: workflowId.split('/')[1]!, title: 'Chatbot', requester: 'rita', stage: 'board_review', policyVersion: policy.version.id, pendingRoles: [], slaDueAt, state: { members: 4, ballots } },
    });
    const governance = shipped('ai-governance.yaml');
    // The board's block is the second with these settings: 0.5 → 0.7 majority, 30 → 40 days to the SLA breach.
    const draft = governance.replace(/(ethicalReviewBoard:[\s\S]*?majority: )0\.5/, '$10.7').replace(/(ethicalReviewBoard:[\s\S]*?slaBreachAfterDays: )30/, '$140');
    expect(draft).not.toBe(governance);

    const res = await stack.api.call('POST', '/policies/impact', { token: chair, body: { files: { 'ai-governance.yaml': draft } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const entry = res.body.processes.find((p: { workflowId: string }) => p.workflowId === workflowId);
    expect(entry.owners).toEqual(['rita']);
    expect(entry.changes.map((c: { kind: string; subject: string; before: unknown; after: unknown }) => [c.kind, c.subject, c.before, c.after])).toEqual([
      ['timer', 'escalation.slaBreachAfterDays', '2026-12-20T10:00:00.000Z', '2026-12-30T10:00:00.000Z'],
      ['review_rule', 'voting.majority', 0.5, 0.7],
      // 2 of 3 decisive ballots exceed a half, not 0.7.
      ['review_outcome', 'tally.result', 'approved', 'rejected'],
    ]);
  });

  it('re-decides a recorded architecture review under a draft outcome rule, in JSON and in Markdown for the committee item that approves it', async () => {
    const policy = await defaultPolicy();
    const key = `ARCH-IMPACT-${randomUUID().slice(0, 8)}`;
    const rita = await stack.api.tokenFor('impact-rita', 'requester');
    const started = await stack.api.call('POST', '/architecture-reviews', { token: rita, body: { businessKey: key, title: `Impact ${key}`, trigger: 'new_system_design', systemDescription: 'x' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const approve = Object.fromEntries(policy.architectureReview.approvalCriteria.map((c) => [c, 'approve']));
    // Under the shipped unanimity rule one reviewer's rejection (not a blocking role's) rejects the review.
    for (const role of ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert']) {
      const rejects = role === 'domain_expert';
      const body = { role, rulings: rejects ? { ...approve, scalability_validation: 'reject' } : approve, ...(rejects ? { justification: 'no load test' } : {}) };
      const voted = await stack.api.call('POST', `/architecture-reviews/${key}/votes`, { token: await stack.api.tokenFor(`impact-${role}`, role), body });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    }
    const workflowId = `architecture-review/${key}`;
    await waitFor('the recorded outcome', async () => (await stack.db.process.findUnique({ where: { workflowId } }))?.completedAt);
    expect((await stack.db.process.findUniqueOrThrow({ where: { workflowId } })).outcome).toBe('rejected');

    const draft = shipped('architecture-review.yaml').replace('unanimousRequired: true', 'unanimousRequired: false');
    expect(draft).not.toBe(shipped('architecture-review.yaml'));
    const body = { files: { 'architecture-review.yaml': draft } };
    const res = await stack.api.call('POST', '/policies/impact', { token: chair, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const entry = res.body.processes.find((p: { workflowId: string }) => p.workflowId === workflowId);
    expect(entry.changes.map((c: { kind: string; subject: string; before: unknown; after: unknown; flagged: boolean }) => [c.kind, c.subject, c.before, c.after, c.flagged])).toEqual([
      ['review_rule', 'outcome.unanimousRequired', true, false, false],
      ['review_outcome', 'round.1', 'rejected', 'approved', true],
    ]);

    const markdown = await stack.api.call('POST', '/policies/impact', { token: chair, body, headers: { accept: 'text/markdown' } });
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(markdown.body).toMatch(/^# Policy impact of draft /);
    expect(markdown.body).toContain(`### Impact ${key}\n\narchitecture review \`${workflowId}\``);
    expect(markdown.body).toContain("- **flagged** · review outcome · `round.1`: the recorded votes of round 1 would be approved instead of rejected under the draft's criteria and outcome rule");
    const byQuery = await stack.api.call('POST', '/policies/impact?format=markdown', { token: chair, body });
    expect(byQuery.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect((await stack.api.call('POST', '/policies/impact?format=json', { token: chair, body, headers: { accept: 'text/markdown' } })).body.processes).toBeDefined();

    // The report is the papers of the committee item that approves the change (as much as an item holds: other
    // tests record into the same database), readable on the committee's page.
    const papers = impactMarkdown(res.body, COMMITTEE_SUMMARY_MAX);
    // Other files' processes may be recorded (and their timers move) between the two calls: compare this review's section.
    const section = (md: string) => md.slice(md.indexOf(`### Impact ${key}`)).split('\n### ')[0];
    expect(section(byQuery.body)).toBe(section(impactMarkdown(res.body)));
    const itemKey = `POLICY-${randomUUID().slice(0, 8)}`;
    const item = await stack.api.call('POST', '/committee-approvals', { token: rita, body: { businessKey: itemKey, title: 'Architecture reviews decided by majority', summary: papers } });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    const state = await stack.api.call('GET', `/committee-approvals/${itemKey}`, { token: chair });
    expect(state.body.subject.summary).toBe(papers.trim());
  });

  it('refuses an invalid draft with the file and field, and callers outside the committee', async () => {
    const broken = shipped('catalogues/eu-ai-act.yaml').replace("from: 2027-12-02, act: reg_2026_1744", 'from: 2027-13-02, act: reg_2026_1744');
    const res = await stack.api.call('POST', '/policies/impact', { token: chair, body: { files: { 'catalogues/eu-ai-act.yaml': broken, 'notes.yaml': '' } } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: 'files.notes.yaml', message: expect.stringContaining('not a policy file') }]);
    const res2 = await stack.api.call('POST', '/policies/impact', { token: chair, body: { files: { 'catalogues/eu-ai-act.yaml': broken } } });
    expect(res2.status).toBe(422);
    expect(res2.body.errors[0]).toEqual({ path: 'files.catalogues/eu-ai-act.yaml: obligations[3].schedule[1].from', message: 'expected a date such as 2025-02-02' });
    const requester = await stack.api.tokenFor('rita', 'requester');
    expect((await stack.api.call('POST', '/policies/impact', { token: requester, body: { files: {} } })).status).toBe(403);
  });

  it('tells the owners of a recorded system, once, when the current catalogue moves its obligations', async () => {
    const { workflowId, policyVersion } = await recordUnderOriginalCatalogue(stack.db, 'Notified screener');
    await stack.db.process.create({
      data: { workflowId, kind: 'ai_compliance_assessment', businessKey: workflowId.split('/')[1]!, title: 'Notified screener', requester: 'rita', stage: 'closed', outcome: 'non_compliant', policyVersion, pendingRoles: [], state: {} },
    });
    const policies = new PolicyRegistry(stack.db, await defaultPolicy());
    expect(await notifyObligationChanges(stack.db, policies, { webhook: false, email: false }, '2026-12-01')).toBeGreaterThan(0);
    const [notice] = await stack.db.notification.findMany({ where: { workflowId } });
    expect(notice).toMatchObject({ kind: 'info', recipients: ['hr-systems@example.com', 'rita'], eventKey: `policy:${policies.current.version.id}:eu-ai-act:2026.1`, deliveredAt: expect.any(Date) });
    expect(notice!.message).toContain('applies from 2027-12-02 instead of 2026-08-02');
    await notifyObligationChanges(stack.db, policies, { webhook: false, email: false }, '2026-12-01');
    expect(await stack.db.notification.count({ where: { workflowId } })).toBe(1);
  });

  it('tells the board of an open ethical review, and the open committee item deciding on it, when the catalogue moves the obligations it assessed', async () => {
    const key = `ERB-NOTIFY-${randomUUID().slice(0, 8)}`;
    const review = `ethical-review/${key}`;
    // The review's assessment was recorded before the amendment; the board has yet to rule, the committee too.
    const { policyVersion } = await recordUnderOriginalCatalogue(stack.db, 'Screening under review', review);
    const open = { stage: 'board_review', policyVersion, pendingRoles: ['ethics_board_member'], openRoles: ['ethics_board_member'], pendingActors: ['bea'] };
    await stack.db.process.create({ data: { workflowId: review, kind: 'ethical_review', businessKey: key, title: 'Screening under review', requester: 'rita', state: {}, ...open } });
    // Whole committee states: other files' pages (the committee's agenda) read every open item from this database.
    const item = (k: string) => ({
      workflowId: `committee-approval/${k}`, kind: 'committee_approval', businessKey: k, title: 'Committee on the screening', requester: 'govflow',
      state: {
        workflowId: `committee-approval/${k}`, kind: 'committee_approval', businessKey: k, title: 'Committee on the screening', requester: 'govflow', policyVersion,
        stage: 'voting', outcome: null, pendingRoles: ['committee_member'], slaDueAt: null, events: [], notices: [],
        subject: { kind: 'ethical_review', workflowId: review, summary: 'x' }, urgent: false, meetingAt: null, members: 3, ballots: [], tally: null, conditions: [], extensionDays: 0,
      },
    });
    const openItem = item(`ethical-review.${key}`);
    await stack.db.process.create({ data: { ...openItem, stage: 'in_session', policyVersion, pendingRoles: ['committee_member'], openRoles: ['committee_member', 'committee_chair'] } });
    const decided = item(`ethical-review.${key}.decided`);
    await stack.db.process.create({ data: { ...decided, stage: 'closed', outcome: 'approved', policyVersion, pendingRoles: [] } });

    const policies = new PolicyRegistry(stack.db, await defaultPolicy());
    await notifyObligationChanges(stack.db, policies, { webhook: false, email: false }, '2026-12-01');
    const told = async (workflowId: string) => stack.db.notification.findMany({ where: { workflowId } });
    const [onReview] = await told(review);
    expect(onReview).toMatchObject({ kind: 'info', recipients: ['hr-systems@example.com', 'rita', 'bea', 'ethics_board_member'], deliveredAt: expect.any(Date) });
    expect(onReview!.message).toContain('applies from 2027-12-02 instead of 2026-08-02');
    const [onItem] = await told(openItem.workflowId);
    expect(onItem).toMatchObject({ recipients: ['govflow', 'committee_member', 'committee_chair'], eventKey: onReview!.eventKey });
    expect(onItem!.message).toContain(`which this item decides on (${review})`);
    expect(await told(decided.workflowId)).toEqual([]);
    // Once per policy and catalogue version.
    await notifyObligationChanges(stack.db, policies, { webhook: false, email: false }, '2026-12-01');
    expect((await told(review)).length + (await told(openItem.workflowId)).length).toBe(2);
  });
});
