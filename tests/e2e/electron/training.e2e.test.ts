// Training in the desktop app, driven through the window: Start trains in the utility process (the status
// and the curves advance), a learning-rate change on the slider applies from the next batches mid-run,
// Pause holds; then a picture dropped on the window, and one chosen with the file picker, are classified.
// The dataset is the separable fixture (tests/fixtures). Skipped, with the reason, when no Electron binary.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../harness';
import { binary, readout, setNumberField, status, titled, trainerPid, useDesktopApp, waitFor, warnIfSkipped } from './launch';

warnIfSkipped('training.e2e.test.ts');

const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const PREDICTION = new RegExp(`^Prediction for (\\S+): (${CLASS_NAMES.map((n) => n.replace('/', '\\/')).join('|')}) \\(`);

describe.skipIf(!binary.ok)(titled('training in the desktop app'), () => {
  const fixture = useDesktopApp(); // 2048 training images: 128 batches of 16 an epoch

  it('Start trains in the utility process: status and curves advance, an lr change applies mid-run, Pause holds', async () => {
    const { app, page } = fixture.app;
    expect(await page.evaluate(() => (window as { api?: { platform?: string } }).api?.platform)).toBe('electron');
    const trainer = await trainerPid(app);
    await setNumberField(page, 'Batch size', '16');
    await setNumberField(page, 'Epochs', '40');
    await setNumberField(page, 'Learning rate value', '0.1');
    await page.getByLabel('Pace').selectOption('watch'); // 60 batches/s: about 2 s an epoch
    await expect.poll(() => status(page)).toMatch(/^Ready · Epoch 0\/40/);

    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => status(page)).toMatch(/^Training · /);
    await waitFor(page, async () => Number(await readout(page, 'data-batches')) >= 20, '20 batches');
    expect(await readout(page, 'data-last-lr')).toBe('0.1');

    await page.getByRole('slider', { name: 'Learning rate' }).fill('-0.3'); // 10^-0.3 = 0.501, shown as 0.5
    await waitFor(page, async () => (await readout(page, 'data-last-lr')) === '0.5', 'a batch with lr 0.5');
    const afterChange = Number(await readout(page, 'data-batches'));
    await waitFor(page, async () => Number(await readout(page, 'data-batches')) >= afterChange + 20, '20 more batches');
    expect(await readout(page, 'data-last-lr')).toBe('0.5');
    expect(await page.getByLabel('Learning rate value').inputValue()).toBe('0.5');
    expect(Number(await page.locator('section.curves').getAttribute('data-markers'))).toBeGreaterThanOrEqual(1);

    // Epochs end: the status line says so with d2l's three numbers, and the curves gain points.
    const points = Number(await page.locator('section.curves').getAttribute('data-points'));
    await waitFor(page, async () => Number(await page.getByRole('status').first().getAttribute('data-epochs-done')) >= 1, 'a finished epoch');
    expect(await status(page)).toMatch(/^Training · Epoch \d+\/40 · train loss \d+\.\d\d · train acc \d\.\d\d · test acc \d\.\d\d$/);
    await waitFor(page, async () => Number(await page.locator('section.curves').getAttribute('data-points')) > points, 'more points on the curves');
    expect(await trainerPid(app)).toBe(trainer); // the same utility process trained all along
    await screenshot(page, 'electron-lr-changed');

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => status(page)).toMatch(/^Paused · /);
    const paused = Number(await readout(page, 'data-batches'));
    await page.waitForTimeout(1000);
    expect(Number(await readout(page, 'data-batches'))).toBe(paused);
    expect(await page.getByRole('button', { name: 'Resume' }).isEnabled()).toBe(true);
  });

  it('classifies a picture dropped on the window and one chosen with the file picker', async () => {
    const { page } = fixture.app;
    // A product-photo-like picture made in the page: a dark band on white, off-centre on a larger canvas.
    const bytes = await page.evaluate(async () => {
      const c = document.createElement('canvas');
      c.width = 240;
      c.height = 180;
      const ctx = c.getContext('2d') as CanvasRenderingContext2D;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.fillStyle = '#222';
      ctx.fillRect(30, 60, 150, 22);
      const blob = await new Promise<Blob>((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/png'));
      // Dropped on the "Classify an image" zone, as a synthetic drag and drop (as the web tests do).
      const zone = (document.getElementById('classify-title') as HTMLElement).closest('section') as HTMLElement;
      const dt = new DataTransfer();
      dt.items.add(new File([blob], 'dropped.png', { type: 'image/png' }));
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    });
    const prediction = page.getByRole('region', { name: 'Prediction', exact: true });
    await expect.poll(async () => (await prediction.textContent()) ?? '', { timeout: 15_000 }).toMatch(/^Prediction for dropped\.png: /);
    expect(PREDICTION.exec((await prediction.textContent()) ?? '')?.[1]).toBe('dropped.png');
    const zone = page.getByRole('region', { name: 'Classify an image' });
    expect(await zone.locator('figure.step').count()).toBe(5);

    // The same picture from disk through the zone's file input (the picker a user clicks).
    const picked = join(fixture.tmp, 'picked.png');
    writeFileSync(picked, Buffer.from(bytes));
    await zone.locator('input[type=file]').setInputFiles(picked);
    await expect.poll(async () => (await prediction.textContent()) ?? '', { timeout: 15_000 }).toMatch(/^Prediction for picked\.png: /);
    expect(PREDICTION.exec((await prediction.textContent()) ?? '')?.[1]).toBe('picked.png');
    expect(await zone.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'electron-classified');
    expect(fixture.app.pageErrors).toEqual([]);
  });
});
