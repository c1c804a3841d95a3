// The sweeps slice: what the training session reports of its sweeps (core/sweep.ts, run in the training
// process): the status of the one under way, and for each kind of sweep the window offers (learning rate,
// batch size) the last one's points — each run's final numbers and record — and the point whose curves
// are shown. Pure reducers; the actions are in renderer/experiments/sweep-actions.ts.

import type { RunRecord, SweepResult, SweepStatus } from '../../common/contract';

/** What a sweep of the window varies: the learning rate or the batch size. */
export type SweepKind = 'lr' | 'batchSize';

/** One finished run of a sweep. */
export interface SweepPointView {
  /** Its index in the sweep (0-based). */
  run: number;
  result: SweepResult;
  /** Its record: the curves shown when the point is chosen. */
  record: RunRecord;
}

/** The last sweep of one kind. */
export interface SweepOutcome {
  /** The session's number for it. */
  sweep: number;
  /** Its latest status (running, done, stopped). */
  status: SweepStatus;
  /** Its finished runs, in order. */
  points: SweepPointView[];
  /** The run whose curves are shown (null: none). */
  selected: number | null;
}

/** The sweeps' state. */
export interface SweepSlice {
  /** The kind the window asked for last, until the session's first status of that sweep says which it is. */
  asked: SweepKind | null;
  /** Which kind the session's current (or last) sweep is. */
  activeKind: SweepKind | null;
  /** The last sweep of each kind. */
  byKind: Record<SweepKind, SweepOutcome | null>;
}

/** No sweep yet. */
export const initialSweep: SweepSlice = { asked: null, activeKind: null, byKind: { lr: null, batchSize: null } };

/** True while the session runs a sweep. */
export function sweepRunning(s: SweepSlice): boolean {
  const kind = s.activeKind;
  return kind !== null && s.byKind[kind]?.status.state === 'running';
}

/** The kind of a sweep the window did not ask for itself (a view that came late): by what it varies. */
function kindOf(status: SweepStatus): SweepKind {
  return status.batchSizes.length > 1 && status.learningRates.length === 1 ? 'batchSize' : 'lr';
}

/** Takes a status: a new sweep replaces the last one of its kind; a known one is updated. */
export function withSweepStatus(s: SweepSlice, status: SweepStatus): SweepSlice {
  const known = (['lr', 'batchSize'] as const).find((k) => s.byKind[k]?.sweep === status.sweep);
  if (known) {
    // What the sweep runs never changes: its lists keep their identity, so views of them need not re-render.
    const outcome = s.byKind[known] as SweepOutcome;
    const kept = { ...status, learningRates: outcome.status.learningRates, batchSizes: outcome.status.batchSizes };
    return { ...s, activeKind: known, byKind: { ...s.byKind, [known]: { ...outcome, status: kept } } };
  }
  const kind = s.asked ?? kindOf(status);
  return { asked: null, activeKind: kind, byKind: { ...s.byKind, [kind]: { sweep: status.sweep, status, points: [], selected: null } } };
}

/** Adds a finished run to its sweep (ignored when the sweep is not one the window knows). */
export function withSweepPoint(s: SweepSlice, sweep: number, point: SweepPointView): SweepSlice {
  const kind = (['lr', 'batchSize'] as const).find((k) => s.byKind[k]?.sweep === sweep);
  if (!kind) return s;
  const outcome = s.byKind[kind] as SweepOutcome;
  if (outcome.points.some((p) => p.run === point.run)) return s;
  return { ...s, byKind: { ...s.byKind, [kind]: { ...outcome, points: [...outcome.points, point] } } };
}

/** The sweep under way was cut (the training process crashed): it is recorded as stopped, with why. */
export function withSweepCut(s: SweepSlice, note: string): SweepSlice {
  const kind = s.activeKind;
  const outcome = kind ? s.byKind[kind] : null;
  if (!kind || !outcome || outcome.status.state !== 'running') return s;
  return { ...s, byKind: { ...s.byKind, [kind]: { ...outcome, status: { ...outcome.status, state: 'stopped', current: null, note } } } };
}

/** Shows one point's curves (null: none). */
export function withSelectedPoint(s: SweepSlice, kind: SweepKind, run: number | null): SweepSlice {
  const outcome = s.byKind[kind];
  if (!outcome) return s;
  return { ...s, byKind: { ...s.byKind, [kind]: { ...outcome, selected: run } } };
}
