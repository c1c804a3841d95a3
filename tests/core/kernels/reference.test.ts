// Finite-difference check of the reference kernels' batchGradient: the analytic gradient of the summed
// cross-entropy w.r.t. W and b against central differences of the same loss computed in float64, without
// and with d2l's weight decay (each row's loss + λ/2 ‖W‖², so the sum gains n λ/2 ‖W‖²; b is not decayed).
// Legend: N = batch rows, D = 784, K = 10.

import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../../../core/kernels/reference';
import { LIMITS } from '../../../core/train';
import type { SoftmaxVariant } from '../../../core/kernels/types';
import { createRng, nextInt, nextNormal } from '../../../core/rng';
import { NUM_CLASSES as K, NUM_INPUTS as D, NUM_PARAMS } from '../../../core/shapes';
import type { Dataset } from '../../../core/dataset';

/** Sum over the batch of -log softmax(xW + b)[y], in float64 (pixels scaled by 1/255 as the kernels do). */
function lossSum64(params: Float64Array, ds: Dataset, n: number): number {
  let total = 0;
  const z = new Float64Array(K);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < K; k++) {
      let s = params[D * K + k];
      for (let d = 0; d < D; d++) s += (ds.images[r * D + d] * Math.fround(1 / 255)) * params[d * K + k];
      z[k] = s;
    }
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, z[k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(z[k] - max);
    total += -(z[ds.labels[r]] - max - Math.log(sum));
  }
  return total;
}

/** lossSum64 plus d2l's penalty on each of the n rows: n λ/2 Σ W² (b left out), in float64. */
function regularisedSum64(params: Float64Array, ds: Dataset, n: number, weightDecay: number): number {
  let squares = 0;
  for (let i = 0; i < D * K; i++) squares += params[i] * params[i];
  return lossSum64(params, ds, n) + n * (weightDecay / 2) * squares;
}

describe('gradients', () => {
  const n = 6;
  const rng = createRng(11);
  const ds: Dataset = {
    count: n,
    images: Uint8Array.from({ length: n * D }, () => nextInt(rng, 256)),
    labels: Uint8Array.from({ length: n }, () => nextInt(rng, K)),
  };
  const params = Float32Array.from({ length: NUM_PARAMS }, () => nextNormal(rng, 0, 0.05));

  // λ = 0 (plain softmax regression), the window slider's largest λ, and LIMITS' largest, where the
  // penalty's n λ W is as large as the data gradient.
  const cases: [SoftmaxVariant, number][] = [['stable', 0], ['naive', 0], ['stable', 0.01], ['naive', 0.01], ['stable', LIMITS.maxWeightDecay]];
  for (const [softmax, weightDecay] of cases) {
    it(`batchGradient (${softmax} softmax${weightDecay ? `, weight decay ${weightDecay}` : ''}) matches central finite differences for W and b`, () => {
      const kernels = createReferenceKernels(n);
      const grad = new Float32Array(NUM_PARAMS);
      const stats = kernels.batchGradient(params, grad, ds, null, 0, n, softmax, weightDecay);
      const p64 = Float64Array.from(params);
      expect(stats.lossSum).toBeCloseTo(lossSum64(p64, ds, n), 3); // the cross-entropy alone: no penalty

      const eps = 1e-4;
      const fd = (i: number): number => {
        const saved = p64[i];
        p64[i] = saved + eps;
        const up = regularisedSum64(p64, ds, n, weightDecay);
        p64[i] = saved - eps;
        const down = regularisedSum64(p64, ds, n, weightDecay);
        p64[i] = saved;
        return (up - down) / (2 * eps);
      };
      // Every bias, and 300 weights spread over the image (all ten classes of each picked pixel).
      const indices: number[] = [];
      for (let k = 0; k < K; k++) indices.push(D * K + k);
      const pick = createRng(5);
      for (let j = 0; j < 30; j++) {
        const d = nextInt(pick, D);
        for (let k = 0; k < K; k++) indices.push(d * K + k);
      }
      let maxDiff = 0;
      let maxGrad = 0;
      for (const i of indices) {
        maxDiff = Math.max(maxDiff, Math.abs(fd(i) - grad[i]));
        maxGrad = Math.max(maxGrad, Math.abs(grad[i]));
      }
      const tol = 1e-5;
      console.log(`${softmax} λ=${weightDecay}: max |finite difference - analytic| = ${maxDiff.toExponential(2)} over ${indices.length} params (largest |grad| ${maxGrad.toFixed(3)}, tolerance ${tol})`);
      expect(maxGrad).toBeGreaterThan(0.1); // the check is not vacuous
      expect(maxDiff).toBeLessThan(tol);

      // The penalty's part, n λ W on W and nothing on b, as float32 rounding of the data gradient plus it.
      const plain = new Float32Array(NUM_PARAMS);
      kernels.batchGradient(params, plain, ds, null, 0, n, softmax);
      for (let k = 0; k < K; k++) expect(grad[D * K + k]).toBe(plain[D * K + k]);
      let decayDiff = 0;
      let decayScale = 0;
      for (let i = 0; i < D * K; i++) {
        decayDiff = Math.max(decayDiff, Math.abs(grad[i] - plain[i] - n * weightDecay * params[i]));
        decayScale = Math.max(decayScale, Math.abs(n * weightDecay * params[i]));
      }
      expect(decayDiff).toBeLessThanOrEqual(1e-6);
      if (weightDecay > 0) expect(decayScale).toBeGreaterThan(weightDecay * n * 0.1); // W ~ N(0, 0.05²): some |w| > 0.1
      else expect(Buffer.from(grad.buffer).equals(Buffer.from(plain.buffer))).toBe(true); // λ = 0: the same bits
    });
  }
});
