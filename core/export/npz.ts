// The model as NumPy reads it: an .npz (a ZIP of .npy files, stored uncompressed, each with its CRC-32)
// holding W (float32, (784, 10), C order) and b (float32, (10,)), so that `np.load('model.npz')` and
// `X @ W + b` give the app's logits. Pure: returns bytes; writing them is the host's job (CLI, main, web).
// The .npy header follows the NPY format spec v1.0 (numpy.lib.format); the ZIP container is fflate's.

import { zipSync } from 'fflate';
import { allFinite } from '../model';
import { NUM_CLASSES as K, NUM_INPUTS as D, NUM_PARAMS } from '../shapes';

/** The NPY magic string: \x93NUMPY. */
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
/** The spec asks for the whole header (magic .. newline) to end on a multiple of 64 bytes. */
const NPY_ALIGN = 64;

/**
 * One float32 array as .npy bytes (format version 1.0): magic, version 1.0, the header length
 * (uint16 little-endian), the header dict padded with spaces and ended with '\n' to a multiple of 64
 * bytes, then the data, little-endian, C order. `shape` must multiply out to `data.length`.
 */
export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, n) => a * n, 1);
  if (!shape.every((n) => Number.isInteger(n) && n >= 0) || count !== data.length) {
    throw new RangeError(`shape (${shape.join(', ')}) does not hold ${data.length} values`);
  }
  // Python's repr of a tuple: (784, 10) and (10,), the trailing comma marking a 1-tuple.
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  const prefix = NPY_MAGIC.length + 2 + 2; // magic, major/minor version, header length
  const unpadded = prefix + dict.length + 1; // + the final newline
  const padding = (NPY_ALIGN - (unpadded % NPY_ALIGN)) % NPY_ALIGN;
  const headerLength = dict.length + padding + 1;
  if (headerLength > 0xffff) throw new RangeError('the .npy header is too long for format version 1.0');

  const out = new Uint8Array(prefix + headerLength + data.length * 4);
  out.set(NPY_MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  const view = new DataView(out.buffer);
  view.setUint16(8, headerLength, true);
  let o = prefix;
  for (let i = 0; i < dict.length; i++) out[o++] = dict.charCodeAt(i); // the dict is ASCII
  out.fill(0x20, o, o + padding);
  o += padding;
  out[o++] = 0x0a;
  // DataView, not a Float32Array view: the bytes must be little-endian on any host.
  for (let i = 0; i < data.length; i++, o += 4) view.setFloat32(o, data[i], true);
  return out;
}

/** Options of {@link encodeModelNpz}. */
export interface NpzOptions {
  /**
   * Modification time written in the ZIP entries (as local time, the ZIP way). A fixed date by default,
   * so the same weights always give the same bytes; pass `new Date()` for the time of export.
   */
  modified?: Date;
}

/** The fixed default entry date: the first day a ZIP (MS-DOS) date can hold. */
const DOS_EPOCH = (): Date => new Date(1980, 0, 1);

/**
 * The model as an .npz: `W.npy` (float32, (784, 10), C order, so W[d, k] = params[d*10 + k]) and
 * `b.npy` (float32, (10,)), stored uncompressed, as `numpy.savez` writes them.
 * params: (D*K + K) W row-major then b, as Trainer.weights() returns.
 */
export function encodeModelNpz(params: Float32Array, opts: NpzOptions = {}): Uint8Array {
  if (params.length !== NUM_PARAMS) throw new RangeError(`expected ${NUM_PARAMS} parameters, got ${params.length}`);
  if (!allFinite(params)) throw new RangeError('the weights contain NaN or Infinity; a diverged model is not exported');
  const mtime = opts.modified ?? DOS_EPOCH();
  return zipSync({
    'W.npy': encodeNpyFloat32(params.subarray(0, D * K), [D, K]),
    'b.npy': encodeNpyFloat32(params.subarray(D * K), [K]),
  }, { level: 0, mtime });
}
