// The metrics slice's pure reducers: bucketed downsampling (≤ MAX_POINTS, exact means), lr markers,
// non-finite batches never stored, epochs, and archiving earlier runs.

import { describe, expect, it } from 'vitest';
import { addBatches, addEpoch, archiveRun, initialMetrics, MAX_LR_MARKERS, MAX_PAST_POINTS, MAX_PAST_RUNS, MAX_POINTS, mergePairs, openWdGesture, settleWdGesture, visibleTrain } from '../../../renderer/store/metrics-slice';
import { batch } from '../fake-api';

describe('metrics slice', () => {
  it('keeps every batch while few, as points at their fractional epoch', () => {
    const m = addBatches(initialMetrics, [batch(0), batch(1), batch(2)]);
    expect(m.train.map((p) => p.x)).toEqual([1 / 235, 2 / 235, 3 / 235]);
    expect(m.batchCount).toBe(3);
    expect(m.lastBatch?.batch).toBe(2);
  });

  it('downsamples by bucketing: never more than MAX_POINTS points, and the means are exact', () => {
    let m = initialMetrics;
    const n = 10 * 235;
    for (let i = 0; i < n; i += 37) m = addBatches(m, Array.from({ length: Math.min(37, n - i) }, (_, j) => batch(i + j, { loss: 1, acc: (i + j) % 2 })));
    const pts = visibleTrain(m);
    expect(m.train.length).toBeLessThan(MAX_POINTS);
    expect(pts.length).toBeGreaterThanOrEqual(MAX_POINTS / 4);
    expect(pts.reduce((a, p) => a + p.count, 0)).toBe(n);
    expect(m.bucketSize).toBeGreaterThan(1);
    for (const p of m.train) {
      expect(p.loss).toBeCloseTo(1, 12);
      expect(p.acc).toBeCloseTo(0.5, 1);
    }
    expect(pts[pts.length - 1].x).toBeCloseTo(n / 235, 12);
    const xs = pts.map((p) => p.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('mergePairs weights each point by how many batches it holds', () => {
    expect(mergePairs([{ x: 1, loss: 1, acc: 0, count: 1 }, { x: 2, loss: 4, acc: 1, count: 3 }, { x: 3, loss: 9, acc: 1, count: 1 }]))
      .toEqual([{ x: 2, loss: 13 / 4, acc: 3 / 4, count: 4 }, { x: 3, loss: 9, acc: 1, count: 1 }]);
  });

  it('never stores NaN or Infinity: such batches are counted and dropped', () => {
    const m = addBatches(initialMetrics, [batch(0), batch(1, { loss: NaN }), batch(2, { loss: Infinity }), batch(3, { acc: NaN }), batch(4)]);
    expect(m.nonFiniteCount).toBe(3);
    expect(m.batchCount).toBe(5);
    for (const p of visibleTrain(m)) expect(Number.isFinite(p.loss) && Number.isFinite(p.acc) && Number.isFinite(p.x)).toBe(true);
    expect(addEpoch(m, { epoch: 1, trainLoss: NaN, trainAcc: NaN, testAcc: NaN, seconds: 1 }).test).toEqual([]);
  });

  it('marks where the learning rate changed, at the batch that first used it', () => {
    const m = addBatches(initialMetrics, [batch(0), batch(1), batch(2, { lr: 0.5 }), batch(3, { lr: 0.5 }), batch(4, { lr: 2 })]);
    expect(m.lrMarkers.map((k) => k.lr)).toEqual([0.5, 2]);
    expect(m.lrMarkers[0].x).toBeCloseTo(2 / 235, 12);
    expect(m.lrMarkers[1].x).toBeCloseTo(4 / 235, 12);
    let many = initialMetrics;
    for (let i = 0; i < 100; i++) many = addBatches(many, [batch(i, { lr: 0.1 + i / 100 })]);
    expect(many.lrMarkers).toHaveLength(MAX_LR_MARKERS);
  });

  it('marks where the weight decay changed, apart from the lr, at the batch that first used it', () => {
    const m = addBatches(initialMetrics, [batch(0), batch(1, { weightDecay: 0.001 }), batch(2, { weightDecay: 0.001, lr: 0.5 }), batch(3, { weightDecay: 0, lr: 0.5 })]);
    expect(m.wdMarkers).toEqual([{ x: expect.closeTo(1 / 235, 12), weightDecay: 0.001 }, { x: expect.closeTo(3 / 235, 12), weightDecay: 0 }]);
    expect(m.lrMarkers.map((k) => k.lr)).toEqual([0.5]);
    expect(archiveRun(m).wdMarkers).toEqual([]);
    // A gesture: one marker where it began, with the value it settled at; none for one that came back.
    let g = openWdGesture(m, 0);
    g = addBatches(g, [batch(4, { weightDecay: 0.002 }), batch(5, { weightDecay: 0.005 })]);
    g = settleWdGesture(g, 0.001);
    g = addBatches(g, [batch(6, { weightDecay: 0.005 }), batch(7, { weightDecay: 0.001 })]);
    expect(g.wdMarkers.slice(2)).toEqual([{ x: expect.closeTo(4 / 235, 12), weightDecay: 0.001 }]);
    expect(g.wdGesture).toBeNull();
    g = settleWdGesture(addBatches(openWdGesture(g, 0.001), [batch(8, { weightDecay: 0.01 })]), 0.001);
    g = addBatches(g, [batch(9, { weightDecay: 0.001 })]);
    expect(g.wdMarkers).toHaveLength(3);
  });

  it('archives the current run behind (at most MAX_PAST_RUNS, each at most MAX_PAST_POINTS) and clears it', () => {
    let m = initialMetrics;
    for (let r = 0; r < MAX_PAST_RUNS + 2; r++) {
      m = addBatches(m, Array.from({ length: 1000 }, (_, i) => batch(i)));
      m = addEpoch(m, { epoch: 1, trainLoss: 0.5, trainAcc: 0.8, testAcc: 0.79, seconds: 1 });
      m = archiveRun(m);
      expect(m.train).toEqual([]);
      expect(m.test).toEqual([]);
      expect(m.epochs).toEqual([]);
      expect(m.lrMarkers).toEqual([]);
      expect(m.lastBatch).toBeNull();
    }
    expect(m.pastRuns).toHaveLength(MAX_PAST_RUNS);
    expect(m.pastRuns.map((r) => r.id)).toEqual([3, 4, 5]);
    for (const r of m.pastRuns) expect(r.train.length).toBeLessThanOrEqual(MAX_PAST_POINTS);
    expect(archiveRun(archiveRun(m)).pastRuns).toHaveLength(MAX_PAST_RUNS);
    expect(archiveRun(m).nextRunId).toBe(m.nextRunId); // an empty run is not archived
  });
});

describe('weight colour scale', () => {
  it('is the 99th percentile of |W| (to 1/1024 of the max), ignoring b and non-finite values', async () => {
    const { weightScale } = await import('../../../renderer/store/weights-slice');
    const w = new Float32Array(7850);
    for (let i = 0; i < 7840; i++) w[i] = (i % 2 ? -1 : 1) * (i / 7840);
    w[7845] = 100;
    w[3] = NaN;
    expect(weightScale(w)).toBeGreaterThan(0.985);
    expect(weightScale(w)).toBeLessThanOrEqual(0.992);
    w[0] = 50; // one outlier moves the max, not the scale
    expect(weightScale(w)).toBeLessThan(1.05);
    expect(weightScale(new Float32Array(7850))).toBe(0);
  });
});
