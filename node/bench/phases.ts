// Where an epoch's time goes: `npx tsx node/bench/phases.ts [--data DIR] [--threads N]` times each phase of
// the fast kernels' epoch on its own, on the real data (its images in the kernels' memory, as the CLI loads
// them), and prints one JSON line of milliseconds per epoch: the shuffle, listing each unit's rows, gathering
// them from where they lie into a thread's scratch, the forward, softmax and backward kernels over every
// batch's units, what copying the shuffled rows' bytes in JS costs (a host whose images are not in the
// kernels' memory stages them so),
// the per-batch parameter work (params in,
// the SGD update summing the unit groups on its way, and params out), the test-set accuracy, the hand-off of a job to the pool's
// threads (a job of four one-row units), and the whole epoch through the real Trainer for comparison.
// A measuring tool beside `npm run bench`, not part of the app or the tests; run it under the shared lock.
// Legend: N = 256 batch rows, D = 784 inputs, K = 10 classes.

import { shuffleOrder, identityOrder, type Dataset } from '../../core/dataset';
import { createFastKernels } from '../../core/kernels/fast';
import { createKernelPool, type KernelPool } from '../../core/kernels/pool';
import { GROUPS, LAYOUT, outOffset, scratchOffset, slotOffset, unitRows } from '../../core/kernels/wasm-simd/layout';
import { initParams } from '../../core/model';
import { createRng } from '../../core/rng';
import { NUM_INPUTS as D, NUM_PARAMS } from '../../core/shapes';
import { DEFAULT_CONFIG, Trainer } from '../../core/train';
import { loadFashionMnist } from '../data/load';
import { nodeKernelThreads } from '../threads/kernel-threads';
import { median } from './measure';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const threads = Number(flag('--threads') ?? 2);
const REPS = Number(flag('--reps') ?? 7);

/**
 * Median over REPS repetitions of fn's milliseconds: CPU time of this process (steadier than wall time on a
 * shared machine, where we are preempted) while no helper thread runs, wall time when `wall`.
 */
function time(fn: () => void, wall = false): number {
  const ms: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const c = process.cpuUsage(c0);
    ms.push(wall ? performance.now() - t0 : (c.user + c.system) / 1000);
  }
  return Number(median(ms).toFixed(2));
}

async function startedPool(n: number): Promise<KernelPool> {
  const pool = createKernelPool(nodeKernelThreads(n), { datasets: true });
  if (!pool) throw new Error('no WebAssembly SIMD');
  while (pool.helpersStarted < n - 1) await new Promise((r) => setTimeout(r, 10));
  return pool;
}

const pool1 = await startedPool(1);
const ex = pool1.instance.exports;
const { f32, i32 } = pool1.views;
// The images in the kernels' memory, as the CLI loads them: the kernels read each batch's rows there.
const data = await loadFashionMnist({ dir: flag('--data'), download: false, allocate: (bytes) => pool1.allocate(bytes) });
const train: Dataset = data.train;
const N = DEFAULT_CONFIG.batchSize;
const batches = Math.ceil(train.count / N);
const rng = createRng(0);
const order = identityOrder(train.count);
shuffleOrder(rng, order);
const params = initParams(createRng(0)).data;
f32.set(params, LAYOUT.params >> 2);
ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b);

// What staging costs a host whose images are not in the kernels' memory: copying every shuffled row's bytes.
const shuffled = new Uint8Array(train.count * D); // (count, D)
const gather = (): void => {
  for (let r = 0; r < train.count; r++) shuffled.set(train.images.subarray(order[r] * D, order[r] * D + D), r * D);
};
const base = pool1.addressOf(train.images);
if (base < 0) throw new Error('the images are not in the kernels\' memory');
const addrs = slotOffset(0, 'rows');
const labels = slotOffset(0, 'labels');
const logits = scratchOffset(0, 'logits');
const dlogits = scratchOffset(0, 'dlogits');
const group = outOffset(0, 0, 'group');
/** Runs `kernel` on every unit of every batch, its rows listed in slot 0 first (the listing is timed apart). */
const perUnit = (kernel: (m: number) => void): (() => void) => () => {
  for (let b = 0; b < batches; b++) {
    const n = Math.min(N, train.count - b * N);
    for (let g = 0; g < GROUPS; g++) {
      const { start, end } = unitRows(n, g);
      const m = end - start;
      if (m === 0) continue;
      for (let r = 0; r < m; r++) {
        const i = order[b * N + start + r];
        i32[(addrs >> 2) + r] = base + i * D;
        i32[(labels >> 2) + r] = train.labels[i];
      }
      kernel(m);
    }
  }
};
const softmax = (m: number): void => void ex.softmaxChunk(logits, labels, m, 0, scratchOffset(0, 'probs'), dlogits, group + D * 10 * 4, outOffset(0, 0, 'result') + 8, scratchOffset(0, 'stats'));
const gathered = scratchOffset(0, 'images');
const masks = scratchOffset(0, 'masks');
const masksT = scratchOffset(0, 'masksT');
const forwardGathered = (m: number): void => {
  ex.masksChunk(gathered, m, masks);
  ex.forwardChunk(LAYOUT.wT, LAYOUT.b, gathered, masks, m, logits);
};
const listOnly = time(perUnit(() => {}));
const gatherOnly = time(perUnit((m) => ex.gatherRows(addrs, m, gathered))) - listOnly;
const gatherForward = time(perUnit((m) => {
  ex.gatherRows(addrs, m, gathered);
  forwardGathered(m);
})) - listOnly;
const forwardSoftmax = time(perUnit((m) => {
  ex.gatherRows(addrs, m, gathered);
  forwardGathered(m);
  softmax(m);
})) - listOnly;
const all = time(perUnit((m) => {
  ex.gatherRows(addrs, m, gathered);
  forwardGathered(m);
  softmax(m);
  ex.masksTChunk(gathered, m, masksT);
  ex.backwardCols(group, gathered, masksT, dlogits);
})) - listOnly;
const perBatchParams = time(() => {
  for (let b = 0; b < batches; b++) {
    f32.set(params, LAYOUT.params >> 2);
    ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b);
    // the four unit groups summed on the way (scale 0: the weights stay as they are)
    ex.sgdUpdate(group, group, group, group, GROUPS, LAYOUT.wT, LAYOUT.b, 0, 1, LAYOUT.params);
    params.set(f32.subarray(LAYOUT.params >> 2, (LAYOUT.params >> 2) + NUM_PARAMS));
  }
});
const shuffle = time(() => shuffleOrder(rng, order));
const kernels1 = createFastKernels(N, pool1);
const testAcc1 = time(() => void kernels1.countCorrect(params, data.test, 0, data.test.count));

/** The real Trainer's median epoch on `pool`. */
function epochMs(pool: KernelPool, d: { train: Dataset; test: Dataset } = data): number {
  const trainer = new Trainer({ train: d.train, test: d.test, kernels: createFastKernels(N, pool), config: { epochs: 1000 }, now: () => performance.now() });
  return time(() => void trainer.runEpoch(), pool.threads > 1);
}
const epoch1 = epochMs(pool1);

let handoff = 0;
let epochN = 0;
let testAccN = 0;
if (threads > 1) {
  const poolN = await startedPool(threads);
  const dataN = await loadFashionMnist({ dir: data.dir, download: false, allocate: (bytes) => poolN.allocate(bytes) });
  const rows = [1, 1, 1, 1];
  const jobs = batches + Math.ceil(data.test.count / N);
  handoff = time(() => {
    for (let j = 0; j < jobs; j++) poolN.run({ kind: 'count', naive: false, bank: 0, rows });
  }, true);
  const kernelsN = createFastKernels(N, poolN);
  testAccN = time(() => void kernelsN.countCorrect(params, dataN.test, 0, dataN.test.count), true);
  epochN = epochMs(poolN, dataN);
  poolN.close();
}
pool1.close();

const ms = (x: number): number => Number(x.toFixed(2));
process.stdout.write(`${JSON.stringify({
  measure: 'phases (ms per epoch, medians)',
  shuffle,
  copyShuffledRowsInJs: time(gather),
  listRowsInSlots: listOnly,
  gatherRows: ms(gatherOnly),
  forward: ms(gatherForward - gatherOnly),
  softmax: ms(forwardSoftmax - gatherForward),
  backward: ms(all - forwardSoftmax),
  perBatchParams,
  testAccuracy1Thread: testAcc1,
  epoch1Thread: epoch1,
  ...(threads > 1 ? { [`handoff${threads}Threads`]: handoff, [`testAccuracy${threads}Threads`]: testAccN, [`epoch${threads}Threads`]: epochN } : {}),
})}\n`);
