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

export const ARTIFACTS = path.resolve('test-artifacts');
