// The fast kernels on real helper threads (worker_threads running node/threads/kernel-helper.ts, with tsx's
// loader as the CLI has it): a training run gives the same numbers with 1, 2 and 4 threads, bit for bit
// (fixed units and gradient groups summed in order), batches of every shape included (one round with the
// next one staged ahead, several rounds, a last partial batch, a batch of one) and a run with weight decay; a helper that cannot start
// is reported and the others carry on; close() stops the workers. With the images in the kernels' memory
// (KernelPool.allocate), the same run again, bit for bit, with a helper's unit 0 gathered ahead, and for
// batches other than the one predicted next.
// Legend: D = 784, K = 10.

import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Dataset } from '../../../core/dataset';
import { createFastKernels } from '../../../core/kernels/fast';
import { CONTROL, createKernelPool, type KernelPool } from '../../../core/kernels/pool';
import { LAYOUT } from '../../../core/kernels/wasm-simd/layout';
import { createRng, nextInt } from '../../../core/rng';
import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../../core/shapes';
import { trainCh3, type TrainConfig } from '../../../core/train';
import { nodeKernelThreads } from '../../../node/threads/kernel-threads';

/** Images with Fashion-MNIST's mix of zero and bright pixels, labels a function of the pixels (learnable). */
function fixture(count: number, seed: number): Dataset {
  const rng = createRng(seed);
  const images = new Uint8Array(count * D);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const y = nextInt(rng, K);
    labels[i] = y;
    for (let d = 0; d < D; d++) images[i * D + d] = nextInt(rng, 3) === 0 ? 0 : (d % K === y ? 200 : nextInt(rng, 120));
  }
  return { count, images, labels };
}

const train = fixture(1100, 1);
const test = fixture(300, 2);
const pools: KernelPool[] = [];
afterAll(() => {
  for (const p of pools) p.close();
});

/** A pool on `threads` threads whose helpers load the TypeScript helper through tsx. */
function pool(threads: number): KernelPool {
  const p = createKernelPool(nodeKernelThreads(threads, { execArgv: ['--import', 'tsx'] }), { datasets: true }); // as the CLI makes it
  if (!p) throw new Error('no wasm SIMD');
  pools.push(p);
  return p;
}

/** Waits until every helper of `p` has started (they start asynchronously), so runs do use them. */
async function started(p: KernelPool): Promise<void> {
  await vi.waitFor(() => expect(p.helpersStarted).toBe(p.threads - 1), { timeout: 30_000, interval: 20 });
}

/** `ds` with its images copied into `p`'s memory (as a loader with KernelPool.allocate puts them), so `p`'s kernels read rows where they lie. */
function inMemory(p: KernelPool, ds: Dataset): Dataset {
  const images = p.allocate(ds.images.length);
  if (!images) throw new Error('the pool cannot hold the images');
  images.set(ds.images);
  return { count: ds.count, images, labels: ds.labels };
}

function run(p: KernelPool, config: Partial<TrainConfig>, data: { train: Dataset; test: Dataset } = { train, test }) {
  const { epochs, trainer } = trainCh3({ train: data.train, test: data.test, kernels: createFastKernels(config.batchSize ?? 256, p), config: { epochs: 2, lr: 0.1, seed: 3, ...config } });
  return { epochs: epochs.map(({ seconds: _s, ...e }) => e), weights: trainer.weights() };
}

describe('the fast kernels on helper threads', () => {
  const one = pool(1);
  const two = pool(2);
  const four = pool(4);

  it('start their helpers, which then run units', async () => {
    await started(two);
    await started(four);
    const before = two.helperUnits;
    // A short run on a loaded machine (the full suite runs files side by side) can end before the OS
    // schedules the helper: run again, up to 50 times, until it has done a unit.
    for (let i = 0; i < 50 && two.helperUnits === before; i++) run(two, { batchSize: 256, epochs: 1 });
    expect(two.helperUnits).toBeGreaterThan(before); // the runs below are not the calling thread alone
  }, 60_000);

  it('name the threads they run on', () => {
    expect(createFastKernels(8, two).name).toBe('fast (wasm SIMD, 2 threads)');
    expect(createFastKernels(8, four).threads).toBe(4);
  });

  for (const [label, config] of [
    ['batch 256 (next batch staged ahead), stable softmax', { batchSize: 256 }],
    ['batch 300 (two rounds), naive softmax', { batchSize: 300, softmax: 'naive' }],
    ['batch 100 (a last batch of 100), stable', { batchSize: 100 }],
    ['batch 1 (one row in the last unit)', { batchSize: 1, epochs: 1 }],
    ['batch 256 with weight decay 0.005 (d2l\'s sgd with decay, in wasm on the calling thread)', { batchSize: 256, weightDecay: 0.005 }],
  ] as [string, Partial<TrainConfig>][]) {
    it(`${label}: 1, 2 and 4 threads give the same run, bit for bit`, async () => {
      await started(two);
      await started(four);
      const a = run(one, config);
      const b = run(two, config);
      const c = run(four, config);
      expect(a.epochs[a.epochs.length - 1].testAcc).toBeGreaterThan(0.5); // it learns: the check is not vacuous
      expect(b.epochs).toEqual(a.epochs);
      expect(c.epochs).toEqual(a.epochs);
      expect(Buffer.from(b.weights.buffer).equals(Buffer.from(a.weights.buffer))).toBe(true);
      expect(Buffer.from(c.weights.buffer).equals(Buffer.from(a.weights.buffer))).toBe(true);
    }, 120_000);
  }

  it('with the images in the kernels\' memory (read where they lie, no copy per batch): the copied rows\' run on 1, 2 and 4 threads, bit for bit', async () => {
    await started(two);
    await started(four);
    const config: Partial<TrainConfig> = { batchSize: 100 }; // units of 25 rows, an odd count
    const copied = run(one, config);
    for (const p of [one, two, four]) {
      const data = { train: inMemory(p, train), test: inMemory(p, test) };
      expect(p.addressOf(data.train.images)).toBeGreaterThan(0);
      const r = run(p, config, data);
      expect(r.epochs).toEqual(copied.epochs);
      expect(Buffer.from(r.weights.buffer).equals(Buffer.from(copied.weights.buffer))).toBe(true);
      // (whether a helper ran units of so short a run depends on the machine's load: not asserted)
    }
    // A helper that runs out of units gathers the next batch's first and last units ahead (announce), and
    // they run on those rows: runs until that has happened (so the comparison covers it), each still the
    // copied rows' numbers.
    const data = { train: inMemory(two, train), test: inMemory(two, test) };
    const before = two.preparedUnits;
    for (let i = 0; i < 30 && two.preparedUnits === before; i++) {
      const r = run(two, config, data);
      expect(r.epochs).toEqual(copied.epochs);
      expect(Buffer.from(r.weights.buffer).equals(Buffer.from(copied.weights.buffer))).toBe(true);
    }
    expect(two.preparedUnits).toBeGreaterThan(before);
  }, 120_000);

  it('batches other than the one predicted next (its first and last units gathered ahead for nothing) still give the one-thread numbers, bit for bit', async () => {
    await started(two);
    const data = inMemory(two, train);
    const order = Uint32Array.from({ length: train.count }, (_, i) => (i * 7) % train.count);
    const starts = [0, 512, 256, 768, 0, 256, 512, 100, 356, 800, 0, 768]; // each call but the 8th and 9th skips the batch after the last
    const params = (p: KernelPool, ds: Dataset): Float32Array[] => {
      const kernels = createFastKernels(256, p);
      const w = new Float32Array(D * K + K).map((_, i) => Math.sin(i) * 0.01);
      const out: Float32Array[] = [];
      for (let rep = 0; rep < 20; rep++) {
        for (const start of starts) {
          kernels.trainBatch?.(w, ds, order, start, Math.min(256, ds.count - start), 'stable', 0.1, 0);
          out.push(w.slice());
        }
      }
      return out;
    };
    const want = params(one, train);
    const got = params(two, data);
    for (let i = 0; i < want.length; i++) expect(Buffer.from(got[i].buffer).equals(Buffer.from(want[i].buffer)), `call ${i}`).toBe(true);
  }, 60_000);

  it('a helper that fails to start is reported; the calling thread does its share', async () => {
    const errors: string[] = [];
    const broken = createKernelPool(nodeKernelThreads(2, {
      createWorker: () => new Worker('throw new Error("no such helper")', { eval: true }),
      onError: (e) => errors.push(e.message),
    }));
    if (!broken) throw new Error('no wasm SIMD');
    pools.push(broken);
    expect(run(broken, { batchSize: 256 })).toEqual(run(one, { batchSize: 256 }));
    await vi.waitFor(() => expect(errors).toEqual(['no such helper']), { timeout: 30_000 });
    expect(broken.helpersStarted).toBe(0);
  }, 60_000);

  it('a helper that takes a unit and then never runs (unscheduled, stuck) costs about a unit: the calling thread runs it', async () => {
    // The stuck helper follows the protocol up to the claim, then blocks forever (until terminated).
    const stuck = `
      const { workerData: { start, C } } = require('node:worker_threads');
      const ctl = new Int32Array(start.memory.buffer, C.offset, 64);
      Atomics.add(ctl, C.started, 1);
      const seen = Atomics.load(ctl, C.gen);
      while (Atomics.load(ctl, C.gen) === seen) Atomics.wait(ctl, C.gen, seen, 50);
      for (;;) {
        const c = Atomics.load(ctl, C.claim);
        if (Atomics.compareExchange(ctl, C.claim, c, c + 1) === c) break;
      }
      Atomics.wait(ctl, 63, 0); // word 63 is never written`;
    const p = createKernelPool(nodeKernelThreads(2, {
      createWorker: (start) => new Worker(stuck, { eval: true, workerData: { start, C: { ...CONTROL, offset: LAYOUT.control } } }),
    }));
    if (!p) throw new Error('no wasm SIMD');
    pools.push(p);
    await started(p);
    expect(run(p, { batchSize: 256 })).toEqual(run(one, { batchSize: 256 }));
    expect(p.helperUnits).toBe(0);
  }, 60_000);

  it('close() stops the helper workers', async () => {
    const exits: Promise<number>[] = [];
    const p = createKernelPool(nodeKernelThreads(3, {
      createWorker: (start) => {
        const w = new Worker(new URL('../../../node/threads/kernel-helper.ts', import.meta.url), { workerData: start, execArgv: ['--import', 'tsx'] });
        exits.push(new Promise((resolve) => w.once('exit', resolve)));
        return w;
      },
    }));
    expect(p?.threads).toBe(3);
    await started(p as KernelPool);
    run(p as KernelPool, { batchSize: 256, epochs: 1 });
    p?.close();
    expect(await Promise.all(exits)).toHaveLength(2);
    expect(p?.threads).toBe(1);
  }, 60_000);
});
