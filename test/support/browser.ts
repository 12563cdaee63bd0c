import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Chromium for the browser tests: CHROMIUM_PATH, else a `chromium` on PATH (Debian's package, which `.ci/run`
 * installs), else Playwright's own download (`npx playwright install chromium`). None is a failure, not a skip.
 */
export function chromiumPath(): string {
  const candidates = [
    process.env.CHROMIUM_PATH,
    ...['chromium', 'chromium-browser', 'google-chrome'].flatMap((name) => (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, name))),
    chromium.executablePath(),
  ];
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) {
    throw new Error('No Chromium found for the browser tests: set CHROMIUM_PATH, install `chromium` (apt-get install -y chromium), or run `npx playwright install chromium`.');
  }
  return found;
}

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (injected, not shipped with the app). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated by the driver, not added as a <script>: the app's CSP rightly refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
    return result.violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Whether the page scrolls sideways (the mobile-first rule: none at 375 px). */
export const scrollsSideways = (page: Page) => page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth') as Promise<boolean>;

/**
 * The visible controls smaller than a 44 × 44 px touch target, described. A checkbox or radio button is measured by
 * its label (the label is what a finger presses). Links inside a paragraph are left out: inline text links in prose
 * take the line's height, and making them 44 px would break the text. Elements placed off-screen (the skip link until
 * focused, a form's hidden default submit) cannot be touched, and those in a closed `<details>` are not visible.
 */
export const smallTouchTargets = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .filter((el) => el.checkVisibility() && !(el.matches('a') && el.closest('p')))
    .map((el) => {
      const target = el.matches('input[type=checkbox], input[type=radio]') ? el.closest('label') ?? el : el;
      const box = target.getBoundingClientRect();
      return { el, box };
    })
    .filter(({ box }) => box.right > 0 && box.bottom > 0 && (box.width < 44 || box.height < 44))
    .map(({ el, box }) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.textContent || el.getAttribute('name') || '').trim().slice(0, 40) + '" ' + Math.round(box.width) + 'x' + Math.round(box.height))`) as Promise<string[]>;

/** How wide the page's content is (more than the viewport is horizontal scrolling). */
export const scrollWidth = (page: Page) => page.evaluate('document.scrollingElement.scrollWidth') as Promise<number>;

export const ARTIFACTS = path.resolve('test-artifacts');
