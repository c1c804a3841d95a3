// The one listener on the bridge: every trainer event becomes a module-level action. Per-batch points
// and epochs are queued and handed to the store at most once per animation frame (and at most every
// FLUSH_INTERVAL_MS); weight snapshots, run checkpoints and sweep progress likewise, at most every
// WEIGHTS_INTERVAL_MS and in frames of their own; so React sees a few updates a second however fast the
// trainer runs. (Each handled in its own task, a fast trainer's epoch, checkpoint and snapshot made one
// frame of several renders, 54-57 ms here.)

import type { LabApi, LabEvent, Unsubscribe } from '../../common/contract';
import { applyBatches, applyEvent, refreshHistory } from './actions';
import type { BatchPoint } from './metrics-slice';

/**
 * Shortest time between two hand-overs of per-batch points to the store (about 10 per second): enough
 * for smooth curves, few enough that the readouts' React renders stay short tasks on a slow machine.
 */
export const FLUSH_INTERVAL_MS = 100;

/** How the wire waits for the next frame (injectable for tests). */
export interface FrameScheduler {
  /** Calls cb at the next animation frame. */
  request(cb: () => void): void;
  /** Calls cb after ms milliseconds. */
  after(cb: () => void, ms: number): void;
  now(): number;
}

const browserFrames: FrameScheduler = {
  request(cb) {
    // rAF does not fire in a hidden tab; the timeout keeps the curves current there too.
    let done = false;
    const once = (): void => {
      if (done) return;
      done = true;
      cb();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
    setTimeout(once, 250);
  },
  after: (cb, ms) => void setTimeout(cb, ms),
  now: () => performance.now(),
};

let wired: Unsubscribe | null = null;

/** The events that wait for a hand-over with the per-batch points (the frequent ones while training). */
const CURVES: ReadonlySet<LabEvent['kind']> = new Set(['progress', 'epoch']);
/**
 * The events whose views cost the most to render (the weights' heatmaps and the views that follow them, a
 * sweep's table and chart): handed over in frames of their own, at most every WEIGHTS_INTERVAL_MS.
 */
const WEIGHTS: ReadonlySet<LabEvent['kind']> = new Set(['weights', 'run', 'sweepProgress']);

/** Shortest time between two hand-overs of weight snapshots, checkpoints and sweep progress (about 4 per second). */
export const WEIGHTS_INTERVAL_MS = 250;

/**
 * Registers the store's listener on the bridge (once; later calls return the same unsubscribe).
 * Other events first hand over everything queued, so the store sees everything in order. Each hand-over
 * takes the curves' queue or the weights' (whichever is due, the weights first), not both: the curves,
 * the heatmaps and the views that follow the weights then render in different frames (together, on a
 * loaded machine, one frame's painting passed 50 ms).
 */
export function wireBridge(api: LabApi, frames: FrameScheduler = browserFrames): Unsubscribe {
  if (wired) return wired;
  // In arrival order: runs of per-batch points and the curves' events between them; the weights' events.
  let curves: (BatchPoint[] | LabEvent)[] = [];
  let weights: LabEvent[] = [];
  let scheduled = false;
  let lastFlush = -Infinity;
  let lastWeights = -Infinity;
  const apply = (items: (BatchPoint[] | LabEvent)[]): void => {
    for (const item of items) {
      if (Array.isArray(item)) applyBatches(item);
      else applyEvent(item);
    }
  };
  const flushAll = (): void => {
    const c = curves;
    const w = weights;
    curves = [];
    weights = [];
    apply(c);
    apply(w);
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    frames.request(onFrame);
  };
  const handOver = (): void => {
    scheduled = false;
    const now = frames.now();
    lastFlush = now;
    if (weights.length > 0 && (now - lastWeights >= WEIGHTS_INTERVAL_MS || curves.length === 0)) {
      lastWeights = now;
      const w = weights;
      weights = [];
      apply(w);
    } else {
      const c = curves;
      curves = [];
      apply(c);
    }
    if (curves.length > 0 || weights.length > 0) schedule();
  };
  function onFrame(): void {
    const now = frames.now();
    const wait = Math.max(FLUSH_INTERVAL_MS - (now - lastFlush), curves.length === 0 ? WEIGHTS_INTERVAL_MS - (now - lastWeights) : 0);
    // Too soon after the last hand-over: wait out the rest, then take the next frame.
    if (wait > 1) frames.after(() => frames.request(onFrame), wait);
    else handOver();
  }
  const off = api.onEvent((e) => {
    if (CURVES.has(e.kind)) {
      if (e.kind === 'progress') {
        const last = curves[curves.length - 1];
        if (Array.isArray(last)) for (const b of e.batches) last.push(b);
        else curves.push([...e.batches]);
      } else {
        curves.push(e);
      }
      schedule();
      return;
    }
    if (WEIGHTS.has(e.kind)) {
      weights.push(e);
      schedule();
      return;
    }
    if (curves.length > 0 || weights.length > 0) flushAll();
    applyEvent(e);
  });
  void refreshHistory();
  wired = () => {
    off();
    wired = null;
  };
  return wired;
}
