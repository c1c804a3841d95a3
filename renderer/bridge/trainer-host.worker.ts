// The web page's training process: the shared trainer host (common/trainer-host.ts) in a module Web Worker,
// the browser's stand-in for Electron's utility process. It only says how its one port works (the worker
// scope), how to yield, how to read the dataset (the page's /dataset/ route, or picked bytes), and how the
// fast kernels get their helper threads (more Web Workers, kernel-threads.ts).

import { createKernelPool, type KernelPool } from '../../core/kernels/pool';
import { createKernels } from '../../core/kernels/registry';
import type { FromTrainer } from '../../core/protocol';
import { WATCHABLE_PACE } from '../../core/session';
import { createTrainerHost } from '../../common/trainer-host';
import { runModelFile, stringifyModelFile } from '../../core/model-file';
import type { RunModelFileMessage } from './web-bridge';
import { createWebDatasetLoader, DATASET_HELP } from './dataset-fetch';
import { defaultWebThreads, webKernelThreads } from './kernel-threads';

interface WorkerScope {
  /** The bridge names the worker with the URL of the page's /dataset/ route. */
  name: string;
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}
const scope = self as unknown as WorkerScope;

// Zero-delay continuations through a MessageChannel: unlike setTimeout(0) they are not clamped to 4 ms,
// and unlike microtasks they let queued commands (pause, lr) run between slices.
const channel = new MessageChannel();
const soon: (() => void)[] = [];
channel.port1.onmessage = () => soon.shift()?.();

// The fast kernels' memory and helper Web Workers, made when the first dataset load begins (its images go
// into that memory) and kept for the page's life; one thread and ordinary buffers where the page is not
// cross-origin isolated (the kernel name says so).
let pool: KernelPool | null | undefined;
const kernelPool = (): KernelPool | null => (pool ??= createKernelPool(webKernelThreads(defaultWebThreads()), { datasets: true }));

const host = createTrainerHost({
  loadDataset: createWebDatasetLoader(scope.name || new URL('../dataset/', location.href).href, () => performance.now()),
  datasetHelp: DATASET_HELP,
  schedule(fn, delayMs) {
    if (delayMs > 0) return void setTimeout(fn, delayMs);
    soon.push(fn);
    channel.port2.postMessage(0);
  },
  now: () => performance.now(),
  session: { pace: WATCHABLE_PACE }, // the window starts at a pace a person can watch
  // A finished run's weights as a model file, for the page to store: the checksum and JSON made here, off
  // the window's thread (posted before the run's record, which the bridge stores with it).
  onRunRecord: (record, final, weights) => {
    if (!final) return;
    let text: string | null;
    try {
      text = stringifyModelFile(runModelFile(record, weights, new Date().toISOString()));
    } catch {
      text = null; // weights that are not finite are not kept
    }
    const msg: RunModelFileMessage = { type: 'runModelFile', id: record.id, text };
    scope.postMessage(msg);
  },
  kernelMemory: kernelPool,
  createKernels: (maxBatch) => createKernels('fast', maxBatch, kernelPool()),
});

host.connect({
  postMessage: (message: FromTrainer, transfer?: ArrayBuffer[]) => scope.postMessage(message, transfer ?? []),
  onMessage: (listener) => {
    scope.onmessage = (ev) => listener(ev.data);
  },
});
