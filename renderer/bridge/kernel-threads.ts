// The web page's way to give the fast kernels more threads: a KernelThreads (core/kernels/pool.ts) that
// starts each helper as a module Web Worker running kernel-helper.worker.ts. Sharing the kernels' memory
// needs a cross-origin isolated page (the preview server and the app:// protocol send COOP and COEP);
// where the page is not, core's pool runs on one thread and says so in the kernel's name.

import { windowThreadCount, type KernelThreads } from '../../core/kernels/pool';

/** The threads the page's trainer uses: one core left to the page itself, at most two (core's windowThreadCount). */
export function defaultWebThreads(): number {
  return windowThreadCount(navigator.hardwareConcurrency || 1);
}

/** KernelThreads for `threads` threads in all (so threads - 1 helper Workers), or null for one thread. */
export function webKernelThreads(threads: number): KernelThreads | null {
  if (threads <= 1) return null;
  return {
    helpers: threads - 1,
    spawn(start) {
      const worker = new Worker(new URL('./kernel-helper.worker.ts', import.meta.url), { type: 'module', name: 'kernel-helper' });
      worker.postMessage(start);
      return () => worker.terminate();
    },
  };
}
