// Loading Fashion-MNIST inside the trainer Web Worker: from the page's local route
// (/dataset/<name>.gz, else the uncompressed name) with download progress, or from bytes the user
// picked. Gzip is undone with DecompressionStream; nothing here touches the DOM.

import { datasetFromIdx, type FashionMnist } from '../../core/dataset';
import { DATASET_FILES, type DatasetFileName, type DatasetProgress } from '../../core/protocol';

/** How to get the files, for the offline explanation. */
export const DATASET_HELP = 'Pick the four files (gzipped or not) with "Pick the four files", or install the Debian package: sudo apt install dataset-fashion-mnist (then reload the page).';

/** A dataset that could not be loaded, with every place tried. */
export class DatasetLoadError extends Error {
  override readonly name = 'DatasetLoadError';
  constructor(message: string, readonly code: string, readonly lookedIn: string[]) {
    super(message);
  }
}

/** True when `bytes` start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The bytes, decompressed when gzipped. */
export async function gunzipIfNeeded(bytes: Uint8Array): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Builds train and test splits from the four files' (uncompressed) bytes. */
export function splitsFromFiles(files: Record<DatasetFileName, Uint8Array>): FashionMnist {
  return {
    train: datasetFromIdx(files['train-images-idx3-ubyte'], files['train-labels-idx1-ubyte'], 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    test: datasetFromIdx(files['t10k-images-idx3-ubyte'], files['t10k-labels-idx1-ubyte'], 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
  };
}

/** Decompresses and parses bytes the user picked; throws DatasetLoadError naming the missing files. */
export async function datasetFromBytes(files: Partial<Record<DatasetFileName, Uint8Array>>): Promise<FashionMnist> {
  const missing = DATASET_FILES.filter((n) => !files[n]);
  if (missing.length > 0) throw new DatasetLoadError(`missing ${missing.join(', ')}`, 'missing-files', ['the files you picked']);
  const out = {} as Record<DatasetFileName, Uint8Array>;
  for (const n of DATASET_FILES) out[n] = await gunzipIfNeeded(files[n] as Uint8Array);
  return splitsFromFiles(out);
}

interface Opened {
  name: DatasetFileName;
  url: string;
  res: Response;
  total: number | null;
  done: number;
}

/** The folders a server's 404 says it searched ("… looked in: A; B"), or the message itself. */
function placesFromServer(message: string): string[] {
  const m = /looked in: (.*)$/s.exec(message.trim());
  return m ? m[1].split('; ').map((p) => p.trim()).filter(Boolean) : message.trim() ? [message.trim()] : [];
}

async function openOne(base: string, name: DatasetFileName, serverSaid: Set<string>): Promise<Opened> {
  for (const file of [`${name}.gz`, name]) {
    const url = new URL(file, base).href;
    let res: Response;
    try {
      res = await fetch(url, { cache: 'no-store' });
    } catch (err) {
      throw new DatasetLoadError(`could not reach the page's server at ${base} (${err instanceof Error ? err.message : String(err)}); it is offline, or the page was opened without it`, 'unreachable', [base]);
    }
    if (res.ok) {
      const len = Number(res.headers.get('Content-Length'));
      return { name, url, res, total: Number.isFinite(len) && len > 0 ? len : null, done: 0 };
    }
    for (const place of placesFromServer((await res.text().catch(() => '')).slice(0, 2000))) serverSaid.add(place);
  }
  throw new DatasetLoadError(`the page's server has no ${name} (.gz or uncompressed)`, 'not-found', [`${base} (the page's server), which searched:`, ...serverSaid]);
}

/**
 * Fetches the four files from `base` (e.g. http://127.0.0.1:4173/dataset/) in parallel, reporting
 * progress about every 100 ms, then decompresses and parses them. `source` says where they came from.
 */
export async function datasetFromRoute(base: string, onProgress: (p: DatasetProgress) => void, now: () => number): Promise<{ data: FashionMnist; source: string }> {
  onProgress({ phase: 'locating', from: base });
  const serverSaid = new Set<string>();
  const opened = await Promise.all(DATASET_FILES.map((n) => openOne(base, n, serverSaid)));
  const folder = decodeURIComponent(opened[0].res.headers.get('X-Dataset-Folder') ?? '');
  let lastReport = -Infinity;
  const report = (force: boolean): void => {
    const t = now();
    if (!force && t - lastReport < 100) return;
    lastReport = t;
    const known = opened.every((o) => o.total !== null);
    const done = opened.reduce((a, o) => a + o.done, 0);
    const total = known ? opened.reduce((a, o) => a + (o.total as number), 0) : undefined;
    // The file still loading with the most left is the one a person waits for.
    const current = opened.reduce((a, o) => ((o.total ?? Infinity) - o.done > (a.total ?? Infinity) - a.done ? o : a));
    onProgress({ phase: 'downloading', file: current.name, bytes: done, total, fraction: total ? done / total : undefined, from: folder || base });
  };
  const bodies = await Promise.all(opened.map(async (o) => {
    const reader = (o.res.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      o.done += value.length;
      report(false);
    }
    const all = new Uint8Array(o.done);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  }));
  report(true);
  onProgress({ phase: 'parsing', from: folder || base });
  const files = {} as Record<DatasetFileName, Uint8Array>;
  for (let i = 0; i < DATASET_FILES.length; i++) files[DATASET_FILES[i]] = await gunzipIfNeeded(bodies[i]);
  return { data: splitsFromFiles(files), source: folder ? `${folder} (via ${new URL(base).host})` : base };
}
