// End-to-end (issue 12, items 2, 3 and 6) in Chromium against the built web page. "Show change since last
// epoch" paints W − W(end of the previous epoch) on its own scale, pixel for pixel as computed here in Node
// from the trainer's weights, explains the state before an epoch has ended, reads changes out, and lists
// how far each epoch moved W (shrinking); "Reference results" draws three dashed lines at 0.83, 0.835 and
// 0.842 on the accuracy axis, labelled in text just above them; the "Colours" switch repaints the curves,
// the weights, their colour bar and the gradient maps in the colour-blind safe palette, names its colours
// in the texts, and is remembered across a reload. Ten minutes of this at full speed: no long task.
// Screenshots at 1440x900, 1024x700 and 800x900 go to tests/e2e/screenshots/see-inside-*.png.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { LabApi } from '../../common/contract';
import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../core/shapes';
import { colourLut, lutIndex } from '../../renderer/components/heatmap';
import { PALETTES, REFERENCE_RESULTS, type PaletteId } from '../../renderer/components/palettes';
import { formatChange } from '../../renderer/components/WeightsPanel';
import { className } from '../../renderer/i18n';
import { rmsChange, weightScale } from '../../renderer/store/weights-slice';
import { screenshot, SCREENSHOTS, useLabPage } from './harness';
import { textsUntilDone } from './page-actions';
import { expectNoLongTasks, machineNoise, pageWork, takeLongTasks, type LongTask } from './long-tasks';

type LabWindow = Window & { api: LabApi };

const NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const EPOCHS = 10;

const { page, pageErrors } = useLabPage({ viewport: { width: 1440, height: 900 } });

const weights = (): Locator => page.getByRole('region', { name: 'Weights', exact: true });
const curves = (): Locator => page.getByRole('region', { name: 'Training curves', exact: true });
const changeStatus = async (): Promise<string> => (await weights().getByTestId('change-status').textContent()) ?? '';
const status = async (): Promise<string> => (await page.getByRole('status').first().textContent()) ?? '';

/** The colour bar's label as the panel prints it. */
const scaleLabel = (x: number): string => Number(x.toPrecision(2)).toString();

/** The trainer's weights right now. */
async function trainerWeights(): Promise<Float32Array> {
  const w = await page.evaluate(async () => Array.from((await (window as unknown as LabWindow).api.request({ kind: 'getWeights' })).weights));
  return Float32Array.from(w);
}

/** a − b in float32, as the weights slice computes it. */
function difference(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
}

/** A canvas's pixels (RGBA) and size. */
async function canvasPixels(canvas: Locator): Promise<{ width: number; height: number; data: number[] }> {
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height);
    return { width: d.width, height: d.height, data: Array.from(d.data) };
  });
}

/** How many pixels of class k's map differ from `values` (7850, W then b) painted on ±scale in `palette`. */
async function mismatches(canvas: Locator, values: Float32Array, k: number, scale: number, palette: PaletteId): Promise<number> {
  const px = await canvasPixels(canvas);
  const lut = colourLut(palette);
  let bad = 0;
  for (let d = 0; d < D; d++) {
    const i = lutIndex(values[d * K + k], scale) * 3;
    if (px.data[d * 4] !== lut[i] || px.data[d * 4 + 1] !== lut[i + 1] || px.data[d * 4 + 2] !== lut[i + 2] || px.data[d * 4 + 3] !== 255) bad++;
  }
  return bad;
}

/** Waits until every one of the ten maps shows `values` on ±scale in `palette`. */
async function expectMaps(values: Float32Array, scale: number, palette: PaletteId, name: (k: number) => string): Promise<void> {
  for (let k = 0; k < K; k++) {
    const canvas = weights().getByRole('img', { name: name(k), exact: true });
    await expect.poll(() => mismatches(canvas, values, k, scale, palette), { timeout: 10_000, message: `map of ${NAMES[k]}` }).toBe(0);
  }
}
const changeName = (k: number): string => `Change of the weights for class ${NAMES[k]}`;

/** The epochs the per-epoch table lists. */
async function epochRows(): Promise<number> {
  return page.getByTestId('epoch-table').locator('tbody th[scope="row"]').count();
}

/** Scrolls `el` to the middle of the window, clear of the sticky control bar. */
async function centre(el: Locator): Promise<void> {
  await el.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
}

/** What to measure on the curves' canvas: rows at accuracies (optionally dy CSS pixels below), and colours. */
interface CanvasQuery { rows: { acc: number; hex: string; dy?: number }[]; colours: string[] }

/**
 * Measured in the page (the canvas is over a million bytes): for each row, the share of the plot's width
 * at that accuracy painted in its colour (within 12 per channel); for each colour, how many pixels are
 * within 6 of it. The plot area is the one recharts leaves (Curves.tsx plotRect).
 */
async function measureCurves(q: CanvasQuery): Promise<{ rows: number[]; colours: number[]; plot: { left: number; top: number; width: number; height: number } }> {
  return curves().getByTestId('live-curves').evaluate((el, query) => {
    const c = el as HTMLCanvasElement;
    const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
    const dpr = window.devicePixelRatio || 1;
    const plot = { left: 44, top: 18, width: c.clientWidth - 8 - 88, height: c.clientHeight - 58 };
    const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const near = (o: number, [r, g, b]: number[], tol: number): boolean => d[o + 3] > 200 && Math.abs(d[o] - r) <= tol && Math.abs(d[o + 1] - g) <= tol && Math.abs(d[o + 2] - b) <= tol;
    const rows = query.rows.map(({ acc, hex, dy = 0 }) => {
      const y = Math.round((Math.round(plot.top + plot.height * (1 - acc)) + dy) * dpr);
      const x0 = Math.ceil(plot.left * dpr);
      const x1 = Math.floor((plot.left + plot.width) * dpr);
      const want = rgb(hex);
      let n = 0;
      for (let x = x0; x < x1; x++) if (near((y * c.width + x) * 4, want, 12)) n++;
      return n / Math.max(1, x1 - x0);
    });
    const colours = query.colours.map((hex) => {
      const want = rgb(hex);
      let n = 0;
      for (let o = 0; o < d.length; o += 4) if (near(o, want, 6)) n++;
      return n;
    });
    return { rows, colours, plot };
  }, q);
}

/** The reference rows' shares of the plot's width painted in `hex` (dy CSS pixels below each when given). */
async function referenceRows(hex: string, dy = 0): Promise<number[]> {
  return (await measureCurves({ rows: REFERENCE_RESULTS.map((r) => ({ acc: r.value, hex, dy })), colours: [] })).rows;
}

async function waitForState(state: RegExp, timeout = 90_000): Promise<void> {
  await page.getByRole('status').filter({ hasText: state }).first().waitFor({ timeout });
}

/** Runs one epoch with the "One epoch" button and waits until it has been painted in the table. */
async function oneEpoch(expected: number): Promise<void> {
  await page.getByRole('button', { name: 'One epoch' }).click();
  await expect.poll(epochRows, { timeout: 90_000 }).toBe(expected);
  await waitForState(/^Paused/);
}

let w0: Float32Array;
let w1: Float32Array;
let w2: Float32Array;

beforeAll(async () => {
  await waitForState(/Ready/);
  await page.evaluate((epochs) => {
    const api = (window as unknown as LabWindow).api;
    api.configure({ epochs });
    api.setPace(null);
  }, EPOCHS);
  await waitForState(new RegExp(`^Ready · Epoch \\d+/${EPOCHS} `));
});

describe('how the weights change (issue 12, item 2)', () => {
  it('explains the state before the run, then paints each epoch’s change exactly, on its own scale, and the changes shrink', async () => {
    w0 = await trainerWeights();
    await centre(weights());
    await weights().getByRole('checkbox', { name: 'Show change since last epoch' }).check();
    expect(await weights().getByRole('heading', { level: 2 }).textContent()).toBe('Change of W since the end of the previous epoch, one 28×28 image per class');
    expect(await changeStatus()).toBe('The run has not started, so nothing has changed yet. While it trains, the maps show how W moved since the end of the previous epoch.');
    const blank = await canvasPixels(weights().getByRole('img', { name: changeName(0) }));
    expect(blank.data.every((v) => v === 0)).toBe(true); // nothing painted, not W
    expect(await weights().getByTestId('scale-max').textContent()).toBe('—');

    // Epoch 1: W at its end (its run checkpoint) minus W at the start.
    await oneEpoch(1);
    w1 = await trainerWeights();
    await expect.poll(changeStatus).toBe('All of epoch 1: W at its end minus W at the start of the run.');
    const d1 = difference(w1, w0);
    const s1 = weightScale(d1);
    await expectMaps(d1, s1, 'standard', changeName);
    expect(await weights().getByTestId('scale-max').textContent()).toBe(`+${scaleLabel(s1)}`);
    expect(await weights().getByRole('img', { name: `Colour scale of the change from −${scaleLabel(s1)} to ${scaleLabel(s1)}` }).count()).toBe(1);
    const rms1 = rmsChange(w1, w0);

    // Epoch 2: compared with the end of epoch 1; it moved W less.
    await oneEpoch(2);
    w2 = await trainerWeights();
    await expect.poll(changeStatus).toBe('All of epoch 2: W at its end minus W at the end of epoch 1.');
    const d2 = difference(w2, w1);
    const s2 = weightScale(d2);
    await expectMaps(d2, s2, 'standard', changeName);
    const rms2 = rmsChange(w2, w1);
    const moves = weights().getByRole('list', { name: 'How far each epoch moved W (root mean square of the change):' });
    expect(await moves.getByRole('listitem').allTextContents()).toEqual([`epoch 1: ${scaleLabel(rms1)}`, `epoch 2: ${scaleLabel(rms2)}`]);
    console.log(`epoch 1 moved W by ${rms1.toExponential(2)} (rms; colour scale ±${s1.toExponential(2)}), epoch 2 by ${rms2.toExponential(2)} (±${s2.toExponential(2)})`);
    expect(rms2).toBeLessThan(rms1);
    expect(s2).toBeLessThan(s1);

    // Hover reads the change under the pointer.
    const k = 7;
    const sneaker = weights().getByRole('img', { name: changeName(k) });
    const box = (await sneaker.boundingBox())!;
    await page.mouse.move(box.x + (14.5 / 28) * box.width, box.y + (10.5 / 28) * box.height);
    expect(await weights().getByTestId('weight-hover').textContent()).toBe(`Sneaker, row 11, column 15: changed by ${formatChange(d2[(10 * 28 + 14) * K + k])}`);
    await page.mouse.move(0, 0);

    // By keyboard: Space on the toggle switches the view (and does not resume the run).
    const toggle = weights().getByRole('checkbox', { name: 'Show change since last epoch' });
    await toggle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await expectMaps(w2, weightScale(w2), 'standard', (c) => `Weights for class ${NAMES[c]}`);
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.isChecked()).toBe(true);
    expect(await status()).toMatch(/^Paused/);
    await weights().screenshot({ path: join(SCREENSHOTS, 'see-inside-weights-change.png') });
  });
});

describe('where the book lands (issue 12, item 3)', () => {
  it('draws three labelled dashed lines at 0.83, 0.835 and 0.842, the labels text just above them', async () => {
    await centre(curves());
    const reference = PALETTES.standard.curves.reference;
    for (const share of await referenceRows(reference)) expect(share).toBeLessThan(0.05);
    await curves().getByRole('checkbox', { name: 'Reference results' }).check();
    const list = curves().getByRole('list', { name: 'Reference results on the accuracy axis' });
    expect(await list.getByRole('listitem').allTextContents()).toEqual([
      'd2l chapter after 10 epochs: ≈ 0.83',
      'human performance: 0.835',
      'best logistic regression (Fashion-MNIST benchmark): 0.842',
    ]);
    // The lines: dashed ([5, 4]), so about 5/9 of each row, less where a curve crosses.
    await expect.poll(async () => Math.min(...(await referenceRows(reference)))).toBeGreaterThan(0.35);
    const shares = await referenceRows(reference);
    console.log(`reference rows painted: ${shares.map((v) => v.toFixed(2)).join(', ')} of the plot's width`);
    REFERENCE_RESULTS.forEach((r, i) => expect(shares[i], `${r.id}: dashed, not solid`).toBeLessThan(0.75));
    expect(Math.max(...(await referenceRows(reference, 8)))).toBeLessThan(0.05); // nothing below them
    const { plot } = await measureCurves({ rows: [], colours: [] });

    // The labels: stacked just above the highest line, lowest value lowest, none over another, in the chart.
    const chartBox = (await curves().locator('.chart').boundingBox())!;
    const lineY = chartBox.y + plot.top + plot.height * (1 - 0.842);
    const boxes = await Promise.all(REFERENCE_RESULTS.map((r) => list.getByTestId(`reference-${r.id}`).boundingBox()));
    for (let i = 0; i < boxes.length; i++) {
      const b = boxes[i]!;
      expect(b.y + b.height, REFERENCE_RESULTS[i].id).toBeLessThanOrEqual(lineY + 1);
      expect(b.y).toBeGreaterThanOrEqual(chartBox.y);
      expect(b.x).toBeGreaterThanOrEqual(chartBox.x + plot.left);
      expect(b.x + b.width).toBeLessThanOrEqual(chartBox.x + plot.left + plot.width);
      if (i > 0) expect(b.y + b.height, `${REFERENCE_RESULTS[i].id} above ${REFERENCE_RESULTS[i - 1].id}`).toBeLessThanOrEqual(boxes[i - 1]!.y + 0.5);
    }
    expect(lineY - (boxes[0]!.y + boxes[0]!.height)).toBeLessThan(8); // right above the line
    await curves().screenshot({ path: join(SCREENSHOTS, 'see-inside-references.png') });

    // Off: the lines and the list go.
    await curves().getByRole('checkbox', { name: 'Reference results' }).uncheck();
    expect(await list.count()).toBe(0);
    await expect.poll(async () => Math.max(...(await referenceRows(reference)))).toBeLessThan(0.05);
    await curves().getByRole('checkbox', { name: 'Reference results' }).check();
  });
});

describe('colours for everyone (issue 12, item 6)', () => {
  it('the colour-blind safe palette repaints the curves, the weights, the colour bar and the gradients, and the texts name its colours', async () => {
    // The step-by-step view on screen once, so its gradient maps are painted.
    const sbs = page.getByRole('region', { name: 'One image, step by step' });
    await centre(sbs);
    await expect.poll(() => sbs.getByTestId('sbs-table').getByTestId('logit').count(), { timeout: 20_000 }).toBe(10);
    expect(await sbs.textContent()).toContain('red positive, blue negative');

    const legendStrokes = async (): Promise<{ stroke: string; dash: string }[]> => curves().locator('.legend line').evaluateAll((ls) => ls.map((l) => ({ stroke: l.getAttribute('stroke') ?? '', dash: l.getAttribute('stroke-dasharray') ?? '' })));
    const standard = PALETTES.standard.curves;
    const safe = PALETTES['okabe-ito'].curves;
    expect((await legendStrokes()).slice(0, 3).map((s) => s.stroke)).toEqual([standard.loss, standard.trainAcc, standard.testAcc]);

    await page.getByRole('combobox', { name: 'Colours' }).selectOption({ label: 'Colour-blind safe (purple–orange)' });
    // The gradient maps: every pixel on the purple–orange map now (or NaN grey), none on the old one.
    const lutColours = (p: PaletteId): Set<number> => {
      const lut = colourLut(p);
      return new Set(Array.from({ length: lut.length / 3 }, (_, i) => (lut[i * 3] << 16) | (lut[i * 3 + 1] << 8) | lut[i * 3 + 2]));
    };
    const puor = lutColours('okabe-ito');
    const rdbu = lutColours('standard');
    const gradient = await canvasPixels(sbs.getByRole('img', { name: `Gradient for class ${NAMES[0]}`, exact: true }));
    const gradientColours = Array.from({ length: D }, (_, d) => (gradient.data[d * 4] << 16) | (gradient.data[d * 4 + 1] << 8) | gradient.data[d * 4 + 2]);
    expect(gradientColours.every((v) => puor.has(v) || v === 0x808080)).toBe(true);
    expect(gradientColours.filter((v) => rdbu.has(v) && !puor.has(v))).toEqual([]);
    expect(await sbs.textContent()).toContain('orange positive, purple negative');
    expect(await sbs.getByTestId('sgd').textContent()).toContain('where the map is purple the weight goes up, where it is orange it goes down');

    // The weights (their change, paused: the same numbers) on the new map, and their colour bar.
    await centre(weights());
    const d2 = difference(w2, w1);
    await expectMaps(d2, weightScale(d2), 'okabe-ito', changeName);
    const bar = await canvasPixels(weights().getByRole('img', { name: /^Colour scale of the change/ }));
    const lut = colourLut('okabe-ito');
    expect(bar.width).toBe(256);
    for (let i = 0; i < 256; i++) expect([bar.data[i * 4], bar.data[i * 4 + 1], bar.data[i * 4 + 2]]).toEqual([lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2]]);

    // The curves: Okabe–Ito colours, none of the standard ones; the legend shows each stroke.
    await centre(curves());
    const series = ['loss', 'trainAcc', 'testAcc'] as const;
    const count = async (): Promise<Record<string, { safe: number; standard: number }>> => {
      const { colours } = await measureCurves({ rows: [], colours: [...series.map((k) => safe[k]), ...series.map((k) => standard[k])] });
      return Object.fromEntries(series.map((k, i) => [k, { safe: colours[i], standard: colours[i + 3] }]));
    };
    await expect.poll(async () => (await count()).trainAcc.safe).toBeGreaterThan(10);
    const counts = await count();
    console.log(`curve pixels by palette colour: ${JSON.stringify(counts)}`);
    for (const s of ['loss', 'trainAcc', 'testAcc'] as const) {
      expect(counts[s].safe, s).toBeGreaterThan(10);
      expect(counts[s].standard, s).toBe(0);
    }
    const strokes = await legendStrokes();
    expect(strokes.slice(0, 3).map((s) => s.stroke)).toEqual([safe.loss, safe.trainAcc, safe.testAcc]);
    expect(new Set(strokes.slice(0, 3).map((s) => s.dash)).size).toBe(3); // solid, long dashes, short dashes
    expect(pageErrors).toEqual([]);
  });
});

describe('all three at full speed', () => {
  it('the change follows the epoch under way, and the window has no long task', async () => {
    // Curves and weights both on screen (the curves' section at the top of the window).
    await page.evaluate(() => document.querySelector('section.curves')?.scrollIntoView({ block: 'start' }));
    const noise = await machineNoise(page);
    await takeLongTasks(page);
    await page.evaluate(() => (window as unknown as LabWindow).api.resume());
    const seen = await textsUntilDone(page, '[data-testid="change-status"]', 200, 120_000);
    /** The page's own long tasks since the last look. */
    const longTasks = async (): Promise<LongTask[]> => (await pageWork(page, await takeLongTasks(page))).filter((t) => t.duration > 50);
    let tasks = await longTasks();
    console.log(`change statuses seen at full speed: ${JSON.stringify([...seen])}; long tasks: ${JSON.stringify(tasks)}`);
    // Mid-epoch: the change so far, since the end of the epoch before (from epoch 3 on: 1 and 2 were stepped).
    const midEpoch = [...seen].map((s) => /^Epoch (\d+) so far: W now minus W at the end of epoch (\d+)\.$/.exec(s)).filter((m) => m !== null);
    expect(midEpoch.length).toBeGreaterThan(0);
    for (const m of midEpoch) {
      expect(Number(m[1])).toBe(Number(m[2]) + 1);
      expect(Number(m[1])).toBeGreaterThanOrEqual(3);
    }
    await expect.poll(changeStatus).toBe(`All of epoch ${EPOCHS}: W at its end minus W at the end of epoch ${EPOCHS - 1}.`);
    const moves = (await weights().getByTestId('epoch-moves').getByRole('listitem').allTextContents()).map((s) => Number(s.replace(/^epoch \d+: /, '')));
    console.log(`how far each epoch moved W: ${moves.join(', ')}`);
    expect(moves).toHaveLength(EPOCHS);
    for (let e = 1; e < EPOCHS; e++) expect(moves[e], `epoch ${e + 1} moved less than epoch 1`).toBeLessThan(moves[0]);
    expect(moves[EPOCHS - 1]).toBeLessThan(moves[1]);
    if (tasks.length > 0) {
      // On this shared machine a stall shows up now and then whatever the page does (the views' own work
      // per update is a few ms: their reducers and paints); a second run, of all ten epochs, decides.
      await page.evaluate(() => new Promise<void>((resolve) => {
        // Until the status leaves Done and comes back to it (the run may be over before a poll sees it train).
        const el = document.querySelector('[role="status"]') as HTMLElement;
        let left = false;
        const observer = new MutationObserver(() => {
          if (!/^Done/.test(el.textContent ?? '')) left = true;
          else if (left) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(el, { subtree: true, characterData: true, childList: true });
        (window as unknown as LabWindow).api.startTraining();
      }));
      tasks = await longTasks();
      console.log(`again, a new run of ${EPOCHS} epochs: long tasks: ${JSON.stringify(tasks)}`);
    }
    await expectNoLongTasks(page, tasks, noise, `epochs at full speed with the change view, the reference lines and the colour-blind palette`);
  });

  it('screenshots at 1440x900, 1024x700 and 800x900', async () => {
    for (const [w, h] of [[1440, 900], [1024, 700], [800, 900]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.evaluate(() => document.querySelector('section.curves')?.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(400);
      await screenshot(page, `see-inside-curves-${w}x${h}`, { fullPage: false });
      await page.evaluate(() => document.querySelector('section.weights')?.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(300);
      await screenshot(page, `see-inside-weights-${w}x${h}`, { fullPage: false });
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `see-inside-top-${w}x${h}`, { fullPage: false });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `horizontal overflow at ${w}x${h}`).toBeLessThanOrEqual(0);
      // The labels stay inside the plot at every width.
      const chart = (await curves().locator('.chart').boundingBox())!;
      const label = (await curves().getByTestId('reference-logistic').boundingBox())!;
      expect(label.x + label.width, `reference label at ${w}x${h}`).toBeLessThanOrEqual(chart.x + chart.width - 44);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});

describe('the states around a run, another language, a reload', () => {
  it('a run started straight after the last one shows epoch 1 against its start (the session sends it); Reset says nothing has changed', async () => {
    await page.evaluate(() => (window as unknown as LabWindow).api.setPace(20));
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(changeStatus, { timeout: 20_000 }).toBe('Epoch 1 so far: W now minus W at the start of the run (no epoch has ended yet).');
    await expect.poll(async () => (await canvasPixels(weights().getByRole('img', { name: changeName(3) }))).data.some((v) => v !== 0), { timeout: 10_000 }).toBe(true);
    await page.getByRole('button', { name: 'Pause' }).click();
    await waitForState(/^Paused/);
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(changeStatus).toMatch(/^The run has not started/);
    await page.getByRole('button', { name: 'Start' }).click(); // from Reset: the same
    await expect.poll(changeStatus, { timeout: 20_000 }).toBe('Epoch 1 so far: W now minus W at the start of the run (no epoch has ended yet).');
    await page.getByRole('button', { name: 'Pause' }).click();
    await waitForState(/^Paused/);
  });

  it('speaks 简体中文', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    const zhWeights = page.getByRole('region', { name: '权重', exact: true });
    expect(await zhWeights.getByRole('checkbox', { name: '显示自上一周期以来的变化' }).isChecked()).toBe(true);
    expect(await zhWeights.getByRole('img', { name: `类别 ${className('zh', 7)} 的权重变化` }).count()).toBe(1);
    expect(await zhWeights.getByTestId('change-status').textContent()).toBe('第 1 个周期至今：现在的 W 减去训练开始时的 W（还没有周期结束）。');
    const list = page.getByRole('list', { name: '精度轴上的参考结果' });
    expect(await list.getByRole('listitem').allTextContents()).toEqual(['d2l 本章训练 10 个周期后：约 0.83', '人类表现：0.835', '最佳逻辑回归（Fashion-MNIST 基准）：0.842']);
    expect(await page.getByRole('combobox', { name: '配色' }).inputValue()).toBe('okabe-ito');
    expect(await page.getByRole('region', { name: '逐步看一张图像' }).textContent()).toContain('橙色为正，紫色为负');
    await page.evaluate(() => document.querySelector('section.curves')?.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await screenshot(page, 'see-inside-zh-1440x900', { fullPage: false });
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  });

  it('the palette is remembered across a reload', async () => {
    await page.reload();
    await waitForState(/Ready|Paused/);
    expect(await page.getByRole('combobox', { name: 'Colours' }).inputValue()).toBe('okabe-ito');
    const w = await trainerWeights();
    await centre(weights());
    await expectMaps(w, weightScale(w), 'okabe-ito', (k) => `Weights for class ${NAMES[k]}`);
    expect(pageErrors).toEqual([]);
  });
});
