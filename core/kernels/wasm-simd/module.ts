// The TypeScript side of the WebAssembly SIMD kernels: their bytes (kernels.wat, assembled at build time
// into kernels.wasm.gen.ts in four builds), which build an engine can run, what the module exports, and
// how to instantiate it on a memory sized by layout.ts. fast.ts and the helper threads drive instances;
// the tests instantiate it the same way.
// Legend: D = 784 inputs, K = 10 classes, KP = 12 (K padded to three f32x4); pointers are byte offsets.

import { NUM_CLASSES, NUM_INPUTS } from '../../shapes';
import { KERNELS_WASM } from './kernels.wasm.gen';
import { DATA_PAGES, KP, MEMORY_PAGES } from './layout';
import type { WasmApi, WasmMemory } from './runtime';

/**
 * A build of kernels.wat (node/tools/assemble-wat.ts): with relaxed SIMD's fused multiply-add or plain SIMD
 * (a multiply and an add: other rounding, same results within 1e-5), importing a shared memory (for helper
 * threads) or an unshared one.
 */
export type KernelBuild = keyof typeof KERNELS_WASM;

/** The kernel functions kernels.wat exports (see its comments for the shapes). */
export interface KernelExports {
  /** forwardChunk(wT, b, img0, masks, m, out0): logits (m, K) at out0 of the m images at img0, over the 4-pixel groups `masks` ((m, 4) i64 from masksChunk) marks. */
  forwardChunk(wT: number, b: number, img0: number, masks: number, m: number, out0: number): void;
  /** masksChunk(img0, m, masks): per image at img0, a bit per 4-pixel group that holds a nonzero pixel, into masks ((m, 4) i64). */
  masksChunk(img0: number, m: number, masks: number): void;
  /** masksTChunk(img0, m, masksT): per 4-pixel group, a bit per image (of m <= 64 at img0, room for 64) that holds a nonzero pixel there, into masksT (196 i64). */
  masksTChunk(img0: number, m: number, masksT: number): void;
  /** backwardCols(gradT, img0, masksT, g0): gradT = sum over the images masksT marks of dlogits (rows at g0)^T v, every entry written. */
  backwardCols(gradT: number, img0: number, masksT: number, g0: number): void;
  /** gatherRows(rows, m, dst): the m images at byte addresses rows[0 .. m - 1] ((m) i32) copied one after another to dst ((m, D) u8). */
  gatherRows(rows: number, m: number, dst: number): void;
  /**
   * softmaxChunk(logits, labels, m, naive, probs, dlogits, gradB, correct, stats): the softmax (stable, or
   * d2l's exp / rowsum when naive = 1), dlogits, gradB = the rows' sum and the correct count (at `correct`) of m rows, with
   * (m, 4) f32 of scratch at `stats`; returns their summed cross-entropy (stable: by log-sum-exp of the
   * logits; naive: -log p).
   */
  softmaxChunk(logits: number, labels: number, m: number, naive: number, probs: number, dlogits: number, gradB: number, correct: number, stats: number): number;
  /** countCorrect(logits, labels, m): rows whose argmax logit equals the label. */
  countCorrect(logits: number, labels: number, m: number): number;
  /** loadParams(params, wT, b): W (D, K) and b into wT (K, D) and b; 1 when all are finite, else 0. */
  loadParams(params: number, wT: number, b: number): number;
  /** storeGrad(group, params): a gradient group into the parameters' (D, K) + K layout. */
  storeGrad(group: number, params: number): void;
  /** addGroup(dst, src, copy): gradient group dst += group src (dst = src when copy is 1). */
  addGroup(dst: number, src: number, copy: number): void;
  /**
   * sgdUpdate(g0, g1, g2, g3, n, wT, b, scale, decay, params): on the gradient that is the sum of the first n
   * (1 to 4) groups g0.. (in that order, as addGroup sums them), W = decay W - scale gradW, b -= scale gradB,
   * into params. 0 done; 1 the gradient is not finite; 2 an updated weight is not (params unchanged on 1 and 2).
   */
  sgdUpdate(g0: number, g1: number, g2: number, g3: number, n: number, wT: number, b: number, scale: number, decay: number, params: number): number;
}

/** The names of {@link KernelExports}, checked on every instance. */
export const KERNEL_EXPORTS = ['forwardChunk', 'masksTChunk', 'backwardCols', 'gatherRows', 'masksChunk', 'softmaxChunk', 'countCorrect', 'loadParams', 'storeGrad', 'addGroup', 'sgdUpdate'] as const satisfies readonly (keyof KernelExports)[];

/** The shapes kernels.wat is unrolled for, which it exports as globals, against core's. */
export const KERNEL_SHAPES = { D: NUM_INPUTS, K: NUM_CLASSES, KP } as const;

/** An instantiated kernel module. */
export interface KernelInstance {
  /** The kernel functions. */
  exports: KernelExports;
  /** Its memory's bytes (MEMORY_PAGES pages, never grown): regions at layout.ts's LAYOUT offsets. */
  buffer: ArrayBufferLike;
  /** The memory itself, to hand to helper threads (when shared). */
  memory: WasmMemory;
}

/** The assembled bytes of one build (by default the one as written: relaxed SIMD, shared memory). */
export function kernelModuleBytes(build: KernelBuild = 'relaxed-shared'): Uint8Array {
  return KERNELS_WASM[build];
}

/**
 * The build this engine runs best: relaxed SIMD where `WebAssembly.validate` accepts it, plain SIMD
 * otherwise; `shared` for a memory that helper threads share. Null when the engine has no SIMD at all.
 */
export function chooseBuild(api: WasmApi, shared: boolean): KernelBuild | null {
  const candidates: KernelBuild[] = shared ? ['relaxed-shared', 'simd-shared'] : ['relaxed', 'simd'];
  for (const build of candidates) if (api.validate(KERNELS_WASM[build])) return build;
  return null;
}

/**
 * A memory of MEMORY_PAGES pages for the kernels: shared (for helper threads, and able to grow by DATA_PAGES
 * for datasets allocated in it), or unshared and fixed (growing would detach its views).
 */
export function createKernelMemory(api: WasmApi, shared: boolean): WasmMemory {
  return new api.Memory({ initial: MEMORY_PAGES, maximum: shared ? MEMORY_PAGES + DATA_PAGES : MEMORY_PAGES, shared });
}

/**
 * Instantiates the compiled kernel module on `memory` (a fresh unshared one of MEMORY_PAGES pages when
 * omitted). Throws when an export is missing or the module was written for other shapes than core's (a
 * stale or foreign .wat).
 */
export function instantiateKernels(api: WasmApi, module: object, memory: WasmMemory = createKernelMemory(api, false)): KernelInstance {
  const ex = new api.Instance(module, { env: { mem: memory } }).exports;
  for (const name of KERNEL_EXPORTS) if (typeof ex[name] !== 'function') throw new Error(`wasm kernel export ${name} missing`);
  for (const [name, want] of Object.entries(KERNEL_SHAPES)) {
    const got = (ex[name] as { value?: unknown } | undefined)?.value;
    if (got !== want) throw new Error(`wasm kernels are written for ${name} = ${String(got)}, core has ${want}`);
  }
  return { exports: ex as unknown as KernelExports, buffer: memory.buffer, memory };
}
