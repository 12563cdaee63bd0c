import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiCompliancePolicyOf, runAiCompliance, type AiComplianceResult } from '../../domain/engines/ai-compliance.js';
import type { PolicySet } from '../../domain/policy/types.js';
import type { Db } from '../../platform/database.js';
import type { AiSystemLink, AiSystemState, Risk } from '../../workflows/ai-system/contract.js';
import type { EvaluationState } from '../../workflows/evaluation/contract.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { launchBrowser } from '../support/browser.js';
import { privateDb } from '../support/db.js';
import { defaultPolicy } from '../support/policy.js';
import type { ApiStack } from '../support/stack.js';
import { checkPage, checkTouchTargets, DESKTOP, PHONE, signIn } from '../support/web.js';

// The portfolio counts every system in the database: a database of its own, so that no other test file's systems
// are counted. The reports read the record only: Temporal is a stand-in that fails the test if anything reaches it.
const noTemporal = new Proxy({}, {
  get: (_target, prop) => {
    throw new Error(`the AI system reports must read the record, not Temporal (they touched client.${String(prop)})`);
  },
});
const env = { client: noTemporal } as unknown as TestWorkflowEnvironment;

let db: Db;
let drop: () => Promise<void>;
let api: TestApi;
let policy: PolicySet;
let chair: string;
let browser: Browser;

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

const noIntake = { prohibitedPractices: [], annexIIIAreas: [], annexISafetyComponent: false, interactsWithNaturalPersons: false, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false };
const assess = (system: string, assessmentDate: string, intake: Record<string, unknown>, evidence: { item: string; implementation: string; references: string[] }[]): AiComplianceResult =>
  runAiCompliance({ system, assessmentDate, asOf: assessmentDate, intake: { ...noIntake, ...intake }, evidence, owners: { default: 'owner@example.com' } }, aiCompliancePolicyOf(policy));

const link = (workflowId: string, over: Partial<AiSystemLink> = {}): AiSystemLink => ({
  workflowId,
  kind: workflowId.split('/')[0]!.replace(/-/g, '_') as AiSystemLink['kind'],
  title: `Process ${workflowId.split('/')[1]}`,
  openedAt: ago(30).toISOString(),
  status: 'open',
  outcome: null,
  overdue: false,
  closedAt: null,
  ...over,
});

/**
 * A system's record as its workflow projects it (workflows/ai-system/contract.ts): the fields the reports read are
 * typed against the contract, so the fixture cannot drift from it; the rest of the state is left out.
 */
type SystemRecord = Pick<AiSystemState, 'workflowId' | 'kind' | 'businessKey' | 'title' | 'stage' | 'outcome' | 'owner' | 'riskTier' | 'links'> & { risks: Pick<Risk, 'id' | 'title' | 'status'>[] };
function systemState(key: string, stage: AiSystemState['stage'], riskTier: AiSystemState['riskTier'], links: AiSystemLink[], openRisks = 0): SystemRecord {
  return {
    workflowId: `ai-system/${key}`, kind: 'ai_system', businessKey: key, title: `System ${key}`, stage, outcome: stage === 'retired' ? 'retired' : null,
    owner: `owner-${key}`, riskTier, links,
    risks: [...Array.from({ length: openRisks }, (_, i) => ({ id: `R${i + 1}`, title: `Risk ${i + 1}`, status: 'open' as const })), { id: 'R0', title: 'Closed risk', status: 'closed' }],
  };
}

async function processRow(p: { workflowId: string; kind: string; title?: string; stage: string; outcome?: string | null; riskTier?: string | null; slaDueAt?: Date; completedAt?: Date; createdAt?: Date; state: object }) {
  await db.process.create({
    data: {
      workflowId: p.workflowId, kind: p.kind, businessKey: p.workflowId.split('/')[1]!, title: p.title ?? `Process ${p.workflowId.split('/')[1]}`, requester: 'rita',
      stage: p.stage, outcome: p.outcome ?? null, riskTier: p.riskTier ?? null, slaDueAt: p.slaDueAt ?? null, completedAt: p.completedAt ?? null, createdAt: p.createdAt,
      policyVersion: policy.version.id, pendingRoles: [], state: p.state,
    },
  });
}

/** A closed AI compliance assessment as the evaluation workflow records it (workflows/evaluation). */
const assessmentState = (workflowId: string, result: AiComplianceResult | null, aiSystem?: string): EvaluationState => ({
  workflowId, kind: 'ai_compliance_assessment', businessKey: workflowId.split('/')[1]!, title: 'Assessment', requester: 'rita', policyVersion: policy.version.id,
  stage: 'closed', outcome: result ? result.overall.status : 'invalid_input', pendingRoles: [], slaDueAt: null, events: [], notices: [], riskTier: result?.classification.tier ?? null,
  ...(aiSystem ? { aiSystem } : {}), engine: 'ai_compliance', result,
});

const screenerEvidence = [
  { item: 'audit_logging_comprehensive', implementation: 'implemented', references: ['LOG-POLICY-7', 'SIEM-RETENTION'] },
  { item: 'bias_testing_completed', implementation: 'implemented', references: ['BIAS-2026-Q3'] },
];

beforeAll(async () => {
  ({ db, drop } = await privateDb());
  policy = await defaultPolicy();
  api = await startTestApi(env, db, 'unused-no-worker');
  chair = await api.tokenFor('carla', 'committee_chair');
  browser = await launchBrowser();

  // CV-1, high-risk and in production: three assessments (one refused), an overdue obligation and monitoring review, an open incident.
  const newer = 'ai-compliance-assessment/CV-1-2026-11';
  const older = 'ai-compliance-assessment/CV-1-2026-06';
  const refused = 'ai-compliance-assessment/CV-1-2026-12';
  const cvIntake = { annexIIIAreas: ['4'], interactsWithNaturalPersons: true, operatorRoles: ['provider'] };
  // The newer one only through the system's links, the older one only through its own state's aiSystem.
  await processRow({ workflowId: newer, kind: 'ai_compliance_assessment', stage: 'closed', outcome: 'non_compliant', completedAt: ago(20), state: assessmentState(newer, assess('CV screening', '2026-11-02', cvIntake, screenerEvidence)) });
  await processRow({
    workflowId: older, kind: 'ai_compliance_assessment', stage: 'closed', outcome: 'non_compliant', completedAt: ago(160),
    state: assessmentState(older, assess('CV screening', '2026-06-01', cvIntake, [{ item: 'audit_logging_comprehensive', implementation: 'implemented', references: ['OLD-LOG'] }]), 'CV-1'),
  });
  await processRow({ workflowId: refused, kind: 'ai_compliance_assessment', stage: 'closed', outcome: 'invalid_input', completedAt: ago(1), state: assessmentState(refused, null, 'CV-1') });
  await processRow({ workflowId: 'obligation/CV-1-OB1', kind: 'obligation', title: 'Publish the bias test report', stage: 'open', slaDueAt: ago(5), state: { aiSystem: 'CV-1' } });
  await processRow({ workflowId: 'monitoring-review/CV-1-Q3', kind: 'monitoring_review', title: 'Quarterly bias review', stage: 'open', slaDueAt: ago(2), state: { aiSystem: 'CV-1' } });
  await processRow({ workflowId: 'incident/INC-7', kind: 'incident', title: 'Skewed shortlist', stage: 'triage', state: { aiSystem: 'CV-1' } });
  await processRow({
    workflowId: 'ai-system/CV-1', kind: 'ai_system', title: 'System CV-1', stage: 'in_production', riskTier: 'high_risk',
    state: systemState('CV-1', 'in_production', 'high_risk', [
      link(newer, { status: 'closed', outcome: 'non_compliant' }),
      link('obligation/CV-1-OB1', { title: 'Publish the bias test report', overdue: true }),
      link('monitoring-review/CV-1-Q3', { title: 'Quarterly bias review', overdue: true }),
      link('obligation/CV-1-OB0', { status: 'closed', outcome: 'verified', overdue: true }),
      link('incident/INC-7', { title: 'Skewed shortlist', openedAt: ago(3).toISOString() }),
    ], 2),
  });

  // BOT-2, a chatbot assessed by an ethical review: the review keeps a summary, its recorded evaluation the result.
  const review = 'ethical-review/BOT-2-ER';
  const botResult = assess('Support bot', '2026-10-10', { interactsWithNaturalPersons: true }, []);
  await processRow({ workflowId: review, kind: 'ethical_review', stage: 'closed', outcome: 'approved', completedAt: ago(40), state: { aiSystem: 'BOT-2', compliance: { tier: 'transparency', overallStatus: botResult.overall.status } } });
  await db.evaluation.create({ data: { id: review, workflowId: review, engine: 'ai_compliance', subject: 'Support bot', input: {}, result: botResult as object, policyVersion: policy.version.id } });
  await processRow({ workflowId: 'ai-system/BOT-2', kind: 'ai_system', title: 'System BOT-2', stage: 'approved', riskTier: 'transparency', state: systemState('BOT-2', 'approved', 'transparency', [link(review, { status: 'closed', outcome: 'approved' })]) });

  // NEW-3, registered and not yet classified; OLD-9, retired.
  await processRow({ workflowId: 'ai-system/NEW-3', kind: 'ai_system', title: 'System NEW-3', stage: 'registered', state: systemState('NEW-3', 'registered', null, []) });
  await processRow({ workflowId: 'ai-system/OLD-9', kind: 'ai_system', title: 'System OLD-9', stage: 'retired', outcome: 'retired', riskTier: 'high_risk', completedAt: ago(100), state: systemState('OLD-9', 'retired', 'high_risk', []) });
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await drop?.();
});

describe('GET /ai-systems/portfolio', () => {
  it('counts the systems per tier and stage, lists the overdue processes with their deadlines and the open incidents', async () => {
    const res = await api.call('GET', '/ai-systems/portfolio', { token: chair });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = res.body;
    expect(p).toMatchObject({ total: 4, active: 3 });
    expect(p.byTier).toEqual([
      { tier: 'prohibited', count: 0 },
      { tier: 'high_risk', count: 1 },
      { tier: 'transparency', count: 1 },
      { tier: 'minimal', count: 0 },
      { tier: 'unclassified', count: 1 },
    ]);
    expect(p.byStage).toEqual([
      { stage: 'registered', count: 1 },
      { stage: 'assessed', count: 0 },
      { stage: 'approved', count: 1 },
      { stage: 'in_production', count: 1 },
      { stage: 'suspended', count: 0 },
      { stage: 'retired', count: 1 },
    ]);
    // The obligation's deadline is the earlier: it comes first; the closed obligation is not listed.
    expect(p.overdue.map((i: any) => [i.workflowId, i.system, i.title])).toEqual([
      ['obligation/CV-1-OB1', 'CV-1', 'Publish the bias test report'],
      ['monitoring-review/CV-1-Q3', 'CV-1', 'Quarterly bias review'],
    ]);
    const obligationDue = (await db.process.findUniqueOrThrow({ where: { workflowId: 'obligation/CV-1-OB1' } })).slaDueAt!.toISOString();
    expect(p.overdue[0].dueAt).toBe(obligationDue);
    expect(p.overdueByKind).toEqual([{ kind: 'monitoring_review', count: 1 }, { kind: 'obligation', count: 1 }]);
    expect(p.openIncidents.map((i: any) => [i.workflowId, i.systemTitle, i.overdue])).toEqual([['incident/INC-7', 'System CV-1', false]]);
    expect(p.systems.find((s: any) => s.key === 'CV-1')).toEqual({
      key: 'CV-1', workflowId: 'ai-system/CV-1', title: 'System CV-1', owner: 'owner-CV-1', riskTier: 'high_risk', stage: 'in_production', openProcesses: 3, overdue: 2, openIncidents: 1, openRisks: 2,
    });
    expect(p.systems.map((s: any) => s.key)).toEqual(['BOT-2', 'CV-1', 'NEW-3', 'OLD-9']);
  });

  it('is for the readers of reports: anyone else is refused, told which roles read it', async () => {
    const res = await api.call('GET', '/ai-systems/portfolio', { token: await api.tokenFor('rita', 'requester') });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/chief_technology_officer.*committee_chair.*committee_member/);
    expect((await api.call('GET', '/ai-systems/statement-of-applicability', { token: await api.tokenFor('rita', 'requester') })).status).toBe(403);
  });
});

describe('GET /ai-systems/statement-of-applicability', () => {
  it("reads each system's latest assessment (its own or an ethical review's), and puts retired systems out of scope", async () => {
    const res = await api.call('GET', '/ai-systems/statement-of-applicability?organisation=Example%20Bank', { token: chair });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const soa = res.body;
    expect(soa).toMatchObject({ organisation: 'Example Bank', policyVersion: policy.version.id, catalogue: { version: '2023' } });
    expect(soa.controls).toHaveLength(38);
    expect(soa.scope.systems).toEqual([
      { key: 'BOT-2', title: 'System BOT-2', stage: 'approved', riskTier: 'transparency', assessment: { workflowId: 'ethical-review/BOT-2-ER', assessmentDate: '2026-10-10' } },
      { key: 'CV-1', title: 'System CV-1', stage: 'in_production', riskTier: 'high_risk', assessment: { workflowId: 'ai-compliance-assessment/CV-1-2026-11', assessmentDate: '2026-11-02' } },
      { key: 'NEW-3', title: 'System NEW-3', stage: 'registered', riskTier: null, assessment: null },
    ]);
    expect(soa.scope.excluded).toEqual([{ key: 'OLD-9', title: 'System OLD-9', reason: 'retired: no longer in use' }]);

    // Audit logging: compliant in CV-1's latest assessment, no evidence in BOT-2's, NEW-3 not assessed.
    const logs = soa.controls.find((c: any) => c.id === 'A.6.2.8');
    expect(logs).toMatchObject({ applicable: true, implementation: 'partially_implemented', tally: { compliant: 1, partial: 0, nonCompliant: 1, notAssessed: 1 } });
    expect(logs.items[0].systems).toEqual([
      { system: 'BOT-2', status: 'non_compliant', workflowId: 'ethical-review/BOT-2-ER' },
      { system: 'CV-1', status: 'compliant', workflowId: 'ai-compliance-assessment/CV-1-2026-11' },
      { system: 'NEW-3', status: 'not_assessed', workflowId: null },
    ]);
    // The June assessment's evidence is superseded by November's.
    expect(logs.evidence).toEqual([
      { reference: 'LOG-POLICY-7', item: 'audit_logging_comprehensive', system: 'CV-1', workflowId: 'ai-compliance-assessment/CV-1-2026-11' },
      { reference: 'SIEM-RETENTION', item: 'audit_logging_comprehensive', system: 'CV-1', workflowId: 'ai-compliance-assessment/CV-1-2026-11' },
    ]);
    // The FRIA binds neither assessed system; only NEW-3, not yet classified, may be one it binds.
    const fria = soa.controls.find((c: any) => c.id === 'A.5.3');
    expect(fria.justification).toBe('Applicable: checklist item fria_period_and_frequency applies to system NEW-3 (not yet classified).');
    expect(fria.implementation).toBe('not_assessed');
    const supplier = soa.controls.find((c: any) => c.id === 'A.10.3');
    expect(supplier).toMatchObject({ applicable: true, basis: 'organisation', implementation: 'not_assessed' });
    expect(soa.summary.controls).toBe(38);
    expect(Object.values(soa.summary.byStatus).reduce((a: number, b: any) => a + b, 0)).toBe(38);
  });

  it('answers the same statement as Markdown with format=markdown, and refuses a format it does not have', async () => {
    const res = await api.call('GET', '/ai-systems/statement-of-applicability?format=markdown&organisation=Example%20Bank', { token: chair });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const md: string = res.body;
    expect(md).toMatch(/^# Statement of Applicability\n\n- Organisation: Example Bank\n/);
    expect(md).toContain(`- Policy version: ${policy.version.id}\n`);
    expect(md).toContain('| A.6.2.8 | AI system recording of event logs | yes | partially implemented |');
    expect(md).toContain('Out of scope: OLD-9 (retired: no longer in use).');
    expect(md).toContain('- LOG-POLICY-7 — audit_logging_comprehensive, system CV-1 (ai-compliance-assessment/CV-1-2026-11)');

    const bad = await api.call('GET', '/ai-systems/statement-of-applicability?format=pdf', { token: chair });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/format/);
  });
});

describe('the portfolio page', () => {
  it('charts the tiers and stages and lists what is overdue and the open incidents, on a phone and a desktop', async () => {
    const admin = await api.tokenFor('adam', 'admin');
    const stack: ApiStack = { env, db, api, taskQueue: 'unused-no-worker' };
    for (const viewport of [PHONE, DESKTOP]) {
      const { context, page } = await signIn(stack, browser, admin, 'carla', viewport);
      await page.getByRole('link', { name: 'Portfolio' }).click();
      await page.waitForURL('**/app/portfolio');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('AI portfolio');
      await page.getByRole('img', { name: 'Systems per risk tier: prohibited 0, high risk 1, transparency 1, minimal 0, unclassified 1' }).waitFor();
      await page.getByRole('img', { name: 'Systems per stage: registered 1, assessed 0, approved 1, in production 1, suspended 0, retired 1' }).waitFor();
      const overdue = page.locator('section', { has: page.getByRole('heading', { name: /^Overdue/ }) });
      expect(await overdue.locator('tbody tr').count()).toBe(2);
      expect(await overdue.getByRole('link', { name: 'Publish the bias test report' }).getAttribute('href')).toBe('/app/processes/obligation/CV-1-OB1');
      expect(await overdue.locator('tbody tr').first().textContent()).toMatch(/Publish the bias test report.*obligation.*System CV-1.*\d{4}-\d\d-\d\d \d\d:\d\d UTC/s);
      const incidents = page.locator('section', { has: page.getByRole('heading', { name: /^Open incidents/ }) });
      expect(await incidents.getByRole('link', { name: 'Skewed shortlist' }).getAttribute('href')).toBe('/app/processes/incident/INC-7');
      const name = `portfolio-${viewport.width}`;
      await checkPage(page, name, viewport);
      if (viewport === PHONE) await checkTouchTargets(page, name, viewport);
      await context.close();
    }
  });
});
