// The step-by-step numbers are the core's: on the same image and weights, x, the logits and the gradient
// equal the reference kernel's forward and backward on a batch of one (bit for bit), ŷ is core's softmax
// of the variant and equals the exp column over its sum, and the loss is the kernel's; with large logits
// the textbook variant shows ∞, NaN and the kernel's NaN gradient, the stable one a finite loss.

import { describe, expect, it } from 'vitest';
import { gatherBatch, type Dataset } from '../../../core/dataset';
import { createReferenceKernels } from '../../../core/kernels/reference';
import type { SoftmaxVariant } from '../../../core/kernels/types';
import { initParams, sgdStep } from '../../../core/model';
import { createRng } from '../../../core/rng';
import { NUM_CLASSES as K, NUM_INPUTS as D, NUM_PARAMS } from '../../../core/shapes';
import { logSumExpLoss, softmaxNaive, softmaxStable } from '../../../core/softmax';
import { formatProb, formatValue } from '../../../renderer/inside/format';
import { biasGradient, classProbabilities, EXP_OVERFLOW_FLOAT32, inputFromPixels, sgdFactor, stepByStep } from '../../../renderer/inside/step-by-step';
import { separableSplit } from '../../fixtures/fashion-fixture';

const VARIANTS: SoftmaxVariant[] = ['stable', 'naive'];

/** Weights after 30 SGD steps on the separable fixture: a model that has learnt something. */
function trainedParams(ds: Dataset): Float32Array {
  const params = initParams(createRng(0)).data;
  const kernels = createReferenceKernels(64);
  const grad = new Float32Array(NUM_PARAMS);
  for (let s = 0; s < 30; s++) {
    kernels.batchGradient(params, grad, ds, null, (s * 64) % (ds.count - 64), 64, 'stable');
    sgdStep(params, grad, 0.5, 64);
  }
  return params;
}

/** Example i of ds as a dataset of one. */
function one(ds: Dataset, i: number): Dataset {
  return { count: 1, images: ds.images.slice(i * D, (i + 1) * D), labels: ds.labels.slice(i, i + 1) };
}

/** Element-wise equality that counts NaN as equal to NaN; returns the first index that differs (-1: none). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) return i;
  return -1;
}

/** Checks a step against the reference kernel's forward and backward on the same single image. */
function expectMatchesCore(params: Float32Array, single: Dataset, softmax: SoftmaxVariant): ReturnType<typeof stepByStep> {
  const kernels = createReferenceKernels(1);
  const x = new Float32Array(D);
  gatherBatch(single, null, 0, 1, x, new Uint8Array(1));
  const step = stepByStep(params, inputFromPixels(single.images), single.labels[0], softmax);
  expect(firstDifference(step.x, x)).toBe(-1);

  const logits = new Float32Array(K);
  kernels.logits(params, x, 1, logits);
  expect(firstDifference(step.logits, logits)).toBe(-1);

  const grad = new Float32Array(NUM_PARAMS);
  const stats = kernels.batchGradient(params, grad, single, null, 0, 1, softmax);
  expect(firstDifference(step.grad, grad), `${softmax}: the first gradient entry that differs`).toBe(-1);
  expect(Object.is(step.loss, stats.lossSum) || step.loss === stats.lossSum).toBe(true);

  const probs = new Float32Array(K);
  (softmax === 'naive' ? softmaxNaive : softmaxStable)(logits, 1, K, probs);
  expect(firstDifference(step.probs, probs)).toBe(-1);
  // The exp column over its sum is ŷ, in the precision each variant divides in.
  const shown = step.exps.map((e) => Math.fround((softmax === 'naive' ? e : Math.fround(e)) / step.expSum));
  expect(firstDifference(Float32Array.from(shown), step.probs)).toBe(-1);
  for (let k = 0; k < K; k++) expect(biasGradient(step, k)).toBe(grad[D * K + k]);
  return step;
}

describe('stepByStep: the core’s forward and backward on one image', () => {
  const ds = separableSplit(512, 3);
  const params = trainedParams(ds);

  for (const softmax of VARIANTS) {
    it(`equals the reference kernel on a batch of one (${softmax})`, () => {
      for (const i of [0, 1, 7, 100, 511]) {
        const step = expectMatchesCore(params, one(ds, i), softmax);
        expect(step.label).toBe(ds.labels[i]);
        expect(step.labelIsTop).toBe(false);
        expect(Number.isFinite(step.loss)).toBe(true);
        expect(step.overflowed).toEqual([]);
        expect(step.nanClasses).toEqual([]);
        expect(step.gradScale).toBeGreaterThan(0);
      }
    });
  }

  it('the stable variant subtracts the largest logit and takes the loss by log-sum-exp', () => {
    const step = stepByStep(params, inputFromPixels(one(ds, 5).images), ds.labels[5], 'stable');
    expect(step.shift).toBe(Math.max(...step.logits));
    expect(step.exps[step.top]).toBe(1);
    for (const e of step.exps) expect(e).toBeLessThanOrEqual(1);
    expect(step.expSum).toBeGreaterThanOrEqual(1);
    expect(step.logSumExp - (step.logits[step.label] - step.shift)).toBeCloseTo(step.loss, 12);
    expect(step.loss).toBe(logSumExpLoss(step.logits, 0, K, step.label));
  });

  it('the textbook variant exponentiates the logits as they are', () => {
    const step = stepByStep(params, inputFromPixels(one(ds, 5).images), ds.labels[5], 'naive');
    expect(step.shift).toBe(0);
    for (let k = 0; k < K; k++) expect(step.exps[k]).toBe(Math.fround(Math.exp(step.logits[k])));
    expect(step.loss).toBe(-Math.log(step.probs[step.label]));
    expect(Number.isNaN(step.logSumExp)).toBe(true);
  });

  describe('with logits past float32 exp’s range', () => {
    // W's column for Dress (3) at 2: its logit is 2·Σx, far above 88.72 for a bright image.
    const big = params.slice();
    for (let d = 0; d < D; d++) big[d * K + 3] = 2;
    const trouser = ds.labels.indexOf(1); // y ≠ 3
    const dress = ds.labels.indexOf(3); // y = 3

    it('textbook: exp overflows to ∞, ŷ is NaN there and 0 elsewhere, loss and gradient as the kernel’s', () => {
      for (const i of [trouser, dress]) {
        const step = expectMatchesCore(big, one(ds, i), 'naive');
        expect(step.logits[3]).toBeGreaterThan(EXP_OVERFLOW_FLOAT32);
        expect(step.overflowed).toEqual([3]);
        expect(step.exps[3]).toBe(Infinity);
        expect(step.expSum).toBe(Infinity);
        expect(step.nanClasses).toEqual([3]);
        for (let k = 0; k < K; k++) if (k !== 3) expect(step.probs[k]).toBe(0);
        // −log NaN for the overflowed class, −log 0 = ∞ for any other.
        if (ds.labels[i] === 3) expect(step.loss).toBeNaN();
        else expect(step.loss).toBe(Infinity);
        // The NaN reaches every pixel of column 3 (NaN · 0 is NaN); the other columns stay finite.
        for (let d = 0; d < D; d++) expect(step.grad[d * K + 3]).toBeNaN();
        expect(Number.isFinite(step.grad[K * 100 + 1])).toBe(true);
        expect(Number.isFinite(step.gradScale)).toBe(true);
      }
    });

    it('stable: nothing overflows and the loss stays finite', () => {
      for (const i of [trouser, dress]) {
        const step = expectMatchesCore(big, one(ds, i), 'stable');
        expect(step.shift).toBe(step.logits[3]);
        expect(step.overflowed).toEqual([]);
        expect(step.nanClasses).toEqual([]);
        expect(Number.isFinite(step.loss)).toBe(true);
        expect(step.probs[3]).toBeCloseTo(1, 6);
        if (ds.labels[i] !== 3) expect(step.loss).toBeGreaterThan(EXP_OVERFLOW_FLOAT32);
      }
    });
  });

  it('null for a label means the model’s top class', () => {
    const x = inputFromPixels(one(ds, 9).images);
    const step = stepByStep(params, x, null, 'stable');
    expect(step.labelIsTop).toBe(true);
    expect(step.label).toBe(step.top);
    expect(firstDifference(step.grad, stepByStep(params, x, step.top, 'stable').grad)).toBe(-1);
  });

  it('classProbabilities is the trainer’s predict (stable softmax of the logits)', () => {
    const x = inputFromPixels(one(ds, 2).images);
    const step = stepByStep(params, x, 0, 'stable');
    expect(firstDifference(classProbabilities(params, x), step.probs)).toBe(-1);
  });

  it('refuses wrong shapes and labels', () => {
    const x = new Float32Array(D);
    expect(() => stepByStep(new Float32Array(10), x, 0, 'stable')).toThrow(/7850/);
    expect(() => stepByStep(params, new Float32Array(3), 0, 'stable')).toThrow(/784/);
    expect(() => stepByStep(params, x, 10, 'stable')).toThrow(/label/);
    expect(() => inputFromPixels(new Uint8Array(5))).toThrow(/784/);
  });

  it('SGD moves a weight by lr / B times this image’s gradient', () => {
    expect(sgdFactor(0.1, 256)).toBe(0.1 / 256);
    expect(sgdFactor(0.1, 0)).toBeNaN();
  });
});

describe('formatting', () => {
  it('prints ∞ and NaN as they are, and small and large numbers readably', () => {
    expect(formatValue(Infinity)).toBe('∞');
    expect(formatValue(-Infinity)).toBe('−∞');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(-0.0523)).toBe('−0.052');
    expect(formatValue(3.21449)).toBe('3.214');
    expect(formatValue(123.46)).toBe('123.5');
    expect(formatValue(1.234e38)).toBe('1.2e+38');
    expect(formatValue(3.1e-9)).toBe('3.1e−9');
    expect(formatProb(0.83249)).toBe('0.832');
    expect(formatProb(NaN)).toBe('NaN');
    expect(formatProb(2e-7)).toBe('2.0e−7');
    expect(formatProb(0)).toBe('0.000');
  });
});
