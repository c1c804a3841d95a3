// The chapter's forward and backward pass on ONE image, every intermediate kept for display: the input x,
// the logits o = xW + b, exp(o) and its sum, the softmax ŷ (the run's variant), the loss and the gradient
// this image contributes. The arithmetic is core's (the reference kernel's forward and backward, core's
// softmaxes and losses); this module only adds the intermediate columns a learner reads (exp, Σ, the
// subtracted maximum). Pure: no DOM, no store.
// Legend: D = 784 inputs, K = 10 classes. Params: W (D, K) row-major then b (K).

import { gatherBatch, type Dataset } from '../../core/dataset';
import { createReferenceKernels, linearForwardNaive, linearSoftmaxBackwardNaive } from '../../core/kernels/reference';
import type { SoftmaxVariant } from '../../core/kernels/types';
import { NUM_CLASSES as K, NUM_INPUTS as D, NUM_PARAMS } from '../../core/shapes';
import { argmaxRow, crossEntropy, logSumExpLoss, softmaxNaive, softmaxStable } from '../../core/softmax';
import { EXP_OVERFLOW_FLOAT32, predictProbabilities } from '../../core/train';

export { EXP_OVERFLOW_FLOAT32 };

/** Everything the "One image, step by step" view shows for one image and one set of weights. */
export interface StepByStep {
  /** The softmax the numbers were computed with (the run's). */
  softmax: SoftmaxVariant;
  /** The input x (D), in [0, 1] as the model sees it. */
  x: Float32Array;
  /** The class y the loss and the gradient are taken for. */
  label: number;
  /** True when no label was given and y is the model's top class (an image of the user's own). */
  labelIsTop: boolean;
  /** The logits o = xW + b (K), by the reference kernel's forward. */
  logits: Float32Array;
  /** The class with the largest logit (first on ties). */
  top: number;
  /**
   * What is subtracted from every logit before exp: the stable variant's m = max_j o_j; 0 for the
   * textbook variant, which exponentiates the logits as they are.
   */
  shift: number;
  /**
   * exp(o_j - shift) (K) as the variant computes it: the textbook's in float32 (Infinity above
   * o ≈ 88.72), the stable one's in float64 (every exponent ≤ 0, so each value is in (0, 1]).
   */
  exps: Float64Array;
  /** Σ_j exps[j]: ∞ once one exp overflowed; ≥ 1 for the stable variant. */
  expSum: number;
  /** Classes whose exp overflowed to ∞ (textbook variant only; empty for the stable one). */
  overflowed: number[];
  /** ŷ = softmax(o) (K), by core's softmaxNaive / softmaxStable into float32, as the kernels do. */
  probs: Float32Array;
  /** Classes whose ŷ is NaN (∞/∞, after an overflow). */
  nanClasses: number[];
  /**
   * The loss of this image for class `label`, as the reference kernel takes it: the textbook −log ŷ_y
   * (NaN after an overflow, ∞ where ŷ_y underflowed to 0), the stable log Σ exp(o − m) − (o_y − m).
   */
  loss: number;
  /** log Σ_j exp(o_j − m), the stable loss's first term (NaN for the textbook variant, which has none). */
  logSumExp: number;
  /**
   * d loss / d params for this image (NUM_PARAMS): dW = x (ŷ − onehot(y)) laid out as W (D, K), then
   * db = ŷ − onehot(y) (K). The reference kernel's backward on a batch of one.
   */
  grad: Float32Array;
  /** max |dW| over finite entries (0 when none): the gradient heatmaps' symmetric colour scale. */
  gradScale: number;
}

/** The model input (D) of a test image's pixels (D, 0..255), scaled exactly as the trainer's batches are. */
export function inputFromPixels(pixels: Uint8Array): Float32Array {
  if (pixels.length !== D) throw new Error(`a test image has ${D} pixels, got ${pixels.length}`);
  const x = new Float32Array(D); // (D)
  const ds: Dataset = { count: 1, images: pixels, labels: new Uint8Array(1) };
  gatherBatch(ds, null, 0, 1, x, new Uint8Array(1));
  return x;
}

/** max |v| over the finite entries of W's part (the first D*K values) of a params-shaped buffer. */
function finiteMaxAbs(values: Float32Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(values[i]);
    if (a > m && a !== Infinity) m = a;
  }
  return m;
}

/**
 * The forward and backward pass of softmax regression on one image `x` (D, in [0, 1]) with true class
 * `label` (null: the model's top class, for a picture nobody labelled), under `params` (W then b) and the
 * run's `softmax` variant.
 */
export function stepByStep(params: Float32Array, x: Float32Array, label: number | null, softmax: SoftmaxVariant): StepByStep {
  if (params.length !== NUM_PARAMS) throw new Error(`params need ${NUM_PARAMS} values, got ${params.length}`);
  if (x.length !== D) throw new Error(`x needs ${D} values, got ${x.length}`);
  if (label !== null && (!Number.isInteger(label) || label < 0 || label >= K)) throw new Error(`label must be 0..${K - 1}, got ${label}`);
  const logits = new Float32Array(K); // (1, K)
  linearForwardNaive(params, x, 1, logits);
  const top = argmaxRow(logits, 0, K);
  const y = Uint8Array.of(label ?? top);
  const probs = new Float32Array(K); // (1, K)
  if (softmax === 'naive') softmaxNaive(logits, 1, K, probs);
  else softmaxStable(logits, 1, K, probs);

  // The columns between o and ŷ: what each variant exponentiates, and the sum it divides by. The same
  // steps as the softmax above, one column at a time (the test checks exps / expSum is ŷ).
  let shift = 0;
  if (softmax === 'stable') {
    shift = -Infinity;
    for (let j = 0; j < K; j++) if (logits[j] > shift) shift = logits[j];
  }
  const exps = new Float64Array(K); // (K)
  const overflowed: number[] = [];
  let expSum = 0;
  for (let j = 0; j < K; j++) {
    const e = softmax === 'naive' ? Math.fround(Math.exp(logits[j])) : Math.exp(logits[j] - shift);
    exps[j] = e;
    expSum += e;
    if (e === Infinity) overflowed.push(j);
  }
  const nanClasses: number[] = [];
  for (let j = 0; j < K; j++) if (Number.isNaN(probs[j])) nanClasses.push(j);

  let loss: number;
  let logSumExp = NaN;
  if (softmax === 'naive') {
    const out = new Float64Array(1);
    crossEntropy(probs, y, 1, K, out);
    loss = out[0];
  } else {
    loss = logSumExpLoss(logits, 0, K, y[0]);
    logSumExp = Math.log(expSum);
  }

  const grad = new Float32Array(NUM_PARAMS); // dW (D, K) then db (K)
  linearSoftmaxBackwardNaive(probs, x, y, 1, grad);
  return { softmax, x, label: y[0], labelIsTop: label === null, logits, top, shift, exps, expSum, overflowed, probs, nanClasses, loss, logSumExp, grad, gradScale: finiteMaxAbs(grad, D * K) };
}

/** d loss / d b_k of a step (ŷ_k − [k = y]). */
export function biasGradient(step: StepByStep, k: number): number {
  return step.grad[D * K + k];
}

/**
 * How much SGD moves weights by for this image's gradient: W ← W − lr · (1/B) Σ_batch grad, so one image
 * of a batch of B contributes −lr/B times its gradient.
 */
export function sgdFactor(lr: number, batchSize: number): number {
  return batchSize > 0 ? lr / batchSize : NaN;
}

const predictKernels = createReferenceKernels(1);

/**
 * Class probabilities (K) of one input x (D) under `params`: the trainer's own predict (core's
 * predictProbabilities, stable softmax), for views that classify on this thread (the drawing pad).
 */
export function classProbabilities(params: Float32Array, x: Float32Array): Float32Array {
  return predictProbabilities(predictKernels, params, x, 1);
}
