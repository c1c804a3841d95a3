// How the web page's trainer reads the dataset: from the page's local route (/dataset/<name>.gz, else the
// uncompressed name) with download progress, or from bytes the user picked. Gzip is undone with
// DecompressionStream, bounded by the published size like node/data's; failures are core's DatasetError.
// Nothing here touches the DOM (it runs in the trainer's Web Worker).

import type { FashionMnist } from '../../core/dataset';
import { DATASET_FILES, DatasetError, isGzip, isImagesFile, PUBLISHED_SIZES, type DatasetFileName } from '../../core/dataset-files';
import type { DatasetProgress } from '../../core/protocol';
import { datasetFromFiles, splitsFromFiles, type DatasetLoader } from '../../common/dataset-loader';

/** DatasetLoadContext.allocate: a buffer of the asked size in the kernels' memory, or null. */
type Allocate = (bytes: number) => Uint8Array | null;

/** How to get the files, for the offline explanation. */
export const DATASET_HELP = 'Pick the four files (gzipped or not) with "Pick the four files", or install the Debian package: sudo apt install dataset-fashion-mnist (then reload the page).';

/**
 * The bytes of dataset file `name`, decompressed when gzipped, never more than its published size: a
 * larger file (or a gzip bomb) is refused as soon as it passes the bound, before it is all in memory. They
 * end in a buffer from `allocate` when it gives one (the kernels' memory), else in an ordinary one.
 */
export async function gunzipBounded(bytes: Uint8Array, name: DatasetFileName, bound = PUBLISHED_SIZES[name], allocate?: Allocate): Promise<Uint8Array> {
  if (!isGzip(bytes)) {
    if (bytes.length > bound) throw new DatasetError('too-large', name, `${name}: ${bytes.length} bytes, more than the ${bound} expected`);
    const placed = allocate?.(bytes.length) ?? null;
    placed?.set(bytes);
    return placed ?? bytes;
  }
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > bound) {
        await reader.cancel();
        throw new DatasetError('too-large', name, `${name}: decompresses to more than the ${bound} bytes expected`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw new DatasetError('bad-gzip', name, `${name}: not valid gzip data (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const out = allocate?.(total) ?? new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** `allocate` for the images files alone. */
const placeFor = (name: DatasetFileName, allocate: Allocate | undefined): Allocate | undefined => (isImagesFile(name) ? allocate : undefined);

/** Decompresses and parses bytes the user picked; throws DatasetError naming the missing files. */
export function datasetFromBytes(files: Partial<Record<DatasetFileName, Uint8Array>>, onProgress: (p: DatasetProgress) => void = () => {}, allocate?: Allocate): Promise<FashionMnist> {
  return datasetFromFiles(files, (bytes, name) => gunzipBounded(bytes, name, undefined, placeFor(name, allocate)), onProgress, 'the files you picked');
}

/** The web page's loader: the page's /dataset/ route at `datasetBase`, or the bytes the user picked. */
export function createWebDatasetLoader(datasetBase: string, now: () => number): DatasetLoader {
  return async (source, ctx) => {
    if (source.kind === 'bytes') return { data: await datasetFromBytes(source.files, ctx.onProgress, ctx.allocate), source: 'the files you picked' };
    if (source.kind === 'dir') throw new DatasetError('unsupported', null, 'a web page cannot read a folder by its path', { lookedIn: [] });
    return datasetFromRoute(datasetBase, ctx.onProgress, now, ctx.allocate);
  };
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
      throw new DatasetError('network', url, `could not reach the page's server at ${base} (${err instanceof Error ? err.message : String(err)}); it is offline, or the page was opened without it`, { lookedIn: [base] });
    }
    if (res.ok) {
      const len = Number(res.headers.get('Content-Length'));
      return { name, url, res, total: Number.isFinite(len) && len > 0 ? len : null, done: 0 };
    }
    for (const place of placesFromServer((await res.text().catch(() => '')).slice(0, 2000))) serverSaid.add(place);
  }
  throw new DatasetError('not-found', name, `the page's server has no ${name} (.gz or uncompressed)`, { lookedIn: [`${base} (the page's server), which searched:`, ...serverSaid] });
}

/**
 * Fetches the four files from `base` (e.g. http://127.0.0.1:4173/dataset/) in parallel, reporting
 * progress about every 100 ms, then decompresses and parses them. `source` says where they came from.
 */
export async function datasetFromRoute(base: string, onProgress: (p: DatasetProgress) => void, now: () => number, allocate?: Allocate): Promise<{ data: FashionMnist; source: string }> {
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
  for (let i = 0; i < DATASET_FILES.length; i++) files[DATASET_FILES[i]] = await gunzipBounded(bodies[i], DATASET_FILES[i], undefined, placeFor(DATASET_FILES[i], allocate));
  return { data: splitsFromFiles(files), source: folder ? `${folder} (via ${new URL(base).host})` : base };
}
