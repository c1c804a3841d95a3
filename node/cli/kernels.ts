// The compute backends the CLI can pick by name (--kernels): a thin layer over core's registry, so the
// flag's choices, default and error message stay in one place.

import { createKernels, DEFAULT_KERNELS, isKernelName, KERNEL_NAMES } from '../../core/kernels/registry';
import type { Kernels } from '../../core/kernels/types';

/** Names accepted by --kernels. */
export function kernelNames(): string[] {
  return [...KERNEL_NAMES];
}

/** The backend used when --kernels is not given. */
export const DEFAULT_KERNEL_NAME: string = DEFAULT_KERNELS;

/** Creates the kernels called `name` for batches of up to `maxBatch` rows; throws RangeError for an unknown name. */
export function createKernelsByName(name: string, maxBatch: number): Kernels {
  if (!isKernelName(name)) throw new RangeError(`unknown kernels '${name}' (available: ${kernelNames().join(', ')})`);
  return createKernels(name, maxBatch);
}
