// The Node way to give the fast kernels more threads: a KernelThreads (core/kernels/pool.ts) that starts
// each helper as a worker_threads Worker running node/threads/kernel-helper.ts, its HelperStart as
// workerData (so the helper has it synchronously, before anything else runs). Used by the CLI and the bench
// (under tsx, whose loader the workers inherit) and by the Electron utility process (which starts its own
// bundled entry as the helper).

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { defaultThreadCount, windowThreadCount, type HelperStart, type KernelThreads } from '../../core/kernels/pool';

/** Options of {@link nodeKernelThreads}. */
export interface NodeKernelThreadsOptions {
  /** Makes one helper Worker with `start` as its workerData (default: kernel-helper.ts beside this file, with `execArgv`). */
  createWorker?: (start: HelperStart) => Worker;
  /** Node options of the default Worker (default: this process's, e.g. tsx's loader). */
  execArgv?: string[];
  /** Hears a helper that failed to start or crashed (default: one line on stderr). */
  onError?: (err: Error) => void;
}

/** The threads the app uses here unless told otherwise: one per core, at most two (core's DEFAULT_MAX_THREADS). */
export function defaultNodeThreads(): number {
  return defaultThreadCount(availableParallelism());
}

/** The threads the desktop window's utility process uses: one core left to the window (core's windowThreadCount). */
export function windowNodeThreads(): number {
  return windowThreadCount(availableParallelism());
}

/**
 * KernelThreads for `threads` threads in all (so threads - 1 helper Workers), or null for one thread.
 * Workers are unref'd: they never keep a finished process alive, and the pool's close() terminates them.
 */
export function nodeKernelThreads(threads: number, opts: NodeKernelThreadsOptions = {}): KernelThreads | null {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  if (threads === 1) return null;
  const create = opts.createWorker ?? ((start: HelperStart) => new Worker(new URL('./kernel-helper.ts', import.meta.url), { workerData: start, ...(opts.execArgv ? { execArgv: opts.execArgv } : {}) }));
  const onError = opts.onError ?? ((err: Error) => console.error(`a kernel helper thread failed (${err.message}); the others carry on`));
  return {
    helpers: threads - 1,
    spawn(start) {
      const worker = create(start);
      worker.on('error', onError);
      worker.unref();
      return () => void worker.terminate();
    },
  };
}
