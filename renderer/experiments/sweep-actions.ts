// Module-level actions of the sweeps: asking the training session for a learning-rate or a batch-size
// sweep (it runs them, in its process, with its seed), stopping it, taking its progress and points into
// the sweeps slice, and choosing the point whose curves are shown. Everything goes through window.api.

import type { LabEvent, SweepPlan } from '../../common/contract';
import { useLab } from '../store';
import { withSelectedPoint, withSweepCut, withSweepPoint, withSweepStatus, type SweepKind } from '../store/sweep-slice';

const set = useLab.setState;

/** Asks the session for a sweep of `kind`; its status and points arrive as events. */
export function runSweep(kind: SweepKind, plan: SweepPlan): void {
  set((s) => ({ sweep: { ...s.sweep, asked: kind } }));
  window.api.runSweep(plan);
}

/** Stops the sweep under way after the current batch. */
export function stopSweep(): void {
  window.api.stopSweep();
}

/** Shows the curves of one point of a sweep (null: none). */
export function selectSweepPoint(kind: SweepKind, run: number | null): void {
  set((s) => ({ sweep: withSelectedPoint(s.sweep, kind, run) }));
}

/** Takes a sweep event from the session (wired in store/actions.ts applyEvent). */
export function applySweepEvent(e: Extract<LabEvent, { kind: 'sweepProgress' | 'sweepPoint' | 'crashed' }>): void {
  if (e.kind === 'sweepProgress') set((s) => ({ sweep: withSweepStatus(s.sweep, e.status) }));
  else if (e.kind === 'sweepPoint') set((s) => ({ sweep: withSweepPoint(s.sweep, e.sweep, { run: e.run, result: e.result, record: e.record }) }));
  else set((s) => ({ sweep: withSweepCut(s.sweep, e.reason) }));
}
