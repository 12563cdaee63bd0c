import { describe, expect, it } from 'vitest';
import { checkPage, checkTouchTargets, DESKTOP, PHONE, useWebStack } from '../support/web.js';
import { technologyProposal } from '../support/proposals.js';

const web = useWebStack('web-tech-radar');

describe('the technology radar page', () => {
  it("shows each ring's entries, the move of an approved proposal and its history, on a phone and a desktop", async () => {
    const rita = web.id('rita');
    const token = await web.stack.api.tokenFor(rita, 'requester');
    const technology = `Stream processor ${web.suffix}`;
    const proposal = (score: number) => technologyProposal(technology, score);
    for (const [i, score] of [7, 9].entries()) {
      const res = await web.stack.api.call('POST', '/evaluations/technology-proposals', { token, body: { businessKey: web.id(`TP${i}`), title: `Proposal ${i}`, input: proposal(score) } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    for (const viewport of [PHONE, DESKTOP]) {
      const { context, page } = await web.signIn(rita, viewport);
      await page.getByRole('link', { name: 'Radar' }).click();
      await page.waitForURL('**/app/tech-radar');
      const adopt = page.locator('section', { has: page.getByRole('heading', { name: /^Adopt/ }) });
      const card = adopt.locator('li.card', { hasText: technology });
      await card.getByText('moved in').waitFor();
      expect(await card.locator('.meta').textContent()).toMatch(/^Platforms · moved in · \d{4}-/);
      await card.getByText('History (1 earlier)').click();
      await card.getByText(/Trial — approved/).waitFor();
      await card.getByRole('link', { name: `Decision: ${technology}` }).click();
      await page.waitForURL(`**/app/processes/technology-proposal-evaluation/${web.id('TP1')}`);
      await page.goBack();
      const name = `tech-radar-${viewport.width}`;
      await checkPage(page, name, viewport);
      if (viewport === PHONE) await checkTouchTargets(page, name, viewport);
      await context.close();
    }
  });
});
