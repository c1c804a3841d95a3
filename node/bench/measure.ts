// Small measuring helpers shared by the bench and its memory child: epoch wall times around the real
// Trainer, medians, peak RSS. Node-only (/proc, process.resourceUsage).

import { readFileSync } from 'node:fs';
import type { EpochEvent, Trainer } from '../../core/train';

/** Per-epoch wall seconds and the last epoch's numbers. */
export interface EpochRun {
  /** Wall seconds of each epoch: every batch (gather, forward, loss, backward, SGD), the test-set
   *  accuracy, and the next epoch's shuffle (the Trainer reshuffles as an epoch ends). (epochs) */
  seconds: number[];
  /** CPU seconds (user + system) of this process in each epoch: steadier than wall time when other
   *  processes compete for the cores, since time spent preempted is not counted. (epochs) */
  cpuSeconds: number[];
  last: EpochEvent | null;
}

/** Runs `epochs` epochs of `trainer` (stops early if it diverges), timing each with performance.now. */
export function runEpochs(trainer: Trainer, epochs: number): EpochRun {
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let last: EpochEvent | null = null;
  for (let e = 0; e < epochs && !trainer.stopped; e++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const events = trainer.runEpoch();
    seconds.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpuSeconds.push((c.user + c.system) / 1e6);
    for (const ev of events) if (ev.kind === 'epoch') last = ev;
  }
  return { seconds, cpuSeconds, last };
}

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Peak resident set size of this process so far, in MB. On Linux from /proc/self/status VmHWM: the
 * kernel carries getrusage's maxRSS across fork + exec, so a spawned child would report its parent's
 * peak. Elsewhere process.resourceUsage().maxRSS (KiB).
 */
export function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
