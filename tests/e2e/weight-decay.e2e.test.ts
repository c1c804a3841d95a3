// End-to-end (issue 12 item 4) in Debian's Chromium against the built web page: the "Weight decay" slider,
// 0 (off) by default, moved mid-run by a drag and by keys; the batches that follow report the new λ, the
// curves draw one dotted marker per gesture and say that the plotted loss leaves out the penalty; the run
// record keeps the changes; and after one epoch the ten templates (the weights the heatmaps draw) are
// smaller and smoother than the same run's without decay: every class's magnitude and roughness lower,
// the heatmaps' colour scale shorter. No long task over 50 ms while training. Screenshots:
// tests/e2e/screenshots/weight-decay-*.png.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabApi } from '../../common/contract';
import { screenshot, SCREENSHOTS, useLabPage } from './harness';
import { waitFor as waitForOn, setNumberField as setNumberFieldOn } from './page-actions';
import { expectNoLongTasks, lookAgainIfLong, takeLongTasks } from './long-tasks';

type LabWindow = Window & { api: LabApi };

const { page, pageErrors } = useLabPage();

const status = (): Promise<string> => page.getByRole('status').first().innerText();
const attr = (selector: string) => async (name: string): Promise<string> => (await page.locator(selector).getAttribute(name)) ?? '';
const curves = attr('section.curves');
const readout = attr('[data-testid="batch-readout"]');
const slider = () => page.getByRole('slider', { name: 'Weight decay' });

const waitFor = (check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> => waitForOn(page, check, what, timeoutMs);

const setNumberField = (label: string, value: string): Promise<void> => setNumberFieldOn(page, label, value);

/** Per class: RMS magnitude, RMS difference of neighbouring pixels (roughness), and the ratio of the two. */
interface Template { magnitude: number; roughness: number; relative: number }

/** The ten templates' numbers, from the weights the trainer holds now (what the heatmaps draw). */
async function templates(): Promise<Template[]> {
  const w = await page.evaluate(async () => Array.from((await (window as unknown as LabWindow).api.request({ kind: 'getWeights' })).weights));
  const K = 10;
  const at = (r: number, c: number, k: number): number => w[(r * 28 + c) * K + k];
  return Array.from({ length: K }, (_, k) => {
    let squares = 0;
    let diffs = 0;
    for (let r = 0; r < 28; r++) {
      for (let c = 0; c < 28; c++) {
        squares += at(r, c, k) ** 2;
        if (c < 27) diffs += (at(r, c, k) - at(r, c + 1, k)) ** 2;
        if (r < 27) diffs += (at(r, c, k) - at(r + 1, c, k)) ** 2;
      }
    }
    const magnitude = Math.sqrt(squares / 784);
    const roughness = Math.sqrt(diffs / (2 * 27 * 28));
    return { magnitude, roughness, relative: roughness / magnitude };
  });
}

/** The heatmaps' colour scale end (the 99th percentile of |W|), from the colour bar's accessible name. */
async function colourScale(): Promise<number> {
  const name = (await page.getByRole('img', { name: /^Colour scale from / }).first().getAttribute('aria-label')) ?? '';
  return Number(/to \+?([\d.]+)$/.exec(name)?.[1]);
}

/** Every heatmap drawn: ten opaque 28x28 canvases with more than a few colours. */
async function heatmapsDrawn(): Promise<boolean> {
  const stats = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLCanvasElement>('.heatmap canvas')).map((c) => {
    const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 4) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return c.width === 28 && c.height === 28 && colours.size > 20;
  }));
  return stats.length === 10 && stats.every(Boolean);
}

describe('weight decay in Chromium', () => {
  let without: Template[] = [];
  let scaleWithout = 0;

  it('starts at 0 (off): a run of one epoch without decay says nothing about a penalty', async () => {
    await expect.poll(status, { timeout: 60_000 }).toMatch(/^Ready · /);
    expect(await slider().getAttribute('aria-valuetext')).toBe('λ = 0 (off)');
    expect(await slider().inputValue()).toBe('0');
    await setNumberField('Epochs', '1');
    await page.getByRole('button', { name: 'Full speed' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(async () => /^Done · Epoch 1\/1/.test(await status()), 'one epoch without decay');
    expect(await curves('data-wd-markers')).toBe('0');
    expect(await curves('data-last-wd')).toBe('0');
    expect(await page.getByTestId('loss-note').count()).toBe(0);
    await waitFor(heatmapsDrawn, 'the ten heatmaps');
    without = await templates();
    scaleWithout = await colourScale();
    expect(scaleWithout).toBeGreaterThan(0);
  });

  it('moved mid-run, by a drag and by keys: the next batches report the new λ, one dotted marker per gesture, the loss note', async () => {
    await page.getByRole('button', { name: 'Reset' }).click(); // the same seed: the same initial weights
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/1/);
    await page.getByRole('slider', { name: 'Pace' }).fill('7'); // 50 batches/s: the epoch takes ~5 s, the changes land in it
    await expect.poll(() => page.getByRole('slider', { name: 'Pace' }).getAttribute('aria-valuetext')).toBe('50 batches/s');
    await takeLongTasks(page);
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(async () => Number(await readout('data-batches')) >= 5, 'five batches');
    expect(await curves('data-last-wd')).toBe('0');

    await slider().fill('10'); // a drag to the right end: λ = 0.01, one gesture
    await waitFor(async () => (await curves('data-last-wd')) === '0.01', 'a batch with λ = 0.01');
    expect(await curves('data-wd-markers')).toBe('1');
    expect(await slider().getAttribute('aria-valuetext')).toBe('λ = 0.01');
    const note = page.getByTestId('loss-note');
    expect(await note.innerText()).toBe('weight decay λ changed · The loss plotted is the cross-entropy of the data alone: the weight-decay penalty λ/2 ‖W‖² is not included (λ = 0.01 in the latest batch).');
    expect(await curves('data-markers')).toBe('0'); // the lr's markers are its own

    await slider().focus();
    await page.keyboard.press('ArrowLeft'); // one stop down: 0.005
    await waitFor(async () => (await curves('data-last-wd')) === '0.005', 'a batch with λ = 0.005');
    await expect.poll(() => curves('data-wd-markers')).toBe('2');
    await page.keyboard.press('End'); // back to 0.01
    await waitFor(async () => (await curves('data-last-wd')) === '0.01', 'a batch with λ = 0.01 again');
    await expect.poll(() => curves('data-wd-markers')).toBe('3');
    expect(await status()).toMatch(/^Training · Epoch 1\/1/); // all within the epoch, while it trains
    // One more look at 30 more batches, as lab.e2e does.
    const tasks = await lookAgainIfLong(page, await takeLongTasks(page), 'training at 50 batches/s with weight-decay changes', async () => {
      const now = Number(await readout('data-batches'));
      await waitFor(async () => Number(await readout('data-batches')) >= now + 30 || /^Done/.test(await status()), '30 more batches');
    });
    await screenshot(page, 'weight-decay-marked', { fullPage: false }); // after the measured stretch
    await expectNoLongTasks(page, tasks, [], 'training at 50 batches/s with weight-decay changes');

    await page.getByRole('button', { name: 'Full speed' }).click();
    await waitFor(async () => /^Done · Epoch 1\/1/.test(await status()), 'the epoch with decay');
    expect(pageErrors).toEqual([]);
  });

  it('the run record keeps the weight-decay changes and each batch\'s λ', async () => {
    const runs = await page.evaluate(async () => (await (window as unknown as LabWindow).api.listRuns()));
    const last = runs.find((r) => r.ok && r.run.wdChanges.length > 0);
    expect(last?.ok).toBe(true);
    if (!last?.ok) return;
    expect(last.run.wdChanges.map((c) => [c.from, c.to])).toEqual([[0, 0.01], [0.01, 0.005], [0.005, 0.01]]);
    expect(last.run.config.weightDecay).toBe(0); // the configuration it started with
    expect(last.run.batches[0].weightDecay).toBe(0);
    expect(last.run.batches.at(-1)?.weightDecay).toBe(0.01);
  });

  it('after an epoch the templates are smaller and smoother than without decay, and the heatmaps show it', async () => {
    await waitFor(heatmapsDrawn, 'the ten heatmaps');
    const decayed = await templates();
    const scale = await colourScale();
    const mean = (ts: Template[], f: (t: Template) => number): number => ts.reduce((a, t) => a + f(t), 0) / ts.length;
    console.log(`templates after one epoch: magnitude ${mean(without, (t) => t.magnitude).toFixed(4)} → ${mean(decayed, (t) => t.magnitude).toFixed(4)}, ` +
      `roughness ${mean(without, (t) => t.roughness).toFixed(4)} → ${mean(decayed, (t) => t.roughness).toFixed(4)}, ` +
      `roughness / magnitude ${mean(without, (t) => t.relative).toFixed(4)} → ${mean(decayed, (t) => t.relative).toFixed(4)}, colour scale ±${scaleWithout} → ±${scale}`);
    for (let k = 0; k < 10; k++) {
      expect(decayed[k].magnitude, `class ${k} magnitude`).toBeLessThan(0.97 * without[k].magnitude);
      expect(decayed[k].roughness, `class ${k} roughness`).toBeLessThan(0.97 * without[k].roughness);
    }
    expect(mean(decayed, (t) => t.relative)).toBeLessThan(mean(without, (t) => t.relative)); // smoother, not only smaller
    expect(scale).toBeLessThan(scaleWithout);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.locator('section.weights').screenshot({ path: join(SCREENSHOTS, 'weight-decay-templates.png') });
  });

  it('speaks 简体中文', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    const zh = page.getByRole('slider', { name: '权重衰减' });
    await zh.waitFor();
    expect(await zh.getAttribute('aria-valuetext')).toBe('λ = 0.01');
    expect(await page.getByTestId('loss-note').innerText()).toBe('权重衰减 λ 已更改 · 图中的损失只是数据的交叉熵，不含权重衰减的惩罚项 λ/2 ‖W‖²（最近一批 λ = 0.01）。');
    await screenshot(page, 'weight-decay-zh', { fullPage: false });
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  });
});
