// The compare slice: the runs of the history shown on the curves beside the current one (each with a
// colour and a line style of its own, kept while it is shown), their curves thinned once for drawing, and
// the run opened below the comparison table. Pure reducers; records come from the history slice.

import type { RunListEntry, RunRecord } from '../../common/contract';
import { mergePairs, type TestPoint, type TrainPoint } from './metrics-slice';

/**
 * The strokes of compared runs, by slot: a dash pattern of its own (none of them the current run's series'
 * patterns) for its per-batch lines, and a marker shape for its per-epoch test accuracy, so two runs differ
 * in stroke as well as colour (printed, or for a reader who cannot tell the colours apart). The slot's
 * colour comes from the palette in use (palettes.ts `compared`). Dash arrays are in CSS pixels, canvas and
 * SVG alike.
 */
export const COMPARE_STYLES: readonly { dash: readonly number[]; marker: CompareMarker }[] = [
  { dash: [14, 4], marker: 'square' },
  { dash: [1, 4], marker: 'triangle' },
  { dash: [10, 3, 2, 3], marker: 'diamond' },
  { dash: [6, 2, 2, 2, 2, 2], marker: 'circle' },
  { dash: [3, 6], marker: 'cross' },
  { dash: [18, 3, 3, 3], marker: 'plus' },
];

/** The marker shapes of compared runs' test-accuracy points. */
export type CompareMarker = 'square' | 'triangle' | 'diamond' | 'circle' | 'cross' | 'plus';

/** Most runs shown beside the current one (one per style). */
export const MAX_COMPARED = COMPARE_STYLES.length;

/** Train points kept per compared run (the chart is about 900 px wide). */
export const COMPARED_POINTS = 200;

/** A run drawn beside the current one. */
export interface ComparedRun {
  /** The run's id in the history. */
  id: string;
  /** Its style: COMPARE_STYLES[slot]. */
  slot: number;
  /** Its per-batch curves (thinned to at most COMPARED_POINTS) and per-epoch test accuracy. */
  train: TrainPoint[];
  test: TestPoint[];
  /** Where its curves end, in epochs. */
  maxX: number;
}

/** The comparison's state. */
export interface CompareSlice {
  /** Shown runs, in the order they were chosen. */
  shown: ComparedRun[];
  /** The run opened below the table (its curves, its weights), or null. */
  opened: string | null;
}

/** Nothing compared. */
export const initialCompare: CompareSlice = { shown: [], opened: null };

/** A record's curves as the chart draws them: per-batch points thinned evenly, test accuracy per epoch. */
export function recordCurves(record: Pick<RunRecord, 'batches' | 'epochs'>, maxPoints = COMPARED_POINTS): { train: TrainPoint[]; test: TestPoint[]; maxX: number } {
  let train: TrainPoint[] = record.batches
    .filter((b) => Number.isFinite(b.loss) && Number.isFinite(b.acc) && Number.isFinite(b.epochProgress))
    .map((b) => ({ x: b.epochProgress, loss: b.loss, acc: b.acc, count: 1 }));
  while (train.length > maxPoints) train = mergePairs(train);
  const test = record.epochs.filter((e) => Number.isFinite(e.testAcc)).map((e) => ({ x: e.epoch, testAcc: e.testAcc }));
  const maxX = Math.max(0, train.at(-1)?.x ?? 0, test.at(-1)?.x ?? 0);
  return { train, test, maxX };
}

/** Shows or hides a run on the curves; a new one takes the first free style. At most MAX_COMPARED. */
export function withCompared(s: CompareSlice, record: RunRecord, show: boolean): CompareSlice {
  const present = s.shown.some((r) => r.id === record.id);
  if (!show) return present ? { ...s, shown: s.shown.filter((r) => r.id !== record.id) } : s;
  if (present || s.shown.length >= MAX_COMPARED) return s;
  const used = new Set(s.shown.map((r) => r.slot));
  let slot = 0;
  while (used.has(slot)) slot++;
  return { ...s, shown: [...s.shown, { id: record.id, slot, ...recordCurves(record) }] };
}

/** Forgets shown and opened runs that are no longer in the history (deleted, or dropped by the store). */
export function withHistory(s: CompareSlice, entries: readonly RunListEntry[]): CompareSlice {
  const ids = new Set(entries.filter((e) => e.ok).map((e) => (e.ok ? e.run.id : '')));
  const shown = s.shown.filter((r) => ids.has(r.id));
  const opened = s.opened !== null && ids.has(s.opened) ? s.opened : null;
  return shown.length === s.shown.length && opened === s.opened ? s : { shown, opened };
}
