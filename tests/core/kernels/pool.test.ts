// The kernel pool's contract without real threads: the job protocol on a shared memory (a host whose
// helpers never start, so the calling thread claims every unit) gives the same numbers as the plain
// one-thread path, bit for bit; the cut of a batch into rounds and units covers large and odd batches;
// names and notes say how many threads run. Real helper threads: tests/node/threads.
// Legend: D = 784, K = 10.

import { describe, expect, it } from 'vitest';
import { identityOrder, shuffleOrder, type Dataset } from '../../../core/dataset';
import { createFastKernels, fastKernelName } from '../../../core/kernels/fast';
import { createKernelPool, DEFAULT_MAX_THREADS, defaultThreadCount, windowThreadCount, type KernelPool, type KernelThreads } from '../../../core/kernels/pool';
import { DATA_PAGES, MAX_THREADS, MEMORY_PAGES, WASM_PAGE_BYTES } from '../../../core/kernels/wasm-simd/layout';
import { createReferenceKernels } from '../../../core/kernels/reference';
import { maxRelDiff } from '../../fixtures/rel-diff';
import { createRng, nextInt, nextNormal } from '../../../core/rng';
import { NUM_CLASSES as K, NUM_INPUTS as D, NUM_PARAMS } from '../../../core/shapes';

function fixture(count: number, seed: number): Dataset {
  const rng = createRng(seed);
  const images = Uint8Array.from({ length: count * D }, () => (nextInt(rng, 2) ? nextInt(rng, 256) : 0));
  const labels = Uint8Array.from({ length: count }, () => nextInt(rng, K));
  return { count, images, labels };
}

/** Helpers that are "started" but never run: the calling thread must do every unit through the job protocol. */
const idleHelpers = (helpers: number): KernelThreads & { started: number; stopped: number } => {
  const t = {
    helpers,
    started: 0,
    stopped: 0,
    spawn: () => {
      t.started++;
      return () => void t.stopped++;
    },
  };
  return t;
};

describe('createKernelPool', () => {
  it('one thread without a host; with one, a shared memory and the helpers it asked for', () => {
    const plain = createKernelPool();
    expect(plain?.threads).toBe(1);
    expect(plain?.build).toBe('relaxed');
    expect(plain?.note).toBeNull();
    const host = idleHelpers(3);
    const pooled = createKernelPool(host);
    expect(pooled?.threads).toBe(4);
    expect(pooled?.build).toBe('relaxed-shared');
    expect(pooled?.instance.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(host.started).toBe(3);
    expect(fastKernelName(pooled as NonNullable<typeof pooled>)).toBe('fast (wasm SIMD, 4 threads)');
    pooled?.close();
    expect(host.stopped).toBe(3);
    expect(pooled?.threads).toBe(1); // still works, on this thread
  });

  it('falls back to one thread, and says why, where memory cannot be shared (a page that is not cross-origin isolated)', () => {
    const g = globalThis as { crossOriginIsolated?: boolean };
    g.crossOriginIsolated = false;
    try {
      const host = idleHelpers(1);
      const pool = createKernelPool(host);
      expect(host.started).toBe(0);
      expect(pool?.threads).toBe(1);
      expect(pool?.note).toMatch(/not cross-origin isolated/);
      expect(fastKernelName(pool as NonNullable<typeof pool>)).toBe('fast (wasm SIMD, 1 thread: this page is not cross-origin isolated, so it cannot share memory)');
    } finally {
      delete g.crossOriginIsolated;
    }
  });

  it('windowThreadCount leaves the window a core: one thread on two cores, two from three', () => {
    expect([0, 1, 2, 3, 4, 8].map(windowThreadCount)).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('defaultThreadCount: one per core, at most two (each helper costs ~15 MB; up to four can be asked for)', () => {
    expect([0, 1, 2, 3, 4, 8, 64].map(defaultThreadCount)).toEqual([1, 1, 2, 2, 2, 2, 2]);
    expect(DEFAULT_MAX_THREADS).toBeLessThanOrEqual(MAX_THREADS);
  });
});

/** A 700-row fixture, a shuffled order of it and random parameters, from seeds `seed` .. `seed + 2`. */
function jobFixture(seed: number): { ds: Dataset; order: Uint32Array; params: Float32Array } {
  const ds = fixture(700, seed);
  const order = identityOrder(ds.count);
  shuffleOrder(createRng(seed + 1), order);
  const rng = createRng(seed + 2);
  return { ds, order, params: Float32Array.from({ length: NUM_PARAMS }, () => nextNormal(rng, 0, 0.05)) };
}

/** The batches the job tests run: [label, first row, rows]. */
const BATCHES = [['a batch of 256', 0, 256], ['a last batch of 188 (units of 47: odd units pair their last row)', 512, 188], ['a batch of 1', 3, 1], ['a batch of 700 (three rounds)', 0, 700]] as const;

describe('the job protocol on a shared memory gives the one-thread numbers, bit for bit', () => {
  const { ds, order, params } = jobFixture(1);
  for (const [label, start, n] of BATCHES) {
    it(label, () => {
      const one = createFastKernels(700, createKernelPool());
      const pool = createKernelPool(idleHelpers(1));
      const shared = createFastKernels(700, pool);
      const g1 = new Float32Array(NUM_PARAMS);
      const g2 = new Float32Array(NUM_PARAMS);
      const s1 = one.batchGradient(params, g1, ds, order, start, n, 'stable');
      const s2 = shared.batchGradient(params, g2, ds, order, start, n, 'stable');
      expect(s2).toEqual(s1);
      expect(Buffer.from(g2.buffer).equals(Buffer.from(g1.buffer))).toBe(true);
      // and within 1e-5 of the reference
      const gRef = new Float32Array(NUM_PARAMS);
      createReferenceKernels(700).batchGradient(params, gRef, ds, order, start, n, 'stable');
      expect(maxRelDiff(g2, gRef)).toBeLessThanOrEqual(1e-5);
      expect(shared.countCorrect(params, ds, start, n)).toBe(one.countCorrect(params, ds, start, n));
      pool?.close();
    });
  }
});

/** `ds` with its images in `pool`'s memory, after a 16-byte header as a loader's IDX file puts them. */
function inMemory(pool: KernelPool, ds: Dataset): Dataset {
  const file = pool.allocate(16 + ds.images.length);
  if (!file) throw new Error('the pool cannot hold the images');
  const images = file.subarray(16);
  images.set(ds.images);
  return { count: ds.count, images, labels: ds.labels };
}

describe('datasets in the kernels\' memory (KernelPool.allocate)', () => {
  it('an unshared memory cannot hold them; a shared one hands out zeroed, aligned, recognised views until DATA_PAGES is used up', () => {
    expect(createKernelPool()?.allocate(100)).toBeNull(); // growing it would detach its views
    const pool = createKernelPool(null, { datasets: true }) as KernelPool;
    expect(pool.build).toBe('relaxed-shared');
    expect(pool.threads).toBe(1);
    const a = pool.allocate(1000) as Uint8Array;
    const b = pool.allocate(70_000) as Uint8Array;
    expect(a.every((v) => v === 0) && b.every((v) => v === 0)).toBe(true);
    expect(pool.addressOf(a)).toBeGreaterThanOrEqual(MEMORY_PAGES * WASM_PAGE_BYTES); // past every region
    expect(pool.addressOf(a) % 64).toBe(0);
    expect(pool.addressOf(b)).toBeGreaterThanOrEqual(pool.addressOf(a) + 1000);
    expect(pool.addressOf(a.subarray(16))).toBe(pool.addressOf(a) + 16);
    a.fill(7); // an earlier view stays valid after the memory grew for a later one
    expect(new Uint8Array(pool.instance.memory.buffer, pool.addressOf(a), 1000).every((v) => v === 7)).toBe(true);
    expect(pool.addressOf(new Uint8Array(1000))).toBe(-1);
    expect(createKernelPool(null, { datasets: true })?.addressOf(a)).toBe(-1); // another pool's memory
    expect(pool.allocate(DATA_PAGES * WASM_PAGE_BYTES)).toBeNull();
    expect(pool.allocate(10)).not.toBeNull();
  });

  const { ds, order, params } = jobFixture(4);
  for (const [label, start, n] of BATCHES) {
    it(`${label}: rows gathered from where they lie give the copied rows' numbers, bit for bit, on 1 and 4 threads`, () => {
      const copied = createFastKernels(700, createKernelPool());
      const g1 = new Float32Array(NUM_PARAMS);
      const s1 = copied.batchGradient(params, g1, ds, order, start, n, 'naive');
      for (const pool of [createKernelPool(null, { datasets: true }), createKernelPool(idleHelpers(3))] as KernelPool[]) {
        const there = inMemory(pool, ds);
        const kernels = createFastKernels(700, pool);
        const g2 = new Float32Array(NUM_PARAMS);
        expect(kernels.batchGradient(params, g2, there, order, start, n, 'naive')).toEqual(s1);
        expect(Buffer.from(g2.buffer).equals(Buffer.from(g1.buffer))).toBe(true);
        expect(kernels.countCorrect(params, there, start, n)).toBe(copied.countCorrect(params, ds, start, n));
        const p1 = params.slice();
        const p2 = params.slice();
        expect(kernels.trainBatch?.(p2, there, order, start, n, 'stable', 0.1, 0.001)).toEqual(copied.trainBatch?.(p1, ds, order, start, n, 'stable', 0.1, 0.001));
        expect(Buffer.from(p2.buffer).equals(Buffer.from(p1.buffer))).toBe(true);
        pool.close();
      }
      // and within 1e-5 of the reference
      const gRef = new Float32Array(NUM_PARAMS);
      createReferenceKernels(700).batchGradient(params, gRef, ds, order, start, n, 'naive');
      const rel = maxRelDiff(g1, gRef);
      console.log(`${label}: rows in memory vs reference, max gradient diff ${rel.toExponential(2)} relative`);
      expect(rel).toBeLessThanOrEqual(1e-5);
    });
  }
});
