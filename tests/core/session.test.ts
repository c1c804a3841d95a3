// TrainingSession: the run loop shared by the utility process and the Web Worker, driven here with a
// fake host whose clock and scheduler the test controls.
import { describe, expect, it } from 'vitest';
import { TrainingSession, type SessionHost } from '../../core/session';
import type { FromTrainer } from '../../core/protocol';
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
