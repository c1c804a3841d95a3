// The step-at-a-time Trainer and train_ch3 on a tiny separable fixture: one batch per step, the learning
// rate and the weight decay change on the next batch, reset replays the run, divergence keeps finite
// weights, predict gives probabilities, and the same seed gives bit-identical numbers.

import { describe, expect, it } from 'vitest';
import { allFinite } from '../../core/model';
import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../core/shapes';
import { createFastJsKernels } from '../../core/kernels/fast-js';
import { createFastKernels } from '../../core/kernels/fast';
import { createReferenceKernels } from '../../core/kernels/reference';
import { batchMaxLogit, DEFAULT_CONFIG, divergenceMessage, EXP_OVERFLOW_FLOAT32, LIMITS, Trainer, trainCh3, validateConfig, type EpochEvent, type TrainerEvent } from '../../core/train';
import { separableSplit } from '../fixtures/fashion-fixture';

const train = separableSplit(200, 1);
const test = separableSplit(50, 2);
const base = { epochs: 3, batchSize: 32, lr: 0.1, seed: 0, softmax: 'stable' as const };

function withoutSeconds(events: TrainerEvent[]): unknown[] {
  return events.map((e) => (e.kind === 'epoch' ? { ...e, seconds: 0 } : e));
}

describe('Trainer', () => {
  it('runs exactly one batch per step and nothing between steps (pause = not stepping)', () => {
    const t = new Trainer({ train, test, config: base });
    expect(t.position).toMatchObject({ epoch: 1, batch: 0, batchesPerEpoch: 7, batchesDone: 0, finished: false });
    const ev = t.step();
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ kind: 'batch', epoch: 1, batch: 0, batchesPerEpoch: 7, size: 32, lr: 0.1 });
    const w = t.weights();
    expect(t.weights()).toEqual(w); // paused: nothing moves
    expect(t.position.batchesDone).toBe(1);
    for (let i = 0; i < 5; i++) t.step();
    const end = t.step(); // the 7th batch (200 = 6*32 + 8) closes the epoch
    expect(end.map((e) => e.kind)).toEqual(['batch', 'epoch']);
    expect(end[0]).toMatchObject({ size: 8, epochProgress: 1 });
    expect(t.position).toMatchObject({ epoch: 2, batch: 0, batchesDone: 7 });
  });

  it('setLearningRate takes effect on the next batch, which reports the lr it used', () => {
    const a = new Trainer({ train, test, config: base });
    const b = new Trainer({ train, test, config: base });
    a.step();
    b.step();
    const before = a.weights();
    expect(b.weights()).toEqual(before);
    b.setLearningRate(0.2);
    const [ea] = a.step();
    const [eb] = b.step();
    expect(ea).toMatchObject({ kind: 'batch', lr: 0.1 });
    expect(eb).toMatchObject({ kind: 'batch', lr: 0.2 });
    // Same weights and batch before the update, so b's step is twice a's.
    const wa = a.weights();
    const wb = b.weights();
    let maxRel = 0;
    for (let i = 0; i < wa.length; i++) {
      const da = wa[i] - before[i];
      const db = wb[i] - before[i];
      if (Math.abs(da) > 1e-4) maxRel = Math.max(maxRel, Math.abs(db / da - 2));
    }
    expect(maxRel).toBeLessThan(1e-2);
    expect(() => b.setLearningRate(-1)).toThrow(RangeError);
    expect(() => b.setLearningRate(Number.NaN)).toThrow(RangeError);
  });

  it('setWeightDecay takes effect on the next batch, which reports it: W loses lr λ W more, b the same', () => {
    const a = new Trainer({ train, test, config: base });
    const b = new Trainer({ train, test, config: base });
    expect(a.step()[0]).toMatchObject({ kind: 'batch', weightDecay: 0 });
    b.step();
    const before = b.weights();
    b.setWeightDecay(0.01);
    expect(b.config.weightDecay).toBe(0.01);
    const [ea] = a.step();
    const [eb] = b.step();
    expect(ea).toMatchObject({ kind: 'batch', weightDecay: 0 });
    expect(eb).toMatchObject({ kind: 'batch', weightDecay: 0.01, lr: 0.1 });
    expect(eb.kind === 'batch' && ea.kind === 'batch' && eb.loss === ea.loss).toBe(true); // the loss is before the update, and the data loss alone
    // d2l: W ← W − lr (grad / n + λ W), so b's W is a's minus lr λ W(before); the bias is not decayed.
    const wa = a.weights();
    const wb = b.weights();
    let maxDiff = 0;
    let maxDecay = 0;
    for (let i = 0; i < D * K; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(wb[i] - (wa[i] - 0.1 * 0.01 * before[i])));
      maxDecay = Math.max(maxDecay, 0.1 * 0.01 * Math.abs(before[i]));
    }
    expect(maxDecay).toBeGreaterThan(1e-5);
    expect(maxDiff).toBeLessThan(maxDecay * 1e-2);
    expect(wb.subarray(D * K)).toEqual(wa.subarray(D * K));
    for (const bad of [-0.001, Number.NaN, Infinity, LIMITS.maxWeightDecay * 2]) expect(() => b.setWeightDecay(bad)).toThrow(RangeError);
    expect(b.config.weightDecay).toBe(0.01);
  });

  it('weight decay is 0 by default (d2l\'s softmax regression) and validated in configs', () => {
    expect(DEFAULT_CONFIG.weightDecay).toBe(0);
    expect(new Trainer({ train, test, config: base }).config.weightDecay).toBe(0);
    expect(validateConfig({ ...DEFAULT_CONFIG, weightDecay: LIMITS.maxWeightDecay })).toBeNull();
    expect(validateConfig({ ...DEFAULT_CONFIG, weightDecay: -1e-9 })).toMatch(/^weight decay must be a number from 0 to /);
    expect(() => new Trainer({ train, test, config: { weightDecay: 5 } })).toThrow(/weight decay/);
  });

  it('weight decay makes smaller weights after a run, on every kernel (fast-js bit for bit with the reference, fast within 1e-5)', () => {
    const norm = (w: Float32Array): number => Math.sqrt(w.subarray(0, D * K).reduce((s, v) => s + v * v, 0));
    const config = { ...base, epochs: 3, lr: 0.5 };
    const plain = trainCh3({ train, test, config }).trainer.weights();
    const runs = [createReferenceKernels, createFastJsKernels, createFastKernels].map((make) => trainCh3({ train, test, config: { ...config, weightDecay: 0.05 }, kernels: make(32) }));
    const [ref, fastJs, fast] = runs.map((r) => r.trainer.weights());
    console.log(`‖W‖ after 3 epochs: ${norm(plain).toFixed(4)} without decay, ${norm(ref).toFixed(4)} with λ = 0.05`);
    expect(norm(ref)).toBeLessThan(0.9 * norm(plain));
    expect(Buffer.from(fastJs.buffer).equals(Buffer.from(ref.buffer))).toBe(true);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < ref.length; i++) {
      diff = Math.max(diff, Math.abs(fast[i] - ref[i]));
      scale = Math.max(scale, Math.abs(ref[i]));
    }
    expect(diff / scale).toBeLessThanOrEqual(1e-5);
    expect(runs[2].epochs.map((e) => e.testAcc)).toEqual(runs[0].epochs.map((e) => e.testAcc));
  });

  it('reset reproduces the same numbers', () => {
    const t = new Trainer({ train, test, config: base });
    const first = t.runEpoch();
    t.reset();
    const again = t.runEpoch();
    expect(withoutSeconds(again)).toEqual(withoutSeconds(first));
    t.reset(7);
    expect(withoutSeconds(t.runEpoch())).not.toEqual(withoutSeconds(first));
  });

  it('learns the separable fixture', () => {
    const { epochs, diverged } = trainCh3({ train, test, config: { ...base, epochs: 5 } });
    expect(diverged).toBeNull();
    expect(epochs).toHaveLength(5);
    expect(epochs[4].trainLoss).toBeLessThan(epochs[0].trainLoss);
    expect(epochs[4].testAcc).toBeGreaterThan(0.9);
  });

  it('diverges with the naive softmax at lr 1000 on bright pixels, keeping finite weights', () => {
    const bright = separableSplit(256, 3, 255);
    const t = new Trainer({ train: bright, test, config: { ...base, lr: 1000, softmax: 'naive', epochs: 2 } });
    let diverged: TrainerEvent | undefined;
    for (let i = 0; i < 50 && !t.stopped; i++) diverged = t.step().find((e) => e.kind === 'diverged') ?? diverged;
    expect(diverged).toMatchObject({ kind: 'diverged', lr: 1000 });
    if (diverged?.kind !== 'diverged') throw new Error('no diverged event');
    expect(Number.isFinite(diverged.loss)).toBe(false);
    expect(diverged.message).toMatch(/epoch \d+, batch \d+/);
    // The chapter's words: a logit above ~88 overflows exp in float32, and ∞/∞ is NaN; what to try.
    expect(diverged.maxLogit).toBeGreaterThan(EXP_OVERFLOW_FLOAT32);
    expect(diverged.message).toContain('exp overflows float32 for a logit above about 88, so exp / rowsum became ∞/∞ = NaN');
    expect(diverged.message).toContain(`The largest logit of the batch was ${(diverged.maxLogit ?? 0).toFixed(1)}`);
    expect(diverged.message).toMatch(/Try a smaller learning rate than 1000, or the stable softmax/);
    expect(t.position.diverged).toBe(true);
    expect(t.stopped).toBe(true);
    expect(allFinite(t.weights())).toBe(true);
    expect(t.step()).toEqual([]);
    // The stable softmax at the same lr does not produce NaN losses from overflow.
    const s = new Trainer({ train: bright, test, config: { ...base, lr: 1000, softmax: 'stable', epochs: 1 } });
    const events = s.runEpoch();
    expect(events.some((e) => e.kind === 'batch' && !Number.isFinite(e.loss))).toBe(false);
  });

  it('with the stable softmax at lr 1000 trains on: every batch loss finite, large as it gets', () => {
    const bright = separableSplit(256, 3, 255);
    const t = new Trainer({ train: bright, test, config: { ...base, lr: 1000, softmax: 'stable', epochs: 3, batchSize: 8 } });
    const batches = [];
    while (!t.stopped) batches.push(...t.step().filter((e) => e.kind === 'batch'));
    expect(t.position).toMatchObject({ finished: true, diverged: false });
    expect(batches).toHaveLength(96);
    expect(batches.every((e) => Number.isFinite(e.loss))).toBe(true);
    expect(Math.max(...batches.map((e) => e.loss))).toBeGreaterThan(200); // -log p_y is Infinity beyond ~104
  });

  it('batchMaxLogit is the largest logit of exactly the batch', () => {
    const t = new Trainer({ train, test, config: base });
    t.step();
    const params = t.weights();
    const order = Uint32Array.from([5, 17, 3]);
    const x = new Float32Array(3 * D);
    for (let r = 0; r < 3; r++) for (let d = 0; d < D; d++) x[r * D + d] = train.images[order[r] * D + d] / 255;
    const logits = new Float32Array(3 * K);
    const kernels = createReferenceKernels(4);
    kernels.logits(params, x, 3, logits);
    expect(batchMaxLogit(kernels, params, train, order, 0, 3)).toBe(Math.max(...logits));
    expect(batchMaxLogit(kernels, params, train, order, 1, 1)).toBe(Math.max(...logits.subarray(K, 2 * K)));
  });

  it('the diverged message says what happened in each case, and what to try', () => {
    const at = { epoch: 2, batch: 6, lr: 10 };
    expect(divergenceMessage({ ...at, what: 'loss', loss: NaN, maxLogit: 96.26, softmax: 'naive' })).toBe(
      'loss became NaN at epoch 2, batch 7: exp overflows float32 for a logit above about 88, so exp / rowsum became ∞/∞ = NaN. ' +
      'The largest logit of the batch was 96.3. Try a smaller learning rate than 10, or the stable softmax, which subtracts the row max ' +
      'before exp and takes the loss from the logits by log-sum-exp.');
    expect(divergenceMessage({ ...at, what: 'loss', loss: Infinity, maxLogit: 40, softmax: 'naive' })).toMatch(
      /^loss became Infinity at epoch 2, batch 7: the label's probability exp \/ rowsum underflowed to 0, and -log 0 = ∞\. The largest logit of the batch was 40\.0\. Try .*stable softmax/);
    expect(divergenceMessage({ ...at, what: 'loss', loss: NaN, maxLogit: Infinity, softmax: 'stable' })).toMatch(
      /^loss became NaN at epoch 2, batch 7: a logit itself overflowed float32 \(above 3\.4e38\).*was Infinity\. Try a smaller learning rate than 10\.$/);
    expect(divergenceMessage({ ...at, what: 'weights', loss: 3.5, maxLogit: 2.5e30, softmax: 'stable' })).toBe(
      'weights overflowed at epoch 2, batch 7: the update lr × gradient went past the largest float32 (3.4e38). ' +
      'The largest logit of the batch was 2.50e+30. Try a smaller learning rate than 10.');
  });

  it('predict gives rows of probabilities that sum to 1', () => {
    const t = new Trainer({ train, test, config: base });
    t.runEpoch();
    const n = 5;
    const x = new Float32Array(n * D);
    for (let i = 0; i < n * D; i++) x[i] = test.images[i] / 255;
    const p = t.predict(x);
    expect(p.length).toBe(n * K);
    for (let r = 0; r < n; r++) {
      let sum = 0;
      for (let k = 0; k < K; k++) {
        expect(p[r * K + k]).toBeGreaterThanOrEqual(0);
        sum += p[r * K + k];
      }
      expect(sum).toBeCloseTo(1, 5);
    }
  });

  it('refuses invalid configs', () => {
    expect(() => new Trainer({ train, test, config: { batchSize: 0 } })).toThrow(RangeError);
    expect(() => new Trainer({ train, test, config: { lr: -0.1 } })).toThrow(RangeError);
  });
});

describe('determinism', () => {
  const run = (seed: number): Omit<EpochEvent, 'kind' | 'seconds'>[] =>
    trainCh3({ train, test, config: { ...base, seed } }).epochs.map(({ seconds: _s, ...rest }) => rest);

  it('the same seed gives bit-identical per-epoch numbers', () => {
    const a = run(0);
    const b = run(0);
    expect(a).toHaveLength(3);
    for (let i = 0; i < a.length; i++) {
      expect(Object.is(a[i].trainLoss, b[i].trainLoss)).toBe(true);
      expect(Object.is(a[i].trainAcc, b[i].trainAcc)).toBe(true);
      expect(Object.is(a[i].testAcc, b[i].testAcc)).toBe(true);
    }
    expect(b).toEqual(a);
  });

  it('different seeds give different numbers', () => {
    expect(run(1)).not.toEqual(run(0));
  });
});
