// End-to-end (issue 6) in Chromium against the built web page: after two epochs the gallery is captioned
// and filters, a confusion-matrix cell filters the gallery and sets the filters to what it shows (issue
// 11), details open in view, real PNG and JPEG pictures of test garments (drawn off-centre on a larger
// white canvas, in the page) are classified, a 6000x4000 photo says it was scaled down, bad files get
// their messages and keep the earlier result, and 简体中文 changes the labels and is remembered.
// Screenshots go to tests/e2e/screenshots/.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { LabApi } from '../../common/contract';
import { join } from 'node:path';
import { encodePngGrey, screenshot, SCREENSHOTS, useLabPage } from './harness';
import { expectNoLongTasks, lookAgainIfLong, machineNoise, takeLongTasks } from './long-tasks';

/** The page's window, with the lab's API (installed by the web bridge). */
type LabWindow = Window & { api: LabApi };

const { page, pageErrors } = useLabPage();

/** Page-side helpers: fixture files made with canvas.toBlob from testExamples pixels, and a synthetic drop. */
async function installFixtures(p: Page): Promise<void> {
  await p.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const files = new Map<string, File>();
    const toBlob = (c: HTMLCanvasElement, type: string): Promise<Blob> =>
      new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), type, 0.92));
    w.__fx = {
      files,
      /** A test garment, dark on white like a product photo, 6x larger, off-centre on a 360x260 canvas. */
      async garment(index: number, type: string, name: string): Promise<void> {
        const { pixels } = await (window as unknown as LabWindow).api.request({ kind: 'testExamples', indices: [index] });
        const small = document.createElement('canvas');
        small.width = small.height = 28;
        const sctx = small.getContext('2d') as CanvasRenderingContext2D;
        const img = sctx.createImageData(28, 28);
        for (let i = 0; i < 784; i++) {
          img.data[i * 4] = img.data[i * 4 + 1] = img.data[i * 4 + 2] = 255 - pixels[i];
          img.data[i * 4 + 3] = 255;
        }
        sctx.putImageData(img, 0, 0);
        const big = document.createElement('canvas');
        big.width = 360;
        big.height = 260;
        const ctx = big.getContext('2d') as CanvasRenderingContext2D;
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, big.width, big.height);
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(small, 20 + ((index * 37) % 140), 10 + ((index * 53) % 70), 168, 168);
        files.set(name, new File([await toBlob(big, type)], name, { type }));
      },
      /** A plain PNG of the given size (for the 8000 px limit). */
      async plainPng(width: number, height: number, name: string): Promise<void> {
        const c = document.createElement('canvas');
        c.width = width;
        c.height = height;
        const ctx = c.getContext('2d') as CanvasRenderingContext2D;
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, width, height);
        files.set(name, new File([await toBlob(c, 'image/png')], name, { type: 'image/png' }));
      },
      /** Any bytes as a file. */
      make(name: string, type: string, parts: BlobPart[]): void {
        files.set(name, new File(parts, name, { type }));
      },
      /** The first half of an existing file (a truncated image). */
      truncate(from: string, name: string): void {
        const f = files.get(from) as File;
        files.set(name, new File([f.slice(0, Math.floor(f.size / 2))], name, { type: f.type }));
      },
      /** Drops the named files onto the "Classify an image" zone, as a synthetic drag and drop. */
      drop(names: string[]): void {
        const zone = (document.getElementById('classify-title') as HTMLElement).closest('section') as HTMLElement;
        const dt = new DataTransfer();
        for (const n of names) dt.items.add(files.get(n) as File);
        zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
    };
  });
}

/** A photo-sized picture: test garment `pixels` (784) dark on white, `scale` times larger, at (ox, oy). */
function bigGarmentPng(pixels: number[], width: number, height: number, scale: number, ox: number, oy: number): Buffer {
  const grey = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < 28 * scale; y++) {
    for (let x = 0; x < 28 * scale; x++) grey[(oy + y) * width + ox + x] = 255 - pixels[Math.floor(y / scale) * 28 + Math.floor(x / scale)];
  }
  return encodePngGrey(width, height, grey);
}

async function drop(names: string[]): Promise<void> {
  await page.evaluate((n) => ((window as unknown as { __fx: { drop(n: string[]): void } }).__fx.drop(n)), names);
}

/** The text of the "Prediction" region once it names `file`. */
async function predictionFor(file: string): Promise<string> {
  const region = page.getByRole('region', { name: 'Prediction', exact: true });
  await expect.poll(async () => (await region.textContent()) ?? '', { timeout: 15_000 }).toContain(file);
  return (await region.textContent()) ?? '';
}

/** The error message in the drop zone once it appears. */
async function inputError(): Promise<string> {
  const alert = page.getByRole('region', { name: 'Classify an image' }).getByRole('alert');
  await alert.waitFor({ timeout: 15_000 });
  return (await alert.textContent()) ?? '';
}

function thumbs(): Locator {
  return page.getByRole('region', { name: 'Prediction gallery' }).getByRole('listitem');
}

const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const ZH_NAMES = ['T恤/上衣', '裤子', '套衫', '连衣裙', '外套', '凉鞋', '衬衫', '运动鞋', '包', '短靴'];

beforeAll(async () => {
  await page.getByRole('status').filter({ hasText: 'Ready' }).first().waitFor({ timeout: 90_000 });
});

afterAll(() => {
  if (pageErrors.length > 0) console.error('pageerror:', pageErrors.join('\n'));
});

describe('predictions (issue 6)', () => {
  it('after two epochs the gallery shows captions and the mistakes filter works', async () => {
    const epochs = page.getByRole('spinbutton', { name: 'Epochs', exact: true });
    await epochs.fill('2');
    await epochs.press('Enter');
    await page.getByRole('button', { name: 'Full speed' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('status').filter({ hasText: 'Done' }).first().waitFor({ timeout: 90_000 });
    const gallery = page.getByRole('region', { name: 'Prediction gallery' });
    // Off screen during the run, the gallery was only marked stale; scrolled into view it catches up
    // with the trained weights: the accuracy shown is a trained model's, not chance.
    await gallery.scrollIntoViewIfNeeded();
    await expect.poll(async () => Number(/test accuracy (\d\.\d+)/.exec((await gallery.textContent()) ?? '')?.[1] ?? 0), { timeout: 20_000 }).toBeGreaterThan(0.7);
    await expect.poll(() => thumbs().count()).toBe(36);
    for (const text of await thumbs().allTextContents()) {
      expect(CLASS_NAMES.filter((n) => text.includes(n)).length).toBeGreaterThanOrEqual(1);
    }
    const labels = await gallery.getByRole('button', { name: /^Test image \d+: true / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(labels).toHaveLength(36);
    expect(labels.some((l) => l.endsWith('(mistake)'))).toBe(true); // at 0.8 accuracy some of 36 are wrong
    await screenshot(page, 'predictions-gallery');

    await gallery.getByRole('checkbox', { name: 'Mistakes only' }).check();
    // The number of mistakes matches the accuracy shown (both read from one render, after the last refresh).
    await expect.poll(async () => {
      const text = (await gallery.textContent()) ?? '';
      const shownAcc = Number(/test accuracy (\d\.\d+)/.exec(text)?.[1]);
      const total = Number(/Showing 36 of (\d+) images/.exec(text)?.[1]);
      return Math.abs(total - Math.round((1 - shownAcc) * 10000));
    }, { timeout: 20_000 }).toBeLessThanOrEqual(6);
    const mistakeLabels = await gallery.getByRole('button', { name: /^Test image \d+: true / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(mistakeLabels).toHaveLength(36);
    for (const l of mistakeLabels) {
      expect(l).toMatch(/\(mistake\)$/);
      const m = /true (.+), predicted (.+) \(mistake\)$/.exec(l);
      expect(m?.[1]).not.toBe(m?.[2]);
    }
    expect(await thumbs().filter({ hasText: 'mistake' }).count()).toBe(36); // marked in text, not colour alone

    // A click shows the ten class probabilities, in view (not below the fold, not under the control bar).
    await gallery.getByRole('button', { name: /^Test image \d+: true / }).first().click();
    const details = gallery.getByRole('group', { name: /^Class probabilities of test image/ });
    await expect.poll(() => details.getByRole('listitem').count()).toBe(10);
    await expect.poll(async () => {
      const box = await details.boundingBox();
      const bar = await page.getByTestId('control-bar').boundingBox();
      const view = page.viewportSize();
      return !!box && !!bar && !!view && box.y >= bar.y + bar.height - 1 && box.y + Math.min(box.height, 200) <= view.height;
    }, { timeout: 5000 }).toBe(true);
    await screenshot(page, 'predictions-mistakes');
    await gallery.screenshot({ path: join(SCREENSHOTS, 'predictions-mistakes-gallery.png') });
    await gallery.getByRole('checkbox', { name: 'Mistakes only' }).uncheck();
  });

  it('a confusion-matrix cell click shows exactly those images in the gallery', async () => {
    const matrix = page.getByRole('region', { name: 'Confusion matrix' });
    const cells = matrix.getByRole('button', { name: / images of .+ predicted as / });
    expect(await cells.count()).toBe(100);
    const cell = matrix.getByRole('button', { name: /^\d+ images of Shirt predicted as T-shirt\/top$/ });
    const count = Number(/^(\d+)/.exec((await cell.getAttribute('aria-label')) ?? '')?.[1]);
    expect(count).toBeGreaterThan(0);
    await cell.focus();
    await page.keyboard.press('Enter'); // a button: keyboard reachable
    const gallery = page.getByRole('region', { name: 'Prediction gallery' });
    await expect.poll(async () => (await gallery.textContent()) ?? '').toContain(`Showing the ${count} images of Shirt predicted as T-shirt/top.`);
    const labels = await gallery.getByRole('button', { name: /^Test image \d+: true / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(labels).toHaveLength(Math.min(count, 36));
    for (const l of labels) expect(l).toMatch(/: true Shirt, predicted T-shirt\/top \(mistake\)$/);
    // The greyed filters say what the cell shows: true class Shirt, mistakes only.
    const mistakes = gallery.getByRole('checkbox', { name: 'Mistakes only' });
    const trueClass = gallery.locator('.gallery-filters select'); // the True class filter
    expect(await mistakes.isChecked()).toBe(true);
    expect(await mistakes.isDisabled()).toBe(true);
    expect(await trueClass.locator('option:checked').innerText()).toBe('Shirt');
    await screenshot(page, 'predictions-confusion-cell');

    // The diagonal cell of a class: exactly its correctly classified images.
    const diag = matrix.getByRole('button', { name: /^\d+ images of Trouser predicted as Trouser$/ });
    const n = Number(/^(\d+)/.exec((await diag.getAttribute('aria-label')) ?? '')?.[1]);
    await diag.click();
    await expect.poll(async () => (await gallery.textContent()) ?? '').toContain(`Showing the ${n} images of Trouser predicted as Trouser.`);
    expect(await mistakes.isChecked()).toBe(false); // the diagonal: the right answers
    expect(await trueClass.locator('option:checked').innerText()).toBe('Trouser');
    await gallery.getByRole('button', { name: 'Show all images' }).click();
    await expect.poll(async () => (await gallery.textContent()) ?? '').toMatch(/Showing 36 of 10000 images/);
    // All images, and filters that say so (cleared, usable again).
    expect(await mistakes.isChecked()).toBe(false);
    expect(await mistakes.isDisabled()).toBe(false);
    expect(await trueClass.locator('option:checked').innerText()).toBe('All classes');
  });

  it('classifies real PNG and JPEG pictures of test garments drawn off-centre on white', async () => {
    await installFixtures(page);
    // One test image per class that the model gets right as it is: the question is whether
    // preprocessing gives the model back what it was trained on.
    const indices = await page.evaluate(async () => {
      const { predicted, labels } = await (window as unknown as LabWindow).api.request({ kind: 'testPredictions' });
      const pick: number[] = [];
      for (let k = 0; k < 10; k++) {
        for (let i = 0; i < labels.length; i++) {
          if (labels[i] === k && predicted[i] === k) {
            pick.push(i);
            break;
          }
        }
      }
      return pick;
    });
    expect(indices).toHaveLength(10);
    const results: Record<string, number> = { png: 0, jpeg: 0 };
    for (const [ext, type] of [['png', 'image/png'], ['jpeg', 'image/jpeg']] as const) {
      for (let k = 0; k < 10; k++) {
        const name = `garment-${indices[k]}.${ext}`;
        await page.evaluate(([i, t, n]) => (window as unknown as { __fx: { garment(i: number, t: string, n: string): Promise<void> } }).__fx.garment(i, t, n), [indices[k], type, name] as [number, string, string]);
        if (ext === 'jpeg' && k === 0) {
          // One through the file input (the picker), the rest by drag and drop.
          const bytes = await page.evaluate(async (n) => Array.from(new Uint8Array(await (window as unknown as { __fx: { files: Map<string, File> } }).__fx.files.get(n)!.arrayBuffer())), name);
          await page.getByRole('region', { name: 'Classify an image' }).locator('input[type=file]').setInputFiles({ name, mimeType: type, buffer: Buffer.from(bytes) });
        } else {
          await drop([name]);
        }
        const text = await predictionFor(name);
        if (text.includes(`: ${CLASS_NAMES[k]} (`)) results[ext]++;
        if (k === 7) {
          await screenshot(page, `predictions-own-${ext}`);
          await page.getByRole('region', { name: 'Classify an image' }).screenshot({ path: join(SCREENSHOTS, `predictions-own-${ext}-zone.png`) });
        }
      }
    }
    console.log(`own pictures classified right: PNG ${results.png}/10, JPEG ${results.jpeg}/10`);
    expect(results.png).toBeGreaterThanOrEqual(7);
    expect(results.jpeg).toBeGreaterThanOrEqual(7);
    // Paste from the clipboard works too.
    await page.evaluate((n) => {
      const fx = (window as unknown as { __fx: { files: Map<string, File> } }).__fx;
      const dt = new DataTransfer();
      dt.items.add(new File([fx.files.get(n) as File], 'pasted.png', { type: 'image/png' }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, `garment-${indices[3]}.png`);
    expect(await predictionFor('pasted.png')).toContain(`: ${CLASS_NAMES[3]} (`);
    // A 6000x4000 photo (a PNG made in Node): the browser decodes and downscales it, and preprocessing
    // runs, in a worker; the main thread has no long task meanwhile. The file is put in the page first,
    // so the measured stretch holds only the drop and what the app does with it.
    const sneaker = await page.evaluate(async (i) => Array.from((await (window as unknown as LabWindow).api.request({ kind: 'testExamples', indices: [i] })).pixels), indices[7]);
    const png = bigGarmentPng(sneaker, 6000, 4000, 100, 3000, 600);
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      for (const name of ['big-photo.png', 'big-photo-again.png']) (window as unknown as { __fx: { files: Map<string, File> } }).__fx.files.set(name, new File([bytes], name, { type: 'image/png' }));
    }, png.toString('base64'));
    await page.waitForTimeout(1000); // let earlier work settle
    const noise = await machineNoise(page);
    await takeLongTasks(page);
    await drop(['big-photo.png']);
    expect(await predictionFor('big-photo.png')).toContain(`: ${CLASS_NAMES[7]} (`);
    const what = `classifying a 6000x4000 PNG of ${png.length} bytes`;
    const tasks = await takeLongTasks(page);
    console.log(`long tasks while ${what} (ms):`, JSON.stringify(tasks.map((t) => Math.round(t.duration))));
    // The same photo once more decides, as the lab's other no-long-task checks do.
    const judged = await lookAgainIfLong(page, tasks, what, async () => {
      await drop(['big-photo-again.png']);
      expect(await predictionFor('big-photo-again.png')).toContain(`: ${CLASS_NAMES[7]} (`);
    });
    await expectNoLongTasks(page, judged, noise, what);
    if (judged !== tasks) {
      // The tests after this one start from the first photo's prediction.
      await drop(['big-photo.png']);
      expect(await predictionFor('big-photo.png')).toContain(`: ${CLASS_NAMES[7]} (`);
    }
    // The steps are shown, and the evidence map of the top class.
    const zone = page.getByRole('region', { name: 'Classify an image' });
    expect(await zone.locator('figure.step').count()).toBe(5);
    // The first step says the picture was scaled down, and from what.
    expect(await zone.locator('figure.step').first().innerText()).toMatch(/^Grey-scale, scaled down from 6000×4000\s+512×341 px$/);
    await expect.poll(() => zone.getByRole('img', { name: /^Evidence map for class / }).count()).toBe(1);
  });

  // Several files at once go to the batch table: exports.e2e.test.ts, "classifying many images at once".
  it('gives each bad file its message and carries on', async () => {
    type Fx = { __fx: { make(n: string, t: string, p: BlobPart[]): void; truncate(a: string, b: string): void; plainPng(w: number, h: number, n: string): Promise<void> } };
    await page.evaluate(async () => {
      const fx = (window as unknown as Fx).__fx;
      fx.make('drawing.svg', 'image/svg+xml', ['<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>']);
      fx.make('notes.txt', 'text/plain', ['not a picture']);
      fx.make('empty.png', 'image/png', []);
      fx.make('huge.png', 'image/png', [new Uint8Array(21 * 1024 * 1024)]);
      await fx.plainPng(8001, 16, 'wide.png');
    });
    // A 4x4 PNG whose header declares 30000x30000 px: refused from the header, never decoded in full.
    const bomb = Array.from(encodePngGrey(4, 4, new Uint8Array(16)));
    bomb.splice(16, 8, 0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30);
    await page.evaluate((b) => (window as unknown as Fx).__fx.make('bomb.png', 'image/png', [Uint8Array.from(b)]), bomb);
    const garment = (await page.evaluate(() => Array.from((window as unknown as { __fx: { files: Map<string, File> } }).__fx.files.keys()))).find((n) => n.endsWith('.png') && n.startsWith('garment-')) as string;
    await page.evaluate((g) => (window as unknown as Fx).__fx.truncate(g, 'truncated.png'), garment);

    const cases: [string[], RegExp][] = [
      [['drawing.svg'], /drawing\.svg is an SVG/],
      [['notes.txt'], /notes\.txt is not an image/],
      [['truncated.png'], /truncated\.png could not be decoded/],
      [['empty.png'], /empty\.png is empty/],
      [['huge.png'], /huge\.png is 21\.0 MB; images up to 20 MB/],
      [['wide.png'], /wide\.png is 8001×16 px; images up to 8000 px/],
      [['bomb.png'], /bomb\.png is 30000×30000 px; images up to 8000 px/],
    ];
    const kept = await predictionFor('big-photo.png');
    for (const [names, message] of cases) {
      await drop(names);
      await expect.poll(inputError, { timeout: 15_000 }).toMatch(message);
      // The earlier result stays, and the message says whose it is.
      expect(await page.getByRole('region', { name: 'Prediction', exact: true }).textContent()).toBe(kept);
      expect(await inputError()).toMatch(/The result below is still that of big-photo\.png\.$/);
      if (names[0] === 'truncated.png') await screenshot(page, 'predictions-bad-truncated');
    }
    // The app carries on: a good picture still works, and the trainer still answers.
    await drop([garment]);
    expect(await predictionFor(garment)).toMatch(/Prediction for/);
    await expect(page.getByRole('region', { name: 'Classify an image' }).getByRole('alert').count()).resolves.toBe(0);
  });

  it('re-predicts the own image as the weights change during training', async () => {
    const region = page.getByRole('region', { name: 'Prediction', exact: true });
    const before = (await region.textContent()) ?? '';
    expect(before).toMatch(/Prediction for garment-/);
    await page.getByRole('button', { name: 'Start' }).click(); // a new run: fresh weights, then learning
    await expect.poll(async () => (await region.textContent()) ?? '', { timeout: 15_000 }).not.toBe(before);
    await page.getByRole('status').filter({ hasText: 'Done' }).first().waitFor({ timeout: 90_000 });
  });

  it('switching to 简体中文 changes the labels, class names included, and is remembered', async () => {
    const before = await predictionFor('garment-');
    const k = CLASS_NAMES.findIndex((n) => before.includes(`: ${n} (`));
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await page.getByRole('region', { name: '预测图库' }).waitFor();
    await page.getByRole('region', { name: '混淆矩阵' }).waitFor();
    await page.getByRole('heading', { name: '分类一张图像' }).waitFor();
    const prediction = page.getByRole('region', { name: '预测', exact: true });
    expect(await prediction.textContent()).toContain(ZH_NAMES[k]);
    expect(await page.getByRole('button', { name: '开始', exact: true }).count()).toBe(1);
    const gallery = page.getByRole('region', { name: '预测图库' });
    const captions = (await gallery.getByRole('listitem').allTextContents()).join(' ');
    expect(ZH_NAMES.some((n) => captions.includes(n))).toBe(true);
    expect(CLASS_NAMES.some((n) => captions.includes(n))).toBe(false);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await screenshot(page, 'predictions-zh');
    await page.getByRole('region', { name: '混淆矩阵' }).screenshot({ path: join(SCREENSHOTS, 'predictions-zh-confusion.png') });

    await page.reload();
    await page.getByRole('combobox', { name: '语言' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('combobox', { name: '语言' }).inputValue()).toBe('zh');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('region', { name: 'Prediction gallery' }).waitFor();
  });
});
