// Minibatch iteration as d2l's data_iter: 235 batches of 256 on 60000 examples (the last of 96), pixels
// scaled to [0, 1], the test iterator in file order, a fresh shuffle each epoch.

import { describe, expect, it } from 'vitest';
import { batchCount, minibatches, type Dataset } from '../../core/dataset';
import { createRng } from '../../core/rng';
import { NUM_INPUTS } from '../../core/shapes';
import { separableSplit } from '../fixtures/fashion-fixture';

describe('minibatches', () => {
  it('60000 examples in batches of 256 give 235 batches, the last of 96', () => {
    // Zero images: cheap to make, and the shapes are what is under test.
    const ds: Dataset = { count: 60_000, images: new Uint8Array(60_000 * NUM_INPUTS), labels: new Uint8Array(60_000) };
    expect(batchCount(60_000, 256)).toBe(235);
    const sizes: number[] = [];
    for (const b of minibatches(ds, 256, createRng(0))) {
      sizes.push(b.n);
      expect(b.x.length).toBe(b.n * NUM_INPUTS);
      expect(b.y.length).toBe(b.n);
    }
    expect(sizes.length).toBe(235);
    expect(sizes.slice(0, 234).every((n) => n === 256)).toBe(true);
    expect(sizes[234]).toBe(96);
  });

  it('scales pixels to [0, 1] and flattens images to 784', () => {
    const ds = separableSplit(10);
    const [b] = [...minibatches(ds, 10, null)];
    let min = Infinity, max = -Infinity;
    for (const v of b.x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeCloseTo(1, 6); // 255 * (1/255)
    expect(b.x[3 * NUM_INPUTS + 100]).toBeCloseTo(ds.images[3 * NUM_INPUTS + 100] / 255, 6);
  });

  it('the test iterator (no rng) keeps file order', () => {
    const ds = separableSplit(25);
    const labels: number[] = [];
    for (const b of minibatches(ds, 8, null)) labels.push(...b.y);
    expect(labels).toEqual(Array.from(ds.labels));
  });

  it('shuffles afresh each epoch, covering every example once', () => {
    const ds: Dataset = { count: 50, images: new Uint8Array(50 * NUM_INPUTS), labels: new Uint8Array(50) };
    for (let i = 0; i < 50; i++) ds.images[i * NUM_INPUTS] = i; // pixel 0 identifies the example
    const rng = createRng(1);
    const epoch = (): number[] => {
      const ids: number[] = [];
      for (const b of minibatches(ds, 16, rng)) for (let r = 0; r < b.n; r++) ids.push(Math.round(b.x[r * NUM_INPUTS] * 255));
      return ids;
    };
    const e1 = epoch();
    const e2 = epoch();
    const sorted = Array.from({ length: 50 }, (_, i) => i);
    expect([...e1].sort((a, b) => a - b)).toEqual(sorted);
    expect([...e2].sort((a, b) => a - b)).toEqual(sorted);
    expect(e1).not.toEqual(sorted);
    expect(e2).not.toEqual(e1);
  });

  it('refuses a batch size of 0', () => {
    expect(() => minibatches(separableSplit(2), 0, null).next()).toThrow(RangeError);
  });
});
