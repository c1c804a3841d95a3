// The fast kernels (WebAssembly SIMD 'fast' and pure-JS 'fast-js') against the plain reference on
// seeded fixtures: gradients (also with weight decay), loss, accuracy counts, logits and the fused SGD step
// with and without weight decay, with explicit tolerances and the max difference printed (llm.c's check_tensor). Norm: max|fast - ref| / max(1e-6, max|ref|) over the tensor.
// Legend: N = batch rows, D = 784, K = 10.

import { describe, expect, it, vi } from 'vitest';
import { identityOrder, shuffleOrder, type Dataset } from '../../../core/dataset';
import { createFastKernels, wasmSimdAvailable } from '../../../core/kernels/fast';
import { createFastJsKernels } from '../../../core/kernels/fast-js';
import { createReferenceKernels, linearForwardNaive } from '../../../core/kernels/reference';
import type { Kernels, SoftmaxVariant } from '../../../core/kernels/types';
import { accOffset, LAYOUT, outOffset, scratchOffset, slotOffset } from '../../../core/kernels/wasm-simd/layout';
import { instantiateKernels, kernelModuleBytes } from '../../../core/kernels/wasm-simd/module';
import type { WasmApi } from '../../../core/kernels/wasm-simd/runtime';
import { sgdStep } from '../../../core/model';
import { createRng, nextFloat, nextInt, nextNormal } from '../../../core/rng';
import { softmaxStable } from '../../../core/softmax';
import { NUM_CLASSES as K, NUM_INPUTS as D, NUM_PARAMS } from '../../../core/shapes';
import { maxRelDiff } from '../../fixtures/rel-diff';

/** Relative tolerance of the float32-summing wasm kernels (the bound). */
const TOL_FAST = 1e-5;

/** Seeded images like Fashion-MNIST's mix: ~half 0, some 255, rows 0 and 1 all 0 and all 255. */
function fixture(count: number, seed: number): Dataset {
  const rng = createRng(seed);
  const images = new Uint8Array(count * D); // (count, D)
  const labels = new Uint8Array(count); // (count)
  for (let i = 0; i < count; i++) {
    labels[i] = nextInt(rng, K);
    for (let d = 0; d < D; d++) {
      const u = nextFloat(rng);
      images[i * D + d] = i === 0 ? 0 : i === 1 ? 255 : u < 0.5 ? 0 : u < 0.6 ? 255 : nextInt(rng, 256);
    }
  }
  return { count, images, labels };
}

/** W ~ N(0, std^2), b ~ N(0, std^2). (D*K + K) */
function randomParams(seed: number, std: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: NUM_PARAMS }, () => nextNormal(rng, 0, std));
}

const kernelsUnderTest: [string, (maxBatch: number) => Kernels, number][] = [
  ['fast', createFastKernels, TOL_FAST],
  ['fast-js', createFastJsKernels, 0], // same float64 sums in the same order: bit for bit
];

describe('wasm SIMD availability', () => {
  it('the module validates and createFastKernels uses it (Node has wasm SIMD)', () => {
    expect(WebAssembly.validate(kernelModuleBytes() as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(wasmSimdAvailable()).toBe(true);
    expect(createFastKernels(4).name).toBe('fast (wasm SIMD, 1 thread)');
    expect(createFastKernels(4).threads).toBe(1);
  });

  it('falls back to fast-js where WebAssembly is missing', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const fresh = await import('../../../core/kernels/fast');
      expect(fresh.wasmSimdAvailable()).toBe(false);
      expect(fresh.createFastKernels(4).name).toBe('fast-js');
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('falls back to fast-js where compiling wasm throws (a CSP without wasm-unsafe-eval)', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', {
      validate: () => true,
      Module: class {
        constructor() {
          throw new Error('Refused to compile or instantiate WebAssembly module');
        }
      },
      Instance: class {},
    });
    try {
      const fresh = await import('../../../core/kernels/fast');
      expect(fresh.createFastKernels(4).name).toBe('fast-js');
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});

describe('wasm forward logits', () => {
  it('match the reference linear layer on every fixture row within 1e-5', () => {
    const ds = fixture(40, 3);
    const params = randomParams(4, 0.05);
    const { exports: ex, buffer } = instantiateKernels(WebAssembly as unknown as WasmApi, new WebAssembly.Module(kernelModuleBytes('relaxed') as Uint8Array<ArrayBuffer>));
    const m32 = new Float32Array(buffer);
    const m8 = new Uint8Array(buffer);
    m32.set(params, LAYOUT.params / 4);
    expect(ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b)).toBe(1);
    for (let d = 0; d < D; d += 97) for (let k = 0; k < K; k++) expect(m32[LAYOUT.wT / 4 + k * D + d]).toBe(params[d * K + k]); // transposed
    m8.set(ds.images, slotOffset(0, 'images'));
    ex.masksChunk(slotOffset(0, 'images'), ds.count, scratchOffset(0, 'masks'));
    ex.forwardChunk(LAYOUT.wT, LAYOUT.b, slotOffset(0, 'images'), scratchOffset(0, 'masks'), ds.count, scratchOffset(0, 'logits'));
    const got = m32.slice(scratchOffset(0, 'logits') / 4, scratchOffset(0, 'logits') / 4 + ds.count * K); // (N, K)
    const x = Float32Array.from(ds.images, (v) => v / 255); // (N, D)
    const want = new Float32Array(ds.count * K); // (N, K)
    linearForwardNaive(params, x, ds.count, want);
    const rel = maxRelDiff(got, want);
    console.log(`wasm forward logits: max rel diff ${rel.toExponential(2)}`);
    expect(rel).toBeLessThanOrEqual(TOL_FAST);
  });
});

describe('wasm parameters in and out', () => {
  const kernels = (): { ex: ReturnType<typeof instantiateKernels>['exports']; m32: Float32Array; u32: Uint32Array } => {
    const { exports: ex, buffer } = instantiateKernels(WebAssembly as unknown as WasmApi, new WebAssembly.Module(kernelModuleBytes('relaxed') as Uint8Array<ArrayBuffer>));
    return { ex, m32: new Float32Array(buffer), u32: new Uint32Array(buffer) };
  };
  const P0 = LAYOUT.params / 4;
  const W0 = LAYOUT.wT / 4;
  const B0 = LAYOUT.b / 4;
  // Every bit pattern kind a weight can hold, -0 and subnormals included: the transpose moves bits.
  const params = randomParams(51, 0.05);
  params.set([-0, 1e-40, -3e38, 3e38], 4 * K + 3);

  it('loadParams transposes every weight into wT bit for bit, b into its three vectors (lanes 10, 11 zero)', () => {
    const { ex, m32, u32 } = kernels();
    m32.fill(7, W0, W0 + K * D);
    m32.fill(7, B0, B0 + 12);
    m32.set(params, P0);
    expect(ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b)).toBe(1);
    const bits = new Uint32Array(params.buffer);
    const wrong: string[] = [];
    for (let d = 0; d < D; d++) for (let k = 0; k < K; k++) if (u32[W0 + k * D + d] !== bits[d * K + k]) wrong.push(`W[${d}, ${k}]`);
    expect(wrong).toEqual([]);
    expect(Array.from(m32.subarray(B0, B0 + 12))).toEqual([...Array.from(params.subarray(D * K)), 0, 0]);
  });

  it('storeGrad writes a group back in the (D, K) + K layout bit for bit, and nothing past it', () => {
    const { ex, m32, u32 } = kernels();
    m32.set(params, P0);
    ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b);
    const group = accOffset(0) / 4;
    m32.set(m32.subarray(W0, W0 + K * D), group); // gradT := wT
    m32.set(m32.subarray(B0, B0 + 12), group + K * D); // gradB := b
    m32.fill(NaN, P0, P0 + NUM_PARAMS + 16); // the params region and what follows it
    const after = u32.slice(P0 + NUM_PARAMS, P0 + NUM_PARAMS + 16);
    ex.storeGrad(accOffset(0), LAYOUT.params);
    expect(Buffer.from(m32.slice(P0, P0 + NUM_PARAMS).buffer).equals(Buffer.from(params.buffer))).toBe(true);
    expect(u32.slice(P0 + NUM_PARAMS, P0 + NUM_PARAMS + 16)).toEqual(after);
  });

  it('loadParams says 0 for a NaN or an infinity anywhere in W or b, and 1 for the largest finite floats', () => {
    const { ex, m32 } = kernels();
    const at = [0, 3, 9, 10, 4 * K + 8, 781 * K + 5, D * K - 2, D * K - 1, D * K, D * K + 9];
    for (const i of at) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        m32.set(params, P0);
        m32[P0 + i] = bad;
        expect(ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b), `${bad} at ${i}`).toBe(0);
      }
      m32.set(params, P0);
      m32[P0 + i] = -3.4e38;
      expect(ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b), `-3.4e38 at ${i}`).toBe(1);
    }
  });
});

describe.each(kernelsUnderTest)('%s kernels vs reference', (name, create, tol) => {
  const ds = fixture(300, 7);
  const ref = createReferenceKernels(256);
  const fast = create(256);
  const order = identityOrder(ds.count);
  shuffleOrder(createRng(9), order);
  const cases: [string, Uint32Array | null, number, number, number][] = [
    // label, order, start, n, weight std
    ['full batch of 256, shuffled', order, 0, 256, 0.01],
    ['partial batch of 44, shuffled', order, 256, 44, 0.01],
    ['batch of 1 (the all-zero image)', null, 0, 1, 0.01],
    ['batch of 1 (the all-255 image)', null, 1, 1, 0.05],
    ['batch of 100 in file order, larger weights', null, 150, 100, 0.5],
  ];
  for (const softmax of ['stable', 'naive'] as SoftmaxVariant[]) {
    for (const [label, ord, start, n, std] of cases) {
      it(`${softmax}: ${label}: gradient, loss and count within ${tol}`, () => {
        const params = randomParams(start + n, std);
        const gRef = new Float32Array(NUM_PARAMS); // (D*K + K)
        const gFast = new Float32Array(NUM_PARAMS).fill(123); // must be overwritten
        const sRef = ref.batchGradient(params, gRef, ds, ord, start, n, softmax);
        const sFast = fast.batchGradient(params, gFast, ds, ord, start, n, softmax);
        const gradRel = maxRelDiff(gFast, gRef);
        const lossRel = Math.abs(sFast.lossSum - sRef.lossSum) / Math.max(1e-6, Math.abs(sRef.lossSum));
        console.log(`${name} ${softmax} ${label}: grad max rel diff ${gradRel.toExponential(2)}, loss rel diff ${lossRel.toExponential(2)}`);
        expect(gradRel).toBeLessThanOrEqual(tol);
        expect(lossRel).toBeLessThanOrEqual(tol);
        expect(sFast.correct).toBe(sRef.correct);
      });
    }
  }

  it('naive softmax overflow: both give a NaN loss and NaN in the same gradient entries', () => {
    const params = new Float32Array(NUM_PARAMS).fill(0.5); // logits ~ 0.5 * sum of pixels >> 88: exp overflows
    params[D * K + 3] = -1000; // except class 3's, so its column stays finite (its p is finite / Infinity = 0)
    const gRef = new Float32Array(NUM_PARAMS);
    const gFast = new Float32Array(NUM_PARAMS);
    const sRef = ref.batchGradient(params, gRef, ds, null, 2, 8, 'naive');
    const sFast = fast.batchGradient(params, gFast, ds, null, 2, 8, 'naive');
    expect(sRef.lossSum).toBeNaN();
    expect(sFast.lossSum).toBeNaN();
    const nanRef = Array.from(gRef, Number.isNaN);
    expect(nanRef.some(Boolean)).toBe(true);
    expect(Array.from(gFast, Number.isNaN)).toEqual(nanRef);
    expect(nanRef.every(Boolean)).toBe(false);
    // The stable softmax on the same weights without the bias trick stays finite (uniform p) and agrees.
    params[D * K + 3] = 0;
    const a = ref.batchGradient(params, gRef, ds, null, 2, 8, 'stable');
    const b = fast.batchGradient(params, gFast, ds, null, 2, 8, 'stable');
    expect(Number.isFinite(a.lossSum)).toBe(true);
    expect(Math.abs(b.lossSum - a.lossSum) / Math.abs(a.lossSum)).toBeLessThanOrEqual(Math.max(tol, 1e-6));
    expect(maxRelDiff(gFast, gRef)).toBeLessThanOrEqual(Math.max(tol, 1e-6));
  });

  it('stable softmax with huge logits (label probabilities below 1e-30) still agrees', () => {
    const params = randomParams(12, 1.2); // logits spread over ~100: some probabilities of the label below 1e-30
    const gRef = new Float32Array(NUM_PARAMS);
    const gFast = new Float32Array(NUM_PARAMS);
    const sRef = ref.batchGradient(params, gRef, ds, order, 0, 64, 'stable');
    const sFast = fast.batchGradient(params, gFast, ds, order, 0, 64, 'stable');
    const gradRel = maxRelDiff(gFast, gRef);
    const lossRel = Math.abs(sFast.lossSum - sRef.lossSum) / Math.abs(sRef.lossSum);
    console.log(`${name} huge logits: loss ${sRef.lossSum.toFixed(1)}, grad max rel diff ${gradRel.toExponential(2)}, loss rel diff ${lossRel.toExponential(2)}`);
    expect(Number.isFinite(sRef.lossSum)).toBe(true);
    expect(gradRel).toBeLessThanOrEqual(Math.max(tol, 1e-6));
    expect(lossRel).toBeLessThanOrEqual(Math.max(tol, 1e-6));
    expect(sFast.correct).toBe(sRef.correct);
  });

  it('stable softmax: a label probability of exactly 0 in float32 still gives a finite loss, as the reference', () => {
    const params = randomParams(13, 6); // logits spread over thousands: many labels' float32 probabilities are 0
    const gRef = new Float32Array(NUM_PARAMS);
    const gFast = new Float32Array(NUM_PARAMS);
    const sRef = ref.batchGradient(params, gRef, ds, order, 0, 64, 'stable');
    const sFast = fast.batchGradient(params, gFast, ds, order, 0, 64, 'stable');
    // The textbook -log p would be Infinity for these rows: count them, so the case is not vacuous.
    const logits = new Float32Array(64 * K);
    const x = new Float32Array(64 * D);
    for (let r = 0; r < 64; r++) for (let d = 0; d < D; d++) x[r * D + d] = ds.images[order[r] * D + d] / 255;
    linearForwardNaive(params, x, 64, logits);
    const p = new Float32Array(64 * K);
    softmaxStable(logits, 64, K, p);
    const zeroRows = Array.from({ length: 64 }, (_, r) => p[r * K + ds.labels[order[r]]]).filter((v) => v === 0).length;
    const lossRel = Math.abs(sFast.lossSum - sRef.lossSum) / Math.abs(sRef.lossSum);
    console.log(`${name} p_y = 0 in ${zeroRows}/64 rows: loss ${sRef.lossSum.toFixed(0)}, loss rel diff ${lossRel.toExponential(2)}`);
    expect(zeroRows).toBeGreaterThan(10);
    expect(Number.isFinite(sRef.lossSum)).toBe(true);
    expect(lossRel).toBeLessThanOrEqual(Math.max(tol, 1e-6));
    expect(maxRelDiff(gFast, gRef)).toBeLessThanOrEqual(Math.max(tol, 1e-6));
    expect(sFast.correct).toBe(sRef.correct);
  });

  it('non-finite parameters give the reference result (NaN spreads through zero pixels too)', () => {
    const params = randomParams(1, 0.01);
    params[5 * K + 2] = Infinity;
    const gRef = new Float32Array(NUM_PARAMS);
    const gFast = new Float32Array(NUM_PARAMS);
    const sRef = ref.batchGradient(params, gRef, ds, null, 0, 16, 'stable');
    const sFast = fast.batchGradient(params, gFast, ds, null, 0, 16, 'stable');
    expect(sFast).toEqual(sRef);
    expect(Array.from(gFast, Number.isNaN)).toEqual(Array.from(gRef, Number.isNaN));
    expect(fast.countCorrect(params, ds, 0, 50)).toBe(ref.countCorrect(params, ds, 0, 50));
  });

  it('countCorrect equals the reference over ranges that cross the 256-row chunk', () => {
    const params = randomParams(2, 0.05);
    for (const [start, n] of [[0, 300], [17, 283], [299, 1], [5, 0]]) {
      expect(fast.countCorrect(params, ds, start, n)).toBe(ref.countCorrect(params, ds, start, n));
    }
  });

  it('logits of float inputs match the reference within 1e-5', () => {
    const params = randomParams(3, 0.05);
    const n = 9;
    const x = Float32Array.from({ length: n * D }, (_, i) => ds.images[i] / 255); // (n, D)
    const want = new Float32Array(n * K); // (n, K)
    const got = new Float32Array(n * K); // (n, K)
    ref.logits(params, x, n, want);
    fast.logits(params, x, n, got);
    const rel = maxRelDiff(got, want);
    console.log(`${name} logits: max rel diff ${rel.toExponential(2)}`);
    expect(rel).toBeLessThanOrEqual(1e-5);
  });

  it('a batch larger than the 256-image staging chunk (300 rows, maxBatch 512) matches too', () => {
    const big = create(512);
    const params = randomParams(8, 0.05);
    const gRef = new Float32Array(NUM_PARAMS);
    const gFast = new Float32Array(NUM_PARAMS);
    const sRef = createReferenceKernels(512).batchGradient(params, gRef, ds, order, 0, 300, 'stable');
    const sFast = big.batchGradient(params, gFast, ds, order, 0, 300, 'stable');
    const gradRel = maxRelDiff(gFast, gRef);
    console.log(`${name} 300-row batch: grad max rel diff ${gradRel.toExponential(2)}`);
    expect(gradRel).toBeLessThanOrEqual(tol);
    expect(Math.abs(sFast.lossSum - sRef.lossSum) / sRef.lossSum).toBeLessThanOrEqual(tol);
    expect(sFast.correct).toBe(sRef.correct);
  });

  for (const weightDecay of [1e-4, 0.01, 1]) {
    it(`weight decay ${weightDecay}: the gradient gains n λ W as the reference's does, within ${tol}`, () => {
      const params = randomParams(31, 0.05);
      const gRef = new Float32Array(NUM_PARAMS);
      const gFast = new Float32Array(NUM_PARAMS);
      const sRef = ref.batchGradient(params, gRef, ds, order, 0, 256, 'stable', weightDecay);
      const sFast = fast.batchGradient(params, gFast, ds, order, 0, 256, 'stable', weightDecay);
      const gradRel = maxRelDiff(gFast, gRef);
      console.log(`${name} weight decay ${weightDecay}: grad max rel diff ${gradRel.toExponential(2)}`);
      expect(gradRel).toBeLessThanOrEqual(tol);
      // The loss is the cross-entropy alone, the penalty not included, as the reference's.
      expect(sFast.correct).toBe(sRef.correct);
      expect(Math.abs(sFast.lossSum - sRef.lossSum) / sRef.lossSum).toBeLessThanOrEqual(tol);
      const plain = new Float32Array(NUM_PARAMS);
      fast.batchGradient(params, plain, ds, order, 0, 256, 'stable');
      expect(maxRelDiff(gFast, plain)).toBeGreaterThan(weightDecay * 1e-3); // the decay is there
      expect(gFast.subarray(D * K)).toEqual(plain.subarray(D * K)); // and not on the bias
    });
  }

  it('weight decay 0 is the same, bit for bit, as none', () => {
    const params = randomParams(32, 0.05);
    const a = new Float32Array(NUM_PARAMS);
    const b = new Float32Array(NUM_PARAMS);
    expect(fast.batchGradient(params, a, ds, order, 0, 256, 'naive', 0)).toEqual(fast.batchGradient(params, b, ds, order, 0, 256, 'naive'));
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it('refuses a batch larger than maxBatch', () => {
    const small = create(8);
    expect(() => small.batchGradient(randomParams(1, 0.01), new Float32Array(NUM_PARAMS), ds, null, 0, 9, 'stable')).toThrow(RangeError);
  });
});

describe('fast trainBatch: the gradient and d2l sgd fused in wasm', () => {
  const ds = fixture(300, 21);
  const order = identityOrder(ds.count);
  shuffleOrder(createRng(22), order);

  it('updates the parameters as batchGradient then model.ts sgdStep do, within float32 rounding', () => {
    const fast = createFastKernels(256);
    const start = randomParams(23, 0.05);
    const fused = start.slice();
    const stats = fast.trainBatch?.(fused, ds, order, 0, 256, 'stable', 0.1);
    expect(stats?.outcome).toBe('updated');
    const grad = new Float32Array(NUM_PARAMS);
    const two = start.slice();
    const s2 = createReferenceKernels(256).batchGradient(two, grad, ds, order, 0, 256, 'stable');
    expect(sgdStep(two, grad, 0.1, 256)).toBe(true);
    const rel = maxRelDiff(fused, two);
    console.log(`fast trainBatch vs reference gradient + sgdStep: weights max rel diff ${rel.toExponential(2)}`);
    expect(rel).toBeLessThanOrEqual(1e-6);
    expect(Math.abs((stats?.lossSum ?? 0) - s2.lossSum) / s2.lossSum).toBeLessThanOrEqual(TOL_FAST);
    expect(stats?.correct).toBe(s2.correct);
  });

  for (const [weightDecay, lr] of [[1e-4, 0.1], [0.01, 0.1], [0.01, 3], [1, 0.5]] as const) {
    it(`with weight decay ${weightDecay} at lr ${lr}: W ← W − lr (grad / n + λ W), b undecayed, as the reference gradient + sgdStep`, () => {
      const fast = createFastKernels(256);
      const start = randomParams(26, 0.05);
      const fused = start.slice();
      const stats = fast.trainBatch?.(fused, ds, order, 0, 256, 'stable', lr, weightDecay);
      expect(stats?.outcome).toBe('updated');
      const grad = new Float32Array(NUM_PARAMS);
      const two = start.slice();
      createReferenceKernels(256).batchGradient(two, grad, ds, order, 0, 256, 'stable', weightDecay);
      expect(sgdStep(two, grad, lr, 256)).toBe(true);
      const rel = maxRelDiff(fused, two);
      // The same step without decay, to see the decay's own size: (lr λ) |W|.
      const plain = start.slice();
      fast.trainBatch?.(plain, ds, order, 0, 256, 'stable', lr);
      const decayRel = maxRelDiff(fused, plain);
      console.log(`fast trainBatch λ=${weightDecay} lr=${lr} vs reference: weights max rel diff ${rel.toExponential(2)} (the decay itself moves them by ${decayRel.toExponential(2)})`);
      expect(rel).toBeLessThanOrEqual(1e-6);
      expect(decayRel).toBeGreaterThan(100 * rel);
      expect(fused.subarray(D * K)).toEqual(plain.subarray(D * K)); // the bias is not decayed
    });
  }

  it('sgdUpdate with a zero gradient multiplies W by decay = 1 − lr λ exactly and leaves b; decay 1 changes nothing', () => {
    const { exports: ex, buffer } = instantiateKernels(WebAssembly as unknown as WasmApi, new WebAssembly.Module(kernelModuleBytes('relaxed') as Uint8Array<ArrayBuffer>));
    const m32 = new Float32Array(buffer);
    const params = randomParams(27, 0.05);
    const group = accOffset(0) / 4;
    m32.fill(0, group, group + K * D + 12);
    m32.set(params, LAYOUT.params / 4);
    ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b);
    expect(ex.sgdUpdate(accOffset(0), 0, 0, 0, 1, LAYOUT.wT, LAYOUT.b, 0.1, 1, LAYOUT.params)).toBe(0);
    expect(m32.slice(LAYOUT.params / 4, LAYOUT.params / 4 + NUM_PARAMS)).toEqual(params);
    const decay = Math.fround(1 - 0.1 * 0.01);
    expect(ex.sgdUpdate(accOffset(0), 0, 0, 0, 1, LAYOUT.wT, LAYOUT.b, 0.1, decay, LAYOUT.params)).toBe(0);
    const got = m32.slice(LAYOUT.params / 4, LAYOUT.params / 4 + NUM_PARAMS);
    for (let i = 0; i < D * K; i += 13) expect(got[i]).toBe(Math.fround(params[i] * decay));
    expect(got.subarray(D * K)).toEqual(params.subarray(D * K));
  });

  it('leaves the parameters alone when the loss is not finite (the textbook softmax overflowed)', () => {
    const fast = createFastKernels(16);
    const params = new Float32Array(NUM_PARAMS).fill(0.5); // logits ~ 0.5 * sum of pixels >> 88
    const before = params.slice();
    const stats = fast.trainBatch?.(params, ds, null, 2, 8, 'naive', 0.1);
    expect(stats?.outcome).toBe('loss');
    expect(stats?.lossSum).toBeNaN();
    expect(params).toEqual(before);
    // the stable softmax on the same weights trains on
    expect(fast.trainBatch?.(params, ds, null, 2, 8, 'stable', 0.1).outcome).toBe('updated');
  });

  it('sgdUpdate on n unit groups sums them as addGroup does, then updates: the same bits as summing first, for n = 1 to 4', () => {
    const { exports: ex, buffer } = instantiateKernels(WebAssembly as unknown as WasmApi, new WebAssembly.Module(kernelModuleBytes('relaxed') as Uint8Array<ArrayBuffer>));
    const m32 = new Float32Array(buffer);
    const params = randomParams(31, 0.05);
    const groups = [0, 1, 2, 3].map((g) => outOffset(1, g, 'group'));
    groups.forEach((at, g) => {
      const grad = randomParams(40 + g, 3); // (D K + K) floats: gradT's slots then gradB's
      m32.set(grad.subarray(0, K * D), at / 4);
      m32.set(grad.subarray(K * D), at / 4 + K * D);
      m32.fill(0, at / 4 + K * D + K, at / 4 + K * D + 12);
    });
    for (let n = 1; n <= 4; n++) {
      // summed first, as a batch of several rounds is
      m32.set(params, LAYOUT.params / 4);
      ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b);
      for (let g = 0; g < n; g++) ex.addGroup(accOffset(0), groups[g], g === 0 ? 1 : 0);
      expect(ex.sgdUpdate(accOffset(0), 0, 0, 0, 1, LAYOUT.wT, LAYOUT.b, 0.1 / 256, 1 - 0.1 * 0.001, LAYOUT.params)).toBe(0);
      const summedFirst = m32.slice(LAYOUT.params / 4, LAYOUT.params / 4 + NUM_PARAMS);
      // summed on the way
      m32.set(params, LAYOUT.params / 4);
      ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b);
      expect(ex.sgdUpdate(groups[0], groups[1], groups[2], groups[3], n, LAYOUT.wT, LAYOUT.b, 0.1 / 256, 1 - 0.1 * 0.001, LAYOUT.params)).toBe(0);
      const onTheWay = m32.slice(LAYOUT.params / 4, LAYOUT.params / 4 + NUM_PARAMS);
      expect(Buffer.from(onTheWay.buffer).equals(Buffer.from(summedFirst.buffer)), `n = ${n}`).toBe(true);
      expect(onTheWay).not.toEqual(params);
    }
  });

  it('sgdUpdate: 2 when an updated weight would not be finite, 1 when the gradient is not, and then writes nothing', () => {
    // Unreachable through a Trainer (|lr * grad / n| <= 1000 cannot move a finite float32 past the largest
    // one), so the wasm function is driven directly with a made-up gradient.
    const { exports: ex, buffer } = instantiateKernels(WebAssembly as unknown as WasmApi, new WebAssembly.Module(kernelModuleBytes('relaxed') as Uint8Array<ArrayBuffer>));
    const m32 = new Float32Array(buffer);
    const params = randomParams(24, 0.01);
    m32.set(params, LAYOUT.params / 4);
    ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b);
    const group = accOffset(0) / 4;
    m32.fill(0, group, group + K * D + 12);
    m32[group + 3 * D + 7] = 3e38; // gradT[3, 7]
    expect(ex.sgdUpdate(accOffset(0), 0, 0, 0, 1, LAYOUT.wT, LAYOUT.b, 100, 1, LAYOUT.params)).toBe(2);
    expect(m32.slice(LAYOUT.params / 4, LAYOUT.params / 4 + NUM_PARAMS)).toEqual(params);
    m32[group + 3 * D + 7] = NaN;
    expect(ex.sgdUpdate(accOffset(0), 0, 0, 0, 1, LAYOUT.wT, LAYOUT.b, 0.1, 1, LAYOUT.params)).toBe(1);
    m32[group + 3 * D + 7] = 2;
    ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b);
    expect(ex.sgdUpdate(accOffset(0), 0, 0, 0, 1, LAYOUT.wT, LAYOUT.b, 0.25, 1, LAYOUT.params)).toBe(0);
    expect(m32[LAYOUT.params / 4 + 7 * K + 3]).toBe(Math.fround(params[7 * K + 3] - 0.5));
  });

  it('non-finite parameters go through the reference, which reports the NaN loss', () => {
    const fast = createFastKernels(16);
    const params = randomParams(25, 0.01);
    params[5 * K + 2] = Infinity;
    const before = params.slice();
    expect(fast.trainBatch?.(params, ds, null, 0, 16, 'stable', 0.1).outcome).toBe('loss');
    expect(Array.from(params)).toEqual(Array.from(before));
  });
});
