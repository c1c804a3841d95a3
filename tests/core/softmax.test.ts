// The chapter's own checks on softmax, cross-entropy, accuracy and the Accumulator, and why the stable
// softmax exists: on logits near 1000 the textbook exp / rowsum overflows, and -log of a probability that
// underflowed is Infinity where log-sum-exp of the logits stays finite.

import { describe, expect, it } from 'vitest';
import { createRng, nextNormal } from '../../core/rng';
import { Accumulator, accuracy, argmaxRow, correctCount, crossEntropy, crossEntropyFromLogits, logSumExpLoss, softmaxNaive, softmaxStable } from '../../core/softmax';

const K = 3;

describe('softmax (d2l 3.6.2)', () => {
  it('gives positive rows that sum to 1, for both forms', () => {
    const rng = createRng(0);
    const n = 2, k = 5;
    const x = Float64Array.from({ length: n * k }, () => nextNormal(rng)); // d2l: torch.normal(0, 1, (2, 5))
    for (const f of [softmaxNaive, softmaxStable]) {
      const p = new Float64Array(n * k);
      f(x, n, k, p);
      for (let r = 0; r < n; r++) {
        let sum = 0;
        for (let j = 0; j < k; j++) {
          expect(p[r * k + j]).toBeGreaterThan(0);
          sum += p[r * k + j];
        }
        expect(sum).toBeCloseTo(1, 6);
      }
    }
  });

  it('stable and naive agree on ordinary logits', () => {
    const rng = createRng(42);
    const n = 64, k = 10;
    const x = Float32Array.from({ length: n * k }, () => nextNormal(rng, 0, 5));
    const a = new Float32Array(n * k);
    const b = new Float32Array(n * k);
    softmaxNaive(x, n, k, a);
    softmaxStable(x, n, k, b);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    console.log(`stable vs naive softmax: max |diff| = ${maxDiff.toExponential(2)} (tolerance 1e-6)`);
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it('naive overflows on logits near 1000 (NaN/Infinity); stable does not', () => {
    const x = Float32Array.from([1000, 999, 998, 1, 2, 1000]);
    const naive = new Float32Array(6);
    const stable = new Float32Array(6);
    softmaxNaive(x, 2, K, naive);
    softmaxStable(x, 2, K, stable);
    expect(Array.from(naive).some((v) => !Number.isFinite(v))).toBe(true);
    expect(Array.from(stable).every(Number.isFinite)).toBe(true);
    expect(stable[0] + stable[1] + stable[2]).toBeCloseTo(1, 6);
    expect(stable[0]).toBeCloseTo(1 / (1 + Math.exp(-1) + Math.exp(-2)), 6);
    expect(stable[5]).toBeCloseTo(1, 6);
  });
});

describe('cross-entropy and accuracy (d2l 3.6.4–3.6.5)', () => {
  const yHat = Float64Array.from([0.1, 0.3, 0.6, 0.3, 0.2, 0.5]);
  const y = Uint8Array.from([0, 2]);

  it('picks the true-class probability: [2.3026, 0.6931]', () => {
    const out = new Float64Array(2);
    crossEntropy(yHat, y, 2, K, out);
    expect(out[0]).toBeCloseTo(2.3026, 4);
    expect(out[1]).toBeCloseTo(0.6931, 4);
  });

  it('from the logits by log-sum-exp it equals -log softmax on ordinary logits', () => {
    const rng = createRng(3);
    const n = 32, k = 10;
    const logits = Float32Array.from({ length: n * k }, () => nextNormal(rng, 0, 4)); // (n, K)
    const y = Uint8Array.from({ length: n }, (_, r) => r % k);
    const p = new Float64Array(n * k);
    softmaxStable(logits, n, k, p);
    const fromProbs = new Float64Array(n);
    const fromLogits = new Float64Array(n);
    crossEntropy(p, y, n, k, fromProbs);
    crossEntropyFromLogits(logits, y, n, k, fromLogits);
    for (let r = 0; r < n; r++) expect(fromLogits[r]).toBeCloseTo(fromProbs[r], 10);
    expect(logSumExpLoss(logits, 5, k, y[5])).toBe(fromLogits[5]);
  });

  it('from the logits it stays finite where the probability underflows to 0 and -log p is Infinity', () => {
    // A label logit 200 below the max: exp(-200) is 0 in float32, so -log p = Infinity; the true loss is ~200.
    const logits = Float32Array.from([200, 0, 0, 1e30, -1e30, 0]); // two rows of K = 3
    const y = Uint8Array.from([1, 1]);
    const p = new Float32Array(6);
    softmaxStable(logits, 2, K, p);
    const textbook = new Float64Array(2);
    crossEntropy(p, y, 2, K, textbook);
    expect(textbook[0]).toBe(Infinity);
    const stable = new Float64Array(2);
    crossEntropyFromLogits(logits, y, 2, K, stable);
    expect(stable[0]).toBeCloseTo(200, 10);
    expect(stable[1]).toBe(logits[3] - logits[4]); // even logits of ±1e30: log 1 - (o_y - max), about 2e30
  });

  it('accuracy is 0.5 (argmax rows are 2 and 2)', () => {
    expect(argmaxRow(yHat, 0, K)).toBe(2);
    expect(argmaxRow(yHat, 1, K)).toBe(2);
    expect(correctCount(yHat, y, 2, K)).toBe(1);
    expect(accuracy(yHat, y, 2, K)).toBe(0.5);
    expect(accuracy(yHat, y, 0, K)).toBe(0);
  });

  it('argmax takes the first of ties', () => {
    expect(argmaxRow([0.5, 0.5, 0.1], 0, K)).toBe(0);
  });
});

describe('Accumulator', () => {
  it('sums over n variables, reads and resets them', () => {
    const acc = new Accumulator(3);
    acc.add(1, 2, 3);
    acc.add(0.5, 0.25);
    expect([acc.get(0), acc.get(1), acc.get(2)]).toEqual([1.5, 2.25, 3]);
    acc.reset();
    expect(Array.from(acc.data)).toEqual([0, 0, 0]);
  });
});
