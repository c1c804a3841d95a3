// Finite-difference check of the reference kernels' batchGradient: the analytic gradient of the summed
// cross-entropy w.r.t. W and b against central differences of the same loss computed in float64.
// Legend: N = batch rows, D = 784, K = 10.

import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../../../core/kernels/reference';
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

describe('gradients', () => {
  const n = 6;
  const rng = createRng(11);
  const ds: Dataset = {
    count: n,
    images: Uint8Array.from({ length: n * D }, () => nextInt(rng, 256)),
    labels: Uint8Array.from({ length: n }, () => nextInt(rng, K)),
  };
  const params = Float32Array.from({ length: NUM_PARAMS }, () => nextNormal(rng, 0, 0.05));

  for (const softmax of ['stable', 'naive'] as SoftmaxVariant[]) {
    it(`batchGradient (${softmax} softmax) matches central finite differences for W and b`, () => {
      const kernels = createReferenceKernels(n);
      const grad = new Float32Array(NUM_PARAMS);
      const stats = kernels.batchGradient(params, grad, ds, null, 0, n, softmax);
      const p64 = Float64Array.from(params);
      expect(stats.lossSum).toBeCloseTo(lossSum64(p64, ds, n), 3);

      const eps = 1e-4;
      const fd = (i: number): number => {
        const saved = p64[i];
        p64[i] = saved + eps;
        const up = lossSum64(p64, ds, n);
        p64[i] = saved - eps;
        const down = lossSum64(p64, ds, n);
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
      console.log(`${softmax}: max |finite difference - analytic| = ${maxDiff.toExponential(2)} over ${indices.length} params (largest |grad| ${maxGrad.toFixed(3)}, tolerance ${tol})`);
      expect(maxGrad).toBeGreaterThan(0.1); // the check is not vacuous
      expect(maxDiff).toBeLessThan(tol);
    });
  }
});
