// The bench's memory probe, run as its own process (bundled by run.ts: `node child.mjs DIR EPOCHS MODE`)
// so its peak RSS is that of a training process alone: load the dataset as bytes, train with the fast
// kernels, print one JSON line. MODE 'app' loads with node/data (what the app runs); 'streaming' gunzips
// each file straight into one buffer of its final size, to show what the loading itself costs.

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { datasetFromIdx, type FashionMnist } from '../../core/dataset';
import { createKernels } from '../../core/kernels/registry';
import { DEFAULT_CONFIG, Trainer } from '../../core/train';
import { loadFashionMnist } from '../data/load';
import { peakRssMb, runEpochs } from './measure';

/** Gunzips `path` into a buffer sized from the gzip trailer (ISIZE), chunk by chunk: no 2x transient. */
async function gunzipInto(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  const trailer = new Uint8Array(4);
  try {
    const { size } = await fh.stat();
    await fh.read(trailer, 0, 4, size - 4);
  } finally {
    await fh.close();
  }
  const out = new Uint8Array(new DataView(trailer.buffer).getUint32(0, true)); // (uncompressed bytes)
  let at = 0;
  for await (const chunk of createReadStream(path).pipe(createGunzip())) {
    const c = chunk as Buffer;
    if (at + c.length > out.length) throw new Error(`${path}: more data than its gzip trailer announced`);
    out.set(c, at);
    at += c.length;
  }
  return out.subarray(0, at);
}

async function loadStreaming(dir: string): Promise<FashionMnist> {
  const read = (name: string): Promise<Uint8Array> => gunzipInto(join(dir, `${name}.gz`));
  const train = datasetFromIdx(await read('train-images-idx3-ubyte'), await read('train-labels-idx1-ubyte'));
  const test = datasetFromIdx(await read('t10k-images-idx3-ubyte'), await read('t10k-labels-idx1-ubyte'));
  return { train, test };
}

const [dir, epochsArg, mode = 'app'] = process.argv.slice(2);
const epochs = Number(epochsArg ?? 1);
const startupMB = peakRssMb();
const data = mode === 'streaming' ? await loadStreaming(dir) : await loadFashionMnist({ dir, download: false });
const afterLoadMB = peakRssMb();
const afterLoadRssMB = Math.round(process.memoryUsage().rss / 1048576);
const trainer = new Trainer({ train: data.train, test: data.test, kernels: createKernels('fast', DEFAULT_CONFIG.batchSize), config: { epochs } });
const run = runEpochs(trainer, epochs);
process.stdout.write(`${JSON.stringify({
  loading: mode === 'streaming' ? 'streaming gunzip into final-size buffers' : 'node/data loadFashionMnist',
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
