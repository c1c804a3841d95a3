// The "why" of a prediction and the test-set summaries behind the gallery: the evidence map W[:, k] ⊙ x,
// the confusion matrix with per-class accuracy, and the gallery's filters. Pure numeric code over flat
// typed arrays. Legend: D = 784 inputs, K = 10 classes, N = test images.

import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../core/shapes';
import { argmaxRow } from '../../core/softmax';

/**
 * The evidence map for class k: e[i] = W[i, k] * x[i] (D). Summed with b[k] it is the logit of class k,
 * so positive pixels pushed toward k and negative ones away from it.
 * `weights` is the parameter buffer, W (D, K) row-major then b (K); only W is read.
 */
export function evidenceMap(weights: Float32Array, x: Float32Array, k: number): Float32Array {
  if (weights.length < D * K) throw new Error(`weights need at least ${D * K} values, got ${weights.length}`);
  if (x.length !== D) throw new Error(`x needs ${D} values, got ${x.length}`);
  if (!Number.isInteger(k) || k < 0 || k >= K) throw new Error(`class must be 0..${K - 1}, got ${k}`);
  const out = new Float32Array(D); // (D)
  for (let i = 0; i < D; i++) out[i] = weights[i * K + k] * x[i];
  return out;
}

/** The logit of class k from its evidence map: sum of the map plus the bias b[k]. */
export function logitFromEvidence(evidence: Float32Array, weights: Float32Array, k: number): number {
  let s = weights.length >= D * K + K ? weights[D * K + k] : 0;
  for (let i = 0; i < evidence.length; i++) s += evidence[i];
  return s;
}

/** The largest |value|, for a colour scale symmetric around 0 (1e-12 at least, so scales never divide by 0). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 1e-12;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m) m = a;
  }
  return m;
}

/** The index of the largest value (first on ties): core's argmaxRow over one row. */
export function argmax(values: ArrayLike<number>): number {
  return argmaxRow(values, 0, values.length);
}

/** A confusion matrix: rows are true classes, columns predicted ones. */
export interface ConfusionMatrix {
  /** (K, K) row-major: counts[t * K + p] = images of class t predicted as p. */
  counts: Uint32Array;
  /** Images per true class (K). */
  rowTotals: Uint32Array;
  /** Per-class accuracy (recall) = counts[t, t] / rowTotals[t], NaN for a class with no images (K). */
  perClassAccuracy: Float64Array;
  /** Correct predictions overall. */
  correct: number;
  /** Images counted. */
  total: number;
}

/** Counts predictions against labels (both (N), class ids 0..K-1). */
export function confusionMatrix(predicted: ArrayLike<number>, labels: ArrayLike<number>): ConfusionMatrix {
  if (predicted.length !== labels.length) throw new Error(`predicted (${predicted.length}) and labels (${labels.length}) differ in length`);
  const counts = new Uint32Array(K * K);
  const rowTotals = new Uint32Array(K);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i], p = predicted[i];
    if (t >= K || p >= K || t < 0 || p < 0) throw new Error(`class ids must be 0..${K - 1}: image ${i} has label ${t}, predicted ${p}`);
    counts[t * K + p]++;
    rowTotals[t]++;
    if (t === p) correct++;
  }
  const perClassAccuracy = new Float64Array(K);
  for (let t = 0; t < K; t++) perClassAccuracy[t] = rowTotals[t] === 0 ? NaN : counts[t * K + t] / rowTotals[t];
  return { counts, rowTotals, perClassAccuracy, correct, total: labels.length };
}

/** Which test images the gallery shows. */
export interface GalleryFilter {
  /** Only images the model gets wrong. */
  mistakesOnly: boolean;
  /** Only images whose true class is this one (null: any). */
  trueClass: number | null;
  /** Exactly the images of one confusion-matrix cell (overrides the other two when set). */
  cell: { trueClass: number; predicted: number } | null;
}

/** Shows everything. */
export const NO_FILTER: Readonly<GalleryFilter> = { mistakesOnly: false, trueClass: null, cell: null };

/** The indices (ascending) of the test images that pass `filter`. */
export function filterGallery(predicted: ArrayLike<number>, labels: ArrayLike<number>, filter: GalleryFilter): Uint32Array {
  const n = Math.min(predicted.length, labels.length);
  const out = new Uint32Array(n);
  let m = 0;
  const { cell } = filter;
  for (let i = 0; i < n; i++) {
    const t = labels[i], p = predicted[i];
    if (cell) {
      if (t !== cell.trueClass || p !== cell.predicted) continue;
    } else {
      if (filter.mistakesOnly && t === p) continue;
      if (filter.trueClass !== null && t !== filter.trueClass) continue;
    }
    out[m++] = i;
  }
  return out.slice(0, m);
}
