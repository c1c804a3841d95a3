// The weights slice: the latest parameter snapshot (W (784, 10) row-major, then b (10)), its largest
// magnitude and the colour scale; and how the weights change: W at the run's start and at the end of the
// latest epochs (the exact weights of each epoch's run checkpoint), the change of the latest snapshot
// since the end of the previous epoch on a scale of its own, and how far each epoch moved W. Pure
// reducers (receiveWeights, receiveEpochEnd). Components never select `params` in render: the heatmaps
// read it in a transient subscribe.

import { NUM_CLASSES, NUM_INPUTS } from '../../core/shapes';

/** Entries of W in a parameter snapshot (the rest is b). */
const W_LENGTH = NUM_INPUTS * NUM_CLASSES;

/** The weights at an epoch's end; epoch 0 is the start of the run. */
export interface EpochEnd {
  epoch: number;
  /** W then b, 7850 floats (never written to). */
  params: Float32Array;
}

/** The latest snapshot minus the weights at the end of the epoch before it. */
export interface WeightChange {
  /** W − W(end of epoch `since`), then b − b(…): 7850 floats. */
  params: Float32Array;
  /** The epoch whose end is the reference; 0 = the start of the run. */
  since: number;
  /** The change's own symmetric colour scale: the SCALE_QUANTILE quantile of |ΔW|. */
  scale: number;
}

/** How far one epoch moved W. */
export interface EpochMove {
  epoch: number;
  /** Root mean square of W(end of epoch) − W(end of the epoch before), over the 7840 entries of W. */
  rms: number;
}

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
  /** Where `params` is, as a fractional epoch count (2.5 = halfway through epoch 3); 0 at the start of a run. */
  progress: number;
  /** The weights at the run's start (epoch 0, when this window saw it) and at the latest epoch ends, oldest first; at most MAX_EPOCH_ENDS. */
  epochEnds: EpochEnd[];
  /** `params` minus the weights at the end of the previous epoch; null when those are not known (see changeReference). */
  change: WeightChange | null;
  /** How far each finished epoch of this run moved W, oldest first (the epochs whose start this window saw). */
  moves: EpochMove[];
}

/** Before the first snapshot. */
export const initialWeights: WeightsSlice = { params: null, maxAbs: 0, scale: 0, version: 0, progress: 0, epochEnds: [], change: null, moves: [] };

/** Epoch-end snapshots kept: the reference of the change is always one of the latest two. */
export const MAX_EPOCH_ENDS = 2;

/**
 * The epoch whose end a snapshot at fractional epoch `progress` is compared with: the end of the epoch
 * before the one it is in (exactly at an epoch's end, the epoch before that one, so a run paused at the
 * end of epoch 3 shows all of epoch 3's change). 0 is the start of the run; null at the start itself.
 */
export function changeReference(progress: number): number | null {
  if (!(progress > 0) || !Number.isFinite(progress)) return null;
  return Math.ceil(progress - 1e-9) - 1;
}

/** a − b, element by element (7850 floats). */
function difference(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
}

/** The change of `params` (at `progress`) since the reference epoch's end, if that is among `ends`. */
function changeOf(params: Float32Array, progress: number, ends: readonly EpochEnd[]): WeightChange | null {
  const since = changeReference(progress);
  const ref = since === null ? undefined : ends.find((e) => e.epoch === since);
  if (since === null || !ref || ref.params.length !== params.length) return null;
  const delta = difference(params, ref.params);
  return { params: delta, since, scale: weightScale(delta) };
}

/** Root mean square of a − b over the entries of W (NaN if one is not finite). */
export function rmsChange(a: Float32Array, b: Float32Array, wLength = W_LENGTH): number {
  let sum = 0;
  const n = Math.min(wLength, a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return Math.sqrt(sum / Math.max(1, n));
}

/**
 * A new snapshot at fractional epoch `progress`. At 0 it is the start of a run (after a reset, new
 * settings, an opened model, Start after a run ended): kept as epoch 0, the earlier run's epoch ends and
 * moves are dropped. A snapshot earlier than the last one is a new run whose start this window did not
 * see (its start's snapshot was dropped or never came): the same, without an epoch 0.
 */
export function receiveWeights(s: WeightsSlice, params: Float32Array, progress: number): WeightsSlice {
  let { epochEnds, moves } = s;
  if (progress === 0) {
    epochEnds = [{ epoch: 0, params }];
    moves = [];
  } else if (progress < s.progress) {
    epochEnds = [];
    moves = [];
  }
  return {
    params, maxAbs: maxAbsWeight(params), scale: weightScale(params), version: s.version + 1, progress,
    epochEnds, moves, change: changeOf(params, progress, epochEnds),
  };
}

/**
 * The exact weights at the end of `epoch` (the run checkpoint the session sends when an epoch ends):
 * kept as that epoch's end, with how far the epoch moved W when its start is known.
 */
export function receiveEpochEnd(s: WeightsSlice, epoch: number, params: Float32Array): WeightsSlice {
  if (!Number.isInteger(epoch) || epoch < 1 || params.length !== W_LENGTH + NUM_CLASSES) return s;
  const before = s.epochEnds.find((e) => e.epoch === epoch - 1);
  const epochEnds = [...s.epochEnds.filter((e) => e.epoch < epoch), { epoch, params }].slice(-MAX_EPOCH_ENDS);
  const moves = before ? [...s.moves.filter((m) => m.epoch < epoch), { epoch, rms: rmsChange(params, before.params) }] : s.moves;
  // The snapshot shown may already be at this epoch's end, or past it: its reference may be new.
  const change = s.params ? changeOf(s.params, s.progress, epochEnds) : null;
  return { ...s, epochEnds, moves, change };
}

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
