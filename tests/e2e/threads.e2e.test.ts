// End-to-end (issue 15): the web page trains on more than one thread. The preview server makes the page
// cross-origin isolated (COOP + COEP), so the trainer's Web Worker can share the kernels' memory with helper
// Web Workers, and the dataset readout names the thread count with the kernel; a page served without those
// headers trains on one thread and says why. One epoch at full speed ends with d2l's numbers either way.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openLab, startPreview, type Lab, type PreviewServer } from './harness';

let server: PreviewServer;
const labs: Lab[] = [];

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  for (const lab of labs) await lab.close();
  await server?.stop();
});

/** The dataset readout's line, once the dataset is in. */
async function readout(page: Page): Promise<string> {
  const region = page.getByRole('region', { name: 'Dataset' });
  await page.locator('section.dataset[data-status="ready"]').waitFor({ timeout: 90_000 });
  return region.innerText();
}

/** Trains one epoch at full speed and returns the status line at its end. */
async function oneEpoch(page: Page): Promise<string> {
  const epochs = page.getByLabel('Epochs', { exact: true });
  await epochs.fill('1');
  await epochs.press('Enter');
  await page.getByRole('button', { name: 'Full speed' }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.waitForFunction(() => /^Done · Epoch 1\/1/.test(document.querySelector('[role="status"]')?.textContent ?? ''), null, { timeout: 120_000 });
  return page.getByRole('status').first().innerText();
}

describe('threads on the web page', () => {
  it('a cross-origin isolated page trains on all cores but one, at most two threads, and the readout says so', async () => {
    const lab = await openLab(server.url);
    labs.push(lab);
    const { page } = lab;
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const threads = Math.max(1, Math.min(2, cores - 1)); // core/kernels/pool.ts windowThreadCount: a core left to the page
    expect(await readout(page)).toContain(`kernel fast (wasm SIMD, ${threads} thread${threads === 1 ? '' : 's'})`);
    expect(await oneEpoch(page)).toMatch(/test acc 0\.7\d|test acc 0\.8\d/);
  }, 240_000);

  it('a page served without COOP/COEP trains on one thread and says why where it would have used more', async () => {
    const lab = await openLab(server.url, {
      beforeLoad: (page) => void page.route('**/*', async (route) => {
        const res = await route.fetch();
        const headers = { ...res.headers() };
        delete headers['cross-origin-opener-policy'];
        delete headers['cross-origin-embedder-policy'];
        await route.fulfill({ response: res, headers });
      }),
    });
    labs.push(lab);
    const { page } = lab;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    // Where the window would use helper threads (three cores or more), the readout says why it cannot;
    // on two cores the window trains on one thread anyway (a core left to the page), with nothing to explain.
    const wanted = Math.max(1, Math.min(2, (await page.evaluate(() => navigator.hardwareConcurrency)) - 1));
    expect(await readout(page)).toContain(wanted > 1 ? 'kernel fast (wasm SIMD, 1 thread: this page is not cross-origin isolated, so it cannot share memory)' : 'kernel fast (wasm SIMD, 1 thread)');
    expect(await oneEpoch(page)).toMatch(/test acc 0\.7\d|test acc 0\.8\d/);
  }, 240_000);
});
