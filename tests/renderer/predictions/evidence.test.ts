// The evidence map W[:, k] ⊙ x (values, sign, and its sum being the logit), the confusion matrix and
// the gallery filters.

import { describe, expect, it } from 'vitest';
import { argmax, confusionMatrix, evidenceMap, filterGallery, logitFromEvidence, maxAbs, NO_FILTER } from '../../../renderer/predictions/evidence';

const D = 784, K = 10;

describe('evidenceMap', () => {
  const weights = new Float32Array(D * K + K); // W (D, K) row-major, then b (K)
  for (let i = 0; i < D; i++) for (let k = 0; k < K; k++) weights[i * K + k] = (i % 2 === 0 ? 1 : -1) * (k + 1) * 0.01;
  for (let k = 0; k < K; k++) weights[D * K + k] = k * 0.1;
  const x = new Float32Array(D);
  x[0] = 1; x[1] = 0.5; x[2] = 0; x[3] = 0.25;

  it('is W[i, k] * x[i] for every pixel', () => {
    const e = evidenceMap(weights, x, 3);
    expect(e).toHaveLength(D);
    expect(e[0]).toBeCloseTo(0.04, 6); // +0.04 * 1
    expect(e[1]).toBeCloseTo(-0.02, 6); // -0.04 * 0.5
    expect(e[2]).toBe(0); // a black pixel is no evidence either way
    expect(e[3]).toBeCloseTo(-0.01, 6);
  });

  it('is positive where the pixel pushes toward the class and negative where it pushes away', () => {
    const e = evidenceMap(weights, x, 0);
    expect(Math.sign(e[0])).toBe(1);
    expect(Math.sign(e[1])).toBe(-1);
  });

  it('sums with the bias to the logit x·W[:, k] + b[k]', () => {
    for (const k of [0, 5, 9]) {
      let logit = weights[D * K + k];
      for (let i = 0; i < D; i++) logit += x[i] * weights[i * K + k];
      expect(logitFromEvidence(evidenceMap(weights, x, k), weights, k)).toBeCloseTo(logit, 6);
    }
  });

  it('refuses wrong shapes and classes', () => {
    expect(() => evidenceMap(new Float32Array(10), x, 0)).toThrow(/weights/);
    expect(() => evidenceMap(weights, new Float32Array(10), 0)).toThrow(/784/);
    expect(() => evidenceMap(weights, x, 10)).toThrow(/class/);
  });

  it('has a symmetric extent and an argmax helper', () => {
    expect(maxAbs([0.1, -0.3, 0.2])).toBeCloseTo(0.3);
    expect(maxAbs([0, 0])).toBeGreaterThan(0);
    expect(argmax([0.1, 0.7, 0.7, 0.1])).toBe(1);
  });
});

describe('confusionMatrix', () => {
  const labels = new Uint8Array([0, 0, 0, 1, 1, 2, 9, 9]);
  const predicted = new Uint8Array([0, 0, 6, 1, 0, 2, 7, 9]);

  it('counts true (rows) against predicted (columns)', () => {
    const m = confusionMatrix(predicted, labels);
    expect(m.counts[0 * K + 0]).toBe(2);
    expect(m.counts[0 * K + 6]).toBe(1);
    expect(m.counts[1 * K + 0]).toBe(1);
    expect(m.counts[9 * K + 7]).toBe(1);
    expect(m.counts.reduce((s, v) => s + v, 0)).toBe(labels.length);
    expect(m.correct).toBe(5);
    expect(m.total).toBe(8);
  });

  it('gives per-class accuracy, NaN for a class with no images', () => {
    const m = confusionMatrix(predicted, labels);
    expect(m.perClassAccuracy[0]).toBeCloseTo(2 / 3);
    expect(m.perClassAccuracy[1]).toBeCloseTo(0.5);
    expect(m.perClassAccuracy[2]).toBe(1);
    expect(Number.isNaN(m.perClassAccuracy[3])).toBe(true);
    expect(Array.from(m.rowTotals.slice(0, 3))).toEqual([3, 2, 1]);
  });

  it('refuses mismatched lengths and bad class ids', () => {
    expect(() => confusionMatrix(new Uint8Array(2), new Uint8Array(3))).toThrow(/length/);
    expect(() => confusionMatrix(new Uint8Array([10]), new Uint8Array([0]))).toThrow(/0..9/);
  });
});

describe('filterGallery', () => {
  const labels = new Uint8Array([0, 0, 0, 1, 1, 2, 9, 9]);
  const predicted = new Uint8Array([0, 0, 6, 1, 0, 2, 7, 9]);
  const run = (f: Partial<typeof NO_FILTER>): number[] => Array.from(filterGallery(predicted, labels, { ...NO_FILTER, ...f }));

  it('shows everything without a filter', () => expect(run({})).toEqual([0, 1, 2, 3, 4, 5, 6, 7]));
  it('shows mistakes only', () => expect(run({ mistakesOnly: true })).toEqual([2, 4, 6]));
  it('filters by true class, alone and with mistakes only', () => {
    expect(run({ trueClass: 0 })).toEqual([0, 1, 2]);
    expect(run({ trueClass: 0, mistakesOnly: true })).toEqual([2]);
    expect(run({ trueClass: 3 })).toEqual([]);
  });
  it('shows exactly one confusion-matrix cell, whatever the other filters say', () => {
    expect(run({ cell: { trueClass: 1, predicted: 0 } })).toEqual([4]);
    expect(run({ cell: { trueClass: 0, predicted: 0 }, mistakesOnly: true })).toEqual([0, 1]);
  });
});
