// TrainingSession: the run loop shared by the utility process and the Web Worker, driven here with a
// fake host whose clock and scheduler the test controls.
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BATCHES, RUN_TRANSITIONS, SWEEP_BUSY, SWEEP_PROGRESS_MS, TrainingSession, WATCHABLE_PACE, type SessionHost } from '../../core/session';
import { fromTrainerSchema, replySchemas, runRecordSchema } from '../../common/contract';
import type { FromTrainer, TrainerReplies } from '../../core/protocol';
import { argmaxRow } from '../../core/softmax';
import type { Dataset } from '../../core/dataset';
import { createRng, nextU32 } from '../../core/rng';
import { NUM_INPUTS } from '../../core/shapes';

function synthetic(count: number, seed: number): Dataset {
  const rng = createRng(seed);
  const labels = new Uint8Array(count);
  const images = new Uint8Array(count * NUM_INPUTS);
  for (let i = 0; i < count; i++) {
    const y = nextU32(rng) % 10;
    labels[i] = y;
    // class-dependent bright stripe plus noise: learnable in a few epochs
    for (let d = 0; d < NUM_INPUTS; d++) images[i * NUM_INPUTS + d] = (Math.floor(d / 78) === y ? 200 : 0) + (nextU32(rng) % 40);
  }
  return { count, images, labels };
}

class FakeHost implements SessionHost {
  messages: FromTrainer[] = [];
  queue: (() => void)[] = [];
  clock = 0;
  post(msg: FromTrainer): void {
    this.messages.push(msg);
  }
  schedule(fn: () => void): void {
    this.queue.push(fn);
  }
  now(): number {
    return (this.clock += 1); // every look at the clock advances it 1 ms
  }
  /** Runs scheduled slices until none are left or `limit` have run. */
  drain(limit = 10_000): number {
    let n = 0;
    while (this.queue.length > 0 && n < limit) {
      this.queue.shift()?.();
      n++;
    }
    return n;
  }
  of<K extends FromTrainer['kind']>(kind: K): Extract<FromTrainer, { kind: K }>[] {
    return this.messages.filter((m): m is Extract<FromTrainer, { kind: K }> => m.kind === kind);
  }
}

function setup(config = { epochs: 2, batchSize: 50 }) {
  const host = new FakeHost();
  const session = new TrainingSession(host, { config, sliceMs: 8 });
  session.setData({ train: synthetic(400, 1), test: synthetic(100, 2) }, 'synthetic');
  return { host, session };
}

describe('TrainingSession', () => {
  it('announces ready, idle and initial weights when data arrives', () => {
    const { host } = setup();
    expect(host.of('ready')[0]).toMatchObject({ trainCount: 400, testCount: 100, source: 'synthetic' });
    expect(host.of('state').at(-1)?.state).toBe('idle');
    expect(host.of('weights')[0].weights.length).toBe(7850);
  });

  it('runs a whole run in slices: progress for every batch, one epoch event per epoch, then done', () => {
    const { host, session } = setup();
    session.handle({ kind: 'start' });
    expect(session.runState).toBe('training');
    const slices = host.drain();
    expect(slices).toBeGreaterThan(1); // yielded between slices
    const batches = host.of('progress').flatMap((m) => m.batches);
    expect(batches).toHaveLength(16); // 2 epochs x 8 batches of 50
    expect(batches.map((b) => b.epochProgress).at(-1)).toBe(2);
    expect(host.of('epoch').map((e) => e.epoch)).toEqual([1, 2]);
    expect(host.of('done')).toHaveLength(1);
    expect(session.runState).toBe('done');
    const order = host.messages.map((m) => m.kind).filter((k) => k === 'epoch' || k === 'progress' || k === 'done');
    expect(order.at(-1)).toBe('done');
    expect(order.at(-2)).toBe('epoch');
  });

  it('pauses between slices, steps one batch at a time, and resumes', () => {
    const { host, session } = setup();
    session.handle({ kind: 'start' });
    host.queue.shift()?.(); // one slice
    session.handle({ kind: 'pause' });
    const before = host.of('progress').flatMap((m) => m.batches).length;
    host.drain();
    expect(host.of('progress').flatMap((m) => m.batches).length).toBe(before);
    expect(session.runState).toBe('paused');
    session.handle({ kind: 'step' });
    expect(host.of('progress').flatMap((m) => m.batches).length).toBe(before + 1);
    session.handle({ kind: 'resume' });
    host.drain();
    expect(session.runState).toBe('done');
  });

  it('applies a new learning rate from the next batch and reports it per batch', () => {
    const { host, session } = setup();
    session.handle({ kind: 'step' });
    session.handle({ kind: 'setLearningRate', lr: 0.5 });
    session.handle({ kind: 'step' });
    const lrs = host.of('progress').flatMap((m) => m.batches).map((b) => b.lr);
    expect(lrs).toEqual([0.1, 0.5]);
  });

  it('reset goes back to idle with the same initial weights for the same seed', () => {
    const { host, session } = setup();
    const w0 = host.of('weights')[0].weights.slice();
    session.handle({ kind: 'start' });
    host.drain();
    session.handle({ kind: 'reset' });
    expect(session.runState).toBe('idle');
    expect(Array.from(host.of('weights').at(-1)!.weights)).toEqual(Array.from(w0));
  });

  it('Start after a run ended sends the new run\'s starting weights (epoch progress 0) before its first batch', () => {
    const { host, session } = setup();
    const w0 = host.of('weights')[0].weights.slice();
    session.handle({ kind: 'start' });
    host.drain();
    expect(session.runState).toBe('done');
    const before = host.messages.length;
    session.handle({ kind: 'start' });
    const after = host.messages.slice(before);
    const firstWeights = after.findIndex((m) => m.kind === 'weights');
    expect(firstWeights).toBeGreaterThanOrEqual(0);
    const start = after[firstWeights] as Extract<FromTrainer, { kind: 'weights' }>;
    expect(start.epochProgress).toBe(0);
    expect(Array.from(start.weights)).toEqual(Array.from(w0)); // the same seed: the same starting weights
    host.drain();
    const firstBatch = host.messages.slice(before).findIndex((m) => m.kind === 'progress');
    expect(firstWeights).toBeLessThan(firstBatch);
  });

  it('stops on a diverging run with a diverged event and finite weights', () => {
    const { host, session } = setup();
    session.handle({ kind: 'start', config: { softmax: 'naive', lr: 1000 } });
    host.drain();
    const d = host.of('diverged');
    expect(d).toHaveLength(1);
    expect(d[0].message).toMatch(/epoch \d+, batch \d+/);
    expect(session.runState).toBe('diverged');
    expect(host.of('weights').at(-1)!.weights.every(Number.isFinite)).toBe(true);
    for (const b of host.of('progress').flatMap((m) => m.batches)) expect(Number.isFinite(b.loss)).toBe(true);
  });

  it('reports bad commands as errors and bad requests as failed replies, and carries on', () => {
    const { host, session } = setup();
    session.handle({ kind: 'setLearningRate', lr: -1 });
    expect(host.of('error').at(-1)?.message).toMatch(/learning rate/);
    session.handle({ kind: 'request', id: 7, request: { kind: 'predict', x: new Float32Array(10), n: 1 } });
    expect(host.of('reply').at(-1)).toMatchObject({ id: 7, ok: false });
    session.handle({ kind: 'request', id: 8, request: { kind: 'predict', x: new Float32Array(784), n: 1 } });
    const reply = host.of('reply').at(-1)!;
    expect(reply.ok).toBe(true);
    if (reply.ok) {
      const probs = (reply.result as { probs: Float32Array }).probs;
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    session.handle({ kind: 'start' });
    host.drain();
    expect(session.runState).toBe('done');
  });

  it('answers testPredictions and testExamples', () => {
    const { host, session } = setup();
    session.handle({ kind: 'request', id: 1, request: { kind: 'testPredictions' } });
    session.handle({ kind: 'request', id: 2, request: { kind: 'testExamples', indices: [0, 99] } });
    const [a, b] = host.of('reply');
    expect(a.ok && (a.result as { predicted: Uint8Array }).predicted.length).toBe(100);
    expect(b.ok && (b.result as { pixels: Uint8Array }).pixels.length).toBe(2 * 784);
  });

  it('paces batches when asked', () => {
    const { host, session } = setup();
    session.handle({ kind: 'setPace', batchesPerSecond: 2 });
    session.handle({ kind: 'start' });
    host.queue.shift()?.();
    expect(host.of('progress').flatMap((m) => m.batches).length).toBeLessThanOrEqual(1);
  });
});

describe('TrainingSession: the run state machine', () => {
  const statesOf = (host: FakeHost): string[] => host.of('state').map((m) => m.state).filter((st, i, a) => i === 0 || a[i - 1] !== st);

  it('moves only along RUN_TRANSITIONS: idle → training → paused → training → done → training (a new run)', () => {
    const { host, session } = setup({ epochs: 1, batchSize: 50 });
    session.handle({ kind: 'start' });
    session.handle({ kind: 'pause' });
    session.handle({ kind: 'resume' });
    host.drain();
    session.handle({ kind: 'start' });
    host.queue.shift()?.(); // one slice: batches run
    session.handle({ kind: 'stop' });
    expect(statesOf(host)).toEqual(['idle', 'training', 'paused', 'training', 'done', 'training', 'stopped']);
    const seen = host.of('state').map((m) => m.state);
    for (let i = 1; i < seen.length; i++) expect(RUN_TRANSITIONS[seen[i - 1]!]).toContain(seen[i]);
  });

  it('stop ends a run as stopped (idle when no batch ran); step from stopped is refused', () => {
    const { host, session } = setup();
    session.handle({ kind: 'start' });
    session.handle({ kind: 'stop' });
    expect(session.runState).toBe('idle'); // no batch had run yet
    session.handle({ kind: 'step' });
    session.handle({ kind: 'stop' });
    expect(session.runState).toBe('stopped');
    session.handle({ kind: 'step' });
    expect(host.of('error').at(-1)?.message).toMatch(/stopped: reset or start/);
    session.handle({ kind: 'reset' });
    expect(session.runState).toBe('idle');
  });

  it('steps one epoch: from idle or mid-epoch it runs to the epoch\'s end at full speed, then pauses', () => {
    const host = new FakeHost();
    const session = new TrainingSession(host, { config: { epochs: 3, batchSize: 50 }, sliceMs: 8, pace: 1 });
    session.setData({ train: synthetic(400, 1), test: synthetic(100, 2) }, 'synthetic');
    session.handle({ kind: 'stepEpoch' });
    expect(session.runState).toBe('training'); // through the loop: Pause could interrupt it
    host.drain();
    const batches = () => host.of('progress').flatMap((m) => m.batches);
    expect(batches()).toHaveLength(8); // the whole first epoch, although the pace is 1 batch/s
    expect(host.of('epoch').map((e) => e.epoch)).toEqual([1]);
    expect(session.runState).toBe('paused');
    expect(host.of('state').at(-1)).toMatchObject({ state: 'paused', position: { epoch: 2, batch: 0, batchesDone: 8 } });
    // From the middle of an epoch: only the rest of it.
    session.handle({ kind: 'step' });
    session.handle({ kind: 'step' });
    session.handle({ kind: 'stepEpoch' });
    host.drain();
    expect(batches()).toHaveLength(16);
    expect(host.of('epoch').map((e) => e.epoch)).toEqual([1, 2]);
    expect(session.runState).toBe('paused');
    // The last epoch ends the run; the epoch step ends with it, and afterwards it is refused.
    session.handle({ kind: 'stepEpoch' });
    host.drain();
    expect(session.runState).toBe('done');
    session.handle({ kind: 'stepEpoch' });
    expect(host.of('error').at(-1)?.message).toMatch(/reset to start again/);
  });

  it('refuses an epoch step while training, and Pause interrupts one', () => {
    const { host, session } = setup({ epochs: 2, batchSize: 10 });
    session.handle({ kind: 'start' });
    session.handle({ kind: 'stepEpoch' });
    expect(host.of('error').at(-1)?.message).toBe('pause before stepping');
    session.handle({ kind: 'pause' });
    session.handle({ kind: 'stepEpoch' });
    host.queue.shift()?.(); // one slice, less than an epoch of 40 batches
    session.handle({ kind: 'pause' });
    host.drain();
    expect(session.runState).toBe('paused');
    expect(host.of('epoch')).toHaveLength(0);
    session.handle({ kind: 'resume' }); // a plain resume trains on past the epoch's end
    host.drain();
    expect(session.runState).toBe('done');
  });

  it('starts at the pace it is given (the windows pass WATCHABLE_PACE) and reports it', () => {
    const host = new FakeHost();
    const session = new TrainingSession(host, { pace: WATCHABLE_PACE });
    session.setData({ train: synthetic(400, 1), test: synthetic(100, 2) }, 'synthetic');
    expect(host.of('state').at(-1)?.pace).toBe(WATCHABLE_PACE);
    // d2l's recipe has 235 batches an epoch: the first one takes at least ten seconds at this pace.
    expect(235 / WATCHABLE_PACE).toBeGreaterThanOrEqual(10);
  });

  it('never makes a move the table does not allow (the table is what the session obeys)', () => {
    expect(RUN_TRANSITIONS.loading).toEqual(['idle', 'loading']);
    expect(RUN_TRANSITIONS.idle).not.toContain('done');
    expect(RUN_TRANSITIONS.stopped).not.toContain('done');
    for (const [from, tos] of Object.entries(RUN_TRANSITIONS)) for (const to of tos) expect(Object.keys(RUN_TRANSITIONS), `${from}→${to}`).toContain(to);
  });
});

describe('TrainingSession: the run record', () => {
  const finals = (host: FakeHost) => host.of('run').filter((m) => m.final).map((m) => m.record);

  it('emits a checkpoint per epoch and one final record with config, epochs, batches, lr changes and the end', () => {
    const { host, session } = setup({ epochs: 2, batchSize: 50 });
    session.handle({ kind: 'step' });
    session.handle({ kind: 'setLearningRate', lr: 0.3 });
    session.handle({ kind: 'resume' });
    host.drain();
    const checkpoints = host.of('run').filter((m) => !m.final);
    expect(checkpoints.map((m) => [m.record.outcome, m.record.epochs.length])).toEqual([['running', 1], ['running', 2]]);
    const [rec] = finals(host);
    expect(rec).toMatchObject({ outcome: 'done', note: null, batchesDone: 16, config: { epochs: 2, batchSize: 50, lr: 0.1 } });
    expect(rec!.lrChanges).toEqual([{ batchesDone: 1, epochProgress: 1 / 8, from: 0.1, to: 0.3 }]);
    expect(rec!.batches).toHaveLength(16);
    expect(rec!.batches[1]!.lr).toBe(0.3);
    expect(rec!.final).toEqual({ trainLoss: rec!.epochs[1]!.trainLoss, trainAcc: rec!.epochs[1]!.trainAcc, testAcc: rec!.epochs[1]!.testAcc });
    expect(runRecordSchema.safeParse(rec).success).toBe(true);
    expect(rec!.endedAt! >= rec!.startedAt).toBe(true);
  });

  it('records a run that ends any other way: diverged, stopped, reset mid-way, settings changed, model opened', () => {
    const { host, session } = setup({ epochs: 3, batchSize: 50 });
    session.handle({ kind: 'start', config: { softmax: 'naive', lr: 1000 } });
    host.drain();
    session.handle({ kind: 'start', config: { softmax: 'stable', lr: 0.1 } });
    session.handle({ kind: 'pause' });
    session.handle({ kind: 'step' });
    session.handle({ kind: 'stop' });
    session.handle({ kind: 'start' });
    session.handle({ kind: 'pause' });
    session.handle({ kind: 'step' });
    session.handle({ kind: 'reset' });
    session.handle({ kind: 'step' });
    session.handle({ kind: 'configure', patch: { epochs: 2 } });
    session.handle({ kind: 'step' });
    session.handle({ kind: 'request', id: 1, request: { kind: 'loadWeights', weights: new Float32Array(7850) } });
    const ended = finals(host).map((r) => [r.outcome, r.note]);
    // The record of the run a model replaced carries that run's weights, not the model's (all zeros).
    const lastRun = host.of('run').filter((m) => m.final).at(-1)!;
    expect(lastRun.weights.some((v) => v !== 0)).toBe(true);
    expect(ended[0]).toEqual(['diverged', expect.stringMatching(/loss became|overflow|NaN|Infinity/)]);
    expect(ended.slice(1)).toEqual([['stopped', 'stopped by the user'], ['stopped', 'the run was reset'], ['stopped', 'its settings were changed'], ['stopped', 'a model was opened']]);
    for (const r of finals(host)) expect(runRecordSchema.safeParse(r).success, JSON.stringify(r).slice(0, 200)).toBe(true);
    // A run that ran no batch is not recorded, and ids are unique.
    session.handle({ kind: 'start' });
    session.handle({ kind: 'stop' });
    expect(finals(host)).toHaveLength(5);
    expect(new Set(finals(host).map((r) => r.id)).size).toBe(5);
  });

  it('records one lr change per gesture: uncommitted values apply at once, the commit records from the rate before the gesture', () => {
    const { host, session } = setup({ epochs: 1, batchSize: 50 });
    session.handle({ kind: 'step' }); // 1 batch at 0.1
    session.handle({ kind: 'setLearningRate', lr: 0.2, commit: false });
    session.handle({ kind: 'step' }); // at 0.2
    session.handle({ kind: 'setLearningRate', lr: 0.5, commit: false });
    session.handle({ kind: 'step' }); // at 0.5
    session.handle({ kind: 'setLearningRate', lr: 0.3 }); // the gesture settles at 0.3
    session.handle({ kind: 'step' });
    session.handle({ kind: 'setLearningRate', lr: 0.8, commit: false }); // a gesture that comes back where it began
    session.handle({ kind: 'setLearningRate', lr: 0.3 });
    session.handle({ kind: 'setLearningRate', lr: 0.4 }); // a plain change: recorded at once
    session.handle({ kind: 'resume' });
    host.drain();
    const lrs = host.of('progress').flatMap((m) => m.batches).map((b) => b.lr);
    expect(lrs.slice(0, 5)).toEqual([0.1, 0.2, 0.5, 0.3, 0.4]);
    expect(host.of('state').filter((m) => m.config.lr === 0.5)).not.toHaveLength(0); // the session reports passing values too
    const [rec] = finals(host);
    expect(rec!.lrChanges).toEqual([
      { batchesDone: 1, epochProgress: 1 / 8, from: 0.1, to: 0.3 },
      { batchesDone: 4, epochProgress: 4 / 8, from: 0.3, to: 0.4 },
    ]);
  });

  it('records one weight-decay change per gesture, as it does the lr, with each batch\'s λ in the progress and the record', () => {
    const { host, session } = setup({ epochs: 1, batchSize: 50 });
    session.handle({ kind: 'step' }); // 1 batch without decay
    session.handle({ kind: 'setWeightDecay', weightDecay: 0.001, commit: false });
    session.handle({ kind: 'step' }); // at 0.001
    session.handle({ kind: 'setWeightDecay', weightDecay: 0.005, commit: false });
    session.handle({ kind: 'step' }); // at 0.005
    session.handle({ kind: 'setWeightDecay', weightDecay: 0.002 }); // the gesture settles at 0.002
    session.handle({ kind: 'step' });
    session.handle({ kind: 'setLearningRate', lr: 0.3 }); // the other slider's change: recorded apart
    session.handle({ kind: 'setWeightDecay', weightDecay: 0 }); // back to none: a plain change
    session.handle({ kind: 'setWeightDecay', weightDecay: 2 }); // beyond LIMITS: refused, nothing changes
    expect(host.of('error').map((m) => m.message)).toEqual(['weight decay must be a number from 0 to 1, got 2']);
    session.handle({ kind: 'resume' });
    host.drain();
    const wds = host.of('progress').flatMap((m) => m.batches).map((b) => b.weightDecay);
    expect(wds.slice(0, 6)).toEqual([0, 0.001, 0.005, 0.002, 0, 0]);
    expect(host.of('state').at(-1)?.config.weightDecay).toBe(0);
    const [rec] = finals(host);
    expect(rec!.wdChanges).toEqual([
      { batchesDone: 1, epochProgress: 1 / 8, from: 0, to: 0.002 },
      { batchesDone: 4, epochProgress: 4 / 8, from: 0.002, to: 0 },
    ]);
    expect(rec!.lrChanges).toEqual([{ batchesDone: 4, epochProgress: 4 / 8, from: 0.1, to: 0.3 }]);
    expect(rec!.batches.slice(0, 5).map((b) => b.weightDecay)).toEqual([0, 0.001, 0.005, 0.002, 0]);
    expect(runRecordSchema.parse(rec)).toEqual(rec);
    // A record stored before weight decay existed parses as a run without it.
    const { wdChanges: _c, ...older } = rec!;
    const parsed = runRecordSchema.parse({ ...older, config: { ...older.config, weightDecay: undefined }, batches: older.batches.map(({ weightDecay: _w, ...b }) => b) });
    expect([parsed.wdChanges, parsed.config.weightDecay, parsed.batches[0].weightDecay]).toEqual([[], 0, 0]);
  });

  it('a configuration with weight decay trains with it from the first batch; configure without it keeps it', () => {
    const { host, session } = setup({ epochs: 1, batchSize: 50 });
    session.handle({ kind: 'configure', patch: { weightDecay: 0.01 } });
    session.handle({ kind: 'configure', patch: { batchSize: 100 } });
    expect(session.runConfig.weightDecay).toBe(0.01);
    session.handle({ kind: 'step' });
    expect(host.of('progress').flatMap((m) => m.batches).map((b) => b.weightDecay)).toEqual([0.01]);
  });

  it('thins a long run evenly and keeps the record small', () => {
    const { host, session } = setup({ epochs: 7, batchSize: 1 });
    session.handle({ kind: 'start' });
    host.drain(1_000_000);
    const [rec] = finals(host);
    expect(rec!.batchesDone).toBe(2800);
    expect(rec!.batches.length).toBeLessThan(MAX_RECORD_BATCHES);
    expect(rec!.batches.length).toBeGreaterThan(MAX_RECORD_BATCHES / 2 - 1);
    const steps = rec!.batches.slice(1).map((b, i) => Math.round((b.epochProgress - rec!.batches[i]!.epochProgress) * 400));
    expect(new Set(steps)).toEqual(new Set([2]));
  });
});

describe('TrainingSession: sweeps', () => {
  const points = (host: FakeHost) => host.of('sweepPoint');
  const statuses = (host: FakeHost) => host.of('sweepProgress').map((m) => m.status);

  it('runs every learning rate in turn, in slices, with the session\'s seed: the same numbers as a plain run of each', () => {
    const { host, session } = setup({ epochs: 2, batchSize: 50 });
    const weightsBefore = host.of('weights').length;
    session.handle({ kind: 'sweep', learningRates: [0.05, 0.5], epochs: 1 });
    expect(statuses(host)[0]).toMatchObject({ sweep: 1, state: 'running', runs: 2, finished: 0, learningRates: [0.05, 0.5], batchSizes: [50], epochs: 1 });
    const slices = host.drain();
    expect(slices).toBeGreaterThan(2); // yielded to messages between slices
    expect(points(host).map((p) => [p.sweep, p.run, p.result.lr, p.result.batchSize, p.result.epochs])).toEqual([[1, 0, 0.05, 50, 1], [1, 1, 0.5, 50, 1]]);
    expect(statuses(host).at(-1)).toMatchObject({ state: 'done', finished: 2, current: null, note: null });
    // Each point equals a plain run of its configuration from the same seed.
    for (const p of points(host)) {
      const plain = setup({ epochs: 1, batchSize: 50 });
      plain.session.handle({ kind: 'start', config: { lr: p.result.lr } });
      plain.host.drain();
      const done = plain.host.of('done')[0];
      expect([p.result.trainLoss, p.result.trainAcc, p.result.testAcc]).toEqual([done.trainLoss, done.trainAcc, done.testAcc]);
      expect(p.record).toMatchObject({ outcome: 'done', config: { lr: p.result.lr, batchSize: 50, epochs: 1, seed: 0 }, batchesDone: 8 });
      expect(p.record.epochs).toHaveLength(1);
    }
    // The session's own run was left alone: no state change, no weight snapshot, no run record.
    expect(session.runState).toBe('idle');
    expect(host.of('weights')).toHaveLength(weightsBefore);
    expect(host.of('run')).toHaveLength(0);
    expect(session.runConfig).toMatchObject({ epochs: 2, lr: 0.1 });
  });

  it('sweeps batch sizes, marks a diverged run with null metrics, and every message passes the contract', () => {
    const { host, session } = setup({ epochs: 1, batchSize: 50 });
    session.handle({ kind: 'configure', patch: { softmax: 'naive' } });
    session.handle({ kind: 'sweep', learningRates: [0.1, 1000], batchSizes: [25, 100], epochs: 1 });
    host.drain();
    const results = points(host).map((p) => p.result);
    expect(results.map((r) => [r.lr, r.batchSize])).toEqual([[0.1, 25], [0.1, 100], [1000, 25], [1000, 100]]);
    expect(results.map((r) => r.diverged)).toEqual([false, false, true, true]);
    for (const r of results.filter((x) => x.diverged)) expect([r.trainLoss, r.trainAcc, r.testAcc]).toEqual([null, null, null]);
    expect(points(host)[2].record.outcome).toBe('diverged');
    for (const m of [...host.of('sweepProgress'), ...points(host)]) expect(fromTrainerSchema.safeParse(m).success, JSON.stringify(m).slice(0, 200)).toBe(true);
  });

  it('reports progress at each run\'s start and end and at most every SWEEP_PROGRESS_MS between', () => {
    const host = new FakeHost();
    const session = new TrainingSession(host, { config: { epochs: 1, batchSize: 1 }, sliceMs: 8 });
    session.setData({ train: synthetic(400, 1), test: synthetic(100, 2) }, 'synthetic');
    session.handle({ kind: 'sweep', learningRates: [0.1], epochs: 1 });
    const at: number[] = [];
    const post = host.post.bind(host);
    host.post = (m) => {
      if (m.kind === 'sweepProgress') at.push(host.clock);
      post(m);
    };
    host.drain();
    const running = statuses(host).filter((s) => s.state === 'running' && s.current);
    expect(running.length).toBeGreaterThan(2);
    const epochProgress = running.map((s) => s.current!.epochProgress);
    expect(epochProgress).toEqual([...epochProgress].sort((a, b) => a - b));
    // Between the run's start and end, no two messages closer than SWEEP_PROGRESS_MS of the session's clock.
    const between = at.slice(1, -2);
    for (let i = 1; i < between.length; i++) expect(between[i] - between[i - 1]).toBeGreaterThanOrEqual(SWEEP_PROGRESS_MS);
  });

  it('refuses to move its own run while a sweep runs; Stop ends the sweep after the current batch, with no point for that run', () => {
    const { host, session } = setup({ epochs: 1, batchSize: 50 });
    session.handle({ kind: 'sweep', learningRates: [0.1, 0.2, 0.3], epochs: 1 });
    host.queue.shift()?.(); // one slice
    for (const cmd of [{ kind: 'start' }, { kind: 'step' }, { kind: 'stepEpoch' }, { kind: 'reset' }, { kind: 'resume' }, { kind: 'configure', patch: { epochs: 3 } }] as const) {
      session.handle(cmd);
      expect(host.of('error').at(-1)?.message, cmd.kind).toBe(SWEEP_BUSY);
    }
    session.handle({ kind: 'request', id: 5, request: { kind: 'loadWeights', weights: new Float32Array(7850) } });
    expect(host.of('reply').at(-1)).toMatchObject({ id: 5, ok: false, error: SWEEP_BUSY });
    // Other requests are answered meanwhile (the gallery still works).
    session.handle({ kind: 'request', id: 6, request: { kind: 'testPredictions' } });
    expect(host.of('reply').at(-1)).toMatchObject({ id: 6, ok: true });
    session.handle({ kind: 'sweep', learningRates: [1], epochs: 1 });
    expect(host.of('error').at(-1)?.message).toMatch(/already running/);
    session.handle({ kind: 'stopSweep' });
    host.drain();
    expect(statuses(host).at(-1)).toMatchObject({ state: 'stopped', note: 'stopped by the user', current: null });
    expect(points(host).length).toBeLessThan(3);
    expect(session.runState).toBe('idle');
    session.handle({ kind: 'start' });
    host.drain();
    expect(session.runState).toBe('done');
  });

  it('refuses a sweep while its run trains, bad plans in the sweep\'s words, and stops a sweep when the dataset is reloaded', () => {
    const { host, session } = setup({ epochs: 1, batchSize: 50 });
    session.handle({ kind: 'start' });
    session.handle({ kind: 'sweep', learningRates: [0.1], epochs: 1 });
    expect(host.of('error').at(-1)?.message).toMatch(/pause or stop the run before a sweep/);
    session.handle({ kind: 'pause' });
    session.handle({ kind: 'sweep', learningRates: [0.1, 0.1], epochs: 1 });
    expect(host.of('error').at(-1)?.message).toMatch(/may appear once/);
    session.handle({ kind: 'sweep', learningRates: [0.1, 5000], epochs: 1 });
    expect(host.of('error').at(-1)?.message).toMatch(/learning rate must be/);
    expect(host.of('sweepProgress')).toHaveLength(0);
    // A paused run waits while a sweep runs, and resumes after it.
    session.handle({ kind: 'sweep', batchSizes: [10, 20], epochs: 1 });
    host.queue.shift()?.();
    session.setData({ train: synthetic(400, 1), test: synthetic(100, 2) }, 'synthetic again');
    expect(statuses(host).at(-1)).toMatchObject({ sweep: 1, state: 'stopped', note: 'the dataset was reloaded' });
    host.drain();
    expect(statuses(host).at(-1)?.state).toBe('stopped');
  });
});

describe('TrainingSession: report data', () => {
  const finals = (host: FakeHost) => host.of('run').filter((m) => m.final).map((m) => m.record);
  const lastReply = (host: FakeHost) => {
    const r = host.of('reply').at(-1)!;
    if (!r.ok) throw new Error(r.error);
    return r.result as TrainerReplies['reportData'];
  };

  it('gives the test set\'s probabilities, images and labels under its weights, with the record of the run they came from', () => {
    const { host, session } = setup({ epochs: 1, batchSize: 50 });
    session.handle({ kind: 'request', id: 1, request: { kind: 'reportData' } });
    expect(lastReply(host)).toMatchObject({ record: null, kernel: 'reference', dataset: 'synthetic' }); // fresh weights: no run yet
    session.handle({ kind: 'start' });
    host.drain();
    session.handle({ kind: 'request', id: 2, request: { kind: 'reportData' } });
    const data = lastReply(host);
    expect(data.record).toEqual(finals(host).at(-1));
    expect(data.probabilities.length).toBe(100 * 10);
    expect(data.images.length).toBe(100 * 784);
    expect(data.labels.length).toBe(100);
    expect(Array.from(data.weights)).toEqual(Array.from(host.of('weights').at(-1)!.weights));
    session.handle({ kind: 'request', id: 3, request: { kind: 'testPredictions' } });
    const predicted = (host.of('reply').at(-1) as { result: { predicted: Uint8Array } }).result.predicted;
    for (let i = 0; i < 100; i++) expect(argmaxRow(data.probabilities, i, 10)).toBe(predicted[i]);
    expect(replySchemas.reportData.safeParse(data).success).toBe(true);
    session.handle({ kind: 'reset' });
    session.handle({ kind: 'request', id: 4, request: { kind: 'reportData' } });
    expect(lastReply(host).record).toBeNull(); // the weights no longer belong to that run
  });

  it('gives a run under way its record so far, and computes under given weights without a record', () => {
    const { host, session } = setup({ epochs: 2, batchSize: 50 });
    session.handle({ kind: 'stepEpoch' });
    host.drain();
    session.handle({ kind: 'request', id: 1, request: { kind: 'reportData' } });
    expect(lastReply(host).record).toMatchObject({ outcome: 'running', endedAt: null, batchesDone: 8 });
    session.handle({ kind: 'request', id: 2, request: { kind: 'reportData', weights: new Float32Array(7850) } });
    const zero = lastReply(host);
    expect(zero.record).toBeNull();
    expect(Array.from(zero.probabilities).every((p) => Math.abs(p - 0.1) < 1e-7)).toBe(true); // zero weights: uniform
    const bad = new Float32Array(7850);
    bad[3] = Number.NaN;
    session.handle({ kind: 'request', id: 3, request: { kind: 'reportData', weights: bad } });
    expect(host.of('reply').at(-1)).toMatchObject({ id: 3, ok: false, error: expect.stringMatching(/NaN or Infinity/) });
  });
});
