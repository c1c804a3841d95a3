// End-to-end (issue 11, "the lab as an instrument") in Debian's Chromium against the built web page, one
// test per point of the issue: the pace (a watchable default, applied mid-run, full speed one step away,
// one epoch at a time), the learning rate (keys from any value, one change per drag, any value within
// LIMITS in the field), the curves (tooltip by pointer and keyboard, smoothing, log scale, thinned dots,
// the per-epoch table, CSV, no idle Tab stops), true words (predictions, the running epoch, reasons, an
// opened model), the layout at 1440×900, 1024×700 and 800×900, the heatmaps by keyboard, honest
// classification, 简体中文 with the bundled font, and the page's icon. Screenshots: tests/e2e/screenshots/.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { LabApi } from '../../common/contract';
import { encodePngGrey, screenshot, SCREENSHOTS, useLabPage } from './harness';
import { waitFor as waitForOn, setNumberField as setNumberFieldOn } from './page-actions';

const { page, pageErrors } = useLabPage({
  viewport: { width: 1440, height: 900 },
  ready: true,
  beforeLoad: (p) => p.on('response', (r) => responses.push({ status: r.status(), url: r.url() })),
});
const responses: { status: number; url: string }[] = [];

const status = (): Promise<string> => page.getByRole('status').first().innerText();
const readout = (): Promise<string> => page.getByTestId('batch-readout').innerText();
const batches = async (): Promise<number> => Number(await page.getByTestId('batch-readout').getAttribute('data-batches'));
const epochsDone = async (): Promise<number> => Number(await page.getByRole('status').first().getAttribute('data-epochs-done'));
const paceSlider = () => page.getByRole('slider', { name: 'Pace' });
const lrSlider = () => page.getByRole('slider', { name: 'Learning rate' });
const lrField = () => page.getByLabel('Learning rate value');
const curves = () => page.getByRole('region', { name: 'Training curves' });

const waitFor = (check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> => waitForOn(page, check, what, timeoutMs);

const setNumberField = (label: string, value: string): Promise<void> => setNumberFieldOn(page, label, value);

/** Clicks One epoch and waits until the run is paused one epoch further on. */
async function stepOneEpoch(): Promise<void> {
  const before = await epochsDone();
  await page.getByRole('button', { name: 'One epoch' }).click();
  await waitFor(async () => (await epochsDone()) === before + 1 && /^Paused · /.test(await status()), 'one epoch stepped');
}

/** The pixels (784, 0..255) of a test image, from the page's trainer. */
async function testPixels(index: number): Promise<number[]> {
  return page.evaluate(async (i) => Array.from((await (window as unknown as { api: LabApi }).api.request({ kind: 'testExamples', indices: [i] })).pixels), index);
}

/** Drops a file (bytes made in Node) onto the "Classify an image" zone. */
async function dropFile(name: string, type: string, bytes: Buffer): Promise<void> {
  await page.evaluate(({ name: n, type: t, b64 }) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const zone = (document.getElementById('classify-title') as HTMLElement).closest('section') as HTMLElement;
    const dt = new DataTransfer();
    dt.items.add(new File([data], n, { type: t }));
    for (const kind of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(kind, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { name, type, b64: bytes.toString('base64') });
}

/** A test garment as a product photo: dark on white, 8× larger, on a 300×260 canvas. */
function garmentPng(pixels: number[]): Buffer {
  const w = 300, h = 260, scale = 8, ox = 40, oy = 10;
  const grey = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < 28 * scale; y++) for (let x = 0; x < 28 * scale; x++) grey[(oy + y) * w + ox + x] = 255 - pixels[Math.floor(y / scale) * 28 + Math.floor(x / scale)];
  return encodePngGrey(w, h, grey);
}

/** The text of the "Prediction" region once it names `file`. */
async function predictionFor(file: string): Promise<string> {
  const region = page.getByRole('region', { name: 'Prediction', exact: true });
  await expect.poll(async () => (await region.textContent()) ?? '', { timeout: 15_000 }).toContain(`Prediction for ${file}`);
  return (await region.textContent()) ?? '';
}

describe('issue 11: the lab as an instrument', () => {
  it('10. the app icon is the page icon, and no request fails (no /favicon.ico 404)', async () => {
    await page.waitForLoadState('networkidle');
    expect(responses.filter((r) => r.status >= 400)).toEqual([]);
    expect(responses.some((r) => r.url.endsWith('/favicon.ico'))).toBe(false);
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toMatch(/\.png$/);
    const icon = await page.request.get(new URL(href as string, page.url()).href);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toMatch(/^image\/png/);
    const bytes = await icon.body();
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(64); // the 64×64 app icon from assets/icons
  });

  it('5. before any training, the gallery and matrix never claim the dataset is missing; shown, they compute', async () => {
    const gallery = page.getByRole('region', { name: 'Prediction gallery' });
    const matrix = page.getByRole('region', { name: 'Confusion matrix' });
    for (const region of [gallery, matrix]) expect(await region.innerText()).not.toMatch(/once the dataset is loaded/);
    expect(await gallery.innerText()).toMatch(/computed when this panel is scrolled into view|test accuracy/);
    await screenshot(page, 'i11-01-ready-1440', { fullPage: false });
    await gallery.scrollIntoViewIfNeeded();
    await expect.poll(async () => gallery.innerText(), { timeout: 20_000 }).toMatch(/test accuracy 0\.\d{3}/);
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('1. pace: 20 batches/s by default (the first epoch takes over 10 s), applied mid-run, full speed one step away, one epoch at a time', async () => {
    expect(await paceSlider().getAttribute('aria-valuetext')).toBe('20 batches/s');
    await page.getByRole('button', { name: 'Start' }).click();
    const t0 = Date.now();
    await waitFor(async () => (await batches()) > 0, 'the first batches');
    await page.waitForTimeout(2500);
    const early = await batches();
    const elapsed = (Date.now() - t0) / 1000;
    expect(early).toBeLessThanOrEqual(Math.ceil(20 * elapsed) + 3); // never faster than the pace
    expect(early).toBeLessThan(235); // still in the first epoch after 2.5 s: it takes 235 / 20 = 11.75 s
    // 5. The status counts the running epoch from 1 and agrees with the batch readout.
    expect(await status()).toMatch(/^Training · Epoch 1\/10 · lr 0\.1 · train loss — · train acc — · test acc —$/);
    expect(await readout()).toMatch(/^Epoch 1, batch \d+\/235 · /);
    await screenshot(page, 'i11-02-watchable-pace', { fullPage: false });

    // Slower, at once, mid-run: two stops down from 20 is 5 batches/s.
    await paceSlider().focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => paceSlider().getAttribute('aria-valuetext')).toBe('5 batches/s');
    await page.waitForTimeout(300);
    const before = await batches();
    const t1 = Date.now();
    await page.waitForTimeout(2000);
    const slow = (await batches()) - before;
    expect(slow).toBeLessThanOrEqual(Math.ceil(5 * ((Date.now() - t1) / 1000)) + 2);

    // Full speed is one key (End) away; the epoch then ends at once.
    await page.keyboard.press('End');
    await expect.poll(() => paceSlider().getAttribute('aria-valuetext')).toBe('full speed');
    expect(await page.getByRole('button', { name: 'Full speed' }).getAttribute('aria-pressed')).toBe('true');
    await waitFor(async () => (await epochsDone()) >= 1, 'the first epoch at full speed', 30_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(status).toMatch(/^Paused · /);
    // Paused mid-epoch: the status's epoch is the readout's.
    const running = /^Epoch (\d+), batch/.exec(await readout())?.[1];
    expect(await status()).toMatch(new RegExp(`^Paused · Epoch ${running}/10 · `));

    // One epoch at a time: the rest of this epoch, then paused at its end.
    await stepOneEpoch();
    expect(await readout()).toMatch(/^Epoch \d+, batch 235\/235 · /);
    expect(await status()).toMatch(new RegExp(`^Paused · Epoch ${await epochsDone()}/10 · lr 0\\.1 · epoch ${await epochsDone()}: train loss `));
  });

  it('2. learning rate: keys move one round value from any value; one drag is one change; the field takes any value within LIMITS', async () => {
    const shown = async () => ({ slider: await lrSlider().getAttribute('aria-valuetext'), field: await lrField().inputValue(), status: / · lr ([\d.e-]+) · /.exec(await status())?.[1] });
    await lrSlider().focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(shown).toEqual({ slider: '0.12', field: '0.12', status: '0.12' }); // 0.1 → above 0.1
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(shown).toEqual({ slider: '0.08', field: '0.08', status: '0.08' });
    await page.keyboard.press('PageUp'); // four stops: 0.1, 0.12, 0.15, 0.2
    await expect.poll(shown).toEqual({ slider: '0.2', field: '0.2', status: '0.2' });
    await page.keyboard.press('Home');
    await expect.poll(shown).toEqual({ slider: '0.001', field: '0.001', status: '0.001' });
    await page.keyboard.press('End');
    await expect.poll(shown).toEqual({ slider: '10', field: '10', status: '10' });
    // A value typed in between stops: the arrows still move from it.
    await lrField().fill('0.07');
    await lrField().press('Enter');
    await expect.poll(shown).toEqual({ slider: '0.07', field: '0.07', status: '0.07' });
    await lrSlider().focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(shown).toEqual({ slider: '0.08', field: '0.08', status: '0.08' });
    await lrField().fill('0.1');
    await lrField().press('Enter');
    await expect.poll(shown).toEqual({ slider: '0.1', field: '0.1', status: '0.1' });

    // While training (slowly, to see it), one drag of the thumb applies as it moves but is one change.
    await paceSlider().fill('5'); // 20 batches/s
    await page.getByRole('button', { name: 'Resume' }).click();
    await waitFor(async () => /^Training/.test(await status()), 'training');
    const markers0 = Number(await curves().getAttribute('data-markers'));
    const box = (await lrSlider().boundingBox())!;
    const y = box.y + box.height / 2;
    const xAt = (lr: number) => box.x + 8 + ((Math.log10(lr) + 3) / 4) * (box.width - 16);
    await page.mouse.move(xAt(0.1), y);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) {
      await page.mouse.move(xAt(0.1) + (i / 12) * (xAt(0.5) - xAt(0.1)), y);
      await page.waitForTimeout(60); // batches run with the passing values
    }
    await page.mouse.up();
    const settled = await lrSlider().getAttribute('aria-valuetext');
    expect(Number(settled)).toBeGreaterThan(0.3);
    await waitFor(async () => (await page.getByTestId('batch-readout').getAttribute('data-last-lr')) === settled, 'a batch at the settled rate');
    await page.waitForTimeout(500);
    expect(Number(await curves().getAttribute('data-markers'))).toBe(markers0 + 1);
    await expect.poll(shown).toEqual({ slider: settled, field: settled, status: settled });
    await screenshot(page, 'i11-03-lr-drag', { fullPage: false });
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(status).toMatch(/^Paused · /);

    // The field: beyond the slider's range within LIMITS is accepted; a bad value is explained.
    await lrField().fill('250');
    await lrField().press('Enter');
    await expect.poll(shown).toEqual({ slider: '250', field: '250', status: '250' });
    await lrField().fill('-1');
    expect(await lrField().getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').filter({ hasText: 'The learning rate must be a number from 0.000001 to 1000.' }).count()).toBe(1);
    await lrField().press('Enter');
    await lrField().press('Escape');
    await expect.poll(shown).toEqual({ slider: '250', field: '250', status: '250' });
    await lrField().fill('0.1');
    await lrField().press('Enter');
    await expect.poll(shown).toEqual({ slider: '0.1', field: '0.1', status: '0.1' });
  });

  it('4. curves: a tooltip by pointer and by keyboard, smoothing, a log scale, the per-epoch table, CSV, and no idle Tab stops', async () => {
    const chart = curves().getByRole('group', { name: 'Training curves chart' });
    const tooltip = curves().getByRole('tooltip');
    const cbox = (await chart.boundingBox())!;
    await page.mouse.move(cbox.x + cbox.width * 0.4, cbox.y + cbox.height / 2);
    await expect.poll(() => tooltip.count()).toBe(1);
    const hovered = await tooltip.innerText();
    expect(hovered).toMatch(/^epoch \d+\.\d\d \(epoch \d+, batch \d+\/235\)/);
    expect(hovered).toMatch(/train loss \d\.\d{3} \(smoothed \d\.\d{3}\)/);
    expect(hovered).toMatch(/train acc 0\.\d{3}/);
    expect(hovered).toMatch(/test acc (0\.\d{3} \(after epoch \d+\)|— \(no epoch finished yet\))/);
    await screenshot(page, 'i11-04-tooltip', { fullPage: false });
    await page.mouse.move(5, 5);
    await expect.poll(() => tooltip.count()).toBe(0);

    // Keyboard: the chart is one Tab stop; on focus the tooltip reads the newest point; arrows move.
    const tabbable = await curves().evaluate((section) => Array.from(section.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]'))
      .filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0)
      .map((el) => `${el.tagName.toLowerCase()}:${el.getAttribute('type') ?? el.getAttribute('role') ?? ''}`));
    // Smoothing, Log scale, Reference results (issue 12), Download CSV, then the chart.
    expect(tabbable).toEqual(['input:range', 'input:checkbox', 'input:checkbox', 'button:button', 'div:group']);
    await chart.focus();
    await expect.poll(() => tooltip.count()).toBe(1);
    const newest = await tooltip.innerText();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => tooltip.innerText()).not.toBe(newest);
    await page.keyboard.press('Home');
    await expect.poll(() => tooltip.innerText()).toMatch(/^epoch 0\.\d\d \(epoch 1, batch \d+\/235\)/);

    // Smoothing off: the tooltip gives the raw values only.
    await curves().getByRole('slider').fill('0');
    await chart.focus();
    await expect.poll(() => tooltip.innerText()).not.toMatch(/smoothed/);
    await curves().getByRole('slider').fill('0.6');

    // Log scale: the loss axis's ticks become a geometric series.
    const ticks = async () => (await page.getByTestId('loss-ticks').locator('span').allInnerTexts()).join(' ');
    const linear = await ticks();
    await curves().getByRole('checkbox', { name: 'Log scale (loss)' }).check();
    await expect.poll(() => curves().getAttribute('data-loss-log')).toBe('true');
    const logTicks = (await ticks()).split(/\s+/).map(Number);
    expect(logTicks[0]).toBeGreaterThan(0);
    expect(logTicks[5] / logTicks[4]).toBeCloseTo(logTicks[1] / logTicks[0], 0);
    expect(await ticks()).not.toBe(linear);
    await screenshot(page, 'i11-05-log-scale', { fullPage: false });
    await curves().getByRole('checkbox', { name: 'Log scale (loss)' }).uncheck();

    // The table beside the chart: one row per finished epoch, the status's numbers in its last row.
    const rows = curves().getByRole('table', { name: 'Per-epoch values' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(await epochsDone());
    const last = await rows.last().innerText();
    const fromStatus = / train loss (\d\.\d\d) · train acc (0\.\d\d) · test acc (0\.\d\d)$/.exec(await status());
    expect(last.split(/\s+/)).toEqual([String(await epochsDone()), fromStatus?.[1], fromStatus?.[2], fromStatus?.[3]]);

    // Download CSV: the drawn batch points, the epochs and the lr changes.
    const [download] = await Promise.all([page.waitForEvent('download'), curves().getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^softmax-lab-curves-.*\.csv$/);
    const file = join(tmpdir(), `curves-${process.pid}.csv`);
    await download.saveAs(file);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('kind,epoch_progress,epoch,batch,batches_averaged,train_loss,train_acc,test_acc,lr');
    expect(lines.filter((l) => l.startsWith('epoch,'))).toHaveLength(await epochsDone());
    expect(lines.filter((l) => l.startsWith('batch,')).length).toBe(Number(await curves().getAttribute('data-points')));
    expect(lines.filter((l) => l.startsWith('lr_change,')).length).toBe(Number(await curves().getAttribute('data-markers')));
    expect(lines.join('\n')).not.toMatch(/NaN|Infinity/);
  });

  it('4. per-epoch dots thin out when epochs crowd the axis (300 epochs)', async () => {
    await setNumberField('Epochs', '300');
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/300/);
    for (let i = 0; i < 3; i++) await stepOneEpoch();
    const canvas = page.getByTestId('live-curves');
    await expect.poll(async () => Number(await canvas.getAttribute('data-dot-every'))).toBeGreaterThan(1);
    expect(Number(await curves().getAttribute('data-test-points'))).toBe(3);
    expect(Number(await canvas.getAttribute('data-dots'))).toBeLessThan(3); // not one dot per epoch
    expect(Number(await canvas.getAttribute('data-dots'))).toBeGreaterThanOrEqual(1); // the newest keeps its dot
    await screenshot(page, 'i11-06-300-epochs', { fullPage: false });
    await setNumberField('Epochs', '10');
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/10/);
  });

  it('5. an ended run: Step says Start begins a new run, and Start does', async () => {
    await paceSlider().fill('11'); // full speed
    await setNumberField('Epochs', '1');
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(async () => /^Done · Epoch 1\/1/.test(await status()), 'a one-epoch run');
    const step = page.getByRole('button', { name: 'Step' });
    expect(await step.isDisabled()).toBe(true);
    const reason = await step.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    expect(reason).toBe('Step: The run has ended: Start begins a new run; Reset goes back to its start to step through it.');
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(async () => /^(Training|Done) · Epoch [01]\/1/.test(await status()) && (await epochsDone()) <= 1, 'a new run');
    await waitFor(async () => /^Done · /.test(await status()), 'the new run to end');
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/1/);
    await setNumberField('Epochs', '10');
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/10/);
  });

  it('5. after Open model, the status, the curves and the predictions show the opened model and its test accuracy', async () => {
    await setNumberField('Epochs', '1');
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(async () => /^Done · Epoch 1\/1/.test(await status()), 'a one-epoch run');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model' }).click()]);
    const saved = join(tmpdir(), `${process.pid}-${download.suggestedFilename()}`);
    await download.saveAs(saved);
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/1/);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open model' }).click()]);
    await chooser.setFiles(saved);
    const name = saved.split('/').pop() as string;
    await expect.poll(status, { timeout: 20_000 }).toMatch(new RegExp(`^Ready · model ${name.replace(/[.]/g, '\\.')} · test acc 0\\.[6-9]\\d · lr 0\\.1$`));
    const acc = /test acc (0\.\d\d)/.exec(await status())?.[1];
    expect(await curves().innerText()).toContain(`Opened ${name}: its weights are in the heatmaps and the predictions.`);
    const gallery = page.getByRole('region', { name: 'Prediction gallery' });
    await gallery.scrollIntoViewIfNeeded();
    await expect.poll(async () => Math.abs(Number(/test accuracy (0\.\d+)/.exec(await gallery.innerText())?.[1]) - Number(acc)), { timeout: 20_000 }).toBeLessThanOrEqual(0.005);
    await screenshot(page, 'i11-07-model-opened', { fullPage: false });
    await page.evaluate(() => window.scrollTo(0, 0));
    // 4. Training on from the opened weights, the losses lie between about 0.3 and 1: the loss axis
    // follows them (a fixed 0 … 2.5 would leave them a flat band at the bottom).
    await page.getByRole('button', { name: 'One epoch' }).click();
    await waitFor(async () => (await epochsDone()) === 1 && /^Done · Epoch 1\/1/.test(await status()), 'one epoch from the opened weights');
    const lo = Number(await curves().getAttribute('data-loss-lo'));
    const hi = Number(await curves().getAttribute('data-loss-hi'));
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThanOrEqual(1.5);
    expect(hi - lo).toBeLessThanOrEqual(1);
    await screenshot(page, 'i11-07b-axis-follows', { fullPage: false });
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/1/);
    await setNumberField('Epochs', '10');
    await expect.poll(status).toMatch(/^Ready · Epoch 0\/10/);
  });

  it('7. weights by keyboard: Enter or Space opens a heatmap enlarged; arrows move a pixel cursor whose value is read out', async () => {
    const before = await status();
    await page.getByRole('img', { name: 'Weights for class Sneaker', exact: true }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    const big = page.getByRole('img', { name: 'Weights for class Sneaker, enlarged' });
    expect(await big.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowRight');
    const pixel = page.getByTestId('pixel-readout');
    await expect.poll(() => pixel.innerText()).toMatch(/^Sneaker, row 15, column 16: -?\d\.\d{4}$/);
    expect(await pixel.getAttribute('aria-live')).toBe('polite');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    await expect.poll(() => pixel.innerText()).toMatch(/^Sneaker, row 14, column 1: -?\d\.\d{4}$/);
    await screenshot(page, 'i11-08-heatmap-keyboard', { fullPage: false });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    // Space opens too, and does not start the run.
    await page.getByRole('img', { name: 'Weights for class Bag', exact: true }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('img', { name: 'Weights for class Bag, enlarged' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    expect(await status()).toBe(before);
  });

  it('8. classify honestly: untrained, unlike the training images, and a trained model on a real garment', async () => {
    const zone = page.getByRole('region', { name: 'Classify an image' });
    const sneaker = garmentPng(await testPixels(0)); // test image 0 is an ankle boot
    await dropFile('boot.png', 'image/png', sneaker);
    await predictionFor('boot.png');
    // Fresh weights (the last test reset them): the answer is a guess, and says so.
    await expect.poll(() => zone.getByTestId('untrained-note').count()).toBe(1);
    expect(await zone.getByTestId('untrained-note').innerText()).toMatch(/^The model is untrained/);
    await screenshot(page, 'i11-09-untrained', { fullPage: false });
    await stepOneEpoch();
    await expect.poll(() => zone.getByTestId('untrained-note').count()).toBe(0);
    expect(await zone.getByTestId('unusual-note').count()).toBe(0); // a garment like the training ones
    // A 5×5 grey square: nothing like a garment.
    await dropFile('grey.png', 'image/png', encodePngGrey(5, 5, new Uint8Array(25).fill(128)));
    await predictionFor('grey.png');
    await expect.poll(() => zone.getByTestId('unusual-note').count()).toBe(1);
    expect(await zone.getByTestId('unusual-note').innerText()).toMatch(/^Unlike the training images: ink covers 100% of the prepared 28×28 image, while 99% of the garments the model learned from cover 13–78%\./);
    await zone.scrollIntoViewIfNeeded();
    await screenshot(page, 'i11-10-unusual', { fullPage: false });
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('6. layout: the control bar stays in view, buttons keep their places, no half-empty columns, the curves near the top at 800 px', async () => {
    // 1440×900: with the gallery scrolled into view, the primary button is on screen.
    await page.setViewportSize({ width: 1440, height: 900 });
    const gallery = page.getByRole('region', { name: 'Prediction gallery' });
    await gallery.scrollIntoViewIfNeeded();
    const primary = page.getByRole('button', { name: /^(Start|Pause|Resume)$/ });
    const pb = (await primary.boundingBox())!;
    const gb = (await gallery.boundingBox())!;
    expect(pb.y).toBeGreaterThanOrEqual(0);
    expect(pb.y + pb.height).toBeLessThanOrEqual(900);
    expect(gb.y).toBeLessThan(900);
    expect(gb.y + gb.height).toBeGreaterThan((await page.getByTestId('control-bar').boundingBox())!.height);
    await screenshot(page, 'i11-11-1440-gallery', { fullPage: false });
    await page.evaluate(() => window.scrollTo(0, 0));

    // Buttons keep their places as the primary label changes (Start → Pause → Resume), in both languages.
    const places = async () => Promise.all(['Step', 'One epoch', 'Reset'].map(async (name) => {
      const b = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
      return [Math.round(b.x), Math.round(b.y)];
    }));
    const ready = await places();
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(async () => /^Training/.test(await status()), 'training');
    const training = await places();
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(status).toMatch(/^Paused/);
    const paused = await places();
    expect(training).toEqual(ready);
    expect(paused).toEqual(ready);

    for (const [width, height] of [[1440, 900], [1024, 700], [800, 900]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300);
      // One column of full-width sections (or side by side, sharing the width): no column left half empty.
      const rows = await page.locator('main.app-main').evaluate((main) => {
        const mw = main.getBoundingClientRect().width;
        return Array.from(main.children).map((el) => ({ cls: el.className, share: el.getBoundingClientRect().width / mw, heights: Array.from(el.children).map((c) => c.getBoundingClientRect().height) }));
      });
      for (const row of rows) {
        expect(row.share, row.cls).toBeGreaterThan(0.95);
        // Side-by-side parts of a row are stretched to the same height: no empty area under the shorter one.
        if (row.cls === 'weights-row' && width > 1100) expect(Math.abs(row.heights[0] - row.heights[1]), row.cls).toBeLessThan(2);
      }
      const barHeight = (await page.getByTestId('control-bar').boundingBox())!.height;
      expect(barHeight).toBeLessThan(height * 0.3);
      if (width === 800) expect((await curves().boundingBox())!.y).toBeLessThan(height * 0.3); // right under the control bar
      await screenshot(page, `i11-12-layout-${width}x${height}`, { fullPage: false });
      await screenshot(page, `i11-12-layout-${width}x${height}-page`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('9. 简体中文: the bundled font loads (only the subsets used), the remaining words are translated, the matrix headers read across', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await page.getByRole('button', { name: '继续' }).waitFor();
    await page.evaluate(() => document.fonts.ready);
    await expect.poll(() => page.evaluate(() => Array.from(document.fonts).filter((f) => f.family.replace(/"/g, '') === 'Noto Sans SC' && f.status === 'loaded').length)).toBeGreaterThan(0);
    const fontFiles = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /noto-sans-sc-.*\.woff2?$/.test(e.name)).length);
    const subsets = await page.evaluate(() => Array.from(document.fonts).filter((f) => f.family.replace(/"/g, '') === 'Noto Sans SC').length);
    console.log(`Noto Sans SC: ${fontFiles} subset files fetched of ${subsets} declared`);
    expect(fontFiles).toBeGreaterThan(0);
    expect(fontFiles).toBeLessThan(subsets / 2); // only the subsets this page's characters need
    expect(await page.title()).toBe('Softmax 实验室');
    expect(await page.getByLabel('归一化指数（softmax）').count()).toBe(1);
    expect(await page.getByRole('region', { name: '数据集' }).innerText()).toMatch(/计算核 (快速|参考实现)/);
    expect(await page.getByRole('slider', { name: '速度' }).getAttribute('aria-valuetext')).toMatch(/^(每秒 \d+ 个批量|全速)$/);
    expect(await status()).toMatch(/^已暂停 · 第 \d+\/10 个周期 · 学习率 0\.1 · /);
    await screenshot(page, 'i11-13-zh-1440', { fullPage: false });
    const matrix = page.getByRole('region', { name: '混淆矩阵' });
    await matrix.scrollIntoViewIfNeeded();
    await matrix.locator('th.col-head').first().waitFor({ timeout: 20_000 });
    const heads = await matrix.locator('th.col-head span').evaluateAll((els) => els.map((el) => {
      const cs = getComputedStyle(el);
      return { text: el.textContent ?? '', mode: cs.writingMode, lines: el.getBoundingClientRect().height / parseFloat(cs.lineHeight || '14') };
    }));
    expect(heads).toHaveLength(11);
    for (const h of heads) {
      expect(h.mode, h.text).toBe('horizontal-tb');
      expect(h.lines, h.text).toBeLessThan(2.5); // a word or two lines, never a stack of characters
    }
    await matrix.screenshot({ path: join(SCREENSHOTS, 'i11-14-zh-confusion.png') });
    for (const [width, height] of [[1024, 700], [800, 900]] as const) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
      await screenshot(page, `i11-15-zh-${width}x${height}`, { fullPage: false });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('button', { name: 'Resume' }).waitFor();
  });

  it('had no errors on the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
