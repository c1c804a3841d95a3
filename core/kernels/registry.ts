// Compute backends by name, so hosts (the CLI's --kernels flag, the utility process, the Web Worker,
// the bench) choose one with a string. The plain reference stays available as the oracle.
// Legend: N = batch rows (maxBatch bounds it).

import { createFastKernels } from './fast';
import { createFastJsKernels } from './fast-js';
import type { KernelPool } from './pool';
import { createReferenceKernels } from './reference';
import type { Kernels } from './types';

/** Every backend name, fastest first after the default. */
export const KERNEL_NAMES = ['fast', 'fast-js', 'reference'] as const;

/** A backend name. */
export type KernelName = (typeof KERNEL_NAMES)[number];

/**
 * The backend apps use unless told otherwise: the WebAssembly SIMD kernels, checked against the
 * reference by tests/core/kernels (they fall back to fast-js where wasm SIMD is missing).
 */
export const DEFAULT_KERNELS: KernelName = 'fast';

/** True when `name` is one of {@link KERNEL_NAMES} (for validating flags and messages). */
export function isKernelName(name: string): name is KernelName {
  return (KERNEL_NAMES as readonly string[]).includes(name);
}

/**
 * Creates the named backend with scratch space for batches of up to `maxBatch` rows. 'fast' runs on
 * `pool`'s threads (core/kernels/pool.ts; one thread when omitted), and reports the name 'fast-js' when
 * the engine has no WebAssembly SIMD and it fell back. The other backends run on the calling thread.
 */
export function createKernels(name: KernelName = DEFAULT_KERNELS, maxBatch = 256, pool?: KernelPool | null): Kernels {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  switch (name) {
    case 'fast':
      return createFastKernels(maxBatch, pool);
    case 'fast-js':
      return createFastJsKernels(maxBatch);
    case 'reference':
      return createReferenceKernels(maxBatch);
    default:
      throw new RangeError(`unknown kernels '${String(name)}'; expected one of ${KERNEL_NAMES.join(', ')}`);
  }
}
