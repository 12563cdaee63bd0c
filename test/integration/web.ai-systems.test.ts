import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/processes.js';
import { checkPage, checkTouchTargets, PHONE, useWebStack } from '../support/web.js';

const web = useWebStack('web-ai-systems');
const { stack, suffix, id } = web;

describe('an AI system and its monitoring review in the web app', () => {
  it("the owner finds the feedback review in her inbox on a phone, concludes it, and the system's page shows it", async () => {
    const { api } = stack;
    const steward = await api.tokenFor(id('stella'), 'ai_system_steward');
    const olga = await api.tokenFor(id('olga'), 'requester');
    const key = `SYS-${suffix}`;
    const registered = await api.call('POST', '/ai-systems', { token: steward, body: { businessKey: key, title: `Claims triage ${suffix}`, purpose: 'Routes insurance claims to handlers', owner: id('olga'), operatorRoles: ['deployer'] } });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect((await api.call('POST', `/ai-systems/${key}/feedback`, { token: olga, body: { from: 'Claimants panel', summary: 'Decisions come without reasons' } })).status).toBe(200);
    const reviewKey = `${key}.stakeholder_feedback_review.1`;
    await waitFor('the feedback review in the record', async () => (await api.call('GET', `/monitoring-reviews?requester=${id('olga')}`, { token: olga })).body.items?.some((i: { businessKey: string }) => i.businessKey === reviewKey));

    const { context, page } = await web.signIn(id('olga'), PHONE);
    const item = page.getByRole('link', { name: `Claims triage ${suffix}: stakeholder feedback review (Claimants panel)` });
    await expect(item.count()).resolves.toBe(1);
    await item.click();
    await page.waitForURL(`**/app/processes/monitoring-review/${reviewKey}`);
    // What prompted it, and the system it is about.
    expect(await page.locator('#process').textContent()).toContain('Claimants panel: Decisions come without reasons');
    expect(await page.getByRole('link', { name: `AI system: ai-system/${key}` }).count()).toBe(1);
    await checkPage(page, 'monitoring-review-phone', PHONE);
    await checkTouchTargets(page, 'monitoring-review-phone', PHONE);

    // Action required but no finding named: the workflow refuses, beside the field.
    const form = page.locator('#action-conclusion form');
    await form.getByLabel('summary').fill('Reasons are missing from 40% of letters');
    await form.getByLabel('action required').check();
    await form.getByRole('button').click();
    await page.locator('#action-conclusion-findings-error').waitFor();
    await page.locator('#action-conclusion form').getByRole('textbox', { name: /^findings/ }).fill('add the main reason to every decision letter');
    await page.locator('#action-conclusion form').getByRole('button').click();
    await page.getByRole('status').waitFor();
    const concluded = await waitFor('the concluded review', async () => {
      const r = await api.call('GET', `/monitoring-reviews/${reviewKey}`, { token: olga });
      return r.body.outcome ? r.body : null;
    });
    expect(concluded).toMatchObject({ outcome: 'action_required', conclusion: { findings: ['add the main reason to every decision letter'] } });

    await waitFor('the review closed on the system', async () => (await api.call('GET', `/ai-systems/${key}`, { token: olga })).body.links?.[0]?.status === 'closed');
    await page.goto(`/app/processes/ai-system/${key}`);
    expect(await page.locator('h1').textContent()).toBe(`Claims triage ${suffix}`);
    expect(await page.getByRole('link', { name: /stakeholder feedback review \(Claimants panel\) \(monitoring review, action required\)/ }).count()).toBe(1);
    await checkPage(page, 'ai-system-phone', PHONE);
    await context.close();
  });
});
