// core/sweep.ts: log-spaced learning rates (inclusive ends, as numpy.logspace), the configurations of a
// sweep and their checks, and runSweep on a fixture: one result per configuration, the same numbers as
// train_ch3 with the same seed, a diverged run marked with no metrics, and a host that stops early.

import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../../core/kernels/reference';
import { logSpace, runSweep, SWEEP_LIMITS, sweepConfigs, type SweepEvent, type SweepResult } from '../../core/sweep';
import { DEFAULT_CONFIG, trainCh3, type TrainConfig } from '../../core/train';
import { separableSplit } from '../fixtures/fashion-fixture';

describe('logSpace', () => {
  it('gives 0.001 to 10 in nine values, half a decade apart, both ends exact', () => {
    const v = logSpace(0.001, 10, 9);
    expect(v).toEqual([0.001, 0.00316227766017, 0.01, 0.0316227766017, 0.1, 0.316227766017, 1, 3.16227766017, 10]);
    for (let i = 0; i < v.length; i++) expect(Math.abs(v[i] / 10 ** (-3 + i / 2) - 1)).toBeLessThan(1e-11); // 12 significant digits
  });

  it('keeps the ends exactly as given (even with more digits than the rounding keeps) and spaces the middle evenly in log', () => {
    const v = logSpace(0.02, 0.5, 4);
    expect(v[0]).toBe(0.02);
    expect(v[3]).toBe(0.5);
    const long = logSpace(0.0123456789012345, 0.987654321098765, 3);
    expect([long[0], long[2]]).toEqual([0.0123456789012345, 0.987654321098765]);
    const ratios = v.slice(1).map((x, i) => x / v[i]);
    for (const r of ratios) expect(r).toBeCloseTo(ratios[0], 9);
  });

  it('refuses non-positive ends, a bad count and one value for two ends', () => {
    expect(() => logSpace(0, 1, 3)).toThrow(/two positive numbers/);
    expect(() => logSpace(-1, 1, 3)).toThrow(/two positive numbers/);
    expect(() => logSpace(1, Number.POSITIVE_INFINITY, 3)).toThrow(/two positive numbers/);
    expect(() => logSpace(0.1, 1, 0)).toThrow(/1 to 50 values/);
    expect(() => logSpace(0.1, 1, SWEEP_LIMITS.maxValues + 1)).toThrow(/1 to 50 values/);
    expect(() => logSpace(0.1, 1, 2.5)).toThrow(/1 to 50 values/);
    expect(() => logSpace(0.1, 1, 1)).toThrow(/at least 2/);
    expect(logSpace(0.1, 0.1, 1)).toEqual([0.1]);
  });
});

describe('sweepConfigs', () => {
  const base: TrainConfig = { ...DEFAULT_CONFIG, epochs: 3 };

  it('runs every learning rate × every batch size, learning rate outermost, the rest from the base', () => {
    expect(sweepConfigs({ base, learningRates: [0.01, 0.1], batchSizes: [16, 64] }).map((c) => [c.lr, c.batchSize, c.epochs, c.seed]))
      .toEqual([[0.01, 16, 3, 0], [0.01, 64, 3, 0], [0.1, 16, 3, 0], [0.1, 64, 3, 0]]);
    expect(sweepConfigs({ base, batchSizes: [16, 64] }).map((c) => c.lr)).toEqual([0.1, 0.1]);
    expect(sweepConfigs({ base, learningRates: [1] }).map((c) => c.batchSize)).toEqual([256]);
  });

  it('refuses bad values, repeats, empty lists and oversized sweeps', () => {
    expect(() => sweepConfigs({ base, learningRates: [0.1, 5000] })).toThrow(/learning rate must be a number from/);
    expect(() => sweepConfigs({ base, batchSizes: [0] })).toThrow(/batch size must be an integer/);
    expect(() => sweepConfigs({ base, batchSizes: [16, 16] })).toThrow(/may appear once/);
    expect(() => sweepConfigs({ base, learningRates: [] })).toThrow(/at least one/);
    const many = Array.from({ length: 15 }, (_, i) => i + 1);
    expect(() => sweepConfigs({ base, learningRates: many.map((i) => i / 100), batchSizes: many })).toThrow(/at most 200/);
  });
});

describe('runSweep on a fixture', () => {
  const train = separableSplit(64, 1);
  const test = separableSplit(20, 2);
  const base: TrainConfig = { epochs: 2, lr: 0.1, batchSize: 16, seed: 4, softmax: 'stable', weightDecay: 0 };
  let t = 0;
  const now = (): number => (t += 1); // a clock that moves 1 ms per call: seconds are positive and deterministic
  const opts = (configs: TrainConfig[]) => ({ train, test, configs, createKernels: (m: number) => createReferenceKernels(m), now, wallClock: () => Date.UTC(2026, 0, 1) });

  it('yields runStarted, the Trainer events, runEnded for each config, with the same numbers as train_ch3', () => {
    const configs = sweepConfigs({ base, learningRates: [0.01, 0.1, 1] });
    const events = [...runSweep(opts(configs))];
    const ended = events.filter((e): e is Extract<SweepEvent, { kind: 'runEnded' }> => e.kind === 'runEnded');
    expect(ended.map((e) => e.run)).toEqual([0, 1, 2]);
    expect(events.filter((e) => e.kind === 'runStarted').map((e) => (e.kind === 'runStarted' ? [e.run, e.runs, e.config.lr] : null))).toEqual([[0, 3, 0.01], [1, 3, 0.1], [2, 3, 1]]);
    expect(events.filter((e) => e.kind === 'trainer' && e.event.kind === 'batch')).toHaveLength(3 * 2 * 4);
    configs.forEach((config, i) => {
      const { epochs } = trainCh3({ train, test, config, kernels: createReferenceKernels(16) });
      const last = epochs[epochs.length - 1];
      const r: SweepResult = ended[i].result;
      expect([r.lr, r.batchSize, r.epochs, r.trainLoss, r.trainAcc, r.testAcc, r.diverged]).toEqual([config.lr, 16, 2, last.trainLoss, last.trainAcc, last.testAcc, false]);
      expect(r.seconds).toBeGreaterThan(0);
      expect(ended[i].record.epochs.map((e) => ({ ...e, seconds: 0 }))).toEqual(epochs.map((e) => ({ ...e, seconds: 0 })));
      expect(ended[i].record.outcome).toBe('done');
    });
  });

  it('marks a diverged run, with no metrics even after a finished epoch, and goes on to the next', () => {
    // d2l's naive softmax at lr 100 with batches of 64 finishes epoch 1, then overflows in epoch 2.
    const configs = sweepConfigs({ base: { ...base, softmax: 'naive', epochs: 50, batchSize: 64 }, learningRates: [100, 0.1] });
    const ended = [...runSweep(opts(configs))].filter((e) => e.kind === 'runEnded').map((e) => (e.kind === 'runEnded' ? e : null)!);
    expect(ended[0].result).toMatchObject({ lr: 100, diverged: true, trainLoss: null, trainAcc: null, testAcc: null });
    expect(ended[0].record.outcome).toBe('diverged');
    expect(ended[0].record.epochs).toHaveLength(1);
    expect(ended[1].result).toMatchObject({ lr: 0.1, diverged: false });
    expect(ended[1].result.testAcc).toBeGreaterThan(0.5);
  });

  it('stops where the host stops asking', () => {
    const gen = runSweep(opts(sweepConfigs({ base, learningRates: [0.01, 0.1] })));
    let batches = 0;
    for (const e of gen) {
      if (e.kind === 'trainer' && e.event.kind === 'batch' && ++batches === 3) break; // for..of calls return()
    }
    expect(gen.next().done).toBe(true);
  });
});
