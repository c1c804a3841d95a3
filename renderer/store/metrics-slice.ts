// The metrics slice: the curves of the current run (train loss/acc per batch, downsampled by bucketing
// so a run never holds more than MAX_POINTS points; test acc per epoch), the lr- and weight-decay-change
// markers, the last batch, and the faint curves of the last few runs. Pure reducers; never stores NaN or
// Infinity.

import type { FromTrainer } from '../../common/contract';

/** One batch as the trainer reports it. */
export type BatchPoint = Extract<FromTrainer, { kind: 'progress' }>['batches'][number];
/** One epoch's numbers as the trainer reports them. */
export type EpochPoint = Omit<Extract<FromTrainer, { kind: 'epoch' }>, 'kind'>;

/**
 * Most train points kept per run; when reached, neighbours are merged and buckets get twice as wide, so a
 * run shows between MAX_POINTS/2 and MAX_POINTS points. A chart ~900 px wide needs no more, and recharts'
 * per-point work is what costs main-thread time.
 */
export const MAX_POINTS = 300;
/** Train points kept for an earlier run. */
export const MAX_PAST_POINTS = 150;
/** Earlier runs kept behind the current one. */
export const MAX_PAST_RUNS = 3;
/** Most lr markers kept per run (a user dragging the slider makes many); as many weight-decay markers. */
export const MAX_LR_MARKERS = 40;

/** A train-curve point: the mean of `count` consecutive batches, at the fractional epoch of the last. */
export interface TrainPoint {
  x: number;
  loss: number;
  acc: number;
  count: number;
}

/** A test-accuracy point at the end of an epoch. */
export interface TestPoint {
  x: number;
  testAcc: number;
}

/** Where the learning rate changed: at fractional epoch x, to lr. */
export interface LrMarker {
  x: number;
  lr: number;
}

/** Where the weight decay changed: at fractional epoch x, to λ. */
export interface WdMarker {
  x: number;
  weightDecay: number;
}

/** An earlier run, drawn faintly. */
export interface PastRun {
  id: number;
  train: TrainPoint[];
  test: TestPoint[];
}

/** The curves' state. */
export interface MetricsSlice {
  /** Downsampled train points, oldest first (complete buckets). */
  train: TrainPoint[];
  /** The bucket being filled (not yet in `train`). */
  pending: TrainPoint | null;
  /** Batches per point in `train` (1, 2, 4, …). */
  bucketSize: number;
  test: TestPoint[];
  epochs: EpochPoint[];
  lrMarkers: LrMarker[];
  wdMarkers: WdMarker[];
  /** The latest batch with a finite loss, or null. */
  lastBatch: BatchPoint | null;
  /** Batches received in this run (finite or not). */
  batchCount: number;
  /** Batches dropped because their loss or accuracy was not finite. */
  nonFiniteCount: number;
  pastRuns: PastRun[];
  /** Next id for an archived run. */
  nextRunId: number;
  /**
   * A learning-rate gesture (a drag or a held key) whose values apply as the slider moves: lr changes
   * in the batches draw no marker until the gesture settles, then one, where the first change began.
   */
  lrGesture: LrGesture | null;
  /** The same for the weight-decay slider. */
  wdGesture: LrGesture | null;
}

/** A gesture on a live slider under way (the learning rate's, or the weight decay's). */
export interface LrGesture {
  /** The value the curves showed before the gesture (the last batch's). */
  from: number;
  /** Where the first batch with a new rate began (null: none yet). */
  x: number | null;
  /** The value it settled at, once committed (null: still moving). */
  target: number | null;
}

/** The metrics slice before any run. */
export const initialMetrics: MetricsSlice = {
  train: [],
  pending: null,
  bucketSize: 1,
  test: [],
  epochs: [],
  lrMarkers: [],
  wdMarkers: [],
  lastBatch: null,
  batchCount: 0,
  nonFiniteCount: 0,
  pastRuns: [],
  nextRunId: 1,
  lrGesture: null,
  wdGesture: null,
};

/** A gesture (re)opened: a settled one whose value has not arrived yet keeps where it started. */
function opened(g: LrGesture | null, from: number): LrGesture {
  return { from: g?.from ?? from, x: g?.x ?? null, target: null };
}

/** Opens an lr gesture (no-op when one is open). */
export function openLrGesture(m: MetricsSlice, from: number): MetricsSlice {
  return m.lrGesture && m.lrGesture.target === null ? m : { ...m, lrGesture: opened(m.lrGesture, from) };
}

/** Settles the open lr gesture at `lr`; its marker appears when a batch with that rate arrives. */
export function settleLrGesture(m: MetricsSlice, lr: number): MetricsSlice {
  return m.lrGesture ? { ...m, lrGesture: { ...m.lrGesture, target: lr } } : m;
}

/** Opens a weight-decay gesture (no-op when one is open). */
export function openWdGesture(m: MetricsSlice, from: number): MetricsSlice {
  return m.wdGesture && m.wdGesture.target === null ? m : { ...m, wdGesture: opened(m.wdGesture, from) };
}

/** Settles the open weight-decay gesture at `weightDecay`; its marker appears when a batch with that λ arrives. */
export function settleWdGesture(m: MetricsSlice, weightDecay: number): MetricsSlice {
  return m.wdGesture ? { ...m, wdGesture: { ...m.wdGesture, target: weightDecay } } : m;
}

/**
 * One live setting through one batch: when the batch's value differs from the previous batch's, a marker
 * where the change began (outside a gesture), or the gesture's start; when an open gesture's settled
 * value arrives, its one marker, unless it came back to where it started. Returns the markers and gesture.
 */
function followChange<M>(before: number | undefined, value: number, x: number, markers: M[], gesture: LrGesture | null, mark: (x: number, value: number) => M): [M[], LrGesture | null] {
  let out = markers;
  let g = gesture;
  if (before !== undefined && value !== before && Number.isFinite(value)) {
    if (!g) out = [...out, mark(x, value)].slice(-MAX_LR_MARKERS);
    else if (g.x === null) g = { ...g, x };
  }
  if (g && g.target !== null && value === g.target) {
    if (g.x !== null && g.target !== g.from) out = [...out, mark(g.x, g.target)].slice(-MAX_LR_MARKERS);
    g = null;
  }
  return [out, g];
}

/** Merges neighbouring points pairwise (weighted by their counts), halving the number of points. */
export function mergePairs(points: TrainPoint[]): TrainPoint[] {
  const out: TrainPoint[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const a = points[i];
    const b = points[i + 1];
    const count = a.count + b.count;
    out.push({ x: b.x, loss: (a.loss * a.count + b.loss * b.count) / count, acc: (a.acc * a.count + b.acc * b.count) / count, count });
  }
  if (points.length % 2 === 1) out.push(points[points.length - 1]);
  return out;
}

/** The train points to draw: the complete buckets and the one being filled. */
export function visibleTrain(m: Pick<MetricsSlice, 'train' | 'pending'>): TrainPoint[] {
  return m.pending ? [...m.train, m.pending] : m.train;
}

/**
 * Adds batches (in order) to the metrics: non-finite ones are counted and dropped, lr changes become
 * markers, and points are bucketed so that `train` stays under MAX_POINTS.
 */
export function addBatches(m: MetricsSlice, batches: readonly BatchPoint[]): MetricsSlice {
  if (batches.length === 0) return m;
  let train = m.train;
  let copied = false;
  let pending = m.pending ? { ...m.pending } : null;
  let bucketSize = m.bucketSize;
  let lrMarkers = m.lrMarkers;
  let wdMarkers = m.wdMarkers;
  let lastBatch = m.lastBatch;
  let nonFinite = m.nonFiniteCount;
  let gesture = m.lrGesture;
  let wdGesture = m.wdGesture;
  for (const b of batches) {
    if (!Number.isFinite(b.loss) || !Number.isFinite(b.acc) || !Number.isFinite(b.epochProgress)) {
      nonFinite++;
      continue;
    }
    // A change takes effect with the batch that first uses it: its marker goes where that batch began.
    const x = Math.max(0, b.epochProgress - 1 / Math.max(1, b.batchesPerEpoch));
    [lrMarkers, gesture] = followChange(lastBatch?.lr, b.lr, x, lrMarkers, gesture, (at, lr) => ({ x: at, lr }));
    [wdMarkers, wdGesture] = followChange(lastBatch?.weightDecay, b.weightDecay, x, wdMarkers, wdGesture, (at, weightDecay) => ({ x: at, weightDecay }));
    lastBatch = b;
    if (!pending) pending = { x: b.epochProgress, loss: b.loss, acc: b.acc, count: 1 };
    else {
      const count = pending.count + 1;
      pending = { x: b.epochProgress, loss: pending.loss + (b.loss - pending.loss) / count, acc: pending.acc + (b.acc - pending.acc) / count, count };
    }
    if (pending.count >= bucketSize) {
      if (!copied) {
        train = train.slice();
        copied = true;
      }
      train.push(pending);
      pending = null;
      if (train.length >= MAX_POINTS) {
        train = mergePairs(train);
        bucketSize *= 2;
      }
    }
  }
  return { ...m, train, pending, bucketSize, lrMarkers, wdMarkers, lastBatch, batchCount: m.batchCount + batches.length, nonFiniteCount: nonFinite, lrGesture: gesture, wdGesture };
}

/** Adds an epoch's numbers; the test point only when finite. */
export function addEpoch(m: MetricsSlice, e: EpochPoint): MetricsSlice {
  const test = Number.isFinite(e.testAcc) ? [...m.test, { x: e.epoch, testAcc: e.testAcc }] : m.test;
  return { ...m, test, epochs: [...m.epochs, e] };
}

/** True when the current run has drawn anything. */
export function hasCurves(m: MetricsSlice): boolean {
  return m.train.length > 0 || m.pending !== null || m.test.length > 0;
}

/** Moves the current run's curves behind (keeping MAX_PAST_RUNS) and clears them for a new run. */
export function archiveRun(m: MetricsSlice): MetricsSlice {
  if (!hasCurves(m)) return { ...m, ...clearedRun() };
  let train = visibleTrain(m);
  while (train.length > MAX_PAST_POINTS) train = mergePairs(train);
  const past: PastRun = { id: m.nextRunId, train, test: m.test };
  return { ...m, ...clearedRun(), pastRuns: [...m.pastRuns, past].slice(-MAX_PAST_RUNS), nextRunId: m.nextRunId + 1 };
}

function clearedRun(): Omit<MetricsSlice, 'pastRuns' | 'nextRunId'> {
  const { pastRuns: _p, nextRunId: _n, ...rest } = initialMetrics;
  return rest;
}
