// One test image (its pixels and its label) for the "One image, step by step" view, fetched once through
// window.api and kept: test images never change while the page lives.

import { NUM_INPUTS } from '../../core/shapes';

/** A test image: pixels (784, 0..255) and its true class. */
export interface TestExample {
  index: number;
  pixels: Uint8Array;
  label: number;
}

/** The test set's size (the trainer refuses indices past it with a message). */
export const TEST_COUNT = 10_000;

const cache = new Map<number, TestExample>();

/** Test image `index` from the cache or the trainer. */
export async function testExample(index: number): Promise<TestExample> {
  const hit = cache.get(index);
  if (hit) return hit;
  const { pixels, labels } = await window.api.request({ kind: 'testExamples', indices: [index] });
  const ex = { index, pixels: pixels.slice(0, NUM_INPUTS), label: labels[0] };
  cache.set(index, ex);
  return ex;
}

/** The index `delta` steps from `index`, wrapping around the test set. */
export function stepIndex(index: number, delta: number, count = TEST_COUNT): number {
  return (((index + delta) % count) + count) % count;
}
