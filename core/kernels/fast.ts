// The fast kernels: per chunk of up to 256 staged uint8 images, a WebAssembly SIMD forward (16 pixels per
// step, all-zero blocks skipped), the stable softmax / argmax / dlogits in SIMD too (the naive one in JS,
// with core/softmax's own function, so it overflows as d2l's does), then the weight-gradient update two
// images at a time while the chunk is in cache. The SIMD code is wasm-simd/kernels.wat. Float32 sums:
// within ~3e-7 relative of the reference, not bit for bit. Falls back to fast-js where wasm SIMD is missing.
// Legend: N = batch rows, D = 784 inputs, K = 10 classes.

import type { Dataset } from '../dataset';
import { allFinite } from '../model';
import { NUM_CLASSES, NUM_INPUTS } from '../shapes';
import { argmaxRow } from '../softmax';
import { createRowScratch, lazyReference, rowSoftmaxGrad } from './fast-common';
import { createFastJsKernels, logitsDense } from './fast-js';
import type { BatchStats, Kernels, SoftmaxVariant } from './types';
import { IMAGE_CHUNK, KP, LAYOUT } from './wasm-simd/layout';
import { instantiateKernels, kernelModuleBytes } from './wasm-simd/module';
import { wasmApi, type WasmApi } from './wasm-simd/runtime';

// Shapes as module constants: hot loops read locals, not imported bindings (vitest rewrites those
// into property reads, ~20x slower).
const K = NUM_CLASSES;
const D = NUM_INPUTS;

let cachedModule: object | null | undefined; // compiled once per realm; null = wasm SIMD unavailable

function compiledModule(api: WasmApi | null): object | null {
  if (cachedModule !== undefined) return cachedModule;
  const bytes = kernelModuleBytes();
  try {
    cachedModule = api && api.validate(bytes) ? new api.Module(bytes) : null;
  } catch {
    // A Content-Security-Policy without 'wasm-unsafe-eval' makes compiling throw: use fast-js instead.
    cachedModule = null;
  }
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
  const { exports: ex, buffer } = instantiateKernels(api, mod);
  const { forwardChunk, backwardChunk, softmaxChunk } = ex;
  const mem8 = new Uint8Array(buffer);
  const mem32 = new Float32Array(buffer);
  const wT = mem32.subarray(LAYOUT.wT / 4, LAYOUT.wT / 4 + K * D); // (K, D)
  const wB = mem32.subarray(LAYOUT.b / 4, LAYOUT.b / 4 + K); // (K)
  const wGradT = mem32.subarray(LAYOUT.gradT / 4, LAYOUT.gradT / 4 + K * D); // (K, D)
  const wLogits = mem32.subarray(LAYOUT.logits / 4, LAYOUT.logits / 4 + IMAGE_CHUNK * K); // (CHUNK, K)
  const wDlogits = mem32.subarray(LAYOUT.dlogitsScaled / 4, LAYOUT.dlogitsScaled / 4 + (IMAGE_CHUNK + 1) * KP); // (CHUNK + 1, KP)
  const wLabels = new Int32Array(buffer, LAYOUT.labels, IMAGE_CHUNK); // (CHUNK)
  const wArgmax = new Int32Array(buffer, LAYOUT.argmax, IMAGE_CHUNK); // (CHUNK)
  const wGradB = mem32.subarray(LAYOUT.gradB / 4, LAYOUT.gradB / 4 + K); // (K)
  const row = createRowScratch();
  const g = new Float64Array(K); // (K) dlogits p - onehot of one naive-softmax row, unrounded as in the reference
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
      // The SIMD loops skip all-zero blocks, exact only while 0 * w is 0: non-finite weights go to the reference.
      if (!allFinite(params)) return reference(n).batchGradient(params, grad, ds, order, start, n, softmax);
      loadParams(params);
      wGradT.fill(0);
      for (let k = 0; k < K; k++) grad[D * K + k] = 0;
      let lossSum = 0;
      let correct = 0;
      const lg = row.logits;
      const stable = softmax === 'stable';
      for (let c = 0; c < n; c += IMAGE_CHUNK) {
        const m = Math.min(IMAGE_CHUNK, n - c);
        copyImages(ds.images, order, start + c, m);
        forwardChunk(LAYOUT.wT, LAYOUT.b, LAYOUT.images, m, LAYOUT.logits);
        if (stable) {
          for (let r = 0; r < m; r++) wLabels[r] = ds.labels[order ? order[start + c + r] : start + c + r];
          // The loss comes from the logits by log-sum-exp, so a vanishing probability costs nothing extra;
          // NaN means a logit itself overflowed float32: the reference takes the batch, NaN and all.
          const chunkLoss = softmaxChunk(LAYOUT.logits, LAYOUT.labels, m, LAYOUT.probs, LAYOUT.dlogitsScaled, LAYOUT.argmax, LAYOUT.gradB);
          if (chunkLoss !== chunkLoss) return reference(n).batchGradient(params, grad, ds, order, start, n, softmax);
          lossSum += chunkLoss;
          for (let k = 0; k < K; k++) grad[D * K + k] += wGradB[k];
          for (let r = 0; r < m; r++) if (wArgmax[r] === wLabels[r]) correct++;
        } else {
          for (let r = 0; r < m; r++) {
            const o = r * K;
            const y = ds.labels[order ? order[start + c + r] : start + c + r];
            for (let k = 0; k < K; k++) lg[k] = wLogits[o + k];
            // d2l's exp / rowsum, overflowing exactly as the reference's; g = p - onehot, the fused softmax-CE backward
            const loss = rowSoftmaxGrad(row, y, 'naive', g);
            let gSum = 0;
            for (let k = 0; k < K; k++) {
              gSum += g[k];
              wDlogits[r * KP + k] = g[k] / 255; // x = v / 255 folded into the gradient row: wasm multiplies by v
              grad[D * K + k] += g[k]; // db in float32 in sample order, exactly as the reference
            }
            if (gSum !== gSum) {
              // NaN probabilities (the naive softmax overflowed): hand the batch to the reference, whose
              // NaN reaches every row of dW, through the zero pixels too.
              return reference(n).batchGradient(params, grad, ds, order, start, n, softmax);
            }
            lossSum += loss;
            if (row.argmax === y) correct++;
          }
        }
        if (m % 2 === 1) wDlogits.fill(0, m * KP, (m + 1) * KP); // the odd row's partner contributes 0
        backwardChunk(LAYOUT.gradT, LAYOUT.images, m, LAYOUT.dlogitsScaled);
      }
      for (let d = 0; d < D; d++) {
        const o = d * K;
        for (let k = 0; k < K; k++) grad[o + k] = wGradT[k * D + d];
      }
      return { lossSum, correct };
    },
    countCorrect(params: Float32Array, ds: Dataset, start: number, n: number): number {
      if (!allFinite(params)) return reference(Math.min(n, 256)).countCorrect(params, ds, start, n);
      loadParams(params);
      let correct = 0;
      for (let c = 0; c < n; c += IMAGE_CHUNK) {
        const m = Math.min(IMAGE_CHUNK, n - c);
        copyImages(ds.images, null, start + c, m);
        forwardChunk(LAYOUT.wT, LAYOUT.b, LAYOUT.images, m, LAYOUT.logits);
        for (let r = 0; r < m; r++) if (argmaxRow(wLogits, r, K) === ds.labels[start + c + r]) correct++;
      }
      return correct;
    },
    logits(params: Float32Array, x: Float32Array, n: number, out: Float32Array): void {
      logitsDense(params, x, n, out);
    },
  };
}
