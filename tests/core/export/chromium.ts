// Opening an exported run report the way a reader would: Debian's Chromium through playwright-core,
// headless, a fresh profile (removed afterwards), JavaScript disabled, and every request and console
// message recorded (a report must need no script and load nothing).

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where Chromium is (CHROMIUM_PATH overrides, as in tests/e2e). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** True when that Chromium exists. */
export const chromiumAvailable = existsSync(CHROMIUM);
/** Screenshots go with the end-to-end ones (git-ignored). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'e2e', 'screenshots');

/** A report opened in Chromium. */
export interface OpenedReport {
  page: Page;
  /** Every URL the page requested (the file itself, and data: URLs are not network requests). */
  requests: string[];
  /** Console messages and page errors (a CSP violation lands here). */
  console: string[];
  close(): Promise<void>;
}

/** Opens the HTML file at `path` with JavaScript disabled. */
export async function openReport(path: string): Promise<OpenedReport> {
  const profile = mkdtempSync(join(tmpdir(), 'softmax-lab-report-'));
  let context: BrowserContext | null = null;
  const close = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      javaScriptEnabled: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      viewport: { width: 1100, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const requests: string[] = [];
    const console: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    return { page, requests, console, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Saves a full-page screenshot as tests/e2e/screenshots/<name>.png; returns its path. */
export async function reportScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
