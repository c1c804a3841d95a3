// The chapter's formulas on flat arrays, written plainly: softmax (the textbook exp / rowsum and the
// stable form), cross-entropy (from probabilities, and from logits by log-sum-exp), accuracy. These are
// the reference definitions the fast kernels are checked against, and what the lab shows when the
// textbook softmax overflows.
// Legend: N = rows, K = classes. Arrays are row-major (N, K).

/**
 * d2l's softmax, exactly: X_exp = exp(X); X_exp / X_exp.sum(1). exp overflows to Infinity for logits
 * above ~88 (float32) / ~709 (float64), and then Infinity / Infinity gives NaN: the lab shows this.
 */
export function softmaxNaive(logits: ArrayLike<number>, n: number, k: number, out: Float32Array | Float64Array): void {
  for (let r = 0; r < n; r++) {
    const o = r * k;
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.fround(Math.exp(logits[o + j]));
      out[o + j] = e;
      sum += e;
    }
    for (let j = 0; j < k; j++) out[o + j] = out[o + j] / sum;
  }
}

/**
 * Numerically stable softmax: subtracting the row max leaves the result unchanged (the factor
 * exp(-max) cancels) but keeps every exponent <= 0, so nothing overflows.
 */
export function softmaxStable(logits: ArrayLike<number>, n: number, k: number, out: Float32Array | Float64Array): void {
  for (let r = 0; r < n; r++) {
    const o = r * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) if (logits[o + j] > max) max = logits[o + j];
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(logits[o + j] - max);
      out[o + j] = e;
      sum += e;
    }
    for (let j = 0; j < k; j++) out[o + j] = out[o + j] / sum;
  }
}

/**
 * d2l's cross_entropy: -log(y_hat[i, y[i]]) for each row, into `out` (N). Taken from probabilities, it is
 * Infinity wherever the label's probability underflowed to 0 (a logit ~104 below the row's largest, in
 * float32), although the logits are finite: {@link crossEntropyFromLogits} is the form that cannot.
 */
export function crossEntropy(probs: ArrayLike<number>, y: ArrayLike<number>, n: number, k: number, out: Float32Array | Float64Array): void {
  for (let r = 0; r < n; r++) out[r] = -Math.log(probs[r * k + y[r]]);
}

/**
 * One row's cross-entropy straight from its logits, d2l's "softmax revisited": with m = max_j o_j,
 * -log softmax(o)_y = log sum_j exp(o_j - m) - (o_y - m). Every exponent is <= 0 (nothing overflows) and
 * the sum is >= 1 (its log is finite), so finite logits always give a finite loss. Row r of logits (N, K).
 */
export function logSumExpLoss(logits: ArrayLike<number>, r: number, k: number, y: number): number {
  const o = r * k;
  let max = -Infinity;
  for (let j = 0; j < k; j++) if (logits[o + j] > max) max = logits[o + j];
  let sum = 0;
  for (let j = 0; j < k; j++) sum += Math.exp(logits[o + j] - max);
  return Math.log(sum) - (logits[o + y] - max);
}

/** Cross-entropy of each row from the logits (N, K) by log-sum-exp ({@link logSumExpLoss}), into `out` (N). */
export function crossEntropyFromLogits(logits: ArrayLike<number>, y: ArrayLike<number>, n: number, k: number, out: Float32Array | Float64Array): void {
  for (let r = 0; r < n; r++) out[r] = logSumExpLoss(logits, r, k, y[r]);
}

/** Index of the largest entry of row r (the first one on ties, as argmax). */
export function argmaxRow(values: ArrayLike<number>, r: number, k: number): number {
  const o = r * k;
  let best = 0;
  for (let j = 1; j < k; j++) if (values[o + j] > values[o + best]) best = j;
  return best;
}

/** d2l's accuracy: the number of rows whose argmax equals the label. */
export function correctCount(yHat: ArrayLike<number>, y: ArrayLike<number>, n: number, k: number): number {
  let c = 0;
  for (let r = 0; r < n; r++) if (argmaxRow(yHat, r, k) === y[r]) c++;
  return c;
}

/** Fraction of rows predicted correctly. */
export function accuracy(yHat: ArrayLike<number>, y: ArrayLike<number>, n: number, k: number): number {
  return n === 0 ? 0 : correctCount(yHat, y, n, k) / n;
}

/** d2l's Accumulator: sums over n variables. */
export class Accumulator {
  readonly data: Float64Array;
  constructor(n: number) {
    this.data = new Float64Array(n);
  }
  /** Adds each argument to its slot. */
  add(...values: number[]): void {
    for (let i = 0; i < this.data.length; i++) this.data[i] += values[i] ?? 0;
  }
  /** Sets every slot to 0. */
  reset(): void {
    this.data.fill(0);
  }
  /** Slot i. */
  get(i: number): number {
    return this.data[i];
  }
}
