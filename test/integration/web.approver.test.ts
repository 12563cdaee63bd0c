import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/processes.js';
import { checkPage, checkTouchTargets, DESKTOP, PHONE, useWebStack } from '../support/web.js';

const web = useWebStack('web-approver');
const { stack, suffix, id, signIn } = web;
const CRITERIA = ['architectural_principle_compliance', 'scalability_validation', 'security_assessment_approval', 'maintainability_review_pass'];

describe('the approvers’ web app, in a real browser on the real stack', () => {
  it('a reviewer approves with conditions on a phone; the review completes; the requester sees it; a wrong role sees no action', async () => {
    const { api } = stack;
    const tokens = {
      rita: await api.tokenFor(id('rita'), 'requester'),
      tom: await api.tokenFor(id('tom'), 'technical_lead'),
      erin: await api.tokenFor(id('erin'), 'enterprise_architect'),
      sam: await api.tokenFor(id('sam'), 'security_architect'),
      dora: await api.tokenFor(id('dora'), 'domain_expert'),
      cora: await api.tokenFor(id('cora'), 'committee_member'),
      cleo: await api.tokenFor(id('cleo'), 'committee_chair'),
    };
    const key = `WEB-${suffix}`;
    // A hostile title shows as text.
    const title = '<script>alert(1)</script> Payments redesign';
    // Rita starts it from the start form on her phone; a field left empty is named beside it.
    const start = await signIn(id('rita'), PHONE);
    await start.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Start' }).click();
    await start.page.getByRole('link', { name: 'architecture review' }).click();
    await checkPage(start.page, 'start-phone', PHONE);
    await checkTouchTargets(start.page, 'start-phone', PHONE);
    const startForm = start.page.locator('#start-architecture_review form');
    await startForm.getByRole('button').click();
    expect(await start.page.locator('#start-architecture_review-title-error').textContent()).toContain('required');
    await start.page.locator('#start-architecture_review form').getByLabel('business key').fill(key);
    await start.page.locator('#start-architecture_review form').getByLabel('title').fill(title);
    await start.page.locator('#start-architecture_review form').getByLabel('new system design').check();
    await start.page.locator('#start-architecture_review form').getByLabel('system description').fill('Event-sourced payments core');
    await start.page.locator('#start-architecture_review form').getByRole('textbox', { name: /^evidence/ }).fill('https://wiki.example.com/adr/42');
    await start.page.locator('#start-architecture_review form').getByRole('button').click();
    await start.page.waitForURL(`**/app/processes/architecture-review/${key}`);
    expect(await start.page.locator('h1').textContent()).toBe(title);
    await start.context.close();
    for (const [who, role] of [['sam', 'security_architect'], ['erin', 'enterprise_architect'], ['dora', 'domain_expert']] as const) {
      const voted = await api.call('POST', `/architecture-reviews/${key}/votes`, { token: tokens[who], body: { role, rulings: Object.fromEntries(CRITERIA.map((c) => [c, 'approve'])) } });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    }

    // Tom, on a phone: the inbox lists the review, with the tab title counting it.
    const tom = await signIn(id('tom'), PHONE);
    const inbox = tom.page;
    // (Other test files share the database: count what the page lists, not a fixed number.)
    const listed = await inbox.locator('ul.items > li').count();
    await expect(inbox.title()).resolves.toBe(`(${listed}) Inbox · govflow`);
    const item = inbox.getByRole('link', { name: title });
    await expect(item.count()).resolves.toBe(1);
    expect(await inbox.locator('script', { hasText: 'alert(1)' }).count()).toBe(0);
    await checkPage(inbox, 'inbox-phone', PHONE);
    await checkTouchTargets(inbox, 'inbox-phone', PHONE);

    await item.click();
    await inbox.waitForURL(`**/app/processes/architecture-review/${key}`);
    const form = inbox.locator('#action-votes form');
    await checkPage(inbox, 'review-phone', PHONE);
    await checkTouchTargets(inbox, 'review-phone', PHONE);

    // An approval with conditions but none listed: the workflow's validator refuses, beside the field.
    for (const c of CRITERIA) await form.getByRole('group', { name: c.replace(/_/g, ' ') }).getByLabel(c === 'scalability_validation' ? 'approve with conditions' : 'approve', { exact: true }).check();
    await form.getByLabel('justification').fill('capacity plan needed');
    const navigations: string[] = [];
    inbox.on('framenavigated', (f) => f === inbox.mainFrame() && navigations.push(f.url()));
    await form.getByRole('button').click();
    await inbox.locator('#action-votes-conditions-error').waitFor();
    expect(await inbox.locator('#action-votes-conditions-error').textContent()).toContain('at least one condition');
    await checkPage(inbox, 'review-error-phone', PHONE);

    // The values survive; add the condition and vote again: accepted, updated in place (no navigation).
    expect(await form.getByLabel('justification').inputValue()).toBe('capacity plan needed');
    await inbox.locator('#action-votes form').getByRole('textbox', { name: /^conditions/ }).fill('load test at 10x before go-live');
    await inbox.locator('#action-votes form').getByRole('button').click();
    await inbox.getByRole('status').waitFor();
    expect(navigations).toEqual([]);
    const review = await waitFor('the review to complete', async () => {
      const r = await api.call('GET', `/architecture-reviews/${key}`, { token: tokens.rita });
      return r.body.outcome ? r.body : null;
    });
    expect(review.outcome).toBe('approved_with_conditions');
    await tom.context.close();

    // Rita, the requester, on a desktop: sees the outcome, the conditions and the timeline; no action on a closed review.
    const rita = await signIn(id('rita'), DESKTOP);
    await rita.page.goto(`/app/processes/architecture-review/${key}`);
    const facts = await rita.page.locator('dl.facts').textContent();
    expect(facts).toContain('approved with conditions');
    expect(await rita.page.getByText('load test at 10x before go-live').count()).toBeGreaterThan(0);
    expect(await rita.page.locator('form[hx-post]').count()).toBe(0);
    await checkPage(rita.page, 'review-outcome-desktop', DESKTOP);
    await rita.context.close();

    // The committee chair: the next meeting's agenda with its papers and quorum, and the review's audit trail.
    const committeeItem = await api.call('POST', '/committee-approvals', { token: tokens.rita, body: { businessKey: `CA-${suffix}`, title: 'Vendor consolidation', summary: 'Retire two of three CRMs' } });
    expect(committeeItem.status).toBe(201);
    await waitFor('the committee item on record', () => stack.db.process.findUnique({ where: { workflowId: `committee-approval/CA-${suffix}` } }));
    const cleo = await signIn(id('cleo'), PHONE);
    // Wait for the committee's page itself, not only the click (the agenda below must not be looked for on the inbox).
    await Promise.all([cleo.page.waitForURL('**/app/committee'), cleo.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Committee' }).click()]);
    const agenda = cleo.page.locator('li.card', { hasText: 'Vendor consolidation' });
    // On a loaded machine the page may be served before the item's first record is complete: look again.
    await waitFor('the item on the agenda', async () => {
      if ((await agenda.count()) > 0) return true;
      await cleo.page.goto('/app/committee');
      return null;
    }, 60_000, 1000);
    expect(await agenda.textContent()).toMatch(/Ballots 0 of \d+ · quorum \d+ not yet met/);
    await checkPage(cleo.page, 'committee-phone', PHONE);
    await cleo.page.goto(`/app/processes/architecture-review/${key}`);
    await cleo.page.getByRole('link', { name: /Audit trail/ }).click();
    expect(await cleo.page.getByRole('status').textContent()).toMatch(/The audit log verifies: \d+ entries, none altered/);
    expect(await cleo.page.locator('ol.timeline li', { hasText: 'voted' }).count()).toBe(4);
    await checkPage(cleo.page, 'audit-phone', PHONE);
    await cleo.context.close();

    // A committee member has no seat on an architecture review: no action is offered.
    const other = await api.call('POST', '/architecture-reviews', {
      token: tokens.rita,
      body: { businessKey: `${key}-2`, title: 'Another review', trigger: 'new_system_design', systemDescription: 'x', evidence: [] },
    });
    expect(other.status).toBe(201);
    const cora = await signIn(id('cora'), PHONE);
    // Her inbox holds the committee item, not the review.
    expect(await cora.page.getByRole('link', { name: 'Vendor consolidation' }).count()).toBe(1);
    expect(await cora.page.getByRole('link', { name: 'Another review' }).count()).toBe(0);
    await cora.page.goto(`/app/processes/architecture-review/${key}-2`);
    expect(await cora.page.locator('h1').textContent()).toBe('Another review');
    expect(await cora.page.locator('form[hx-post]').count()).toBe(0);
    await checkPage(cora.page, 'review-no-action-phone', PHONE);
    await cora.context.close();
  });
});
