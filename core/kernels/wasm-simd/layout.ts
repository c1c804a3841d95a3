// Where the WebAssembly kernels' buffers sit in their one memory, defined once: each region's size comes
// from the shapes, each offset is the previous offset plus the previous size, rounded up to a cache line.
// kernels.wat knows no offsets (its functions take pointers); fast.ts passes these.
// Legend: D = 784 inputs, K = 10 classes, KP = 12 (K padded to three f32x4), CHUNK = IMAGE_CHUNK rows.

import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../shapes';

/** K padded to whole f32x4 vectors: rows of probs and dlogitsScaled are KP floats apart. */
export const KP = 12;

/** Images the module's image area holds at once (even: an odd chunk's last row pairs with a staged row). */
export const IMAGE_CHUNK = 256;

/** Alignment of every region's start: a cache line, so no two regions share one. */
export const REGION_ALIGN = 64;

/** Bytes in a WebAssembly page. */
export const WASM_PAGE_BYTES = 65_536;

/**
 * Bytes of each region, in the order they are laid out. Weights are kept transposed, (K, D): a 16-pixel
 * block then meets 4 consecutive f32x4 of each class row, so forward and backward are dense vector loops
 * with no per-pixel branch.
 */
export const REGION_BYTES = {
  /** wT: (K, D) f32, W transposed (fast.ts transposes the caller's (D, K) once per batch). */
  wT: K * D * 4,
  /** b: (K) f32. */
  b: K * 4,
  /** gradT: (K, D) f32, d(sum loss)/dW transposed, accumulated by `backwardChunk`. */
  gradT: K * D * 4,
  /** images: (CHUNK, D) u8, the rows being worked on, copied in by fast.ts. */
  images: IMAGE_CHUNK * D,
  /** logits: (CHUNK, K) f32 from `forwardChunk`, plus KP - K floats that `softmaxChunk` reads (and masks)
   *  when it loads the last row as three f32x4. */
  logits: (IMAGE_CHUNK * K + KP - K) * 4,
  /** dlogitsScaled: (CHUNK + 1, KP) f32, (p - onehot) / 255 per row (lanes 10, 11 are 0), from
   *  `softmaxChunk` or fast.ts; an odd chunk's last row is paired with a row of zeros. */
  dlogitsScaled: (IMAGE_CHUNK + 1) * KP * 4,
  /** probs: (CHUNK, KP) f32, written by `softmaxChunk` (lanes 10, 11 are 0). */
  probs: IMAGE_CHUNK * KP * 4,
  /** labels: (CHUNK) i32, staged by fast.ts for `softmaxChunk`. */
  labels: IMAGE_CHUNK * 4,
  /** argmax: (CHUNK) i32, each row's predicted class (first on ties), from `softmaxChunk`. */
  argmax: IMAGE_CHUNK * 4,
  /** gradB: (KP) f32, the chunk's d(sum loss)/db from `softmaxChunk` (lanes 10, 11 are 0). */
  gradB: KP * 4,
} as const;

/** A region's name. */
export type Region = keyof typeof REGION_BYTES;

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

const placed = layoutRegions(REGION_BYTES, REGION_ALIGN);

/** Byte offset of each region in the module's memory. */
export const LAYOUT: Readonly<Record<Region, number>> = placed.offsets;

/** Pages of the module's memory: enough for every region (it never grows, so JS views stay valid). */
export const MEMORY_PAGES = Math.ceil(placed.end / WASM_PAGE_BYTES);
