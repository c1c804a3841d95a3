// Downloading the files from the published mirrors: try each mirror in turn, report progress, verify the
// uncompressed bytes, and only then move the file into the cache atomically (temp file in the same
// folder, fsync, rename), so the cache never holds a partial or unverified file. Every transfer is
// bounded: a byte budget per file (nothing past it is written), an idle timeout, a whole-transfer
// deadline, and a redirect policy (a few hops at most, never from https to http).

import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetProgress } from '../../core/protocol';
import { DatasetError, type DatasetErrorCode } from './errors';
import { DATASET_FILES, DEFAULT_MIRRORS, FASHION_MNIST_EXPECTED, type DatasetFileName, type ExpectedFile, type ExpectedTable } from './files';
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
  /**
   * Give up on a mirror when one file's whole transfer (request, redirects, body) takes longer than this
   * (ms). Default {@link downloadDeadlineMs} of the file: 60 s plus its size at 50 kB/s.
   */
  deadlineMs?: number;
}

/** One failed mirror attempt. */
export interface MirrorFailure {
  url: string;
  code: DatasetErrorCode;
  message: string;
}

/** Most redirects followed for one file: a mirror that redirects more (a loop) is refused. */
export const MAX_REDIRECTS = 5;

/** The shortest whole-transfer deadline: time for the connection and the first bytes on a slow link. */
export const MIN_DEADLINE_MS = 60_000;

/** The slow-but-reasonable rate the default deadline allows for (bytes per second: about 400 kbit/s). */
export const SLOW_RATE_BYTES_PER_S = 50_000;

/**
 * How long one file's transfer may take: 60 s plus its published `.gz` size (the uncompressed size when the
 * table has no `.gz` size) at 50 kB/s. For the published files: train images 60 + 528 s (about 10 min),
 * t10k images 148 s, each labels file about 61 s. A drip of a byte every 40 ms (25 B/s) never finishes
 * before it; an idle timeout alone would never notice it.
 */
export function downloadDeadlineMs(file: ExpectedFile): number {
  return MIN_DEADLINE_MS + Math.ceil(((file.gzBytes ?? file.bytes) / SLOW_RATE_BYTES_PER_S) * 1000);
}

/** The most bytes a response body may have, by what its first two bytes say it is. */
export interface DownloadBudget {
  /** A gzip body (the `.gz` file as published, or re-compressed by a mirror). */
  gzip: number;
  /** Any other body (a server that decoded the gzip, or served the raw file): exactly the published size. */
  raw: number;
}

/**
 * The byte budget of one file, from its published uncompressed size. A gzip body may be as large as the
 * uncompressed file plus gzip's worst-case framing (18 header and trailer bytes, up to 1 KiB of optional
 * name and comment fields, and 5 bytes per 64 KiB stored block). We chose this bound over "twice the
 * published .gz size" because it is both tighter (Fashion-MNIST compresses less than 2:1, so 2x the .gz is
 * larger than the file for all four) and true for any honest compressor at any level, Debian's re-gzipped
 * files included; anything larger is not the file, and the SHA-256 check would refuse it anyway, but only
 * after it had been written. A body that is not gzip must be exactly the published size, so that is its budget.
 */
export function downloadBudget(file: ExpectedFile): DownloadBudget {
  return { gzip: file.bytes + 18 + 1024 + 5 * Math.ceil(file.bytes / 65_535), raw: file.bytes };
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The longest delay a Node timer holds (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The policy for one redirect: where `location` (a Location header, maybe relative) leads from `from`,
 * after `hops` redirects already followed. Throws a DatasetError ('http-status') for a redirect loop
 * (more than {@link MAX_REDIRECTS} hops), a missing or unparsable Location, a scheme other than http(s),
 * and a downgrade from https to http (which would let anyone on the path replace the file's bytes before
 * a check they could also have seen coming). http to http and http to https are followed: a mirror the
 * user named over http is used as given.
 */
export function redirectTarget(from: string, location: string | null, hops: number): URL {
  if (hops >= MAX_REDIRECTS) {
    throw new DatasetError('http-status', from, `${from}: more than ${MAX_REDIRECTS} redirects (a redirect loop?); refused`);
  }
  if (location === null || location.trim() === '') {
    throw new DatasetError('http-status', from, `${from}: a redirect without a Location; refused`);
  }
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw new DatasetError('http-status', from, `${from}: a redirect to an invalid URL (${location}); refused`);
  }
  if (to.protocol !== 'https:' && to.protocol !== 'http:') {
    throw new DatasetError('http-status', from, `${from}: a redirect to ${to.protocol} (${to.href}); only http and https are followed`);
  }
  if (new URL(from).protocol === 'https:' && to.protocol === 'http:') {
    throw new DatasetError('http-status', from, `${from}: a redirect from https to plain http (${to.href}); refused`);
  }
  return to;
}

function asDatasetError(e: unknown, url: string, signal: AbortSignal | undefined, timedOut: DatasetError | null): DatasetError {
  if (e instanceof DatasetError) return e;
  if (timedOut) return timedOut;
  if (signal?.aborted) return new DatasetError('aborted', url, `download of ${url} was cancelled`, { cause: e });
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (e as Error).message;
  return new DatasetError('network', url, `${url}: connection failed or dropped (${detail})`, { cause: e });
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Fetches `url` into `tmpPath` (created exclusively), within the file's budget and deadline. Returns true when the body is gzip data. */
async function fetchToFile(url: string, tmpPath: string, name: DatasetFileName, file: ExpectedFile, opts: DownloadOptions): Promise<boolean> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const idleMs = opts.idleTimeoutMs ?? 30_000;
  const deadlineMs = opts.deadlineMs ?? downloadDeadlineMs(file);
  const budget = downloadBudget(file);
  let timedOut: DatasetError | null = null;
  const giveUp = (e: DatasetError): void => {
    timedOut ??= e;
    controller.abort();
  };
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => giveUp(new DatasetError('network', url, `${url}: no data for ${idleMs / 1000} s, giving up on this mirror`)), idleMs);
  };
  const deadline = setTimeout(() => {
    giveUp(new DatasetError('network', url, `${url}: not finished after ${deadlineMs / 1000} s (the whole-transfer deadline; a slower link needs a longer --deadline-s), giving up on this mirror`));
  }, Math.min(deadlineMs, MAX_TIMER_MS));
  const tooLarge = (bytes: number, limit: number, what: string): DatasetError =>
    new DatasetError('too-large', url, `${url}: ${what} ${bytes} bytes, more than the ${limit} allowed for ${name}; refused`);
  const fh = await open(tmpPath, 'wx');
  try {
    arm();
    let at = url;
    let res: Response;
    for (let hops = 0; ; hops++) {
      res = await fetch(at, { signal: controller.signal, redirect: 'manual' });
      if (!REDIRECT_STATUSES.has(res.status)) break;
      await res.body?.cancel();
      at = redirectTarget(at, res.headers.get('location'), hops).href;
      arm();
    }
    if (!res.ok || !res.body) {
      throw new DatasetError('http-status', url, `${url}: HTTP ${res.status} ${res.statusText}`.trimEnd());
    }
    // fetch decodes a Content-Encoding itself; Content-Length then counts the encoded bytes, not the body's.
    const encoding = res.headers.get('content-encoding');
    const header = encoding === null || encoding === 'identity' ? res.headers.get('content-length') : null;
    const total = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
    let bytes = 0;
    // Gzip or not is decided on the first two bytes, however the network chunks them; until then the
    // bytes wait here, so nothing is written before the budget that applies is known.
    let gzip: boolean | null = null;
    let limit = budget.gzip;
    let head: Uint8Array[] = [];
    let headBytes = 0;
    const write = async (chunk: Uint8Array): Promise<void> => {
      // Checked before writing: the file never holds a byte past the budget.
      if (bytes + chunk.length > limit) throw tooLarge(bytes + chunk.length, limit, 'sent at least');
      await fh.write(chunk);
      bytes += chunk.length;
      opts.onProgress?.({ phase: 'downloading', file: name, bytes, total, percent: total ? (100 * bytes) / total : undefined, fraction: total ? bytes / total : undefined, from: url });
    };
    const decide = (first: Uint8Array): boolean => {
      const isGz = isGzip(first);
      limit = isGz ? budget.gzip : budget.raw;
      // A body announced over budget is refused before any of it is written or the rest read.
      if (total !== undefined && total > limit) throw tooLarge(total, limit, 'announces');
      return isGz;
    };
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arm();
        if (gzip !== null) {
          await write(value);
          continue;
        }
        head.push(value);
        headBytes += value.length;
        if (headBytes < 2) continue;
        const first = concatBytes(head);
        head = [];
        gzip = decide(first);
        await write(first);
      }
      if (gzip === null) {
        // A body of 0 or 1 byte: not gzip (and not the file; verification says so).
        const first = concatBytes(head);
        gzip = decide(first);
        if (first.length > 0) await write(first);
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
    if (total !== undefined && bytes !== total) {
      throw new DatasetError('truncated', url, `${url}: received ${bytes} of ${total} bytes`);
    }
    await fh.sync();
    return gzip === true;
  } catch (e) {
    throw asDatasetError(e, url, opts.signal, timedOut);
  } finally {
    clearTimeout(idleTimer);
    clearTimeout(deadline);
    controller.abort();
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

/** The temp files this process is writing right now (absolute paths): never stale. */
const activeParts = new Set<string>();

/** When this process started (ms since the epoch): a `.part` file we cannot attribute and older than this is stale. */
const PROCESS_STARTED_MS = Date.now() - process.uptime() * 1000;

/** A `.part` file no live download has touched for this long is stale whatever its name says (pid reuse). */
const STALE_PART_AGE_MS = 60 * 60 * 1000;

/** `.NAME.PID.HEX.part`: the temp file of one download attempt. */
const PART_NAME = /^\.[^/]+\.(\d+)\.[0-9a-f]+\.part$/;

function partFileName(name: DatasetFileName): string {
  return `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, but someone else's
  }
}

/**
 * Removes the `.part` files a crashed or killed download left in `dir`: ours that no download of this
 * process is writing, another process's when that process is gone, any not touched for an hour, and
 * unattributable ones older than this process. A live download in another process (the app and
 * `npm run fetch-data` sharing the cache) keeps its file. Returns the names removed; never throws.
 */
export async function removeStaleParts(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // no folder yet: nothing stale
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const n of names) {
    if (!n.endsWith('.part')) continue;
    const path = join(dir, n);
    if (activeParts.has(path)) continue;
    try {
      const st = await stat(path);
      if (!st.isFile()) continue;
      const pid = PART_NAME.exec(n)?.[1];
      const stale = pid === undefined
        ? st.mtimeMs < PROCESS_STARTED_MS
        : Number(pid) === process.pid || now - st.mtimeMs > STALE_PART_AGE_MS || !processIsAlive(Number(pid));
      if (!stale) continue;
      await rm(path, { force: true });
      removed.push(n);
    } catch {
      // gone meanwhile, or not ours to remove: leave it
    }
  }
  return removed;
}

/**
 * Downloads one file into `destDir`, trying each mirror in order. The bytes go to a temp file in
 * `destDir` (at most the file's {@link downloadBudget}, within its deadline); after the uncompressed size
 * and SHA-256 check out it is fsynced and renamed to `NAME.gz` (or `NAME` when the body was not gzip).
 * Stale temp files of earlier processes are removed first; any failure removes this attempt's temp file.
 * Throws a DatasetError (the last mirror's code) listing every attempt.
 */
export async function downloadFile(name: DatasetFileName, destDir: string, opts: DownloadOptions = {}): Promise<string> {
  const mirrors = opts.mirrors ?? DEFAULT_MIRRORS;
  const expected = opts.expected ?? FASHION_MNIST_EXPECTED;
  await mkdir(destDir, { recursive: true });
  await removeStaleParts(destDir);
  const failures: MirrorFailure[] = [];
  for (const base of mirrors) {
    const url = `${base.endsWith('/') ? base : `${base}/`}${name}.gz`;
    const tmp = join(destDir, partFileName(name));
    activeParts.add(tmp);
    try {
      const gz = await fetchToFile(url, tmp, name, expected[name], opts);
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
    } finally {
      activeParts.delete(tmp);
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
