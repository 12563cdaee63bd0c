import type { EscalationPolicy } from '../../domain/policy/types.js';
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PolicySet } from '../../domain/policy/types.js';
import { assessments } from '../support/ethical-reviews.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { checkPage, DESKTOP, openForm, PHONE, postFromPage, submit, tabTo, useWebStack } from '../support/web.js';

const web = useWebStack('web-ballots');
const { stack, suffix, id, signIn } = web;
let policy: PolicySet;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  policy = await defaultPolicy();
});
const alertIn = (page: Page, selector: string) => page.locator(`${selector} [role=alert]`).textContent();

describe('ballots and reviews from the page, by the right person, refused for the wrong one', () => {
  it('the committee ballot: a member votes (abstain offered); a member whose role is withdrawn meanwhile is refused', async () => {
    const rita = await stack.api.tokenFor(id('rita'), 'requester');
    await stack.api.tokenFor(id('cleo'), 'committee_member');
    await stack.api.tokenFor(id('cyrus'), 'committee_member');
    const key = `CA-${suffix}`;
    const started = await stack.api.call('POST', '/committee-approvals', { token: rita, body: { businessKey: key, title: 'Retire the legacy CRM', summary: 'Consolidate on one CRM', urgent: true, urgencyReason: 'contract renewal' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const state = await waitFor('voting to open', async () => {
      const r = await stack.api.call('GET', `/committee-approvals/${key}`, { token: rita });
      return r.body.stage === 'voting' ? r.body : null;
    });
    await waitFor('the item in the inbox table', () => stack.db.process.findFirst({ where: { workflowId: `committee-approval/${key}`, stage: 'voting' } }));

    const cleo = await signIn(id('cleo'));
    const line = cleo.page.locator('li.card', { hasText: 'Retire the legacy CRM' });
    expect(await line.locator('p').nth(1).textContent()).toBe('Cast your ballot on this item, as committee member.');
    await line.getByRole('link').click();
    // What happens next: the reminder the policy's days put before the SLA deadline.
    const { reminderAfterDays, slaBreachAfterDays } = policy.aiGovernance.committee.escalation as Required<EscalationPolicy>;
    const reminderAt = new Date(new Date(state.slaDueAt).getTime() - (slaBreachAfterDays - reminderAfterDays) * 86_400_000).toISOString();
    expect(await cleo.page.locator('ul.next').textContent()).toMatch(new RegExp(`Reminder to committee member, committee chair[^:]*: ${reminderAt.slice(0, 16).replace('T', ' ')} UTC`));
    const form = '#action-votes form';
    expect(await cleo.page.locator(form).getByLabel('abstain').count()).toBe(1);
    await checkPage(cleo.page, 'committee-ballot-phone', PHONE);
    // Keyboard only: Tab to the ballot, Space to choose, Tab to the button, Enter.
    await tabTo(cleo.page, cleo.page.locator(form).getByLabel('approve'));
    await cleo.page.keyboard.press('Space');
    expect(await cleo.page.locator(form).getByLabel('approve').isChecked()).toBe(true);
    await tabTo(cleo.page, cleo.page.locator(form).getByRole('button').last());
    const [answer] = await Promise.all([cleo.page.waitForResponse((r) => r.url().includes('/actions/votes')), cleo.page.keyboard.press('Enter')]);
    expect(answer.status()).toBe(200);
    await cleo.page.getByRole('status').waitFor();
    expect(await cleo.page.getByRole('status').textContent()).toContain('accepted');
    expect(await cleo.page.locator('#process').textContent()).toContain(id('cleo'));

    // Cyrus has the page open when an admin withdraws his committee role: his ballot is refused, and says why.
    const cyrus = await signIn(id('cyrus'));
    await cyrus.page.goto(`/app/processes/committee-approval/${key}`);
    expect((await stack.api.call('POST', '/principals', { token: web.admin, body: { id: id('cyrus'), kind: 'person', roles: ['requester'] } })).status).toBe(201);
    await cyrus.page.locator(form).getByLabel('abstain').check();
    expect(await submit(cyrus.page, form)).toBe(422);
    expect(await cyrus.page.getByRole('alert').textContent()).toMatch(/committee_member/);
    expect(await cyrus.page.locator('#action-votes').count()).toBe(0);
    await checkPage(cyrus.page, 'committee-ballot-refused-phone', PHONE);
    await Promise.all([cleo.context.close(), cyrus.context.close()]);
  });

  it('the ethical review board ballot: a member rules on each review item; the requester who sits on the board is refused (self-approval)', async () => {
    const ria = await stack.api.tokenFor(id('ria'), 'requester', 'ethics_board_member');
    await stack.api.tokenFor(id('eli'), 'ethics_board_member');
    await stack.api.tokenFor(id('erin'), 'enterprise_architect');
    const key = `ERB-${suffix}`;
    const started = await stack.api.call('POST', '/ethical-reviews', {
      token: ria,
      body: { businessKey: key, title: 'CV screening assistant', trigger: 'customer_facing_ai_features', systemDescription: 'Ranks applicants', assessment: assessments.highRisk },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const open = await waitFor('the board review', async () => {
      const r = await stack.api.call('GET', `/ethical-reviews/${key}`, { token: ria });
      return r.body.stage === 'board_review' ? r.body : null;
    });
    const href = `/app/processes/ethical-review/${key}`;

    const aria = await signIn(id('eli'));
    await aria.page.goto(href);
    const form = '#action-votes form';
    expect(await aria.page.locator('ul.next').textContent()).toContain('Escalation to the committee chair');
    await checkPage(aria.page, 'board-ballot-phone', PHONE);
    // One finding with concerns and an approval without conditions: the workflow's rule, beside the form.
    for (const item of open.reviewItems as string[]) {
      await aria.page.locator(form).getByRole('group', { name: item.replace(/_/g, ' ') }).getByLabel(item === 'bias_detection_review' ? 'concerns' : 'satisfactory', { exact: true }).check();
    }
    await aria.page.locator(form).getByLabel('approve').check();
    expect(await submit(aria.page, form)).toBe(422);
    expect(await alertIn(aria.page, '#action-votes')).toMatch(/condition/);
    await aria.page.locator(form).getByRole('textbox', { name: /^conditions/ }).fill('re-run the bias audit after retraining');
    expect(await submit(aria.page, form)).toBe(200);
    await waitFor('the ballot recorded', async () => ((await stack.api.call('GET', `/ethical-reviews/${key}`, { token: ria })).body.ballots.length === 1) || null);

    // The requester holds a board role: her own review offers her no ballot, and one sent anyway is refused.
    const own = await signIn(id('ria'), DESKTOP);
    await own.page.goto(href);
    expect(await own.page.locator('#action-votes').count()).toBe(0);
    await postFromPage(own.page, `${href}/actions/votes`, { ballot: 'approve', ...Object.fromEntries((open.reviewItems as string[]).map((i) => [`findings.${i}`, 'satisfactory'])) });
    expect(await own.page.getByRole('alert').textContent()).toContain('selfApproval');
    await checkPage(own.page, 'board-ballot-self-approval-desktop', DESKTOP);

    // An architect has no seat on the board: no ballot is offered.
    const erin = await signIn(id('erin'));
    await erin.page.goto(href);
    expect(await erin.page.locator('#action-votes').count()).toBe(0);
    await Promise.all([aria, own, erin].map((s) => s.context.close()));
  });

  it('a roadmap phase: the lead is refused his own deliverable (self-approval), the sponsor reviews it, both sign the phase off', async () => {
    const rita = await stack.api.tokenFor(id('rita'), 'requester');
    const leo = await stack.api.tokenFor(id('leo'), 'engagement_lead');
    await stack.api.tokenFor(id('sofia'), 'executive_sponsor');
    const key = `RM-${suffix}`;
    const phase = policy.roadmap.phases[0]!;
    const started = await stack.api.call('POST', '/roadmap-engagements', { token: rita, body: { businessKey: key, title: 'AI roadmap for claims', sponsor: id('sofia'), engagementLead: id('leo'), objectives: ['Cut claims handling time by 30%'] } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const base = `/roadmap-engagements/${key}`;
    const [first, ...others] = phase.deliverables as [string, ...string[]];
    // The requester submits the first deliverable (the lead reviews it); the lead the others (the sponsor reviews those).
    for (const d of phase.deliverables) {
      const res = await stack.api.call('POST', `${base}/deliverables`, { token: d === first ? rita : leo, body: { deliverable: d, title: `${d} v1`, documentRef: `https://dms.example.com/${d}`, contentHash: sha(d), author: d === first ? 'Rita' : id('leo') } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    await waitFor('the submissions on record', async () => ((await stack.db.process.findUnique({ where: { workflowId: `roadmap-engagement/${key}` } }))?.pendingActors.includes(id('sofia')) ?? false) || null);
    const href = `/app/processes/roadmap-engagement/${key}`;
    const reviews = '#action-deliverable-reviews form';

    const lead = await signIn(id('leo'));
    expect(await lead.page.locator('li.card', { hasText: 'AI roadmap for claims' }).locator('p').nth(1).textContent()).toBe(`Submit or review the deliverables of the ${phase.key.replace(/_/g, ' ')} phase.`);
    await lead.page.goto(href);
    await openForm(lead.page, 'action-deliverable-reviews');
    await checkPage(lead.page, 'roadmap-review-phone', PHONE);
    // His own deliverable: refused, naming the rule and who reviews it instead.
    await lead.page.locator(reviews).getByLabel(others[0]!.replace(/_/g, ' ')).check();
    await lead.page.locator(reviews).getByLabel('accept').check();
    expect(await submit(lead.page, reviews)).toBe(422);
    expect(await alertIn(lead.page, '#action-deliverable-reviews')).toContain(`segregation of duties (selfApproval): ${id('leo')} submitted or wrote ${others[0]}`);
    await checkPage(lead.page, 'roadmap-review-refused-phone', PHONE);
    // The requester's: accepted.
    await openForm(lead.page, 'action-deliverable-reviews');
    await lead.page.locator(reviews).getByLabel(first.replace(/_/g, ' ')).check();
    await lead.page.locator(reviews).getByLabel('accept').check();
    expect(await submit(lead.page, reviews)).toBe(200);

    const sponsor = await signIn(id('sofia'));
    await sponsor.page.goto(href);
    for (const d of others) {
      await openForm(sponsor.page, 'action-deliverable-reviews');
      await sponsor.page.locator(reviews).getByLabel(d.replace(/_/g, ' ')).check();
      await sponsor.page.locator(reviews).getByLabel('accept').check();
      expect(await submit(sponsor.page, reviews), d).toBe(200);
    }
    // Every deliverable accepted: the phase's sign-off gate, the sponsor's seat chosen for her.
    const signOff = '#action-sign-offs form';
    await openForm(sponsor.page, 'action-sign-offs');
    await checkPage(sponsor.page, 'roadmap-sign-off-phone', PHONE);
    await sponsor.page.locator(signOff).getByLabel('approve', { exact: true }).check();
    expect(await submit(sponsor.page, signOff)).toBe(200);

    // The requester holds no sign-off role: no sign-off is offered, and one sent anyway is refused.
    const req = await signIn(id('rita'));
    await req.page.goto(href);
    expect(await req.page.locator('#action-sign-offs').count()).toBe(0);
    await postFromPage(req.page, `${href}/actions/sign-offs`, { role: 'engagement_lead', decision: 'approve' });
    expect(await req.page.getByRole('alert').textContent()).toMatch(/engagement_lead/);

    await lead.page.reload();
    await openForm(lead.page, 'action-sign-offs');
    await lead.page.locator(signOff).getByLabel('approve', { exact: true }).check();
    expect(await submit(lead.page, signOff)).toBe(200);
    const state = await waitFor('the phase signed off', async () => {
      const r = await stack.api.call('GET', base, { token: leo });
      return r.body.phases[0].signOffs.length === 2 ? r.body : null;
    });
    expect(state.pendingRoles).toEqual([]);
    await Promise.all([lead, sponsor, req].map((s) => s.context.close()));
  });
});
