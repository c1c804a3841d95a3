// The bench's memory probe, run as its own process (bundled by run.ts: `node child.mjs DIR EPOCHS`)
// so its peak RSS is that of a training process alone: load the dataset as bytes with node/data (what
// the app runs; it gunzips each file straight into a buffer of its final size), train with the fast
// kernels, print one JSON line.

import { createKernels } from '../../core/kernels/registry';
import { DEFAULT_CONFIG, Trainer } from '../../core/train';
import { loadFashionMnist } from '../data/load';
import { peakRssMb, runEpochs } from './measure';

const [dir, epochsArg] = process.argv.slice(2);
const epochs = Number(epochsArg ?? 1);
const startupMB = peakRssMb();
const data = await loadFashionMnist({ dir, download: false });
const afterLoadMB = peakRssMb();
const afterLoadRssMB = Math.round(process.memoryUsage().rss / 1048576);
const trainer = new Trainer({ train: data.train, test: data.test, kernels: createKernels('fast', DEFAULT_CONFIG.batchSize), config: { epochs } });
const run = runEpochs(trainer, epochs);
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
})}\n`);
