// One unit of work on the WebAssembly kernels, the same code on the calling thread and on every helper
// thread: a training unit (forward, softmax with loss and dlogits, backward into the unit's gradient
// group) or a counting unit (forward, argmax against the labels), on rows already staged in the unit's slot.
// Legend: D = 784 inputs, K = 10 classes; slot = bank * GROUPS + g, where g (0 <= g < GROUPS) is the
// unit's index in its job and its gradient group.

import { NUM_CLASSES, NUM_INPUTS } from '../../shapes';
import { GROUPS, groupOffset, LAYOUT, unitOffset } from './layout';
import type { KernelExports } from './module';

// Shapes as module constants (vitest rewrites imported bindings into property reads).
const GRAD_B = NUM_INPUTS * NUM_CLASSES * 4; // byte offset of gradB within a gradient group

/** Typed views of one kernel memory. */
export interface MemoryViews {
  u8: Uint8Array;
  f32: Float32Array;
  i32: Int32Array;
  f64: Float64Array;
}

/** Views of a kernel memory's bytes (an ArrayBuffer or a SharedArrayBuffer). */
export function memoryViews(buffer: ArrayBufferLike): MemoryViews {
  return { u8: new Uint8Array(buffer), f32: new Float32Array(buffer), i32: new Int32Array(buffer), f64: new Float64Array(buffer) };
}

/**
 * The training unit in `slot`, over its `rows` staged rows: logits, the softmax (d2l's exp / rowsum when
 * `naive`), the unit's loss sum and correct count into its result, gradB and gradT += into its gradient group.
 */
export function runTrainUnit(ex: KernelExports, views: MemoryViews, slot: number, rows: number, naive: boolean): void {
  const images = unitOffset(slot, 'images');
  const logits = unitOffset(slot, 'logits');
  const dlogits = unitOffset(slot, 'dlogits');
  const result = unitOffset(slot, 'result');
  const group = groupOffset(slot % GROUPS);
  ex.forwardChunk(LAYOUT.wT, LAYOUT.b, images, rows, logits);
  views.f64[result >> 3] = ex.softmaxChunk(logits, unitOffset(slot, 'labels'), rows, naive ? 1 : 0, unitOffset(slot, 'probs'), dlogits, group + GRAD_B, result + 8);
  ex.backwardChunk(group, images, rows, dlogits);
}

/** The counting unit in `slot`: how many of its `rows` staged rows the weights classify right, into its result. */
export function runCountUnit(ex: KernelExports, views: MemoryViews, slot: number, rows: number): void {
  const logits = unitOffset(slot, 'logits');
  const result = unitOffset(slot, 'result');
  ex.forwardChunk(LAYOUT.wT, LAYOUT.b, unitOffset(slot, 'images'), rows, logits);
  views.i32[(result + 8) >> 2] = ex.countCorrect(logits, unitOffset(slot, 'labels'), rows);
}

/** The loss sum of the training unit in `slot`. */
export function unitLoss(views: MemoryViews, slot: number): number {
  return views.f64[unitOffset(slot, 'result') >> 3];
}

/** The correct count of the unit in `slot`. */
export function unitCorrect(views: MemoryViews, slot: number): number {
  return views.i32[(unitOffset(slot, 'result') + 8) >> 2];
}
