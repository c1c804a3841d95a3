// Batch classification: many images (picked, dropped, or a folder's) classified with the current weights,
// one row per file. Each file goes through the same checks, decoder worker and preprocessing as a single
// image (input-checks.ts, decode.ts), a few at a time; the prepared inputs are predicted in chunks by the
// trainer; a bad file becomes a row with its message and the others are still classified. Rows reach the
// store at most every BATCH_FLUSH_MS, so a large batch never turns into one long render.

import { CLASS_NAMES, NUM_INPUTS } from '../../core/shapes';
import { argmaxRow } from '../../core/softmax';
import { toCsv, type CsvValue } from '../../core/export/csv';
import { useLab } from '../store';
import { BATCH_PAGE, initialBatch, sortedRows, withSort, type BatchRow, type BatchSlice, type BatchSortKey } from '../store/batch-slice';
import { prepareImage } from './decode';
import { checkFile } from './input-checks';
import { inkFraction, typicality } from './typicality';

/** Most files classified in one batch (the rest are counted and left out). */
export const MAX_BATCH_FILES = 1000;
/** Files decoded at the same time. */
const CONCURRENCY = 4;
/** Prepared images per predict request. */
const PREDICT_CHUNK = 64;
/** Shortest time between two hand-overs of rows to the store. */
export const BATCH_FLUSH_MS = 150;

const set = useLab.setState;
const get = useLab.getState;

function patch(fn: (b: BatchSlice) => BatchSlice): void {
  set((s) => ({ batch: fn(s.batch) }));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

let token = 0;

/**
 * Classifies `files` (each named by its path inside a dropped or picked folder when there is one): every
 * file gets a row, pending until it is classified or refused. A new batch replaces the one before.
 */
export async function classifyBatch(files: readonly File[], paths?: readonly string[]): Promise<void> {
  const mine = ++token;
  const taken = files.slice(0, MAX_BATCH_FILES);
  const names = taken.map((f, i) => paths?.[i] || (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name || `image ${i + 1}`);
  const { metrics, run } = get();
  patch((b) => ({
    ...initialBatch,
    sort: b.sort,
    leftOut: files.length - taken.length,
    pending: taken.length,
    madeWith: { batches: metrics.batchCount, untrained: metrics.batchCount === 0 && run.openedModel === null },
    rows: names.map((name, index) => ({ index, name, status: 'pending', predicted: null, probability: null, ink: null, typicality: null, error: null, failure: null })),
  }));

  // Updates gathered between hand-overs (row index -> new row).
  let updates = new Map<number, BatchRow>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): void => {
    timer = null;
    if (mine !== token || updates.size === 0) return;
    const done = updates;
    updates = new Map();
    patch((b) => {
      let settled = 0;
      const rows = b.rows.map((r) => {
        const u = done.get(r.index);
        if (u && r.status === 'pending' && u.status !== 'pending') settled++;
        return u ?? r;
      });
      return { ...b, rows, pending: Math.max(0, b.pending - settled) };
    });
  };
  const update = (row: BatchRow): void => {
    updates.set(row.index, row);
    timer ??= setTimeout(flush, BATCH_FLUSH_MS);
  };

  // Prepared inputs waiting to be predicted.
  const ready: { row: BatchRow; input: Float32Array }[] = [];
  const predictReady = async (): Promise<void> => {
    while (ready.length > 0 && mine === token) {
      const chunk = ready.splice(0, PREDICT_CHUNK);
      const x = new Float32Array(chunk.length * NUM_INPUTS); // (n, D)
      chunk.forEach((c, r) => x.set(c.input, r * NUM_INPUTS));
      try {
        const { probs } = await window.api.request({ kind: 'predict', x, n: chunk.length });
        chunk.forEach((c, r) => {
          const k = argmaxRow(probs, r, 10);
          update({ ...c.row, status: 'ok', predicted: k, probability: probs[r * 10 + k] });
        });
      } catch (err) {
        for (const c of chunk) update({ ...c.row, status: 'error', failure: messageOf(err) });
      }
    }
  };

  let next = 0;
  let predicting: Promise<void> = Promise.resolve();
  const worker = async (): Promise<void> => {
    while (next < taken.length && mine === token) {
      const index = next++;
      const file = taken[index];
      const base: BatchRow = { ...get().batch.rows[index], index, name: names[index] };
      const refused = checkFile({ name: names[index], type: file.type, size: file.size });
      if (refused) {
        update({ ...base, status: 'error', error: refused });
        continue;
      }
      try {
        const prepared = await prepareImage(file, names[index]);
        if (mine !== token) return;
        if (!prepared.ok) {
          update({ ...base, status: 'error', error: prepared.error });
          continue;
        }
        const input = prepared.result.input;
        const ink = inkFraction(input);
        ready.push({ row: { ...base, ink, typicality: prepared.result.box === null ? 'blank' : typicality(ink) }, input });
        if (ready.length >= PREDICT_CHUNK) predicting = predicting.then(predictReady);
      } catch (err) {
        update({ ...base, status: 'error', failure: messageOf(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, taken.length) }, worker));
  predicting = predicting.then(predictReady);
  await predicting;
  if (timer !== null) clearTimeout(timer);
  flush();
}

/** Sorts the table by a column (again: the other way). */
export function sortBatch(key: BatchSortKey): void {
  patch((b) => withSort(b, key));
}

/** Shows every row of the table. */
export function showAllBatchRows(): void {
  patch((b) => ({ ...b, limit: Math.max(b.limit, b.rows.length) }));
}

/** Forgets the batch. */
export function clearBatch(): void {
  token++;
  patch((b) => ({ ...initialBatch, sort: b.sort, limit: BATCH_PAGE }));
}

/** The columns of the batch CSV. */
export const BATCH_CSV_HEADER = ['file', 'class_index', 'class', 'probability', 'ink', 'note', 'error'] as const;

/**
 * The table as CSV, in the table's order: the file, its predicted class (index, and name as the model's
 * class_names say it) and probability, the prepared image's ink share, the out-of-distribution note and a
 * refused file's message (both as the table words them). `className` names a class for sorting.
 */
export function batchCsv(b: BatchSlice, className: (k: number) => string, noteOf: (r: BatchRow) => string): string {
  const rows: CsvValue[][] = [[...BATCH_CSV_HEADER]];
  for (const r of sortedRows(b.rows, b.sort, className)) {
    const k = r.predicted;
    rows.push([r.name, k, k === null ? null : CLASS_NAMES[k], r.probability, r.ink === null ? null : Number(r.ink.toFixed(4)), r.status === 'error' ? null : noteOf(r), r.status === 'error' ? noteOf(r) : null]);
  }
  return toCsv(rows);
}
