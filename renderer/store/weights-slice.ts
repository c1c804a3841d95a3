// The weights slice: the latest parameter snapshot (W (784, 10) row-major, then b (10)) and its largest
// magnitude. Components never select `params` in render: the heatmaps read it in a transient subscribe.

/** The latest weights. */
export interface WeightsSlice {
  /** W then b, 7850 floats; null before the first snapshot. */
  params: Float32Array | null;
  /** max |W| over finite entries (0 when none), for a colour scale symmetric around 0. */
  maxAbs: number;
  /** Snapshots received (a cheap change counter). */
  version: number;
}

/** Before the first snapshot. */
export const initialWeights: WeightsSlice = { params: null, maxAbs: 0, version: 0 };

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
