// Downloading the files from the published mirrors: try each mirror in turn, report progress, verify the
// uncompressed bytes, and only then move the file into the cache atomically (temp file in the same
// folder, fsync, rename), so the cache never holds a partial or unverified file.

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetProgress } from '../../core/protocol';
import { DatasetError, type DatasetErrorCode } from './errors';
import { DATASET_FILES, DEFAULT_MIRRORS, FASHION_MNIST_EXPECTED, type DatasetFileName, type ExpectedTable } from './files';
import { isGzip, readVerified } from './read';

/** Progress of a download (core's DatasetProgress, plus a percentage for people). */
export interface DownloadProgress extends DatasetProgress {
  phase: 'downloading' | 'verifying';
  file: DatasetFileName;
  /** Bytes received so far (compressed). */
  bytes: number;
  /** Content-Length of the response, when the server sent one. */
  total?: number;
  /** 0..100, when the total is known. */
  percent?: number;
  /** The URL being fetched. */
  from: string;
}

/** Options of {@link downloadFile} and {@link downloadDataset}. */
export interface DownloadOptions {
  /** Base URLs tried in order (each ends with '/'; the file is `${base}${name}.gz`). */
  mirrors?: readonly string[];
  /** Expected sizes and hashes (the published table by default; tests pass their own). */
  expected?: ExpectedTable;
  /** Called as bytes arrive and when verification starts. */
  onProgress?: (p: DownloadProgress) => void;
  /** Cancels the download; the partial file is removed. */
  signal?: AbortSignal;
  /** Give up on a mirror when no bytes arrive for this long (ms). Default 30 s. */
  idleTimeoutMs?: number;
}

/** One failed mirror attempt. */
export interface MirrorFailure {
  url: string;
  code: DatasetErrorCode;
  message: string;
}

function asDatasetError(e: unknown, url: string, signal: AbortSignal | undefined, idle: DatasetError | null): DatasetError {
  if (e instanceof DatasetError) return e;
  if (idle) return idle;
  if (signal?.aborted) return new DatasetError('aborted', url, `download of ${url} was cancelled`, { cause: e });
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (e as Error).message;
  return new DatasetError('network', url, `${url}: connection failed or dropped (${detail})`, { cause: e });
}

/** Fetches `url` into `tmpPath` (created exclusively). Returns true when the body is gzip data. */
async function fetchToFile(url: string, tmpPath: string, name: DatasetFileName, opts: DownloadOptions): Promise<boolean> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const idleMs = opts.idleTimeoutMs ?? 30_000;
  let idleError: DatasetError | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idleError = new DatasetError('network', url, `${url}: no data for ${idleMs / 1000} s, giving up on this mirror`);
      controller.abort();
    }, idleMs);
  };
  const fh = await open(tmpPath, 'wx');
  try {
    arm();
    const res = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!res.ok || !res.body) {
      throw new DatasetError('http-status', url, `${url}: HTTP ${res.status} ${res.statusText}`.trimEnd());
    }
    const header = res.headers.get('content-length');
    const total = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
    let bytes = 0;
    let head: Uint8Array | null = null;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arm();
      if (head === null) head = value.subarray(0, 2);
      await fh.write(value);
      bytes += value.length;
      opts.onProgress?.({ phase: 'downloading', file: name, bytes, total, percent: total ? (100 * bytes) / total : undefined, fraction: total ? bytes / total : undefined, from: url });
    }
    if (total !== undefined && bytes !== total) {
      throw new DatasetError('truncated', url, `${url}: received ${bytes} of ${total} bytes`);
    }
    await fh.sync();
    return head !== null && isGzip(head);
  } catch (e) {
    throw asDatasetError(e, url, opts.signal, idleError);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    await fh.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // not supported on every platform (Windows); the rename itself is still atomic
  }
}

/**
 * Downloads one file into `destDir`, trying each mirror in order. The bytes go to a temp file in
 * `destDir`; after the uncompressed size and SHA-256 check out it is fsynced and renamed to `NAME.gz`.
 * Any failure removes the temp file. Throws a DatasetError (the last mirror's code) listing every attempt.
 */
export async function downloadFile(name: DatasetFileName, destDir: string, opts: DownloadOptions = {}): Promise<string> {
  const mirrors = opts.mirrors ?? DEFAULT_MIRRORS;
  const expected = opts.expected ?? FASHION_MNIST_EXPECTED;
  await mkdir(destDir, { recursive: true });
  const failures: MirrorFailure[] = [];
  for (const base of mirrors) {
    const url = `${base.endsWith('/') ? base : `${base}/`}${name}.gz`;
    const tmp = join(destDir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
    try {
      const gz = await fetchToFile(url, tmp, name, opts);
      opts.onProgress?.({ phase: 'verifying', file: name, bytes: 0, from: url });
      await readVerified(tmp, name, { verify: 'strict', expected }).catch((e: unknown) => {
        if (e instanceof DatasetError) throw new DatasetError(e.code, url, e.message.replace(tmp, url), { cause: e });
        throw e;
      });
      const finalPath = join(destDir, gz ? `${name}.gz` : name);
      // The uncompressed form would shadow a fresh .gz (locate prefers it), so drop any stale one.
      if (gz) await rm(join(destDir, name), { force: true });
      await rename(tmp, finalPath);
      await syncDir(destDir);
      return finalPath;
    } catch (e) {
      await rm(tmp, { force: true });
      const err = e instanceof DatasetError ? e : asDatasetError(e, url, opts.signal, null);
      if (err.code === 'aborted') throw err;
      failures.push({ url, code: err.code, message: err.message });
    }
  }
  const last = failures[failures.length - 1];
  throw new DatasetError(last?.code ?? 'not-found', name, `could not download ${name}: ${failures.map((f) => f.message).join('; ') || 'no mirrors configured'}`, {
    lookedIn: failures.map((f) => f.url),
  });
}

/**
 * Downloads the given files (all four by default) into `destDir`. Returns the paths by name. Stops at
 * the first file that no mirror could provide.
 */
export async function downloadDataset(destDir: string, opts: DownloadOptions & { names?: readonly DatasetFileName[] } = {}): Promise<Record<DatasetFileName, string>> {
  const out: Partial<Record<DatasetFileName, string>> = {};
  for (const name of opts.names ?? DATASET_FILES) out[name] = await downloadFile(name, destDir, opts);
  return out as Record<DatasetFileName, string>;
}
