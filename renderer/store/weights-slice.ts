// The weights slice: the latest parameter snapshot (W (784, 10) row-major, then b (10)), its largest
// magnitude and the colour scale. Components never select `params` in render: the heatmaps read it in a
// transient subscribe.

/** The latest weights. */
export interface WeightsSlice {
  /** W then b, 7850 floats; null before the first snapshot. */
  params: Float32Array | null;
  /** max |W| over finite entries (0 when none). */
  maxAbs: number;
  /**
   * The colour scale's end: ±scale maps to the ends of the diverging map. The 99th percentile of |W|,
   * so a few extreme pixels do not wash every image out to white; larger values show at the ends.
   */
  scale: number;
  /** Snapshots received (a cheap change counter). */
  version: number;
}

/** Before the first snapshot. */
export const initialWeights: WeightsSlice = { params: null, maxAbs: 0, scale: 0, version: 0 };

/** max |w| over the finite entries of W (the first 7840 values). */
export function maxAbsWeight(params: Float32Array, wLength = 7840): number {
  let m = 0;
  const n = Math.min(wLength, params.length);
  for (let i = 0; i < n; i++) {
    const a = Math.abs(params[i]);
    if (a > m && a !== Infinity) m = a;
  }
  return m;
}

/** Fraction of |W| values inside the colour scale. */
export const SCALE_QUANTILE = 0.99;

/** Bins of the |w| histogram weightScale reads its quantile from. */
const SCALE_BINS = 1024;

/**
 * The SCALE_QUANTILE quantile of |w| over the finite entries of W (0 when none), to 1/SCALE_BINS of
 * max |w|: a histogram pass instead of a sort, since it runs on every snapshot (10 a second).
 */
export function weightScale(params: Float32Array, wLength = 7840): number {
  const n = Math.min(wLength, params.length);
  const max = maxAbsWeight(params, n);
  if (!(max > 0)) return 0;
  const bins = new Uint32Array(SCALE_BINS);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(params[i]);
    if (!Number.isFinite(a)) continue;
    bins[Math.min(SCALE_BINS - 1, Math.floor((a / max) * SCALE_BINS))]++;
    count++;
  }
  const want = Math.ceil(SCALE_QUANTILE * count);
  let seen = 0;
  for (let b = 0; b < SCALE_BINS; b++) {
    seen += bins[b];
    if (seen >= want) return ((b + 1) / SCALE_BINS) * max;
  }
  return max;
}
