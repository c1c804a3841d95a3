// RunRecorder: one run's record built from its Trainer's events, the one way every host records a run:
// the TrainingSession (window), the CLI's `--report`/`--csv` and sweeps. Per-batch points are thinned
// evenly (every other point, doubled stride, when MAX_RECORD_BATCHES is reached), so a long run's
// record stays small; it holds finite numbers only, since it is stored as JSON.

import type { LrChange, RunOutcome, RunRecord, WeightDecayChange } from './protocol';
import { LIMITS, type TrainConfig, type TrainerEvent } from './train';

/** Most per-batch points a run record keeps (longer runs are thinned evenly). */
export const MAX_RECORD_BATCHES = 2000;

/** Collects one run's events into a RunRecord. */
export class RunRecorder {
  private readonly record: RunRecord;
  private stride = 1;

  /** `startedAt`: ISO 8601; `id`: letters, digits, - and _ (as the run store requires). */
  constructor(config: TrainConfig, startedAt: string, id = `run-${startedAt.replace(/[^0-9]/g, '').slice(0, 17)}`) {
    this.record = {
      id, startedAt, endedAt: null, config: { ...config }, lrChanges: [], wdChanges: [], epochs: [], batches: [],
      batchesDone: 0, final: null, outcome: 'running', note: null,
    };
  }

  /** Batches recorded so far (thinned or not). */
  get batchesDone(): number {
    return this.record.batchesDone;
  }

  /** Records a learning-rate change (at most LIMITS.maxRecordItems: later ones replace the last). */
  addLrChange(change: LrChange): void {
    pushCapped(this.record.lrChanges, change);
  }

  /** Records a weight-decay change (at most LIMITS.maxRecordItems: later ones replace the last). */
  addWdChange(change: WeightDecayChange): void {
    pushCapped(this.record.wdChanges, change);
  }

  /** Takes one Trainer event (batch, epoch, diverged or done). */
  add(e: TrainerEvent): void {
    const r = this.record;
    if (e.kind === 'batch') {
      r.batchesDone++;
      // A record holds finite numbers only (it is stored as JSON); a diverged note says what happened.
      if ((r.batchesDone - 1) % this.stride !== 0 || !Number.isFinite(e.loss) || !Number.isFinite(e.acc)) return;
      r.batches.push({ epochProgress: e.epochProgress, loss: e.loss, acc: e.acc, lr: e.lr, weightDecay: e.weightDecay });
      if (r.batches.length >= MAX_RECORD_BATCHES) {
        r.batches = r.batches.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    } else if (e.kind === 'epoch') {
      if (![e.trainLoss, e.trainAcc, e.testAcc, e.seconds].every(Number.isFinite)) return;
      r.epochs.push({ epoch: e.epoch, trainLoss: e.trainLoss, trainAcc: e.trainAcc, testAcc: e.testAcc, seconds: e.seconds });
      r.final = { trainLoss: e.trainLoss, trainAcc: e.trainAcc, testAcc: e.testAcc };
    } else if (e.kind === 'diverged') {
      r.outcome = 'diverged';
      r.note = e.message;
    } else {
      r.outcome = 'done';
    }
  }

  /**
   * The record so far (a copy). `endedAt` closes it; a run still 'running' then is recorded as
   * `outcome` ('stopped' by default, e.g. interrupted), with `note`.
   */
  snapshot(endedAt: string | null = null, outcome: Exclude<RunOutcome, 'running'> = 'stopped', note: string | null = null): RunRecord {
    const r = this.record;
    const closeAs = endedAt !== null && r.outcome === 'running';
    return {
      ...r,
      endedAt,
      config: { ...r.config },
      lrChanges: r.lrChanges.slice(),
      wdChanges: r.wdChanges.slice(),
      epochs: r.epochs.slice(),
      batches: r.batches.slice(),
      final: r.final && { ...r.final },
      outcome: closeAs ? outcome : r.outcome,
      note: closeAs ? note : r.note,
    };
  }
}

/** Appends a change, the last one replaced once LIMITS.maxRecordItems are kept. */
function pushCapped(changes: LrChange[], change: LrChange): void {
  if (changes.length >= LIMITS.maxRecordItems) changes.pop();
  changes.push({ ...change });
}
