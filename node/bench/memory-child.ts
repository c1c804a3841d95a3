// The bench's memory probe, run as its own process (bundled by run.ts: `node child.mjs DIR EPOCHS THREADS
// HELPER`) so its peak RSS is that of a training process alone: load the dataset as bytes with node/data
// (what the app runs; it gunzips each file straight into a buffer of its final size), start the fast
// kernels' helper threads (their isolates count: ~18 MB each) from the helper entry HELPER, train, print
// one JSON line.

import { Worker } from 'node:worker_threads';
import { createKernelPool } from '../../core/kernels/pool';
import { createKernels } from '../../core/kernels/registry';
import { DEFAULT_CONFIG, Trainer } from '../../core/train';
import { loadFashionMnist } from '../data/load';
import { nodeKernelThreads } from '../threads/kernel-threads';
import { peakRssMb, runEpochs } from './measure';

const [dir, epochsArg, threadsArg, helper] = process.argv.slice(2);
const epochs = Number(epochsArg ?? 1);
const threads = Number(threadsArg ?? 1);
const startupMB = peakRssMb();
// The CLI's order: the kernels and their threads first, then the dataset, its images in the kernels' memory.
const pool = createKernelPool(nodeKernelThreads(threads, helper ? { createWorker: (start) => new Worker(helper, { workerData: start }) } : {}), { datasets: true });
while (pool && pool.helpersStarted < pool.threads - 1) await new Promise((resolve) => setTimeout(resolve, 10));
const data = await loadFashionMnist({ dir, download: false, ...(pool ? { allocate: (bytes: number) => pool.allocate(bytes) } : {}) });
const afterLoadMB = peakRssMb();
const afterLoadRssMB = Math.round(process.memoryUsage().rss / 1048576);
const trainer = new Trainer({ train: data.train, test: data.test, kernels: createKernels('fast', DEFAULT_CONFIG.batchSize, pool), config: { epochs } });
const run = runEpochs(trainer, epochs);
pool?.close();
process.stdout.write(`${JSON.stringify({
  loading: 'node/data loadFashionMnist',
  kernel: trainer.kernelName,
  epochs: run.seconds.length,
  testAcc: run.last?.testAcc ?? null,
  startupPeakRssMB: startupMB,
  afterLoadPeakRssMB: afterLoadMB,
  afterLoadRssMB,
  peakRssMB: peakRssMb(),
  rssNowMB: Math.round(process.memoryUsage().rss / 1048576),
  datasetMB: Math.round((data.train.images.byteLength + data.test.images.byteLength) / 1048576),
  imagesInKernelMemory: pool ? pool.addressOf(data.train.images) >= 0 && pool.addressOf(data.test.images) >= 0 : false,
})}\n`);
