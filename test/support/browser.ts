import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './gateway.mjs';

/** Debian's Chromium: the tests drive the system browser and never download one. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(ROOT, 'artifacts', 'screenshots');

export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 390, height: 844 };
export const SMALL_MOBILE = { width: 360, height: 740 };

/**
 * The browser shares two CPU cores with the gateway and other test runs, so waits are generous; tests wait
 * on selectors and test ids, never on fixed sleeps.
 */
export const BROWSER_TIMEOUT_MS = 30_000;

/** One headless Chromium per test file; close it in `afterAll`. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh context (own cookies, storage and viewport) and page with the suite's default timeouts. */
export async function newPage(browser: Browser, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(BROWSER_TIMEOUT_MS);
  return context.newPage();
}

/**
 * Saves a PNG as `artifacts/screenshots/<name>.png` (artifacts/ is git-ignored) and returns its path. Full page
 * by default; `fullPage: false` keeps just the viewport, which is what a shopper sees of a fixed-position modal.
 */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage, animations: 'disabled', caret: 'hide' });
  return path;
}
