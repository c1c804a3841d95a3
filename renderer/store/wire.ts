// The one listener on the bridge: every trainer event becomes a module-level action. Per-batch points,
// epochs, weight snapshots, run checkpoints and sweep progress are queued and handed to the store
// together at most once per animation frame (and at most every FLUSH_INTERVAL_MS), so React sees a few
// updates a second however fast the trainer runs: a fast trainer's epoch, checkpoint and snapshot, each
// handled in its own task, made one frame of several renders (a long frame, 54-57 ms here); handed over
// in one task they make one.

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

/** The events that wait for the next hand-over with the per-batch points (the frequent ones while training). */
const QUEUED: ReadonlySet<LabEvent['kind']> = new Set(['progress', 'epoch', 'weights', 'run', 'sweepProgress']);

/**
 * Registers the store's listener on the bridge (once; later calls return the same unsubscribe).
 * Other events first flush what is queued, so the store sees everything in order.
 */
export function wireBridge(api: LabApi, frames: FrameScheduler = browserFrames): Unsubscribe {
  if (wired) return wired;
  // In arrival order: runs of per-batch points, and the queued events between them.
  let queue: (BatchPoint[] | LabEvent)[] = [];
  let scheduled = false;
  let lastFlush = -Infinity;
  const flush = (): void => {
    scheduled = false;
    const items = queue;
    queue = [];
    lastFlush = frames.now();
    for (const item of items) {
      if (Array.isArray(item)) applyBatches(item);
      else applyEvent(item);
    }
  };
  const onFrame = (): void => {
    const wait = FLUSH_INTERVAL_MS - (frames.now() - lastFlush);
    // Too soon after the last hand-over: wait out the rest, then take the next frame.
    if (wait > 1) frames.after(() => frames.request(onFrame), wait);
    else flush();
  };
  const off = api.onEvent((e) => {
    if (QUEUED.has(e.kind)) {
      if (e.kind === 'progress') {
        const last = queue[queue.length - 1];
        if (Array.isArray(last)) for (const b of e.batches) last.push(b);
        else queue.push([...e.batches]);
      } else {
        queue.push(e);
      }
      if (!scheduled) {
        scheduled = true;
        frames.request(onFrame);
      }
      return;
    }
    if (queue.length > 0) flush();
    applyEvent(e);
  });
  void refreshHistory();
  wired = () => {
    off();
    wired = null;
  };
  return wired;
}
