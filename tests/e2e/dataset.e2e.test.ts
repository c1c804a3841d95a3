// End-to-end (issue 5): the offline path and model files. With the server's dataset folder empty the
// page explains what it looked for and how to get the files; picking the four real files loads them.
// After a short run, Save model downloads a model file, and Open model brings those weights back.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openLab, screenshot, startPreview, type Lab, type PreviewServer } from './harness';

const SYSTEM_DIR = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const NAMES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

let empty: string;
let downloads: string;
let server: PreviewServer;
let lab: Lab;
let page: Page;

const status = (): Promise<string> => page.getByRole('status').first().innerText();

/** Every heatmap's pixels, as one array (to compare weights before and after). */
async function heatmapPixels(): Promise<number[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll<HTMLCanvasElement>('.heatmap canvas'))
    .flatMap((c) => Array.from((c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, 28, 28).data)));
}

beforeAll(async () => {
  empty = mkdtempSync(join(tmpdir(), 'softmax-lab-no-data-'));
  downloads = mkdtempSync(join(tmpdir(), 'softmax-lab-downloads-'));
  server = await startPreview({ FASHION_MNIST_DIR: empty });
  lab = await openLab(server.url);
  page = lab.page;
});

afterAll(async () => {
  await lab?.close();
  await server?.stop();
  rmSync(empty, { recursive: true, force: true });
  rmSync(downloads, { recursive: true, force: true });
});

describe('the dataset when the server has none, and model files', () => {
  it('explains where it looked and the way out', async () => {
    const region = page.getByRole('region', { name: 'Dataset' });
    await page.locator('section.dataset[data-status="error"]').waitFor({ timeout: 60_000 });
    const text = await region.innerText();
    expect(text).toContain('The dataset could not be loaded');
    expect(text).toContain(`${empty} (FASHION_MNIST_DIR)`);
    expect(text).toContain('/dataset/ (the page\'s server), which searched:');
    expect(text).toContain('sudo apt install dataset-fashion-mnist');
    expect(text).toContain('Pick the four files');
    expect(await status()).toBe('The dataset could not be loaded');
    expect(await page.getByRole('button', { name: 'Start' }).isDisabled()).toBe(true);
    await screenshot(page, '10-no-dataset');
  });

  it('loads the four files the user picks', async () => {
    const input = page.locator('section.dataset input[type="file"]');
    await input.setInputFiles(NAMES.slice(0, 2).map((n) => join(SYSTEM_DIR, `${n}.gz`)));
    await expect.poll(() => page.getByRole('region', { name: 'Dataset' }).innerText()).toContain('Still missing: t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte');
    await input.setInputFiles(NAMES.map((n) => join(SYSTEM_DIR, `${n}.gz`)));
    await page.locator('section.dataset[data-status="ready"]').waitFor({ timeout: 90_000 });
    expect(await page.getByRole('region', { name: 'Dataset' }).innerText()).toMatch(/60000 training and 10000 test images · the files you picked/);
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/10/);
  });

  it('saves the model as a download and opens it again', async () => {
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByLabel('Epochs', { exact: true }).press('Enter');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(status, { timeout: 60_000 }).toMatch(/^Done · Epoch 1\/1/);
    await page.waitForTimeout(300); // the last weight snapshot is painted within 100 ms
    const trained = await heatmapPixels();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model' }).click()]);
    const saved = join(downloads, download.suggestedFilename());
    await download.saveAs(saved);
    const model = JSON.parse(readFileSync(saved, 'utf8')) as { format: string; W: number[]; metrics: { epochs: number; testAcc: number } };
    expect(model.format).toBe('softmax-lab-model');
    expect(model.W).toHaveLength(7840);
    expect(model.metrics.epochs).toBe(1);
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/1/);
    await page.waitForTimeout(300);
    expect(await heatmapPixels()).not.toEqual(trained);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open model' }).click()]);
    await chooser.setFiles(saved);
    await expect.poll(() => page.locator('.readout-notice').innerText()).toBe(`Opened ${download.suggestedFilename()}`);
    await page.waitForTimeout(300);
    expect(await heatmapPixels()).toEqual(trained);
    await screenshot(page, '11-model-opened');
  });
});
