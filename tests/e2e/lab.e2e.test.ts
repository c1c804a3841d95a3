// End-to-end (issue 5) in Debian's Chromium against the built web page: the dataset loads, two epochs
// train at full speed and the curves and status advance, the lr slider applies to the next batches with
// one marker per gesture, the ten heatmaps are drawn, Pause pauses, Reset resets, keys work, the naive
// softmax at lr 10 diverges without NaN on screen, and no long task over 50 ms happens while training.
// Screenshots: tests/e2e/screenshots/. Issue 11's instrument is tested in instrument.e2e.test.ts.

import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectNoLongTasks, lookAgainIfLong, machineNoise, takeLongTasks } from './long-tasks';
import { screenshot, useLabPage } from './harness';
import { waitFor as waitForOn, setNumberField as setNumberFieldOn } from './page-actions';

const { page, pageErrors } = useLabPage();

const status = (): Promise<string> => page.getByRole('status').first().innerText();
const readout = page_attr('[data-testid="batch-readout"]');
const curves = page_attr('section.curves');

function page_attr(selector: string) {
  return async (name: string): Promise<string> => (await page.locator(selector).getAttribute(name)) ?? '';
}

async function batches(): Promise<number> {
  return Number(await readout('data-batches'));
}

const waitFor = (check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> => waitForOn(page, check, what, timeoutMs);

const setNumberField = (label: string, value: string): Promise<void> => setNumberFieldOn(page, label, value);

describe('the lab window in Chromium', () => {
  it('loads and shows the dataset ready', async () => {
    await page.locator('section.dataset[data-status="ready"]').waitFor({ timeout: 90_000 });
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/10 · lr 0\.1 · /);
    expect(await page.getByRole('region', { name: 'Dataset' }).innerText()).toMatch(/60000 training and 10000 test images/);
    // The session starts at a pace a person can watch (WATCHABLE_PACE).
    expect(await page.getByRole('slider', { name: 'Pace' }).getAttribute('aria-valuetext')).toBe('20 batches/s');
    expect(await page.getByRole('button', { name: 'Start' }).isEnabled()).toBe(true);
    expect(await page.getByRole('slider', { name: 'Learning rate' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Training curves' }).count()).toBe(1);
    await screenshot(page, '01-ready');
  });

  it('trains two epochs: the curves and the status text advance, with no long task', async () => {
    await setNumberField('Epochs', '2');
    await expect.poll(status).toMatch(/Epoch 0\/2/);
    await page.getByRole('button', { name: 'Full speed' }).click();
    await expect.poll(() => page.getByRole('slider', { name: 'Pace' }).getAttribute('aria-valuetext')).toBe('full speed');
    const noise = await machineNoise(page);
    await page.getByRole('button', { name: 'Start' }).click();
    // One cheap read every 250 ms: the harness's own page scripts must not crowd the run it measures.
    const samples: { status: string; points: number; epochs: number }[] = [];
    const end = Date.now() + 60_000;
    for (;;) {
      const sample = await page.evaluate(() => ({
        status: document.querySelector('[role="status"]')?.textContent ?? '',
        points: Number(document.querySelector('section.curves')?.getAttribute('data-points')),
        epochs: Number(document.querySelector('[role="status"]')?.getAttribute('data-epochs-done')),
      }));
      samples.push(sample);
      if (/^Done · Epoch 2\/2/.test(sample.status)) break;
      if (Date.now() > end) throw new Error(`timed out waiting for two epochs; status: ${sample.status}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const pointCounts = samples.map((x) => x.points);
    const points = pointCounts[pointCounts.length - 1];
    const epochsSeen = samples.map((x) => x.epochs);
    expect(epochsSeen).toEqual([...epochsSeen].sort((a, b) => a - b)); // the status only moves forward
    const longTasks = await takeLongTasks(page);
    const s = await status();
    expect(s).toMatch(/^Done · Epoch 2\/2 · lr 0\.1 · epoch 2: train loss \d\.\d\d · train acc 0\.\d\d · test acc 0\.\d\d$/);
    expect(Number(/test acc (0\.\d\d)/.exec(s)?.[1])).toBeGreaterThan(0.7);
    expect(points).toBeGreaterThan(50);
    expect(Number(await curves('data-test-points'))).toBe(2);
    expect(pointCounts.some((n, i) => i > 0 && n > pointCounts[0])).toBe(true);
    expect(await readout('data-batches')).toBe(String(2 * 235));
    await screenshot(page, '02-two-epochs');
    // One more run decides, as the inside views' test does: one stall of a shared 2-core machine while the
    // trainer holds a core is not yet the page's; a page that really blocks does it every run.
    const tasks = await lookAgainIfLong(page, longTasks, 'two epochs at full speed', async () => {
      const runsBefore = await page.locator('section.history li').count();
      await page.getByRole('button', { name: 'Start' }).click();
      await page.waitForFunction((n) => document.querySelectorAll('section.history li').length > n && document.querySelector('[role="status"]')?.getAttribute('data-state') === 'done', runsBefore, { timeout: 60_000 });
    });
    await expectNoLongTasks(page, tasks, noise, 'two epochs at full speed');
  });

  it('draws the ten heatmaps, named by class, and not blank', async () => {
    const names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
    for (const name of names) expect(await page.getByRole('img', { name: `Weights for class ${name}`, exact: true }).count()).toBe(1);
    const stats = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLCanvasElement>('.heatmap canvas')).map((c) => {
      const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
      const colours = new Set<number>();
      let opaque = 0;
      for (let i = 0; i < d.length; i += 4) {
        colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        if (d[i + 3] === 255) opaque++;
      }
      return { w: c.width, h: c.height, colours: colours.size, opaque };
    }));
    expect(stats).toHaveLength(10);
    for (const s of stats) {
      expect(s).toMatchObject({ w: 28, h: 28, opaque: 784 });
      expect(s.colours).toBeGreaterThan(20);
    }
    // Hover reads a pixel's value; a click enlarges the class, Escape closes.
    const sneaker = page.getByRole('img', { name: 'Weights for class Sneaker', exact: true });
    await sneaker.hover({ position: { x: 40, y: 40 } });
    await expect.poll(() => page.getByTestId('weight-hover').innerText()).toMatch(/^Sneaker, row \d+, column \d+: -?\d\.\d{4}$/);
    await sneaker.click();
    await page.getByRole('img', { name: 'Weights for class Sneaker, enlarged' }).waitFor();
    await screenshot(page, '03-enlarged');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
  });

  it('Reset really resets: epoch back to 0, curves cleared', async () => {
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/2 · lr 0\.1 · train loss — · train acc — · test acc —$/);
    expect(await curves('data-points')).toBe('0');
    expect(await curves('data-test-points')).toBe('0');
    expect(await batches()).toBe(0);
  });

  it('shows one good full window for the README', async () => {
    // 200 batches/s: slow enough to change the lr during epoch 3 on any machine, fast enough for a test.
    await page.getByRole('slider', { name: 'Pace' }).fill('9');
    await expect.poll(() => page.getByRole('slider', { name: 'Pace' }).getAttribute('aria-valuetext')).toBe('200 batches/s');
    await setNumberField('Learning rate value', '0.1');
    await setNumberField('Epochs', '5');
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(async () => /Epoch 2\/5/.test(await status()), 'two epochs of five');
    await page.getByRole('slider', { name: 'Learning rate' }).fill('-0.52'); // 10^-0.52 = 0.302, shown as 0.3
    await waitFor(async () => /^Done · Epoch 5\/5/.test(await status()), 'five epochs');
    await screenshot(page, '06-done-page');
    const path = await screenshot(page, '06-readme-window', { fullPage: false });
    const dest = fileURLToPath(new URL('../../assets/screenshots/lab.png', import.meta.url));
    mkdirSync(fileURLToPath(new URL('../../assets/screenshots/', import.meta.url)), { recursive: true });
    if (process.env.SOFTMAX_LAB_UPDATE_SCREENSHOT === '1') copyFileSync(path, dest);
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(status).toMatch(/^Ready · /);
  });

  it('the lr slider applies to the next batches while training, with one marker; Pause really pauses', async () => {
    await page.getByRole('slider', { name: 'Pace' }).fill('7'); // 50 batches/s
    await expect.poll(() => page.getByRole('slider', { name: 'Pace' }).getAttribute('aria-valuetext')).toBe('50 batches/s');
    await setNumberField('Learning rate value', '0.1');
    await setNumberField('Epochs', '10');
    const noise = await machineNoise(page);
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(async () => (await batches()) >= 20, '20 batches');
    expect(await readout('data-last-lr')).toBe('0.1');
    const slider = page.getByRole('slider', { name: 'Learning rate' });
    await slider.fill('-0.3'); // 10^-0.3 = 0.501: the stop 0.5
    await waitFor(async () => (await readout('data-last-lr')) === '0.5', 'a batch with lr 0.5');
    const afterChange = await batches();
    await waitFor(async () => (await batches()) >= afterChange + 20, '20 more batches');
    expect(await readout('data-last-lr')).toBe('0.5');
    expect(Number(await curves('data-markers'))).toBe(1); // one change, one marker
    expect(await page.getByLabel('Learning rate value').inputValue()).toBe('0.5');
    expect(await status()).toMatch(/ · lr 0\.5 · /);
    // One more look at 40 more batches at the same pace (the lr changed back), as for the two-epoch run.
    const longTasks = await lookAgainIfLong(page, await takeLongTasks(page), 'watchable pace with an lr change', async () => {
      await slider.fill('-1'); // 0.1
      const now = await batches();
      await waitFor(async () => (await batches()) >= now + 40, '40 more batches');
    });
    await screenshot(page, '04-lr-changed');

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(status).toMatch(/^Paused · /);
    const paused = await batches();
    await page.waitForTimeout(1000);
    expect(await batches()).toBe(paused);
    expect(await page.getByRole('button', { name: 'Resume' }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Step' }).isEnabled()).toBe(true);
    await expectNoLongTasks(page, longTasks, noise, 'watchable pace with an lr change');
  });

  it('keys: S steps one batch, E one epoch, Space resumes and pauses, R resets; not while typing', async () => {
    const before = await batches();
    await page.locator('body').press('s');
    await waitFor(async () => (await batches()) === before + 1, 'one step');
    await page.getByLabel('Seed').focus();
    await page.keyboard.press('s');
    await page.keyboard.press('r');
    await page.waitForTimeout(300);
    expect(await batches()).toBe(before + 1);
    await page.getByLabel('Seed').press('Escape');
    await page.locator('h1').click();
    const done = Number(await page.getByRole('status').first().getAttribute('data-epochs-done'));
    await page.keyboard.press('e'); // the rest of the epoch, then paused
    await waitFor(async () => Number(await page.getByRole('status').first().getAttribute('data-epochs-done')) === done + 1 && /^Paused · /.test(await status()), 'one epoch stepped');
    expect(await page.getByTestId('batch-readout').innerText()).toMatch(/batch 235\/235/);
    await page.keyboard.press('Space');
    await expect.poll(status).toMatch(/^Training · /);
    await page.keyboard.press('Space');
    await expect.poll(status).toMatch(/^Paused · /);
    await page.keyboard.press('r');
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/10/);
    expect(await curves('data-points')).toBe('0');
  });

  it('the naive softmax at lr 10 diverges, and no NaN is drawn or shown', async () => {
    await page.getByLabel('Softmax').selectOption('naive');
    await setNumberField('Learning rate value', '10');
    await expect.poll(() => page.getByRole('slider', { name: 'Learning rate' }).inputValue()).toBe('1');
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(async () => /^Diverged at epoch \d+, batch \d+: /.test(await status()), 'divergence');
    // The status may say why ("loss became NaN"); no number shown or drawn may be NaN or Infinity.
    expect(await status()).toMatch(/^Diverged at epoch \d+, batch \d+: (loss became (NaN|Infinity|\d)|the gradient became NaN|weights overflowed)/);
    for (const region of ['Training curves', 'Weights', 'Training controls']) {
      expect(await page.getByRole('region', { name: region }).innerText()).not.toMatch(/NaN|Infinity/);
    }
    expect(await page.getByTestId('batch-readout').innerText()).not.toMatch(/NaN|Infinity/);
    const paths = await page.locator('section.curves path').evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''));
    expect(paths.join(' ')).not.toMatch(/NaN|Infinity/);
    expect(await page.getByRole('button', { name: 'Step' }).isDisabled()).toBe(true);
    expect(await page.getByText('Step: The run has ended: Start begins a new run; Reset goes back to its start to step through it.').count()).toBeGreaterThan(0);
    await screenshot(page, '07-diverged');
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(status).toMatch(/^Ready · /);
  });

  it('had no errors on the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
