// Parsing of the IDX files Fashion-MNIST ships in (the MNIST format): a big-endian header with a magic
// number whose third byte is the element type (0x08 = unsigned byte) and fourth the rank, then the
// dimensions, then the raw bytes. We accept only what Fashion-MNIST is: rank-3 28x28 images and
// rank-1 labels 0..9. This module reads bytes only; finding and decompressing files is node/'s job.

import { IMAGE_SIDE, NUM_CLASSES, NUM_INPUTS } from './shapes';

/** IDX magic of an unsigned-byte rank-3 tensor (images). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** IDX magic of an unsigned-byte rank-1 tensor (labels). */
export const IDX_LABELS_MAGIC = 0x00000801;

/** What went wrong with an IDX file; stable codes for tests and UI messages. */
export type IdxErrorCode =
  | 'empty'
  | 'truncated-header'
  | 'bad-magic'
  | 'bad-rank'
  | 'bad-dims'
  | 'no-images'
  | 'bad-length'
  | 'bad-label'
  | 'count-mismatch'
  | 'too-large';

/** A typed error whose message names the file and the problem. */
export class IdxError extends Error {
  override readonly name = 'IdxError';
  constructor(
    /** Which problem. */
    readonly code: IdxErrorCode,
    /** The file name (or label) the bytes came from. */
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** Parsed images: `pixels` (count, 784) row-major, 0..255. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array; // (count, rows*cols)
}

/** Parsed labels: `labels` (count), each 0..9. */
export interface IdxLabels {
  count: number;
  labels: Uint8Array; // (count)
}

/** Largest item count we accept: far above Fashion-MNIST's 60000, far below anything that overflows. */
export const MAX_IDX_ITEMS = 1_000_000;

function readHeader(bytes: Uint8Array, file: string, magic: number, rank: number): number[] {
  if (bytes.length === 0) throw new IdxError('empty', file, 'the file is empty');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < 4) throw new IdxError('truncated-header', file, `only ${bytes.length} bytes, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const got = view.getUint32(0, false);
  if (got !== magic) {
    const gotRank = got & 0xff;
    const sameType = (got & 0xffffff00) === (magic & 0xffffff00);
    if (sameType && gotRank !== rank) {
      throw new IdxError('bad-rank', file, `expected a rank-${rank} IDX file, found rank ${gotRank}`);
    }
    throw new IdxError('bad-magic', file, `bad magic number 0x${got.toString(16).padStart(8, '0')}, expected 0x${magic.toString(16).padStart(8, '0')} (is this the right file, and decompressed?)`);
  }
  if (bytes.length < headerBytes) throw new IdxError('truncated-header', file, `only ${bytes.length} bytes, the header needs ${headerBytes}`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  return dims;
}

/** Parses an IDX images file (magic 0x00000803) holding 28x28 unsigned-byte images. */
export function parseIdxImages(bytes: Uint8Array, file = 'images'): IdxImages {
  const [count, rows, cols] = readHeader(bytes, file, IDX_IMAGES_MAGIC, 3);
  if (rows !== IMAGE_SIDE || cols !== IMAGE_SIDE) {
    throw new IdxError('bad-dims', file, `images are ${rows}x${cols}, expected ${IMAGE_SIDE}x${IMAGE_SIDE}`);
  }
  // Nothing to train or test on: refused here, or training reports a NaN loss as if it had diverged.
  if (count === 0) throw new IdxError('no-images', file, 'declares 0 images; a dataset needs at least one');
  if (count > MAX_IDX_ITEMS) throw new IdxError('too-large', file, `declares ${count} images, more than the ${MAX_IDX_ITEMS} we accept`);
  // count * 784 + 16 <= 784e6 + 16: well inside the exact-integer range, so no overflow here.
  const expected = 16 + count * NUM_INPUTS;
  if (bytes.length !== expected) {
    throw new IdxError('bad-length', file, `${bytes.length} bytes, expected exactly ${expected} for ${count} images (${bytes.length < expected ? 'truncated' : 'trailing bytes'})`);
  }
  return { count, rows, cols, pixels: bytes.subarray(16) };
}

/** Parses an IDX labels file (magic 0x00000801) holding labels 0..9. */
export function parseIdxLabels(bytes: Uint8Array, file = 'labels'): IdxLabels {
  const [count] = readHeader(bytes, file, IDX_LABELS_MAGIC, 1);
  if (count > MAX_IDX_ITEMS) throw new IdxError('too-large', file, `declares ${count} labels, more than the ${MAX_IDX_ITEMS} we accept`);
  const expected = 8 + count;
  if (bytes.length !== expected) {
    throw new IdxError('bad-length', file, `${bytes.length} bytes, expected exactly ${expected} for ${count} labels (${bytes.length < expected ? 'truncated' : 'trailing bytes'})`);
  }
  const labels = bytes.subarray(8);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= NUM_CLASSES) throw new IdxError('bad-label', file, `label ${labels[i]} at index ${i} is outside 0..${NUM_CLASSES - 1}`);
  }
  return { count, labels };
}

/** Encodes images as an IDX file (for fixtures and tests). `pixels` is (count, 784). */
export function encodeIdxImages(pixels: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(16 + count * NUM_INPUTS);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_IMAGES_MAGIC, false);
  view.setUint32(4, count, false);
  view.setUint32(8, IMAGE_SIDE, false);
  view.setUint32(12, IMAGE_SIDE, false);
  out.set(pixels.subarray(0, count * NUM_INPUTS), 16);
  return out;
}

/** Encodes labels as an IDX file (for fixtures and tests). */
export function encodeIdxLabels(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_LABELS_MAGIC, false);
  view.setUint32(4, labels.length, false);
  out.set(labels, 8);
  return out;
}
