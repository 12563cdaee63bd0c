import { describe, expect, it } from 'vitest';
import { compileAndStoreReport } from '../../activities/reports.js';
import { checkPage, PHONE, useWebStack } from '../support/web.js';

const web = useWebStack('web-reports');
const { stack, suffix, id, signIn } = web;
const DAY = 86_400_000;

describe('reports in the web app', () => {
  it("shows an engagement's board report to its sponsor, readable on a phone, and refuses it to another sponsor", async () => {
    const sponsor = id('sara');
    await stack.api.tokenFor(sponsor, 'executive_sponsor');
    await stack.api.tokenFor(id('otto'), 'executive_sponsor');
    const engagement = `roadmap-engagement/RM-${suffix}`;
    const child = `architecture-review/RM-${suffix}-ARCH`;
    // The engagement and its child as their records hold them (the workflows are exercised elsewhere).
    await stack.db.process.create({
      data: {
        workflowId: engagement, kind: 'roadmap_engagement', businessKey: `RM-${suffix}`, title: 'Roadmap 2027', requester: 'rita', stage: 'phase_1_assessment', policyVersion: 'fixture', pendingRoles: [], createdAt: new Date(Date.now() - 60 * DAY),
        state: { sponsor, engagementLead: id('lena'), children: [{ workflowId: child }], phases: [] },
      },
    });
    await stack.db.process.create({
      data: { workflowId: child, kind: 'architecture_review', businessKey: `RM-${suffix}-ARCH`, title: 'Data platform review', requester: 'rita', stage: 'in_review', policyVersion: 'fixture', pendingRoles: ['security_architect'], slaDueAt: new Date(Date.now() - 2 * DAY), state: {} },
    });
    await stack.db.decision.create({ data: { workflowId: child, eventKey: '1', actor: 'tom', role: 'technical_lead', verdict: 'approve', justification: 'fits the platform strategy', conditions: ['load test at 10x'], evidence: [], decidedAt: new Date(Date.now() - DAY) } });
    const { id: reportId } = await compileAndStoreReport(stack.db, { scheduleId: `board:${engagement}`, kind: 'board_reporting', scope: engagement, periodStart: new Date(Date.now() - 30 * DAY).toISOString(), periodEnd: new Date().toISOString(), template: 'board_report' });

    const sara = await signIn(sponsor);
    await sara.page.goto(`/app/reports?scope=${encodeURIComponent(engagement)}`);
    await sara.page.getByRole('link', { name: 'board reporting' }).click();
    await sara.page.waitForURL(`**/app/reports/${reportId}`);
    expect(await sara.page.getByRole('heading', { level: 1 }).textContent()).toBe('Board report: Roadmap 2027');
    // Red, and why: the review is past its deadline.
    expect(await sara.page.getByRole('status').textContent()).toMatch(/Status: Red.*1 item\(s\) past their deadline: Data platform review/s);
    const decisions = sara.page.locator('h2:has-text("Decisions") + ul li');
    expect(await decisions.count()).toBe(1);
    expect(await decisions.first().textContent()).toMatch(/Data platform review: approve by tom as technical lead, \d{4}-\d\d-\d\d — fits the platform strategy\s*Conditions: load test at 10x/);
    expect(await sara.page.locator('h2:has-text("Risks") + table tbody tr').first().textContent()).toMatch(/Data platform review.*past its deadline.*high.*new/s);
    // A page to read: its links sit in sentences (WCAG 2.5.8's inline exception), so no touch-target check here.
    await checkPage(sara.page, 'board-report-phone', PHONE);
    await sara.context.close();

    const otto = await signIn(id('otto'));
    const refused = await otto.page.goto(`/app/reports/${reportId}`);
    expect(refused?.status()).toBe(403);
    expect(await otto.page.getByRole('alert').textContent()).toContain(`you are not the requester, sponsor or lead of ${engagement}`);
    await otto.context.close();
  });
});
