// The curves' arithmetic, pure and unit-tested: the loss axis that follows the data (linear with round
// ticks, or log), TensorBoard's smoothing (a debiased exponential moving average), how far apart the
// per-epoch dots must be, which point is under the pointer, where a point is in epochs and batches, and
// the CSV of the curves.

import type { EpochPoint, LrMarker, TestPoint, TrainPoint } from '../store/metrics-slice';

/** Where the horizontal grid lines are, as fractions of the plot's height (also the accuracy ticks). */
export const GRID_FRACTIONS = [0, 0.2, 0.4, 0.6, 0.8, 1];

/** The loss axis: its ends, scale, and the tick labels on the six grid lines. */
export interface LossAxis {
  lo: number;
  hi: number;
  log: boolean;
  ticks: number[];
}

const NICE = [1, 2, 2.5, 5];

/** The smallest round step (1, 2, 2.5, 5 × 10^k, at least `min`) ≥ x. */
function niceStep(x: number, min: number): number {
  const target = Math.max(x, min);
  let k = Math.floor(Math.log10(target)) - 1;
  for (;;) {
    for (const m of NICE) {
      const s = Number((m * 10 ** k).toPrecision(6));
      if (s >= target * (1 - 1e-9)) return s;
    }
    k++;
  }
}

/**
 * The loss axis for finite losses in [min, max]. Linear: five round steps from a round floor, so the
 * six grid lines get round labels and the curve fills the height (0.2 … 1.2 late in a long run, not a
 * flat line under 0 … 2.5); at least 0.5 tall. Log: from the 1-2-5 value below min to the one above max.
 * With no data, 0 … 2.5 (a fresh model's loss is ln 10 ≈ 2.3).
 */
export function lossAxis(min: number, max: number, log = false): LossAxis {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) {
    return log ? { lo: 0.1, hi: 5, log, ticks: logTicks(0.1, 5) } : { lo: 0, hi: 2.5, log, ticks: [0, 0.5, 1, 1.5, 2, 2.5] };
  }
  if (log) {
    const lo = niceBelow(Math.max(min, 1e-4));
    let hi = niceAbove(Math.max(max, lo * 1.0001));
    if (hi / lo < 5) hi = niceAbove(lo * 5);
    return { lo, hi, log, ticks: logTicks(lo, hi) };
  }
  let step = niceStep((max - min) / 5, 0.1);
  for (;;) {
    const lo = Math.max(0, Math.floor(min / step + 1e-9) * step);
    if (lo + 5 * step >= max * (1 - 1e-9)) {
      return { lo: round6(lo), hi: round6(lo + 5 * step), log, ticks: GRID_FRACTIONS.map((f) => round6(lo + f * 5 * step)) };
    }
    step = niceStep(step * 1.0001, 0.1);
  }
}

function round6(x: number): number {
  return Number(x.toPrecision(6));
}

const LOG_NICE = [1, 2, 5];
function niceBelow(x: number): number {
  const k = Math.floor(Math.log10(x));
  let best = 10 ** (k - 1) * 5;
  for (const m of LOG_NICE) if (m * 10 ** k <= x * (1 + 1e-9)) best = m * 10 ** k;
  return round6(best);
}
function niceAbove(x: number): number {
  const k = Math.floor(Math.log10(x));
  for (const m of LOG_NICE) if (m * 10 ** k >= x * (1 - 1e-9)) return round6(m * 10 ** k);
  return round6(10 ** (k + 1));
}
function logTicks(lo: number, hi: number): number[] {
  return GRID_FRACTIONS.map((f) => Number((lo * (hi / lo) ** f).toPrecision(2)));
}

/** The height fraction (0 bottom, 1 top) of a loss on an axis; NaN for values a log axis cannot show. */
export function lossFraction(axis: LossAxis, v: number): number {
  if (axis.log) return v > 0 ? Math.log(v / axis.lo) / Math.log(axis.hi / axis.lo) : NaN;
  return (v - axis.lo) / (axis.hi - axis.lo);
}

/** The smallest and largest finite loss over some point lists (Infinity, -Infinity when none). */
export function lossRange(...lists: readonly (readonly TrainPoint[])[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const list of lists) {
    for (const p of list) {
      if (!Number.isFinite(p.loss)) continue;
      if (p.loss < min) min = p.loss;
      if (p.loss > max) max = p.loss;
    }
  }
  return { min, max };
}

/**
 * TensorBoard's smoothing: an exponential moving average with weight `w` (0 = raw, 0.99 = very smooth),
 * debiased so the first points are not pulled toward 0. Non-finite values are skipped (kept as NaN).
 */
export function emaSmooth(values: readonly number[], w: number): number[] {
  if (!(w > 0)) return values.slice();
  const out = new Array<number>(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    n++;
    last = last * w + (1 - w) * v;
    out[i] = last / (1 - w ** n);
  }
  return out;
}

/** Least distance between two per-epoch dots, CSS pixels: closer ones are thinned. */
export const MIN_DOT_SPACING = 12;

/** Draw every k-th epoch's dot (k = 1, 2, 5, 10, 20, …) so dots stay MIN_DOT_SPACING apart. */
export function dotEvery(pixelsPerEpoch: number): number {
  if (!(pixelsPerEpoch > 0)) return 1;
  for (let k = 1; ; k *= 10) {
    for (const m of [1, 2, 5]) if (pixelsPerEpoch * m * k >= MIN_DOT_SPACING) return m * k;
  }
}

/** True when the dot of test point `i` (of `count`) at epoch `epoch` is drawn: every k-th, and the last. */
export function showsDot(epoch: number, i: number, count: number, every: number): boolean {
  return every <= 1 || i === count - 1 || Math.round(epoch) % every === 0;
}

/** The index of the point whose x is nearest to `x` (points sorted by x), or -1 when there are none. */
export function nearestIndex(points: readonly { x: number }[], x: number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x < x) lo = mid;
    else hi = mid;
  }
  return Math.abs(points[lo].x - x) <= Math.abs(points[hi].x - x) ? lo : hi;
}

/** The epoch (1-based) and batch (1-based, of `batchesPerEpoch`) that end at fractional epoch x. */
export function epochAndBatch(x: number, batchesPerEpoch: number): { epoch: number; batch: number } {
  const epoch = Math.max(1, Math.ceil(x - 1e-9));
  const batch = Math.max(1, Math.min(batchesPerEpoch, Math.round((x - (epoch - 1)) * batchesPerEpoch)));
  return { epoch, batch };
}

/** The last test point at or before x, or null. */
export function testAt(test: readonly TestPoint[], x: number): TestPoint | null {
  let found: TestPoint | null = null;
  for (const p of test) {
    if (p.x <= x + 1e-9) found = p;
    else break;
  }
  return found;
}

/** The curves as CSV: one row per drawn batch point, per epoch, and per lr change; full precision. */
export function curvesCsv(train: readonly TrainPoint[], epochs: readonly EpochPoint[], markers: readonly LrMarker[], batchesPerEpoch: number): string {
  const rows = ['kind,epoch_progress,epoch,batch,batches_averaged,train_loss,train_acc,test_acc,lr'];
  const num = (v: number): string => (Number.isFinite(v) ? String(v) : '');
  for (const p of train) {
    const { epoch, batch } = epochAndBatch(p.x, batchesPerEpoch);
    rows.push(['batch', num(p.x), epoch, batch, p.count, num(p.loss), num(p.acc), '', ''].join(','));
  }
  for (const e of epochs) rows.push(['epoch', e.epoch, e.epoch, '', '', num(e.trainLoss), num(e.trainAcc), num(e.testAcc), ''].join(','));
  for (const m of markers) rows.push(['lr_change', num(m.x), '', '', '', '', '', '', num(m.lr)].join(','));
  return rows.join('\n') + '\n';
}
