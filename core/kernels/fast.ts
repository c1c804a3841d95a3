// The fast kernels: WebAssembly SIMD (wasm-simd/kernels.wat) on one thread or several (core/kernels/pool.ts).
// A batch is cut into rounds of up to 256 rows and each round into four units (wasm-simd/layout.ts); this
// thread lists each unit's rows (where their uint8 images lie when the dataset was allocated in the kernel
// memory, KernelPool.allocate, and the thread running the unit gathers them; else it copies them into the
// unit's slot first) and any thread runs it: the forward over each image's nonzero 4-pixel groups (fused
// multiply-adds where the engine has relaxed SIMD), the softmax with its loss and dlogits (stable, or d2l's
// exp / rowsum, which overflows as the reference's does), the weight gradient over each 4-pixel group's
// nonzero rows into the unit's gradient group. d2l's sgd (with its weight decay) then runs in wasm
// too (trainBatch), on the calling thread, summing the groups in a fixed order on its way, so threads
// never need to know λ. Float32 sums: within ~3e-7 relative of the reference, not bit for bit; the same
// numbers for any number of threads, bit for bit. Falls back to fast-js where wasm SIMD is missing.
// Legend: N = batch rows, D = 784 inputs, K = 10 classes.

import type { Dataset } from '../dataset';
import { allFinite, sgdStep } from '../model';
import { NUM_INPUTS, NUM_PARAMS } from '../shapes';
import { lazyReference } from './fast-common';
import { createFastJsKernels, logitsDense } from './fast-js';
import { weightDecayGradNaive } from './reference';
import { createKernelPool, type KernelPool } from './pool';
import type { BatchStats, Kernels, SoftmaxVariant, StepStats } from './types';
import { accOffset, GROUPS, LAYOUT, outOffset, ROUND_ROWS, slotOffset, unitRows } from './wasm-simd/layout';
import { unitCorrect, unitLoss } from './wasm-simd/units';

// Shapes as module constants: hot loops read locals, not imported bindings (vitest rewrites those
// into property reads, ~20x slower).
const D = NUM_INPUTS;
const P = NUM_PARAMS;
const PARAMS = LAYOUT.params;
const ACC0 = accOffset(0); // where a batch's gradient ends up
const W = D / 4; // 32-bit words per image row

const words = new WeakMap<Uint8Array, Int32Array | null>(); // a dataset's pixels as 32-bit words, for staging
const ALL_UNITS = Array.from({ length: GROUPS }, (_, g) => g);
const END_UNITS = [0, GROUPS - 1]; // the units a helper and the calling thread run first (pool.ts)

/** The pixel bytes as 32-bit words (one view per array), or null when they do not start on a word. */
function wordsOf(images: Uint8Array): Int32Array | null {
  let w = words.get(images);
  if (w === undefined) {
    w = images.byteOffset % 4 === 0 ? new Int32Array(images.buffer, images.byteOffset, images.length >> 2) : null;
    words.set(images, w);
  }
  return w;
}

let singleThreadPool: KernelPool | null | undefined; // per realm: the pool of kernels created without one

/** True when this engine runs the WebAssembly SIMD kernels (else `createFastKernels` returns fast-js). */
export function wasmSimdAvailable(): boolean {
  singleThreadPool ??= createKernelPool();
  return singleThreadPool !== null;
}

/** The readout name: 'fast (wasm SIMD, 2 threads)', and why it runs on one thread when it had to. */
export function fastKernelName(pool: KernelPool): string {
  const threads = `${pool.threads} thread${pool.threads === 1 ? '' : 's'}`;
  return `fast (wasm SIMD, ${pool.note ? `${threads}: ${pool.note.replace(/^one thread: /, '')}` : threads})`;
}

/**
 * Creates the fast kernels for batches of up to `maxBatch` rows on `pool` (createKernelPool: its threads
 * and memory, shared by every kernels instance a host makes; one thread of this realm when omitted).
 * WebAssembly SIMD when the engine has it, otherwise the pure-JS fast kernels (name 'fast-js'). Only one
 * call runs on a pool at a time: calls are synchronous and leave nothing in its memory between them.
 */
export function createFastKernels(maxBatch = 256, pool?: KernelPool | null): Kernels {
  const chosen = pool ?? (wasmSimdAvailable() ? (singleThreadPool as KernelPool) : null);
  if (!chosen) return createFastJsKernels(maxBatch);
  const p: KernelPool = chosen;
  const ex = p.instance.exports;
  const { u8, f32, i32 } = p.views;
  const reference = lazyReference();
  const unitSize = new Array<number>(GROUPS).fill(0); // (GROUPS) rows of each unit in the current round
  // The last batch's gradient: the sum of the `gradCount` groups at `grads`, in unit order (a one-round
  // batch's unit groups, which sgdUpdate sums on its way), or ACC0 alone once summed there.
  const grads = [ACC0, ACC0, ACC0, ACC0];
  let gradCount = 1;
  // The batch predicted to come next (the following rows of the same order), staged into the other bank by
  // this thread while helpers compute the current one; used only if the next call asks for exactly it.
  const ahead = { ds: null as Dataset | null, order: null as Uint32Array | null, start: 0, n: 0, bank: 0, staged: 0, rows: new Array<number>(GROUPS).fill(0) };
  const aheadIndex = new Uint32Array(ROUND_ROWS); // (ROUND_ROWS) the example staged in each row of `ahead`
  const check = (n: number): void => {
    if (n > maxBatch) throw new RangeError(`batch of ${n} rows exceeds this kernel's maxBatch ${maxBatch}`);
  };

  /** Sets sizes[g] to the rows of unit g in a round of m rows. */
  function splitRound(m: number, sizes: number[]): void {
    for (let g = 0; g < GROUPS; g++) {
      const { start, end } = unitRows(m, g);
      sizes[g] = end - start;
    }
  }

  /**
   * Stages rows [from, from + m) of the batch (examples order[from..], or from.. in file order) into unit
   * slot `slot`: their labels, and their addresses in the kernel memory; the pixel bytes are copied into the
   * slot unless the dataset lies in that memory already. Only this thread can copy, since a dataset outside
   * that memory is not shared.
   */
  function stage(ds: Dataset, order: Uint32Array | null, from: number, m: number, slot: number): void {
    const images = slotOffset(slot, 'images');
    const labels = slotOffset(slot, 'labels') >> 2;
    const rows = slotOffset(slot, 'rows') >> 2;
    const base = p.addressOf(ds.images);
    if (base >= 0) {
      // The dataset lies in the kernel memory (a loader allocated it there): the slot lists where each row's
      // pixels are, and the kernels read them there. Nothing is copied; any thread could run the unit now.
      for (let r = 0; r < m; r++) {
        const i = order ? order[from + r] : from + r;
        i32[rows + r] = base + i * D;
        i32[labels + r] = ds.labels[i];
      }
      return;
    }
    for (let r = 0; r < m; r++) i32[rows + r] = images + r * D; // the copies below
    if (!order) {
      u8.set(ds.images.subarray(from * D, (from + m) * D), images);
      for (let r = 0; r < m; r++) i32[labels + r] = ds.labels[from + r];
      return;
    }
    for (let r = 0; r < m; r++) i32[labels + r] = ds.labels[order[from + r]];
    const src = wordsOf(ds.images);
    let r = 0;
    if (src) {
      // Shuffled rows come from all over a 47 MB array, so each copy waits on memory: eight rows at a time,
      // word by word and interleaved, keep eight rows' cache misses in flight (~1.5x faster than one
      // TypedArray.set per row). Words are exact: pixel bytes are copied, never read as numbers.
      const dst = (images >> 2) - W;
      for (; r + 8 <= m; r += 8) {
        const a0 = order[from + r] * W, a1 = order[from + r + 1] * W, a2 = order[from + r + 2] * W, a3 = order[from + r + 3] * W;
        const a4 = order[from + r + 4] * W, a5 = order[from + r + 5] * W, a6 = order[from + r + 6] * W, a7 = order[from + r + 7] * W;
        const o = dst + r * W;
        for (let j = 0; j < W; j++) {
          i32[o + W + j] = src[a0 + j]; i32[o + 2 * W + j] = src[a1 + j]; i32[o + 3 * W + j] = src[a2 + j]; i32[o + 4 * W + j] = src[a3 + j];
          i32[o + 5 * W + j] = src[a4 + j]; i32[o + 6 * W + j] = src[a5 + j]; i32[o + 7 * W + j] = src[a6 + j]; i32[o + 8 * W + j] = src[a7 + j];
        }
      }
    }
    for (; r < m; r++) {
      const i = order[from + r];
      u8.set(ds.images.subarray(i * D, i * D + D), images + r * D);
    }
  }

  /** How many of this one-round batch's units `ahead` holds staged (from unit 0 on), with the same examples: 0 when it holds another batch. */
  function stagedAhead(ds: Dataset, order: Uint32Array | null, start: number, n: number): number {
    if (ahead.ds !== ds || ahead.order !== order || !order || ahead.start !== start || ahead.n !== n) return 0;
    for (let r = 0; r < n; r++) if (order[start + r] !== aheadIndex[r]) return 0;
    return ahead.staged;
  }

  /**
   * Forward, loss and backward of the batch: its gradient the sum, in a fixed order, of the `gradCount`
   * groups at `grads` (summed into ACC0 when `sum`, or when the batch has several rounds): the loss sum and
   * correct count, or null when the parameters are not finite (the caller takes the reference).
   */
  function batch(params: Float32Array, ds: Dataset, order: Uint32Array | null, start: number, n: number, softmax: SoftmaxVariant, sum: boolean): BatchStats | null {
    f32.set(params, PARAMS >> 2);
    // The SIMD loops skip all-zero blocks, exact only while 0 * w is 0: non-finite weights go to the reference.
    if (!ex.loadParams(PARAMS, LAYOUT.wT, LAYOUT.b)) return null;
    const naive = softmax === 'naive';
    const oneRound = n <= ROUND_ROWS;
    let lossSum = 0;
    let correct = 0;
    let summed = false; // ACC0 holds something (one round: the units so far)
    gradCount = 0;
    for (let r0 = 0; r0 < n; r0 += ROUND_ROWS) {
      const m = Math.min(ROUND_ROWS, n - r0);
      if (oneRound) runOneRound(ds, order, start, n, naive);
      else runRound(ds, order, start + r0, m, naive);
      for (let g = 0; g < GROUPS; g++) {
        if (unitSize[g] === 0) continue;
        const t = p.owners[g];
        lossSum += unitLoss(p.views, t, g);
        correct += unitCorrect(p.views, t, g);
        // One round: the gradient is unit 0 + unit 1 + ... (summed into ACC0 here, or by sgdUpdate on the
        // way); several: group g = unit g of round 0 + of round 1 + ..., then ACC0 = group 0 + group 1 + ...
        if (oneRound && !sum) grads[gradCount++] = outOffset(t, g, 'group');
        else if (oneRound) ex.addGroup(ACC0, outOffset(t, g, 'group'), summed ? 0 : 1);
        else ex.addGroup(accOffset(g), outOffset(t, g, 'group'), r0 === 0 ? 1 : 0);
        summed = true;
      }
    }
    if (!oneRound) for (let g = 1; g < GROUPS; g++) ex.addGroup(ACC0, accOffset(g), 0); // a first round is full: every group has rows
    if (!oneRound || sum) {
      grads[0] = ACC0;
      gradCount = 1;
    }
    return { lossSum, correct };
  }

  /**
   * The job of a one-round batch: maybe staged already, all or its first and last units; and, with helpers
   * to compute meanwhile, this thread stages the batch predicted to come next into the other bank: copies
   * every unit's rows when the dataset lies outside the kernels' memory (only this thread can read it); else
   * lists the first and last units' rows only (the ones a helper and this thread run first) and announces
   * them, for a helper to gather ahead while this thread updates the weights.
   * (Each thread gathers its own unit's rows from the kernels' memory (units.ts); this thread reading the
   * next batch's rows meanwhile, to warm the cache, measured slower: 36 vs 32 ms an epoch at best, since
   * the gather keeps many misses in flight and that reading kept this thread from its units.)
   */
  function runOneRound(ds: Dataset, order: Uint32Array | null, start: number, n: number, naive: boolean): void {
    const inMemory = p.addressOf(ds.images) >= 0;
    const staged = stagedAhead(ds, order, start, n);
    const ready = staged >= (inMemory ? 2 : GROUPS) ? staged : 0;
    const bank = ready ? ahead.bank : 1 - ahead.bank;
    splitRound(n, unitSize);
    const nextStart = start + n;
    const nextN = Math.min(n, ds.count - nextStart);
    ahead.ds = null;
    let sideWork: (() => boolean) | undefined;
    if (p.threads > 1 && order && nextN > 0) {
      Object.assign(ahead, { ds, order, start: nextStart, n: nextN, bank: 1 - bank, staged: 0 });
      splitRound(nextN, ahead.rows);
      for (let r = 0; r < nextN; r++) aheadIndex[r] = order[nextStart + r];
      // In the kernels' memory: units 0 and GROUPS - 1, then the announcement; else every unit, in order.
      const units = inMemory ? END_UNITS : ALL_UNITS;
      const stageAhead = (g: number): void => {
        if (ahead.rows[g] > 0) stage(ds, order, nextStart + unitRows(nextN, g).start, ahead.rows[g], ahead.bank * GROUPS + g);
      };
      sideWork = () => {
        if (ahead.staged >= units.length) return false;
        if (inMemory) {
          p.announce(ahead.bank, ahead.rows[0], ahead.rows[GROUPS - 1], () => units.forEach(stageAhead));
          ahead.staged = units.length;
        } else {
          stageAhead(units[ahead.staged++]);
        }
        return true;
      };
    }
    const listed = (g: number): boolean => ready > 0 && (!inMemory || g === 0 || g === GROUPS - 1);
    p.run({
      kind: 'train', naive, bank, rows: unitSize, sideWork, ahead: inMemory && ready > 0,
      stage: ready >= GROUPS ? undefined : (g) => { if (!listed(g)) stage(ds, order, start + unitRows(n, g).start, unitSize[g], bank * GROUPS + g); },
    });
  }

  /** The job of one round of m rows from `from` of a batch larger than a round (no staging ahead). */
  function runRound(ds: Dataset, order: Uint32Array | null, from: number, m: number, naive: boolean): void {
    ahead.ds = null;
    splitRound(m, unitSize);
    p.run({ kind: 'train', naive, bank: 0, rows: unitSize, stage: (g) => stage(ds, order, from + unitRows(m, g).start, unitSize[g], g) });
  }

  return {
    name: fastKernelName(p),
    maxBatch,
    threads: p.threads,
    batchGradient(params: Float32Array, grad: Float32Array, ds: Dataset, order: Uint32Array | null, start: number, n: number, softmax: SoftmaxVariant, weightDecay = 0): BatchStats {
      check(n);
      const stats = batch(params, ds, order, start, n, softmax, true);
      // NaN: a logit overflowed (the textbook softmax's ∞/∞, or the logits themselves). The reference takes
      // the batch, so its NaN reaches every row of dW exactly as d2l's does, through zero pixels too.
      if (!stats || Number.isNaN(stats.lossSum)) return reference(n).batchGradient(params, grad, ds, order, start, n, softmax, weightDecay);
      ex.storeGrad(ACC0, PARAMS);
      grad.set(f32.subarray(PARAMS >> 2, (PARAMS >> 2) + P));
      weightDecayGradNaive(params, grad, n, weightDecay); // n λ W, as the reference adds it (trainBatch folds it into the wasm sgd)
      return stats;
    },
    trainBatch(params: Float32Array, ds: Dataset, order: Uint32Array | null, start: number, n: number, softmax: SoftmaxVariant, lr: number, weightDecay = 0): StepStats {
      check(n);
      const stats = batch(params, ds, order, start, n, softmax, false);
      if (!stats) return trainByReference(reference(n), params, ds, order, start, n, softmax, lr, weightDecay);
      if (!Number.isFinite(stats.lossSum)) return { ...stats, outcome: 'loss' };
      // d2l's sgd with weight decay: W ← W − lr (grad / n + λ W), computed as (1 − lr λ) W − (lr / n) grad, and
      // b ← b − (lr / n) grad_b; W and b come back in the caller's layout. λ = 0 multiplies W by exactly 1.
      const status = ex.sgdUpdate(grads[0], grads[1], grads[2], grads[3], gradCount, LAYOUT.wT, LAYOUT.b, lr / n, 1 - lr * weightDecay, PARAMS);
      if (status === 1) return { ...stats, outcome: 'gradient' };
      if (status === 2) return { ...stats, outcome: 'weights' };
      params.set(f32.subarray(PARAMS >> 2, (PARAMS >> 2) + P));
      return { ...stats, outcome: 'updated' };
    },
    countCorrect(params: Float32Array, ds: Dataset, start: number, n: number): number {
      f32.set(params, PARAMS >> 2);
      if (!ex.loadParams(PARAMS, LAYOUT.wT, LAYOUT.b)) return reference(Math.min(n, 256)).countCorrect(params, ds, start, n);
      let correct = 0;
      const bank = 1 - ahead.bank; // leave a batch staged ahead in place
      for (let r0 = 0; r0 < n; r0 += ROUND_ROWS) {
        const m = Math.min(ROUND_ROWS, n - r0);
        splitRound(m, unitSize);
        p.run({ kind: 'count', naive: false, bank, rows: unitSize, stage: (g) => stage(ds, null, start + r0 + unitRows(m, g).start, unitSize[g], bank * GROUPS + g) });
        for (let g = 0; g < GROUPS; g++) if (unitSize[g] > 0) correct += unitCorrect(p.views, p.owners[g], g);
      }
      return correct;
    },
    logits(params: Float32Array, x: Float32Array, n: number, out: Float32Array): void {
      logitsDense(params, x, n, out);
    },
  };
}

/** trainBatch through another backend's batchGradient and model.ts's sgdStep (non-finite parameters). */
function trainByReference(kernels: Kernels, params: Float32Array, ds: Dataset, order: Uint32Array | null, start: number, n: number, softmax: SoftmaxVariant, lr: number, weightDecay: number): StepStats {
  const grad = new Float32Array(P);
  const stats = kernels.batchGradient(params, grad, ds, order, start, n, softmax, weightDecay);
  if (!Number.isFinite(stats.lossSum)) return { ...stats, outcome: 'loss' };
  if (!allFinite(grad)) return { ...stats, outcome: 'gradient' };
  const next = params.slice();
  if (!sgdStep(next, grad, lr, n)) return { ...stats, outcome: 'weights' };
  params.set(next);
  return { ...stats, outcome: 'updated' };
}
