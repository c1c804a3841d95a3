// Finding the four files on disk, in the documented order: an explicit folder (--data DIR, or
// FASHION_MNIST_DIR), the user cache, Debian's dataset-fashion-mnist folder. Only finds paths; reading
// and verifying is read.ts's job, downloading download.ts's. Also used by the web dev server.

import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DATASET_DIR_ENV, DATASET_FILES, SYSTEM_DATASET_DIR, type DatasetFileName } from './files';

/** Where a folder in the search came from. */
export type PlaceKind = 'explicit' | 'env' | 'cache' | 'system';

/** One folder searched. */
export interface SearchPlace {
  kind: PlaceKind;
  dir: string;
}

/** One file found on disk. */
export interface DatasetFile {
  name: DatasetFileName;
  /** Absolute path. */
  path: string;
  /** True for `NAME.gz` (served with Content-Encoding or decompressed by the reader). */
  gzipped: boolean;
  /** Size on disk in bytes. */
  bytes: number;
}

/** A folder holding all four files. */
export interface LocatedDataset {
  kind: PlaceKind;
  dir: string;
  files: Record<DatasetFileName, DatasetFile>;
}

/** Options of the search. */
export interface LocateOptions {
  /** An explicit folder (--data DIR). When set, it is the only place searched. */
  dir?: string;
  /** Environment (FASHION_MNIST_DIR, XDG_CACHE_HOME); process.env by default. */
  env?: Record<string, string | undefined>;
  /** The user cache folder; by default $XDG_CACHE_HOME/softmax-lab/fashion-mnist or ~/.cache/…. */
  cacheDir?: string;
  /** System folders; by default [/usr/share/datasets/fashion-mnist]. */
  systemDirs?: readonly string[];
}

/** The default cache folder: $XDG_CACHE_HOME/softmax-lab/fashion-mnist, else ~/.cache/softmax-lab/fashion-mnist. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.trim() !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'softmax-lab', 'fashion-mnist');
}

/**
 * The folders to search, in order. An explicit folder (option, else FASHION_MNIST_DIR) replaces the
 * search: a typo in --data should be an error, not a silent fallback to other files.
 */
export function searchPlaces(opts: LocateOptions = {}): SearchPlace[] {
  const env = opts.env ?? process.env;
  if (opts.dir !== undefined) return [{ kind: 'explicit', dir: resolve(opts.dir) }];
  const fromEnv = env[DATASET_DIR_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return [{ kind: 'env', dir: resolve(fromEnv) }];
  return [
    { kind: 'cache', dir: resolve(opts.cacheDir ?? defaultCacheDir(env)) },
    ...(opts.systemDirs ?? [SYSTEM_DATASET_DIR]).map((dir): SearchPlace => ({ kind: 'system', dir: resolve(dir) })),
  ];
}

function fileIn(dir: string, name: DatasetFileName): DatasetFile | null {
  // The uncompressed file wins when both exist: no decompression needed.
  for (const [file, gzipped] of [[name, false], [`${name}.gz`, true]] as const) {
    const path = join(dir, file);
    try {
      const st = statSync(path);
      if (st.isFile()) return { name, path, gzipped, bytes: st.size };
    } catch {
      // absent or unreadable: try the next form
    }
  }
  return null;
}

/** What one folder holds: the files present and the names missing. */
export function scanDir(dir: string): { files: Partial<Record<DatasetFileName, DatasetFile>>; missing: DatasetFileName[] } {
  const files: Partial<Record<DatasetFileName, DatasetFile>> = {};
  const missing: DatasetFileName[] = [];
  if (!existsSync(dir)) return { files, missing: [...DATASET_FILES] };
  for (const name of DATASET_FILES) {
    const f = fileIn(dir, name);
    if (f) files[name] = f;
    else missing.push(name);
  }
  return { files, missing };
}

/** The search's outcome: the first complete folder (or null), and what each searched folder lacked. */
export interface LocateResult {
  found: LocatedDataset | null;
  searched: { place: SearchPlace; missing: DatasetFileName[] }[];
}

/** Searches the folders in order and stops at the first that holds all four files. */
export function locateDataset(opts: LocateOptions = {}): LocateResult {
  const searched: LocateResult['searched'] = [];
  for (const place of searchPlaces(opts)) {
    const { files, missing } = scanDir(place.dir);
    searched.push({ place, missing });
    if (missing.length === 0) return { found: { kind: place.kind, dir: place.dir, files: files as Record<DatasetFileName, DatasetFile> }, searched };
  }
  return { found: null, searched };
}

/**
 * Paths of the four files on disk, or null when no folder holds them all. For serving the raw files
 * (e.g. the web dev server); it neither reads, verifies nor downloads.
 */
export function locateDatasetFiles(opts: LocateOptions = {}): LocatedDataset | null {
  return locateDataset(opts).found;
}

/** A human description of a searched place, e.g. "/usr/share/datasets/fashion-mnist (Debian package)". */
export function describePlace(place: SearchPlace): string {
  const what = { explicit: '--data', env: DATASET_DIR_ENV, cache: 'user cache', system: 'Debian package dataset-fashion-mnist' }[place.kind];
  return `${place.dir} (${what})`;
}
