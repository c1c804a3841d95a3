// The desktop app's smoke test through playwright-core's _electron: the window opens on app:// (no Node in
// the page, only the bridge), the dataset loads from a tiny fixture folder, Start trains and batches arrive
// from the utility process, and the app quits cleanly. Skipped, with the reason, when no Electron binary.

import { describe, expect, it } from 'vitest';
import { screenshot } from '../harness';
import { binary, datasetReady, readout, skipReason, titled, useDesktopApp, waitFor, warnIfSkipped } from './launch';

warnIfSkipped('app.e2e.test.ts');

describe.skipIf(!binary.ok)(titled('the desktop app'), () => {
  const fixture = useDesktopApp({ train: 256, test: 64 }, { waitForDataset: false });

  it('opens a window, trains, streams batches from the utility process and quits cleanly', async () => {
    const { page } = fixture.app;
    expect(page.url()).toBe('app://renderer/index.html');
    // The page is sandboxed: no Node, only the bridge.
    const globals = await page.evaluate(() => ({ require: typeof (globalThis as { require?: unknown }).require, process: typeof (globalThis as { process?: unknown }).process, api: typeof (window as { api?: unknown }).api }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', api: 'object' });

    await datasetReady(page);
    expect(await page.getByRole('region', { name: 'Dataset' }).innerText()).toMatch(/256 training and 64 test images/);
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(page, async () => Number(await readout(page, 'data-batches')) > 0, 'a first batch');
    expect(await readout(page, 'data-last-lr')).toBe('0.1');
    await screenshot(page, 'electron-training');

    expect(await fixture.app.quit()).toBe(0);
    expect(fixture.app.pageErrors).toEqual([]);
  });
});

it.skipIf(binary.ok)('explains why the desktop e2e tests are skipped', () => {
  expect(skipReason).toMatch(/Electron binary/);
});
