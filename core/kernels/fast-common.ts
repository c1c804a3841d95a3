// What the fast kernels (WebAssembly SIMD and pure JS) share: the byte-to-float table, one row's
// softmax / loss / argmax / dlogits computed with the reference's own functions from core/softmax.ts (so
// the naive variant overflows exactly as d2l's does), and the lazy fall-back to the reference kernels.
// Legend: D = 784 inputs, K = 10 classes, N = batch rows.

import { PIXEL_SCALE } from '../dataset';
import { NUM_CLASSES } from '../shapes';
import { argmaxRow, logSumExpLoss, softmaxNaive, softmaxStable } from '../softmax';
import { createReferenceKernels } from './reference';
import type { Kernels, SoftmaxVariant } from './types';

// Shapes as module constants: hot loops read locals, not imported bindings (vitest rewrites those
// into property reads, ~20x slower).
const K = NUM_CLASSES;

/** byte v -> float32(v * (1/255)), the exact value the reference's gatherBatch stores. (256) f32. */
export function pixelScaleTable(): Float32Array {
  const t = new Float32Array(256); // (256)
  for (let v = 0; v < 256; v++) t[v] = v * PIXEL_SCALE;
  return t;
}

/** Scratch for {@link rowSoftmaxGrad}: one row's logits and probabilities. */
export interface RowScratch {
  logits: Float32Array; // (K)
  probs: Float32Array; // (K)
  /** The class the last {@link rowSoftmaxGrad} call predicted. */
  argmax: number;
}

/** Allocates a {@link RowScratch} (once per kernels instance, never in the loop). */
export function createRowScratch(): RowScratch {
  return { logits: new Float32Array(K), probs: new Float32Array(K), argmax: 0 };
}

/**
 * From s.logits (K) of one row with label y: softmax into s.probs, then d(loss)/d(logits) = p - onehot(y)
 * into dlogits[0..K) (the softmax Jacobian and the log's 1/p cancel, so the fused form is both cheaper
 * and better conditioned). Returns the row's cross-entropy, as the reference takes it: -log p_y for the
 * naive softmax, log-sum-exp of the logits for the stable one. s.argmax receives the predicted class,
 * taken over the probabilities as the reference does (first on ties; NaN rows predict class 0).
 */
export function rowSoftmaxGrad(s: RowScratch, y: number, softmax: SoftmaxVariant, dlogits: Float32Array | Float64Array): number {
  const p = s.probs;
  if (softmax === 'naive') softmaxNaive(s.logits, 1, K, p);
  else softmaxStable(s.logits, 1, K, p);
  s.argmax = argmaxRow(p, 0, K);
  for (let k = 0; k < K; k++) dlogits[k] = p[k] - (k === y ? 1 : 0);
  return softmax === 'naive' ? -Math.log(p[y]) : logSumExpLoss(s.logits, 0, K, y);
}

/**
 * The reference kernels, made on first use and grown on demand. The fast kernels hand them the rare
 * batches their shortcuts do not cover bit for bit: non-finite parameters (the reference's 0 * Infinity
 * is NaN, a skipped zero pixel is not) and rows whose naive softmax overflowed (the reference's NaN
 * spreads over every row of dW, also through zero pixels).
 */
export function lazyReference(): (n: number) => Kernels {
  let ref: Kernels | null = null;
  return (n) => {
    if (!ref || ref.maxBatch < n) ref = createReferenceKernels(n);
    return ref;
  };
}
