// Where the WebAssembly kernels' buffers sit in their one memory, defined once: each region's size comes
// from the shapes, each offset is the previous offset plus the previous size, rounded up to a cache line.
// kernels.wat knows no offsets (its functions take pointers); fast.ts and the helper threads pass these.
// How a batch is cut into work (rounds, units, gradient groups) is fixed here too, so that it never
// depends on how many threads there are.
// Legend: D = 784 inputs, K = 10 classes, KP = 12 (K padded to three f32x4), GROUPS units of UNIT_ROWS rows,
// t = a thread (0 the calling one), g = a unit of a job, slot = bank * GROUPS + g.

import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../shapes';

/** K padded to whole f32x4 vectors: rows of probs and dlogits are KP floats apart. */
export const KP = 12;

/**
 * Units of work per round, and gradient groups. A batch is cut into rounds of at most ROUND_ROWS rows, and
 * each round into GROUPS units of nearly equal size (see {@link unitRows}); unit g's gradient of every round
 * is added into group g in round order, and the groups are summed in order 0, 1, 2, 3 at the end. Whichever
 * thread runs a unit, the sums are the same, bit for bit, for any number of threads (up to GROUPS work).
 */
export const GROUPS = 4;

/** Rows a unit holds at most (a round is GROUPS units); at most 64, a bit per row in masksTChunk's i64 words. */
export const UNIT_ROWS = 64;

/** Rows of one round: GROUPS full units. */
export const ROUND_ROWS = GROUPS * UNIT_ROWS;

/**
 * Banks of unit slots: GROUPS slots each. While the threads work on one bank's units, the calling thread
 * can copy the next batch's rows into the other (fast.ts), so copying overlaps computing.
 */
export const BANKS = 2;

/** Unit slots in all: slot bank * GROUPS + g holds unit g of a job in that bank. */
export const SLOTS = BANKS * GROUPS;

/** Alignment of every region's start: a cache line, so no two regions (or threads' units) share one. */
export const REGION_ALIGN = 64;

/** Bytes in a WebAssembly page. */
export const WASM_PAGE_BYTES = 65_536;

/** Floats of one gradient group: gradT (K, D) then gradB (KP), the layout kernels.wat's GROUP assumes. */
export const GROUP_FLOATS = K * D + KP;

/**
 * Rows [start, end) of unit g (0 <= g < GROUPS) in a round of m rows: the round split as evenly as it goes,
 * the same split whatever the thread count. A round of 1 row has one non-empty unit, the last.
 */
export function unitRows(m: number, g: number): { start: number; end: number } {
  return { start: Math.floor((m * g) / GROUPS), end: Math.floor((m * (g + 1)) / GROUPS) };
}

/** Bytes of each part of one unit's input slot (rows copied in by the calling thread), in layout order. */
export const SLOT_BYTES = {
  /** images: (UNIT_ROWS, D) u8. */
  images: UNIT_ROWS * D,
  /** labels: (UNIT_ROWS) i32. */
  labels: UNIT_ROWS * 4,
  /**
   * rows: (UNIT_ROWS) i32, the byte address of each row's pixels: in `images` when they were copied
   * there, or where the dataset itself lies when it was allocated in this memory (the thread running the
   * unit gathers them into its scratch).
   */
  rows: UNIT_ROWS * 4,
} as const;

/** Bytes of each part of one thread's scratch (what a unit needs while it runs), in layout order. */
export const SCRATCH_BYTES = {
  /** images: (UNIT_ROWS, D) u8, the unit's rows gathered from where they lie in a dataset in this
   *  memory (gatherRows), so the kernels read them in order; each thread its own, so a thread still running
   *  a unit that another thread took over writes nowhere a newer job reads. */
  images: UNIT_ROWS * D,
  /** masks: (UNIT_ROWS, 4) i64, which 4-pixel groups of each row hold a nonzero pixel (masksChunk), for forwardChunk. */
  masks: UNIT_ROWS * 32,
  /** masksT: (D / 4) i64, which rows hold a nonzero pixel in each 4-pixel group (masksTChunk), for backwardCols. */
  masksT: (D / 4) * 8,
  /** logits: (UNIT_ROWS, K) f32 from `forwardChunk`, plus KP - K floats that `softmaxChunk` reads (and masks)
   *  when it loads the last row as three f32x4. */
  logits: (UNIT_ROWS * K + KP - K) * 4,
  /** probs: (UNIT_ROWS, KP) f32 from `softmaxChunk` (lanes 10, 11 are 0). */
  probs: UNIT_ROWS * KP * 4,
  /** dlogits: (UNIT_ROWS, KP) f32, (p - onehot) / 255 per row. */
  dlogits: UNIT_ROWS * KP * 4,
  /** stats: (UNIT_ROWS, 4) f32, `softmaxChunk`'s per-row shift, sum, l_label and p_label for the loss. */
  stats: UNIT_ROWS * 16,
} as const;

/** Bytes of what one thread produces for unit g of a job, in layout order. */
export const OUT_BYTES = {
  /** group: the unit's gradient, gradT (K, D) then gradB (KP) f32 (GROUP_FLOATS). */
  group: GROUP_FLOATS * 4,
  /** result: the unit's loss sum (f64 at +0) and correct count (i32 at +8). */
  result: 16,
} as const;

/** A part of a slot, of a thread's scratch, or of a thread's output for a unit. */
export type SlotPart = keyof typeof SLOT_BYTES;
/** A part of a thread's scratch. */
export type ScratchPart = keyof typeof SCRATCH_BYTES;
/** A part of a thread's output for a unit. */
export type OutPart = keyof typeof OUT_BYTES;

/**
 * Threads that can work at once: the units of a round. Each has its own scratch and its own output per unit,
 * so a unit can be run by two threads (the calling one takes over from a helper that is not scheduled) and
 * the first to finish is used: both computed the same numbers.
 */
export const MAX_THREADS = GROUPS;

/**
 * Lays regions out one after another in the key order of `bytes`: each starts at the end of the previous
 * one rounded up to `align`. Returns each start and the end of the last one (bytes).
 */
export function layoutRegions<R extends string>(bytes: Readonly<Record<R, number>>, align: number): { offsets: Record<R, number>; end: number } {
  const offsets = {} as Record<R, number>;
  let end = 0;
  for (const name of Object.keys(bytes) as R[]) {
    const start = Math.ceil(end / align) * align;
    offsets[name] = start;
    end = start + bytes[name];
  }
  return { offsets, end };
}

const alignUp = (n: number): number => Math.ceil(n / REGION_ALIGN) * REGION_ALIGN;
const slotPlaced = layoutRegions(SLOT_BYTES, REGION_ALIGN);
const scratchPlaced = layoutRegions(SCRATCH_BYTES, REGION_ALIGN);
const outPlaced = layoutRegions(OUT_BYTES, REGION_ALIGN);

/** Byte offsets of the parts within a slot, a thread's scratch and a unit's output. */
export const SLOT_LAYOUT: Readonly<Record<SlotPart, number>> = slotPlaced.offsets;
export const SCRATCH_LAYOUT: Readonly<Record<ScratchPart, number>> = scratchPlaced.offsets;
export const OUT_LAYOUT: Readonly<Record<OutPart, number>> = outPlaced.offsets;

/** Bytes from one slot, thread scratch, unit output or accumulating gradient group to the next. */
export const SLOT_STRIDE = alignUp(slotPlaced.end);
export const SCRATCH_STRIDE = alignUp(scratchPlaced.end);
export const OUT_STRIDE = alignUp(outPlaced.end);
export const GROUP_STRIDE = alignUp(GROUP_FLOATS * 4);

/** Int32 words of the control block that the threads coordinate through (see core/kernels/pool.ts). */
export const CONTROL_WORDS = 64;

/**
 * Bytes of each region, in the order they are laid out. Weights are kept transposed, (K, D): a 16-pixel
 * block then meets 4 consecutive f32x4 of each class row, so forward and backward are dense vector loops
 * with no per-pixel branch.
 */
export const REGION_BYTES = {
  /** control: (CONTROL_WORDS) i32, the job the threads are working on (core/kernels/pool.ts). */
  control: CONTROL_WORDS * 4,
  /** params: (D*K + K) f32, the caller's W (D, K) and b copied in and out (loadParams reads W's last row
   *  with a 64-bit load, so nothing past b is read). Also where storeGrad puts a gradient in that layout. */
  params: (D * K + K) * 4,
  /** wT: (K, D) f32, W transposed by loadParams. */
  wT: K * D * 4,
  /** b: (KP) f32. */
  b: KP * 4,
  /** acc: GROUPS gradient groups (gradT (K, D) then gradB (KP)) that sum a batch's rounds; acc 0 ends as the batch's gradient. */
  acc: GROUPS * GROUP_STRIDE,
  /** slots: SLOTS input slots (BANKS banks of GROUPS units), SLOT_STRIDE bytes apart. */
  slots: SLOTS * SLOT_STRIDE,
  /** scratch: MAX_THREADS threads' scratch, SCRATCH_STRIDE bytes apart. */
  scratch: MAX_THREADS * SCRATCH_STRIDE,
  /** ahead: per bank, a scratch-shaped area where a helper prepares the calling thread's first unit of the
   *  next job (its gathered rows and their masks, core/kernels/pool.ts), SCRATCH_STRIDE bytes apart. */
  ahead: BANKS * SCRATCH_STRIDE,
  /** outs: MAX_THREADS threads' outputs for each of the GROUPS units, OUT_STRIDE bytes apart. */
  outs: MAX_THREADS * GROUPS * OUT_STRIDE,
} as const;

/** A region's name. */
export type Region = keyof typeof REGION_BYTES;

const placed = layoutRegions(REGION_BYTES, REGION_ALIGN);

/** Byte offset of each region in the module's memory. */
export const LAYOUT: Readonly<Record<Region, number>> = placed.offsets;

/** Byte offset of accumulating gradient group g. */
export const accOffset = (g: number): number => LAYOUT.acc + g * GROUP_STRIDE;

/** Byte offset of part `part` of input slot `slot` (0 <= slot < SLOTS: bank * GROUPS + unit). */
export const slotOffset = (slot: number, part: SlotPart): number => LAYOUT.slots + slot * SLOT_STRIDE + SLOT_LAYOUT[part];

/** Byte offset of thread t's scratch (t = 0 is the calling thread): a scratch-shaped area. */
export const scratchArea = (t: number): number => LAYOUT.scratch + t * SCRATCH_STRIDE;

/** Byte offset of bank `bank`'s prepared-ahead area, shaped as a scratch. */
export const aheadArea = (bank: number): number => LAYOUT.ahead + bank * SCRATCH_STRIDE;

/** Byte offset of part `part` of the scratch-shaped area at `area` (scratchArea, aheadArea). */
export const areaPart = (area: number, part: ScratchPart): number => area + SCRATCH_LAYOUT[part];

/** Byte offset of part `part` of thread t's scratch. */
export const scratchOffset = (t: number, part: ScratchPart): number => areaPart(scratchArea(t), part);

/** Byte offset of part `part` of thread t's output for unit g. */
export const outOffset = (t: number, g: number, part: OutPart): number => LAYOUT.outs + (t * GROUPS + g) * OUT_STRIDE + OUT_LAYOUT[part];

/**
 * Pages of the module's memory at the start: enough for every region. The regions never move, so JS views
 * of them stay valid; a shared memory grows past them only for datasets allocated in it (KernelPool's
 * allocate, which keeps old views valid), an unshared one never grows.
 */
export const MEMORY_PAGES = Math.ceil(placed.end / WASM_PAGE_BYTES);

/**
 * Pages a shared memory may grow by for datasets (64 MiB: Fashion-MNIST's 55 MB of image files, train and
 * test, with room to spare). Address space only: a page costs memory once the dataset is written into it.
 */
export const DATA_PAGES = 1024;
