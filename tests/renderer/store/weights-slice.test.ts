// @vitest-environment jsdom
// How the weights change (issue 12, item 2): the weights slice keeps W at the run's start and at the end
// of each epoch (from the run checkpoints), and gives the latest snapshot's change since the end of the
// epoch before it, on its own scale, and how far each epoch moved W; through applyEvent as the bridge
// delivers the events, in the session's order (epoch, run checkpoint, then weights).

import { beforeEach, describe, expect, it } from 'vitest';
import { useLab } from '../../../renderer/store';
import { applyEvent } from '../../../renderer/store/actions';
import { changeReference, initialWeights, receiveEpochEnd, receiveWeights, rmsChange, weightScale } from '../../../renderer/store/weights-slice';
import { changeStatus } from '../../../renderer/components/WeightsPanel';
import type { RunRecord } from '../../../core/protocol';
import { CONFIG, installFakeApi } from '../fake-api';

/** Parameters all equal to `v` (W then b). */
function filled(v: number): Float32Array {
  return new Float32Array(7850).fill(v);
}

/** A run record whose last epoch is `epoch` (only what the weights slice reads is meaningful). */
function record(epoch: number): RunRecord {
  const epochs = Array.from({ length: epoch }, (_, i) => ({ epoch: i + 1, trainLoss: 0.5, trainAcc: 0.8, testAcc: 0.8, seconds: 1 }));
  return {
    id: 'run-1', startedAt: '2026-01-01T00:00:00.000Z', endedAt: null, outcome: 'running', config: CONFIG,
    epochs, batches: [], lrChanges: [], batchesDone: epoch * 235, note: null,
  } as unknown as RunRecord;
}

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  installFakeApi();
});

describe('changeReference: the epoch whose end a snapshot is compared with', () => {
  it('is the end of the epoch before the one the snapshot is in; at an epoch’s end, the one before that', () => {
    expect(changeReference(0)).toBeNull(); // the start of the run: nothing to compare with
    expect(changeReference(0.3)).toBe(0); // in epoch 1: the start of the run
    expect(changeReference(1)).toBe(0); // at the end of epoch 1: all of epoch 1
    expect(changeReference(1 + 1 / 235)).toBe(1);
    expect(changeReference(2.5)).toBe(2);
    expect(changeReference(3)).toBe(2);
    expect(changeReference(NaN)).toBeNull();
  });
});

describe('the weights slice follows a run', () => {
  it('W − W(end of the previous epoch), its own scale, and how far each epoch moved W', () => {
    const w0 = filled(0);
    applyEvent({ kind: 'weights', weights: w0, epochProgress: 0 });
    let w = useLab.getState().weights;
    expect(w.epochEnds.map((e) => e.epoch)).toEqual([0]);
    expect(w.change).toBeNull();
    expect(changeStatus(w).key).toBe('weights.changeNotStarted');

    // Halfway through epoch 1: the change since the start of the run.
    const mid = filled(0.02);
    mid[5] = -0.3;
    applyEvent({ kind: 'weights', weights: mid, epochProgress: 0.5 });
    w = useLab.getState().weights;
    expect(w.change?.since).toBe(0);
    expect(w.change?.params[0]).toBeCloseTo(0.02, 7);
    expect(w.change?.params[5]).toBeCloseTo(-0.3, 7);
    expect(w.change?.scale).toBe(weightScale(w.change!.params));
    expect(changeStatus(w).key).toBe('weights.changeSoFarFirst');

    // Epoch 1 ends: the epoch event, its checkpoint with the exact weights, then the snapshot at 1.0.
    const w1 = filled(0.1);
    applyEvent({ kind: 'epoch', epoch: 1, trainLoss: 0.6, trainAcc: 0.79, testAcc: 0.78, seconds: 1 });
    applyEvent({ kind: 'run', record: record(1), final: false, weights: w1 });
    w = useLab.getState().weights;
    expect(w.moves).toEqual([{ epoch: 1, rms: expect.closeTo(0.1, 6) }]);
    applyEvent({ kind: 'weights', weights: w1.slice(), epochProgress: 1 });
    w = useLab.getState().weights;
    expect(w.change?.since).toBe(0); // at the end of epoch 1: all of epoch 1
    expect(w.change?.params[7]).toBeCloseTo(0.1, 7);
    expect(changeStatus(w).key).toBe('weights.changeWholeFirst');

    // Into epoch 2: compared with the end of epoch 1, not with the snapshot before.
    applyEvent({ kind: 'weights', weights: filled(0.13), epochProgress: 1.2 });
    w = useLab.getState().weights;
    expect(w.change?.since).toBe(1);
    expect(w.change?.params[0]).toBeCloseTo(0.03, 6);
    expect(changeStatus(w)).toEqual({ key: 'weights.changeSoFar', params: { epoch: 2, since: 1 } });

    // Epoch 2 moves W less than epoch 1: the moves shrink.
    applyEvent({ kind: 'run', record: record(2), final: false, weights: filled(0.14) });
    applyEvent({ kind: 'weights', weights: filled(0.14), epochProgress: 2 });
    w = useLab.getState().weights;
    expect(w.moves.map((m) => m.epoch)).toEqual([1, 2]);
    expect(w.moves[1].rms).toBeCloseTo(0.04, 6);
    expect(w.moves[1].rms).toBeLessThan(w.moves[0].rms);
    expect(changeStatus(w)).toEqual({ key: 'weights.changeWhole', params: { epoch: 2, since: 1 } });
    // Only the latest epoch ends are kept.
    expect(w.epochEnds.map((e) => e.epoch)).toEqual([1, 2]);
  });

  it('a new run drops the last one’s epoch ends: from a start snapshot, or when the position goes back', () => {
    applyEvent({ kind: 'weights', weights: filled(0), epochProgress: 0 });
    applyEvent({ kind: 'run', record: record(1), final: false, weights: filled(0.1) });
    applyEvent({ kind: 'weights', weights: filled(0.1), epochProgress: 1 });
    expect(useLab.getState().weights.moves).toHaveLength(1);

    // Start after the run ended: the session resets the weights without sending them.
    applyEvent({ kind: 'weights', weights: filled(0.05), epochProgress: 0.2 });
    let w = useLab.getState().weights;
    expect(w.epochEnds).toEqual([]);
    expect(w.moves).toEqual([]);
    expect(w.change).toBeNull();
    expect(changeStatus(w).key).toBe('weights.changeNoStart');
    // Its epoch 1 ends: no move for it (its start is unknown), but epoch 2 is compared with it.
    applyEvent({ kind: 'run', record: record(1), final: false, weights: filled(0.2) });
    applyEvent({ kind: 'weights', weights: filled(0.25), epochProgress: 1.5 });
    w = useLab.getState().weights;
    expect(w.moves).toEqual([]);
    expect(w.change?.since).toBe(1);
    expect(w.change?.params[0]).toBeCloseTo(0.05, 6);

    // Reset: a snapshot at 0 is the new run's start.
    applyEvent({ kind: 'weights', weights: filled(0.01), epochProgress: 0 });
    w = useLab.getState().weights;
    expect(w.epochEnds.map((e) => e.epoch)).toEqual([0]);
    expect(w.change).toBeNull();
  });

  it('says which epoch end it missed when a window opened mid-run', () => {
    const w = receiveWeights(initialWeights, filled(0.3), 4.5);
    expect(w.change).toBeNull();
    expect(changeStatus(w)).toEqual({ key: 'weights.changeUnknown', params: { epoch: 4, after: 6 } });
  });

  it('the final record and bad checkpoints change nothing', () => {
    applyEvent({ kind: 'weights', weights: filled(0), epochProgress: 0 });
    const before = useLab.getState().weights;
    applyEvent({ kind: 'run', record: record(1), final: true, weights: filled(1) });
    expect(useLab.getState().weights).toBe(before);
    expect(receiveEpochEnd(before, 0, filled(1))).toBe(before);
    expect(receiveEpochEnd(before, 1, new Float32Array(10))).toBe(before);
  });

  it('rmsChange is the root mean square over W only (b excluded)', () => {
    const a = filled(0);
    const b = filled(0);
    for (let i = 0; i < 7840; i += 2) a[i] = 2; // half of W moved by 2
    a[7845] = 100; // a bias: not counted
    expect(rmsChange(a, b)).toBeCloseTo(Math.sqrt(2), 9);
  });
});
