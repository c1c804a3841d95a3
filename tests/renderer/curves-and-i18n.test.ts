// Small pure pieces of the renderer: the curves' arithmetic (a loss axis that follows the data, linear
// with round ticks or log; TensorBoard's debiased smoothing; thinned per-epoch dots; the point under the
// pointer; epoch and batch of a point; the CSV), number formatting that never prints NaN, and translate().

import { describe, expect, it } from 'vitest';
import { epochTicks, metricsLossAxis, plotRect } from '../../renderer/components/Curves';
import { curvesCsv, dotEvery, emaSmooth, epochAndBatch, lossAxis, lossFraction, nearestIndex, showsDot, testAt } from '../../renderer/components/curve-math';
import { fixed2, formatLr } from '../../renderer/components/format';
import { className, translate } from '../../renderer/i18n';
import { en } from '../../renderer/i18n/en';
import { zh } from '../../renderer/i18n/zh';
import { initialMetrics } from '../../renderer/store/metrics-slice';

describe('curves: the loss axis follows the data', () => {
  it('with no data: 0 to 2.5 (a fresh model starts at ln 10 ≈ 2.3)', () => {
    expect(lossAxis(Infinity, -Infinity)).toMatchObject({ lo: 0, hi: 2.5, ticks: [0, 0.5, 1, 1.5, 2, 2.5] });
    expect(lossAxis(NaN, NaN).hi).toBe(2.5);
  });

  it('linear: five round steps from a round floor, covering the data', () => {
    expect(lossAxis(0.35, 2.35)).toEqual({ lo: 0, hi: 2.5, log: false, ticks: [0, 0.5, 1, 1.5, 2, 2.5] });
    // Late in a long run the loss fills the chart instead of lying flat at the bottom of 0 … 2.5.
    const late = lossAxis(0.38, 0.95);
    expect(late.lo).toBeLessThanOrEqual(0.38);
    expect(late.hi).toBeGreaterThanOrEqual(0.95);
    expect(late.hi - late.lo).toBeLessThanOrEqual(1);
    expect(late.lo).toBeGreaterThan(0);
    for (const [min, max] of [[0.4, 0.41], [2.3, 2.3], [0, 7.3], [12, 3000], [0.001, 0.002]]) {
      const a = lossAxis(min, max);
      expect(a.lo).toBeLessThanOrEqual(min + 1e-12);
      expect(a.hi).toBeGreaterThanOrEqual(max - 1e-12);
      expect(a.hi - a.lo).toBeGreaterThanOrEqual(0.5 - 1e-12); // never a hair-thin range
      const step = Number((a.ticks[1] - a.ticks[0]).toPrecision(6));
      a.ticks.forEach((v, i) => expect(v).toBeCloseTo(a.lo + i * step, 9)); // evenly spaced on the grid lines
      expect(String(step)).toMatch(/^(\d+|0\.\d{1,3})$/); // round
    }
  });

  it('log: from a 1-2-5 value below the data to one above, at least ×5 tall', () => {
    const a = lossAxis(0.3, 2.3, true);
    expect(a).toMatchObject({ lo: 0.2, hi: 5, log: true });
    expect(a.ticks[0]).toBe(0.2);
    expect(a.ticks[5]).toBe(5);
    expect(lossFraction(a, 1)).toBeCloseTo(Math.log(5) / Math.log(25), 12);
    expect(lossFraction(a, 0)).toBeNaN(); // a log axis cannot show 0: not drawn
    const wide = lossAxis(0.01, 5000, true);
    expect(wide.lo).toBeLessThanOrEqual(0.01);
    expect(wide.hi).toBeGreaterThanOrEqual(5000);
  });

  it("follows this run's losses, or the earlier runs' while this one has none", () => {
    const p = (loss: number) => ({ x: 1, loss, acc: 0.5, count: 1 });
    expect(metricsLossAxis({ ...initialMetrics, train: [p(0.5), p(0.9)] }, false)).toMatchObject({ lo: 0.5, hi: 1 });
    expect(metricsLossAxis({ ...initialMetrics, pastRuns: [{ id: 1, train: [p(4), p(1)], test: [] }] }, false)).toMatchObject({ lo: 1, hi: 6 });
  });
});

describe('curves: smoothing, dots, reading a point, CSV', () => {
  it("smooths like TensorBoard: a debiased EMA; 0 leaves the values alone; NaN is skipped", () => {
    expect(emaSmooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const s = emaSmooth([2, 2, 2, 2], 0.9);
    for (const v of s) expect(v).toBeCloseTo(2, 12); // debiased: a constant stays itself from the first point
    const r = emaSmooth([0, 1], 0.5);
    expect(r[1]).toBeCloseTo((0.5 * 0.5 * 0 + 0.5 * 1) / (1 - 0.25), 12);
    expect(emaSmooth([1, NaN, 1], 0.5)[1]).toBeNaN();
  });

  it('thins per-epoch dots to every 1, 2, 5, 10, … epochs so they stay 12 px apart, keeping the last', () => {
    expect(dotEvery(90)).toBe(1);
    expect(dotEvery(900 / 300)).toBe(5); // 300 epochs on 900 px
    expect(dotEvery(0.5)).toBe(50);
    expect(showsDot(10, 9, 300, 5)).toBe(true);
    expect(showsDot(11, 10, 300, 5)).toBe(false);
    expect(showsDot(13, 12, 13, 5)).toBe(true); // the newest epoch always has its dot
  });

  it('finds the point under the pointer and names its epoch and batch', () => {
    const pts = [0.1, 0.5, 0.9, 1.3].map((x) => ({ x }));
    expect(nearestIndex(pts, 0.72)).toBe(2);
    expect(nearestIndex(pts, -5)).toBe(0);
    expect(nearestIndex(pts, 9)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
    expect(epochAndBatch(1, 235)).toEqual({ epoch: 1, batch: 235 });
    expect(epochAndBatch(2 + 94 / 235, 235)).toEqual({ epoch: 3, batch: 94 });
    expect(testAt([{ x: 1, testAcc: 0.7 }, { x: 2, testAcc: 0.8 }], 1.9)).toEqual({ x: 1, testAcc: 0.7 });
    expect(testAt([{ x: 1, testAcc: 0.7 }], 0.5)).toBeNull();
  });

  it('writes the curves as CSV: batch points, epochs and lr changes, no NaN', () => {
    const csv = curvesCsv([{ x: 1 / 235, loss: 2.3, acc: 0.1, count: 1 }, { x: 1, loss: NaN, acc: 0.8, count: 4 }], [{ epoch: 1, trainLoss: 0.7, trainAcc: 0.76, testAcc: 0.8, seconds: 2 }], [{ x: 0.5, lr: 0.3 }], 235);
    expect(csv.split('\n')).toEqual([
      'kind,epoch_progress,epoch,batch,batches_averaged,train_loss,train_acc,test_acc,lr',
      `batch,${1 / 235},1,1,1,2.3,0.1,,`,
      'batch,1,1,235,4,,0.8,,',
      'epoch,1,1,,,0.7,0.76,0.8,',
      'lr_change,0.5,,,,,,,0.3',
      '',
    ]);
  });

  it('epoch ticks and the plot area recharts leaves', () => {
    expect(epochTicks(10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(epochTicks(100)).toHaveLength(11);
    expect(plotRect(800, 300)).toEqual({ left: 44, top: 18, width: 800 - 8 - 88, height: 300 - 18 - 4 - 36 });
  });
});

describe('formatting and i18n', () => {
  it('never prints NaN', () => {
    expect(fixed2(NaN)).toBe('—');
    expect(fixed2(Infinity)).toBe('—');
    expect(fixed2(0.5234)).toBe('0.52');
    expect(formatLr(0.1)).toBe('0.1');
    expect(formatLr(NaN)).toBe('—');
  });

  it('translates with placeholders, and names the classes in label order', () => {
    expect(translate('en', 'weights.forClass', { name: 'Sneaker' })).toBe('Weights for class Sneaker');
    expect(translate('en', 'controls.start')).toBe('Start');
    expect(Array.from({ length: 10 }, (_, k) => className('en', k))).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    for (const text of Object.values(en)) expect(text.trim()).not.toBe('');
  });

  it('Chinese keeps every placeholder of the English message', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(names(zh[key]), key).toEqual(names(en[key]));
    }
  });
});

describe('the kernel readout in the UI language', () => {
  it('translates the id and the thread count, keeps the core’s other words, shows an unknown id as it is', async () => {
    const { kernelName } = await import('../../renderer/components/DatasetStatus');
    const en = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('en', k, p);
    const zh = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('zh', k, p);
    expect(kernelName(en, 'fast (wasm SIMD, 2 threads)')).toBe('fast (wasm SIMD, 2 threads)');
    expect(kernelName(zh, 'fast (wasm SIMD, 2 threads)')).toBe('快速（wasm SIMD, 2 个线程）');
    expect(kernelName(zh, 'fast (wasm SIMD, 1 thread: no SharedArrayBuffer)')).toBe('快速（wasm SIMD, 1 个线程: no SharedArrayBuffer）');
    expect(kernelName(zh, 'reference')).toBe('参考实现，朴素循环');
    expect(kernelName(zh, 'fast-js')).toBe('快速，纯 JavaScript');
    expect(kernelName(zh, 'gpu')).toBe('gpu');
  });
});
