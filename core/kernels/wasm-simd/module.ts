// The TypeScript side of the WebAssembly SIMD kernels: their bytes (kernels.wat, assembled at build time
// into kernels.wasm.gen.ts), what the module exports, and how to instantiate it with a memory sized by
// layout.ts. fast.ts drives the instance; the tests instantiate it the same way.
// Legend: D = 784 inputs, K = 10 classes, KP = 12 (K padded to three f32x4); pointers are byte offsets.

import { NUM_CLASSES, NUM_INPUTS } from '../../shapes';
import { KERNELS_WASM } from './kernels.wasm.gen';
import { KP, MEMORY_PAGES } from './layout';
import type { WasmApi } from './runtime';

/** The kernel functions kernels.wat exports (see its comments for the shapes). */
export interface KernelExports {
  /** forwardChunk(wT, b, img0, m, out0): logits (m, K) at out0 of the m staged images at img0. */
  forwardChunk(wT: number, b: number, img0: number, m: number, out0: number): void;
  /** backwardChunk(gradT, img0, m, g0): gradT += sum over the m images of dlogits (rows at g0)^T v. */
  backwardChunk(gradT: number, img0: number, m: number, g0: number): void;
  /** softmaxChunk(logits, labels, m, probs, dlogits, argmax, gradB): stable softmax, argmax, dlogits and gradB of m
   *  rows; returns their summed cross-entropy by log-sum-exp of the logits (NaN when a logit is not finite). */
  softmaxChunk(logits: number, labels: number, m: number, probs: number, dlogits: number, argmax: number, gradB: number): number;
}

/** The names of {@link KernelExports}, checked on every instance. */
export const KERNEL_EXPORTS = ['forwardChunk', 'backwardChunk', 'softmaxChunk'] as const satisfies readonly (keyof KernelExports)[];

/** The shapes kernels.wat is unrolled for, which it exports as globals, against core's. */
export const KERNEL_SHAPES = { D: NUM_INPUTS, K: NUM_CLASSES, KP } as const;

/** An instantiated kernel module. */
export interface KernelInstance {
  /** The kernel functions. */
  exports: KernelExports;
  /** Its memory (MEMORY_PAGES pages, never grown): regions at layout.ts's LAYOUT offsets. */
  buffer: ArrayBuffer;
}

/** The assembled module's bytes. */
export function kernelModuleBytes(): Uint8Array {
  return KERNELS_WASM;
}

/**
 * Instantiates the compiled kernel module with a fresh memory of MEMORY_PAGES pages. Throws when an
 * export is missing or the module was written for other shapes than core's (a stale or foreign .wat).
 */
export function instantiateKernels(api: WasmApi, module: object): KernelInstance {
  const mem = new api.Memory({ initial: MEMORY_PAGES, maximum: MEMORY_PAGES });
  const ex = new api.Instance(module, { env: { mem } }).exports;
  for (const name of KERNEL_EXPORTS) if (typeof ex[name] !== 'function') throw new Error(`wasm kernel export ${name} missing`);
  for (const [name, want] of Object.entries(KERNEL_SHAPES)) {
    const got = (ex[name] as { value?: unknown } | undefined)?.value;
    if (got !== want) throw new Error(`wasm kernels are written for ${name} = ${String(got)}, core has ${want}`);
  }
  return { exports: ex as unknown as KernelExports, buffer: mem.buffer };
}
