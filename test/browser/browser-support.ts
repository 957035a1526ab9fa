import { spawnSync } from 'node:child_process';
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// What the callbacks of page.evaluate() touch in the page (the tests' tsconfig has no DOM library).
interface PageElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  documentElement: { scrollWidth: number };
  activeElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
};
declare const window: { innerWidth: number };

/** Debian's Chromium (.ci/run installs it); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = resolve('screenshots');
export const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

/**
 * Builds the web app (src/web -> dist/web) when it is missing or older than its sources, as
 * `npm start` does; a lock directory keeps two test files from building at once.
 */
export async function ensureWebBuild(): Promise<string> {
  const lock = resolve('dist/.web-build-lock');
  mkdirSync(resolve('dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000 || Date.now() - statSync(lock).mtimeMs > 120_000)
        rmdirSync(lock, { recursive: true } as never);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const result = spawnSync(process.execPath, ['scripts/build-web-if-stale.mjs'], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('the web app did not build (scripts/build-web-if-stale.mjs)');
  } finally {
    rmdirSync(lock);
  }
  return resolve('dist/web');
}

/** One browser per test file; its context accepts the emulator's self-signed certificate (the service is HTTP). */
export async function openBrowser(): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  // AxeBuilder needs a page of a context made with newContext().
  // Reduced motion: Fluent's buttons then change colour at once, so a check never sees a colour halfway.
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: WIDTHS[0],
    acceptDownloads: true,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { browser, context, page };
}

/** No serious or critical accessibility violation (axe-core) on the page as it is. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect({ page: name, violations: bad }).toEqual({ page: name, violations: [] });
}

/**
 * A screenshot of the page at 1280 and at 390 pixels wide (screenshots/<name>-<width>.png, kept out
 * of git), with the accessibility check at each width; the page is left at 1280.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // No transitions while axe reads the colours: a button enabled mid-check (a run ending) was measured
  // halfway between its disabled and its enabled colour and failed the contrast rule.
  await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' });
  for (const size of [...WIDTHS].reverse()) {
    await page.setViewportSize(size);
    await page.waitForTimeout(100);
    // Nothing may be wider than the screen but a table's own scrolling region.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect({ page: name, width: size.width, overflow }).toEqual({ page: name, width: size.width, overflow: 0 });
    await expectAccessible(page, `${name} at ${size.width}px`);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${size.width}.png`, fullPage: true });
  }
}

/**
 * Presses Tab until the focused element's text (or label) contains `text`, as a keyboard user
 * would; fails after `max` presses.
 */
export async function tabTo(page: Page, text: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el) return '';
      const labelled = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : '';
      return `${el.getAttribute('aria-label') ?? ''} ${labelled ?? ''} ${el.textContent ?? ''}`;
    });
    if (focused.includes(text)) return;
  }
  throw new Error(`Tab did not reach "${text}" within ${max} presses`);
}
