import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { ARTIFACTS, launchBrowser, scrollsSideways, scrollWidth, seriousViolations, smallTouchTargets } from './browser.js';
import { useApiStack, type ApiStack } from './stack.js';

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

export interface WebStack {
  stack: ApiStack;
  browser: Browser;
  /** An admin's token (issues the sign-in links). */
  admin: string;
  /** Principal IDs and business keys unique to the file (other files share the database). */
  suffix: string;
  id(name: string): string;
  /** Signs the principal in through a one-time link, on a phone unless told otherwise. */
  signIn(principal: string, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
}

/** For a browser test file: the API stack, a Chromium and an admin, started before the file's tests. */
export function useWebStack(name: string): WebStack {
  const stack = useApiStack(name);
  const suffix = randomUUID().slice(0, 6);
  const web = { stack, suffix, id: (n: string) => `${n}-${suffix}` } as WebStack;
  web.signIn = (principal, viewport = PHONE) => signIn(stack, web.browser, web.admin, principal, viewport);
  beforeAll(async () => {
    web.browser = await launchBrowser();
    web.admin = await stack.api.tokenFor(web.id('admin'), 'admin');
  });
  afterAll(async () => web.browser?.close());
  return web;
}

/** Every page passes axe-core (no serious or critical violations) and, on a phone, never scrolls sideways; a screenshot is kept. */
export async function checkPage(page: Page, name: string, viewport: { width: number }): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  if (viewport.width <= 375) expect(await scrollsSideways(page), `${name} scrolls sideways`).toBe(false);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** On a phone: every visible control is a touch target of at least 44 × 44 px, and nothing scrolls sideways. */
export async function checkTouchTargets(page: Page, name: string, viewport: { width: number }): Promise<void> {
  expect(await smallTouchTargets(page), `${name}: touch targets under 44 px`).toEqual([]);
  expect(await scrollWidth(page), `${name} scrolls sideways`).toBeLessThanOrEqual(viewport.width);
}

/** Presses a form's submit button and waits for the action's answer (htmx swaps it in place). */
export async function submit(page: Page, formSelector: string): Promise<number> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/actions/')), page.locator(formSelector).getByRole('button').last().click()]);
  await page.waitForLoadState();
  return res.status();
}

/**
 * Sends an action the page does not offer, as an old page or a hand-made form would, with the session's CSRF
 * token; the browser shows the answer.
 */
export async function postFromPage(page: Page, action: string, fields: Record<string, string>): Promise<void> {
  const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
  const data = JSON.stringify({ action, fields: { ...fields, _csrf: csrf } });
  // A string, evaluated in the page (this file is not compiled against the DOM).
  const script = `(({ action, fields }) => {
    const form = Object.assign(document.createElement('form'), { method: 'post', action });
    for (const [name, value] of Object.entries(fields)) form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }));
    document.body.append(form);
    form.submit();
  })(${data})`;
  await Promise.all([page.waitForURL(`**${action}`), page.evaluate(script)]);
}

/** Opens an action's form (a page offering several actions shows them folded). */
export async function openForm(page: Page, id: string): Promise<void> {
  if ((await page.locator(`#${id}`).getAttribute('open')) === null) await page.locator(`#${id} > summary`).click();
}

/** Presses Tab until `target` has the focus (keyboard only: every control must be reachable so). */
export async function tabTo(page: Page, target: Locator, most = 100): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await target.evaluate((el, active) => el === active, await page.evaluateHandle('document.activeElement'))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${String(target)} is not reachable with the Tab key within ${most} presses`);
}
