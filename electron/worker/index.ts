// The training utility process's entry (forked by TrainerProcess via utilityProcess.fork, bundled by
// electron-vite through `?modulePath`): the shared trainer host (common/trainer-host.ts) on Electron's
// ports. It only says how ports arrive (main's 'connect' on process.parentPort), how to yield
// (setImmediate), how to read the dataset (node/data), where run records go (back to main), and how the
// fast kernels get their helper threads (worker_threads, node/threads).

import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { createKernelPool, runKernelHelper, type HelperStart, type KernelPool } from '../../core/kernels/pool';
import { createKernels } from '../../core/kernels/registry';
import type { FromTrainer } from '../../core/protocol';
import { WATCHABLE_PACE } from '../../core/session';
import { createTrainerHost, type TrainerPort } from '../../common/trainer-host';
import { nodeKernelThreads, windowNodeThreads } from '../../node/threads/kernel-threads';
import { createNodeDatasetLoader, NODE_DATASET_HELP } from './dataset';
import { cacheDirFromArgv, isParentMessage, type WorkerToMain } from './parent-messages';

/** Electron's MessagePortMain, as far as this entry uses it. */
interface MainPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}
/** process.parentPort in a utility process. */
interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: MainPort[] }) => void): unknown;
  postMessage(message: WorkerToMain): void;
}

// This file is also the fast kernels' helper threads: the pool below starts it again as a worker_thread
// with a HelperStart as workerData (one bundle, no second entry). A helper runs units until the pool stops
// it, then ends its thread; nothing below runs there.
if (!isMainThread) {
  runKernelHelper(workerData as HelperStart);
  process.exit(0);
}

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('electron/worker must run as an Electron utility process (process.parentPort is missing)');
  process.exit(2);
}

/** Folders the user chose in main's dialog, by the grant main issued (the only folders 'dir' may read). */
const grants = new Map<string, string>();

// The fast kernels' memory and helper threads (this file again, as worker_threads), made when the first
// dataset load begins (its images go into that memory) and kept for the process's life.
let pool: KernelPool | null | undefined;
const kernelPool = (): KernelPool | null =>
  (pool ??= createKernelPool(nodeKernelThreads(windowNodeThreads(), { createWorker: (start) => new Worker(new URL(import.meta.url), { workerData: start }) }), { datasets: true }));

const host = createTrainerHost({
  loadDataset: createNodeDatasetLoader(cacheDirFromArgv(process.argv), (grant) => grants.get(grant) ?? null),
  datasetHelp: NODE_DATASET_HELP,
  schedule: (fn, delayMs) => (delayMs <= 0 ? setImmediate(fn) : setTimeout(fn, delayMs)),
  now: () => performance.now(),
  session: { pace: WATCHABLE_PACE }, // the window starts at a pace a person can watch
  kernelMemory: kernelPool,
  createKernels: (maxBatch) => createKernels('fast', maxBatch, kernelPool()),
  // Main stores run records (and keeps the last checkpoint, to record the run as crashed if we die).
  onRunRecord: (record, final, weights) => parentPort.postMessage({ type: 'run', record, final, weights }),
});

/** Adapts a MessagePortMain to the host's port type. */
function adapt(port: MainPort): TrainerPort {
  return {
    postMessage: (message: FromTrainer) => port.postMessage(message),
    onMessage: (listener) => void port.on('message', (e) => listener(e.data)),
    onClose: (listener) => void port.on('close', listener),
    close: () => port.close(),
  };
}

parentPort.on('message', (e) => {
  if (!isParentMessage(e.data)) return;
  if (e.data.type === 'grant') {
    grants.set(e.data.grant, e.data.path);
  } else if (e.data.type === 'connect') {
    for (const port of e.ports ?? []) {
      host.connect(adapt(port));
      port.start();
    }
  } else {
    host.close();
    process.exit(0);
  }
});
