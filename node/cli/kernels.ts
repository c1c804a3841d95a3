// The compute backends the CLI can pick by name (--kernels). The reference kernels are always there;
// a faster backend is added here as one entry once it lands in core/kernels/.

import { createReferenceKernels } from '../../core/kernels/reference';
import type { Kernels } from '../../core/kernels/types';

/** Kernel factories by name; each takes the largest batch it must handle. */
const REGISTRY: Readonly<Record<string, (maxBatch: number) => Kernels>> = {
  reference: createReferenceKernels,
};

/** Names accepted by --kernels, the default first. */
export function kernelNames(): string[] {
  return Object.keys(REGISTRY);
}

/** Creates the kernels called `name` for batches of up to `maxBatch` rows; throws RangeError for an unknown name. */
export function createKernelsByName(name: string, maxBatch: number): Kernels {
  const make = REGISTRY[name];
  if (!make) throw new RangeError(`unknown kernels '${name}' (available: ${kernelNames().join(', ')})`);
  return make(maxBatch);
}
