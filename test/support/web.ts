import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ARTIFACTS, scrollsSideways, seriousViolations } from './browser.js';
import type { ApiStack } from './stack.js';

export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

/** Signs a principal in through a one-time link, as a newcomer does, in a fresh browser context. */
export async function signIn(stack: ApiStack, browser: Browser, admin: string, principal: string, viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const link = await stack.api.call('POST', `/principals/${principal}/login-links`, { token: admin, body: {} });
  expect(link.status).toBe(201);
  const context = await browser.newContext({ viewport, baseURL: stack.api.url });
  const page = await context.newPage();
  await page.goto(link.body.path);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/app/');
  return { context, page };
}

/** Every page passes axe-core (no serious or critical violations) and, on a phone, never scrolls sideways; a screenshot is kept. */
export async function checkPage(page: Page, name: string, viewport: { width: number }): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  if (viewport.width <= 375) expect(await scrollsSideways(page), `${name} scrolls sideways`).toBe(false);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
