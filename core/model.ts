// The model's parameters: W (D, K) and b (K) as views on one Float32Array, so a snapshot is one copy
// (llm.c keeps all parameters in one buffer for the same reason).

import { NUM_CLASSES, NUM_INPUTS, NUM_PARAMS } from './shapes';
import { fillNormal, type Rng } from './rng';

/** Standard deviation of the initial weights, as d2l's `torch.normal(0, 0.01, ...)`. */
export const INIT_STD = 0.01;

/** Parameters: `data` (D*K + K) holds W then b; `W` and `b` are views on it. */
export interface Params {
  data: Float32Array; // (D*K + K)
  W: Float32Array; // (D, K) row-major: W[d*K + k]
  b: Float32Array; // (K)
}

/** Wraps a parameter buffer (length D*K + K) in W and b views without copying. */
export function paramsView(data: Float32Array): Params {
  if (data.length !== NUM_PARAMS) throw new RangeError(`parameter buffer must hold ${NUM_PARAMS} floats, got ${data.length}`);
  return {
    data,
    W: data.subarray(0, NUM_INPUTS * NUM_CLASSES),
    b: data.subarray(NUM_INPUTS * NUM_CLASSES),
  };
}

/** W ~ N(0, 0.01^2), b = 0, in a fresh buffer. */
export function initParams(rng: Rng): Params {
  const p = paramsView(new Float32Array(NUM_PARAMS));
  fillNormal(rng, p.W, 0, INIT_STD);
  p.b.fill(0);
  return p;
}

/** True when every parameter is finite. */
export function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * Minibatch SGD as d2l's `sgd`: param -= lr * grad / batchSize, where grad is the gradient of the
 * SUM of the batch's losses. Returns false when an updated parameter is not finite.
 */
export function sgdStep(params: Float32Array, grad: Float32Array, lr: number, batchSize: number): boolean {
  const scale = lr / batchSize;
  let finite = true;
  for (let i = 0; i < params.length; i++) {
    const v = params[i] - scale * grad[i];
    params[i] = v;
    if (v - v !== 0) finite = false; // NaN or ±Infinity
  }
  return finite;
}
