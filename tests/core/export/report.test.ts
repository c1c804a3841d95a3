// core/export/report.ts: the pieces (escaping, confusion matrix, confident mistakes, PNG and base64)
// and the whole report opened by its real consumer, a browser: Debian's Chromium with JavaScript
// disabled shows the configuration, the per-epoch table, the two SVG charts, ten decoded template
// images, the confusion matrix with per-class accuracy and the mistakes; it loads nothing and runs
// nothing, even when the run's text carries markup.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { base64, crc32, encodePng } from '../../../core/export/png';
import { confidentMistakes, confusionMatrix, escapeHtml, predictDataset, runReportHtml, type ReportInput, type ReportStyle } from '../../../core/export/report';
import { RunRecorder } from '../../../core/run-recorder';
import { CLASS_NAMES } from '../../../core/shapes';
import { trainCh3 } from '../../../core/train';
import { separableSplit } from '../../fixtures/fashion-fixture';
import { chromiumAvailable, CHROMIUM, openReport, reportScreenshot } from './chromium';

const dir = mkdtempSync(join(tmpdir(), 'softmax-lab-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A three-epoch fixture run with its test predictions; `wrong` test labels are changed to make mistakes. */
function fixtureReport(wrong = 5): ReportInput {
  const train = separableSplit(300, 1);
  const test = separableSplit(100, 2);
  const config = { epochs: 3, lr: 0.1, batchSize: 32, seed: 0, softmax: 'stable' as const, weightDecay: 0 };
  const recorder = new RunRecorder(config, '2026-11-25T10:00:00.000Z');
  const { trainer } = trainCh3({ train, test, config }, (e) => recorder.add(e));
  const labels = test.labels.slice();
  for (let i = 0; i < wrong; i++) labels[i * 7] = (labels[i * 7] + 1) % 10;
  return {
    record: recorder.snapshot('2026-11-25T10:00:01.000Z'),
    environment: { appVersion: '0.1.0', kernel: trainer.kernelName, dataset: 'fixture (explicit)', generatedAt: '2026-11-25T10:00:02.000Z' },
    weights: trainer.weights(),
    test: { labels, probabilities: predictDataset((x, n) => trainer.predict(x, n), test), images: test.images },
  };
}

describe('the pieces', () => {
  it('escapeHtml escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(0.5)).toBe('0.5');
  });

  it('confusionMatrix counts (true, predicted) by argmax; confidentMistakes ranks wrong answers by probability', () => {
    const labels = Uint8Array.from([0, 1, 2, 3]);
    const p = new Float32Array(40).fill(0.01);
    p[0 * 10 + 0] = 0.91; // right
    p[1 * 10 + 5] = 0.91; // 1 taken for 5, sure of it
    p[2 * 10 + 2] = 0.91; // right
    p[3 * 10 + 4] = 0.6; // 3 taken for 4, less sure
    const cm = confusionMatrix(labels, p);
    expect([cm[0], cm[15], cm[22], cm[34]]).toEqual([1, 1, 1, 1]);
    expect(cm.reduce((a, b) => a + b, 0)).toBe(4);
    const m = confidentMistakes(labels, p, 5);
    expect(m.map((x) => [x.index, x.label, x.predicted])).toEqual([[1, 1, 5], [3, 3, 4]]);
    expect(m[0].probability).toBeCloseTo(0.91, 6);
    expect(m[0].trueProbability).toBeCloseTo(0.01, 6);
    expect(confidentMistakes(labels, p, 1)).toHaveLength(1);
  });

  it('crc32 gives the standard check value; base64 matches Node', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    for (const n of [0, 1, 2, 3, 4, 5, 255, 256, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('encodePng writes the signature, IHDR and an IDAT that inflates to the filtered rows', () => {
    const px = Uint8Array.from({ length: 6 }, (_, i) => i * 40); // 3x2 grey
    const png = encodePng(px, 3, 2, 1);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    expect([view.getUint32(16), view.getUint32(20), png[24], png[25]]).toEqual([3, 2, 8, 0]);
    expect(view.getUint32(29)).toBe(crc32(png.subarray(12, 29)));
    const idatLength = view.getUint32(33);
    expect(String.fromCharCode(...png.subarray(37, 41))).toBe('IDAT');
    expect(Array.from(inflateSync(png.subarray(41, 41 + idatLength)))).toEqual([0, 0, 40, 80, 0, 120, 160, 200]);
    expect(() => encodePng(px, 2, 2, 1)).toThrow(RangeError);
  });

  it('names the weight decay, its changes and that the loss leaves its penalty out; says nothing of it for a run without', () => {
    const input = fixtureReport(0);
    expect(runReportHtml(input)).not.toMatch(/weight.decay/i);
    const record = { ...input.record, config: { ...input.record.config, weightDecay: 0.001 }, wdChanges: [{ batchesDone: 12, epochProgress: 1.2, from: 0.001, to: 0.005 }] };
    const html = runReportHtml({ ...input, record });
    expect(html).toContain('<dt>weight decay λ (L2 on W, not b)</dt><dd>0.001</dd>');
    expect(html).toContain('<dt>weight-decay changes</dt><dd>0.001 → 0.005 at epoch 1.20</dd>');
    expect(html).toContain('dashed lines mark weight-decay (λ) changes. The loss is the cross-entropy alone, without the weight-decay penalty λ/2 ‖W‖²');
    expect(html).toContain('λ 0.001 → 0.005');
  });

  it('draws in the style it is given (the window\'s palette): series colours and strokes, the weights\' map and the words that name its colours', () => {
    const input = fixtureReport(0);
    const plain = runReportHtml(input);
    expect(plain).toMatch(/data-series="train accuracy"[^>]*stroke="#ff7f0e" stroke-dasharray="7 3"/);
    expect(plain).toMatch(/data-series="test accuracy"[^>]*stroke="#2ca02c" stroke-dasharray="2 2"/);
    expect(plain).toContain('red pixels raise the score of class k, blue ones lower it');
    const lut = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) lut.set([i, 40, 255 - i], i * 3);
    const style: ReportStyle = {
      colours: { loss: '#d55e00', trainAcc: '#0072b2', testAcc: '#009e73', marker: '#1d1f23' },
      dashes: { loss: [], trainAcc: [5, 1], testAcc: [1, 1], marker: [3, 3] },
      diverging: lut,
      words: { positive: 'orange', negative: 'purple' },
    };
    const html = runReportHtml({ ...input, style });
    expect(html).toMatch(/data-series="train loss"[^>]*stroke="#d55e00"/);
    expect(html).toMatch(/data-series="train accuracy"[^>]*stroke="#0072b2" stroke-dasharray="5 1"/);
    expect(html).toMatch(/data-series="test accuracy"[^>]*stroke="#009e73" stroke-dasharray="1 1"/);
    expect(html).toContain('orange pixels raise the score of class k, purple ones lower it');
    expect(html).toMatch(/colour scale from \S+ \(purple\) through 0 \(white\) to \S+ \(orange\)/);
    // The colour bar is the map itself: its PNG's one row, after the filter byte, is the LUT.
    const bar = /<p class="colour-bar">.*?src="data:image\/png;base64,([^"]+)"/.exec(html)?.[1] as string;
    const png = Buffer.from(bar, 'base64');
    const idat = png.indexOf('IDAT');
    const row = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect(Buffer.from(row.subarray(1)).equals(Buffer.from(lut))).toBe(true);
  });

  it('keeps the default for any part of a style that is not well formed, so nothing from it can become markup', () => {
    const input = fixtureReport(0);
    const bad = {
      colours: { loss: '"><script>alert(1)</script>', trainAcc: 'red', testAcc: '#009e73', marker: '#12345' },
      dashes: { loss: [Number.NaN], trainAcc: [-1], testAcc: [1, 1], marker: '4 3' as unknown as number[] },
      diverging: new Uint8Array(10),
      words: { positive: '<b>orange</b>', negative: 'purple' },
    } satisfies ReportStyle;
    const html = runReportHtml({ ...input, style: bad });
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/data-series="train loss"[^>]*stroke="#1f77b4"/);
    expect(html).toMatch(/data-series="train accuracy"[^>]*stroke="#ff7f0e" stroke-dasharray="7 3"/);
    expect(html).toMatch(/data-series="test accuracy"[^>]*stroke="#009e73" stroke-dasharray="1 1"/);
    expect(html).toContain('red pixels raise the score of class k, blue ones lower it');
    expect(html).toBe(runReportHtml({ ...input, style: { ...bad, colours: { ...bad.colours, testAcc: '#009e73' } } }));
  });

  it('refuses test predictions whose shapes disagree', () => {
    const input = fixtureReport(0);
    const test = input.test as NonNullable<ReportInput['test']>;
    expect(() => runReportHtml({ ...input, test: { ...test, probabilities: test.probabilities.subarray(10) } })).toThrow(/probabilities/);
    expect(() => runReportHtml({ ...input, test: { ...test, images: test.images.subarray(784) } })).toThrow(/pixels/);
  });
});

describe.skipIf(!chromiumAvailable)(`the report in Chromium, JavaScript disabled${chromiumAvailable ? '' : ` — SKIPPED: no ${CHROMIUM}`}`, () => {
  it('shows configuration, environment, epochs, two SVG charts, ten templates, the confusion matrix and the mistakes, loading nothing', async () => {
    const input = fixtureReport(5);
    const path = join(dir, 'report.html');
    writeFileSync(path, runReportHtml(input));
    const r = await openReport(path);
    try {
      const page = r.page;
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      expect(await page.locator('h1').innerText()).toBe('Softmax Lab run report');
      const config = await page.locator('#configuration').innerText();
      for (const s of ['epochs', '3', 'batch size', '32', 'learning rate', '0.1', 'seed', 'stable']) expect(config).toContain(s);
      const env = await page.locator('#environment').innerText();
      for (const s of ['Softmax Lab 0.1.0', input.environment.kernel, 'fixture (explicit)', 'done']) expect(env).toContain(s);

      const rows = await page.locator('table.epochs tbody tr').allInnerTexts();
      expect(rows).toHaveLength(3);
      const e3 = input.record.epochs[2];
      expect(rows[2].split('\t').map((c) => c.trim())).toEqual(['3', e3.trainLoss.toFixed(4), e3.trainAcc.toFixed(4), e3.testAcc.toFixed(4), e3.seconds.toFixed(2)]);

      // The charts: rendered SVG with a drawn line per series (non-empty bounding boxes).
      const charts = await page.evaluate(() => Array.from(document.querySelectorAll('svg.chart')).map((svg) => ({
        title: svg.querySelector('title')?.textContent,
        lines: Array.from(svg.querySelectorAll('polyline')).map((p) => ({ series: p.getAttribute('data-series'), points: (p as SVGPolylineElement).points.length, width: (p as SVGGraphicsElement).getBBox().width })),
      })));
      expect(charts.map((c) => c.title)).toEqual(['Training loss', 'Accuracy']);
      expect(charts[0].lines.map((l) => l.series)).toEqual(['batch loss', 'train loss']);
      expect(charts[1].lines.map((l) => l.series)).toEqual(['batch accuracy', 'train accuracy', 'test accuracy']);
      expect(charts[0].lines[0].points).toBe(input.record.batches.length);
      for (const l of [...charts[0].lines, ...charts[1].lines]) expect(l.width).toBeGreaterThan(100);

      // Ten templates, each a decoded 28x28 PNG (a bad CRC or zlib stream would not decode).
      const templates = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLImageElement>('#templates figure img'))
        .map((img) => ({ alt: img.alt, w: img.naturalWidth, h: img.naturalHeight, complete: img.complete })));
      expect(templates).toEqual(CLASS_NAMES.map((n) => ({ alt: `weights of class ${n}`, w: 28, h: 28, complete: true })));

      const confusion = await page.locator('table.confusion tbody tr').allInnerTexts();
      expect(confusion).toHaveLength(10);
      const cells = confusion.map((row) => row.split('\t').map((c) => c.trim()));
      expect(cells.map((c) => c[0])).toEqual([...CLASS_NAMES]);
      const total = cells.reduce((a, c) => a + c.slice(1, 11).reduce((s, v) => s + Number(v), 0), 0);
      expect(total).toBe(100);
      for (const c of cells) {
        const rowTotal = c.slice(1, 11).reduce((s, v) => s + Number(v), 0);
        const diagonal = Number(c[1 + CLASS_NAMES.indexOf(c[0] as (typeof CLASS_NAMES)[number])]);
        expect(c[11]).toBe(rowTotal > 0 ? (diagonal / rowTotal).toFixed(3) : '–');
      }

      const mistakes = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLImageElement>('#mistakes img')).map((img) => [img.naturalWidth, img.alt]));
      expect(mistakes.length).toBeGreaterThanOrEqual(5);
      expect(mistakes.length).toBeLessThanOrEqual(8);
      for (const [w, alt] of mistakes) {
        expect(w).toBe(28);
        expect(alt).toMatch(/^test image \d+: a .+ taken for a .+$/);
      }

      expect(r.requests).toEqual([await page.url()]); // the file itself; data: images are not requests
      expect(r.console).toEqual([]);
      await reportScreenshot(page, 'report-fixture');
    } finally {
      await r.close();
    }
  }, 60_000);

  it('shows markup in the run\'s text as text: no element, no script, no request', async () => {
    const input = fixtureReport(0);
    const evil = `<script>document.title='pwned'</script><img src="https://example.invalid/x.png" onerror="alert(1)">"'&`;
    const html = runReportHtml({
      ...input,
      record: { ...input.record, id: `run-1"><b>x</b>`, outcome: 'diverged', note: evil },
      environment: { ...input.environment, kernel: evil, dataset: evil },
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src="https://');
    const path = join(dir, 'evil.html');
    writeFileSync(path, html);
    const r = await openReport(path);
    try {
      const page = r.page;
      expect(await page.evaluate(() => ({ scripts: document.scripts.length, b: document.querySelectorAll('b').length, remote: Array.from(document.images).filter((i) => !i.src.startsWith('data:')).length }))).toEqual({ scripts: 0, b: 0, remote: 0 });
      expect(await page.locator('#summary').innerText()).toContain(evil);
      expect(await page.locator('#environment').innerText()).toContain(evil);
      expect(await page.title()).toBe('Softmax Lab run report — run-1"><b>x</b>');
      expect(r.requests).toEqual([await page.url()]);
    } finally {
      await r.close();
    }
  }, 60_000);
});
