// What every end-to-end test does to the lab's page, in Chromium (the web page) or in Electron (the
// desktop window): read the status line and the batch readout, wait for a condition, set a number field.
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

/** Types `value` into the number field labelled exactly `label` and presses Enter (which commits it). */
export async function setNumberField(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}
