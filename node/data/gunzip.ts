// Gunzipping a dataset file into one buffer of its final size (often in the fast kernels' memory), bounded
// so that a gzip bomb is an error and not an out-of-memory. Two ways, the same bytes and the same errors:
//
// - GunzipInto drives the zlib handle that node:zlib's own sync functions drive (`handle.writeSync(flush,
//   in, inOff, inLen, out, outOff, outLen)`, its results in `_writeState`), with `out` the final buffer.
//   Nothing is allocated per chunk: the stream way makes a 16 KB Buffer for every 16 KB of output (47 MB
//   of garbage for the train images, ~12 MB of it still resident after the load, issue 15's 150 MB budget).
//   The handle is not a public API (minizlib drives it the same way), so gunzipInto() checks it is there.
// - gunzipStreamInto, node:zlib's stream: what runs where the handle is not (an engine that changed it).
// gunzipTo picks one and reads the file.

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { constants, createGunzip, type Gunzip } from 'node:zlib';
import { DatasetError, unreadable } from './errors';

/** The sync face of node:zlib's handle: inflate from `input` into `out`, leaving [avail out, avail in] in the write state. */
interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
}

/** A Gunzip stream's internals that GunzipInto uses. */
interface GunzipInternals {
  _handle?: Partial<ZlibHandle> | null;
  _writeState?: unknown;
}

/**
 * Gunzips chunk by chunk straight into `out` (at most `out.length` bytes: more is a 'too-large' error).
 * write() each chunk as it arrives (it is consumed before write returns, so the caller may reuse its
 * buffer), then end(), which returns the bytes written (all of `out`, or its start). Errors are
 * DatasetErrors naming `label`: 'too-large', 'truncated', 'bad-gzip'. Made by {@link gunzipInto}.
 */
export class GunzipInto {
  private written = 0;
  private done = false;
  /** Where output goes once `out` is full: any byte here means the data is larger than the bound. */
  private readonly spill = new Uint8Array(1);

  /** @internal Use gunzipInto(), which checks that the handle is there. */
  constructor(
    private readonly out: Uint8Array,
    private readonly label: string,
    private readonly gunzip: Gunzip,
    private readonly handle: ZlibHandle,
    private readonly state: Uint32Array,
  ) {}

  /** Inflates all of `chunk` into the output. */
  write(chunk: Uint8Array): void {
    this.inflate(constants.Z_NO_FLUSH, chunk);
  }

  /** Ends the data ('truncated' if the gzip stream has not ended) and returns the bytes written. */
  end(): Uint8Array {
    this.inflate(constants.Z_FINISH, this.out.subarray(0, 0));
    this.close();
    return this.written === this.out.length ? this.out : this.out.subarray(0, this.written);
  }

  /** Frees zlib's state (end() does; call it when giving up midway). */
  close(): void {
    if (this.done) return;
    this.done = true;
    this.gunzip.close();
  }

  private inflate(flush: number, input: Uint8Array): void {
    let at = 0;
    do {
      const room = this.out.length - this.written;
      const into = room > 0 ? this.out : this.spill;
      const intoAt = room > 0 ? this.written : 0;
      const intoLen = room > 0 ? room : this.spill.length;
      this.handle.writeSync(flush, input, at, input.length - at, into, intoAt, intoLen);
      const failed = this.gunzip.errored;
      if (failed) {
        this.close();
        throw gunzipError(failed, this.label, this.out.length);
      }
      const outLeft = this.state[0];
      const inLeft = this.state[1];
      const produced = intoLen - outLeft;
      if (room === 0 && produced > 0) {
        this.close();
        throw gunzipError(boundExceeded(), this.label, this.out.length);
      }
      this.written += room > 0 ? produced : 0;
      const consumed = input.length - at - inLeft;
      at += consumed;
      // No progress with input left: the gzip data has ended and what follows is padding zlib skips.
      if (consumed === 0 && produced === 0) return;
    } while (at < input.length);
  }
}

/**
 * A GunzipInto writing into `out`, or null where node:zlib's handle is not what GunzipInto drives (then
 * use {@link gunzipStreamInto}).
 */
export function gunzipInto(out: Uint8Array, label: string): GunzipInto | null {
  const gunzip = createGunzip();
  // Errors reach the stream (destroy(err) sets `errored` at once); this listener keeps the later 'error' event from throwing.
  gunzip.on('error', () => {});
  const { _handle: handle, _writeState: state } = gunzip as unknown as GunzipInternals;
  if (!handle || typeof handle.writeSync !== 'function' || !(state instanceof Uint32Array) || state.length < 2) {
    gunzip.close();
    return null;
  }
  return new GunzipInto(out, label, gunzip, handle as ZlibHandle, state);
}

/** Bytes read from a file per await, and inflated from bytes in memory per turn of the event loop. */
const READ_CHUNK = 256 * 1024;

/** Options of {@link gunzipTo}. */
export interface GunzipToOptions {
  /** Makes the output buffer of the asked size, or declines with null (ReadOptions.allocate). */
  allocate?: (bytes: number) => Uint8Array | null;
  /** Use node:zlib's stream even where GunzipInto works (tests of the other way). */
  stream?: boolean;
}

/**
 * Gunzips the gzip file at `path`, or gzip bytes already read, into one buffer of at most `bound` bytes:
 * `allocate`'s (e.g. KernelPool.allocate) unless it declines, else an ordinary one. With GunzipInto where
 * it works, else the stream. Awaits between chunks, so the event loop keeps turning while a 47 MB file
 * inflates. Short output (a small fixture) in an ordinary buffer is copied out so the large one can be
 * freed; of an allocated one its start is returned. Errors: DatasetErrors naming `label`.
 */
export async function gunzipTo(source: { path: string } | { bytes: Uint8Array }, bound: number, label: string, opts: GunzipToOptions = {}): Promise<Uint8Array> {
  const allocated = opts.allocate?.(Math.max(0, bound)) ?? null;
  const out = allocated ?? new Uint8Array(Math.max(0, bound));
  const inflater = opts.stream ? null : gunzipInto(out, label);
  let bytes: Uint8Array;
  if (!inflater) {
    bytes = await gunzipStreamInto('path' in source ? createReadStream(source.path) : Readable.from([source.bytes]), out, label);
  } else {
    try {
      if ('path' in source) await inflateFile(source.path, inflater);
      else {
        for (let at = 0; at < source.bytes.length; at += READ_CHUNK) {
          if (at > 0) await nextTurn();
          inflater.write(source.bytes.subarray(at, at + READ_CHUNK));
        }
      }
      bytes = inflater.end();
    } finally {
      inflater.close();
    }
  }
  return bytes.length === out.length || allocated ? bytes : bytes.slice();
}

/** Reads the file at `path` through one reused buffer into `inflater`. */
async function inflateFile(path: string, inflater: GunzipInto): Promise<void> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw unreadable(path, e);
  }
  try {
    const buf = new Uint8Array(READ_CHUNK);
    for (;;) {
      let n: number;
      try {
        ({ bytesRead: n } = await fh.read(buf, 0, buf.length, null));
      } catch (e) {
        throw unreadable(path, e);
      }
      if (n === 0) return;
      inflater.write(buf.subarray(0, n));
    }
  } finally {
    await fh.close();
  }
}

/**
 * Gunzips a stream into `out` (more output than it holds stops the stream with a 'too-large' error) and
 * returns the bytes written: node:zlib's stream, for where GunzipInto cannot work.
 */
export async function gunzipStreamInto(source: Readable, out: Uint8Array, label: string): Promise<Uint8Array> {
  let written = 0;
  const gunzip = createGunzip();
  try {
    for await (const chunk of source.pipe(gunzip) as AsyncIterable<Buffer>) {
      if (written + chunk.length > out.length) {
        source.destroy();
        gunzip.destroy();
        throw boundExceeded();
      }
      out.set(chunk, written);
      written += chunk.length;
    }
  } catch (e) {
    throw gunzipError(e, label, out.length);
  }
  return written === out.length ? out : out.subarray(0, written);
}

/** The cause of a 'too-large' error: more output than the buffer holds (gunzipError's ERR_BUFFER_TOO_LARGE). */
function boundExceeded(): Error {
  return Object.assign(new Error('output exceeds bound'), { code: 'ERR_BUFFER_TOO_LARGE' });
}

/** The DatasetError for a gunzip failure: 'too-large' (past the bound), 'truncated' (ends early) or 'bad-gzip'. */
export function gunzipError(e: unknown, label: string, bound: number): DatasetError {
  const code = (e as { code?: string }).code;
  if (code === 'ERR_BUFFER_TOO_LARGE') {
    return new DatasetError('too-large', label, `${label}: decompresses to more than ${bound} bytes (not the expected file, or a gzip bomb); refusing to continue`, { cause: e });
  }
  if (code === 'Z_BUF_ERROR') {
    return new DatasetError('truncated', label, `${label}: the gzip data ends early (truncated file or interrupted download)`, { cause: e });
  }
  return new DatasetError('bad-gzip', label, `${label}: not valid gzip data (${(e as Error).message})`, { cause: e });
}
