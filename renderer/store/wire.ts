// The one listener on the bridge: every trainer event becomes a module-level action. Per-batch points
// are queued and handed to the store at most once per animation frame (and at most every
// FLUSH_INTERVAL_MS), so React sees a few updates a second however fast the trainer runs.

import type { LabApi, Unsubscribe } from '../../common/contract';
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

/**
 * Registers the store's listener on the bridge (once; later calls return the same unsubscribe).
 * Events other than progress first flush queued batches, so the store sees everything in order.
 */
export function wireBridge(api: LabApi, frames: FrameScheduler = browserFrames): Unsubscribe {
  if (wired) return wired;
  let queue: BatchPoint[] = [];
  let scheduled = false;
  let lastFlush = -Infinity;
  const flush = (): void => {
    scheduled = false;
    const batches = queue;
    queue = [];
    lastFlush = frames.now();
    applyBatches(batches);
  };
  const onFrame = (): void => {
    const wait = FLUSH_INTERVAL_MS - (frames.now() - lastFlush);
    // Too soon after the last hand-over: wait out the rest, then take the next frame.
    if (wait > 1) frames.after(() => frames.request(onFrame), wait);
    else flush();
  };
  const off = api.onEvent((e) => {
    if (e.kind === 'progress') {
      for (const b of e.batches) queue.push(b);
      if (!scheduled) {
        scheduled = true;
        frames.request(onFrame);
      }
      return;
    }
    if (e.kind !== 'weights' && queue.length > 0) flush();
    applyEvent(e);
  });
  void refreshHistory();
  wired = () => {
    off();
    wired = null;
  };
  return wired;
}
