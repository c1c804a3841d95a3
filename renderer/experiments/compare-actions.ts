// Module-level actions of the comparison: showing a run of the history on the curves (or not), and
// opening one below the comparison table. The records are the history slice's.

import { useLab } from '../store';
import { withCompared } from '../store/compare-slice';

const set = useLab.setState;
const get = useLab.getState;

/** Shows a stored run on the curves beside the current one, or hides it. */
export function showOnCurves(id: string, show: boolean): void {
  const entry = get().history.entries.find((e) => e.ok && e.run.id === id);
  if (!entry?.ok) return;
  set((s) => ({ compare: { ...withCompared(s.compare, entry.run, show), opened: !show && s.compare.opened === id ? null : s.compare.opened } }));
}

/** Opens a run below the table: its curves and its kept weights. */
export function openComparedRun(id: string): void {
  set((s) => ({ compare: { ...s.compare, opened: id } }));
}

/** Closes the opened run. */
export function closeComparedRun(): void {
  set((s) => ({ compare: { ...s.compare, opened: null } }));
}
