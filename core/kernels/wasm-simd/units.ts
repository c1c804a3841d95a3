// One unit of work on the WebAssembly kernels, the same code on the calling thread and on every helper
// thread: a training unit (forward, softmax with loss and dlogits, backward into the unit's gradient) or a
// counting unit (forward, argmax against the labels), on the rows an input slot lists (their addresses and
// labels; the pixels copied into the slot, or where the dataset lies in the memory, from where the thread
// gathers them into its scratch; a helper may do that, and mark the rows' nonzero groups, ahead of the job:
// prepareTrainUnit, into its scratch or a bank's prepared-ahead area for the calling thread). A thread
// works in its own scratch and writes its own output for the unit, so two threads may run the same unit
// (pool.ts) without touching each other's memory.
// Legend: D = 784 inputs, K = 10 classes; slot = bank * GROUPS + g, where g (0 <= g < GROUPS) is the
// unit's index in its job; t = the thread (0 the calling one).

import { NUM_CLASSES, NUM_INPUTS } from '../../shapes';
import { areaPart, GROUPS, LAYOUT, outOffset, scratchArea, scratchOffset, slotOffset } from './layout';
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
 * Where the unit's rows are read, one after another: the slot's own copies when the calling thread staged
 * the pixels there (its rows list them), else the images of the scratch-shaped area at `area` (layout.ts
 * scratchArea, aheadArea), where they are gathered from where they lie in a dataset in the memory.
 */
function unitImagesAt(views: MemoryViews, slot: number, area: number): number {
  const staged = slotOffset(slot, 'images');
  return views.i32[slotOffset(slot, 'rows') >> 2] === staged ? staged : areaPart(area, 'images');
}

/**
 * The unit's rows one after another (unitImagesAt), gathered there first when they lie in a dataset (read
 * in order there, the kernels' loops wait on no cache miss).
 */
function unitImages(ex: KernelExports, views: MemoryViews, slot: number, area: number, rows: number): number {
  const images = unitImagesAt(views, slot, area);
  if (images !== slotOffset(slot, 'images')) ex.gatherRows(slotOffset(slot, 'rows'), rows, images);
  return images;
}

/**
 * What a training unit needs before the weights (so a helper with nothing to do can do it for the next
 * job while the calling thread updates them): the unit's rows gathered into the scratch-shaped area at
 * `area` (a thread's scratch, or a bank's prepared-ahead area: layout.ts scratchArea, aheadArea), and
 * their nonzero 4-pixel groups marked there by row (masks, for the forward) and by group (masksT, for the
 * backward).
 */
export function prepareTrainUnit(ex: KernelExports, views: MemoryViews, slot: number, area: number, rows: number): void {
  const images = unitImages(ex, views, slot, area, rows);
  ex.masksChunk(images, rows, areaPart(area, 'masks'));
  ex.masksTChunk(images, rows, areaPart(area, 'masksT'));
}

/**
 * Thread t runs the training unit in `slot` over its `rows` staged rows: logits, the softmax (d2l's exp /
 * rowsum when `naive`), into t's output for the unit the gradient (gradB from the softmax, gradT from the
 * backward over each 4-pixel group's nonzero rows: both written whole, nothing cleared first), the loss sum
 * and the correct count. `prepared`: the area (scratchArea, aheadArea) where prepareTrainUnit was done for
 * these rows already and still holds what it made, or -1: t prepares them in its own scratch first.
 */
export function runTrainUnit(ex: KernelExports, views: MemoryViews, slot: number, t: number, rows: number, naive: boolean, prepared = -1): void {
  const g = slot % GROUPS;
  const area = prepared >= 0 ? prepared : scratchArea(t);
  if (prepared < 0) prepareTrainUnit(ex, views, slot, area, rows);
  const images = unitImagesAt(views, slot, area);
  const logits = scratchOffset(t, 'logits');
  const dlogits = scratchOffset(t, 'dlogits');
  const group = outOffset(t, g, 'group');
  const result = outOffset(t, g, 'result');
  ex.forwardChunk(LAYOUT.wT, LAYOUT.b, images, areaPart(area, 'masks'), rows, logits);
  views.f64[result >> 3] = ex.softmaxChunk(logits, slotOffset(slot, 'labels'), rows, naive ? 1 : 0, scratchOffset(t, 'probs'), dlogits, group + GRAD_B, result + 8, scratchOffset(t, 'stats'));
  ex.backwardCols(group, images, areaPart(area, 'masksT'), dlogits);
}

/** The address of the first of the unit's rows when they lie one after another where they are (a test set in file order), else -1. */
export function rowsInOrder(views: MemoryViews, slot: number, rows: number): number {
  const addrs = slotOffset(slot, 'rows') >> 2;
  const first = views.i32[addrs];
  for (let r = 1; r < rows; r++) if (views.i32[addrs + r] !== first + r * NUM_INPUTS) return -1;
  return first;
}

/**
 * Thread t runs the counting unit in `slot`: how many of its `rows` rows the weights classify right, into t's
 * output. Rows that lie in order are read where they are, without a gather.
 */
export function runCountUnit(ex: KernelExports, views: MemoryViews, slot: number, t: number, rows: number): void {
  const logits = scratchOffset(t, 'logits');
  const inOrder = rowsInOrder(views, slot, rows);
  const images = inOrder >= 0 ? inOrder : unitImages(ex, views, slot, scratchArea(t), rows);
  const masks = scratchOffset(t, 'masks');
  ex.masksChunk(images, rows, masks);
  ex.forwardChunk(LAYOUT.wT, LAYOUT.b, images, masks, rows, logits);
  views.i32[(outOffset(t, slot % GROUPS, 'result') + 8) >> 2] = ex.countCorrect(logits, slotOffset(slot, 'labels'), rows);
}

/** The loss sum thread t found for training unit g. */
export function unitLoss(views: MemoryViews, t: number, g: number): number {
  return views.f64[outOffset(t, g, 'result') >> 3];
}

/** The correct count thread t found for unit g. */
export function unitCorrect(views: MemoryViews, t: number, g: number): number {
  return views.i32[(outOffset(t, g, 'result') + 8) >> 2];
}
