// The plain reference kernels: the textbook steps one after another on float32 buffers, no tricks.
// Slow and obviously right; every faster kernel is tested against these (as llm.c keeps
// matmul_forward_naive beside its fast matmul).
// Legend: N = batch rows, D = 784 inputs, K = 10 classes.

import { gatherBatch, type Dataset } from '../dataset';
import { NUM_CLASSES, NUM_INPUTS } from '../shapes';
import { argmaxRow, logSumExpLoss, softmaxNaive, softmaxStable } from '../softmax';
import type { BatchStats, Kernels, SoftmaxVariant } from './types';

// Module-local copies: test runners that rewrite imports into property reads (vitest's module runner)
// would otherwise pay a getter call per multiply-add in the inner loops, about 10x slower.
const D = NUM_INPUTS;
const K = NUM_CLASSES;

/** logits = x W + b. x: (n, D), params: W (D, K) then b (K), out: (n, K). */
export function linearForwardNaive(params: Float32Array, x: Float32Array, n: number, out: Float32Array): void {
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < K; k++) {
      let s = params[D * K + k];
      for (let d = 0; d < D; d++) s += x[r * D + d] * params[d * K + k];
      out[r * K + k] = s;
    }
  }
}

/**
 * Backward of the summed cross-entropy through softmax and the linear layer.
 * d(sum loss)/d logits = p - onehot(y): the softmax Jacobian and the log's 1/p cancel, which is both
 * cheaper and better conditioned than chaining the two derivatives. Then dW = x^T dlogits (D, K) and
 * db = column sums of dlogits (K). probs: (n, K), x: (n, D), grad out: (D*K + K).
 */
export function linearSoftmaxBackwardNaive(probs: Float32Array, x: Float32Array, y: Uint8Array, n: number, grad: Float32Array): void {
  grad.fill(0);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < K; k++) {
      const g = probs[r * K + k] - (y[r] === k ? 1 : 0);
      for (let d = 0; d < D; d++) grad[d * K + k] += x[r * D + d] * g;
      grad[D * K + k] += g;
    }
  }
}

/**
 * The weight-decay part of the summed loss's gradient: d2l adds λ/2 ‖W‖² to each of the n rows' losses,
 * so d(sum)/dW gains n λ W; the bias is not decayed. grad (D*K + K) += that, in place. λ = 0 touches
 * nothing (not even adding zeros, which would turn a -0 into +0 or a 0 * Infinity into NaN).
 */
export function weightDecayGradNaive(params: Float32Array, grad: Float32Array, n: number, weightDecay: number): void {
  if (weightDecay === 0) return;
  const c = n * weightDecay;
  for (let i = 0; i < D * K; i++) grad[i] += c * params[i];
}

/** Creates the reference kernels with scratch space for batches of up to `maxBatch` rows. */
export function createReferenceKernels(maxBatch = 256): Kernels {
  const x = new Float32Array(maxBatch * D); // (N, D)
  const y = new Uint8Array(maxBatch); // (N)
  const logits = new Float32Array(maxBatch * K); // (N, K)
  const probs = new Float32Array(maxBatch * K); // (N, K)
  const check = (n: number): void => {
    if (n > maxBatch) throw new RangeError(`batch of ${n} rows exceeds this kernel's maxBatch ${maxBatch}`);
  };
  return {
    name: 'reference',
    maxBatch,
    batchGradient(params: Float32Array, grad: Float32Array, ds: Dataset, order: Uint32Array | null, start: number, n: number, softmax: SoftmaxVariant, weightDecay = 0): BatchStats {
      check(n);
      gatherBatch(ds, order, start, n, x, y);
      linearForwardNaive(params, x, n, logits);
      if (softmax === 'naive') softmaxNaive(logits, n, K, probs);
      else softmaxStable(logits, n, K, probs);
      let lossSum = 0;
      let correct = 0;
      for (let r = 0; r < n; r++) {
        // The textbook takes -log of the probability (Infinity once it underflows to 0); the stable form
        // takes the loss from the logits by log-sum-exp, finite for finite logits.
        lossSum += softmax === 'naive' ? -Math.log(probs[r * K + y[r]]) : logSumExpLoss(logits, r, K, y[r]);
        if (argmaxRow(probs, r, K) === y[r]) correct++;
      }
      linearSoftmaxBackwardNaive(probs, x, y, n, grad);
      weightDecayGradNaive(params, grad, n, weightDecay);
      return { lossSum, correct };
    },
    countCorrect(params: Float32Array, ds: Dataset, start: number, n: number): number {
      let correct = 0;
      for (let s = start; s < start + n; s += maxBatch) {
        const m = Math.min(maxBatch, start + n - s);
        gatherBatch(ds, null, s, m, x, y);
        linearForwardNaive(params, x, m, logits);
        for (let r = 0; r < m; r++) {
          if (argmaxRow(logits, r, K) === y[r]) correct++;
        }
      }
      return correct;
    },
    logits(params: Float32Array, xIn: Float32Array, n: number, out: Float32Array): void {
      linearForwardNaive(params, xIn, n, out);
    },
  };
}
