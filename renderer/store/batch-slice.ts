// The batch-classification slice: many images classified at once, one row per file (its prediction, the
// probability, how typical the prepared image is of the training images, or why the file was refused),
// and the table's sort order. Pure reducers and the sort; the actions are in renderer/predictions/batch.ts.

import type { InputError } from '../predictions/input-checks';
import type { Typicality } from '../predictions/typicality';

/** One file of a batch. */
export interface BatchRow {
  /** Its position in the batch (the order the files came in). */
  index: number;
  /** The file's name (with its folder, when it came from a folder). */
  name: string;
  /** 'pending' while read or classified; 'ok' with a prediction; 'error' with a reason. */
  status: 'pending' | 'ok' | 'error';
  /** The class the model gives the highest probability, and that probability. */
  predicted: number | null;
  probability: number | null;
  /** Share of the prepared 28x28 image above the ink level (typicality.ts); null until prepared. */
  ink: number | null;
  /** 'blank' when nothing stood out from the background; else typicality's verdict. */
  typicality: Typicality | 'blank' | null;
  /** Why the file was refused (the same codes as a single image), or a failure in words. */
  error: InputError | null;
  failure: string | null;
}

/** The columns the table sorts by. */
export type BatchSortKey = 'index' | 'name' | 'class' | 'probability' | 'note';

/** The batch's state. */
export interface BatchSlice {
  rows: BatchRow[];
  /** Files beyond the limit, left out (their number). */
  leftOut: number;
  /** Rows still pending. */
  pending: number;
  /** Batch-classification failures that concern the whole batch (the trainer did not answer), in words. */
  problem: string | null;
  /** The weights the predictions were made with: batches the session had run, and whether a model was opened. */
  madeWith: { batches: number; untrained: boolean } | null;
  sort: { key: BatchSortKey; descending: boolean };
  /** How many sorted rows the table shows (the rest behind "Show all"). */
  limit: number;
}

/** Rows shown at first. */
export const BATCH_PAGE = 100;

/** No batch yet. */
export const initialBatch: BatchSlice = { rows: [], leftOut: 0, pending: 0, problem: null, madeWith: null, sort: { key: 'index', descending: false }, limit: BATCH_PAGE };

/** How serious a row's note is, for sorting by it: refused files, then unusual images, then typical ones. */
function noteRank(r: BatchRow): number {
  if (r.status === 'error') return 3;
  if (r.typicality === 'blank') return 2;
  if (r.typicality === 'little-ink' || r.typicality === 'much-ink') return 1;
  return 0;
}

let collator: Intl.Collator | null = null; // made once: a collator's first use loads locale data

/**
 * The rows in the table's order. Rows without a value in the sorted column (refused files, pending ones)
 * go last whichever the direction; ties keep the order the files came in. `className` names a class.
 */
export function sortedRows(rows: readonly BatchRow[], sort: BatchSlice['sort'], className: (k: number) => string): BatchRow[] {
  const dir = sort.descending ? -1 : 1;
  const names = (collator ??= new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' }));
  const value = (r: BatchRow): string | number | null => {
    switch (sort.key) {
      case 'index': return r.index;
      case 'name': return r.name;
      case 'class': return r.predicted === null ? null : className(r.predicted);
      case 'probability': return r.probability;
      case 'note': return noteRank(r);
    }
  };
  return rows.slice().sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? a.index - b.index : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : names.compare(String(va), String(vb));
    return c !== 0 ? dir * c : a.index - b.index;
  });
}

/** Sorts by a column: a new column ascending (probability and note: descending first), the same one reversed. */
export function withSort(s: BatchSlice, key: BatchSortKey): BatchSlice {
  const descending = s.sort.key === key ? !s.sort.descending : key === 'probability' || key === 'note';
  return { ...s, sort: { key, descending } };
}
