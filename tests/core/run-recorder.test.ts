// core/export/run-record.ts: the RunRecord built from Trainer events for the CLI and sweeps — every
// batch while short, thinned evenly as the session thins (never above MAX_RECORD_BATCHES), epochs and
// final numbers, and how the run ended.

import { describe, expect, it } from 'vitest';
import { RunRecorder } from '../../core/run-recorder';
import { MAX_RECORD_BATCHES } from '../../core/session';
import { trainCh3, type TrainConfig, type TrainerEvent } from '../../core/train';
import { separableSplit } from '../fixtures/fashion-fixture';

const config: TrainConfig = { epochs: 2, lr: 0.1, batchSize: 8, seed: 0, softmax: 'stable', weightDecay: 0 };
const batch = (i: number, nb: number, loss = 1): TrainerEvent => ({
  kind: 'batch', epoch: 1 + Math.floor(i / nb), batch: i % nb, batchesPerEpoch: nb, epochProgress: (i + 1) / nb, loss, acc: 0.5, lr: 0.1, weightDecay: 0, size: 8,
});

describe('RunRecorder', () => {
  it('records a real run: every batch, each epoch, the final numbers, done', () => {
    const train = separableSplit(40, 1);
    const test = separableSplit(10, 2);
    const rec = new RunRecorder(config, '2026-01-01T00:00:00.000Z');
    const { epochs } = trainCh3({ train, test, config }, (e) => rec.add(e));
    const r = rec.snapshot('2026-01-01T00:00:01.000Z');
    expect(r.batchesDone).toBe(10);
    expect(r.batches.map((b) => b.epochProgress)).toEqual([0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2]);
    expect(r.epochs).toEqual(epochs);
    expect(r.final).toEqual({ trainLoss: epochs[1].trainLoss, trainAcc: epochs[1].trainAcc, testAcc: epochs[1].testAcc });
    expect([r.outcome, r.note, r.endedAt, r.id]).toEqual(['done', null, '2026-01-01T00:00:01.000Z', 'run-20260101000000000']);
    expect(r.config).toEqual(config);
  });

  it('records weight-decay changes beside lr changes, and each batch\'s λ', () => {
    const rec = new RunRecorder(config, '2026-01-01T00:00:00.000Z');
    rec.add(batch(0, 10));
    rec.addWdChange({ batchesDone: 1, epochProgress: 0.1, from: 0, to: 0.001 });
    rec.add({ ...batch(1, 10), weightDecay: 0.001 } as TrainerEvent);
    rec.addLrChange({ batchesDone: 2, epochProgress: 0.2, from: 0.1, to: 0.3 });
    const r = rec.snapshot();
    expect(r.wdChanges).toEqual([{ batchesDone: 1, epochProgress: 0.1, from: 0, to: 0.001 }]);
    expect(r.lrChanges).toEqual([{ batchesDone: 2, epochProgress: 0.2, from: 0.1, to: 0.3 }]);
    expect(r.batches.map((b) => b.weightDecay)).toEqual([0, 0.001]);
    rec.addWdChange({ batchesDone: 3, epochProgress: 0.3, from: 0.001, to: 0 });
    expect(r.wdChanges).toHaveLength(1); // a snapshot is a copy
  });

  it('thins a long run evenly, keeping at most MAX_RECORD_BATCHES points', () => {
    const rec = new RunRecorder(config, '2026-01-01T00:00:00.000Z');
    const n = MAX_RECORD_BATCHES * 5 + 3;
    for (let i = 0; i < n; i++) rec.add(batch(i, 100));
    const r = rec.snapshot();
    expect(r.batchesDone).toBe(n);
    expect(r.batches.length).toBeLessThan(MAX_RECORD_BATCHES);
    expect(r.batches.length).toBeGreaterThan(MAX_RECORD_BATCHES / 4);
    const gaps = new Set(r.batches.slice(1).map((b, i) => Math.round((b.epochProgress - r.batches[i].epochProgress) * 100)));
    expect(gaps.size).toBe(1); // one stride throughout
    expect(r.batches[0].epochProgress).toBe(0.01);
  });

  it('keeps only finite numbers and records a divergence with its message', () => {
    const rec = new RunRecorder(config, '2026-01-01T00:00:00.000Z');
    rec.add(batch(0, 10));
    rec.add(batch(1, 10, Number.POSITIVE_INFINITY));
    rec.add({ kind: 'diverged', epoch: 1, batch: 2, loss: Number.NaN, lr: 0.1, message: 'loss became NaN' } as TrainerEvent);
    const r = rec.snapshot('2026-01-01T00:00:01.000Z');
    expect(r.batches).toHaveLength(1);
    expect(r.batchesDone).toBe(2);
    expect([r.outcome, r.note, r.final]).toEqual(['diverged', 'loss became NaN', null]);
  });

  it('closes a run still under way as stopped (or as told), and leaves it running while open', () => {
    const rec = new RunRecorder(config, '2026-01-01T00:00:00.000Z', 'my-run');
    rec.add(batch(0, 10));
    expect(rec.snapshot().outcome).toBe('running');
    expect(rec.snapshot('2026-01-01T00:00:01.000Z').outcome).toBe('stopped');
    expect(rec.snapshot('2026-01-01T00:00:01.000Z', 'crashed', 'the process died')).toMatchObject({ id: 'my-run', outcome: 'crashed', note: 'the process died' });
  });
});
