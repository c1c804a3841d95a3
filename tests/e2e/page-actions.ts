// What every end-to-end test does to the lab's page, in Chromium (the web page) or in Electron (the
// desktop window): read the status line and the batch readout, wait for a condition, follow a text while a
// run goes on, set a number field.
// Not a test file: the tests and tests/e2e/electron/launch.ts import it.

import type { Page } from 'playwright-core';

/** The status line's text (role="status"). */
export function status(page: Page): Promise<string> {
  return page.getByRole('status').first().innerText();
}

/** An attribute of the per-batch readout (data-batches, data-last-lr). */
export async function readout(page: Page, name: string): Promise<string> {
  return (await page.getByTestId('batch-readout').getAttribute(name)) ?? '';
}

/** Polls `check` every 100 ms until it holds; past `timeoutMs`, fails saying what it waited for and the status line. */
export async function waitFor(page: Page, check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; status: ${await status(page).catch(() => '?')}`);
    await page.waitForTimeout(100);
  }
}

/**
 * While a run goes on: the texts the element matching `selector` showed, sampled every `everyMs` until the
 * status line says Done; past `timeoutMs`, fails with the status line.
 */
export async function textsUntilDone(page: Page, selector: string, everyMs: number, timeoutMs: number): Promise<Set<string>> {
  const seen = new Set<string>();
  const end = Date.now() + timeoutMs;
  for (;;) {
    const sample = await page.evaluate((sel) => ({
      text: document.querySelector(sel)?.textContent ?? '',
      status: document.querySelector('[role="status"]')?.textContent ?? '',
    }), selector);
    seen.add(sample.text);
    if (/^Done/.test(sample.status)) return seen;
    if (Date.now() > end) throw new Error(`timed out training; status ${sample.status}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Types `value` into the number field labelled exactly `label` and presses Enter (which commits it). */
export async function setNumberField(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}
