import { beforeAll, describe, expect, it } from 'vitest';
import { humanize } from '../../web/html.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { checkPage, checkTouchTargets, PHONE, useWebStack } from '../support/web.js';

const web = useWebStack('web-start-forms');
const { stack, suffix, id } = web;

beforeAll(async () => {
  await stack.api.tokenFor(id('rita'), 'requester');
  await stack.api.tokenFor(id('bea'), 'business_sponsor');
  await stack.api.tokenFor(id('tom'), 'technical_lead');
});

describe('start forms for nested bodies, generated from the zod schemas and the policy', () => {
  it('starts an ethical review from the AI compliance questionnaire (Annex III, Art. 50, evidence rows), errors beside their field', async () => {
    const { context, page } = await web.signIn(id('rita'));
    await page.goto('/app/start');
    await page.getByRole('link', { name: 'ethical review' }).click();
    const form = page.locator('#start-ethical_review form');
    // Help text from the catalogue: the Annex III areas by title, the Art. 5 practices with their point and date.
    await form.getByRole('checkbox', { name: /^4\. Employment/ }).waitFor();
    expect(await form.getByRole('group', { name: /prohibited practices/ }).textContent()).toContain('Art. 5(1)(c)');
    await checkPage(page, 'start-ethical-review-phone', PHONE);
    await checkTouchTargets(page, 'start-ethical-review-phone', PHONE);

    const key = `ERB-${suffix}`;
    await form.getByLabel('business key').fill(key);
    await form.getByLabel('title', { exact: true }).fill('CV screening assistant');
    await form.getByLabel('customer facing ai features').check();
    await form.getByLabel('system description').fill('Ranks job applicants for recruiters');
    await form.getByLabel('system', { exact: true }).fill('CV screening assistant');
    await form.getByRole('checkbox', { name: /^4\. Employment/ }).check();
    await form.getByRole('checkbox', { name: 'interacts with natural persons' }).check();
    const evidence = form.getByRole('group', { name: 'evidence 1' });
    await evidence.getByLabel('item').selectOption('human_oversight_implemented');
    await evidence.getByLabel('implemented', { exact: true }).check();
    await evidence.getByRole('textbox', { name: /^references/ }).fill('DOC-7');
    await form.getByLabel('default', { exact: true }).fill('ai-governance@example.com');
    // No assessment date: refused by the schema, named by its path at the top and shown beside the field.
    await form.getByRole('button', { name: 'Start ethical review' }).last().click();
    await page.locator('#start-ethical_review-assessment-assessmentDate-error').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('assessment › assessment date');
    await checkPage(page, 'start-ethical-review-error-phone', PHONE);
    await checkTouchTargets(page, 'start-ethical-review-error-phone', PHONE);

    // What was filled in survives the refusal.
    expect(await form.getByRole('checkbox', { name: /^4\. Employment/ }).isChecked()).toBe(true);
    expect(await form.getByRole('group', { name: 'evidence 1' }).getByLabel('item').inputValue()).toBe('human_oversight_implemented');
    await form.getByLabel('assessment date').fill('2026-11-24');
    await form.getByRole('button', { name: 'Start ethical review' }).last().click();
    await page.waitForURL(`**/app/processes/ethical-review/${key}`);
    const state = await waitFor('the compliance engine to classify it', async () => {
      const r = await stack.api.call('GET', `/ethical-reviews/${key}`, { token: web.admin });
      return r.body.riskTier ? r.body : null;
    });
    expect(state.riskTier).toBe('high_risk');
    await context.close();
  });

  it('starts a performance assessment asking each dimension for its own criteria from the policy and shows its result', async () => {
    const { dimensions } = (await defaultPolicy()).performanceAssessment;
    const { context, page } = await web.signIn(id('tom'));
    await page.goto('/app/start');
    await page.getByRole('link', { name: 'performance assessment' }).click();
    const form = page.locator('#start-performance_assessment form');
    await checkPage(page, 'start-performance-assessment-phone', PHONE);
    await checkTouchTargets(page, 'start-performance-assessment-phone', PHONE);

    const key = `PA-${suffix}`;
    await form.getByLabel('business key').fill(key);
    await form.getByLabel('title', { exact: true }).fill('Ann, second half of 2026');
    await form.getByLabel('subject').fill('ann');
    await form.getByLabel('period').fill('2026-H2');
    for (const d of dimensions) {
      const dimension = form.getByRole('group', { name: humanize(d.key), exact: true });
      for (const c of d.factors) {
        const criterion = dimension.getByRole('group', { name: humanize(c), exact: true });
        await criterion.getByLabel('current', { exact: true }).fill('3');
        await criterion.getByLabel('target', { exact: true }).fill('4');
      }
    }
    await form.getByRole('button', { name: 'Start performance assessment' }).last().click();
    await page.waitForURL(`**/app/processes/performance-assessment/${key}`);
    const state = await waitFor('the assessment to be evaluated', async () => {
      const r = await stack.api.call('GET', `/evaluations/performance-assessments/${key}`, { token: web.admin });
      return r.body.outcome ? r.body : null;
    });
    const requested = state.events.find((e: { action: string }) => e.action === 'evaluation_requested');
    expect(requested.details.input.levels[dimensions[0]!.key][dimensions[0]!.factors[0]!]).toEqual({ current: 3, target: 4 });
    await page.reload();
    expect(await page.locator('main').textContent()).toContain(humanize(state.outcome));
    await context.close();
  });

  it('starts a PoC proposal with success-metric rows added and removed (no JavaScript needed), row errors named by path', async () => {
    const withJs = await web.signIn(id('rita'));
    await withJs.page.goto('/app/start/poc-scale-up');
    await checkPage(withJs.page, 'start-poc-phone', PHONE);
    await checkTouchTargets(withJs.page, 'start-poc-phone', PHONE);
    await withJs.context.close();

    // Without JavaScript (axe needs it, so it ran above): the Add and Remove buttons post the form back.
    const context = await web.browser.newContext({ viewport: PHONE, baseURL: stack.api.url, javaScriptEnabled: false });
    const link = await stack.api.call('POST', `/principals/${id('rita')}/login-links`, { token: web.admin, body: {} });
    const page = await context.newPage();
    await page.goto(link.body.path);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/app/');
    await page.goto('/app/start/poc-scale-up');
    const form = page.locator('#start-poc_scale_up form');
    const key = `POC-${suffix}`;
    await form.getByLabel('business key').fill(key);
    await form.getByLabel('title', { exact: true }).fill('Semantic search for support');
    await form.getByLabel('hypothesis').fill('Semantic search lifts self-service resolution');
    await form.getByLabel('expected impact').fill('Fewer support tickets');
    const metric = (n: number) => form.getByRole('group', { name: `success metrics ${n}`, exact: true });
    await metric(1).getByLabel('name').fill('resolution_uplift_pct');
    await metric(1).getByLabel('target').fill('10');
    await form.getByRole('button', { name: 'Add success metrics' }).click();
    await metric(2).getByLabel('name').fill('p95_latency_ms');
    await metric(2).getByLabel('at most').check();
    await form.getByRole('button', { name: 'Add success metrics' }).click();
    await metric(3).getByLabel('name').fill('dropped_metric');
    expect(await metric(1).getByLabel('target').inputValue()).toBe('10');
    await form.getByLabel('business sponsor').fill(id('bea'));
    await form.getByLabel('core', { exact: true }).check();
    await form.getByLabel('medium').check();
    await form.getByRole('group', { name: 'high potential impact' }).getByLabel('met').check();

    // The second row has no target: refused, beside that row's field and named by its path.
    await form.getByRole('button', { name: 'Start poc scale up' }).last().click();
    await page.locator('#start-poc_scale_up-proposal-successMetrics-1-target-error').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('proposal › success metrics › 2 › target');

    // The third row goes; the second gets its target; started.
    await form.getByRole('button', { name: 'Remove success metrics 3' }).click();
    expect(await metric(3).count()).toBe(0);
    await metric(2).getByLabel('target').fill('300');
    await form.getByRole('button', { name: 'Start poc scale up' }).last().click();
    await page.waitForURL(`**/app/processes/poc-scale-up/${key}`);
    const state = (await stack.api.call('GET', `/poc-scale-ups/${key}`, { token: web.admin })).body;
    expect(state.proposal.successMetrics).toEqual([
      { name: 'resolution_uplift_pct', target: 10, direction: 'at_least' },
      { name: 'p95_latency_ms', target: 300, direction: 'at_most' },
    ]);
    expect(state.events.find((e: { action: string }) => e.action === 'started').details.selfAssessment).toEqual({ high_potential_impact: { met: true } });
    await context.close();
  });
});
