// The assembled kernel module (kernels.wat → kernels.wasm.gen.ts, four builds): each validates, imports
// only its memory (shared or not, as its name says), exports what the drivers call, the builds with and
// without relaxed SIMD agree within float32 rounding, and instantiateKernels refuses a module built for
// other shapes.

import { describe, expect, it } from 'vitest';
import { accOffset, LAYOUT, MEMORY_PAGES, outOffset, scratchOffset, slotOffset, WASM_PAGE_BYTES } from '../../../../core/kernels/wasm-simd/layout';
import { chooseBuild, createKernelMemory, instantiateKernels, KERNEL_EXPORTS, KERNEL_SHAPES, kernelModuleBytes, type KernelBuild } from '../../../../core/kernels/wasm-simd/module';
import type { WasmApi } from '../../../../core/kernels/wasm-simd/runtime';
import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../../../core/shapes';

const api = WebAssembly as unknown as WasmApi;
const BUILDS: KernelBuild[] = ['relaxed-shared', 'relaxed', 'simd-shared', 'simd'];
const bytesOf = (build: KernelBuild): Uint8Array<ArrayBuffer> => kernelModuleBytes(build) as Uint8Array<ArrayBuffer>;

/** A WasmApi whose instances export `exports` (to test the checks without a second module). */
function fakeApi(exports: Record<string, unknown>): WasmApi {
  return {
    validate: () => true,
    Module: class {},
    Instance: class {
      readonly exports = exports;
    },
    Memory: class {
      readonly buffer = new ArrayBuffer(0);
    },
  } as unknown as WasmApi;
}

describe('the kernel module', () => {
  it.each(BUILDS)('%s validates and imports one memory, env.mem, shared as its name says', (build) => {
    expect(WebAssembly.validate(bytesOf(build))).toBe(true);
    expect(WebAssembly.Module.imports(new WebAssembly.Module(bytesOf(build)))).toEqual([{ module: 'env', name: 'mem', kind: 'memory' }]);
    const memory = createKernelMemory(api, build.endsWith('shared'));
    expect(() => instantiateKernels(api, new WebAssembly.Module(bytesOf(build)), memory)).not.toThrow();
    const wrong = createKernelMemory(api, !build.endsWith('shared'));
    expect(() => instantiateKernels(api, new WebAssembly.Module(bytesOf(build)), wrong)).toThrow(/shared/);
  });

  it('exports the functions the drivers call and the shapes it is written for', () => {
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytesOf('relaxed')));
    for (const name of KERNEL_EXPORTS) expect(exports).toContainEqual({ name, kind: 'function' });
    for (const name of Object.keys(KERNEL_SHAPES)) expect(exports).toContainEqual({ name, kind: 'global' });
  });

  it('chooses relaxed SIMD where the engine validates it (Node does), plain SIMD otherwise', () => {
    expect(chooseBuild(api, true)).toBe('relaxed-shared');
    expect(chooseBuild(api, false)).toBe('relaxed');
    const noRelaxed = { ...api, validate: (b: Uint8Array) => b !== kernelModuleBytes('relaxed') && b !== kernelModuleBytes('relaxed-shared') } as WasmApi;
    expect(chooseBuild(noRelaxed, true)).toBe('simd-shared');
    expect(chooseBuild(noRelaxed, false)).toBe('simd');
    expect(chooseBuild({ ...api, validate: () => false } as WasmApi, false)).toBeNull();
  });

  it('instantiates with a memory of MEMORY_PAGES pages and core shapes', () => {
    const { exports, buffer } = instantiateKernels(api, new WebAssembly.Module(bytesOf('relaxed')));
    expect(buffer.byteLength).toBe(MEMORY_PAGES * WASM_PAGE_BYTES);
    for (const name of KERNEL_EXPORTS) expect(typeof exports[name]).toBe('function');
  });

  it('the fused multiply-add and the plain multiply-and-add builds give the same logits within float32 rounding', () => {
    const logits: Float32Array[] = [];
    for (const build of ['relaxed', 'simd'] as const) {
      const { exports: ex, buffer } = instantiateKernels(api, new WebAssembly.Module(bytesOf(build)));
      const f32 = new Float32Array(buffer);
      const u8 = new Uint8Array(buffer);
      for (let i = 0; i < K * D; i++) f32[LAYOUT.wT / 4 + i] = Math.sin(i) * 0.05;
      for (let i = 0; i < 2 * D; i++) u8[slotOffset(0, 'images') + i] = (i * 37) % 256;
      ex.masksChunk(slotOffset(0, 'images'), 2, scratchOffset(0, 'masks'));
      ex.forwardChunk(LAYOUT.wT, LAYOUT.b, slotOffset(0, 'images'), scratchOffset(0, 'masks'), 2, scratchOffset(0, 'logits'));
      logits.push(f32.slice(scratchOffset(0, 'logits') / 4, scratchOffset(0, 'logits') / 4 + 2 * K));
    }
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < 2 * K; i++) {
      diff = Math.max(diff, Math.abs(logits[0][i] - logits[1][i]));
      scale = Math.max(scale, Math.abs(logits[1][i]));
    }
    console.log(`relaxed vs plain SIMD logits: max rel diff ${(diff / scale).toExponential(2)}`);
    expect(diff / scale).toBeLessThanOrEqual(1e-6);
  });

  it('masksChunk marks exactly the 4-pixel groups with a nonzero pixel; forwardChunk reads those and no other', () => {
    const { exports: ex, buffer } = instantiateKernels(api, new WebAssembly.Module(bytesOf('relaxed')));
    const u8 = new Uint8Array(buffer);
    const f32 = new Float32Array(buffer);
    const i64 = new BigUint64Array(buffer);
    const img = slotOffset(0, 'images');
    const masks = scratchOffset(0, 'masks');
    const m = 5;
    // Sparse rows: a few pixels here and there, in every mask word, the first and the last group among them.
    const pixels = [[0], [3, 4, 255, 256, 511], [783], [1, 200, 400, 600, 700, 701, 702, 703], []];
    u8.fill(0, img, img + m * D);
    pixels.forEach((row, s) => row.forEach((d, i) => (u8[img + s * D + d] = 17 + 40 * i)));
    i64.fill(2n ** 64n - 1n, masks / 8, masks / 8 + m * 4);
    ex.masksChunk(img, m, masks);
    pixels.forEach((row, s) => {
      const want = [0n, 0n, 0n, 0n];
      for (const d of row) want[(d >> 2) >> 6] |= 1n << BigInt((d >> 2) & 63);
      expect(Array.from(i64.subarray(masks / 8 + s * 4, masks / 8 + s * 4 + 4)), `row ${s}`).toEqual(want);
    });
    // Weights that a skipped group would show: a group the mask leaves out (all its pixels 0) adds nothing,
    // and a marked one adds all four of its pixels.
    for (let i = 0; i < K * D; i++) f32[LAYOUT.wT / 4 + i] = 1 + (i % 7);
    f32.fill(0, LAYOUT.b / 4, LAYOUT.b / 4 + 12);
    const logits = scratchOffset(0, 'logits');
    ex.forwardChunk(LAYOUT.wT, LAYOUT.b, img, masks, m, logits);
    pixels.forEach((row, s) => {
      for (let k = 0; k < K; k++) {
        let want = 0;
        for (let d = 0; d < D; d++) want += (u8[img + s * D + d] / 255) * (1 + ((k * D + d) % 7));
        expect(f32[logits / 4 + s * K + k]).toBeCloseTo(want, 4);
      }
    });
  });

  it('masksTChunk marks, per 4-pixel group, exactly the rows with a nonzero pixel there; backwardCols sums those rows into every entry', () => {
    const { exports: ex, buffer } = instantiateKernels(api, new WebAssembly.Module(bytesOf('relaxed')));
    const u8 = new Uint8Array(buffer);
    const f32 = new Float32Array(buffer);
    const i64 = new BigUint64Array(buffer);
    const img = scratchOffset(0, 'images');
    const masksT = scratchOffset(0, 'masksT');
    const dl = scratchOffset(0, 'dlogits');
    const gradT = outOffset(0, 0, 'group');
    for (const m of [1, 2, 15, 16, 17, 33, 63, 64]) {
      // Rows past m hold nonzero bytes (the buffer's room, read in whole blocks of 16 rows): never marked.
      u8.fill(9, img, img + 64 * D);
      for (let r = 0; r < m; r++) for (let d = 0; d < D; d++) u8[img + r * D + d] = (r * 7 + d * 13) % 11 < 3 ? 1 + ((r + d) % 200) : 0;
      u8.fill(0, img + 3 * D, img + 4 * D); // an all-zero row among them
      for (let r = 0; r < m; r++) for (let k = 0; k < 12; k++) f32[dl / 4 + r * 12 + k] = k < K ? Math.sin(r * 10 + k) / 255 : 0;
      i64.fill(2n ** 64n - 1n, masksT / 8, masksT / 8 + D / 4);
      f32.fill(12345, gradT / 4, gradT / 4 + K * D);
      ex.masksTChunk(img, m, masksT);
      ex.backwardCols(gradT, img, masksT, dl);
      for (let j = 0; j < D / 4; j++) {
        let want = 0n;
        for (let r = 0; r < m; r++) if (u8[img + r * D + 4 * j] | u8[img + r * D + 4 * j + 1] | u8[img + r * D + 4 * j + 2] | u8[img + r * D + 4 * j + 3]) want |= 1n << BigInt(r);
        expect(i64[masksT / 8 + j], `m ${m}, group ${j}`).toBe(want);
      }
      for (let k = 0; k < K; k++) {
        for (let d = 0; d < D; d++) {
          let want = 0;
          for (let r = 0; r < m; r++) want += u8[img + r * D + d] * f32[dl / 4 + r * 12 + k];
          expect(f32[gradT / 4 + k * D + d]).toBeCloseTo(want, 4);
        }
      }
    }
  });

  it('softmaxChunk shifts each row by its max over the ten logits (NaN when one is NaN), never by what lies past them', () => {
    const { exports: ex, buffer } = instantiateKernels(api, new WebAssembly.Module(bytesOf('relaxed')));
    const f32 = new Float32Array(buffer);
    const i32 = new Int32Array(buffer);
    const logits = scratchOffset(0, 'logits');
    const stats = scratchOffset(0, 'stats');
    const labels = slotOffset(0, 'labels');
    const m = 12;
    const rows: number[][] = [];
    for (let r = 0; r < m; r++) {
      const row = Array.from({ length: K }, (_, c) => Math.fround(Math.sin(r * 7 + c) * 5));
      if (r < K) row[r] = 40; // the max in every lane in turn
      if (r === K) row[3] = NaN;
      if (r === K + 1) row.fill(-0);
      rows.push(row);
      f32.set(row, logits / 4 + r * K);
      i32[labels / 4 + r] = r % K;
    }
    f32.set([1000, 1000], logits / 4 + m * K); // the slack after the last row: larger than any logit
    ex.softmaxChunk(logits, labels, m, 0, scratchOffset(0, 'probs'), scratchOffset(0, 'dlogits'), accOffset(0) + K * D * 4, outOffset(0, 0, 'result') + 8, stats);
    rows.forEach((row, r) => {
      const want = row.some(Number.isNaN) ? NaN : Math.max(...row);
      expect(f32[stats / 4 + r * 4], `row ${r}`).toBe(want);
    });
  });

  it("softmaxChunk's correct count takes the first maximum of the stored probabilities, ties, NaN and overflowed rows too; a stable row with a NaN or infinite logit is all NaN", () => {
    const { exports: ex, buffer } = instantiateKernels(api, new WebAssembly.Module(bytesOf('relaxed')));
    const f32 = new Float32Array(buffer);
    const i32 = new Int32Array(buffer);
    const logits = scratchOffset(0, 'logits');
    const probs = scratchOffset(0, 'probs');
    const labels = slotOffset(0, 'labels');
    const correct = outOffset(0, 0, 'result') + 8;
    const rows: number[][] = [];
    for (let c = 0; c < K; c++) rows.push(Array.from({ length: K }, (_, k) => (k === c ? 3 : Math.sin(c + k)))); // the max in each lane
    rows.push([1, 5, 5, 0, 0, 0, 0, 0, 0, 5]); // a tie: the first
    rows.push([0, 0, 0, 0, 0, 0, 0, 0, 2, 2]); // a tie in the third vector
    rows.push([0, 1e-7, 0, 0, 0, 0, 0, 0, 0, 0]); // equal after rounding to float32 probabilities
    rows.push([0, 0, 0, NaN, 0, 0, 0, 0, 0, 0]); // NaN: class 0
    rows.push([88.5, 1, 88.5, 0, 0, 0, 0, 0, 0, 0]); // the textbook sum overflows: every p is 0, or NaN
    rows.push([1, 2, Infinity, 0, 0, 0, 0, 0, 0, 0]); // Infinity / Infinity
    rows.push([-200, -200, -200, -200, -200, -200, -200, -200, -200, -150]); // the textbook exps underflow to 0
    for (const naive of [0, 1]) {
      rows.forEach((row, r) => {
        f32.set(row, logits / 4);
        f32.set([0, 0], logits / 4 + K);
        ex.softmaxChunk(logits, labels, 1, naive, probs, scratchOffset(0, 'dlogits'), accOffset(0) + K * D * 4, correct, scratchOffset(0, 'stats'));
        const p = Array.from(f32.subarray(probs / 4, probs / 4 + K));
        // A NaN or infinite logit makes the whole stable row NaN (exp(Infinity - Infinity) is NaN, and exp
        // keeps a NaN), as core/softmax.ts's softmaxStable does.
        if (!naive && !row.every(Number.isFinite)) expect(p.every(Number.isNaN), `row ${r}`).toBe(true);
        let best = 0;
        for (let k = 1; k < K; k++) if (p[k] > p[best]) best = k; // argmaxRow's rule
        for (let label = 0; label < K; label++) {
          i32[labels / 4] = label;
          ex.softmaxChunk(logits, labels, 1, naive, probs, scratchOffset(0, 'dlogits'), accOffset(0) + K * D * 4, correct, scratchOffset(0, 'stats'));
          expect(i32[correct / 4], `row ${r}, naive ${naive}, label ${label}`).toBe(label === best ? 1 : 0);
        }
      });
    }
  });

  it('gatherRows copies the m listed images, in list order, one after another, and nothing past them', () => {
    const { exports: ex, buffer } = instantiateKernels(api, new WebAssembly.Module(bytesOf('relaxed')));
    const u8 = new Uint8Array(buffer);
    const i32 = new Int32Array(buffer);
    const src = slotOffset(1, 'images'); // 64 distinct images to pick from
    for (let i = 0; i < 64 * D; i++) u8[src + i] = (i * 131 + (i >> 8)) % 251;
    const list = slotOffset(2, 'rows');
    const dst = scratchOffset(1, 'images');
    for (const m of [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64]) {
      const picks = Array.from({ length: m }, (_, s) => (s * 29 + 3) % 61); // scattered, some twice
      picks.forEach((p, s) => (i32[(list >> 2) + s] = src + p * D));
      i32[(list >> 2) + m] = src; // an entry past the list, which must not be copied
      u8.fill(0xee, dst, dst + 65 * D);
      ex.gatherRows(list, m, dst);
      const rows = m;
      for (let s = 0; s < rows; s++) {
        expect(Buffer.from(u8.subarray(dst + s * D, dst + s * D + D)).equals(Buffer.from(u8.subarray(src + picks[s] * D, src + picks[s] * D + D)))).toBe(true);
      }
      expect(u8.subarray(dst + rows * D, dst + 65 * D).every((v) => v === 0xee)).toBe(true);
    }
  });

  it('refuses a module with an export missing or written for other shapes', () => {
    const fn = (): void => {};
    const ok: Record<string, unknown> = { D: { value: KERNEL_SHAPES.D }, K: { value: KERNEL_SHAPES.K }, KP: { value: KERNEL_SHAPES.KP } };
    for (const name of KERNEL_EXPORTS) ok[name] = fn;
    const memory = { buffer: new ArrayBuffer(0), grow: () => 0 };
    expect(() => instantiateKernels(fakeApi(ok), {}, memory)).not.toThrow();
    expect(() => instantiateKernels(fakeApi({ ...ok, softmaxChunk: undefined }), {}, memory)).toThrow(/softmaxChunk missing/);
    expect(() => instantiateKernels(fakeApi({ ...ok, K: { value: 11 } }), {}, memory)).toThrow(/K = 11, core has 10/);
    expect(() => instantiateKernels(fakeApi({ ...ok, KP: undefined }), {}, memory)).toThrow(/KP = undefined/);
  });
});
