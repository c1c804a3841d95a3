// The history slice: the saved runs, newest first, as the bridge lists them.

import type { RunListEntry } from '../../common/contract';

/** Run history. */
export interface HistorySlice {
  entries: RunListEntry[];
  /** A message when saving or listing failed. */
  problem: string | null;
}

/** Empty history. */
export const initialHistory: HistorySlice = { entries: [], problem: null };
