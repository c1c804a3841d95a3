// loadFashionMnist: the whole way from "where are the files?" to core's in-memory FashionMnist:
// locate (explicit folder, cache, system package), else download into the cache, then read, verify and
// parse. What the CLI, the benchmark and the Electron utility process call. Each use of the cache also
// clears the temp files a crashed download left there.

import { existsSync } from 'node:fs';
import type { FashionMnist } from '../../core/dataset';
import { datasetFromIdx } from '../../core/dataset';
import { IdxError } from '../../core/idx';
import type { DatasetProgress } from '../../core/protocol';
import { isImagesFile } from '../../core/dataset-files';
import { downloadDataset, removeStaleParts, type DownloadOptions, type DownloadProgress } from './download';
import { DatasetError } from './errors';
import { DATASET_FILES, DEFAULT_MIRRORS, HOW_TO_GET_FILES, type DatasetFileName } from './files';
import { describePlace, locateDataset, scanDir, type LocateOptions, type LocateResult, type LocatedDataset, type PlaceKind } from './locate';
import { readVerified, type VerifyMode } from './read';

/** Options of {@link loadFashionMnist}. */
export interface LoadOptions extends LocateOptions, Omit<DownloadOptions, 'onProgress'> {
  /** Download into the cache when no folder has the files (default true; never for an explicit folder). */
  download?: boolean;
  /** Progress of every phase: locating, downloading (with bytes/total/percent), verifying, parsing. */
  onProgress?: (p: DatasetProgress | DownloadProgress) => void;
  /**
   * Where the two images files' bytes go (ReadOptions.allocate): KernelPool.allocate puts them in the fast
   * kernels' memory, which then read each batch where it lies. Ordinary buffers when omitted or null.
   */
  allocate?: (bytes: number) => Uint8Array | null;
}

/** The dataset, and where it came from. */
export interface LoadedFashionMnist extends FashionMnist {
  /** Which kind of place the files were read from ('download' when just fetched into the cache). */
  source: PlaceKind | 'download';
  /** The folder the files were read from. */
  dir: string;
}

/**
 * Verification for a folder: the user's own folder gets 'auto' (the published files are checked, other
 * files only parsed, so fixtures work); the cache and the system package must hold the published files.
 */
function verifyModeFor(kind: PlaceKind): VerifyMode {
  return kind === 'explicit' || kind === 'env' ? 'auto' : 'strict';
}

/** Reads, verifies and parses the four files of a located folder. */
export async function readLocatedDataset(found: LocatedDataset, opts: Pick<LoadOptions, 'expected' | 'onProgress' | 'allocate'> & { verify?: VerifyMode } = {}): Promise<FashionMnist> {
  const verify = opts.verify ?? verifyModeFor(found.kind);
  // One file at a time: the peak stays near the final 55 MB of bytes (issue 7's 150 MB RSS budget).
  const bytes: Uint8Array[] = [];
  for (const name of DATASET_FILES) {
    const { path } = found.files[name];
    opts.onProgress?.({ phase: 'verifying', file: name, from: path });
    const allocate = isImagesFile(name) ? opts.allocate : undefined;
    bytes.push(await readVerified(path, name, { verify, expected: opts.expected, allocate }));
  }
  const byName = Object.fromEntries(DATASET_FILES.map((n, i) => [n, bytes[i]])) as Record<DatasetFileName, Uint8Array>;
  const path = (n: DatasetFileName): string => found.files[n].path;
  opts.onProgress?.({ phase: 'parsing', from: found.dir });
  try {
    return {
      train: datasetFromIdx(byName['train-images-idx3-ubyte'], byName['train-labels-idx1-ubyte'], path('train-images-idx3-ubyte'), path('train-labels-idx1-ubyte')),
      test: datasetFromIdx(byName['t10k-images-idx3-ubyte'], byName['t10k-labels-idx1-ubyte'], path('t10k-images-idx3-ubyte'), path('t10k-labels-idx1-ubyte')),
    };
  } catch (e) {
    if (e instanceof IdxError) throw new DatasetError('invalid-idx', e.file, e.message, { cause: e });
    throw e;
  }
}

/** Builds the not-found error: every place searched, what each lacked, the download attempts, and how to get the files. */
export function notFoundError(searched: LocateResult['searched'], downloadFailure: DatasetError | null, mirrors: readonly string[] | null): DatasetError {
  const lines = ['Fashion-MNIST files not found. Looked in:'];
  const lookedIn: string[] = [];
  for (const { place, missing } of searched) {
    lookedIn.push(place.dir);
    const what = !existsSync(place.dir) ? 'folder does not exist' : missing.length === DATASET_FILES.length ? 'none of the four files' : `missing ${missing.join(', ')}`;
    lines.push(`  - ${describePlace(place)}: ${what}`);
  }
  if (mirrors) {
    lookedIn.push(...mirrors);
    lines.push(`  - download from ${mirrors.join(' and ')}: ${downloadFailure ? downloadFailure.message : 'failed'}`);
  }
  lines.push('To get the files:', ...HOW_TO_GET_FILES.split('\n').map((l) => `  ${l}`));
  return new DatasetError('not-found', null, lines.join('\n'), { cause: downloadFailure ?? undefined, lookedIn, help: HOW_TO_GET_FILES });
}

/**
 * Loads Fashion-MNIST: the first folder holding all four files (explicit folder or FASHION_MNIST_DIR
 * alone when given; else the user cache, then /usr/share/datasets/fashion-mnist), else downloads the
 * missing files into the cache. Throws a DatasetError: 'not-found' naming every place tried, or the
 * code of the file that failed verification or parsing.
 */
export async function loadFashionMnist(opts: LoadOptions = {}): Promise<LoadedFashionMnist> {
  opts.onProgress?.({ phase: 'locating' });
  const located = locateDataset(opts);
  const cache = located.searched.find((s) => s.place.kind === 'cache');
  // A crash mid-download leaves a temp file that no later download would reuse: clear it on every use.
  if (cache) await removeStaleParts(cache.place.dir);
  if (located.found) {
    const data = await readLocatedDataset(located.found, opts);
    return { ...data, source: located.found.kind, dir: located.found.dir };
  }
  if (!cache || opts.download === false) throw notFoundError(located.searched, null, null);
  const mirrors = opts.mirrors ?? DEFAULT_MIRRORS;
  try {
    await downloadDataset(cache.place.dir, { ...opts, mirrors, names: cache.missing });
  } catch (e) {
    if (e instanceof DatasetError && e.code === 'aborted') throw e;
    throw notFoundError(located.searched, e instanceof DatasetError ? e : null, mirrors);
  }
  const { files, missing } = scanDir(cache.place.dir);
  if (missing.length > 0) throw notFoundError(located.searched, null, mirrors);
  const found: LocatedDataset = { kind: 'cache', dir: cache.place.dir, files: files as LocatedDataset['files'] };
  const data = await readLocatedDataset(found, opts);
  return { ...data, source: 'download', dir: found.dir };
}
