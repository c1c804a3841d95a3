// The contract every compute backend meets (the plain reference one, and faster ones). The trainer
// speaks only to this, so a fast kernel can be swapped in and checked against the reference.
// Legend: N = rows in the batch, D = 784, K = 10. Params: W (D, K) row-major then b (K).

import type { Dataset } from '../dataset';

/** Which softmax the forward pass uses: stable (max-subtracting) or naive (d2l's exp / rowsum). */
export type SoftmaxVariant = 'stable' | 'naive';

/** What one batch's forward pass measured. */
export interface BatchStats {
  /** Sum over the batch of the cross-entropy loss (NaN or Infinity when the softmax overflowed). */
  lossSum: number;
  /** How many rows' argmax equals the label. */
  correct: number;
}

/** What one fused training step did ({@link Kernels.trainBatch}). */
export interface StepStats extends BatchStats {
  /**
   * 'updated': params now hold the SGD step. Otherwise params are unchanged, because the batch's loss sum
   * ('loss'), its gradient ('gradient') or an updated weight ('weights') is not finite.
   */
  outcome: 'updated' | 'loss' | 'gradient' | 'weights';
}

/** A compute backend for softmax regression. */
export interface Kernels {
  /** Short name for benchmarks, logs and the window's readout (e.g. 'fast (wasm SIMD, 2 threads)'). */
  readonly name: string;
  /** Largest batch this instance has scratch space for. */
  readonly maxBatch: number;
  /** Threads the backend computes on, the caller's included (1 when omitted). */
  readonly threads?: number;
  /**
   * Forward, loss and backward for examples order[start .. start+n) of `ds` (pixels scaled by 1/255).
   * Writes into `grad` (D*K + K) the gradient of the SUM of the n losses (d2l's `l.sum().backward()`),
   * overwriting what was there. With weight decay λ > 0 each row's loss is d2l's `loss + λ/2 ‖W‖²`, so W's
   * part gains n λ W (b's does not); λ = 0 (the default) leaves the gradient exactly as without it.
   * Returns the sum of the n cross-entropies (the penalty not included) and the correct count from the
   * same forward pass.
   */
  batchGradient(params: Float32Array, grad: Float32Array, ds: Dataset, order: Uint32Array | null, start: number, n: number, softmax: SoftmaxVariant, weightDecay?: number): BatchStats;
  /**
   * Optional fused minibatch SGD: batchGradient's forward, loss and backward, then d2l's sgd, params -= lr *
   * grad / n, in one call with no gradient handed back; with weight decay λ, W ← W − lr (grad / n + λ W);
   * params change only when the outcome is 'updated'. Backends with their own copy of the weights (the
   * WebAssembly one) save a round trip per batch.
   */
  trainBatch?(params: Float32Array, ds: Dataset, order: Uint32Array | null, start: number, n: number, softmax: SoftmaxVariant, lr: number, weightDecay?: number): StepStats;
  /** Number of examples [start, start+n) of `ds` whose argmax logit equals the label. */
  countCorrect(params: Float32Array, ds: Dataset, start: number, n: number): number;
  /** Logits (n, K) of n float inputs x (n, D), into `out`. */
  logits(params: Float32Array, x: Float32Array, n: number, out: Float32Array): void;
}
