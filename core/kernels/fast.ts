// The fast kernels: per sample, a WebAssembly SIMD forward straight from the uint8 image (16 pixels per
// step, all-zero blocks skipped), softmax and loss in JS with the reference's own functions, then the
// SIMD weight-gradient update of the same image while it is in cache. Float32 sums: results agree with
// the reference to ~1e-6 relative, not bit for bit. Falls back to fast-js where wasm SIMD is missing.
// Legend: N = batch rows, D = 784 inputs, K = 10 classes.

import type { Dataset } from '../dataset';
import { NUM_CLASSES as K, NUM_INPUTS as D } from '../shapes';
import { allFiniteParams, argmaxK, createRowScratch, lazyReference, rowSoftmaxGrad } from './fast-common';
import { createFastJsKernels, logitsDense } from './fast-js';
import type { BatchStats, Kernels, SoftmaxVariant } from './types';
import { buildKernelModule, IMAGE_CHUNK, KERNEL_EXPORTS, LAYOUT } from './wasm-simd/module';
import { wasmApi, type WasmApi } from './wasm-simd/runtime';

interface KernelExports {
  mem: { buffer: ArrayBuffer };
  /** forward(imgByteOffset): logits (K) of that image into LAYOUT.logits. */
  forward: (img: number) => void;
  /** backward(imgByteOffset): gradT += x dlogits^T / 255, gradB += dlogits, for that image. */
  backward: (img: number) => void;
}

/** True when any of v[0..K) is NaN. */
function hasNaN(v: Float32Array): boolean {
  let s = 0;
  for (let k = 0; k < K; k++) s += v[k];
  return s !== s;
}

let cachedModule: object | null | undefined; // compiled once per realm; null = wasm SIMD unavailable

function compiledModule(api: WasmApi | null): object | null {
  if (cachedModule !== undefined) return cachedModule;
  const bytes = buildKernelModule();
  cachedModule = api && api.validate(bytes) ? new api.Module(bytes) : null;
  return cachedModule;
}

/** True when this engine runs the WebAssembly SIMD kernels (else `createFastKernels` returns fast-js). */
export function wasmSimdAvailable(): boolean {
  return compiledModule(wasmApi()) !== null;
}

/**
 * Creates the fast kernels for batches of up to `maxBatch` rows: WebAssembly SIMD when the engine has
 * it (name 'fast'), otherwise the pure-JS fast kernels (name 'fast-js'). Each instance owns a 320 KiB
 * wasm memory; nothing is allocated per batch except one subarray view per copied image row.
 */
export function createFastKernels(maxBatch = 256): Kernels {
  const api = wasmApi();
  const mod = compiledModule(api);
  if (!api || !mod) return createFastJsKernels(maxBatch);
  const ex = new api.Instance(mod, {}).exports as unknown as KernelExports;
  for (const name of KERNEL_EXPORTS) if (typeof ex[name] !== 'function') throw new Error(`wasm kernel export ${name} missing`);
  const { forward, backward } = ex;
  const mem8 = new Uint8Array(ex.mem.buffer);
  const mem32 = new Float32Array(ex.mem.buffer);
  const wT = mem32.subarray(LAYOUT.wT / 4, LAYOUT.wT / 4 + K * D); // (K, D)
  const wB = mem32.subarray(LAYOUT.b / 4, LAYOUT.b / 4 + K); // (K)
  const wGradT = mem32.subarray(LAYOUT.gradT / 4, LAYOUT.gradT / 4 + K * D); // (K, D)
  const wGradAll = mem32.subarray(LAYOUT.gradT / 4, LAYOUT.gradB / 4 + K); // gradT then gradB, cleared together
  const wGradB = mem32.subarray(LAYOUT.gradB / 4, LAYOUT.gradB / 4 + K); // (K)
  const wLogits = mem32.subarray(LAYOUT.logits / 4, LAYOUT.logits / 4 + K); // (K)
  const wDlogits = mem32.subarray(LAYOUT.dlogits / 4, LAYOUT.dlogits / 4 + K); // (K)
  const row = createRowScratch();
  const reference = lazyReference();
  const check = (n: number): void => {
    if (n > maxBatch) throw new RangeError(`batch of ${n} rows exceeds this kernel's maxBatch ${maxBatch}`);
  };

  /** params W (D, K) then b (K) -> the module's wT (K, D) and b. */
  function loadParams(params: Float32Array): void {
    for (let d = 0; d < D; d++) {
      const o = d * K;
      for (let k = 0; k < K; k++) wT[k * D + d] = params[o + k];
    }
    for (let k = 0; k < K; k++) wB[k] = params[D * K + k];
  }

  /** Copies examples order[from .. from+m) (or from .. from+m) into the module's image area. */
  function copyImages(images: Uint8Array, order: Uint32Array | null, from: number, m: number): void {
    if (!order) {
      mem8.set(images.subarray(from * D, (from + m) * D), LAYOUT.images);
      return;
    }
    for (let r = 0; r < m; r++) {
      const i = order[from + r];
      mem8.set(images.subarray(i * D, i * D + D), LAYOUT.images + r * D);
    }
  }

  return {
    name: 'fast',
    maxBatch,
    batchGradient(params: Float32Array, grad: Float32Array, ds: Dataset, order: Uint32Array | null, start: number, n: number, softmax: SoftmaxVariant): BatchStats {
      check(n);
      if (!allFiniteParams(params)) return reference(n).batchGradient(params, grad, ds, order, start, n, softmax);
      loadParams(params);
      wGradAll.fill(0);
      let lossSum = 0;
      let correct = 0;
      const lg = row.logits;
      for (let c = 0; c < n; c += IMAGE_CHUNK) {
        const m = Math.min(IMAGE_CHUNK, n - c);
        copyImages(ds.images, order, start + c, m);
        for (let r = 0; r < m; r++) {
          const img = LAYOUT.images + r * D;
          forward(img);
          for (let k = 0; k < K; k++) lg[k] = wLogits[k];
          const y = ds.labels[order ? order[start + c + r] : start + c + r];
          lossSum += rowSoftmaxGrad(row, y, softmax, wDlogits);
          if (row.argmax === y) correct++;
          if (hasNaN(row.probs)) {
            // Naive softmax overflowed (NaN probabilities): hand the batch to the reference, whose NaN
            // reaches every row of dW, through the zero pixels too.
            return reference(n).batchGradient(params, grad, ds, order, start, n, softmax);
          }
          backward(img);
        }
      }
      for (let d = 0; d < D; d++) {
        const o = d * K;
        for (let k = 0; k < K; k++) grad[o + k] = wGradT[k * D + d];
      }
      for (let k = 0; k < K; k++) grad[D * K + k] = wGradB[k];
      return { lossSum, correct };
    },
    countCorrect(params: Float32Array, ds: Dataset, start: number, n: number): number {
      if (!allFiniteParams(params)) return reference(Math.min(n, 256)).countCorrect(params, ds, start, n);
      loadParams(params);
      let correct = 0;
      for (let c = 0; c < n; c += IMAGE_CHUNK) {
        const m = Math.min(IMAGE_CHUNK, n - c);
        copyImages(ds.images, null, start + c, m);
        for (let r = 0; r < m; r++) {
          forward(LAYOUT.images + r * D);
          if (argmaxK(wLogits) === ds.labels[start + c + r]) correct++;
        }
      }
      return correct;
    },
    logits(params: Float32Array, x: Float32Array, n: number, out: Float32Array): void {
      logitsDense(params, x, n, out);
    },
  };
}
