// Fast kernels in plain JavaScript: one fused pass per sample straight from the uint8 image (no float
// batch copy), zero pixels skipped, the 10 logits in locals. Same arithmetic as the reference in the same
// order (float64 sums, float32 stores), so results agree bit for bit; the fallback where wasm SIMD is absent.
// Legend: N = batch rows, D = 784 inputs, K = 10 classes.

import type { Dataset } from '../dataset';
import { allFinite } from '../model';
import { NUM_CLASSES, NUM_INPUTS } from '../shapes';
import { argmaxRow } from '../softmax';
import { createRowScratch, lazyReference, pixelScaleTable, rowSoftmaxGrad } from './fast-common';
import { weightDecayGradNaive } from './reference';
import type { BatchStats, Kernels, SoftmaxVariant } from './types';

// Shapes as module constants: hot loops read locals, not imported bindings (vitest rewrites those
// into property reads, ~20x slower).
const K = NUM_CLASSES;
const D = NUM_INPUTS;
const DK = D * K; // offset of b in the parameter buffer

/** Creates the pure-JS fast kernels for batches of up to `maxBatch` rows. */
export function createFastJsKernels(maxBatch = 256): Kernels {
  const scale = pixelScaleTable(); // (256)
  const nzRow = new Int32Array(D); // (D) W-row offset d*K of each nonzero pixel of the current sample
  const nzVal = new Float64Array(D); // (D) its value in [0, 1] (a float32 value held exactly)
  const row = createRowScratch();
  const g = new Float64Array(K); // (K) dlogits p - onehot of the current sample, unrounded as in the reference
  const reference = lazyReference();
  const check = (n: number): void => {
    if (n > maxBatch) throw new RangeError(`batch of ${n} rows exceeds this kernel's maxBatch ${maxBatch}`);
  };

  /** Logits of image i of `images` into row.logits; lists its nonzero pixels when `compact`. Returns their count. */
  function forward(params: Float32Array, images: Uint8Array, i: number, compact: boolean): number {
    let l0 = params[DK], l1 = params[DK + 1], l2 = params[DK + 2], l3 = params[DK + 3], l4 = params[DK + 4];
    let l5 = params[DK + 5], l6 = params[DK + 6], l7 = params[DK + 7], l8 = params[DK + 8], l9 = params[DK + 9];
    let nnz = 0;
    const off = i * D;
    for (let d = 0; d < D; d++) {
      const v = images[off + d];
      if (v === 0) continue; // 0 * w adds nothing: about half the pixels
      const x = scale[v];
      const w = d * K;
      l0 += x * params[w]; l1 += x * params[w + 1]; l2 += x * params[w + 2]; l3 += x * params[w + 3]; l4 += x * params[w + 4];
      l5 += x * params[w + 5]; l6 += x * params[w + 6]; l7 += x * params[w + 7]; l8 += x * params[w + 8]; l9 += x * params[w + 9];
      if (compact) {
        nzRow[nnz] = w;
        nzVal[nnz] = x;
        nnz++;
      }
    }
    const lg = row.logits;
    lg[0] = l0; lg[1] = l1; lg[2] = l2; lg[3] = l3; lg[4] = l4; lg[5] = l5; lg[6] = l6; lg[7] = l7; lg[8] = l8; lg[9] = l9;
    return nnz;
  }

  return {
    name: 'fast-js',
    maxBatch,
    batchGradient(params: Float32Array, grad: Float32Array, ds: Dataset, order: Uint32Array | null, start: number, n: number, softmax: SoftmaxVariant, weightDecay = 0): BatchStats {
      check(n);
      // Skipping zero pixels is exact only while 0 * w is 0: non-finite weights go to the reference.
      if (!allFinite(params)) return reference(n).batchGradient(params, grad, ds, order, start, n, softmax, weightDecay);
      grad.fill(0);
      let lossSum = 0;
      let correct = 0;
      for (let r = 0; r < n; r++) {
        const i = order ? order[start + r] : start + r;
        const nnz = forward(params, ds.images, i, true);
        const y = ds.labels[i];
        lossSum += rowSoftmaxGrad(row, y, softmax, g);
        if (row.argmax === y) correct++;
        const g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4], g5 = g[5], g6 = g[6], g7 = g[7], g8 = g[8], g9 = g[9];
        if ((g0 + g1 + g2 + g3 + g4 + g5 + g6 + g7 + g8 + g9) - (g0 + g1 + g2 + g3 + g4 + g5 + g6 + g7 + g8 + g9) !== 0) {
          // Naive softmax overflowed: the reference's NaN reaches every row of dW, zero pixels included.
          return reference(n).batchGradient(params, grad, ds, order, start, n, softmax, weightDecay);
        }
        // dW += x^T (p - onehot), nonzero pixels only; float32 accumulation in sample order, as the reference.
        for (let j = 0; j < nnz; j++) {
          const w = nzRow[j];
          const x = nzVal[j];
          grad[w] += x * g0; grad[w + 1] += x * g1; grad[w + 2] += x * g2; grad[w + 3] += x * g3; grad[w + 4] += x * g4;
          grad[w + 5] += x * g5; grad[w + 6] += x * g6; grad[w + 7] += x * g7; grad[w + 8] += x * g8; grad[w + 9] += x * g9;
        }
        grad[DK] += g0; grad[DK + 1] += g1; grad[DK + 2] += g2; grad[DK + 3] += g3; grad[DK + 4] += g4;
        grad[DK + 5] += g5; grad[DK + 6] += g6; grad[DK + 7] += g7; grad[DK + 8] += g8; grad[DK + 9] += g9;
      }
      weightDecayGradNaive(params, grad, n, weightDecay); // the reference's own step: bit for bit
      return { lossSum, correct };
    },
    countCorrect(params: Float32Array, ds: Dataset, start: number, n: number): number {
      if (!allFinite(params)) return reference(Math.min(n, 256)).countCorrect(params, ds, start, n);
      let correct = 0;
      for (let i = start; i < start + n; i++) {
        forward(params, ds.images, i, false);
        if (argmaxRow(row.logits, 0, K) === ds.labels[i]) correct++;
      }
      return correct;
    },
    logits(params: Float32Array, x: Float32Array, n: number, out: Float32Array): void {
      logitsDense(params, x, n, out);
    },
  };
}

/** logits (n, K) = x (n, D) W + b, dense, float64 sums in the reference's order, 10 sums in locals. */
export function logitsDense(params: Float32Array, x: Float32Array, n: number, out: Float32Array): void {
  for (let r = 0; r < n; r++) {
    let l0 = params[DK], l1 = params[DK + 1], l2 = params[DK + 2], l3 = params[DK + 3], l4 = params[DK + 4];
    let l5 = params[DK + 5], l6 = params[DK + 6], l7 = params[DK + 7], l8 = params[DK + 8], l9 = params[DK + 9];
    const xo = r * D;
    for (let d = 0; d < D; d++) {
      const v = x[xo + d];
      const w = d * K;
      l0 += v * params[w]; l1 += v * params[w + 1]; l2 += v * params[w + 2]; l3 += v * params[w + 3]; l4 += v * params[w + 4];
      l5 += v * params[w + 5]; l6 += v * params[w + 6]; l7 += v * params[w + 7]; l8 += v * params[w + 8]; l9 += v * params[w + 9];
    }
    const o = r * K;
    out[o] = l0; out[o + 1] = l1; out[o + 2] = l2; out[o + 3] = l3; out[o + 4] = l4;
    out[o + 5] = l5; out[o + 6] = l6; out[o + 7] = l7; out[o + 8] = l8; out[o + 9] = l9;
  }
}
