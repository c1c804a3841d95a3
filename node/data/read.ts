// Reading one dataset file: gunzip when it is gzip data (bounded, so a gzip bomb is an error and not an
// out-of-memory), then check the UNCOMPRESSED size and SHA-256 against the published table. Checking the
// uncompressed bytes matters because Debian re-gzipped the files: their .gz bytes differ from Zalando's.

import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { MAX_IDX_ITEMS } from '../../core/idx';
import { NUM_INPUTS } from '../../core/shapes';
import { isGzip } from '../../core/dataset-files';
import { DatasetError, unreadable } from './errors';
import { FASHION_MNIST_EXPECTED, type DatasetFileName, type ExpectedTable } from './files';
import { gunzipTo } from './gunzip';

/**
 * How strictly to check a file against the expected table:
 * - 'strict': size and SHA-256 must match (cache, system package, downloads);
 * - 'auto': check the SHA-256 only when the size equals the published size, otherwise leave the checks
 *   to the IDX parser. For `--data DIR`: the real files get verified, small test fixtures still load;
 * - 'none': no size or hash check.
 */
export type VerifyMode = 'strict' | 'auto' | 'none';

/** Options of {@link readVerified} and {@link decodeVerified}. */
export interface ReadOptions {
  /** Default 'strict'. */
  verify?: VerifyMode;
  /** Expected sizes and hashes; the published Fashion-MNIST table by default. */
  expected?: ExpectedTable;
  /** Largest uncompressed size accepted; by default the expected size of that file. */
  maxBytes?: number;
  /**
   * Where the uncompressed bytes go: a buffer of the asked size (e.g. in the fast kernels' memory,
   * KernelPool.allocate, so batches need no copy), or null for an ordinary one. Used for the final buffer
   * only, so the file is never held twice.
   */
  allocate?: (bytes: number) => Uint8Array | null;
}

/** Largest file any IDX images file we accept can be (16-byte header + 1e6 images). */
export const MAX_DATASET_FILE_BYTES = 16 + MAX_IDX_ITEMS * NUM_INPUTS;

export { isGzip };

/** SHA-256 of `bytes`, hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function boundFor(name: DatasetFileName, opts: ReadOptions): number {
  if (opts.maxBytes !== undefined) return opts.maxBytes;
  const expected = (opts.expected ?? FASHION_MNIST_EXPECTED)[name];
  return expected ? expected.bytes : MAX_DATASET_FILE_BYTES;
}

/**
 * Decompresses (when gzip) and verifies the bytes of dataset file `name`. `label` (usually the path)
 * names the file in error messages. Returns the uncompressed bytes.
 */
export async function decodeVerified(raw: Uint8Array, name: DatasetFileName, label: string, opts: ReadOptions = {}): Promise<Uint8Array> {
  const bound = boundFor(name, opts);
  let bytes: Uint8Array = raw;
  if (isGzip(raw)) {
    bytes = await gunzipTo({ bytes: raw }, bound, label, { allocate: opts.allocate });
  } else if (raw.length > bound) {
    throw new DatasetError('too-large', label, `${label}: ${raw.length} bytes, more than the ${bound} expected for ${name}`);
  } else if (opts.allocate) {
    const placed = opts.allocate(raw.length);
    if (placed) {
      placed.set(raw);
      bytes = placed;
    }
  }
  checkExpected(bytes, name, label, opts);
  return bytes;
}

function checkExpected(bytes: Uint8Array, name: DatasetFileName, label: string, opts: ReadOptions): void {
  const mode = opts.verify ?? 'strict';
  if (mode === 'none') return;
  const expected = (opts.expected ?? FASHION_MNIST_EXPECTED)[name];
  if (!expected) return;
  if (bytes.length !== expected.bytes) {
    if (mode === 'auto') return; // not the published file (e.g. a small fixture): the IDX parser checks it
    throw new DatasetError('size-mismatch', label, `${label}: ${bytes.length} bytes uncompressed, expected ${expected.bytes} for ${name}`);
  }
  const got = sha256Hex(bytes);
  if (got !== expected.sha256) {
    throw new DatasetError('checksum-mismatch', label, `${label}: SHA-256 of the uncompressed bytes is ${got}, expected ${expected.sha256} for ${name} (damaged or modified; delete it and fetch it again)`);
  }
}

/** Reads, decompresses (when gzip) and verifies the dataset file at `path`. Returns the uncompressed bytes. */
export async function readVerified(path: string, name: DatasetFileName, opts: ReadOptions = {}): Promise<Uint8Array> {
  const bound = boundFor(name, opts);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw unreadable(path, e);
  }
  // A compressed file is never much larger than its contents; refuse absurd sizes before reading them.
  if (size > bound + 1024 * 1024 + Math.ceil(bound / 100)) {
    throw new DatasetError('too-large', path, `${path}: ${size} bytes on disk, far more than the ${bound} expected for ${name}`);
  }
  const head = await readHead(path);
  if (!isGzip(head) && opts.allocate && size <= bound) {
    // Uncompressed, into the buffer the caller allocates: one read of exactly the file's size.
    const out = opts.allocate(size);
    if (out) {
      await readInto(path, out);
      checkExpected(out, name, path, opts);
      return out;
    }
  }
  if (!isGzip(head)) {
    // Uncompressed: one read of exactly the file's size.
    const { readFile } = await import('node:fs/promises');
    let raw: Buffer;
    try {
      raw = await readFile(path);
    } catch (e) {
      throw unreadable(path, e);
    }
    return decodeVerified(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), name, path, opts);
  }
  const bytes = await gunzipTo({ path }, bound, path, { allocate: opts.allocate });
  checkExpected(bytes, name, path, opts);
  return bytes;
}

/** Reads the file at `path` into `out`, which has exactly its size. */
async function readInto(path: string, out: Uint8Array): Promise<void> {
  const { open } = await import('node:fs/promises');
  try {
    const fh = await open(path, 'r');
    try {
      for (let at = 0; at < out.length;) {
        const { bytesRead } = await fh.read(out, at, out.length - at, at);
        if (bytesRead === 0) throw new Error(`ends after ${at} of ${out.length} bytes`);
        at += bytesRead;
      }
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw unreadable(path, e);
  }
}

async function readHead(path: string): Promise<Uint8Array> {
  const { open } = await import('node:fs/promises');
  try {
    const fh = await open(path, 'r');
    try {
      const buf = new Uint8Array(2);
      const { bytesRead } = await fh.read(buf, 0, 2, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw unreadable(path, e);
  }
}
